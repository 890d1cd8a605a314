"""The indicators' time series in the database: aggregating a municipality's periods (a
recomputed period replaces its rows), reading them back, and remembering what was published
so later publications stay consistent with it (core.monitoring.disclosure, `earlier`)."""

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, and_, delete, insert, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from core.collector import collector_spared, spare_what_lives
from core.models import NO_FACET, IndicatorRecord, Municipality, PublishedCell
from core.monitoring.catalogue import Catalogue, ScopeType
from core.monitoring.compute import Request, compute, standard_periods, today_in
from core.monitoring.disclosure import ShownValue
from core.monitoring.loading import load_facts
from core.monitoring.periods import Period, PeriodKind, period_of, school_year
from core.monitoring.values import CellKey, DenominatorSource, IndicatorValue
from core.monitoring.versions import Counts, Earlier
from core.offload import heavy

logger = logging.getLogger(__name__)
CHUNK = 2000  # rows per executemany


async def municipalities(session: AsyncSession) -> list[int]:
    return list(await session.scalars(select(Municipality.id).order_by(Municipality.id)))


async def aggregate(
    session: AsyncSession,
    catalogue: Catalogue,
    municipality_id: int,
    now: datetime,
    periods: Sequence[Period] | None = None,
) -> int:
    """Compute every indicator of the municipality for `periods` (by default the last eight
    weeks, this month and the school year to date) and store them; returns the rows stored."""
    # two aggregations of one municipality at once (the night's, a summary's catch-up, the
    # CLI) take turns on PostgreSQL from before loading: the later one stores the newer
    # facts, and one's delete never meets the other's rows
    await session.execute(
        select(Municipality.id).where(Municipality.id == municipality_id).with_for_update()
    )
    facts = await load_facts(session, now, municipality_id)
    if periods is None:
        periods = standard_periods(today_in(facts, municipality_id, now))
    request = Request(municipality_id, tuple(periods), now)
    # most of a second of numpy work on a large municipality: off the event loop, chats go on
    values = await heavy(compute, facts, catalogue, request)
    keys = [(p.kind.value, p.start) for p in periods]
    await session.execute(
        delete(IndicatorRecord).where(
            IndicatorRecord.municipality_id == municipality_id,
            tuple_(IndicatorRecord.period_kind, IndicatorRecord.period_start).in_(keys),
        )
    )
    with collector_spared():  # a dict per value, all kept until inserted
        rows = [_record(municipality_id, v, now) for v in values]
        spare_what_lives()
        await _insert(session, cast(Table, IndicatorRecord.__table__), rows)
    await session.commit()
    logger.info("monitoring: municipality %d, %d values stored", municipality_id, len(values))
    return len(values)


async def _insert(session: AsyncSession, table: Table, rows: list[dict[str, object]]) -> None:
    """Rows inserted by Core's executemany, in chunks: no ORM work per row."""
    connection = await session.connection()
    for start in range(0, len(rows), CHUNK):
        await connection.execute(insert(table), rows[start : start + CHUNK])


def _record(municipality_id: int, v: IndicatorValue, now: datetime) -> dict[str, object]:
    return {
        "municipality_id": municipality_id,
        "indicator": v.indicator,
        "facet": v.facet if v.facet is not None else NO_FACET,
        "period_kind": v.period.kind.value,
        "period_start": v.period.start,
        "period_end": v.period.end,
        "scope_type": v.scope_type.value,
        "scope_id": v.scope_id,
        "numerator": v.numerator,
        "denominator": v.denominator,
        "value": v.value,
        "n": v.n,
        "denominator_source": v.denominator_source,
        "until": v.until,
        "computed_at": now,
    }


async def stored(
    session: AsyncSession, municipality_id: int, periods: Sequence[Period]
) -> tuple[IndicatorValue, ...]:
    """The stored values of these periods (none for a period never aggregated)."""
    keys = [(p.kind.value, p.start) for p in periods]
    r = IndicatorRecord
    rows = await session.execute(
        select(
            r.indicator, r.period_start, r.period_end, r.period_kind, r.scope_type, r.scope_id,
            r.numerator, r.denominator, r.value, r.n, r.denominator_source, r.until, r.facet,
        )  # columns, not entities: a publication reads thousands of rows
        .where(
            r.municipality_id == municipality_id,
            tuple_(r.period_kind, r.period_start).in_(keys),
        )
        .order_by(r.id)
    )  # fmt: skip
    return tuple(
        IndicatorValue(
            r.indicator,
            Period(r.period_start, r.period_end, PeriodKind(r.period_kind)),
            ScopeType(r.scope_type),
            r.scope_id,
            r.numerator,
            r.denominator,
            r.value,
            r.n,
            cast(DenominatorSource, r.denominator_source),
            r.until,
            r.facet or None,
        )
        for r in rows
    )


async def earlier(
    session: AsyncSession, municipality_id: int, periods: Sequence[Period]
) -> list[Earlier]:
    """What readers were shown before of these periods, and every cell shown in their
    school years (timeline.py, history.py): columns, as every week adds thousands."""
    c = PublishedCell
    keys = [(p.kind.value, p.start) for p in periods]
    years = [school_year(p.start) for p in periods]
    spans = or_(
        tuple_(c.period_kind, c.period_start).in_(keys),
        and_(
            c.hidden.is_(False),
            c.period_start >= min(y.start for y in years),
            c.period_start < max(y.end for y in years),
        ),
    )
    rows = (
        await session.execute(
            select(
                c.indicator, c.facet, c.period_kind, c.period_start, c.scope_type, c.scope_id,
                c.until, c.hidden, c.numerator, c.denominator, c.n, c.value,
            ).where(c.municipality_id == municipality_id, spans)
        )
    ).all()  # fmt: skip
    scopes = {scope.value: scope for scope in ScopeType}
    made = {(p.kind.value, p.start): p for p in periods}
    for r in rows:
        key = (r.period_kind, r.period_start)
        made[key] = made.get(key) or period_of(PeriodKind(r.period_kind), r.period_start)
    return [
        Earlier(
            CellKey(r.indicator, r.facet or None, made[(r.period_kind, r.period_start)],
                    scopes[r.scope_type], r.scope_id),
            r.until,
            r.hidden,
            Counts(r.numerator, r.denominator, r.n, r.value) if r.numerator is not None else None,
        )
        for r in rows
    ]  # fmt: skip


async def remember(
    session: AsyncSession,
    municipality_id: int,
    shown: Sequence[ShownValue],
    before: Sequence[Earlier],
) -> None:
    """Keep what a publication showed, beside what was known `before` it (written in the
    session's transaction; the caller commits with its sending)."""
    known = {(e.cell, e.until) for e in before}
    rows = []
    for s in shown:
        if s.until is None or (s.cell, s.until) in known:
            continue
        known.add((s.cell, s.until))
        rows.append(
            {
                "municipality_id": municipality_id,
                "indicator": s.indicator,
                "facet": s.facet if s.facet is not None else NO_FACET,
                "period_kind": s.period.kind.value,
                "period_start": s.period.start,
                "scope_type": s.scope_type.value,
                "scope_id": s.scope_id,
                "until": s.until,
                "hidden": s.hidden is not None,
                "numerator": s.numerator,  # None when hidden
                "denominator": s.denominator,
                "n": s.n,
                "value": s.value,
            }
        )
    await _insert(session, cast(Table, PublishedCell.__table__), rows)
