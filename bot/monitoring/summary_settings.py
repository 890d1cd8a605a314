"""`/summary_settings` for methodists: the weekly summary on or off, its day and hour, changed
with buttons on the same message."""

from datetime import datetime

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS
from bot.monitoring.summary_callbacks import SummaryCallback
from bot.ui.buttons import view
from bot.ui.render import edit_or_send
from core.monitoring import preferences
from core.texts import Texts


async def cmd_summary_settings(
    message: Message, session: AsyncSession, me: int, t: Texts, now: datetime
) -> None:
    text, markup = view(t, await preferences.show(session, me, now))
    await message.answer(text, reply_markup=markup)


async def on_press(
    callback: CallbackQuery,
    callback_data: SummaryCallback,
    session: AsyncSession,
    me: int,
    t: Texts,
    now: datetime,
) -> None:
    act, value = str(callback_data.act), callback_data.value
    shown = await preferences.change(session, me, act, value, now)
    await callback.answer()
    text, markup = view(t, shown)
    await edit_or_send(callback, text, markup)


def build_router() -> Router:
    router = Router(name=__name__)
    flags = COMMANDS["summary_settings"].rule.flags
    router.message.register(cmd_summary_settings, Command("summary_settings"), flags=flags)
    router.callback_query.register(on_press, SummaryCallback.filter(), flags=flags)
    return router
