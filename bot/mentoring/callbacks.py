"""Callback data of mentoring: one class, the action named by a short word."""

from aiogram.filters.callback_data import CallbackData

from bot.ui.callbacks import Number

# core.mentoring's button actions "mentoring.<act>"; refs are (id,) or (id, value)
ACTS = (
    "submit",
    "cancel",
    "withdraw",
    "queue",
    "pick",
    "accept",
    "decline",
    "declined",
    "pair",
    "write",
    "contacts",
    "problem",
    "handled",
    "close",
    "closed",
    "meeting",
    "met",
    "confirm",
    "extend",
    "export",
    # mentors: volunteering from /profile, the methodist's answer, their own profile
    "volunteer",
    "vconfirm",
    "vreject",
    "mprofile",
    "pause",
    # the methodist's pairs, finding a mentor by name, the programme's goals, notes' consent
    "pairs",
    "find",
    "goal",
    "goaldone",
    "notes",
    "ask",  # a request started from the offer under /route
)


class MentoringCallback(CallbackData, prefix="mt1"):
    act: str  # one of ACTS
    id: Number = 0  # a request, a pair or a meeting
    value: Number = 0  # a mentor, a reason, days ago, a queue position
