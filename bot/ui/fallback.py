"""`/help`, unknown commands, and the fallbacks for anything no other handler took."""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS, available
from bot.filters import Magic
from bot.ui.callbacks import DismissCallback
from bot.ui.render import edit_or_send
from core.people.viewer import Viewer
from core.questionnaires import offers
from core.texts import Texts


async def cmd_help(message: Message, viewer: Viewer, t: Texts) -> None:
    specs = available(viewer.roles, viewer.registered, viewer.person_id is not None)
    lines = [t("help_title"), ""] + [f"/{spec.name} — {t(f'cmd_{spec.name}')}" for spec in specs]
    await message.answer("\n".join(lines))


async def on_unknown_command(message: Message, t: Texts) -> None:
    await message.answer(t("unknown_command"))


async def on_other_message(
    message: Message, session: AsyncSession, viewer: Viewer, t: Texts
) -> None:
    me = viewer.person_id  # anyone may write: a stranger has no person
    if viewer.pending:
        await message.answer(t("use_buttons"))
    elif me is not None and await offers.has_unfinished(session, me):
        await message.answer(t("survey_use_buttons"))
    else:
        await message.answer(t("no_text_expected"))


async def on_dismiss(callback: CallbackQuery, t: Texts) -> None:
    await callback.answer()
    await edit_or_send(callback, t("nothing_changed"))


async def on_stale_callback(callback: CallbackQuery, t: Texts) -> None:
    await callback.answer(t("stale"))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_help, Command("help"), flags=COMMANDS["help"].rule.flags)
    router.message.register(on_unknown_command, Magic(F.text.startswith("/")))
    router.message.register(on_other_message)
    router.callback_query.register(on_dismiss, DismissCallback.filter())
    router.callback_query.register(on_stale_callback)
    return router
