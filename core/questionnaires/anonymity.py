"""Anonymous answers, made unlinkable even for someone who reads the whole database.

A completed anonymous response stays linked to its person (like one in progress) until it is
released: when at least `minimum` of one context (instrument and campaign or seminar, in one
municipality) are waiting. Release moves the whole batch, in a random order and in one
transaction, to AnonymousResponse with random ids, no person, no times but the release day, and
demographics kept only where at least `minimum` of the batch share them. So completion records
(campaign members, Completion rows) can tell who took part in a batch, never which answers are
whose. A context that closed with fewer than `minimum` answers joins the pool of its
questionnaire in its municipality (the answers given outside any campaign or seminar) with its
campaign or seminar forgotten, and waits until the pool has `minimum`: no batch is ever smaller
than that.
"""

import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import (
    AnonymousAnswer,
    AnonymousResponse,
    Answer,
    Campaign,
    CampaignStatus,
    Person,
    PersonSubject,
    Response,
    ResponseStatus,
    Seminar,
)
from core.timeutil import as_utc
from core.validation import is_young

FEEDBACK_WINDOW = timedelta(days=14)  # seminar feedback is taken this long after the end
V = TypeVar("V", bound=Hashable)


@dataclass(frozen=True)
class Facts:
    """What a respondent's demographics would say about them."""

    school_id: int | None
    subject_ids: tuple[int, ...]
    young: bool


@dataclass(frozen=True)
class Kept:
    """The demographics stored with a released answer (None / empty: not kept)."""

    school_id: int | None
    subject_ids: tuple[int, ...]
    young: bool | None


def generalise(people: Sequence[Facts], k: int, rng: random.Random) -> list[Kept]:
    """Demographics for each of a batch such that every combination kept is shared by at
    least `k` of the batch (or by nobody): school first, then the young flag within each
    school group, then the exact set of subjects within each of those."""
    if len(people) < k:
        return [Kept(None, (), None) for _ in people]
    result = [Kept(None, (), None) for _ in people]
    for school, members in _split(list(range(len(people))), lambda i: people[i].school_id, k, rng):
        for young, group in _split(members, lambda i: people[i].young, k, rng):
            for subjects, final in _split(group, lambda i: people[i].subject_ids, k, rng):
                for i in final:
                    result[i] = Kept(school, subjects or (), young)
    return result


def _split(
    indices: list[int], value: Callable[[int], V], k: int, rng: random.Random
) -> list[tuple[V | None, list[int]]]:
    """Groups of `indices` by `value`, each at least `k` strong; the rest go to a None group,
    which is topped up from the largest groups (at random) until it too has `k`, or empty."""
    groups: dict[V, list[int]] = defaultdict(list)
    for i in indices:
        groups[value(i)].append(i)
    kept = {v: members for v, members in groups.items() if len(members) >= k}
    unknown = [i for v, members in groups.items() if v not in kept for i in members]
    while unknown and len(unknown) < k:
        spare = {v: m for v, m in kept.items() if len(m) - k >= k - len(unknown)}
        if not spare:  # no group can give enough: the smallest gives up its value
            smallest = min(kept, key=lambda v: len(kept[v]))
            unknown += kept.pop(smallest)
            continue
        donor = max(spare, key=lambda v: len(spare[v]))
        rng.shuffle(kept[donor])
        need = k - len(unknown)
        unknown += kept[donor][:need]
        kept[donor] = kept[donor][need:]
    found: list[tuple[V | None, list[int]]] = list(kept.items())
    if unknown:
        found.append((None, unknown))
    return found


@dataclass(frozen=True)
class _Held:
    response: Response
    municipality_id: int
    facts: Facts


async def release_due(session: AsyncSession, now: datetime, minimum: int) -> int:
    """Release every context with enough waiting answers; returns how many. A closed context
    with fewer waits in its municipality's pool of the questionnaire (with the answers given
    outside any campaign or seminar), its campaign or seminar forgotten, until the pool too
    has `minimum`: released alone, its answers would be the only ones of that context, and
    its participation records would name whose they are."""
    groups: dict[tuple[object, ...], list[_Held]] = defaultdict(list)
    for held in await _held(session, now):
        r = held.response
        key = (r.instrument, r.version, r.campaign_id, r.seminar_id, held.municipality_id)
        groups[key].append(held)
    batches: list[tuple[list[_Held], bool]] = []
    pools: dict[tuple[object, ...], list[_Held]] = defaultdict(list)
    for (instrument, version, campaign, seminar, town), batch in groups.items():
        if len(batch) >= minimum:
            batches.append((batch, True))
        elif (campaign, seminar) == (None, None) or await context_closed(
            session, batch[0].response, now
        ):
            pools[(instrument, version, town)].extend(batch)
    batches += [(pool, False) for pool in pools.values() if len(pool) >= minimum]
    released = 0
    for batch, in_context in batches:
        done = await _release(session, batch, now, minimum, in_context)
        if done == 0:  # another run released it meanwhile: it does the rest too
            break
        released += done
    return released


