"""Support after a high burnout result: the opt-in, and the methodists' `/support` list."""

from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS, METHODISTS, REGISTERED
from bot.questionnaires.callbacks import SupportAction, SupportCallback
from bot.ui.render import edit_or_send
from core.messaging.sender import Sender
from core.people.viewer import Viewer
from core.questionnaires import support
from core.questionnaires.support import OpenRequest
from core.texts import Texts


def ask_button(t: Texts, response_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    data = SupportCallback(action=SupportAction.ASK, id=response_id)
    builder.button(text=t("support_offer_button"), callback_data=data)
    return InlineKeyboardMarkup(inline_keyboard=builder.export())


def requests_view(t: Texts, found: list[OpenRequest]) -> tuple[str, InlineKeyboardMarkup | None]:
    if not found:
        return t("support_none"), None
    lines = [t("support_title")]
    builder = InlineKeyboardBuilder()
    for number, request in enumerate(found, start=1):
        date = request.created_at.strftime("%d.%m.%Y")
        lines.append(
            t("support_row", number=number, id=request.telegram_id, name=request.name, date=date)
        )
        data = SupportCallback(action=SupportAction.DONE, id=request.id)
        builder.button(text=t("btn_support_done", number=number), callback_data=data)
    builder.adjust(1)
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=builder.export())


async def on_ask(
    callback: CallbackQuery,
    callback_data: SupportCallback,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    now: datetime,
    catalogues: dict[str, Texts],
    sender: Sender | None,
    bot: Bot,
) -> None:
    await support.ask(session, me, callback_data.id, now, catalogues)
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.edit_reply_markup(reply_markup=None)
    await bot.send_message(viewer.telegram_id, t("support_sent"))  # stays in the chat
    if sender is not None:
        sender.wake()


async def cmd_support(message: Message, session: AsyncSession, viewer: Viewer, t: Texts) -> None:
    assert viewer.municipality_id is not None
    text, markup = requests_view(t, await support.open_requests(session, viewer.municipality_id))
    await message.answer(text, reply_markup=markup)


async def on_done(
    callback: CallbackQuery,
    callback_data: SupportCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    now: datetime,
) -> None:
    assert viewer.municipality_id is not None
    found = await support.mark_handled(session, viewer.municipality_id, callback_data.id, now)
    await callback.answer()
    text, markup = requests_view(t, found)
    await edit_or_send(callback, text, markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_support, Command("support"), flags=COMMANDS["support"].rule.flags)
    router.callback_query.register(
        on_ask, SupportCallback.filter(F.action == SupportAction.ASK), flags=REGISTERED.flags
    )
    router.callback_query.register(
        on_done, SupportCallback.filter(F.action == SupportAction.DONE), flags=METHODISTS.flags
    )
    return router
