"""The domains plugged into the bot, listed once: their forms (core.forms) by name.

A new domain adds its forms here (and its scheduled jobs in core.scheduler).
"""

from typing import Any

from core.forms import Form
from core.mentoring.goal_form import FORM as MENTOR_GOAL
from core.mentoring.meeting_form import FORM as MENTOR_MEETING
from core.mentoring.mentor_form import FORM as MENTOR_PROFILE
from core.mentoring.requests import FORM as MENTOR_REQUEST
from core.messaging.announcements import FORM as ANNOUNCEMENT
from core.people.profile import FORM as PROFILE
from core.questionnaires.campaign_form import FORM as CAMPAIGN
from core.seminars.form import FORM as SEMINAR

FORMS: dict[str, Form[Any]] = {
    form.name: form
    for form in (
        PROFILE,
        ANNOUNCEMENT,
        SEMINAR,
        CAMPAIGN,
        MENTOR_REQUEST,
        MENTOR_MEETING,
        MENTOR_GOAL,
        MENTOR_PROFILE,
    )
}
NAMES = {form.code: form.name for form in FORMS.values()}  # a button's form code: its form
assert len(NAMES) == len(FORMS), "two forms share a code"
