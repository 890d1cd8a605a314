"""A young teacher's request for a mentor, on the form engine: the areas (preselected from
the latest deficit self-assessment), a topic of their own, the subject, how to meet, a preview;
then its status, and withdrawing it."""

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, PedPulseError, StaleAction
from core.forms import Act, Context, Field, Form, Kind, Step, at_summary, begin
from core.mentoring.notices import notice
from core.mentoring.people import (
    area_tick,
    latest_bands,
    move_request,
    open_pair_of,
    request_lines,
)
from core.messaging.outbox import enqueue
from core.models import (
    MeetingMode,
    MentorshipRequest,
    Person,
    RequestStatus,
    Subject,
)
from core.people.viewer import load_person, person_subjects, set_pending
from core.screens import BLANK, Button, Screen, Text, text
from core.seminars.listing import AREAS
from core.validation import bounded, is_young

MODES = tuple(MeetingMode)
ANY_SUBJECT = 0  # «Не важно»
SKIP = 0  # no topic of one's own
ACTIVE = (RequestStatus.WAITING, RequestStatus.OFFERED)


class RequestForm(Form[MentorshipRequest]):
    name = "mentor_request"
    code = "m"
    fields = (
        Field("areas", Kind.MULTI),
        Field("topic", Kind.CHOICE, typed=True),
        Field("subject", Kind.CHOICE),
        Field("mode", Kind.CHOICE),
    )

    async def load(
        self, session: AsyncSession, person: Person, target: int | None
    ) -> MentorshipRequest:
        draft = await session.get(MentorshipRequest, target) if target else None
        if draft is None or draft.mentee_id != person.id or draft.status != RequestStatus.DRAFT:
            raise StaleAction()
        return draft

    async def typed(
        self, session: AsyncSession, draft: MentorshipRequest, field: str, value: str, ctx: Context
    ) -> None:
        draft.topic = bounded(value, 3, 500, "mentor_topic_length")

    async def chosen(
        self,
        session: AsyncSession,
        draft: MentorshipRequest,
        field: str,
        value: int,
        key: str,
        ctx: Context,
    ) -> None:
        if field == "topic" and value == SKIP:
            draft.topic = None
        elif field == "subject":
            mine = await _subjects(session, draft.mentee_id)
            if value != ANY_SUBJECT and value not in dict(mine):
                raise StaleAction()
            draft.subject_id = value or None
        elif field == "mode" and 0 <= value < len(MODES):
            draft.mode = MODES[value]
        else:
            raise StaleAction()

    async def ticked(
        self, session: AsyncSession, draft: MentorshipRequest, field: str, item: int, on: bool
    ) -> None:
        if not 1 <= item <= len(AREAS):
            raise StaleAction()
        area = AREAS[item - 1]
        rest = [a for a in draft.areas if a != area]
        draft.areas = [a for a in AREAS if a in rest or (on and a == area)]

    async def ask(
        self, session: AsyncSession, draft: MentorshipRequest, field: str, step: Step, ctx: Context
    ) -> Screen:
        rows = await _rows(session, draft, field, step)
        if step.edit:
            rows.append((step.button(Text("btn_cancel"), Act.BACK),))
        return Screen((Text(f"mentor_ask_{field}"),), tuple(rows))

    async def summary(
        self, session: AsyncSession, draft: MentorshipRequest, step: Step, ctx: Context
    ) -> Screen:
        lines = [Text("mentor_preview"), BLANK, *await request_lines(session, draft)]
        edits = [step.button(Text(f"btn_mentor_{f.name}"), Act.EDIT, f.name) for f in self.fields]
        rows = (
            (Button(Text("btn_send"), "mentoring.submit", (draft.id,)),),
            tuple(edits[:2]),
            tuple(edits[2:]),
            (Button(Text("btn_cancel"), "mentoring.cancel", (draft.id,)),),
        )
        return Screen(tuple(lines), rows)


FORM = RequestForm()


async def _subjects(session: AsyncSession, person_id: int) -> list[tuple[int, str]]:
    person = await load_person(session, person_id)
    ids = [s.subject_id for s in await person_subjects(person)]
    found = await session.execute(
        select(Subject.id, Subject.name).where(Subject.id.in_(ids)).order_by(Subject.name)
    )
    return [(row.id, row.name) for row in found]


