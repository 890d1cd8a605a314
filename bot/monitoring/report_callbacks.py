"""Callback data of `/report` and `/export`: core.monitoring.reports' "report.<act>" buttons,
whose refs are (period,) or (period, view), indices of its PERIODS and VIEWS."""

from collections.abc import Callable
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.ui.callbacks import Number
from core.screens import Ref


class ReportAct(StrEnum):
    VIEW = "v"  # a period was chosen: ask for the breakdown
    SHOW = "s"  # a breakdown was chosen: the text and the chart
    EXPORT = "x"  # a period was chosen for the XLSX


class ReportCallback(CallbackData, prefix="rp1"):
    act: ReportAct
    period: Number = 0
    view: Number = 0


REPORT_ACTS = {"view": ReportAct.VIEW, "show": ReportAct.SHOW, "export": ReportAct.EXPORT}


def report_packer(act: str) -> Callable[[Ref], ReportCallback]:
    """The packer of the button action "report.<act>"."""
    return lambda ref: ReportCallback(
        act=REPORT_ACTS[act],
        period=int(ref[0]) if ref else 0,
        view=int(ref[1]) if len(ref) > 1 else 0,
    )
