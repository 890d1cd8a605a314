"""Giving a seat up (or leaving through /forget): the first on the waiting list takes it, with
the calendar file, and the card they pressed to join the list is brought up to date."""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import StaleAction
from core.messaging.outbox import Notice, enqueue
from core.models import (
    Attachment,
    Person,
    Registration,
    RegistrationStatus,
    Seminar,
    SeminarStatus,
)
from core.people.viewer import load_person
from core.screens import Button, Text, stored
from core.seminars.calendar import seminar_ics
from core.seminars.cards import card
from core.seminars.listing import (
    SeminarView,
    full,
    published,
    registration_of,
    view,
    when,
)
from core.texts import Texts
from core.timeutil import as_utc


async def unregister(
    session: AsyncSession,
    person_id: int,
    seminar_id: int,
    now: datetime,
    catalogues: Mapping[str, Texts],
) -> SeminarView:
    """Give the place up; the first on the waiting list takes it and is told so."""
    seminar = await published(session, seminar_id, now)
    registration = await registration_of(session, seminar_id, person_id)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        await session.rollback()  # the lock `published` took ends here
        raise StaleAction()
    freed = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    notices = await _promote(session, seminar, catalogues, now) if freed else []
    await session.flush()
    await enqueue(session, notices, now)
    await session.commit()
    return await view(session, seminar, person_id)


async def release_seats(
    session: AsyncSession, person_id: int, now: datetime, catalogues: Mapping[str, Texts]
) -> None:
    """/forget: every seat the person holds at a published seminar not started yet goes to the
    first on its waiting list, who is told as after `unregister`. Flushes, never commits: the
    caller deletes the person (and their registrations) in the same transaction."""
    seminars = await session.scalars(
        select(Seminar)
        .join(Registration, Registration.seminar_id == Seminar.id)
        .where(
            Registration.person_id == person_id,
            Registration.status == RegistrationStatus.REGISTERED,
            Seminar.status == SeminarStatus.PUBLISHED,
            Seminar.starts_at > now,
        )
        .order_by(Seminar.id)  # locked in one order: no deadlock with another forget
        .with_for_update(of=Seminar)
    )
    notices: list[Notice] = []
    for seminar in list(seminars):
        registration = await registration_of(session, seminar.id, person_id)
        if registration is not None and registration.status == RegistrationStatus.REGISTERED:
            registration.status = RegistrationStatus.CANCELLED
            notices += await _promote(session, seminar, catalogues, now)
    await session.flush()
    await enqueue(session, notices, now)


async def fill_seats(
    session: AsyncSession, seminar: Seminar, catalogues: Mapping[str, Texts], now: datetime
) -> list[Notice]:
    """More seats (the organiser raised the capacity): the waiting list takes them, first come
    first served, each told as after `unregister`. Fewer seats take no one's place away."""
    start = seminar.starts_at
    if seminar.status != SeminarStatus.PUBLISHED or start is None or as_utc(start) <= now:
        return []
    notices: list[Notice] = []
    while not await full(session, seminar):
        promoted = await _promote(session, seminar, catalogues, now)
        if not promoted:
            break
        notices += promoted
    return notices


async def _promote(
    session: AsyncSession, seminar: Seminar, catalogues: Mapping[str, Texts], now: datetime
) -> list[Notice]:
    first = await session.scalar(
        select(Registration)
        .where(
            Registration.seminar_id == seminar.id,
            Registration.status == RegistrationStatus.WAITLIST,
        )
        .order_by(Registration.created_at, Registration.id)
        .limit(1)
    )
    if first is None:
        return []
    first.status = RegistrationStatus.REGISTERED
    person = await load_person(session, first.person_id)
    shown = await view(session, seminar, person.id)
    t = catalogues[person.language]
    calendar = Attachment(
        kind="document", filename=f"seminar-{seminar.id}.ics", data=seminar_ics(shown, now)
    )
    session.add(calendar)
    await session.flush()
    text = t("seminar_promoted", title=shown.title, when=when(shown))
    if shown.link:
        text += "\n" + t("seminar_link", link=shown.link)
    key = f"sem:{seminar.id}:promoted:{person.id}:{first.id}"
    seat = Notice(
        key, person.telegram_id, text, person_id=person.id, attachment_id=calendar.id, priority=1
    )
    return [seat, *_card_update(t, shown, person, first, key)]


def _card_update(
    t: Texts, shown: SeminarView, person: Person, registration: Registration, key: str
) -> list[Notice]:
    """The card the person pressed to join the waiting list, brought up to date."""
    if registration.card_message_id is None:
        return []
    button = Button(Text("btn_unregister"), "seminar.unregister", (shown.id,))
    edit = Notice(
        f"{key}:card",
        person.telegram_id,
        card(t, shown),
        person_id=person.id,
        priority=1,
        markup=stored(t, [[button]]),
        edit_message_id=registration.card_message_id,
    )
    return [edit]
