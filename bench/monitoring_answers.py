"""The answers of the monitoring benchmark's region: completed CBI and deficit
self-assessments (campaigns and self-service retakes) and seminar feedback, scored by the
survey engine as a finished response is; some in progress. Anonymous ones are released as
core.questionnaires.anonymity leaves them: random ids, the release day, demographics kept
only where a batch of five shares them; those completed today still wait, linked."""

import random
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from monitoring_data import NOW, Region, Row, Teacher, chunks, moment, put, put_ids
from sqlalchemy.ext.asyncio import AsyncConnection

from core.models import AnonymousAnswer, AnonymousResponse, Answer, Completion, Response
from core.questionnaires.anonymity import Facts, generalise
from surveys.engine import score
from surveys.model import Instrument, ItemType

RETAKES = datetime(2026, 10, 15, tzinfo=UTC)  # self-service deficit retakes from then on
AREA_SHIFT = {"norm": 0.05, "subject": 0.08, "method": 0.0, "upbringing": -0.02,
              "developmental": -0.06, "communication": 0.03, "digital": -0.1}  # fmt: skip
MIN_GROUP = 5  # MIN_GROUP_SIZE's default
BATCH = 2_000  # responses per round of inserts


@dataclass(frozen=True)
class Filled:
    """One pass through an instrument; `completed_at` None while in progress."""

    teacher: Teacher
    instrument: str
    answers: tuple[tuple[str, Any], ...]
    completed_at: datetime | None
    campaign_id: int | None = None
    seminar_id: int | None = None
    anonymous: bool = False

    @property
    def released_on(self) -> datetime | None:
        """The day an anonymous response was released (None: confidential or still held)."""
        if not self.anonymous or self.completed_at is None:
            return None
        day = (self.completed_at + timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        return day if day <= NOW else None


@dataclass
class Written:
    responses: int = 0
    answers: int = 0
    released: int = 0
    released_answers: int = 0


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))


class Answering:
    """Answers as a teacher would give them: burnout and mastery are traits of the person."""

    def __init__(self, rng: random.Random, instruments: dict[str, Instrument]) -> None:
        self.rng, self.instruments = rng, instruments
        self.traits: dict[int, tuple[float, float]] = {}

    def answers(self, who: Teacher, instrument: str) -> tuple[tuple[str, Any], ...]:
        rng = self.rng
        tired, able = self.traits.setdefault(
            who.id, (_clip(rng.gauss(0.4, 0.18)), _clip(rng.gauss(0.72, 0.12)))
        )
        found: list[tuple[str, Any]] = []
        for item in self.instruments[instrument].items:
            if item.type == ItemType.TEXT:
                found.append((item.id, "Спасибо, полезно" if rng.random() < 0.3 else None))
            elif item.type == ItemType.RATING:
                found.append((item.id, round(10 * _clip(rng.gauss(0.8, 0.2)))))
            else:
                found.append((item.id, self._code(instrument, item.id, tired, able)))
        return tuple(found)

    def _code(self, instrument: str, item: str, tired: float, able: float) -> int:
        noise = self.rng.gauss(0, 0.15)
        if instrument == "cbi":
            code = 1 + round(4 * _clip(tired + noise))
            return 6 - code if item == "q13" else code  # the reversed item
        if instrument == "deficits":
            return 1 + round(4 * _clip(able + AREA_SHIFT[item.rstrip("0123456789")] + noise))
        return 1 + round(4 * _clip(0.75 + noise))

    def scores(self, filled: Filled) -> dict[str, Any] | None:
        if filled.completed_at is None:
            return None
        return score(self.instruments[filled.instrument], dict(filled.answers)).to_json()


