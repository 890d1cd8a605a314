"""`/profile` and `/language`."""

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS, CONSENTED, set_person_menu
from bot.people.callbacks import LanguageCallback
from bot.ui import keyboards
from bot.ui.buttons import view
from bot.ui.render import edit_or_send
from core.forms import Context
from core.people import profile
from core.people import viewer as people
from core.people.viewer import Viewer
from core.texts import Texts


async def cmd_profile(
    message: Message, session: AsyncSession, me: int, t: Texts, ctx: Context
) -> None:
    text, markup = view(t, await profile.show(session, me, ctx))
    await message.answer(text, reply_markup=markup)


async def cmd_language(message: Message, t: Texts) -> None:
    await message.answer(t("language_choose"), reply_markup=keyboards.languages())


async def on_language(
    callback: CallbackQuery,
    callback_data: LanguageCallback,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    catalogues: dict[str, Texts],
    bot: Bot,
) -> None:
    await people.set_language(session, me, callback_data.language)
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
