"""`/seminar_new` and editing a seminar: one question at a time, a card to check, publish."""

from collections.abc import Callable
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import SeminarFormAction, SeminarFormCallback
from bot.commands import COMMANDS, ORGANISERS, is_command
from bot.seminars.views import form_question
from bot.ui.render import edit_or_send, start_progress
from core.audience import AudienceKind
from core.errors import InvalidInput
from core.messaging.sender import Sender
from core.people.viewer import Viewer
from core.seminars import form as seminar_form
from core.seminars import publish as seminar_publish
from core.seminars.form import FormPrompt
from core.texts import Texts

Clock = Callable[[], datetime]
KINDS = list(AudienceKind)


def typing(message: Message, viewer: Viewer) -> bool:
    return seminar_form.is_typing(viewer.step) and not is_command(message)


async def cmd_seminar_new(
    message: Message, session: AsyncSession, viewer: Viewer, t: Texts, clock: Clock
) -> None:
    assert viewer.person_id is not None
    prompt = await seminar_form.start(session, viewer.person_id, clock())
    text, markup = form_question(t, prompt)
    await message.answer(text, reply_markup=markup)


async def on_text(
    message: Message,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    clock: Clock,
    catalogues: dict[str, Texts],
) -> None:
    assert viewer.person_id is not None
    try:
        prompt = await seminar_form.submit_text(
            session, viewer.person_id, message.text or "", clock(), catalogues
        )
    except InvalidInput as exc:
        await message.answer(t(exc.code, **exc.details))
        prompt = await seminar_form.prompt(session, viewer.person_id, clock())
    text, markup = form_question(t, prompt)
    await message.answer(text, reply_markup=markup)


async def on_button(
    callback: CallbackQuery,
    callback_data: SeminarFormCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    clock: Clock,
    catalogues: dict[str, Texts],
) -> None:
    assert viewer.person_id is not None
    prompt = await _apply(session, viewer.person_id, callback_data, clock(), catalogues)
    await callback.answer()
    text, markup = form_question(t, prompt)
    await edit_or_send(callback, text, markup)


async def _apply(
    session: AsyncSession,
    person_id: int,
    data: SeminarFormCallback,
    now: datetime,
    catalogues: dict[str, Texts],
) -> FormPrompt:
    if data.action == SeminarFormAction.CHOOSE:
        return await seminar_form.choose(
            session, person_id, data.id, data.field, data.value, now, catalogues
        )
    if data.action == SeminarFormAction.EDIT:
        return await seminar_form.edit(session, person_id, data.id, data.field, now)
    if data.action == SeminarFormAction.KIND:
        kind = KINDS[data.value % len(KINDS)]
        return await seminar_form.audience_kind(session, person_id, data.id, kind, now)
    if data.action == SeminarFormAction.ITEM:
        value = data.value
        return await seminar_form.audience_item(
            session, person_id, data.id, abs(value), value > 0, now
        )
    return await seminar_form.back(session, person_id, data.id, now)


async def on_publish(
    callback: CallbackQuery,
    callback_data: SeminarFormCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    clock: Clock,
    catalogues: dict[str, Texts],
    bot: Bot,
    sender: Sender | None,
) -> None:
    assert viewer.person_id is not None
    published = await seminar_publish.publish(
        session, viewer.person_id, callback_data.id, t.language, clock(), catalogues
    )
    await callback.answer()
    await edit_or_send(callback, t("seminar_published", count=published.total))
    await start_progress(bot, session, viewer, t, published, sender)


async def on_discard(
    callback: CallbackQuery,
    callback_data: SeminarFormCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
) -> None:
    assert viewer.person_id is not None
    await seminar_publish.discard(session, viewer.person_id, callback_data.id)
    await callback.answer()
    await edit_or_send(callback, t("semform_closed"))


def build_router() -> Router:
    router = Router(name=__name__)
    rule = COMMANDS["seminar_new"].rule
    router.message.register(cmd_seminar_new, Command("seminar_new"), flags=rule.flags)
    router.message.register(on_text, typing, flags=ORGANISERS.flags)
    router.callback_query.register(
        on_publish,
        SeminarFormCallback.filter(F.action == SeminarFormAction.PUBLISH),
        flags=ORGANISERS.flags,
    )
    router.callback_query.register(
        on_discard,
        SeminarFormCallback.filter(F.action == SeminarFormAction.DISCARD),
        flags=ORGANISERS.flags,
    )
    router.callback_query.register(on_button, SeminarFormCallback.filter(), flags=ORGANISERS.flags)
    return router
