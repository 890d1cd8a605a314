"""A person's rights over their data (152-ФЗ): see everything stored, and delete it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Person
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
    }
    return DataExport(view, as_utc(person.consent_at), record)


async def forget(session: AsyncSession, person_id: int) -> None:
    """Delete the person and everything linked to them; aggregates keep no identity."""
    await session.execute(delete(Person).where(Person.id == person_id))
    await session.commit()
