"""Scheduled monitoring with injected time: the nightly aggregation once per local day from
02:00, and the weekly summary at each methodist's local weekday and hour, once per ISO week:
late after downtime, once when two runs race, never when turned off. A summary's rows are
keyed by the ISO week it goes in (2026-W48 here); it tells of the week before (2026-W47)."""

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from core.models import (
    Attachment,
    Delivery,
    IndicatorRecord,
    JobOccurrence,
    Municipality,
    Person,
    PersonRole,
    PublishedCell,
    Role,
    School,
    SummarySetting,
)
from core.monitoring import store
from core.monitoring.catalogue import load_catalogue
from core.monitoring.jobs import aggregate_nightly, due_recipients
from core.monitoring.rules import Thresholds
from core.monitoring.weekly import Run, send
from core.scheduler import JobContext, tick
from core.texts import load_catalogues
from surveys.registry import load_all

Maker = async_sessionmaker[AsyncSession]
CONTEXT = JobContext(load_catalogues(), Settings(_env_file=None), load_all())
MOSCOW, VLADIVOSTOK = "Europe/Moscow", "Asia/Vladivostok"  # UTC+3 and UTC+10
# Monday 23 November 2026 (ISO week 2026-W48) at 09:00 local time
MOSCOW_NINE = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
VLADIVOSTOK_NINE = datetime(2026, 11, 22, 23, 0, tzinfo=UTC)  # seven hours earlier
MINUTE = timedelta(minutes=1)
LONG_AGO = datetime(2026, 9, 1, tzinfo=UTC)
PARTS = ["text", "chart", "book"]
CATALOGUE = load_catalogue()
PUBLISHING = (CONTEXT.catalogues, CONTEXT.instruments, Thresholds(5, 10))


@dataclass(frozen=True)
class Town:
    id: int
    methodists: list[int]  # person ids; their chats are 1000 + the person id


def _person(town: int, school: int | None, chat: int, role: Role, young: bool) -> Person:
    return Person(
        telegram_id=chat,
        municipality_id=town,
        school_id=school,
        full_name=f"Человек {chat}",
        started_year=2025 if young else 2000,
        birth_year=1970,
        language="ru",
        consent_at=LONG_AGO,
        registered_at=LONG_AGO,
        roles=[PersonRole(role=role)],
    )


async def _town(
    maker: Maker, name: str, zone: str, methodists: int = 1, teachers: int = 6
) -> Town:
    """A municipality with one school (no roster headcount), `teachers` registered teachers
    of whom the first two are young, and `methodists` methodists; all registered long ago."""
    async with maker() as session:
        town = Municipality(name=name, timezone=zone)
        session.add(town)
        await session.flush()
        school = School(municipality_id=town.id, name=f"Школа ({name})", teachers=0)
        session.add(school)
        await session.flush()
        base = 100 * town.id
        session.add_all(
            _person(town.id, school.id, base + i, Role.TEACHER, i < 2) for i in range(teachers)
        )
        staff = [
            _person(town.id, None, base + 50 + i, Role.METHODIST, False) for i in range(methodists)
        ]
        session.add_all(staff)
        await session.commit()
        return Town(town.id, [p.id for p in staff])


async def _tick(maker: Maker, at: datetime) -> None:
    await tick(maker, CONTEXT, at)


async def _summaries(maker: Maker) -> dict[int, list[str]]:
    """The summary rows queued, by person: their keys' last two parts (week and part)."""
    async with maker() as session:
        rows = await session.execute(
            select(Delivery.person_id, Delivery.key)
            .where(Delivery.key.like("wsum:%"))
            .order_by(Delivery.id)
        )
        found: dict[int, list[str]] = {}
        for person, key in rows:
            assert person is not None
            found.setdefault(person, []).append(key.split(":", 2)[2])
        return found


async def _text(maker: Maker, person: int, week: str) -> str:
    async with maker() as session:
        text = await session.scalar(
            select(Delivery.text).where(Delivery.key == f"wsum:{person}:{week}:text")
        )
        assert text is not None
        return text


