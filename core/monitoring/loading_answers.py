"""Completed questionnaires as indicator facts: confidential ones with their person's profile,
released anonymous ones with the demographics they kept and an id of their own (negative, so
the two kinds never collide), never a person."""

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import (
    AnonymousAnswer,
    AnonymousResponse,
    Answer,
    Person,
    Response,
    ResponseStatus,
)
from core.monitoring.facts import COLUMNS
from core.seminars.listing import AREAS

CBI, DEFICITS, FEEDBACK = "cbi", "deficits", "seminar_feedback"
SATISFACTION_ITEM, RECOMMEND_ITEM = "q1", "q6"  # seminar_feedback: 1-5 and 0-10
Row = tuple[Any, ...]


def frame(name: str, rows: list[Row]) -> pd.DataFrame:
    """A facts frame; id columns as nullable integers, so frames join whatever is missing."""
    found = pd.DataFrame.from_records(rows, columns=list(COLUMNS[name]))
    for column in found.columns:
        if column.endswith("_id"):
            found[column] = found[column].astype("Int64")
    return found


def _paths(scores: Any) -> tuple[Any, ...]:
    """The bands the indicators need, read by the database from the stored scores (JSON
    paths in SQL: the rest of the scores is never parsed): the overall CBI band, then the
    band of each deficit area."""
    return (
        scores[("derived", "overall", "band")].as_string(),
        *(scores[("scales", area, "band")].as_string() for area in AREAS),
    )


def _bands(response_id: int, instrument: str, found: Sequence[str | None]) -> list[Row]:
    if instrument != DEFICITS:
        return []
    return [(response_id, a, band) for a, band in zip(AREAS, found, strict=True) if band]


def _overall(instrument: str, band: str | None) -> str | None:
    return band if instrument == CBI and band else None


async def answers_facts(
    session: AsyncSession, people: pd.DataFrame, municipality_id: int | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """responses, deficit_bands and feedback frames."""
    responses: list[Row] = []
    bands: list[Row] = []
    feedback: list[Row] = []
    await _confidential(session, people, municipality_id, (responses, bands, feedback))
    await _anonymous(session, municipality_id, (responses, bands, feedback))
    return (
        frame("responses", responses),
        frame("deficit_bands", bands),
        frame("feedback", feedback),
    )


async def _confidential(
    session: AsyncSession,
    people: pd.DataFrame,
    municipality_id: int | None,
    out: tuple[list[Row], list[Row], list[Row]],
) -> None:
    where = [Person.municipality_id == municipality_id] if municipality_id is not None else []
    found = await session.execute(
        select(
            Response.id,
            Response.instrument,
            Response.person_id,
            Response.completed_at,
            *_paths(Response.scores),
        )
        .join(Person, Person.id == Response.person_id)
        .where(
            Response.status == ResponseStatus.COMPLETED,
            Response.anonymous.is_(False),
            Response.completed_at.is_not(None),
            *where,
        )
    )
    rows = [tuple(r) for r in found.all()]
    answers = await _items(session, [r[0] for r in rows if r[1] == FEEDBACK], anonymous=False)
    profile = _profiles(people)
    for rid, instrument, pid, completed, overall, *bands in rows:
        if pid not in profile:
            continue
        town, school, subjects, young = profile[pid]
        overall = _overall(instrument, overall)
        out[0].append((rid, instrument, town, pid, school, subjects, young, completed, overall))
        out[1].extend(_bands(rid, instrument, bands))
        if instrument == FEEDBACK:
            out[2].append((rid, *answers.get(rid, (None, None))))


def _profiles(people: pd.DataFrame) -> dict[int, Row]:
    """Person → (municipality, school, subjects, young), read once for every response."""
    columns = ("municipality_id", "school_id", "subject_ids", "young")
    return {
        int(pid): (int(town), school, list(subjects), bool(young))
        for pid, town, school, subjects, young in zip(
            people["person_id"], *(people[c] for c in columns), strict=True
        )
    }


async def _anonymous(
    session: AsyncSession, municipality_id: int | None, out: tuple[list[Row], list[Row], list[Row]]
) -> None:
    where = (
        [AnonymousResponse.municipality_id == municipality_id]
        if municipality_id is not None
        else []
    )
    a = AnonymousResponse
    found = await session.execute(
        select(
            a.id, a.instrument, a.municipality_id, a.school_id, a.subject_ids, a.young,
            a.released_on, *_paths(a.scores),
        )
        .where(*where)
        .order_by(a.released_on)
    )  # fmt: skip
    released = found.all()
    answers = await _items(session, [r[0] for r in released if r[1] == FEEDBACK], anonymous=True)
    for number, (key, instrument, town, school, subjects, young, on, overall, *bands) in enumerate(
        released, start=1
    ):
        rid = -number
        out[0].append(
            (rid, instrument, town, None, school, list(subjects or []), young, on,
             _overall(instrument, overall))
        )  # fmt: skip
        out[1].extend(_bands(rid, instrument, bands))
        if instrument == FEEDBACK:
            out[2].append((rid, *answers.get(key, (None, None))))


async def _items(session: AsyncSession, ids: list[Any], anonymous: bool) -> dict[Any, Row]:
    """(satisfaction, recommend) of seminar-feedback responses, by response id."""
    if not ids:
        return {}
    table = AnonymousAnswer if anonymous else Answer
    found = await session.execute(
        select(table.response_id, table.item_id, table.value).where(
            table.response_id.in_(ids), table.item_id.in_((SATISFACTION_ITEM, RECOMMEND_ITEM))
        )
    )
    items: dict[Any, dict[str, Any]] = {}
    for rid, item, value in found.all():
        items.setdefault(rid, {})[item] = value if isinstance(value, int) else None
    return {rid: (v.get(SATISFACTION_ITEM), v.get(RECOMMEND_ITEM)) for rid, v in items.items()}
