"""Callback data every domain shares: the form engine's buttons, «Нет»."""

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# A number in button data fits the database's integer (32 bits on PostgreSQL): forged data
# beyond it is an unknown button, not a database error
Number = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]


class DismissCallback(CallbackData, prefix="no1"):
    """«Нет» beside a dangerous «Да»: nothing changes, the question is closed."""


class FormCallback(CallbackData, prefix="fo1"):
    """A button of any form on the engine (core.forms): which form, draft, act and field."""

    form: str
    target: Number
    act: str
    field: Number
    value: Number = 0
    key: str = ""  # an instrument key (at most 32 characters, checked at load)
