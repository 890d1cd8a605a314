"""The weekly summary's buttons: each opens, in a new message below the summary (which stays
as it is), what its command shows; the reminder asks «Да»/«Нет» first. Methodists only."""

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import METHODISTS
from bot.monitoring.action_callbacks import ACTION_OF, SummaryActionCallback, SummaryDo
from bot.questionnaires.support import requests_view
from bot.ui.buttons import view
from bot.ui.render import edit_or_send
from core.forms import Context
from core.messaging.sender import Sender
from core.monitoring import summary_actions
from core.people.viewer import Viewer
from core.questionnaires import support
from core.screens import lines_of
from core.texts import Texts

ANSWERS = (SummaryDo.SUPPORT, SummaryDo.REMIND_YES, SummaryDo.REMIND_NO)  # handled apart
OPENED = [act for act in SummaryDo if act not in ANSWERS]  # a screen of core.summary_actions


async def _below(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """A new message under the summary: the summary keeps its text and its buttons."""
    assert callback.bot is not None  # set on every dispatched event
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)


async def on_support(
    callback: CallbackQuery, session: AsyncSession, viewer: Viewer, t: Texts
) -> None:
    assert viewer.municipality_id is not None
    found = await support.open_requests(session, viewer.municipality_id)
    await _below(callback, *requests_view(t, found))


async def on_open(
    callback: CallbackQuery,
    callback_data: SummaryActionCallback,
    session: AsyncSession,
    me: int,
    t: Texts,
    ctx: Context,
) -> None:
    action = ACTION_OF[callback_data.act]
    shown = await summary_actions.opened(session, me, action, callback_data.id, ctx)
    await _below(callback, *view(t, shown))


async def on_remind(
    callback: CallbackQuery,
    callback_data: SummaryActionCallback,
    session: AsyncSession,
    me: int,
    t: Texts,
    ctx: Context,
    sender: Sender | None,
) -> None:
    done = await summary_actions.remind(session, me, callback_data.id, ctx)
    await callback.answer()
    await edit_or_send(callback, lines_of(t, done))
    if sender is not None:
        sender.wake()


async def on_no_reminder(callback: CallbackQuery, t: Texts) -> None:
    await callback.answer()
    await edit_or_send(callback, t("remind_cancelled"))


def build_router() -> Router:
    router = Router(name=__name__)
    flags = METHODISTS.flags  # every press: a forwarded or forged button is refused
    for handler, acts in (
        (on_support, [SummaryDo.SUPPORT]),
        (on_open, OPENED),
        (on_remind, [SummaryDo.REMIND_YES]),
        (on_no_reminder, [SummaryDo.REMIND_NO]),
    ):
        router.callback_query.register(
            handler, SummaryActionCallback.filter(F.act.in_(acts)), flags=flags
        )
    return router
