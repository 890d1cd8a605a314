"""Showing a prompt: edit the pressed message in place, or send a new one."""

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.people.views import prompt_view
from core.messaging.broadcast import Launch, set_progress_message
from core.messaging.sender import Sender
from core.people.profile import Prompt
from core.people.viewer import Viewer
from core.texts import Texts

# Telegram's answers when a message can no longer be edited: too old, deleted, or a file
UNEDITABLE = ("can't be edited", "message to edit not found", "no text in the message")


async def send_prompt(message: Message, t: Texts, prompt: Prompt) -> None:
    text, markup = prompt_view(t, prompt)
    await message.answer(text, reply_markup=markup)


async def edit_prompt(callback: CallbackQuery, t: Texts, prompt: Prompt) -> None:
    await callback.answer()
    text, markup = prompt_view(t, prompt)
    await edit_or_send(callback, text, markup)


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
