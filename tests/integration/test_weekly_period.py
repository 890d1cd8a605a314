"""The weekly summary tells of the last complete ISO week, counted whole: answers given on the
Monday morning before the summary wait for next week's, the Sunday evening's count; the month
it shows is the one that week ends in, counted to its last day; a week before any teacher
registered, or never aggregated, gets a short note instead of an empty chart.

Moscow is UTC+3; 23 November 2026 is the Monday of 2026-W48, 1 February 2027 of 2027-W05."""

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Answer, Attachment, Delivery, Person, PersonRole, Response, Role
from core.monitoring.jobs import aggregate_nightly, due_recipients
from core.monitoring.weekly import Run, send
from tests.integration.test_monitoring_jobs import (
    CATALOGUE,
    MOSCOW,
    MOSCOW_NINE,
    PUBLISHING,
    _summaries,
    _text,
    _tick,
    _town,
    _week,
)

Maker = async_sessionmaker[AsyncSession]
MOSCOW_TWO = MOSCOW_NINE - timedelta(hours=7)  # Monday 23.11 02:00: the night's aggregation


def _moscow(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=3)


async def _feedback(
    maker: Maker, town: int, answers: list[tuple[datetime, int]], first: int = 0
) -> None:
    """Seminar feedback from the town's teachers in turn, from the `first`: (completed at,
    satisfaction 1-5)."""
    async with maker() as session:
        teachers = list(
            await session.scalars(
                select(Person.id)
                .join(PersonRole, PersonRole.person_id == Person.id)
                .where(Person.municipality_id == town, PersonRole.role == Role.TEACHER)
                .order_by(Person.id)
            )
        )
        for number, (at, satisfaction) in enumerate(answers):
            response = Response(
                person_id=teachers[(first + number) % len(teachers)],
                instrument="seminar_feedback",
                version=1,
                status="completed",
                started_at=at - timedelta(minutes=5),
                completed_at=at,
            )
            session.add(response)
            await session.flush()
            session.add(
                Answer(response_id=response.id, item_id="q1", value=satisfaction, position=0)
            )
        await session.commit()


async def test_monday_morning_answers_wait_and_the_last_week_counts_to_sunday_night(
    maker: Maker,
) -> None:
    town = await _town(maker, "Москва", MOSCOW)
    (methodist,) = town.methodists
    # 2026-W46: four of five satisfied (4 or 5) = 80 %
    before = [(_moscow(11, 10 + i, 12), s) for i, s in enumerate([5, 5, 5, 4, 2])]
    await _feedback(maker, town.id, before)
    # 2026-W47: 5, 4 and the Sunday 23:30 answer's 5: three of five = 60 %, 20 points down
    last = [(16, 12, 0, 5), (18, 12, 0, 4), (19, 12, 0, 2), (20, 12, 0, 1), (22, 23, 30, 5)]
    await _feedback(maker, town.id, [(_moscow(11, d, h, m), s) for d, h, m, s in last])
    await _tick(maker, MOSCOW_TWO)  # the night's aggregation counts the week ended on Sunday
    # Monday 07:30-08:50, before the summary: five dissatisfied answers of 2026-W48
    await _feedback(maker, town.id, [(_moscow(11, 23, 7, 30 + 5 * i), 1) for i in range(5)])
    await _tick(maker, MOSCOW_NINE)
    assert await _summaries(maker) == {methodist: _week("2026-W48")}
    text = await _text(maker, methodist, "2026-W48")
    assert "Неделя 2026-W47 · Москва" in text
    assert "Удовлетворённость: 60 % ▼ -20" in text


async def test_teachers_registered_this_monday_are_in_next_weeks_summary(maker: Maker) -> None:
    town = await _town(maker, "Новый район", MOSCOW)
    (methodist,) = town.methodists
    async with maker() as session:  # the municipality's teachers registered this morning
        await session.execute(
            update(Person)
            .where(Person.municipality_id == town.id, Person.id != methodist)
            .values(registered_at=_moscow(11, 23, 8))
        )
        await session.commit()
    await _tick(maker, MOSCOW_NINE)
    assert await _summaries(maker) == {methodist: ["2026-W48:note"]}
    note = await _text_of(maker, methodist, "2026-W48:note")
    assert "Неделя 2026-W47 · Новый район" in note
    assert "К концу этой недели в муниципалитете не было зарегистрированных педагогов" in note

    await _tick(maker, MOSCOW_NINE + timedelta(days=7))  # their first week is complete
    assert await _summaries(maker) == {methodist: ["2026-W48:note", *_week("2026-W49")]}
    text = await _text(maker, methodist, "2026-W49")
    assert "Неделя 2026-W48 · Новый район" in text
    assert "Молодые педагоги: 33 %" in text  # two of the six registered


async def test_a_week_never_aggregated_gets_a_note_not_an_empty_chart(maker: Maker) -> None:
    town = await _town(maker, "Москва", MOSCOW)
    (methodist,) = town.methodists
    async with maker() as session:  # a run that finds the summary due, nothing aggregated
        due = await due_recipients(session, MOSCOW_NINE)
        await session.commit()
        run = Run(town.id, tuple(due[town.id]), MOSCOW_NINE, CATALOGUE, *PUBLISHING)
        assert await send(session, run) == 1
    note = await _text_of(maker, methodist, "2026-W48:note")
    assert "Неделя 2026-W47 · Москва" in note and "не подсчитаны" in note
    async with maker() as session:
        assert await session.scalar(select(Attachment.id)) is None


async def test_the_month_a_summary_shows_is_the_one_its_week_ends_in_counted_whole(
    maker: Maker,
) -> None:
    """2027-W04 ends on Sunday 31 January; the summary of 1 February shows January, with an
    answer of that Sunday evening, after the aggregation of Sunday 02:00 counted it without."""
    town = await _town(maker, "Москва", MOSCOW)
    (methodist,) = town.methodists
    week = [(1, 25 + i, 12, s) for i, s in enumerate([5, 4, 2, 1, 5])]  # three of five
    await _feedback(maker, town.id, [(_moscow(m, d, h, year=2027), s) for m, d, h, s in week])
    async with maker() as session:
        assert await aggregate_nightly(session, _moscow(1, 31, 2, year=2027)) == 1
    sunday = [(_moscow(1, 31, 22, year=2027), 4)]  # 22:00, by the sixth teacher
    await _feedback(maker, town.id, sunday, first=5)
    await _tick(maker, _moscow(2, 1, 2, year=2027))  # the night after the month's last day
    await _tick(maker, _moscow(2, 1, 9, year=2027))
    text = await _text(maker, methodist, "2027-W05")
    assert "Неделя 2027-W04 · Москва" in text and "Удовлетворённость: 67 %" in text
    async with maker() as session:
        data = await session.scalar(
            select(Attachment.data).where(Attachment.filename == "pedpulse-2027-W04.xlsx")
        )
    assert data is not None
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Удовлетворённость"]
    rows = sheet.iter_rows(min_row=5, max_col=10, values_only=True)
    town_rows = {r[0]: r[4:6] for r in rows if r[0] and r[2] == "Москва"}
    assert town_rows["2027-W04"] == (4, 6) and town_rows["2027-01"] == (4, 6)
    assert "2027-02" not in town_rows and "2027-W05" not in town_rows


async def _text_of(maker: Maker, person: int, key: str) -> str:
    async with maker() as session:
        text = await session.scalar(
            select(Delivery.text).where(Delivery.key == f"wsum:{person}:{key}")
        )
    assert text is not None
    return text


@pytest.fixture
def maker(sessionmaker: Maker) -> Maker:
    return sessionmaker
