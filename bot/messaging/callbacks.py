"""Callback data of announcements (their form runs on the engine: bot/ui/form.py)."""

from aiogram.filters.callback_data import CallbackData

from bot.ui.callbacks import Number


class AnnounceCallback(CallbackData, prefix="an2"):
    """The preview's own buttons: send the draft, or drop it."""

    send: bool
    draft: Number