def passes(region: Region, answering: Answering) -> Iterator[Filled]:
    """Campaign completions, deficit retakes, feedback after half the visits, a few begun."""
    rng, a = region.rng, answering
    for done in region.completed:
        yield Filled(done.teacher, done.instrument, a.answers(done.teacher, done.instrument),
                     done.at, campaign_id=done.campaign, anonymous=done.anonymous)  # fmt: skip
    registered = [t for t in region.teachers if t.registered_at is not None]
    for teacher in rng.sample(registered, len(registered) // 10):
        yield Filled(
            teacher, "deficits", a.answers(teacher, "deficits"), moment(rng, RETAKES, NOW)
        )
    for seminar, starts, teacher in region.attended:
        if rng.random() < 0.5:
            at = starts + timedelta(hours=2, minutes=rng.randint(0, 600))
            answers = a.answers(teacher, "seminar_feedback")
            yield Filled(teacher, "seminar_feedback", answers, at, None, seminar, anonymous=True)
    for teacher in rng.sample(registered, len(registered) // 50):
        begun = a.answers(teacher, "deficits")[: rng.randint(3, 15)]
        yield Filled(teacher, "deficits", begun, None)


async def write(conn: AsyncConnection, region: Region, answering: Answering) -> Written:
    """Every response and answer, BATCH responses at a time."""
    written = Written()
    for batch in chunks(passes(region, answering), BATCH):
        held = [f for f in batch if f.released_on is None]
        released = [f for f in batch if f.released_on is not None]
        await _held(conn, held, answering, written)
        await _released(conn, released, answering, written)
    return written


async def _held(
    conn: AsyncConnection, batch: list[Filled], answering: Answering, written: Written
) -> None:
    rows = [
        {"person_id": f.teacher.id, "instrument": f.instrument, "version": 1,
         "anonymous": f.anonymous, "status": "in_progress" if f.completed_at is None
         else "completed", "seminar_id": f.seminar_id, "campaign_id": f.campaign_id,
         "started_at": (f.completed_at or NOW) - timedelta(minutes=12),
         "completed_at": f.completed_at, "scores": answering.scores(f)}
        for f in batch
    ]  # fmt: skip
    ids = await put_ids(conn, Response, rows)
    answers = (
        {"response_id": rid, "item_id": item, "value": value, "position": position}
        for rid, f in zip(ids, batch, strict=True)
        for position, (item, value) in enumerate(f.answers, start=1)
    )
    written.responses += len(rows)
    written.answers += await put(conn, Answer, answers)


async def _released(
    conn: AsyncConnection, batch: list[Filled], answering: Answering, written: Written
) -> None:
    """Released in batches of one context and day: no person, demographics generalised."""
    rng = answering.rng
    rows: list[Row] = []
    answers: list[Row] = []
    contexts: dict[tuple[Any, ...], list[Filled]] = defaultdict(list)
    for f in batch:
        contexts[(f.campaign_id, f.seminar_id, f.released_on)].append(f)
    for group in contexts.values():
        facts = [Facts(f.teacher.school, f.teacher.subjects, f.teacher.young) for f in group]
        for f, kept in zip(group, generalise(facts, MIN_GROUP, rng), strict=True):
            new = uuid.UUID(int=rng.getrandbits(128), version=4)
            rows.append(_anonymous(f, new, kept.school_id, list(kept.subject_ids), kept.young)
                        | {"scores": answering.scores(f)})  # fmt: skip
            answers += [{"response_id": new, "item_id": i, "value": v} for i, v in f.answers]
    await put(conn, AnonymousResponse, rows)
    written.released += len(rows)
    written.released_answers += await put(conn, AnonymousAnswer, answers)
    await put(conn, Completion, (
        {"person_id": f.teacher.id, "instrument": f.instrument, "seminar_id": f.seminar_id,
         "completed_on": f.released_on} for f in batch
    ))  # fmt: skip


def _anonymous(f: Filled, new: uuid.UUID, school: Any, subjects: list[int], young: Any) -> Row:
    return {
        "id": new, "instrument": f.instrument, "version": 1,
        "municipality_id": f.teacher.town, "campaign_id": f.campaign_id,
        "seminar_id": f.seminar_id, "school_id": school, "subject_ids": subjects,
        "young": young, "released_on": f.released_on,
    }  # fmt: skip
