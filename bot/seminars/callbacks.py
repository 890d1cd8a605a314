"""Callback data of seminars: sign-up, the form, the organiser's card."""

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.ui.callbacks import Number


class SeminarAction(StrEnum):
    REGISTER = "r"
    UNREGISTER = "u"


class SeminarCallback(CallbackData, prefix="sm1"):
    """Also packed by core.seminars.listing.REGISTER_BUTTON for queued announcements."""

    action: SeminarAction
    id: Number


class SeminarDraftCallback(CallbackData, prefix="sd1"):
    """The summary of the seminar form: publish the draft, or close the form (a draft goes)."""

    publish: bool
    id: Number


class ManageAction(StrEnum):
    PEOPLE = "p"
    ATTENDANCE = "a"
    MARK = "m"
    CODE = "c"
    EDIT = "e"
    CANCEL = "x"
    CANCEL_CONFIRMED = "y"


class ManageCallback(CallbackData, prefix="so1"):
    action: ManageAction
    id: Number
    value: Number = 0
