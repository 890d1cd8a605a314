"""`/start`, consent, and the profile form (onboarding steps and field edits)."""

from collections.abc import Callable
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import ConsentCallback, FormAction, FormCallback
from bot.commands import ANYONE, CONSENTED, is_command, set_person_menu
from bot.people.views import prompt_view
from bot.ui import keyboards
from bot.ui.render import edit_or_send, edit_prompt, send_prompt
from core.errors import InvalidInput
from core.people import onboarding
from core.people import profile as profile_form
from core.people.onboarding import StartKind
from core.people.profile import Prompt
from core.people.viewer import Viewer
from core.texts import Texts

Clock = Callable[[], datetime]


def awaiting_text(message: Message, viewer: Viewer) -> bool:
    return viewer.step in profile_form.STEPS and not is_command(message)


async def cmd_start(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    clock: Clock,
) -> None:
    outcome = await onboarding.begin(session, viewer.telegram_id, command.args, clock())
    if outcome.kind == StartKind.CONSENT and outcome.invite:
        await message.answer(t("welcome", municipality=outcome.invite.municipality))
        await message.answer(
            t("consent", municipality=outcome.invite.municipality),
            reply_markup=keyboards.consent(t, outcome.invite.code),
        )
    elif outcome.kind == StartKind.RESUME and outcome.prompt:
        await message.answer(t("resume"))
        await send_prompt(message, t, outcome.prompt)
    elif outcome.kind == StartKind.ROLE_GRANTED and outcome.role:
        await message.answer(t("role_granted", role=t(f"role_{outcome.role}")))
    elif outcome.kind == StartKind.REGISTERED:
        await message.answer(t("already_registered"))
    else:
        await message.answer(t("need_invite"))


async def on_consent(
    callback: CallbackQuery,
    callback_data: ConsentCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    clock: Clock,
    bot: Bot,
) -> None:
    if not callback_data.agree:
        await onboarding.refuse_consent(session, callback_data.code, clock())
        await callback.answer()
        await edit_or_send(callback, t("consent_declined"))
        return
    prompt = await onboarding.give_consent(
        session, viewer.telegram_id, callback_data.code, t.language, clock()
    )
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.edit_reply_markup(reply_markup=None)
    text, markup = prompt_view(t, prompt)
    await bot.send_message(viewer.telegram_id, text, reply_markup=markup)


async def on_text(
    message: Message, session: AsyncSession, viewer: Viewer, t: Texts, clock: Clock
) -> None:
    assert viewer.person_id is not None
    try:
        prompt = await profile_form.submit_text(
            session, viewer.person_id, message.text or "", clock().year
        )
    except InvalidInput as exc:
        await message.answer(t(exc.code, **exc.details))
        prompt = await profile_form.current_prompt(session, viewer.person_id, clock().year)
    await send_prompt(message, t, prompt)


async def on_form(
    callback: CallbackQuery,
    callback_data: FormCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    clock: Clock,
    bot: Bot,
) -> None:
    assert viewer.person_id is not None
    if callback_data.action == FormAction.CONFIRM:
        view = await profile_form.confirm(session, viewer.person_id, clock())
        await callback.answer()
        await edit_or_send(callback, t("registered_done"))
        await set_person_menu(
            bot, viewer.telegram_id, frozenset(view.roles) | viewer.roles, True, t
        )
        return
    prompt = await _apply(session, viewer.person_id, callback_data, clock().year)
    await edit_prompt(callback, t, prompt)


async def _apply(session: AsyncSession, person_id: int, data: FormCallback, year: int) -> Prompt:
    action = data.action
    if action in (FormAction.SCHOOL, FormAction.NO_SCHOOL):
        school = data.value if action == FormAction.SCHOOL else None
        return await profile_form.choose_school(session, person_id, school, year)
    if action == FormAction.SUBJECT:
        # value is +id to select and -id to unselect, so a repeated update is harmless
        selected = data.value > 0
        return await profile_form.mark_subject(session, person_id, abs(data.value), selected, year)
    if action == FormAction.SUBJECTS_DONE:
        return await profile_form.finish_subjects(session, person_id, year)
    if action in (FormAction.STARTED, FormAction.BIRTH_SKIP):
        step, value = ("started", data.value) if action == FormAction.STARTED else ("birth", None)
        return await profile_form.choose_year(session, person_id, step, value, year)
    if action == FormAction.EDIT and data.field is not None:
        return await profile_form.start_edit(session, person_id, data.field, year)
    if action == FormAction.CANCEL:
        return await profile_form.cancel_edit(session, person_id, year)
    return await profile_form.current_prompt(session, person_id, year, page=data.value)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_start, CommandStart(), flags=ANYONE.flags)
    router.callback_query.register(on_consent, ConsentCallback.filter(), flags=ANYONE.flags)
    router.message.register(on_text, F.text, awaiting_text, flags=CONSENTED.flags)
    router.callback_query.register(on_form, FormCallback.filter(), flags=CONSENTED.flags)
    return router
