"""Anonymous answers that can never be released: their questionnaire changed version.

A held anonymous answer waits, linked to its person, until `minimum` of its kind can go
together (core.questionnaires.anonymity). Once the questionnaire's file has a newer version,
no answer of the old version can be given or finished any more (every instance must serve the
new file: restart them together), so a pool of the old version that is still short of
`minimum` once every campaign and seminar it came from has closed would wait for ever: linked
to its people, and counted nowhere. Such answers are deleted instead (released, they would be
fewer than `minimum`), as are anonymous answers of an old version left unfinished, and each
person is told, in their language, that those answers were not counted and are gone.
Participation records (the day only) stay.
"""

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.messaging.outbox import Notice, enqueue
from core.models import Answer, Person, Response, ResponseStatus
from core.people.viewer import municipality_zone
from core.questionnaires.anonymity import context_closed
from core.questionnaires.campaign_notices import title_of
from core.texts import Texts
from core.timeutil import as_utc
from surveys.model import Instrument

KEPT = (ResponseStatus.IN_PROGRESS, ResponseStatus.COMPLETED)


async def drop_stranded(
    session: AsyncSession,
    now: datetime,
    minimum: int,
    instruments: Mapping[str, Instrument],
    catalogues: Mapping[str, Texts],
) -> int:
    """Delete the anonymous answers of old versions that can never be released, telling
    their people; returns how many responses went. Run after the release; a run that finds
    some already gone (released or deleted by another run meanwhile) changes nothing."""
    gone = [
        found
        for kind in (await _old_kinds(session, instruments)).values()
        if await _final(session, [r for r, _ in kind], now, minimum)
        for found in kind
    ]
    if not gone:
        return 0
    ids = [response.id for response, _ in gone]
    await session.execute(delete(Answer).where(Answer.response_id.in_(ids)))
    deleted = await session.execute(
        delete(Response).where(Response.id.in_(ids), Response.status.in_(KEPT))
    )
    if deleted.rowcount != len(ids):  # type: ignore[attr-defined]  # CursorResult of a DELETE
        await session.rollback()
        return 0
    await enqueue(session, await _notices(session, gone, instruments, catalogues), now)
    await session.commit()
    return len(ids)


async def _old_kinds(
    session: AsyncSession, instruments: Mapping[str, Instrument]
) -> dict[tuple[object, ...], list[tuple[Response, Person]]]:
    """Held and unfinished anonymous answers of an older version than the questionnaire's
    file has, by questionnaire, version and municipality (a file that is missing, or that went
    back to an older version, deletes nothing)."""
    older = [
        and_(Response.instrument == key, Response.version < instrument.version)
        for key, instrument in instruments.items()
    ]
    rows = await session.execute(
        select(Response, Person)
        .join(Person, Person.id == Response.person_id)
        .where(Response.anonymous.is_(True), Response.status.in_(KEPT), or_(false(), *older))
        .order_by(Response.id)
    )
    kinds: dict[tuple[object, ...], list[tuple[Response, Person]]] = defaultdict(list)
    for response, person in rows:
        kinds[(response.instrument, response.version, person.municipality_id)].append(
            (response, person)
        )
    return kinds


async def _final(
    session: AsyncSession, responses: list[Response], now: datetime, minimum: int
) -> bool:
    """Whether these completed answers are fewer than `minimum` for good: no answer of
    their kind can be given any more, and every campaign or seminar they came from has closed
    (an unfinished one can never be finished; the rest would be released)."""
    done = [r for r in responses if r.status == ResponseStatus.COMPLETED]
    if len(done) >= minimum:
        return False
    for response in done:
        in_context = response.campaign_id is not None or response.seminar_id is not None
        if in_context and not await context_closed(session, response, now):
            return False
    return True


async def _notices(
    session: AsyncSession,
    gone: list[tuple[Response, Person]],
    instruments: Mapping[str, Instrument],
    catalogues: Mapping[str, Texts],
) -> list[Notice]:
    notices = []
    zones: dict[int, ZoneInfo] = {}
    for response, person in gone:
        town = person.municipality_id
        if town not in zones:
            zones[town] = await municipality_zone(session, town)
        t = catalogues[person.language if person.language in catalogues else "ru"]
        title = title_of(instruments, response.instrument)[t.language]
        key = "anonymous_dropped" if response.completed_at else "anonymous_dropped_unfinished"
        at = as_utc(response.completed_at or response.started_at).astimezone(zones[town])
        day = at.strftime("%d.%m.%Y")
        notices.append(
            Notice(
                f"anon-dropped:{response.id}",
                person.telegram_id,
                t(key, title=title, date=day),
                person_id=person.id,
            )
        )
    return notices
