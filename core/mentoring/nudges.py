"""Mentoring nudges, checked on every scheduler tick.

A pair gone quiet gets a gentle word, an offer a mentor left unanswered goes back to the
queue, a request left too long in the methodists' queue is flagged to them, and a pair whose
programme's end date has passed is asked to close or extend it. Each pass marks what it told
(nudged_at, flagged_at, overdue_asked_at) in the commit that queues the outbox rows, and the
rows' keys make a repeated tick queue nothing twice.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.mentoring.expiry import expire_offers
from core.messaging.outbox import Notice, enqueue
from core.models import (
    Mentorship,
    MentorshipRequest,
    Municipality,
    Person,
    PersonRole,
    RequestStatus,
    Role,
)
from core.screens import Button, Text, stored
from core.texts import Texts
from core.timeutil import as_utc, known_zone

logger = logging.getLogger(__name__)
PRIORITY = 1  # reminders go before announcements
DATE = "%d.%m.%Y"  # how people read a date


async def nudge(
    session: AsyncSession,
    now: datetime,
    catalogues: Mapping[str, Texts],
    silence_days: int,
    wait_days: int,
) -> int:
    """Queue every nudge due at `now` and mark what was told; returns how many rows are new."""
    silent = await _silent_pairs(session, now, catalogues, silence_days)
    silent += await expire_offers(session, now, catalogues, wait_days)
    flags = await _waiting_requests(session, now, catalogues, wait_days)
    overdue = await _overdue_pairs(session, now, catalogues)
    await session.flush()
    queued = await enqueue(session, [*silent, *flags, *overdue], now)
    await session.commit()  # the marks and the notices together
    if queued:
        logger.info(
            "mentoring nudges: %d queued (%d silence, %d queue flags, %d overdue)",
            queued,
            len(silent),
            len(flags),
            len(overdue),
        )
    return queued


async def _silent_pairs(
    session: AsyncSession, now: datetime, catalogues: Mapping[str, Texts], days: int
) -> list[Notice]:
    """Open pairs with no activity for `days` days, not nudged since their last activity."""
    pairs = list(
        await session.scalars(
            select(Mentorship)
            .where(
                Mentorship.ended_at.is_(None),
                Mentorship.last_activity_at <= now - timedelta(days=days),
                or_(
                    Mentorship.nudged_at.is_(None),
                    Mentorship.nudged_at < Mentorship.last_activity_at,
                ),
            )
            .order_by(Mentorship.id)
        )
    )
    people = await _people(session, pairs)
    notices = []
    for pair in pairs:
        since = as_utc(pair.last_activity_at)
        quiet = (now - since).days
        buttons = [
            Button(Text("mtn_btn_write"), "mentoring.write", (pair.id,)),
            Button(Text("mtn_btn_meeting"), "mentoring.meeting", (pair.id,)),
        ]
        for person, mentor in _sides(pair, people):
            t = catalogues[person.language]
            said = t("mtn_silence_mentor" if mentor else "mtn_silence_mentee", days=quiet)
            # named by the silence (its last activity), not by the day: two overlapping runs
            # queue it once whatever the date, and a new silence gets a key of its own
            key = f"mtn:silence:{pair.id}:{person.id}:{since:%Y-%m-%dT%H:%M:%S}"
            notices.append(_notice(key, person, said, stored(t, [buttons])))
        pair.nudged_at = now
    return notices


async def _waiting_requests(
    session: AsyncSession, now: datetime, catalogues: Mapping[str, Texts], days: int
) -> list[Notice]:
    """Requests waiting in the queue over `days` days, told to their municipality's
    methodists: one message per methodist and municipality, with a count and no details."""
    requests = await session.scalars(
        select(MentorshipRequest)
        .where(
            MentorshipRequest.status == RequestStatus.WAITING,
            MentorshipRequest.flagged_at.is_(None),
            MentorshipRequest.submitted_at < now - timedelta(days=days),
        )
        .order_by(MentorshipRequest.id)
    )
    by_town: dict[int, list[MentorshipRequest]] = defaultdict(list)
    for request in requests:
        by_town[request.municipality_id].append(request)
    methodists = await _methodists(session, by_town)
    notices = []
    for town, batch in by_town.items():
        if not methodists[town]:
            continue  # nobody to tell yet: flagged once a methodist is there
        oldest = min(as_utc(r.submitted_at) for r in batch if r.submitted_at is not None)
        for methodist in methodists[town]:
            t = catalogues[methodist.language]
            key = "mtn_queue_one" if len(batch) == 1 else "mtn_queue_many"
            said = t(key, count=len(batch), days=(now - oldest).days)
            markup = stored(t, [[Button(Text("mtn_btn_queue"), "mentoring.queue", ())]])
            # a request is flagged once, so the batch's first id names the batch for good
            notices.append(
                _notice(f"mtn:queue:{batch[0].id}:{methodist.id}", methodist, said, markup)
            )
        for request in batch:
            request.flagged_at = now
    return notices


async def _overdue_pairs(
    session: AsyncSession, now: datetime, catalogues: Mapping[str, Texts]
) -> list[Notice]:
    """Open pairs whose end date has passed in their municipality's zone, not asked yet."""
    # A local date is at most a day ahead of UTC's: only a pair ending by today in UTC can
    # have ended locally, so the others are not even read.
    rows = await session.execute(
        select(Mentorship, Municipality.timezone)
        .join(Municipality, Municipality.id == Mentorship.municipality_id)
        .where(
            Mentorship.ended_at.is_(None),
            Mentorship.overdue_asked_at.is_(None),
            Mentorship.ends_on <= as_utc(now).date(),
        )
        .order_by(Mentorship.id)
    )
    due = []
    for pair, name in rows:
        zone = known_zone(name)
        if zone is None:  # that municipality alone is left out, by its id
            logger.error(
                "mentoring: municipality %d has an unknown time zone", pair.municipality_id
            )
        elif as_utc(now).astimezone(zone).date() > pair.ends_on:
            due.append(pair)
    people = await _people(session, due)
    notices = []
    for pair in due:
        buttons = [
            Button(Text("mtn_btn_extend"), "mentoring.extend", (pair.id,)),
            Button(Text("mtn_btn_close"), "mentoring.close", (pair.id,)),
        ]
        for person, _ in _sides(pair, people):
            t = catalogues[person.language]
            said = t("mtn_overdue", date=pair.ends_on.strftime(DATE))
            # the end date in the key: an extended programme is asked again at its new end
            key = f"mtn:overdue:{pair.id}:{person.id}:{pair.ends_on:%Y-%m-%d}"
            notices.append(_notice(key, person, said, stored(t, [buttons])))
        pair.overdue_asked_at = now
    return notices


