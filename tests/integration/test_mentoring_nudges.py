"""Mentoring nudges on scheduler ticks at chosen moments: quiet pairs, requests waiting too
long in the methodists' queue, programmes past their end date. Checked on the outbox rows,
which are what a person would receive."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.mentoring.nudges import nudge
from core.models import (
    Delivery,
    Mentorship,
    MentorshipRequest,
    Municipality,
    Person,
    PersonRole,
    RequestStatus,
    Role,
)
from core.texts import load_catalogues

CATALOGUES = load_catalogues()
RU = CATALOGUES["ru"]
SILENCE_DAYS, WAIT_DAYS = 30, 3
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 2 March 2026, 12:00 in Moscow
LATER = date(2026, 12, 31)  # an end date far from every tick here
Maker = async_sessionmaker[AsyncSession]
Row = tuple[int, str | None, str, str]
Wait = tuple[Person, int, RequestStatus]  # mentee, days since submitted, status


async def _tick(maker: Maker, now: datetime) -> int:
    async with maker() as session:
        return await nudge(session, now, CATALOGUES, SILENCE_DAYS, WAIT_DAYS)


async def _rows(maker: Maker) -> list[Row]:
    """Every outbox row as (chat, text, key, status), sorted."""
    async with maker() as session:
        rows = await session.execute(
            select(Delivery.chat_id, Delivery.text, Delivery.key, Delivery.status)
        )
        return sorted((chat, text, key, str(status)) for chat, text, key, status in rows)


async def _town(session: AsyncSession, name: str, zone: str = "Europe/Moscow") -> Municipality:
    town = Municipality(name=name, timezone=zone)
    session.add(town)
    await session.flush()
    return town


async def _person(
    session: AsyncSession,
    town: Municipality,
    chat: int,
    name: str,
    role: Role | None = None,
    active: bool = True,
) -> Person:
    long_ago = NOW - timedelta(days=400)
    person = Person(
        telegram_id=chat,
        municipality_id=town.id,
        full_name=name,
        language="ru",
        consent_at=long_ago,
        registered_at=long_ago,
        active=active,
    )
    person.roles = [PersonRole(role=role)] if role else []
    session.add(person)
    await session.flush()
    return person


async def _pair(
    session: AsyncSession,
    people: tuple[Person, Person],
    quiet_since: datetime,
    ends_on: date = LATER,
    ended_at: datetime | None = None,
) -> int:
    mentor, mentee = people
    pair = Mentorship(
        municipality_id=mentor.municipality_id,
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        mode="bot",
        started_at=NOW - timedelta(days=120),
        ends_on=ends_on,
        ended_at=ended_at,
        end_reason="goals_met" if ended_at else None,
        last_activity_at=quiet_since,
    )
    session.add(pair)
    await session.flush()
    return pair.id


async def _quiet_pair(sessionmaker: Maker) -> tuple[int, tuple[int, int]]:
    """A pair quiet for 30 days (chats 101 and 102): its id, the mentor's and mentee's ids."""
    async with sessionmaker() as session:
        town = await _town(session, "Городок")
        mentor = await _person(session, town, 101, "Иванова Анна")
        mentee = await _person(session, town, 102, "Петров Олег")
        pair = await _pair(session, (mentor, mentee), quiet_since=NOW - timedelta(days=30))
        await session.commit()
        return pair, (mentor.id, mentee.id)


async def test_a_quiet_pair_is_reminded_once_and_again_after_new_quiet_days(
    sessionmaker: Maker,
) -> None:
    pair, ids = await _quiet_pair(sessionmaker)

    def told(since: str) -> list[Row]:  # a silence's key names its start
        mentor_text = RU("mtn_silence_mentor", days=30)
        mentee_text = RU("mtn_silence_mentee", days=30)
        return [
            (101, mentor_text, f"mtn:silence:{pair}:{ids[0]}:{since}", "pending"),
            (102, mentee_text, f"mtn:silence:{pair}:{ids[1]}:{since}", "pending"),
        ]

    assert await _tick(sessionmaker, NOW) == 2
    rows = await _rows(sessionmaker)
    assert rows == told("2026-01-31T09:00:00")
    assert rows[0][1] != rows[1][1]  # the mentor and the mentee are told differently
    assert await _tick(sessionmaker, NOW + timedelta(hours=6)) == 0  # the same day again
    assert await _tick(sessionmaker, NOW + timedelta(days=1)) == 0  # nor every day after

    talked = NOW + timedelta(days=4)  # they wrote to each other on 6 March
    async with sessionmaker() as session:
        await session.execute(
            update(Mentorship).where(Mentorship.id == pair).values(last_activity_at=talked)
        )
        await session.commit()
    assert await _tick(sessionmaker, talked + timedelta(days=29, hours=23)) == 0
    assert await _tick(sessionmaker, talked + timedelta(days=30)) == 2  # 5 April
    assert await _rows(sessionmaker) == sorted(
        told("2026-01-31T09:00:00") + told("2026-03-06T09:00:00")
    )


async def test_a_pair_with_recent_news_or_a_closed_pair_gets_nothing(sessionmaker: Maker) -> None:
    async with sessionmaker() as session:
        town = await _town(session, "Городок")
        people = [await _person(session, town, 200 + i, f"Учитель Номер{i}") for i in range(4)]
        await _pair(session, (people[0], people[1]), NOW - timedelta(days=29, hours=23))
        ended = NOW - timedelta(days=50)  # closed long ago, quiet and past its end date
        await _pair(
            session, (people[2], people[3]), NOW - timedelta(days=90), date(2026, 2, 1), ended
        )
        await session.commit()
    assert await _tick(sessionmaker, NOW) == 0
    assert await _rows(sessionmaker) == []


async def _requests(session: AsyncSession, town: Municipality, waits: list[Wait]) -> list[int]:
    """The requests of `town`, in this order; their ids."""
    ids = []
    for mentee, days, status in waits:
        submitted = NOW - timedelta(days=days)
        request = MentorshipRequest(
            mentee_id=mentee.id,
            municipality_id=town.id,
            areas=["method"],
            topic="Как говорить с родителями",
            status=status,
            created_at=submitted - timedelta(hours=1),
            submitted_at=submitted,
        )
        session.add(request)
        await session.flush()
        ids.append(request.id)
    return ids


async def test_requests_waiting_too_long_are_flagged_once_as_a_count(sessionmaker: Maker) -> None:
    async with sessionmaker() as session:
        town = await _town(session, "Городок")
        other = await _town(session, "Другой город")
        methodist = await _person(session, town, 301, "Смирнова Ольга", Role.METHODIST)
        await _person(session, town, 302, "Орлова Вера", Role.METHODIST, active=False)
        await _person(session, other, 303, "Зайцев Иван", Role.METHODIST)
        dasha = await _person(session, town, 304, "Соколова Дарья")
        artem = await _person(session, town, 305, "Лебедев Артём")
        waits = [
            (dasha, 6, RequestStatus.WAITING),
            (artem, 4, RequestStatus.WAITING),
            (artem, 3, RequestStatus.WAITING),  # exactly three days: not yet "over three"
            (dasha, 10, RequestStatus.OFFERED),  # with a mentor already
            (artem, 9, RequestStatus.WITHDRAWN),
        ]
        first, _, third, *_ = await _requests(session, town, waits)
        await session.commit()
        me = methodist.id

    assert await _tick(sessionmaker, NOW) == 1
    flag = (301, RU("mtn_queue_many", count=2, days=6), f"mtn:queue:{first}:{me}", "pending")
    rows = await _rows(sessionmaker)
    assert rows == [flag]
    for detail in ("Соколова", "Дарья", "Лебедев", "Артём", "родителями"):
        assert detail not in str(rows[0][1])  # a count, never who or what
    # A minute on, the third is over three days old: flagged alone, the first two not again.
    assert await _tick(sessionmaker, NOW + timedelta(minutes=1)) == 1
    next_flag = (301, RU("mtn_queue_one", count=1, days=3), f"mtn:queue:{third}:{me}", "pending")
    assert await _tick(sessionmaker, NOW + timedelta(days=1)) == 0
    assert await _rows(sessionmaker) == sorted([flag, next_flag])


async def test_a_programme_past_its_end_date_is_asked_once_by_the_local_calendar(
    sessionmaker: Maker,
) -> None:
    # Both pairs' programmes end on 31 March; the question comes on 1 April, local time.
    east_midnight = datetime(2026, 3, 31, 14, 0, tzinfo=UTC)  # Vladivostok is UTC+10
    west_midnight = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)  # São Paulo is UTC-3
    recently = east_midnight - timedelta(days=1)  # news a day before: never a quiet pair here
    async with sessionmaker() as session:
        east = await _town(session, "Владивосток", "Asia/Vladivostok")
        west = await _town(session, "Сан-Паулу", "America/Sao_Paulo")
        ann = await _person(session, east, 401, "Иванова Анна")
        oleg = await _person(session, east, 402, "Петров Олег")
        vera = await _person(session, west, 403, "Орлова Вера")
        ivan = await _person(session, west, 404, "Зайцев Иван")
        east_pair = await _pair(session, (ann, oleg), recently, date(2026, 3, 31))
        west_pair = await _pair(session, (vera, ivan), recently, date(2026, 3, 31))
        await session.commit()
        ids = ann.id, oleg.id, vera.id, ivan.id
    asked = RU("mtn_overdue", date="31.03.2026")
    east_rows = [
        (401, asked, f"mtn:overdue:{east_pair}:{ids[0]}:2026-03-31", "pending"),
        (402, asked, f"mtn:overdue:{east_pair}:{ids[1]}:2026-03-31", "pending"),
    ]
    west_rows = [
        (403, asked, f"mtn:overdue:{west_pair}:{ids[2]}:2026-03-31", "pending"),
        (404, asked, f"mtn:overdue:{west_pair}:{ids[3]}:2026-03-31", "pending"),
    ]

    assert await _tick(sessionmaker, east_midnight - timedelta(minutes=1)) == 0  # 23:59 there
    assert await _tick(sessionmaker, east_midnight) == 2
    assert await _rows(sessionmaker) == east_rows
    assert await _tick(sessionmaker, west_midnight - timedelta(minutes=1)) == 0  # 23:59 there
    assert await _tick(sessionmaker, west_midnight) == 2
    assert await _tick(sessionmaker, west_midnight + timedelta(days=1)) == 0  # asked once
    assert await _rows(sessionmaker) == sorted(east_rows + west_rows)


async def test_a_person_who_blocked_the_bot_is_told_nothing(sessionmaker: Maker) -> None:
    async with sessionmaker() as session:
        town = await _town(session, "Городок")
        mentor = await _person(session, town, 501, "Иванова Анна")
        gone = await _person(session, town, 502, "Петров Олег", active=False)
        quiet = NOW - timedelta(days=45)
        pair = await _pair(session, (mentor, gone), quiet, date(2026, 2, 28))
        await _person(session, town, 503, "Смирнова Ольга", Role.METHODIST, active=False)
        await _requests(session, town, [(gone, 5, RequestStatus.WAITING)])
        await session.commit()
        me = mentor.id
    # Quiet for 45 days and past its end date: the mentor hears of both, the mentee of
    # neither, and the queue's only methodist blocked the bot too.
    assert await _tick(sessionmaker, NOW) == 2
    overdue = RU("mtn_overdue", date="28.02.2026")
    silence = RU("mtn_silence_mentor", days=45)
    assert await _rows(sessionmaker) == sorted(
        [
            (501, overdue, f"mtn:overdue:{pair}:{me}:2026-02-28", "pending"),
            (501, silence, f"mtn:silence:{pair}:{me}:2026-01-16T09:00:00", "pending"),
        ]
    )


async def test_an_extended_programme_is_asked_again_when_its_new_end_passes(
    sessionmaker: Maker,
) -> None:
    async with sessionmaker() as session:
        town = await _town(session, "Городок")  # Moscow, UTC+3
        mentor = await _person(session, town, 601, "Иванова Анна")
        mentee = await _person(session, town, 602, "Петров Олег")
        pair = await _pair(session, (mentor, mentee), NOW, date(2026, 3, 1))
        await session.commit()
    assert await _tick(sessionmaker, NOW) == 2  # 2 March: the programme ended on 1 March
    news = datetime(2026, 5, 30, 9, tzinfo=UTC)  # they kept talking: never a quiet pair here
    async with sessionmaker() as session:  # what extending does: three more months, asked anew
        await session.execute(
            update(Mentorship)
            .where(Mentorship.id == pair)
            .values(ends_on=date(2026, 6, 2), overdue_asked_at=None, last_activity_at=news)
        )
        await session.commit()
    assert await _tick(sessionmaker, datetime(2026, 6, 2, 20, 59, tzinfo=UTC)) == 0  # 23:59
    assert await _tick(sessionmaker, datetime(2026, 6, 2, 21, 0, tzinfo=UTC)) == 2  # 3 June
    assert [row[:2] for row in await _rows(sessionmaker)] == sorted(
        (chat, RU("mtn_overdue", date=day))
        for chat in (601, 602)
        for day in ("01.03.2026", "02.06.2026")
    )