async def _rows(
    session: AsyncSession, draft: MentorshipRequest, field: str, step: Step
) -> list[tuple[Button, ...]]:
    rows: list[tuple[Button, ...]]
    if field == "areas":
        ticks = [
            step.button(
                area_tick(area, area in draft.areas),
                Act.TICK,
                value=-(i + 1) if area in draft.areas else i + 1,
            )
            for i, area in enumerate(AREAS)
        ]
        rows = [(b,) for b in ticks]
        return [*rows, (step.button(Text("btn_done"), Act.DONE),)]
    if field == "topic":
        return [(step.button(Text("btn_skip"), Act.CHOOSE, value=SKIP),)]
    if field == "subject":
        mine = await _subjects(session, draft.mentee_id)
        rows = [(step.button(name, Act.CHOOSE, value=sid),) for sid, name in mine]
        return [*rows, (step.button(Text("btn_any_subject"), Act.CHOOSE, value=ANY_SUBJECT),)]
    return [
        (step.button(Text(f"mode_{mode}"), Act.CHOOSE, value=i),) for i, mode in enumerate(MODES)
    ]


async def start(session: AsyncSession, person_id: int, ctx: Context) -> Screen:
    """The status of an active request or pair; otherwise a fresh draft, areas preselected."""
    person = await load_person(session, person_id)
    if person.school_id is None:  # methodists and admins without a school
        raise PedPulseError("mentor_teachers_only")
    if await open_pair_of(session, person_id, mentee=True) is not None:
        raise PedPulseError("mentor_already_paired")
    active = await _active(session, person_id)
    if active is not None:
        return await status_screen(session, active)
    await session.execute(
        delete(MentorshipRequest).where(
            MentorshipRequest.mentee_id == person_id,
            MentorshipRequest.status == RequestStatus.DRAFT,
        )
    )
    bands = await latest_bands(session, person_id)
    draft = MentorshipRequest(
        mentee_id=person_id,
        municipality_id=person.municipality_id,
        areas=[a for a in AREAS if bands.get(a) in ("high", "medium")],
        status=RequestStatus.DRAFT,
        created_at=ctx.now,
    )
    session.add(draft)
    await session.flush()
    return await begin(session, person, FORM, draft, ctx)


async def _active(session: AsyncSession, person_id: int) -> MentorshipRequest | None:
    found: MentorshipRequest | None = await session.scalar(
        select(MentorshipRequest).where(
            MentorshipRequest.mentee_id == person_id, MentorshipRequest.status.in_(ACTIVE)
        )
    )
    return found


async def status_screen(session: AsyncSession, request: MentorshipRequest) -> Screen:
    assert request.submitted_at is not None
    lines = [
        text("mentor_status", status=Text(f"request_{request.status}")),
        BLANK,
        *await request_lines(session, request),
    ]
    rows = ((Button(Text("btn_withdraw"), "mentoring.withdraw", (request.id,)),),)
    return Screen(tuple(lines), rows)


async def submit(session: AsyncSession, person_id: int, request_id: int, ctx: Context) -> Screen:
    """The previewed draft joins the methodists' queue."""
    person = await load_person(session, person_id)
    draft = await at_summary(session, person, FORM, request_id)
    if not draft.areas and not draft.topic:
        raise InvalidInput("mentor_request_empty")
    draft.status = RequestStatus.WAITING
    draft.submitted_at = ctx.now
    set_pending(person, None)
    await session.commit()
    return Screen((Text("mentor_submitted"),))


async def cancel(session: AsyncSession, person_id: int, request_id: int) -> Screen:
    person = await load_person(session, person_id)
    draft = await at_summary(session, person, FORM, request_id)
    await session.delete(draft)
    set_pending(person, None)
    await session.commit()
    return Screen((Text("mentor_cancelled"),))


async def withdraw(session: AsyncSession, person_id: int, request_id: int, ctx: Context) -> Screen:
    """The mentee takes a waiting or offered request back (a mentor offered it is told)."""
    request = await session.get(MentorshipRequest, request_id)
    if request is None or request.mentee_id != person_id or request.status not in ACTIVE:
        raise StaleAction()
    mentor = await session.get(Person, request.offered_to) if request.offered_to else None
    await move_request(
        session,
        request,
        MentorshipRequest.status == request.status,  # not accepted meanwhile
        status=RequestStatus.WITHDRAWN,
        offered_to=None,
    )
    if mentor is not None and mentor.active:
        told = Screen((Text("mentor_request_withdrawn"),))
        key = f"mt:withdrawn:{request.id}"
        await enqueue(session, [notice(key, mentor, told, ctx.catalogues)], ctx.now)
    await session.commit()
    return Screen((Text("mentor_withdrawn"),))


async def route_offer(session: AsyncSession, person_id: int, this_year: int) -> Screen | None:
    """Under /route: a young teacher with areas to work on, and no request or pair yet, is
    offered a mentor (None for anyone else)."""
    person = await load_person(session, person_id)
    if not is_young(person.started_year, person.birth_year, this_year):
        return None
    bands = await latest_bands(session, person_id)
    if not any(band in ("high", "medium") for band in bands.values()):
        return None
    if await open_pair_of(session, person_id, mentee=True) or await _active(session, person_id):
        return None
    ask = Button(Text("btn_ask_mentor"), "mentoring.ask")
    return Screen((Text("route_mentor_offer"),), ((ask,),))
