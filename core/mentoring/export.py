"""The mentoring paperwork of one municipality as an XLSX workbook.

Sheets: the registry of mentors and mentees, the pairs with their dates (the draft of the
order that fixes them), every programme's goals, the meetings journal, and the closing
reasons. Relayed messages are never stored, so never here; a meeting note only where both
(they are the pair's own). Only methodists of the municipality reach it.
"""

import io
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.mentoring.pairing import methodist_of
from core.models import (
    MentorMeeting,
    Mentorship,
    Municipality,
    Person,
    PersonRole,
    ProgrammeGoal,
    Role,
    School,
)
from core.offload import heavy
from core.texts import Texts
from core.timeutil import as_utc

DATE = "%d.%m.%Y"
Row = Sequence[object]


async def methodist_workbook(session: AsyncSession, person_id: int, t: Texts) -> bytes:
    """The workbook of the methodist's own municipality; anyone else is refused."""
    methodist = await methodist_of(session, person_id)
    return await mentoring_workbook(session, methodist.municipality_id, t)


async def mentoring_workbook(session: AsyncSession, municipality_id: int, t: Texts) -> bytes:
    """The workbook's bytes; every sheet has its header even when there is nothing yet."""
    pairs = list(
        await session.scalars(
            select(Mentorship)
            .where(Mentorship.municipality_id == municipality_id)
            .order_by(Mentorship.started_at, Mentorship.id)
        )
    )
    names = await _names(session, municipality_id)
    zone = await _zone(session, municipality_id)
    sheets = {
        "registry": await _registry(session, municipality_id, pairs, names, t),
        "pairs": [_pair_row(p, names, t, zone) for p in pairs],
        "goals": await _goals(session, pairs, t),
        "meetings": await _meetings(session, pairs, t),
        "reasons": _reasons(pairs, t),
    }
    # building the file is plain CPU work: off the event loop, so no chat waits for it
    return await heavy(_book, sheets, t)


def _book(sheets: dict[str, list[Row]], t: Texts) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        _sheet(book, t, name, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book: Workbook, t: Texts, name: str, rows: list[Row]) -> None:
    sheet = book.create_sheet(t.plain(f"xl_sheet_{name}"))
    header = t.plain(f"xl_head_{name}").split("|")
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    _as_text(sheet.iter_rows(min_row=2))
    for i, title in enumerate(header):
        width = max([len(title), *(len(str(_cell(r[i]))) for r in rows)]) + 2
        sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width = min(width, 60)
    sheet.freeze_panes = "A2"


def _as_text(rows: Iterable[tuple[Cell, ...]]) -> None:
    """Free text that starts with "=" (a mentee's topic can) stays text: never a formula
    that Excel would run when the methodist opens the file."""
    for row in rows:
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
                cell.quotePrefix = True


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime(DATE)
    if isinstance(value, date):
        return value.strftime(DATE)
    return "" if value is None else value


async def _names(session: AsyncSession, municipality_id: int) -> dict[int | None, str]:
    people = await session.scalars(select(Person).where(Person.municipality_id == municipality_id))
    return {p.id: p.full_name or "" for p in people}


async def _registry(
    session: AsyncSession,
    municipality_id: int,
    pairs: list[Mentorship],
    names: dict[int | None, str],
    t: Texts,
) -> list[Row]:
    """Mentors (by role) and mentees (anyone who has had a pair), with their schools."""
    mentors = set(
        await session.scalars(
            select(Person.id)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(
                PersonRole.role == Role.MENTOR,
                Person.municipality_id == municipality_id,
                Person.active.is_(True),
            )
        )
    )
    mentees = {p.mentee_id for p in pairs if p.mentee_id is not None}
    schools = await _schools(session, municipality_id)
    open_count = Counter(
        i for p in pairs if p.ended_at is None for i in (p.mentor_id, p.mentee_id)
    )
    rows: list[Row] = []
    for role, ids in (("mentor", mentors), ("mentee", mentees)):
        for person_id in sorted(ids, key=lambda i: (names.get(i, ""), i)):
            rows.append(
                (
                    t.plain(f"xl_role_{role}"),
                    names.get(person_id, ""),
                    schools.get(person_id, ""),
                    open_count[person_id],
                )
            )
    return rows


async def _schools(session: AsyncSession, municipality_id: int) -> dict[int, str]:
    rows = await session.execute(
        select(Person.id, School.name)
        .join(School, School.id == Person.school_id)
        .where(Person.municipality_id == municipality_id)
    )
    return dict(rows.all())


async def _zone(session: AsyncSession, municipality_id: int) -> tzinfo:
    name = await session.scalar(
        select(Municipality.timezone).where(Municipality.id == municipality_id)
    )
    return ZoneInfo(name) if name else ZoneInfo("UTC")


def _local(moment: datetime | None, zone: tzinfo) -> date | None:
    """The calendar day of `moment` in the municipality: what its paperwork says."""
    return as_utc(moment).astimezone(zone).date() if moment else None


def _pair_row(pair: Mentorship, names: dict[int | None, str], t: Texts, zone: tzinfo) -> Row:
    gone = t.plain("xl_gone")
    return (
        pair.id,
        names.get(pair.mentor_id, gone) if pair.mentor_id else gone,
        names.get(pair.mentee_id, gone) if pair.mentee_id else gone,
        t.plain(f"mode_{pair.mode}") if pair.mode else "",
        _local(pair.started_at, zone),
        pair.ends_on,
        _local(pair.ended_at, zone),
        t.plain(f"end_{pair.end_reason}") if pair.end_reason else "",
    )


async def _goals(session: AsyncSession, pairs: list[Mentorship], t: Texts) -> list[Row]:
    ids = [p.id for p in pairs]
    goals = await session.scalars(
        select(ProgrammeGoal)
        .where(ProgrammeGoal.mentorship_id.in_(ids))
        .order_by(ProgrammeGoal.mentorship_id, ProgrammeGoal.position)
    )
    yes = t.plain("xl_yes")
    return [
        (
            g.mentorship_id,
            g.position,
            t.plain(f"area_{g.area}") if g.area else "",
            g.goal,
            g.due_on,
            yes if g.done_at else "",
        )
        for g in goals
    ]


async def _meetings(session: AsyncSession, pairs: list[Mentorship], t: Texts) -> list[Row]:
    """The journal; a note only where both sides of its pair let the methodist see notes."""
    shared = {p.id for p in pairs if p.mentor_shares_notes and p.mentee_shares_notes}
    rows = await session.execute(
        select(MentorMeeting, ProgrammeGoal.goal)
        .outerjoin(ProgrammeGoal, ProgrammeGoal.id == MentorMeeting.goal_id)
        .where(
            MentorMeeting.mentorship_id.in_([p.id for p in pairs]),
            MentorMeeting.logged_at.is_not(None),
        )
        .order_by(MentorMeeting.mentorship_id, MentorMeeting.held_on, MentorMeeting.id)
    )
    yes = t.plain("xl_yes")
    return [
        (
            m.mentorship_id,
            m.held_on,
            t.plain(f"mode_{m.mode}"),
            goal or "",
            t.plain("xl_role_mentor" if m.by_mentor else "xl_role_mentee"),
            yes if m.confirmed_at else "",
            m.note if m.mentorship_id in shared else "",
        )
        for m, goal in rows.all()
    ]


def _reasons(pairs: list[Mentorship], t: Texts) -> list[Row]:
    counts = Counter(p.end_reason for p in pairs if p.ended_at is not None and p.end_reason)
    return [(t.plain(f"end_{reason}"), n) for reason, n in sorted(counts.items())]
