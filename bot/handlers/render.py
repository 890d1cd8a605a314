"""Showing a prompt: edit the pressed message in place, or send a new one."""

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message

from bot.views import prompt_view
from core.profile_form import Prompt
from core.texts import Texts


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
    if message is None or isinstance(message, InaccessibleMessage):
        assert callback.bot is not None  # set on every dispatched event
        await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)
        return
    try:
        await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as exc:
        if "message is not modified" not in exc.message:  # a repeated tap shows the same
            raise
