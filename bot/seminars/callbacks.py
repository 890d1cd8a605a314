"""Callback data of seminars: sign-up, the form, the organiser's card."""

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class SeminarAction(StrEnum):
    REGISTER = "r"
    UNREGISTER = "u"


class SeminarCallback(CallbackData, prefix="sm1"):
    """Also packed by core.seminars.listing.REGISTER_BUTTON for queued announcements."""

    action: SeminarAction
    id: int


class SeminarDraftCallback(CallbackData, prefix="sd1"):
    """The summary of the seminar form: publish the draft, or close the form (a draft goes)."""

    publish: bool
    id: int


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
    id: int
    value: int = 0
