"""Callback data every domain shares: the form engine's buttons, «Нет»."""

from aiogram.filters.callback_data import CallbackData


class DismissCallback(CallbackData, prefix="no1"):
    """«Нет» beside a dangerous «Да»: nothing changes, the question is closed."""


class FormCallback(CallbackData, prefix="fo1"):
    """A button of any form on the engine (core.forms): which form, draft, act and field."""

    form: str
    target: int
    act: str
    field: int
    value: int = 0
    key: str = ""  # an instrument key (at most 32 characters, checked at load)
