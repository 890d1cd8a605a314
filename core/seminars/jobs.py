"""Scheduled seminar work: reminders before the start, and wrapping up after the end.

Jobs only queue outbox rows (keys make a repeated run harmless); the sender delivers them.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.messaging.outbox import Notice, enqueue
from core.models import Person, Registration, RegistrationStatus, Seminar, SeminarStatus
from core.screens import Button, Text, stored
from core.seminars.listing import SeminarView, organised_by, signed_up, view, when
from core.texts import Texts
from core.timeutil import as_utc


async def send_reminders(
    session: AsyncSession, now: datetime, hours: Sequence[int], catalogues: Mapping[str, Texts]
) -> int:
    """Queue the reminder `h` hours ahead for each registered person; returns rows queued.

    A person who registered less than `h` hours before the start gets no "h hours" reminder:
    it would arrive at once and say nothing new.
    """
    horizon = now + timedelta(hours=max(hours))
    seminars = await session.scalars(
        select(Seminar).where(
            Seminar.status == SeminarStatus.PUBLISHED,
            Seminar.starts_at > now,
            Seminar.starts_at <= horizon,
        )
    )
    notices: list[Notice] = []
    for seminar in seminars:
        assert seminar.starts_at is not None
        start = as_utc(seminar.starts_at)
        shown = await view(session, seminar, None)
        for registration, person in await signed_up(
            session, seminar.id, [RegistrationStatus.REGISTERED]
        ):
            for h in hours:
                due = start - timedelta(hours=h)
                if now >= due and as_utc(registration.created_at) < due:
                    notices.append(_reminder(shown, person, h, catalogues))
    queued = await enqueue(session, notices, now)
    await session.commit()
    return queued


def _reminder(
    seminar: SeminarView, person: Person, hours: int, catalogues: Mapping[str, Texts]
) -> Notice:
    t = catalogues[person.language]
    text = t("seminar_reminder", title=seminar.title, when=when(seminar))
    if seminar.link:
        text += "\n" + t("seminar_link", link=seminar.link)
    elif seminar.place:
        text += "\n" + t("seminar_place", place=seminar.place)
    key = f"sem:{seminar.id}:remind{hours}h:{person.id}"
    return Notice(key, person.telegram_id, text, person_id=person.id, priority=1)


async def finish_seminars(
    session: AsyncSession, now: datetime, catalogues: Mapping[str, Texts]
) -> int:
    """After the end: attendees are due the feedback questionnaire; the organiser gets a result."""
    seminars = list(
        await session.scalars(
            select(Seminar).where(
                Seminar.status == SeminarStatus.PUBLISHED,
                Seminar.finished_at.is_(None),
                Seminar.starts_at < now,
            )
        )
    )
    notices: list[Notice] = []
    finished = 0
    for seminar in seminars:
        assert seminar.starts_at is not None
        if as_utc(seminar.starts_at) + timedelta(minutes=seminar.duration_minutes) > now:
            continue
        finished += 1
        seminar.finished_at = now
        people = await signed_up(
            session, seminar.id, [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLIST]
        )
        shown = await view(session, seminar, None)
        for registration, person in people:
            registration.feedback_due = registration.attended
            if registration.attended:
                notices.append(_feedback_invitation(shown, person, catalogues))
        if seminar.organiser_id is not None:
            notices += await _result(session, seminar, people, catalogues)
    await session.flush()
    await enqueue(session, notices, now)
    await session.commit()  # the marks and the notices together
    return finished


def _feedback_invitation(
    seminar: SeminarView, person: Person, catalogues: Mapping[str, Texts]
) -> Notice:
    t = catalogues[person.language]
    button = Button(Text("btn_feedback"), "survey.feedback", (seminar.id,))
    return Notice(
        f"sem:{seminar.id}:feedback:{person.id}",
        person.telegram_id,
        t("feedback_invite", title=seminar.title),
        person_id=person.id,
        markup=stored(t, [[button]]),
    )


async def _result(
    session: AsyncSession,
    seminar: Seminar,
    people: list[tuple[Registration, Person]],
    catalogues: Mapping[str, Texts],
) -> list[Notice]:
    organiser = await session.get(Person, seminar.organiser_id)
    if organiser is None:
        return []
    t = catalogues[organiser.language]
    registered = [r for r, _ in people if r.status == RegistrationStatus.REGISTERED]
    text = t(
        "seminar_result",
        title=seminar.title or "",
        registered=len(registered),
        attended=sum(r.attended for r in registered),
        waitlist=len(people) - len(registered),
    )
    return [
        Notice(f"sem:{seminar.id}:result", organiser.telegram_id, text, person_id=organiser.id)
    ]


async def cancel_seminar(
    session: AsyncSession,
    organiser_id: int,
    seminar_id: int,
    now: datetime,
    catalogues: Mapping[str, Texts],
) -> int:
    """Cancel a published seminar and tell everyone registered or waiting; returns how many."""
    seminar = await organised_by(session, organiser_id, seminar_id)
    shown = await view(session, seminar, None)
    seminar.status = SeminarStatus.CANCELLED
    people = await signed_up(
        session, seminar_id, [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLIST]
    )
    notices = [
        Notice(
            f"sem:{seminar_id}:cancelled:{person.id}",
            person.telegram_id,
            catalogues[person.language]("seminar_cancelled", title=shown.title, when=when(shown)),
            person_id=person.id,
            priority=1,
        )
        for _, person in people
    ]
    await session.flush()
    await enqueue(session, notices, now)
    await session.commit()
    return len(notices)
