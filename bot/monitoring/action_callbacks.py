"""Callback data of the weekly summary's buttons: core.monitoring.summary's "summary.<action>"
and the reminder question's «Да»/«Нет»; the ref is () or (id,): a campaign, a school, or a
competency area's place in AREAS from 1."""

from collections.abc import Callable
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.ui.callbacks import Number
from core.screens import Ref


class SummaryDo(StrEnum):
    SUPPORT = "s"  # support_list
    MENTORING = "m"
    PAIRS = "p"  # mentoring_pairs
    REMIND = "r"  # campaign_remind: the question
    REMIND_YES = "y"
    REMIND_NO = "n"
    SCHOOL = "h"  # school_support
    SEMINAR = "e"  # seminar_new
    CAMPAIGN = "c"  # campaign_new
    ANNOUNCE = "a"  # announcement_new


class SummaryActionCallback(CallbackData, prefix="wa1"):
    act: SummaryDo
    id: Number = 0


SUMMARY_DO = {  # the action names core gives its buttons, after "summary."
    "support_list": SummaryDo.SUPPORT,
    "mentoring": SummaryDo.MENTORING,
    "mentoring_pairs": SummaryDo.PAIRS,
    "campaign_remind": SummaryDo.REMIND,
    "remind_yes": SummaryDo.REMIND_YES,
    "remind_no": SummaryDo.REMIND_NO,
    "school_support": SummaryDo.SCHOOL,
    "seminar_new": SummaryDo.SEMINAR,
    "campaign_new": SummaryDo.CAMPAIGN,
    "announcement_new": SummaryDo.ANNOUNCE,
}
ACTION_OF = {act: name for name, act in SUMMARY_DO.items()}


def action_packer(name: str) -> Callable[[Ref], SummaryActionCallback]:
    """The packer of the button action "summary.<name>"."""
    return lambda ref: SummaryActionCallback(act=SUMMARY_DO[name], id=int(ref[0]) if ref else 0)
