"""A person's rights over their data (152-ФЗ): see everything stored, and delete it.

PERSONAL lists every column that refers to a person, with what /mydata shows of it and what
/forget does (the foreign key's ON DELETE rule does it): a test checks the list against the
models, so a new table that refers to people cannot be forgotten by either.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import checkpoint
from core.forms import Context
from core.mentoring import personal as mentoring
from core.models import (
    Announcement,
    Answer,
    Broadcast,
    Campaign,
    CampaignMember,
    Completion,
    Delivery,
    JobOccurrence,
    Person,
    Registration,
    Response,
    Seminar,
    SummarySetting,
    SupportRequest,
)
from core.monitoring.schedule import SUMMARY_JOB
from core.people.viewer import ProfileView, load_person, profile
from core.timeutil import as_utc

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
        "registered_at": _time(person.registered_at),
        "active": person.active,
        **await _answers(session, person_id),
        **await _participation(session, person_id),
        **await _notifications(session, person_id),
        **await _authored(session, person_id),
        **await mentoring.record(session, person_id),
        "weekly_summary_settings": await _summary_setting(session, person_id),
    }
    return DataExport(view, as_utc(person.consent_at), record)


async def _summary_setting(session: AsyncSession, person_id: int) -> dict[str, Any] | None:
    found = await session.get(SummarySetting, person_id)
    if found is None:
        return None
    return {"enabled": found.enabled, "weekday": found.weekday, "hour": found.hour}


def _time(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value else None


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
                "started_at": _time(r.started_at),
                "completed_at": _time(r.completed_at),
                "scores": r.scores,
                "answers": answers.get(r.id, {}),
            }
            for r in responses
        ]
    }


async def _participation(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """Campaigns I was invited to, anonymous questionnaires I took (the day), seminars and
    support requests."""
    campaigns = await session.execute(
        select(Campaign.id, Campaign.instrument, CampaignMember.completed_on)
        .join(CampaignMember, CampaignMember.campaign_id == Campaign.id)
        .where(CampaignMember.person_id == person_id)
        .order_by(Campaign.id)
    )
    completions = await session.execute(
        select(Completion.instrument, Completion.completed_on)
        .where(Completion.person_id == person_id)
        .order_by(Completion.id)
    )
    return {
        "campaigns": [
            {"campaign_id": i, "instrument": key, "completed_on": _time(day)}
            for i, key, day in campaigns
        ],
        "anonymous_questionnaires_completed": [
            {"instrument": key, "completed_on": _time(day)} for key, day in completions
        ],
        **await _seminars_and_requests(session, person_id),
    }


async def _seminars_and_requests(session: AsyncSession, person_id: int) -> dict[str, Any]:
    seminars = await session.execute(
        select(Seminar.title, Seminar.starts_at, Registration.status, Registration.attended)
        .join(Registration, Registration.seminar_id == Seminar.id)
        .where(Registration.person_id == person_id)
        .order_by(Seminar.starts_at)
    )
    requests = await session.execute(
        select(SupportRequest.created_at, SupportRequest.handled_at)
        .where(SupportRequest.person_id == person_id)
        .order_by(SupportRequest.id)
    )
    return {
        "seminars": [
            {"title": title, "starts_at": _time(start), "status": status, "attended": attended}
            for title, start, status, attended in seminars
        ],
        "support_requests": [
            {"created_at": _time(created), "handled_at": _time(handled)}
            for created, handled in requests
        ],
    }


async def _notifications(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """Messages queued or sent to me, sent to others about me, and launched by me."""

    async def rows(*where: Any) -> list[dict[str, Any]]:
        found = await session.execute(
            select(Delivery.created_at, Delivery.status, Delivery.text)
            .where(*where)
            .order_by(Delivery.id)
        )
        return [
            {"created_at": _time(created), "status": status, "text": text}
            for created, status, text in found
        ]

    launched = await session.scalars(
        select(Broadcast.created_at).where(Broadcast.person_id == person_id)
    )
    return {
        "notifications": await rows(Delivery.person_id == person_id),
        "notifications_about_me": [
            {"created_at": row["created_at"], "status": row["status"]}
            for row in await rows(Delivery.about_id == person_id)
        ],
        "notifications_launched": [_time(created) for created in launched],
    }


async def _authored(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """Announcements, seminars and campaigns I made (they stay, without me, after /forget)."""
    announcements = await session.execute(
        select(Announcement.created_at, Announcement.text).where(
            Announcement.author_id == person_id
        )
    )
    seminars = await session.execute(
        select(Seminar.title, Seminar.starts_at).where(Seminar.organiser_id == person_id)
    )
    campaigns = await session.execute(
        select(Campaign.instrument, Campaign.opens_at).where(Campaign.author_id == person_id)
    )
    return {
        "announcements_written": [
            {"created_at": _time(at), "text": text} for at, text in announcements
        ],
        "seminars_organised": [{"title": title, "starts_at": _time(at)} for title, at in seminars],
        "campaigns_launched": [
            {"instrument": key, "opens_at": _time(at)} for key, at in campaigns
        ],
    }


async def forget(session: AsyncSession, person_id: int, ctx: Context) -> None:
    """Delete the person and everything linked to them (the foreign keys' ON DELETE rules, as
    PERSONAL lists them, after mentoring's own leaving); on SQLite the write-ahead log is
    emptied so no copy stays there."""
    await mentoring.leave(session, person_id, ctx)
    await session.execute(  # the weeks their summary went: keyed by their id, not a reference
        delete(JobOccurrence).where(
            JobOccurrence.job == SUMMARY_JOB, JobOccurrence.target == str(person_id)
        )
    )
    await session.execute(delete(Person).where(Person.id == person_id))
    await session.commit()
    if not await checkpoint(session):  # a reader held the log: the next checkpoint clears it
        logger.warning("forget: the write-ahead log could not be emptied at once")
