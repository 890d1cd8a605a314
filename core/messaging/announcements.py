"""Announcements: a methodist's draft (text, attachment, audience) launched through the outbox."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import audience as audiences
from core.audience import Audience, AudienceKind
from core.errors import InvalidInput, StaleAction
from core.messaging.broadcast import Launch, Watcher, new_broadcast
from core.messaging.outbox import Notice, enqueue
from core.models import Announcement, Attachment
from core.people.viewer import load_person

TEXT_STEP = "ann_text"
MAX_TEXT = 4096  # Telegram's limit for a message
MAX_CAPTION = 1024  # ... and for a file's caption


@dataclass(frozen=True)
class NewAttachment:
    kind: str  # document | photo
    file_id: str
    filename: str | None


@dataclass(frozen=True)
class DraftView:
    id: int
    text: str | None
    attachment: str | None  # kind of the attached file
    audience: Audience | None  # None: not chosen yet
    recipients: int


async def start(session: AsyncSession, person_id: int, now: datetime) -> int:
    """A fresh draft (earlier unsent drafts of the author go); the text is asked next."""
    person = await load_person(session, person_id)
    await session.execute(
        delete(Announcement).where(
            Announcement.author_id == person_id, Announcement.sent_at.is_(None)
        )
    )
    draft = Announcement(
        author_id=person_id, municipality_id=person.municipality_id, created_at=now
    )
    session.add(draft)
    person.step = TEXT_STEP
    await session.commit()
    return draft.id


async def set_content(
    session: AsyncSession, person_id: int, html: str, attachment: NewAttachment | None, year: int
) -> DraftView:
    """Take the text (Telegram HTML) and an optional file for the author's open draft."""
    person = await load_person(session, person_id)
    draft = await _open_draft(session, person_id)
    if person.step != TEXT_STEP or draft is None:
        raise StaleAction()
    limit = MAX_CAPTION if attachment else MAX_TEXT
    if not html.strip() and attachment is None:
        raise InvalidInput("announce_empty")
    if len(html) > limit:
        raise InvalidInput("announce_too_long", limit=limit)
    draft.text = html or None
    if attachment is not None:
        file = Attachment(
            kind=attachment.kind, telegram_file_id=attachment.file_id, filename=attachment.filename
        )
        session.add(file)
        await session.flush()
        draft.attachment_id = file.id
    person.step = None
    await session.commit()
    return await view(session, person_id, draft.id, year)


async def edit_text(session: AsyncSession, person_id: int, draft_id: int) -> None:
    """Ask for the text again (the audience is kept)."""
    draft = await _owned(session, person_id, draft_id)
    draft.attachment_id = None
    person = await load_person(session, person_id)
    person.step = TEXT_STEP
    await session.commit()


async def choose_kind(
    session: AsyncSession, person_id: int, draft_id: int, kind: AudienceKind, year: int
) -> DraftView:
    """Start choosing the audience anew with `kind`."""
    draft = await _owned(session, person_id, draft_id)
    draft.audience = Audience(kind).to_json()
    await session.commit()
    return await view(session, person_id, draft_id, year)


async def mark_item(
    session: AsyncSession, person_id: int, draft_id: int, item: int, selected: bool, year: int
) -> DraftView:
    """Choose or unchoose one school or subject of the audience."""
    draft = await _owned(session, person_id, draft_id)
    draft.audience = Audience.chosen(draft.audience).toggled(item, selected).to_json()
    await session.commit()
    return await view(session, person_id, draft_id, year)


async def view(session: AsyncSession, person_id: int, draft_id: int, year: int) -> DraftView:
    """The draft with the number of people it would reach now."""
    draft = await _owned(session, person_id, draft_id)
    chosen = Audience.from_json(draft.audience)
    people = await audiences.recipients(session, draft.municipality_id, chosen, year, person_id)
    kind = await session.scalar(
        select(Attachment.kind).where(Attachment.id == draft.attachment_id)
    )
    return DraftView(draft.id, draft.text, kind, chosen, len(people))


async def cancel(session: AsyncSession, person_id: int, draft_id: int) -> None:
    """Drop the draft."""
    draft = await _owned(session, person_id, draft_id)
    await session.delete(draft)
    person = await load_person(session, person_id)
    person.step = None
    await session.commit()


async def launch(
    session: AsyncSession, person_id: int, draft_id: int, language: str, now: datetime
) -> Launch:
    """Queue the announcement for everyone in the audience; a second press changes nothing."""
    draft = await _owned(session, person_id, draft_id)
    person = await load_person(session, person_id)
    audience = Audience.from_json(draft.audience)
    if audience is None:
        raise InvalidInput("audience_not_chosen")
    people = await audiences.recipients(
        session, draft.municipality_id, audience, now.year, person_id
    )
    if not people:
        raise InvalidInput("announce_nobody")
    broadcast_id = await new_broadcast(
        session, Watcher(person.id, person.telegram_id, language), len(people), now
    )
    draft.sent_at, draft.broadcast_id = now, broadcast_id
    notices = [
        Notice(
            f"ann:{draft.id}:{p.person_id}",
            p.chat_id,
            draft.text,
            person_id=p.person_id,
            attachment_id=draft.attachment_id,
        )
        for p in people
    ]
    await enqueue(session, notices, now, broadcast_id=broadcast_id)  # commits the draft too
    return Launch(broadcast_id, len(people))


async def _open_draft(session: AsyncSession, person_id: int) -> Announcement | None:
    return await session.scalar(
        select(Announcement)
        .where(Announcement.author_id == person_id, Announcement.sent_at.is_(None))
        .order_by(Announcement.id.desc())
    )


async def _owned(session: AsyncSession, person_id: int, draft_id: int) -> Announcement:
    draft = await session.get(Announcement, draft_id)
    if draft is None or draft.author_id != person_id or draft.sent_at is not None:
        raise StaleAction()
    return draft
