"""Publishing a seminar draft to its audience, reopening a published one, dropping a draft."""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core import audience as audiences
from core.audience import Audience
from core.errors import InvalidInput, StaleAction
from core.messaging.broadcast import Launch, Watcher, new_broadcast
from core.messaging.outbox import Notice, enqueue
from core.models import Seminar, SeminarStatus
from core.people.viewer import load_person
from core.seminars.form import PREVIEW, FormPrompt, current, prompt
from core.seminars.listing import view
from core.seminars.notices import announcement, register_markup
from core.texts import Texts
from core.timeutil import as_utc


async def publish(
    session: AsyncSession,
    person_id: int,
    seminar_id: int,
    language: str,
    now: datetime,
    catalogues: Mapping[str, Texts],
) -> Launch:
    """Publish the draft and announce it to its audience with a "sign up" button."""
    person, seminar, field = await current(session, person_id)
    if seminar.id != seminar_id or field != PREVIEW or seminar.status != SeminarStatus.DRAFT:
        raise StaleAction()
    if seminar.title is None or seminar.starts_at is None:
        raise InvalidInput("seminar_incomplete")
    assert seminar.starts_at is not None
    if as_utc(seminar.starts_at) <= now:
        raise InvalidInput("seminar_in_past")
    seminar.status, seminar.published_at = SeminarStatus.PUBLISHED, now
    person.step, person.step_target = None, None
    card = await view(session, seminar, None)
    audience = Audience.from_json(seminar.audience)
    if audience is None:
        raise InvalidInput("audience_not_chosen")
    people = await audiences.recipients(
        session, seminar.municipality_id, audience, now.year, person_id
    )
    broadcast_id = None
    if people:
        broadcast_id = await new_broadcast(
            session, Watcher(person.id, person.telegram_id, language), len(people), now
        )
    notices = [
        Notice(
            f"sem:{seminar.id}:published:{p.person_id}",
            p.chat_id,
            announcement(catalogues[p.language], card),
            person_id=p.person_id,
            markup=register_markup(catalogues[p.language], seminar.id),
        )
        for p in people
    ]
    await session.flush()
    await enqueue(session, notices, now, broadcast_id=broadcast_id)
    return Launch(broadcast_id, len(people))


async def open_card(
    session: AsyncSession, person_id: int, seminar_id: int, now: datetime
) -> FormPrompt:
    """The organiser opens a published seminar's card to edit it."""
    person = await load_person(session, person_id)
    seminar = await session.get(Seminar, seminar_id)
    if seminar is None or seminar.organiser_id != person_id:
        raise StaleAction()
    if seminar.status != SeminarStatus.PUBLISHED:
        raise StaleAction()
    person.step, person.step_target, person.step_edit = "sem_" + PREVIEW, seminar_id, False
    await session.commit()
    return await prompt(session, person_id, now)


async def discard(session: AsyncSession, person_id: int, seminar_id: int) -> None:
    """Drop a draft, or leave the editing of a published seminar."""
    person, seminar, _ = await current(session, person_id)
    if seminar.id != seminar_id:
        raise StaleAction()
    if seminar.status == SeminarStatus.DRAFT:
        await session.delete(seminar)
    person.step, person.step_target, person.step_edit = None, None, False
    await session.commit()
