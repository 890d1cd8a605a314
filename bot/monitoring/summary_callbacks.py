"""Callback data of `/summary_settings`: core.monitoring.preferences' "monitoring.<act>"
buttons, whose ref is () or (value,): a weekday (0 = Monday) or an hour."""

from collections.abc import Callable
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.ui.callbacks import Number
from core.screens import Ref


class SummaryAct(StrEnum):
    ON = "on"
    OFF = "off"
    DAY = "day"
    HOUR = "hour"


class SummaryCallback(CallbackData, prefix="ws1"):
    act: SummaryAct
    value: Number = 0


SUMMARY_ACTS = {str(act): act for act in SummaryAct}  # as core.monitoring.preferences.ACTS


def summary_packer(act: str) -> Callable[[Ref], SummaryCallback]:
    """The packer of the button action "monitoring.<act>"."""
    return lambda ref: SummaryCallback(act=SUMMARY_ACTS[act], value=int(ref[0]) if ref else 0)
