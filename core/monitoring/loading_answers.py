"""Completed questionnaires as indicator facts: confidential ones with their person's profile,
released anonymous ones with the demographics they kept and an id of their own (negative, so
the two kinds never collide), never a person."""

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


def _overall(instrument: str, scores: dict[str, Any] | None) -> str | None:
    if instrument != CBI or not scores:
        return None
    band = scores.get("derived", {}).get("overall", {}).get("band")
    return str(band) if band else None


def _bands(response_id: int, instrument: str, scores: dict[str, Any] | None) -> list[Row]:
    if instrument != DEFICITS or not scores:
        return []
    return [
        (response_id, area, str(found["band"]))
        for area, found in scores.get("scales", {}).items()
        if found.get("band")
    ]


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
            Response.scores,
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
    for rid, instrument, pid, completed, scores in rows:
        if pid not in profile:
            continue
        town, school, subjects, young = profile[pid]
        overall = _overall(instrument, scores)
        out[0].append((rid, instrument, town, pid, school, subjects, young, completed, overall))
        out[1].extend(_bands(rid, instrument, scores))
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
    found = await session.execute(
        select(AnonymousResponse).where(*where).order_by(AnonymousResponse.released_on)
    )
    released = list(found.scalars())
    feedback_ids = [r.id for r in released if r.instrument == FEEDBACK]
    answers = await _items(session, feedback_ids, anonymous=True)
    for number, r in enumerate(released, start=1):
        rid = -number
        out[0].append(
            (
                rid,
                r.instrument,
                r.municipality_id,
                None,
                r.school_id,
                list(r.subject_ids or []),
                r.young,
                r.released_on,
                _overall(r.instrument, r.scores),
            )
        )
        out[1].extend(_bands(rid, r.instrument, r.scores))
        if r.instrument == FEEDBACK:
            out[2].append((rid, *answers.get(r.id, (None, None))))


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
