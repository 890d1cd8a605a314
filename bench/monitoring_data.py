"""The region of the monitoring benchmark: municipalities in five time zones, schools with
roster headcounts, teachers (a fifth young), mentors and pairs; bulk INSERTs of a few
thousand rows each, in the caller's transaction. Seminars and campaigns are written by
monitoring_events.py, the answers by monitoring_answers.py, from the Region decided here."""

import itertools
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from core.models import (
    Base,
    MentorProfile,
    Mentorship,
    MentorshipRequest,
    Municipality,
    Person,
    PersonRole,
    PersonSubject,
    Role,
    School,
    SchoolSubject,
    Subject,
    SupportRequest,
)

NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)  # a Friday in the school year 2026/27
YEAR = datetime(2026, 9, 1, 6, tzinfo=UTC)
TOWNS = (
    ("Светлогорский округ", "Europe/Kaliningrad"),
    ("Ржевский округ", "Europe/Moscow"),
    ("Новотроицк", "Asia/Yekaterinburg"),
    ("Бердск", "Asia/Novosibirsk"),
    ("Находка", "Asia/Vladivostok"),
)
SUBJECTS = {  # name: weight among teachers
    "Начальные классы": 5.0, "Русский язык и литература": 4.0, "Математика": 4.0,
    "Английский язык": 3.0, "История и обществознание": 2.0, "Физика": 1.5, "Химия": 1.0,
    "Биология": 1.0, "География": 1.0, "Информатика": 1.0, "Физическая культура": 2.0,
    "Музыка и ИЗО": 1.0, "Технология": 1.0,
}  # fmt: skip
TEACHERS_PER_SCHOOL = 125
CHUNK = 5_000
Row = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Teacher:
    id: int
    town: int
    school: int
    subjects: tuple[int, ...]
    young: bool
    registered_at: datetime | None


@dataclass(frozen=True)
class Done:
    """A campaign member who completed: what, when, and whether the campaign is anonymous."""

    campaign: int
    instrument: str
    anonymous: bool
    at: datetime
    teacher: Teacher


@dataclass
class Region:
    """What the answers are made from: who teaches where, who came, who completed."""

    rng: random.Random
    towns: list[int] = field(default_factory=list)
    teachers: list[Teacher] = field(default_factory=list)
    methodists: dict[int, int] = field(default_factory=dict)  # town: its first methodist
    attended: list[tuple[int, datetime, Teacher]] = field(default_factory=list)
    completed: list[Done] = field(default_factory=list)


