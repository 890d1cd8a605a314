"""Callback data of questionnaires, support requests and campaigns."""

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.ui.callbacks import Number


class SurveyAction(StrEnum):
    START = "s"
    FEEDBACK = "f"  # ref: the seminar (core.seminars.jobs.FEEDBACK_BUTTON packs this)
    CAMPAIGN = "c"  # ref: the campaign (core.questionnaires.campaigns.CAMPAIGN_BUTTON packs this)
    ANSWER = "a"
    BACK = "b"
    SKIP = "k"
    REUSE = "u"  # ref: the campaign; count the recent answer
    FRESH = "n"  # ref: the campaign; answer anew
    MENTORING = "m"  # ref: the ended pair whose mentee is asked about it


class SurveyCallback(CallbackData, prefix="sv1"):
    action: SurveyAction
    ref: Number = 0  # the response id
    key: str = ""  # the instrument key, to start
    item: Number = 0  # the item's position in the instrument
    value: Number = 0  # the answer code or rating


class SupportAction(StrEnum):
    ASK = "a"  # the teacher asks to be contacted (id: the response)
    DONE = "d"  # the methodist has contacted them (id: the request)


class SupportCallback(CallbackData, prefix="sp1"):
    action: SupportAction
    id: Number


class CampaignAction(StrEnum):
    LAUNCH = "l"  # the form's preview (its fields run on the form engine)
    DISCARD = "x"
    SCHOOLS = "s"  # /campaigns: the response rate by school
    CLOSE = "z"  # /campaigns: ask to close early
    CLOSE_CONFIRMED = "y"


class CampaignCallback(CallbackData, prefix="cg2"):
    action: CampaignAction
    id: Number
