"""Creating and editing a seminar step by step; every step can be corrected before publishing.

The draft is a Seminar row in status "draft". `Person.step` ("sem_<field>") names the field
that awaits input and `Person.step_target` the seminar, so a restart loses nothing. Editing a
published seminar tells everyone registered or waiting what changed.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from core import audience as audiences
from core.audience import Audience, AudienceKind
from core.choices import Option
from core.errors import InvalidInput, StaleAction
from core.messaging.outbox import Notice, enqueue
from core.models import (
    Person,
    Seminar,
    SeminarStatus,
)
from core.people.viewer import load_person, municipality_clock, municipality_zone, release_step
from core.seminars.listing import AREAS, FORMATS, SeminarView, view
from core.seminars.notices import change_notices
from core.texts import Texts
from core.timeutil import LocalClock
from core.validation import bounded, parse_capacity, parse_link, parse_start

ORDER = (
    "title",
    "description",
    "start",
    "duration",
    "format",
    "place",
    "link",
    "capacity",
    "tags",
    "audience",
)
TYPED = frozenset({"title", "description", "start", "place", "link", "capacity"})
DURATIONS = (60, 90, 120, 180, 240)
CAPACITIES = (0, 10, 20, 30, 50, 100)  # 0: no limit
PREVIEW = "preview"
ANNOUNCED_CHANGES = frozenset({"title", "start", "duration", "format", "place", "link"})


@dataclass(frozen=True)
class FormPrompt:
    """The field asked now ("preview" when the whole card is shown), with its choices."""

    seminar_id: int
    field: str
    edit: bool
    options: tuple[Option, ...] = ()
    audience: Audience | None = None
    clock: LocalClock | None = None  # for typed dates: whose time, and an example
    card: SeminarView | None = None
    recipients: int = 0
    published: bool = False


async def start(session: AsyncSession, person_id: int, now: datetime) -> FormPrompt:
    """A new draft in the organiser's municipality (older drafts go); the title comes first."""
    person = await load_person(session, person_id)
    await session.execute(
        delete(Seminar).where(
            Seminar.organiser_id == person_id, Seminar.status == SeminarStatus.DRAFT
        )
    )
    seminar = Seminar(
        municipality_id=person.municipality_id, organiser_id=person_id, created_at=now, tags=[]
    )
    session.add(seminar)
    await session.flush()
    person.step, person.step_target, person.step_edit = "sem_title", seminar.id, False
    await session.commit()
    return await prompt(session, person_id, now)


async def current(session: AsyncSession, person_id: int) -> tuple[Person, Seminar, str]:
    person = await load_person(session, person_id)
    step = person.step or ""
    seminar = await session.get(Seminar, person.step_target) if person.step_target else None
    if not step.startswith("sem_") or seminar is None or seminar.organiser_id != person_id:
        raise StaleAction()
    if seminar.status == SeminarStatus.CANCELLED:
        raise StaleAction()
    return person, seminar, step.removeprefix("sem_")


def is_typing(step: str | None) -> bool:
    """Whether free text now belongs to the seminar form."""
    return step is not None and step.removeprefix("sem_") in TYPED and step.startswith("sem_")


async def prompt(session: AsyncSession, person_id: int, now: datetime) -> FormPrompt:
    """What the organiser is asked now."""
    person, seminar, field = await current(session, person_id)
    base = FormPrompt(
        seminar.id,
        field,
        person.step_edit,
        clock=await municipality_clock(session, seminar.municipality_id, now, 7, 15),
        audience=Audience.from_json(seminar.audience),
        published=seminar.status == SeminarStatus.PUBLISHED,
    )
    if field == "tags":
        chosen = set(seminar.tags or [])
        options = tuple(Option(i, area, area in chosen) for i, area in enumerate(AREAS))
        return replace(base, options=options)
    if field == "audience" and base.audience is not None and base.audience.needs_choice:
        options = tuple(await audiences.choices(session, seminar.municipality_id, base.audience))
        return replace(base, options=options)
    if field == PREVIEW:
        card = await view(session, seminar, None)
        people = await audiences.recipients(
            session, seminar.municipality_id, base.audience, now.year, seminar.organiser_id
        )
        return replace(base, card=card, recipients=len(people))
    return base


async def _advance(session: AsyncSession, person: Person, seminar: Seminar, done: str) -> None:
    if person.step_edit:
        person.step, person.step_edit = "sem_" + PREVIEW, False
        return
    later = [f for f in ORDER[ORDER.index(done) + 1 :] if _needed(seminar, f)]
    person.step = "sem_" + (later[0] if later else PREVIEW)


def _needed(seminar: Seminar, field: str) -> bool:
    if field == "place":
        return seminar.format != "online"
    if field == "link":
        return seminar.format != "in_person"
    return True


