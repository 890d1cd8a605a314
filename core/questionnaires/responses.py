"""Taking a questionnaire: saved after every answer, resumed at the next unanswered item.

Anonymous mode: while in progress, and after completion until it is released in a batch
(core.questionnaires.anonymity), the response is linked to the person so they can come
back; a Completion row or the campaign's member row records that the person took part, with
the day only.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, StaleAction
from core.models import (
    Answer,
    CampaignMember,
    Completion,
    Person,
    Registration,
    Response,
    ResponseStatus,
)
from core.people.viewer import Pending, load_person, pending_of, set_pending
from core.questionnaires.opened import Opened, open_response
from surveys.engine import AnswerError, ScoreResult, Value, check_answer, next_item, score
from surveys.model import Instrument, Item, ItemType

TYPED = Pending("survey", "answer")  # a typed answer awaited: target, the response
FEEDBACK = "seminar_feedback"


@dataclass(frozen=True)
class Question:
    response_id: int
    instrument: Instrument
    item: Item
    number: int
    answered: int
    anonymous: bool

    @property
    def total(self) -> int:
        return len(self.instrument.items)


@dataclass(frozen=True)
class Finished:
    response_id: int
    instrument: Instrument
    result: ScoreResult
    anonymous: bool


Step = Question | Finished


async def _answers(session: AsyncSession, response_id: int) -> dict[str, Value]:
    rows = await session.execute(
        select(Answer.item_id, Answer.value).where(Answer.response_id == response_id)
    )
    return dict(rows.all())


async def answer(
    session: AsyncSession,
    person_id: int,
    response_id: int,
    item_id: str,
    raw: object,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> Step:
    """Save the answer to the current item; the same answer twice changes nothing."""
    opened = await open_response(session, person_id, response_id, now, registry)
    return await _answer(session, person_id, *opened, item_id, raw, now)


async def answer_at(
    session: AsyncSession,
    person_id: int,
    response_id: int,
    position: int,
    raw: object,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> Step:
    """`answer` for the item at `position` (0-based), as buttons carry it."""
    response, instrument, given = await open_response(
        session, person_id, response_id, now, registry
    )
    if not 0 <= position < len(instrument.items):
        raise StaleAction()
    item_id = instrument.items[position].id
    return await _answer(session, person_id, response, instrument, given, item_id, raw, now)


async def _answer(
    session: AsyncSession,
    person_id: int,
    response: Opened,
    instrument: Instrument,
    given: dict[str, Value],
    item_id: str,
    raw: object,
    now: datetime,
) -> Step:
    """`given`, read with the response, decide what is current, where the answer goes and
    what comes next."""
    current = next_item(instrument, given)
    if current is None or current.id != item_id:
        if item_id in given:  # a double tap or a repeated update: already saved
            return await step_of(session, person_id, response, instrument, given, now)
        raise StaleAction()
    try:
        value = check_answer(instrument, current, raw)
    except AnswerError as exc:
        raise InvalidInput(exc.code, **exc.details) from exc
    await _save(session, response.id, item_id, value, len(given) + 1)
    given = given | {item_id: value}
    return await step_of(session, person_id, response, instrument, given, now)


def _upsert(dialect: Any) -> Executable:
    """Insert an answer, or replace its value: the columns come from the parameters."""
    statement = dialect.insert(Answer.__table__)
    return statement.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=[Answer.response_id, Answer.item_id],
        set_={"value": statement.excluded.value},
    )


# built once: building `excluded` costs more than running the statement
_UPSERTS = {"postgresql": _upsert(postgresql), "sqlite": _upsert(sqlite)}


async def _save(
    session: AsyncSession, response_id: int, item_id: str, value: Value, position: int
) -> None:
    """No read first: the unique (response, item) key decides (an update handled twice)."""
    upsert = _UPSERTS[session.get_bind().dialect.name]
    values = {"response_id": response_id, "item_id": item_id, "value": value, "position": position}
    await session.execute(upsert, values)


async def back(
    session: AsyncSession,
    person_id: int,
    response_id: int,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> Step:
    """Take back the last answer so the previous item can be answered again."""
    response, instrument, _given = await open_response(
        session, person_id, response_id, now, registry
    )
    last = await session.scalar(
        select(func.max(Answer.position)).where(Answer.response_id == response_id)
    )
    if last is None:
        raise StaleAction()
    await session.execute(
        delete(Answer).where(Answer.response_id == response_id, Answer.position == last)
    )
    return await step_of(session, person_id, response, instrument, None, now)


async def current_step(
    session: AsyncSession, person_id: int, now: datetime, registry: Mapping[str, Instrument]
) -> Step:
    """The question awaiting typed input (after a bad answer, to ask again)."""
    person = await load_person(session, person_id)
    pending = pending_of(person)
    if pending is None or pending.form != TYPED.form or pending.target is None:
        raise StaleAction()
    try:
        opened = await open_response(session, person_id, pending.target, now, registry)
    except StaleAction as exc:  # closed (or deleted at closing) meanwhile
        set_pending(person, None)  # the text is free again
        await session.commit()
        raise StaleAction("survey_closed") from exc
    return await step_of(session, person_id, *opened, now)


async def step_of(
    session: AsyncSession,
    person_id: int,
    response: Response | Opened,
    instrument: Instrument,
    given: dict[str, Value] | None,
    now: datetime,
) -> Step:
    """Where the response stands; `given` are its answers when the caller has just read them."""
    if given is None:
        given = await _answers(session, response.id)
    item = next_item(instrument, given)
    person = await load_person(session, person_id)
    if item is None:
        result = await _finish(session, response.id, instrument, given, now)
        set_pending(person, None)
        await session.commit()
        return Finished(response.id, instrument, result, response.anonymous)
    typed = item.type in (ItemType.TEXT, ItemType.NUMBER)
    set_pending(person, replace(TYPED, target=response.id) if typed else None)
    await session.commit()
    number = [i.id for i in instrument.items].index(item.id) + 1
    return Question(response.id, instrument, item, number, len(given), response.anonymous)


async def _finish(
    session: AsyncSession,
    response_id: int,
    instrument: Instrument,
    given: dict[str, Value],
    now: datetime,
) -> ScoreResult:
    response = await session.get_one(Response, response_id)  # held already when just begun
    result = score(instrument, given)
    response.scores = result.to_json()
    response.status = ResponseStatus.COMPLETED
    response.completed_at = now
    person = await load_person(session, response.person_id or 0)
    await _participation(session, response, person, instrument, now)
    # An anonymous response stays linked until core.questionnaires.anonymity releases it.
    return result


async def _participation(
    session: AsyncSession,
    response: Response,
    person: Person,
    instrument: Instrument,
    now: datetime,
) -> None:
    """That the person took part, kept apart from the answers: feedback given, the campaign
    member completed, or (anonymous, on their own) a Completion; the day only."""
    if response.seminar_id is not None:
        await session.execute(
            update(Registration)
            .where(
                Registration.seminar_id == response.seminar_id,
                Registration.person_id == person.id,
            )
            .values(feedback_due=False)
        )
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if response.campaign_id is not None:  # the member row records participation
        await session.execute(
            update(CampaignMember)
            .where(
                CampaignMember.campaign_id == response.campaign_id,
                CampaignMember.person_id == person.id,
            )
            .values(completed_on=day)
        )
    elif response.anonymous:
        session.add(
            Completion(
                person_id=person.id,
                instrument=instrument.key,
                seminar_id=response.seminar_id,
                completed_on=day,
            )
        )