async def _held(session: AsyncSession, now: datetime) -> list[_Held]:
    rows = await session.execute(
        select(Response, Person)
        .join(Person, Person.id == Response.person_id)
        .where(Response.anonymous.is_(True), Response.status == ResponseStatus.COMPLETED)
        .order_by(Response.id)
    )
    found = [(response, person) for response, person in rows]
    subjects: dict[int, list[int]] = defaultdict(list)
    for person_id, subject_id in await session.execute(
        select(PersonSubject.person_id, PersonSubject.subject_id).where(
            PersonSubject.person_id.in_([p.id for _, p in found])
        )
    ):
        subjects[person_id].append(subject_id)
    return [
        _Held(
            response,
            person.municipality_id,
            Facts(
                person.school_id,
                tuple(sorted(subjects[person.id])),
                is_young(person.started_year, person.birth_year, now.year),
            ),
        )
        for response, person in found
    ]


async def context_closed(session: AsyncSession, response: Response, now: datetime) -> bool:
    """Whether no more answers can join this context (release what waits, however few)."""
    if response.campaign_id is not None:
        campaign = await session.get(Campaign, response.campaign_id)
        return campaign is None or campaign.status == CampaignStatus.CLOSED
    if response.seminar_id is not None:
        seminar = await session.get(Seminar, response.seminar_id)
        if seminar is None or seminar.starts_at is None:
            return True
        ends = as_utc(seminar.starts_at) + timedelta(minutes=seminar.duration_minutes)
        return ends + FEEDBACK_WINDOW <= now
    return False


async def _release(
    session: AsyncSession, batch: list[_Held], now: datetime, minimum: int, in_context: bool
) -> int:
    """Move one batch, shuffled, with random ids, its campaign or seminar kept only
    `in_context`; the held rows go in the same transaction, first: a run that finds them
    gone (another run released them meanwhile) stores nothing."""
    rng = random.SystemRandom()
    batch = list(batch)
    rng.shuffle(batch)
    kept = generalise([held.facts for held in batch], minimum, rng)
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    ids = [held.response.id for held in batch]
    answers = await _answers(session, ids)
    await session.execute(delete(Answer).where(Answer.response_id.in_(ids)))
    gone = await session.execute(delete(Response).where(Response.id.in_(ids)))
    if gone.rowcount != len(ids):  # type: ignore[attr-defined]  # CursorResult of a DELETE
        await session.rollback()
        return 0
    await _store(session, list(zip(batch, kept, strict=True)), answers, day, in_context)
    await session.commit()
    return len(batch)


async def _store(
    session: AsyncSession,
    batch: list[tuple[_Held, Kept]],
    answers: dict[int, list[tuple[str, object]]],
    day: datetime,
    in_context: bool,
) -> None:
    """The batch as anonymous rows with random ids, in the shuffled order of `batch`."""
    released = [(held, demographics, uuid.uuid4()) for held, demographics in batch]
    session.add_all(
        AnonymousResponse(
            id=new_id,
            instrument=held.response.instrument,
            version=held.response.version,
            municipality_id=held.municipality_id,
            campaign_id=held.response.campaign_id if in_context else None,
            seminar_id=held.response.seminar_id if in_context else None,
            school_id=demographics.school_id,
            subject_ids=list(demographics.subject_ids),
            young=demographics.young,
            released_on=day,
            scores=held.response.scores,
        )
        for held, demographics, new_id in released
    )
    await session.flush()  # in the shuffled order: no physical order either
    session.add_all(
        AnonymousAnswer(response_id=new_id, item_id=item, value=value)
        for held, _, new_id in released
        for item, value in answers[held.response.id]
    )
    await session.flush()


async def _answers(
    session: AsyncSession, response_ids: list[int]
) -> dict[int, list[tuple[str, object]]]:
    found: dict[int, list[tuple[str, object]]] = defaultdict(list)
    for response_id, item, value in await session.execute(
        select(Answer.response_id, Answer.item_id, Answer.value).where(
            Answer.response_id.in_(response_ids)
        )
    ):
        found[response_id].append((item, value))
    return found
