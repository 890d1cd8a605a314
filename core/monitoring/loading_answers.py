"""Completed questionnaires as indicator facts: confidential ones with their person's profile,
released anonymous ones with the demographics they kept and an id of their own (negative, so
the two kinds never collide), never a person."""

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Executable, case, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.collector import spare_what_lives
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
PARTS = ("responses", "deficit_bands", "feedback")


def frame(name: str, rows: Sequence[Row]) -> pd.DataFrame:
    """A facts frame from rows."""
    return _nullable_ids(pd.DataFrame.from_records(rows, columns=list(COLUMNS[name])))


def _nullable_ids(found: pd.DataFrame) -> pd.DataFrame:
    """Id columns as nullable integers, so frames join whatever is missing."""
    for column in found.columns:
        if column.endswith("_id"):
            found[column] = found[column].astype("Int64")
    return found


async def rows(session: AsyncSession, query: Executable) -> Sequence[Row]:
    """The rows of a query, read without the ORM's work per row."""
    connection = await session.connection()
    found = (await connection.execute(query)).all()
    spare_what_lives()  # inside load_facts: the collector's passes leave these rows alone
    return found


def _paths(instrument: Any, scores: Any) -> tuple[Any, ...]:
    """The bands the indicators need, read by the database from the stored scores (JSON
    paths in SQL: the rest of the scores is never parsed), each only where its instrument
    has it (PostgreSQL parses a json document again for each path): the overall CBI band,
    then the band of each deficit area."""
    return (
        case((instrument == CBI, scores[("derived", "overall", "band")].as_string())),
        *(
            case((instrument == DEFICITS, scores[("scales", area, "band")].as_string()))
            for area in AREAS
        ),
    )


class Collected:
    """The columns of the responses, deficit_bands and feedback frames, filled part by part."""

    def __init__(self) -> None:
        self.columns: dict[str, dict[str, list[Any]]] = {
            name: {c: [] for c in COLUMNS[name]} for name in PARTS
        }

    def add(self, name: str, **columns: Sequence[Any]) -> None:
        for column, values in columns.items():
            self.columns[name][column].extend(values)

    def responses(self, part: Mapping[str, Sequence[Any]], bands: Sequence[Sequence[Any]]) -> None:
        """Add completed responses; `bands` holds one column per area. The query read each
        band only for its own instrument (`_paths`); an empty one counts as none."""
        rid = part["response_id"]
        overall = [band or None for band in part["overall_band"]]
        self.add("responses", **{**part, "overall_band": overall})
        for area, column in zip(AREAS, bands, strict=True):
            found = [(r, band) for r, band in zip(rid, column, strict=True) if band]
            self.add("deficit_bands", response_id=[r for r, _ in found], area=[area] * len(found),
                     band=[b for _, b in found])  # fmt: skip

    def feedback(self, ids: Sequence[Any], answers: dict[Any, Row], keys: Sequence[Any]) -> None:
        """Seminar feedback: `ids` as in the frames, `keys` as in the answers' table."""
        found = [answers.get(key, (None, None)) for key in keys]
        self.add("feedback", response_id=ids, satisfaction=[s for s, _ in found],
                 recommend=[r for _, r in found])  # fmt: skip

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        responses, bands, feedback = (
            _nullable_ids(pd.DataFrame(self.columns[name])) for name in PARTS
        )
        return responses, bands, feedback


async def answers_facts(
    session: AsyncSession, people: pd.DataFrame, municipality_id: int | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """responses, deficit_bands and feedback frames."""
    out = Collected()
    await _confidential(session, people, municipality_id, out)
    await _anonymous(session, municipality_id, out)
    return out.frames()


async def _confidential(
    session: AsyncSession, people: pd.DataFrame, municipality_id: int | None, out: Collected
) -> None:
    """Each person's completed responses with their profile (municipality, school, subjects,
    young) as it is today; whole columns at once."""
    where = [Person.municipality_id == municipality_id] if municipality_id is not None else []
    query = (
        select(Response.id, Response.instrument, Response.person_id, Response.completed_at,
               *_paths(Response.instrument, Response.scores))
        .join(Person, Person.id == Response.person_id)
        .where(Response.status == ResponseStatus.COMPLETED, Response.anonymous.is_(False),
               Response.completed_at.is_not(None), *where)
    )  # fmt: skip
    found = await rows(session, query)
    columns = [np.array(c, dtype=object) for c in zip(*found, strict=True)] if found else []
    if not columns:
        return
    place = pd.Index(people["person_id"]).get_indexer(columns[2].astype("int64"))
    kept = np.flatnonzero(place >= 0)
    rid, instrument, pid, completed, overall, *bands = (c[kept].tolist() for c in columns)
    place = place[kept]

    def profile(column: str) -> list[Any]:
        found: list[Any] = people[column].to_numpy(dtype=object)[place].tolist()
        return found

    part = {
        "response_id": rid, "instrument": instrument,
        "municipality_id": profile("municipality_id"), "person_id": pid,
        "school_id": profile("school_id"),
        "subject_ids": profile("subject_ids"),
        "young": [bool(y) for y in profile("young")], "completed_at": completed,
        "overall_band": overall,
    }  # fmt: skip
    out.responses(part, bands)
    asked = [r for r, kind in zip(rid, instrument, strict=True) if kind == FEEDBACK]
    out.feedback(asked, await _items(session, asked, anonymous=False), asked)


async def _anonymous(session: AsyncSession, municipality_id: int | None, out: Collected) -> None:
    """Released anonymous responses, numbered -1, -2, ... in the order of release."""
    a = AnonymousResponse
    where = [a.municipality_id == municipality_id] if municipality_id is not None else []
    released = await rows(
        session,
        select(
            a.id, a.instrument, a.municipality_id, a.school_id, a.subject_ids, a.young,
            a.released_on, *_paths(a.instrument, a.scores),
        )
        .where(*where)
        .order_by(a.released_on),
    )  # fmt: skip
    if not released:
        return
    key, instrument, town, school, subjects, young, on, overall, *bands = (
        list(c) for c in zip(*released, strict=True)
    )
    rid = [-number for number in range(1, len(key) + 1)]
    part = {
        "response_id": rid, "instrument": instrument, "municipality_id": town,
        "person_id": [None] * len(rid), "school_id": school,
        "subject_ids": [list(s or []) for s in subjects], "young": young, "completed_at": on,
        "overall_band": overall,
    }  # fmt: skip
    out.responses(part, bands)
    asked = [(r, k) for r, k, kind in zip(rid, key, instrument, strict=True) if kind == FEEDBACK]
    answers = await _items(session, [k for _, k in asked], anonymous=True)
    out.feedback([r for r, _ in asked], answers, [k for _, k in asked])


async def _items(session: AsyncSession, ids: list[Any], anonymous: bool) -> dict[Any, Row]:
    """(satisfaction, recommend) of seminar-feedback responses, by response id."""
    if not ids:
        return {}
    table = AnonymousAnswer if anonymous else Answer
    found = await rows(
        session,
        select(table.response_id, table.item_id, table.value).where(
            table.response_id.in_(ids), table.item_id.in_((SATISFACTION_ITEM, RECOMMEND_ITEM))
        ),
    )
    items: dict[Any, dict[str, Any]] = {}
    for rid, item, value in found:
        items.setdefault(rid, {})[item] = value if isinstance(value, int) else None
    return {rid: (v.get(SATISFACTION_ITEM), v.get(RECOMMEND_ITEM)) for rid, v in items.items()}