def _week(label: str) -> list[str]:
    return [f"{label}:{part}" for part in PARTS]


async def test_the_summary_goes_at_nine_local_time_in_each_zone_once(maker: Maker) -> None:
    moscow = await _town(maker, "Москва", MOSCOW)
    east = await _town(maker, "Владивосток", VLADIVOSTOK)
    (west_methodist,), (east_methodist,) = moscow.methodists, east.methodists
    await _tick(maker, VLADIVOSTOK_NINE - MINUTE)  # 08:59 in Vladivostok
    assert await _summaries(maker) == {}
    await _tick(maker, VLADIVOSTOK_NINE)
    assert await _summaries(maker) == {east_methodist: _week("2026-W48")}
    await _tick(maker, VLADIVOSTOK_NINE + MINUTE)
    await _tick(maker, MOSCOW_NINE - MINUTE)  # 08:59 in Moscow, 15:59 in Vladivostok
    assert await _summaries(maker) == {east_methodist: _week("2026-W48")}
    await _tick(maker, MOSCOW_NINE)
    both = {east_methodist: _week("2026-W48"), west_methodist: _week("2026-W48")}
    assert await _summaries(maker) == both
    await _tick(maker, MOSCOW_NINE + MINUTE)
    await _tick(maker, MOSCOW_NINE + timedelta(days=6, hours=14, minutes=59))  # Sun 23:59
    assert await _summaries(maker) == both
    # six registered teachers, two of them young: 2 of 6 = 33 %
    text = await _text(maker, east_methodist, "2026-W48")
    assert "Неделя 2026-W47 · Владивосток" in text  # the last complete week, 16-22 November
    assert "Молодые педагоги: 33 %" in text
    assert "позже обычного" not in text


async def test_a_summary_missed_in_downtime_goes_once_late(maker: Maker) -> None:
    town = await _town(maker, "Москва", MOSCOW)
    (methodist,) = town.methodists
    await _tick(maker, MOSCOW_NINE - MINUTE)
    # the bot is down from Monday 08:59 until Wednesday 15:00
    back = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    await _tick(maker, back)
    assert await _summaries(maker) == {methodist: _week("2026-W48")}
    late = await _text(maker, methodist, "2026-W48")
    assert "Неделя 2026-W47" in late and "⏰ Сводка пришла позже обычного" in late
    await _tick(maker, back + MINUTE)
    await _tick(maker, back + timedelta(hours=5))
    assert await _summaries(maker) == {methodist: _week("2026-W48")}
    await _tick(maker, MOSCOW_NINE + timedelta(days=7))  # the next Monday, on time
    assert await _summaries(maker) == {methodist: _week("2026-W48") + _week("2026-W49")}
    on_time = await _text(maker, methodist, "2026-W49")
    assert "Неделя 2026-W48" in on_time and "позже обычного" not in on_time


async def test_two_runs_at_once_send_each_summary_once(
    maker: Maker, caplog: pytest.LogCaptureFixture
) -> None:
    town = await _town(maker, "Москва", MOSCOW, methodists=2)
    caplog.set_level(logging.ERROR)
    await asyncio.gather(_tick(maker, MOSCOW_NINE), _tick(maker, MOSCOW_NINE))
    assert await _summaries(maker) == {m: _week("2026-W48") for m in town.methodists}
    async with maker() as session:
        claims = await session.execute(select(JobOccurrence.job, JobOccurrence.target))
        assert sorted(tuple(row) for row in claims) == sorted(
            [("aggregate", str(town.id))] + [("weekly_summary", str(m)) for m in town.methodists]
        )
    failed = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert failed == []  # the key decided, no run failed


