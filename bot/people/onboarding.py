"""`/start`, consent, and confirming the registration summary (the profile form itself runs
on the form engine: bot/ui/form.py)."""

from aiogram import Bot, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import ANYONE, CONSENTED, set_person_menu
from bot.people.callbacks import ConsentCallback, ProfileConfirmCallback
from bot.ui import keyboards
from bot.ui.buttons import view
from bot.ui.render import edit_or_send
from core.forms import Context
from core.people import onboarding, profile
from core.people.onboarding import StartKind
from core.people.viewer import Viewer
from core.texts import Texts


async def cmd_start(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    ctx: Context,
) -> None:
    outcome = await onboarding.begin(session, viewer.telegram_id, command.args, ctx)
    if outcome.kind == StartKind.CONSENT and outcome.invite:
        await message.answer(t("welcome", municipality=outcome.invite.municipality))
        await message.answer(
            t("consent", municipality=outcome.invite.municipality),
            reply_markup=keyboards.consent(t, outcome.invite.code),
        )
    elif outcome.kind == StartKind.RESUME and outcome.screen:
        await message.answer(t("resume"))
        text, markup = view(t, outcome.screen)
        await message.answer(text, reply_markup=markup)
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
    ctx: Context,
    bot: Bot,
) -> None:
    if not callback_data.agree:
        await onboarding.refuse_consent(session, callback_data.code, ctx.now)
        await callback.answer()
        await edit_or_send(callback, t("consent_declined"))
        return
    screen = await onboarding.give_consent(
        session, viewer.telegram_id, callback_data.code, t.language, ctx
    )
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.edit_reply_markup(reply_markup=None)
    text, markup = view(t, screen)
    await bot.send_message(viewer.telegram_id, text, reply_markup=markup)


async def on_confirm(
    callback: CallbackQuery,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    ctx: Context,
    bot: Bot,
) -> None:
    shown = await profile.confirm(session, me, ctx)
    await callback.answer()
    await edit_or_send(callback, t("registered_done"))
    roles = frozenset(shown.roles) | viewer.roles
    await set_person_menu(bot, viewer.telegram_id, roles, True, t)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_start, CommandStart(), flags=ANYONE.flags)
    router.callback_query.register(on_consent, ConsentCallback.filter(), flags=ANYONE.flags)
    router.callback_query.register(
        on_confirm, ProfileConfirmCallback.filter(), flags=CONSENTED.flags
    )
    return router
