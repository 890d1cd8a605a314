"""Announcements on the form engine: a methodist's text (or a file with a caption), its
audience, a preview, and the launch through the outbox."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import audience as audiences
from core.audience import Audience
from core.errors import InvalidInput, StaleAction
from core.forms import (
    Act,
    Context,
    Field,
    Form,
    Kind,
    Step,
    at_summary,
    audience_label,
    audience_question,
    begin,
    typed,
)
from core.messaging.attachments import drop_unused
from core.messaging.broadcast import Launch, Watcher, new_broadcast
from core.messaging.outbox import Notice, enqueue
from core.models import Announcement, Attachment, Person
from core.people.viewer import load_person, set_pending
from core.screens import BLANK, Button, Screen, Text, text
from core.texts import Safe

MAX_TEXT = 4096  # Telegram's limit for a message
MAX_CAPTION = 1024  # ... and for a file's caption


@dataclass(frozen=True)
class NewAttachment:
    kind: str  # document | photo
    file_id: str
    filename: str | None


class AnnouncementForm(Form[Announcement]):
    name = "announce"
    code = "a"
    fields = (Field("text", Kind.TEXT), Field("audience", Kind.AUDIENCE))

    async def load(
        self, session: AsyncSession, person: Person, target: int | None
    ) -> Announcement:
        draft = await session.get(Announcement, target) if target else None
        if draft is None or draft.author_id != person.id or draft.sent_at is not None:
            raise StaleAction()
        return draft

    async def typed(
        self, session: AsyncSession, draft: Announcement, field: str, value: str, ctx: Context
    ) -> None:
        """The text, Telegram HTML made from the message itself (a file's caption too)."""
        limit = MAX_CAPTION if draft.attachment_id else MAX_TEXT
        if not value.strip() and draft.attachment_id is None:
            raise InvalidInput("announce_empty")
        if len(value) > limit:
            raise InvalidInput("announce_too_long", limit=limit)
        draft.text = value or None

    def audience_place(self, draft: Announcement) -> tuple[dict[str, Any] | None, int]:
        return draft.audience, draft.municipality_id

    def set_audience(self, draft: Announcement, audience: Audience) -> None:
        draft.audience = audience.to_json()

    async def ask(
        self, session: AsyncSession, draft: Announcement, field: str, step: Step, ctx: Context
    ) -> Screen:
        if field == "audience":
            return await audience_question(
                session, step, draft.audience, draft.municipality_id, "announce_pick_audience"
            )
        rows = ((step.button(Text("btn_cancel"), Act.BACK),),) if step.edit else ()
        return Screen((Text("announce_ask_text"),), rows)

    async def summary(
        self, session: AsyncSession, draft: Announcement, step: Step, ctx: Context
    ) -> Screen:
        audience = Audience.from_json(draft.audience)
        people = await audiences.recipients(
            session, draft.municipality_id, audience, ctx.now.year, draft.author_id
        )
        kind = await session.scalar(
            select(Attachment.kind).where(Attachment.id == draft.attachment_id)
        )
        lines = [Text("announce_preview"), BLANK, text("plain_html", html=Safe(draft.text or ""))]
        if kind:
            lines.append(Text(f"announce_with_{kind}"))
        count = len(people)
        lines += [
            BLANK,
            text("announce_recipients", audience=audience_label(audience), count=count),
        ]
        rows = (
            (Button(Text("btn_send"), "announce.send", (draft.id,)),),
            (step.button(Text("btn_change_audience"), Act.EDIT, "audience"),),
            (step.button(Text("btn_change_text"), Act.EDIT, "text"),),
            (Button(Text("btn_cancel"), "announce.cancel", (draft.id,)),),
        )
        return Screen(tuple(lines), rows)


FORM = AnnouncementForm()


async def start(
    session: AsyncSession, person_id: int, ctx: Context, audience: Audience | None = None
) -> Screen:
    """A fresh draft (earlier unsent drafts of the author go), with `audience` chosen already
    if given; the text is asked first."""
    person = await load_person(session, person_id)
    await drop_drafts(session, person_id)
    draft = Announcement(
        author_id=person_id, municipality_id=person.municipality_id, created_at=ctx.now
    )
    if audience is not None:
        draft.audience = audience.to_json()
    session.add(draft)
    await session.flush()
    return await begin(session, person, FORM, draft, ctx)


async def drop_drafts(session: AsyncSession, author_id: int) -> None:
    """Delete the author's unsent announcements and their files nothing else uses (only the
    author could ever open a draft). Never commits."""
    files = await session.scalars(
        delete(Announcement)
        .where(Announcement.author_id == author_id, Announcement.sent_at.is_(None))
        .returning(Announcement.attachment_id)
        .execution_options(synchronize_session=False)
    )
    await drop_unused(session, {file for file in files if file is not None})


async def set_content(
    session: AsyncSession,
    person_id: int,
    html: str,
    attachment: NewAttachment | None,
    forms: Mapping[str, Form[Any]],
    ctx: Context,
) -> Screen:
    """The text (Telegram HTML) and an optional file for the draft asking for them."""
    person = await load_person(session, person_id)
    pending = person.step_form, person.step_field
    if pending != (FORM.name, "text"):
        raise StaleAction()
    draft = await FORM.load(session, person, person.step_target)
    replaced, draft.attachment_id = draft.attachment_id, None
    await session.flush()
    if replaced is not None:  # a file replaced goes
        await drop_unused(session, {replaced})
    if attachment is not None:
        file = Attachment(
            kind=attachment.kind, telegram_file_id=attachment.file_id, filename=attachment.filename
        )
        session.add(file)
        await session.flush()
        draft.attachment_id = file.id
    return await typed(session, person_id, html, forms, ctx)


async def cancel(session: AsyncSession, person_id: int, draft_id: int) -> None:
    """Drop the draft."""
    person = await load_person(session, person_id)
    draft = await at_summary(session, person, FORM, draft_id)
    await session.delete(draft)
    await session.flush()
    if draft.attachment_id is not None:
        await drop_unused(session, {draft.attachment_id})
    set_pending(person, None)
    await session.commit()


async def launch(
    session: AsyncSession, person_id: int, draft_id: int, language: str, ctx: Context
) -> Launch:
    """Queue the announcement for everyone in the audience; a second press changes nothing."""
    now = ctx.now
    person = await load_person(session, person_id)
    draft = await at_summary(session, person, FORM, draft_id)
    audience = Audience.from_json(draft.audience)
    if audience is None:
        raise InvalidInput("audience_not_chosen")
    people = await audiences.recipients(
        session, draft.municipality_id, audience, now.year, person_id
    )
    if not people:
        raise InvalidInput("announce_nobody")
    watcher = Watcher(person.id, person.telegram_id, language)
    broadcast_id = await new_broadcast(session, watcher, len(people), now)
    draft.sent_at, draft.broadcast_id = now, broadcast_id
    set_pending(person, None)
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
    await enqueue(session, notices, now, broadcast_id=broadcast_id)
    await session.commit()
    return Launch(broadcast_id, len(people))
