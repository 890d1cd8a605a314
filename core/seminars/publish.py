"""Publishing a seminar draft to its audience, reopening a published one, dropping a draft."""

from sqlalchemy.ext.asyncio import AsyncSession

from core import audience as audiences
from core.audience import Audience, Recipient
from core.errors import InvalidInput, StaleAction
from core.forms import SUMMARY, Context, at_summary, begin
from core.messaging.broadcast import Launch, Watcher, new_broadcast
from core.messaging.outbox import Notice, enqueue
from core.models import Seminar, SeminarStatus
from core.people.viewer import load_person, set_pending
from core.screens import Screen
from core.seminars.form import FORM
from core.seminars.listing import view
from core.seminars.notices import announcement, register_markup
from core.timeutil import as_utc


async def publish(
    session: AsyncSession, person_id: int, seminar_id: int, language: str, ctx: Context
) -> Launch:
    """Publish the draft and announce it to its audience with a "sign up" button."""
    now = ctx.now
    person = await load_person(session, person_id)
    seminar = await at_summary(session, person, FORM, seminar_id)
    if seminar.status != SeminarStatus.DRAFT:
        raise StaleAction()
    if seminar.title is None or seminar.starts_at is None:
        raise InvalidInput("seminar_incomplete")
    if as_utc(seminar.starts_at) <= now:
        raise InvalidInput("seminar_in_past")
    audience = Audience.from_json(seminar.audience)
    if audience is None:
        raise InvalidInput("audience_not_chosen")
    seminar.status, seminar.published_at = SeminarStatus.PUBLISHED, now
    set_pending(person, None)
    people = await audiences.recipients(
        session, seminar.municipality_id, audience, now.year, person_id
    )
    broadcast_id = None
    if people:
        watcher = Watcher(person.id, person.telegram_id, language)
        broadcast_id = await new_broadcast(session, watcher, len(people), now)
    notices = await _invitations(session, seminar, people, ctx)
    await session.flush()
    await enqueue(session, notices, now, broadcast_id=broadcast_id)
    await session.commit()
    return Launch(broadcast_id, len(people))


async def _invitations(
    session: AsyncSession, seminar: Seminar, people: list[Recipient], ctx: Context
) -> list[Notice]:
    card = await view(session, seminar, None)
    return [
        Notice(
            f"sem:{seminar.id}:published:{p.person_id}",
            p.chat_id,
            announcement(ctx.catalogues[p.language], card),
            person_id=p.person_id,
            markup=register_markup(ctx.catalogues[p.language], seminar.id),
        )
        for p in people
    ]


async def open_card(
    session: AsyncSession, person_id: int, seminar_id: int, ctx: Context
) -> Screen:
    """The organiser opens a published seminar's card to correct it."""
    person = await load_person(session, person_id)
    seminar = await FORM.load(session, person, seminar_id)
    if seminar.status != SeminarStatus.PUBLISHED:
        raise StaleAction()
    return await begin(session, person, FORM, seminar, ctx, at=SUMMARY)


async def close(session: AsyncSession, person_id: int, seminar_id: int) -> None:
    """Drop a draft, or leave the correcting of a published seminar."""
    person = await load_person(session, person_id)
    seminar = await at_summary(session, person, FORM, seminar_id)
    if seminar.status == SeminarStatus.DRAFT:
        await session.delete(seminar)
    set_pending(person, None)
    await session.commit()