async def submit_text(
    session: AsyncSession,
    person_id: int,
    text: str,
    now: datetime,
    catalogues: Mapping[str, Texts],
) -> FormPrompt:
    """Typed input for the field asked now; InvalidInput keeps the field for another try."""
    try:
        person, seminar, field = await current(session, person_id)
    except StaleAction:  # cancelled meanwhile: the text no longer belongs to it
        await release_step(session, person_id)
        raise
    if field not in TYPED:
        raise InvalidInput("use_buttons")
    value = text.strip()
    if field == "title":
        seminar.title = bounded(value, 3, 200, "seminar_title_length")
    elif field == "description":
        seminar.description = bounded(value, 1, 2000, "seminar_description_length")
    elif field == "start":
        zone = await municipality_zone(session, seminar.municipality_id)
        seminar.starts_at = parse_start(value, zone, now)
    elif field == "place":
        seminar.place = bounded(value, 2, 300, "seminar_place_length")
    elif field == "link":
        seminar.link = parse_link(value)
    else:
        seminar.capacity = parse_capacity(value)
    return await _changed(session, person, seminar, field, now, catalogues)


async def choose(
    session: AsyncSession,
    person_id: int,
    seminar_id: int,
    field: str,
    value: int,
    now: datetime,
    catalogues: Mapping[str, Texts],
) -> FormPrompt:
    """A button of the field asked now: a duration, format, capacity, tag or "skip"/"done"."""
    person, seminar, asked = await current(session, person_id)
    if seminar.id != seminar_id or field != asked:
        raise StaleAction()
    if field == "duration" and value in DURATIONS:
        seminar.duration_minutes = value
    elif field == "format" and 0 <= value < len(FORMATS):
        seminar.format = FORMATS[value]
    elif field == "capacity" and value in CAPACITIES:
        seminar.capacity = value or None
    elif field == "description" and value == -1:
        seminar.description = None
    elif field == "tags" and 1 <= abs(value) <= len(AREAS):
        area = AREAS[abs(value) - 1]
        tags = [t for t in seminar.tags or [] if t != area]
        seminar.tags = tags + ([area] if value > 0 else [])  # +n adds, -n removes: idempotent
        await session.commit()
        return await prompt(session, person_id, now)
    elif field not in ("tags", "audience") or value != 0:  # 0: "done" for tags and audience
        raise StaleAction()
    return await _changed(session, person, seminar, field, now, catalogues)


async def audience_kind(
    session: AsyncSession, person_id: int, seminar_id: int, kind: AudienceKind, now: datetime
) -> FormPrompt:
    """Choose the audience kind; schools and subjects are then picked one by one."""
    person, seminar, field = await current(session, person_id)
    if seminar.id != seminar_id or field != "audience":
        raise StaleAction()
    audience = Audience(kind)
    seminar.audience = audience.to_json()
    if not audience.needs_choice:
        await _advance(session, person, seminar, "audience")
    await session.commit()
    return await prompt(session, person_id, now)


async def audience_item(
    session: AsyncSession,
    person_id: int,
    seminar_id: int,
    item: int,
    selected: bool,
    now: datetime,
) -> FormPrompt:
    """Choose or unchoose one school or subject of the audience."""
    _, seminar, field = await current(session, person_id)
    if seminar.id != seminar_id or field != "audience":
        raise StaleAction()
    seminar.audience = Audience.chosen(seminar.audience).toggled(item, selected).to_json()
    await session.commit()
    return await prompt(session, person_id, now)


async def edit(
    session: AsyncSession, person_id: int, seminar_id: int, field: str, now: datetime
) -> FormPrompt:
    """Ask one field again from the preview (or for a published seminar from /myseminars)."""
    person = await load_person(session, person_id)
    seminar = await session.get(Seminar, seminar_id)
    if seminar is None or seminar.organiser_id != person_id or field not in ORDER:
        raise StaleAction()
    if seminar.status == SeminarStatus.CANCELLED or not _needed(seminar, field):
        raise StaleAction()
    if seminar.status == SeminarStatus.PUBLISHED and field == "audience":
        raise StaleAction()  # people were already invited
    person.step, person.step_target, person.step_edit = "sem_" + field, seminar.id, True
    await session.commit()
    return await prompt(session, person_id, now)


async def back(
    session: AsyncSession, person_id: int, seminar_id: int, now: datetime
) -> FormPrompt:
    """Leave a field edit unchanged and return to the card."""
    person, seminar, _ = await current(session, person_id)
    if seminar.id != seminar_id or not person.step_edit:
        raise StaleAction()
    person.step, person.step_edit = "sem_" + PREVIEW, False
    await session.commit()
    return await prompt(session, person_id, now)


async def _changed(
    session: AsyncSession,
    person: Person,
    seminar: Seminar,
    field: str,
    now: datetime,
    catalogues: Mapping[str, Texts],
) -> FormPrompt:
    await _advance(session, person, seminar, field)
    notices: list[Notice] = []
    if seminar.status == SeminarStatus.PUBLISHED and field in ANNOUNCED_CHANGES:
        notices = await change_notices(session, seminar, field, now, catalogues)
    await session.flush()
    await enqueue(session, notices, now)  # commits
    return await prompt(session, person.id, now)
