"""A person's rights over their data (152-ФЗ): see everything stored, and delete it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import (
    Answer,
    Campaign,
    CampaignMember,
    Completion,
    Person,
    Registration,
    Response,
    Seminar,
    SupportRequest,
)
from core.people import ProfileView, load_person, profile
from core.timeutil import as_utc


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
        "language": view.language,
        "roles": [str(role) for role in view.roles],
        "young_teacher": view.young,
        "consent_given_at": as_utc(person.consent_at).isoformat(),
        "registered_at": as_utc(person.registered_at).isoformat()
        if person.registered_at
        else None,
        "active": person.active,
        **await _activity(session, person_id),
    }
    return DataExport(view, as_utc(person.consent_at), record)


def _time(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value else None


async def _activity(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """Questionnaires with their answers, campaign and anonymous participation, seminars and
    support requests. Anonymous answers carry no link to the person, so they cannot be here."""
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
        "questionnaires": [
            {
                "instrument": r.instrument,
                "version": r.version,
                "status": r.status,
                "campaign_id": r.campaign_id,
                "seminar_id": r.seminar_id,
                "started_at": _time(r.started_at),
                "completed_at": _time(r.completed_at),
                "scores": r.scores,
                "answers": answers.get(r.id, {}),
            }
            for r in responses
        ],
        "campaigns": [
            {"campaign_id": i, "instrument": key, "completed_on": _time(day)}
            for i, key, day in campaigns
        ],
        "anonymous_questionnaires_completed": [
            {"instrument": key, "completed_on": _time(day)} for key, day in completions
        ],
        "seminars": [
            {"title": title, "starts_at": _time(start), "status": status, "attended": attended}
            for title, start, status, attended in seminars
        ],
        "support_requests": [
            {"created_at": _time(created), "handled_at": _time(handled)}
            for created, handled in requests
        ],
    }


async def forget(session: AsyncSession, person_id: int) -> None:
    """Delete the person and everything linked to them; aggregates keep no identity."""
    await session.execute(delete(Person).where(Person.id == person_id))
    await session.commit()
