"""Answering a press: edit the pressed message in place, or send a new one; progress lines."""

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from core.messaging.broadcast import Launch, set_progress_message
from core.messaging.sender import Sender
from core.people.viewer import Viewer
from core.texts import Texts

# Telegram's answers when a message can no longer be edited: too old, deleted, or a file
UNEDITABLE = ("can't be edited", "message to edit not found", "no text in the message")


async def edit_or_send(
    callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the message the button belongs to; send anew if Telegram no longer allows editing."""
    message = callback.message
    assert callback.bot is not None  # set on every dispatched event
    if message is not None and not isinstance(message, InaccessibleMessage):
        try:
            await message.edit_text(text, reply_markup=markup)
            return
        except TelegramBadRequest as exc:
            if not any(reason in exc.message.lower() for reason in UNEDITABLE):
                raise
    await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)


async def start_progress(
    bot: Bot,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    launch: Launch,
    sender: Sender | None,
) -> None:
    """Post the "sent 0 of N" message the sender edits in place, and wake the sender."""
    if launch.broadcast_id is not None:
        progress = await bot.send_message(
            viewer.telegram_id, t("progress", sent=0, total=launch.total)
        )
        await set_progress_message(session, launch.broadcast_id, progress.message_id)
    if sender is not None:
        sender.wake()
