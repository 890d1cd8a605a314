"""Seminars with registrations and questionnaire campaigns with members, for the monitoring
benchmark's region; who attended and who completed is kept for the answers."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from monitoring_data import NOW, YEAR, Done, Region, Row, Teacher, moment, put, put_ids
from sqlalchemy.ext.asyncio import AsyncConnection

from core.models import Campaign, CampaignMember, Registration, Seminar

SEMINAR_WEEKS, SEMINARS_PER_WEEK = 16, 5  # from 1 September, some still to come at NOW


@dataclass(frozen=True)
class Plan:
    """A campaign in every municipality; anonymous ones only in every second municipality."""

    instrument: str
    opens: datetime
    closes: datetime
    completing: float
    anonymous: bool


CAMPAIGNS = (
    Plan("deficits", datetime(2026, 9, 7, 4, tzinfo=UTC), datetime(2026, 10, 9, 16, tzinfo=UTC),
         0.85, False),
    Plan("cbi", datetime(2026, 9, 14, 4, tzinfo=UTC), datetime(2026, 9, 30, 16, tzinfo=UTC),
         0.75, False),
    Plan("cbi", datetime(2026, 11, 9, 4, tzinfo=UTC), datetime(2026, 11, 27, 16, tzinfo=UTC),
         0.3, True),
)  # fmt: skip


async def events(conn: AsyncConnection, region: Region) -> None:
    """Write the seminars and campaigns of every municipality."""
    await _seminars(conn, region)
    await _campaigns(conn, region)


def _registered(region: Region, town: int, by: datetime) -> list[Teacher]:
    return [
        t
        for t in region.teachers
        if t.town == town and t.registered_at is not None and t.registered_at <= by
    ]


async def _seminars(conn: AsyncConnection, region: Region) -> None:
    """Five a week per municipality; a twentieth cancelled and as many drafts; 30-60 people
    register for each published one and four in five of those registered come."""
    rng = region.rng
    rows = [
        _seminar(rng, town, region.methodists[town], week)
        for town in region.towns
        for week in range(SEMINAR_WEEKS)
        for _ in range(SEMINARS_PER_WEEK)
    ]
    ids = await put_ids(conn, Seminar, rows)
    people = {town: _registered(region, town, NOW) for town in region.towns}
    registrations = [
        _registration(region, seminar, row["starts_at"], teacher)
        for seminar, row in zip(ids, rows, strict=True)
        if row["status"] == "published"
        for teacher in rng.sample(people[row["municipality_id"]], rng.randint(30, 60))
    ]
    await put(conn, Registration, registrations)


def _seminar(rng: random.Random, town: int, organiser: int, week: int) -> Row:
    starts = YEAR + timedelta(days=7 * week + rng.randrange(5), hours=rng.choice((2, 5, 8)))
    status = rng.choices(("published", "cancelled", "draft"), weights=(18, 1, 1))[0]
    held = status == "published" and starts < NOW
    return {
        "municipality_id": town, "organiser_id": organiser, "title": f"Семинар {week}",
        "starts_at": starts, "duration_minutes": 90, "format": "in_person", "capacity": 60,
        "tags": ["method"], "status": status, "created_at": starts - timedelta(days=20),
        "published_at": starts - timedelta(days=14) if status == "published" else None,
        "finished_at": starts + timedelta(minutes=90) if held else None,
    }  # fmt: skip


def _registration(region: Region, seminar: int, starts: datetime, teacher: Teacher) -> Row:
    rng = region.rng
    status = rng.choices(("registered", "waitlist", "cancelled"), weights=(88, 6, 6))[0]
    attended = status == "registered" and starts < NOW and rng.random() < 0.8
    if attended:
        region.attended.append((seminar, starts, teacher))
    return {
        "seminar_id": seminar, "person_id": teacher.id, "status": status, "attended": attended,
        "created_at": starts - timedelta(days=rng.randint(1, 14)),
    }  # fmt: skip


async def _campaigns(conn: AsyncConnection, region: Region) -> None:
    """Every plan in every municipality, its audience the teachers registered at the opening."""
    plans = [(town, n % 2 == 1, plan) for n, town in enumerate(region.towns) for plan in CAMPAIGNS]
    rows = [_campaign(town, region.methodists[town], plan, odd) for town, odd, plan in plans]
    ids = await put_ids(conn, Campaign, rows)
    for campaign, (town, _, plan), row in zip(ids, plans, rows, strict=True):
        audience = _registered(region, town, plan.opens)
        members = [_member(region, campaign, plan, row["anonymous"], t) for t in audience]
        await put(conn, CampaignMember, members)


def _campaign(town: int, author: int, plan: Plan, odd: bool) -> Row:
    closed = plan.closes < NOW
    return {
        "municipality_id": town, "author_id": author, "instrument": plan.instrument,
        "version": 1, "opens_at": plan.opens, "closes_at": plan.closes,
        "reminder_days": [3, 1], "reminded": [3, 1] if closed else [],
        "anonymous": plan.anonymous and odd, "status": "closed" if closed else "open",
        "created_at": plan.opens - timedelta(days=7), "opened_at": plan.opens,
        "closed_at": plan.closes if closed else None,
    }  # fmt: skip


def _member(region: Region, campaign: int, plan: Plan, anonymous: bool, who: Teacher) -> Row:
    row: Row = {"campaign_id": campaign, "person_id": who.id, "school_id": who.school}
    if region.rng.random() >= plan.completing:
        return row | {"completed_on": None}
    at = moment(region.rng, plan.opens, min(plan.closes, NOW))
    region.completed.append(Done(campaign, plan.instrument, anonymous, at, who))
    return row | {"completed_on": at.replace(hour=0, minute=0, second=0, microsecond=0)}
