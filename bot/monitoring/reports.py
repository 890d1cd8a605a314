"""`/report` and `/export` for methodists: the period and the breakdown by buttons, then the
key indicators with a chart, or the analytical report as an XLSX file."""

from datetime import datetime

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS
from bot.monitoring.report_callbacks import ReportAct, ReportCallback
from bot.ui.buttons import view
from bot.ui.render import edit_or_send
from core.config import Settings
from core.monitoring import reports
from core.monitoring.publication import thresholds
from core.screens import lines_of
from core.texts import Texts


async def cmd_report(message: Message, t: Texts) -> None:
    text, markup = view(t, reports.periods_screen(export=False))
    await message.answer(text, reply_markup=markup)


async def cmd_export(message: Message, t: Texts) -> None:
    text, markup = view(t, reports.periods_screen(export=True))
    await message.answer(text, reply_markup=markup)


async def on_press(
    callback: CallbackQuery,
    callback_data: ReportCallback,
    session: AsyncSession,
    me: int,
    t: Texts,
    now: datetime,
    settings: Settings,
) -> None:
    limits = thresholds(settings.min_group_size, settings.min_group_size_sensitive)
    showing = callback_data.act is ReportAct.SHOW
    ask = reports.Ask(now, limits, callback_data.period, callback_data.view if showing else None)
    if callback_data.act is ReportAct.VIEW:
        text, markup = view(t, reports.views_screen(ask.period))
        await callback.answer()
        await edit_or_send(callback, text, markup)
        return
    reports.check(ask)  # a stale press is told so before anything is counted
    await callback.answer()
    await edit_or_send(callback, t("rep_working" if showing else "rep_export_working"))
    made = await (reports.report if showing else reports.export)(session, me, ask, t)
    await _deliver(callback, t, made, photo=showing)


async def _deliver(callback: CallbackQuery, t: Texts, made: reports.Made, photo: bool) -> None:
    """The text in place of «готовлю…», then the file (a chart or the workbook) below it."""
    await edit_or_send(callback, lines_of(t, made.screen))
    if made.file is None:
        return
    assert callback.bot is not None  # set on every dispatched event
    upload = BufferedInputFile(made.file, filename=made.filename)
    chat = callback.from_user.id
    if photo:
        await callback.bot.send_photo(chat, upload)
    else:
        await callback.bot.send_document(chat, upload)


def build_router() -> Router:
    router = Router(name=__name__)
    for name, handler in (("report", cmd_report), ("export", cmd_export)):
        router.message.register(handler, Command(name), flags=COMMANDS[name].rule.flags)
    router.callback_query.register(
        on_press, ReportCallback.filter(), flags=COMMANDS["report"].rule.flags
    )
    return router