def chunks(rows: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


async def put(conn: AsyncConnection, model: type[Base], rows: Iterable[Row]) -> int:
    """Insert the rows, CHUNK per executemany; the count written."""
    count = 0
    for chunk in chunks(rows):
        await conn.execute(insert(model), chunk)
        count += len(chunk)
    return count


async def put_ids(conn: AsyncConnection, model: type[Base], rows: list[Row]) -> list[int]:
    """Insert the rows; their new ids in the order of `rows`."""
    statement = insert(model).returning(model.__table__.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for chunk in chunks(rows):
        ids += (await conn.execute(statement, chunk)).scalars().all()
    return ids


def moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()


async def generate(conn: AsyncConnection, teachers: int, seed: int) -> Region:
    """Write the region; the teachers' plan and the answers still to write."""
    region = Region(random.Random(seed))
    region.towns = await put_ids(
        conn, Municipality, [{"name": n, "timezone": z} for n, z in TOWNS]
    )
    subjects = await put_ids(conn, Subject, [{"name": name} for name in SUBJECTS])
    schools = max(len(TOWNS), round(teachers / TEACHERS_PER_SCHOOL))
    plan = _plan(region.rng, teachers, schools, subjects)
    school_ids = await _schools(conn, region, plan, schools)
    rows = [_person(n, d, school_ids, region.towns) for n, d in enumerate(plan)]
    people = await put_ids(conn, Person, rows)
    region.teachers = [
        Teacher(pid, row["municipality_id"], row["school_id"], d.subjects, d.young, d.registered)
        for pid, row, d in zip(people, rows, plan, strict=True)
    ]
    mentors = await _roles(conn, region)
    region.methodists = await _methodists(conn, region.towns, teachers)
    await _mentoring(conn, region, mentors)
    return region


@dataclass(frozen=True)
class Draft:
    """A teacher before the insert: a school by index, the profile they gave."""

    school: int
    subjects: tuple[int, ...]
    young: bool
    registered: datetime | None
    started: int
    born: int
    community: bool | None


def _plan(rng: random.Random, teachers: int, schools: int, subjects: list[int]) -> list[Draft]:
    sizes = [rng.uniform(0.3, 1.7) for _ in range(schools)]  # small rural to large town schools
    places = rng.choices(range(schools), weights=sizes, k=teachers)
    return [_draft(rng, school, subjects) for school in places]


def _draft(rng: random.Random, school: int, subjects: list[int]) -> Draft:
    taught = rng.choices(subjects, weights=list(SUBJECTS.values()), k=2)
    young = rng.random() < 0.2
    luck = rng.random()
    registered = (
        None  # consented, never finished the profile
        if luck < 0.02
        else moment(rng, YEAR, NOW)
        if luck < 0.1
        else moment(rng, YEAR - timedelta(days=365), YEAR)
    )
    return Draft(
        school,
        tuple(sorted(set(taught if rng.random() < 0.25 else taught[:1]))),
        young,
        registered,
        rng.randint(2024, 2026) if young else rng.randint(1985, 2021),
        rng.randint(1993, 2003) if young else rng.randint(1960, 1990),
        rng.choice((True, True, False, None)),
    )


def _person(number: int, d: Draft, school_ids: list[int], towns: list[int]) -> Row:
    return {
        "telegram_id": 10_000_000 + number, "municipality_id": towns[d.school % len(towns)],
        "school_id": school_ids[d.school], "full_name": f"Педагог {number}",
        "started_year": d.started, "birth_year": d.born, "community_member": d.community,
        "language": "ru", "consent_at": d.registered or NOW, "registered_at": d.registered,
    }  # fmt: skip


async def _schools(
    conn: AsyncConnection, region: Region, plan: list[Draft], schools: int
) -> list[int]:
    """Schools with roster headcounts a little above the registered teachers (a tenth have no
    roster), and headcounts per subject where there is one."""
    rng, towns = region.rng, region.towns
    registered = Counter(d.school for d in plan if d.registered)
    rosters = [0 if rng.random() < 0.1 else round(registered[s] * rng.uniform(1.02, 1.25))
               for s in range(schools)]  # fmt: skip
    rows = [
        {"municipality_id": towns[s % len(towns)], "name": f"Школа № {s // len(towns) + 1}",
         "teachers": rosters[s]}
        for s in range(schools)
    ]  # fmt: skip
    ids = await put_ids(conn, School, rows)
    pairs = Counter((d.school, subject) for d in plan if d.registered for subject in d.subjects)
    await put(conn, SchoolSubject, (
        {"school_id": ids[s], "subject_id": subject,
         "teachers": round(count * rng.uniform(1.0, 1.3))}
        for (s, subject), count in sorted(pairs.items()) if rosters[s]
    ))  # fmt: skip
    return ids


async def _roles(conn: AsyncConnection, region: Region) -> list[Teacher]:
    """Every teacher teaches; about 6 % of the experienced registered ones also mentor."""
    rng = region.rng
    mentors = [
        t for t in region.teachers if not t.young and t.registered_at and rng.random() < 0.06
    ]
    roles = [{"person_id": t.id, "role": Role.TEACHER.value} for t in region.teachers]
    await put(conn, PersonRole, roles + [{"person_id": t.id, "role": "mentor"} for t in mentors])
    subjects = ({"person_id": t.id, "subject_id": s} for t in region.teachers for s in t.subjects)
    await put(conn, PersonSubject, subjects)
    return mentors


async def _methodists(conn: AsyncConnection, towns: list[int], teachers: int) -> dict[int, int]:
    """Four methodists per municipality (not teachers); the first of each by town."""
    rows = [
        {"telegram_id": 20_000_000 + teachers + n, "municipality_id": town,
         "full_name": f"Методист {n}", "language": "ru", "consent_at": YEAR, "registered_at": YEAR}
        for n, town in enumerate(towns * 4)
    ]  # fmt: skip
    ids = await put_ids(conn, Person, rows)
    await put(conn, PersonRole, ({"person_id": i, "role": Role.METHODIST.value} for i in ids))
    return dict(zip(towns, ids[: len(towns)], strict=True))


async def _mentoring(conn: AsyncConnection, region: Region, mentors: list[Teacher]) -> None:
    """Each mentor guides one or two young teachers of the town; a tenth of pairs have ended.
    A few requests wait over three days and a few support requests wait: the alerts."""
    rng = region.rng
    young = {town: [t for t in region.teachers if t.town == town and t.young and t.registered_at]
             for town in region.towns}  # fmt: skip
    pairs = [
        (mentor, young[mentor.town].pop())
        for mentor in mentors
        for _ in range(rng.choice((1, 1, 2)))
        if young[mentor.town]
    ]
    profile = {"areas": ["method", "upbringing"], "capacity": 2,
               "volunteered_at": YEAR - timedelta(days=30), "confirmed_at": YEAR}  # fmt: skip
    await put(conn, MentorProfile, ({"person_id": m.id} | profile for m in mentors))
    await put(conn, Mentorship, (_pair(rng, mentor, mentee) for mentor, mentee in pairs))
    waiting = [pool.pop() for pool in young.values() for _ in range(min(5, len(pool)))]
    await put(conn, MentorshipRequest, (
        {"mentee_id": t.id, "municipality_id": t.town, "areas": ["method"], "status": "waiting",
         "created_at": NOW - timedelta(days=6), "submitted_at": NOW - timedelta(days=5)}
        for t in waiting
    ))  # fmt: skip
    asking = region.teachers[:: max(1, len(region.teachers) // 15)]
    await put(conn, SupportRequest, (
        {"person_id": t.id, "municipality_id": t.town, "created_at": NOW - timedelta(days=2)}
        for t in asking
    ))  # fmt: skip


def _pair(rng: random.Random, mentor: Teacher, mentee: Teacher) -> Row:
    started = moment(rng, YEAR - timedelta(days=200), NOW - timedelta(days=1))
    ended = moment(rng, started, NOW) if rng.random() < 0.1 else None
    return {
        "municipality_id": mentor.town, "mentor_id": mentor.id, "mentee_id": mentee.id,
        "mode": "bot", "started_at": started, "ends_on": date(2027, 5, 31), "ended_at": ended,
        "end_reason": "goals_met" if ended else None,
        "last_activity_at": ended or NOW - timedelta(days=3),
    }  # fmt: skip
