"""A person's rights over their data (152-ФЗ): see everything stored, and delete it.

PERSONAL lists every column that refers to a person, with what /mydata shows of it and what
/forget does (the foreign key's ON DELETE rule does it): a test checks the list against the
models, so a new table that refers to people cannot be forgotten by either. Before that rule
runs, /forget deletes the author's drafts (only they could ever open one) and gives each seat
they held at an upcoming seminar to its waiting list.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import checkpoint
from core.forms import Context
from core.mentoring import personal as mentoring
from core.messaging.announcements import drop_drafts
from core.models import (
    Announcement,
    Answer,
    Attachment,
    Broadcast,
    Campaign,
    CampaignMember,
    CampaignStatus,
    Completion,
    Delivery,
    JobOccurrence,
    Person,
    Registration,
    Response,
    School,
    Seminar,
    SeminarStatus,
    SummarySetting,
    SupportRequest,
)
from core.monitoring.schedule import SUMMARY_JOB
from core.people.viewer import ProfileView, load_person, profile
from core.seminars.waitlist import release_seats
from core.timeutil import as_utc, iso_utc

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Personal:
    """A column referring to a person: the /mydata key that shows it, and on /forget
    "delete" (the rows go) or "unlink" (the record stays, without them)."""

    column: str  # table.column
    shown_as: str
    forget: str


PERSONAL = (
    Personal("person_role.person_id", "roles", "delete"),
    Personal("person_subject.person_id", "subjects", "delete"),
    Personal("response.person_id", "questionnaires", "delete"),
    Personal("completion.person_id", "anonymous_questionnaires_completed", "delete"),
    Personal("campaign_member.person_id", "campaigns", "delete"),
    Personal("registration.person_id", "seminars", "delete"),
    Personal("support_request.person_id", "support_requests", "delete"),
    Personal("delivery.person_id", "notifications", "delete"),
    Personal("delivery.about_id", "notifications_about_me", "delete"),
    Personal("broadcast.person_id", "notifications_launched", "delete"),
    # sent or published ones stay without their author; drafts go first (`_drop_drafts`)
    Personal("announcement.author_id", "announcements_written", "unlink"),
    Personal("seminar.organiser_id", "seminars_organised", "unlink"),
    Personal("campaign.author_id", "campaigns_launched", "unlink"),
    Personal("mentor_profile.person_id", "mentor_profile", "delete"),
    Personal("mentorship_request.mentee_id", "mentoring_requests", "delete"),
    Personal("mentorship_request.offered_to", "mentoring_requests_offered", "unlink"),
    Personal("mentorship.mentor_id", "mentoring_pairs_as_mentor", "unlink"),
    Personal("mentorship.mentee_id", "mentoring_pairs_as_mentee", "unlink"),
    Personal("summary_setting.person_id", "weekly_summary_settings", "delete"),
)


@dataclass(frozen=True)
class DataExport:
    profile: ProfileView
    consent_at: datetime
    record: dict[str, Any]


async def export_data(session: AsyncSession, person_id: int, this_year: int) -> DataExport:
    """Everything PedPulse stores about the person: the profile and a JSON-ready record."""
    person = await load_person(session, person_id)
    view = await profile(session, person_id, this_year)
    record = {
        "telegram_id": person.telegram_id,
        "full_name": view.full_name,
        "municipality": view.municipality,
        "school": view.school,
        "subjects": list(view.subjects),
        "started_teaching_year": view.started_year,
        "birth_year": view.birth_year,
        "member_of_methodical_community": view.community_member,
        "language": view.language,
        "roles": [str(role) for role in view.roles],
        "young_teacher": view.young,
        "consent_given_at": as_utc(person.consent_at).isoformat(),
        "registered_at": iso_utc(person.registered_at),
        "active": person.active,
        "school_from_invite_link": person.school_preset,
        "awaited_input": _pending(person),
        **await _answers(session, person_id),
        **await _participation(session, person_id),
        **await _notifications(session, person_id),
        **await _authored(session, person_id),
        **await mentoring.record(session, person_id),
        **await _weekly_summary(session, person_id),
    }
    return DataExport(view, as_utc(person.consent_at), record)


def _pending(person: Person) -> dict[str, Any] | None:
    """The input the chat awaits from them (a form's field, the record it fills)."""
    if person.step_form is None:
        return None
    step = (person.step_form, person.step_field, person.step_target, person.step_edit)
    return dict(zip(("form", "field", "record", "correcting"), step, strict=True))


async def _listed(session: AsyncSession, query: Executable) -> list[dict[str, Any]]:
    """The rows of `query` as JSON-ready records keyed by its column labels (times in UTC)."""
    rows = (await session.execute(query)).mappings()
    return [{k: iso_utc(v) if isinstance(v, datetime) else v for k, v in r.items()} for r in rows]


async def _weekly_summary(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """The settings, and the weeks their summary went (keyed by their id, not a reference)."""
    found = await session.get(SummarySetting, person_id)
    weeks = select(JobOccurrence.period.label("week"), JobOccurrence.done_at.label("sent_at"))
    mine = (JobOccurrence.job == SUMMARY_JOB, JobOccurrence.target == str(person_id))
    return {
        "weekly_summary_settings": None
        if found is None
        else {"enabled": found.enabled, "weekday": found.weekday, "hour": found.hour},
        "weekly_summaries_sent": await _listed(session, weeks.where(*mine).order_by("sent_at")),
    }


async def _answers(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """Questionnaires with their answers (an anonymous one only until it is released)."""
    responses = list(
        await session.scalars(
            select(Response).where(Response.person_id == person_id).order_by(Response.id)
        )
    )
    answers: dict[int, dict[str, Any]] = {}
    for response_id, item_id, value in await session.execute(
        select(Answer.response_id, Answer.item_id, Answer.value).where(
            Answer.response_id.in_([r.id for r in responses])
        )
    ):
        answers.setdefault(response_id, {})[item_id] = value
    return {
        "questionnaires": [
            {
                "instrument": r.instrument,
                "version": r.version,
                "anonymous": r.anonymous,
                "status": r.status,
                "campaign_id": r.campaign_id,
                "seminar_id": r.seminar_id,
                "started_at": iso_utc(r.started_at),
                "completed_at": iso_utc(r.completed_at),
                "scores": r.scores,
                "answers": answers.get(r.id, {}),
            }
            for r in responses
        ]
    }


async def _participation(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """Campaigns I was invited to (with my school when it opened), anonymous questionnaires I
    took (the day), seminars I signed up for and support requests."""
    campaigns = (
        select(Campaign.id.label("campaign_id"), Campaign.instrument, School.name.label("school"))
        .add_columns(CampaignMember.completed_on)
        .join(CampaignMember, CampaignMember.campaign_id == Campaign.id)
        .outerjoin(School, School.id == CampaignMember.school_id)
        .where(CampaignMember.person_id == person_id)
    )
    completions = select(Completion.instrument, Completion.seminar_id, Completion.completed_on)
    seminars = (
        select(Seminar.id.label("seminar_id"), Seminar.title, Seminar.starts_at)
        .add_columns(Registration.status, Registration.created_at.label("signed_up_at"))
        .add_columns(Registration.attended, Registration.feedback_due.label("feedback_awaited"))
        .add_columns(Registration.checkin_failures.label("wrong_checkin_codes"))
        .join(Registration, Registration.seminar_id == Seminar.id)
        .where(Registration.person_id == person_id)
    )
    requests = select(SupportRequest.created_at, SupportRequest.handled_at)
    return {
        "campaigns": await _listed(session, campaigns.order_by(Campaign.id)),
        "anonymous_questionnaires_completed": await _listed(
            session, completions.where(Completion.person_id == person_id).order_by(Completion.id)
        ),
        "seminars": await _listed(session, seminars.order_by(Seminar.starts_at)),
        "support_requests": await _listed(
            session,
            requests.where(SupportRequest.person_id == person_id).order_by(SupportRequest.id),
        ),
    }


async def _notifications(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """Messages queued or sent to me, sent to others about me (not what), launched by me."""
    rows = select(Delivery.created_at, Delivery.status).order_by(Delivery.id)
    launched = await session.scalars(
        select(Broadcast.created_at).where(Broadcast.person_id == person_id)
    )
    return {
        "notifications": await _listed(
            session, rows.add_columns(Delivery.text).where(Delivery.person_id == person_id)
        ),
        "notifications_about_me": await _listed(
            session, rows.where(Delivery.about_id == person_id)
        ),
        "notifications_launched": [iso_utc(created) for created in launched],
    }


async def _authored(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """Announcements, seminars and campaigns I made (sent or published ones stay, without me,
    after /forget; drafts go): an announcement's file by its kind and name."""
    announcements = (
        select(Announcement.created_at, Announcement.sent_at, Announcement.text)
        .add_columns(Attachment.kind.label("file_kind"), Attachment.filename.label("file_name"))
        .outerjoin(Attachment, Attachment.id == Announcement.attachment_id)
        .where(Announcement.author_id == person_id)
    )
    seminars = select(Seminar.title, Seminar.starts_at, Seminar.status)
    campaigns = select(Campaign.instrument, Campaign.status, Campaign.opens_at)
    return {
        "announcements_written": await _listed(session, announcements.order_by(Announcement.id)),
        "seminars_organised": await _listed(
            session, seminars.where(Seminar.organiser_id == person_id).order_by(Seminar.id)
        ),
        "campaigns_launched": await _listed(
            session, campaigns.where(Campaign.author_id == person_id).order_by(Campaign.id)
        ),
    }


async def forget(session: AsyncSession, person_id: int, ctx: Context) -> None:
    """Delete the person and everything linked to them (the foreign keys' ON DELETE rules, as
    PERSONAL lists them, after mentoring's own leaving, their seats going to the waiting
    lists and their drafts going), in one transaction; on SQLite the write-ahead log is
    emptied so no copy stays there."""
    await mentoring.leave(session, person_id, ctx)
    await release_seats(session, person_id, ctx.now, ctx.catalogues)
    await _drop_drafts(session, person_id)
    await session.execute(  # the weeks their summary went: keyed by their id, not a reference
        delete(JobOccurrence).where(
            JobOccurrence.job == SUMMARY_JOB, JobOccurrence.target == str(person_id)
        )
    )
    await session.execute(delete(Person).where(Person.id == person_id))
    await session.commit()
    if not await checkpoint(session):  # a reader held the log: the next checkpoint clears it
        logger.warning("forget: the write-ahead log could not be emptied at once")


async def _drop_drafts(session: AsyncSession, person_id: int) -> None:
    """Only the author can open a draft: their unsent announcements (with files nothing else
    uses), draft seminars and draft campaigns go with them, not kept unreachable."""
    await drop_drafts(session, person_id)
    await session.execute(
        delete(Seminar)
        .where(Seminar.organiser_id == person_id, Seminar.status == SeminarStatus.DRAFT)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        delete(Campaign)
        .where(Campaign.author_id == person_id, Campaign.status == CampaignStatus.DRAFT)
        .execution_options(synchronize_session=False)
    )
