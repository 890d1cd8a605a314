"""The facts of the indicators read from the database (core.monitoring.facts describes them).

Confidential answers carry their person's profile as it is today; anonymous answers only the
demographics they kept at release (school, subjects, young), never a person: they count in
aggregates and can be linked to nobody. One query per kind of fact, whole columns at once.
"""

from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Executable, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.collector import collector_spared
from core.models import (
    Campaign,
    CampaignMember,
    Mentorship,
    Municipality,
    Person,
    PersonRole,
    PersonSubject,
    Registration,
    RegistrationStatus,
    School,
    SchoolSubject,
    Seminar,
    SeminarStatus,
)
from core.monitoring.facts import Facts
from core.monitoring.loading_answers import DEFICITS, answers_facts, rows
from core.monitoring.loading_answers import frame as _frame
from core.validation import is_young

EVENT = "seminar"  # every published seminar is one event of the events_count indicator


async def _rows(session: AsyncSession, query: Executable) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in await rows(session, query)]


async def load_facts(session: AsyncSession, now: datetime, municipality_id: int | None) -> Facts:
    """Every fact of one municipality (or of all when None), as of `now`."""
    with collector_spared():  # a burst of rows that all live until the frames are made
        return await _load(session, now, municipality_id)


async def _load(session: AsyncSession, now: datetime, municipality_id: int | None) -> Facts:
    towns = [Municipality.id == municipality_id] if municipality_id is not None else []
    people = await _people(session, now.year, municipality_id)
    responses, bands, feedback = await answers_facts(session, people, municipality_id)
    person_ids = set(people["person_id"])
    return Facts(
        municipalities=_frame(
            "municipalities",
            await _rows(session, select(Municipality.id, Municipality.timezone).where(*towns)),
        ),
        schools=await _schools(session, municipality_id),
        school_subjects=await _school_subjects(session, municipality_id),
        people=people,
        responses=responses,
        deficit_bands=bands,
        routes=_routes(responses),
        seminars=await _seminars(session, municipality_id),
        attendance=await _attendance(session, person_ids, municipality_id),
        feedback=feedback,
        mentoring=await _mentoring(session, municipality_id),
        campaigns=await _campaigns(session, municipality_id),
    )


def _where(column: Any, municipality_id: int | None) -> list[Any]:
    return [column == municipality_id] if municipality_id is not None else []


async def _schools(session: AsyncSession, municipality_id: int | None) -> pd.DataFrame:
    query = select(School.id, School.municipality_id, School.teachers).where(
        *_where(School.municipality_id, municipality_id)
    )
    return _frame("schools", await _rows(session, query))


async def _school_subjects(session: AsyncSession, municipality_id: int | None) -> pd.DataFrame:
    query = (
        select(SchoolSubject.school_id, SchoolSubject.subject_id, SchoolSubject.teachers)
        .join(School, School.id == SchoolSubject.school_id)
        .where(*_where(School.municipality_id, municipality_id))
    )
    return _frame("school_subjects", await _rows(session, query))


async def _people(
    session: AsyncSession, this_year: int, municipality_id: int | None
) -> pd.DataFrame:
    where = _where(Person.municipality_id, municipality_id)
    found = await _rows(
        session,
        select(
            Person.id,
            Person.municipality_id,
            Person.school_id,
            Person.started_year,
            Person.birth_year,
            Person.registered_at,
            Person.community_member,
        ).where(*where),
    )
    roles = await _lists(
        session, select(PersonRole.person_id, PersonRole.role).join(Person).where(*where)
    )
    subjects = await _lists(
        session,
        select(PersonSubject.person_id, PersonSubject.subject_id).join(Person).where(*where),
    )
    return _frame(
        "people",
        [
            (
                pid,
                town,
                school,
                subjects.get(pid, []),
                is_young(started, birth, this_year),
                registered,
                roles.get(pid, []),
                bool(community),
            )
            for pid, town, school, started, birth, registered, community in found
        ],
    )


async def _lists(session: AsyncSession, query: Executable) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for key, value in await _rows(session, query):
        found.setdefault(key, []).append(value)
    return found


def _routes(responses: pd.DataFrame) -> pd.DataFrame:
    """A personal route is built by each confidential self-assessment (shown right after it)."""
    own = responses[(responses["instrument"] == DEFICITS) & responses["person_id"].notna()]
    return _frame(
        "routes",
        [(int(p), at) for p, at in zip(own["person_id"], own["completed_at"], strict=True)],
    )


async def _seminars(session: AsyncSession, municipality_id: int | None) -> pd.DataFrame:
    query = select(Seminar.id, Seminar.municipality_id, Seminar.starts_at).where(
        Seminar.status == SeminarStatus.PUBLISHED,
        Seminar.starts_at.is_not(None),
        *_where(Seminar.municipality_id, municipality_id),
    )
    found = await _rows(session, query)
    return _frame("seminars", [(sid, town, EVENT, starts) for sid, town, starts in found])


async def _attendance(
    session: AsyncSession, people: set[int], municipality_id: int | None
) -> pd.DataFrame:
    query = (
        select(Registration.seminar_id, Registration.person_id, Registration.attended)
        .join(Seminar, Seminar.id == Registration.seminar_id)
        .where(
            Registration.status != RegistrationStatus.CANCELLED,
            *_where(Seminar.municipality_id, municipality_id),
        )
    )
    return _frame("attendance", [r for r in await _rows(session, query) if r[1] in people])


async def _mentoring(session: AsyncSession, municipality_id: int | None) -> pd.DataFrame:
    query = select(
        Mentorship.mentor_id, Mentorship.mentee_id, Mentorship.started_at, Mentorship.ended_at
    ).where(*_where(Mentorship.municipality_id, municipality_id))
    return _frame("mentoring", await _rows(session, query))


async def _campaigns(session: AsyncSession, municipality_id: int | None) -> pd.DataFrame:
    """Per campaign and school: who was invited and who completed."""
    query = (
        select(
            Campaign.id,
            Campaign.municipality_id,
            CampaignMember.school_id,
            Campaign.closes_at,
            func.count(CampaignMember.id),
            func.count(CampaignMember.completed_on),
        )
        .join(CampaignMember, CampaignMember.campaign_id == Campaign.id)
        .where(Campaign.opened_at.is_not(None), *_where(Campaign.municipality_id, municipality_id))
        .group_by(
            Campaign.id, Campaign.municipality_id, CampaignMember.school_id, Campaign.closes_at
        )
    )
    return _frame("campaigns", await _rows(session, query))
