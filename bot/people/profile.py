"""`/profile` and `/language`."""

from collections.abc import Callable
from datetime import datetime

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import LanguageCallback
from bot.commands import COMMANDS, CONSENTED, set_person_menu
from bot.ui import keyboards
from bot.ui.render import edit_or_send, send_prompt
from core.people import profile as profile_form
from core.people import viewer as people
from core.people.viewer import Viewer
from core.texts import Texts

Clock = Callable[[], datetime]


async def cmd_profile(
    message: Message, session: AsyncSession, viewer: Viewer, t: Texts, clock: Clock
) -> None:
    assert viewer.person_id is not None
    await send_prompt(
        message, t, await profile_form.current_prompt(session, viewer.person_id, clock().year)
    )


async def cmd_language(message: Message, t: Texts) -> None:
    await message.answer(t("language_choose"), reply_markup=keyboards.languages())


async def on_language(
    callback: CallbackQuery,
    callback_data: LanguageCallback,
    session: AsyncSession,
    viewer: Viewer,
    catalogues: dict[str, Texts],
    bot: Bot,
) -> None:
    assert viewer.person_id is not None
    await people.set_language(session, viewer.person_id, callback_data.language)
    t = catalogues[callback_data.language]
    await callback.answer()
    await edit_or_send(callback, t("language_set"))
    await set_person_menu(bot, viewer.telegram_id, viewer.roles, viewer.registered, t)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_profile, Command("profile"), flags=COMMANDS["profile"].rule.flags)
    router.message.register(
        cmd_language, Command("language"), flags=COMMANDS["language"].rule.flags
    )
    router.callback_query.register(on_language, LanguageCallback.filter(), flags=CONSENTED.flags)
    return router