async def _people(session: AsyncSession, pairs: Sequence[Mentorship]) -> dict[int | None, Person]:
    """The people of these pairs, by id, in one query."""
    ids = {i for pair in pairs for i in (pair.mentor_id, pair.mentee_id) if i is not None}
    if not ids:
        return {}
    found = await session.scalars(select(Person).where(Person.id.in_(ids)))
    return {person.id: person for person in found}


def _sides(pair: Mentorship, people: Mapping[int | None, Person]) -> list[tuple[Person, bool]]:
    """The pair's people still here and reachable, each with whether they are the mentor."""
    sides = [(people.get(pair.mentor_id), True), (people.get(pair.mentee_id), False)]
    return [(person, mentor) for person, mentor in sides if person is not None and person.active]


async def _methodists(session: AsyncSession, towns: Iterable[int]) -> dict[int, list[Person]]:
    """Active, registered methodists of these municipalities, by municipality."""
    found: dict[int, list[Person]] = defaultdict(list)
    ids = list(towns)
    if not ids:
        return found
    people = await session.scalars(
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(
            PersonRole.role == Role.METHODIST,
            Person.municipality_id.in_(ids),
            Person.active.is_(True),
            Person.registered_at.is_not(None),
        )
        .order_by(Person.id)
    )
    for person in people:
        found[person.municipality_id].append(person)
    return found


def _notice(key: str, person: Person, text: str, markup: dict[str, object]) -> Notice:
    return Notice(
        key, person.telegram_id, text, markup=markup, person_id=person.id, priority=PRIORITY
    )