async def test_two_runs_that_both_found_a_summary_due_queue_it_once(maker: Maker) -> None:
    town = await _town(maker, "Москва", MOSCOW, methodists=2)
    assert await _aggregate(maker, MOSCOW_NINE) == 1
    async with maker() as first, maker() as second:
        runs = []
        for session in (first, second):  # both read the same due summaries before any claim
            due = await due_recipients(session, MOSCOW_NINE)
            await session.commit()
            runs.append(Run(town.id, tuple(due[town.id]), MOSCOW_NINE, CATALOGUE, *PUBLISHING))
        queued = await asyncio.gather(send(first, runs[0]), send(second, runs[1]))
    assert sorted(queued) == [0, 6]  # three rows for each of the two, by one of the runs
    assert await _summaries(maker) == {m: _week("2026-W48") for m in town.methodists}


async def test_the_methodists_own_day_and_hour_and_off(maker: Maker) -> None:
    town = await _town(maker, "Москва", MOSCOW, methodists=3)
    usual, off, wednesday = town.methodists
    async with maker() as session:
        session.add(SummarySetting(person_id=off, enabled=False, weekday=0, hour=9))
        session.add(SummarySetting(person_id=wednesday, enabled=True, weekday=2, hour=15))
        await session.commit()
    await _tick(maker, MOSCOW_NINE)
    assert await _summaries(maker) == {usual: _week("2026-W48")}
    wednesday_three = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # 15:00 in Moscow
    await _tick(maker, wednesday_three - MINUTE)
    assert set(await _summaries(maker)) == {usual}
    await _tick(maker, wednesday_three)
    await _tick(maker, datetime(2026, 11, 29, 20, 59, tzinfo=UTC))  # Sunday 23:59
    assert await _summaries(maker) == {usual: _week("2026-W48"), wednesday: _week("2026-W48")}


async def test_a_methodist_registered_after_the_hour_starts_next_week(maker: Maker) -> None:
    town = await _town(maker, "Москва", MOSCOW)
    (methodist,) = town.methodists
    async with maker() as session:
        person = await session.get(Person, methodist)
        assert person is not None
        person.registered_at = MOSCOW_NINE + timedelta(hours=1)  # Monday 10:00
        await session.commit()
    await _tick(maker, MOSCOW_NINE + timedelta(hours=2))
    assert await _summaries(maker) == {}
    await _tick(maker, MOSCOW_NINE + timedelta(days=7))
    assert await _summaries(maker) == {methodist: _week("2026-W49")}


async def test_each_methodist_reads_the_same_publication_in_their_language(
    maker: Maker,
) -> None:
    town = await _town(maker, "Москва", MOSCOW, methodists=2)
    russian, english = town.methodists
    async with maker() as session:
        person = await session.get(Person, english)
        assert person is not None
        person.language = "en"
        await session.commit()
    await _tick(maker, MOSCOW_NINE)
    assert "Молодые педагоги: 33 %" in await _text(maker, russian, "2026-W48")
    text = await _text(maker, english, "2026-W48")
    assert "Week 2026-W47 · Москва" in text and "Young teachers: 33 %" in text
    async with maker() as session:
        files = await session.execute(
            select(Delivery.person_id, Attachment.kind, Attachment.filename)
            .join(Attachment, Attachment.id == Delivery.attachment_id)
            .order_by(Delivery.id)
        )
        names = [(person, kind, name) for person, kind, name in files]
        published = await session.scalar(select(func.count()).select_from(PublishedCell))
        r = IndicatorRecord
        cells = await session.scalar(  # not the week under way; earlier weeks: the town only
            select(func.count())
            .select_from(r)
            .where(
                r.period_start != date(2026, 11, 23),
                (r.scope_type == "municipality")
                | (r.period_kind != "week")
                | (r.period_start == date(2026, 11, 16)),  # W47, the week reported
            )
        )
    assert [(p, k) for p, k, _ in names] == [
        (russian, "photo"), (russian, "document"), (english, "photo"), (english, "document")
    ]  # fmt: skip
    assert {n for _, _, n in names} == {"pedpulse-2026-W47.png", "pedpulse-2026-W47.xlsx"}
    assert published == cells  # one publication of the cells shown, remembered once


async def test_a_municipality_without_teachers_gets_a_short_note(maker: Maker) -> None:
    town = await _town(maker, "Пустой район", MOSCOW, teachers=0)
    (methodist,) = town.methodists
    await _tick(maker, MOSCOW_NINE)
    assert await _summaries(maker) == {methodist: ["2026-W48:note"]}
    async with maker() as session:
        note = await session.scalar(select(Delivery.text).where(Delivery.person_id == methodist))
        attachments = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.attachment_id.is_not(None))
        )
    assert note is not None and "Неделя 2026-W47 · Пустой район" in note
    assert "К концу этой недели в муниципалитете не было зарегистрированных педагогов" in note
    assert attachments == 0


async def _aggregated(maker: Maker) -> set[tuple[str, str]]:
    async with maker() as session:
        rows = await session.execute(
            select(JobOccurrence.target, JobOccurrence.period).where(
                JobOccurrence.job == "aggregate"
            )
        )
        return {(target, period) for target, period in rows}


async def _aggregate(maker: Maker, at: datetime) -> int:
    async with maker() as session:
        return await aggregate_nightly(session, at)


async def test_nightly_aggregation_once_per_local_day_from_two(maker: Maker) -> None:
    west = str((await _town(maker, "Москва", MOSCOW)).id)
    east = str((await _town(maker, "Владивосток", VLADIVOSTOK)).id)
    steps = [
        # Sunday 18:59 in Moscow: its Sunday is due; Monday 01:59 in Vladivostok: not yet
        (datetime(2026, 11, 22, 15, 59, tzinfo=UTC), 1, {(west, "2026-11-22")}),
        # 02:00 in Vladivostok
        (datetime(2026, 11, 22, 16, 0, tzinfo=UTC), 1, {(east, "2026-11-23")}),
        (datetime(2026, 11, 22, 20, 59, tzinfo=UTC), 0, set()),  # 23:59 in Moscow
        (datetime(2026, 11, 22, 22, 59, tzinfo=UTC), 0, set()),  # 01:59 in Moscow
        (datetime(2026, 11, 22, 23, 0, tzinfo=UTC), 1, {(west, "2026-11-23")}),  # 02:00
        (datetime(2026, 11, 23, 15, 59, tzinfo=UTC), 0, set()),  # 01:59 in Vladivostok
        (datetime(2026, 11, 23, 16, 0, tzinfo=UTC), 1, {(east, "2026-11-24")}),
    ]
    done: set[tuple[str, str]] = set()
    for at, count, new in steps:
        assert await _aggregate(maker, at) == count, at
        done |= new
        assert await _aggregated(maker) == done, at
    async with maker() as session:
        last = await session.scalar(
            select(func.max(IndicatorRecord.computed_at)).where(
                IndicatorRecord.municipality_id == int(east)
            )
        )
    assert last is not None and last.replace(tzinfo=UTC) == steps[-1][0]


async def test_a_failing_municipality_is_logged_by_id_and_the_others_go_on(
    maker: Maker, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    broken = (await _town(maker, "Сломанный район", MOSCOW)).id
    working = (await _town(maker, "Москва", MOSCOW)).id
    real = store.aggregate

    async def flaky(session: AsyncSession, catalogue: Any, town: int, *args: Any) -> int:
        if town == broken:
            raise RuntimeError("the computation failed")
        return await real(session, catalogue, town, *args)

    monkeypatch.setattr(store, "aggregate", flaky)
    caplog.set_level(logging.ERROR)
    assert await _aggregate(maker, MOSCOW_NINE) == 1
    assert await _aggregated(maker) == {(str(working), "2026-11-23")}  # the claim rolled back
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert f"municipality {broken} failed" in record.getMessage()
    assert "Сломанный" not in record.getMessage() and record.exc_info is not None
    monkeypatch.setattr(store, "aggregate", real)
    assert await _aggregate(maker, MOSCOW_NINE + MINUTE) == 1  # tried again on the next tick
    assert (str(broken), "2026-11-23") in await _aggregated(maker)


@pytest.fixture
def maker(sessionmaker: Maker) -> Maker:
    return sessionmaker
