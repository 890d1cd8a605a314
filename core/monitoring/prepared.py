"""One municipality's facts as arrays, prepared once for all its indicators and periods: moments
as local times in its zone (datetime64, NaT where unknown), people as positions, and the cells
each row counts in (core.monitoring.grid). A measure then only masks rows and sums."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.monitoring.facts import Facts
from core.monitoring.grid import Grid, Scopes, grid, id_array, placed

TEACHING_ROLES = frozenset({"teacher", "mentor"})
DEFICIT_BANDS = ("high", "medium")  # Р-201: below 81 % calls for a plan or a course
HIGH_RISK = "high"


def local(moments: pd.Series, zone: str) -> np.ndarray:
    """Naive local datetime64[us] of UTC moments (naive input is taken as UTC)."""
    utc = pd.to_datetime(moments, utc=True)
    return utc.dt.tz_convert(zone).dt.tz_localize(None).to_numpy().astype("datetime64[us]")


def utc_numbers(moments: pd.Series) -> np.ndarray:
    """UTC moments as microseconds (int64), for comparing moments with each other."""
    utc = pd.to_datetime(moments, utc=True).dt.tz_localize(None)
    return utc.to_numpy().astype("datetime64[us]").view("int64")


def flags(column: pd.Series) -> np.ndarray:
    return column.fillna(False).astype(bool).to_numpy()


@dataclass(frozen=True)
class People:
    ids: pd.Index
    registered: np.ndarray
    teaching: np.ndarray
    young: np.ndarray
    community: np.ndarray
    school: np.ndarray  # positions in Scopes.schools (or NO_SCHOOL / OTHER_SCHOOL)
    subjects: tuple[np.ndarray, np.ndarray]  # (row, subject position) memberships
    grid: Grid

    def positions(self, column: pd.Series) -> np.ndarray:
        """Rows of the people with these ids; -1 for someone else or nobody."""
        return np.asarray(self.ids.get_indexer(pd.Index(id_array(column))), dtype="int64")


def _people(facts: Facts, scopes: Scopes, zone: str) -> People:
    frame = facts.people
    school = scopes.school_positions(frame["school_id"])
    subjects = scopes.memberships(frame["subject_ids"].tolist())
    return People(
        ids=pd.Index(id_array(frame["person_id"])),
        registered=local(frame["registered_at"], zone),
        teaching=np.fromiter(
            (bool(TEACHING_ROLES & set(r or ())) for r in frame["roles"]), bool, len(frame)
        ),
        young=flags(frame["young"]),
        community=flags(frame["community_member"]),
        school=school,
        subjects=subjects,
        grid=placed(scopes, school, subjects),
    )


@dataclass(frozen=True)
class Responses:
    instrument: np.ndarray
    person: np.ndarray  # -1 when anonymous
    person_row: np.ndarray  # the row in People, -1 when anonymous or someone else
    completed: np.ndarray
    completed_utc: np.ndarray
    high: np.ndarray  # the overall CBI band is high
    scored: np.ndarray  # an overall CBI band is known
    areas: tuple[str, ...]
    deficits: np.ndarray  # bool (rows, areas): a high or medium deficit there
    order: np.ndarray  # rows with a person, by person, then completion, then id
    grid: Grid

    def latest(self, mask: np.ndarray) -> np.ndarray:
        """Of the rows in `mask`: each person's latest, and every anonymous one."""
        chosen = self.order[mask[self.order]]
        persons = self.person[chosen]
        last = np.ones(len(chosen), dtype=bool)
        last[:-1] = persons[:-1] != persons[1:]
        found = mask & (self.person < 0)
        found[chosen[last]] = True
        return found


def _responses(facts: Facts, scopes: Scopes, people: People, zone: str) -> Responses:
    frame = facts.responses
    person = id_array(frame["person_id"])
    completed_utc = utc_numbers(frame["completed_at"])
    known = np.flatnonzero(person >= 0)
    rid = id_array(frame["response_id"])
    keys = (rid[known], completed_utc[known], person[known])
    band = frame["overall_band"]
    areas, deficits = _deficits(facts.deficit_bands, rid)
    return Responses(
        instrument=frame["instrument"].astype(object).to_numpy(),
        person=person,
        person_row=people.positions(frame["person_id"]),
        completed=local(frame["completed_at"], zone),
        completed_utc=completed_utc,
        high=(band == HIGH_RISK).fillna(False).to_numpy(dtype=bool),
        scored=band.notna().to_numpy(),
        areas=areas,
        deficits=deficits,
        order=known[np.lexsort(keys)],
        grid=grid(scopes, frame["school_id"], frame["subject_ids"].tolist()),
    )


def _deficits(bands: pd.DataFrame, response_ids: np.ndarray) -> tuple[tuple[str, ...], np.ndarray]:
    areas = tuple(sorted(bands["area"].astype(str).unique()))
    table = np.zeros((len(response_ids), len(areas)), dtype=bool)
    flagged = bands[bands["band"].isin(DEFICIT_BANDS)]
    rows = pd.Index(response_ids).get_indexer(id_array(flagged["response_id"]))
    columns = pd.Index(areas).get_indexer(flagged["area"].astype(str))
    known = rows >= 0
    table[rows[known], columns[known]] = True
    return areas, table


@dataclass(frozen=True)
class Feedback:
    """Answers to seminar feedback, one row per answered questionnaire."""

    response: np.ndarray  # its row in Responses
    satisfaction: np.ndarray  # float, NaN when not answered
    recommend: np.ndarray
    grid: Grid


def _feedback(facts: Facts, scopes: Scopes) -> Feedback:
    rows = pd.Index(id_array(facts.responses["response_id"])).get_indexer(
        id_array(facts.feedback["response_id"])
    )
    kept = facts.feedback[rows >= 0]
    rows = rows[rows >= 0]
    return Feedback(
        response=rows,
        satisfaction=pd.to_numeric(kept["satisfaction"]).to_numpy(
            dtype="float64", na_value=np.nan
        ),
        recommend=pd.to_numeric(kept["recommend"]).to_numpy(dtype="float64", na_value=np.nan),
        grid=_cells_of(facts.responses, rows, scopes),
    )


@dataclass(frozen=True)
class Routes:
    person: np.ndarray  # position among the people with a route or a response
    built: np.ndarray
    built_utc: np.ndarray
    of_response: np.ndarray  # the same positions, for each response (-1: anonymous)
    count: int  # how many positions there are


def _routes(facts: Facts, responses: Responses, zone: str) -> Routes:
    own = id_array(facts.routes["person_id"])
    known = np.unique(np.concatenate([own, responses.person[responses.person >= 0]]))
    positions = np.searchsorted(known, responses.person)
    return Routes(
        person=np.searchsorted(known, own),
        built=local(facts.routes["built_at"], zone),
        built_utc=utc_numbers(facts.routes["built_at"]),
        of_response=np.where(responses.person >= 0, positions, -1),
        count=len(known),
    )


@dataclass(frozen=True)
class Events:
    """Seminars held, and who registered for them (attended or not)."""

    starts: np.ndarray  # per seminar
    seminar: np.ndarray  # per registration: the seminar's row
    person_id: np.ndarray
    person: np.ndarray  # the row in People, -1 for someone else
    attended: np.ndarray
    cells: tuple[np.ndarray, np.ndarray]  # (registration, scope) of its person's school, subjects


def _cells_of(frame: pd.DataFrame, rows: np.ndarray, scopes: Scopes) -> Grid:
    """The grid of some rows of a frame with school_id and subject_ids (in that order)."""
    chosen = frame.iloc[rows]
    return grid(scopes, chosen["school_id"], chosen["subject_ids"].tolist())


def _events(facts: Facts, people: People, scopes: Scopes, zone: str) -> Events:
    attendance = facts.attendance
    seminars = pd.Index(id_array(facts.seminars["seminar_id"]))
    seminar = seminars.get_indexer(id_array(attendance["seminar_id"]))
    keep = seminar >= 0
    attendance = attendance[keep]
    person = people.positions(attendance["person_id"])
    known = np.flatnonzero(person >= 0)
    cells = _cells_of(facts.people, person[known], scopes)
    apart = cells.scopes > 0  # schools and subjects: the municipality's count is another
    return Events(
        starts=local(facts.seminars["starts_at"], zone),
        seminar=seminar[keep],
        person_id=id_array(attendance["person_id"]),
        person=person,
        attended=flags(attendance["attended"]),
        cells=(known[cells.rows[apart]], cells.scopes[apart]),
    )


@dataclass(frozen=True)
class Mentoring:
    mentor: np.ndarray  # rows in People, -1 for someone else
    mentee: np.ndarray
    started: np.ndarray
    ended: np.ndarray  # NaT while the pair goes on


@dataclass(frozen=True)
class Campaigns:
    ids: np.ndarray
    closes: np.ndarray
    invited: np.ndarray
    completed: np.ndarray
    grid: Grid


def _campaigns(facts: Facts, scopes: Scopes, zone: str) -> Campaigns:
    frame = facts.campaigns
    return Campaigns(
        ids=id_array(frame["campaign_id"]),
        closes=local(frame["closes_at"], zone),
        invited=pd.to_numeric(frame["invited"]).fillna(0).to_numpy(dtype="int64"),
        completed=pd.to_numeric(frame["completed"]).fillna(0).to_numpy(dtype="int64"),
        grid=grid(scopes, frame["school_id"], [()] * len(frame)),
    )


@dataclass(frozen=True)
class Rosters:
    """Roster headcounts (0 = none): per school, and per school and subject."""

    schools: np.ndarray  # (schools,)
    pairs: np.ndarray  # (schools, subjects)


def _rosters(facts: Facts, scopes: Scopes) -> Rosters:
    def counts(column: pd.Series) -> np.ndarray:
        return pd.to_numeric(column).fillna(0).to_numpy(dtype="int64")

    schools = np.zeros(len(scopes.schools), dtype="int64")
    where = scopes.school_positions(facts.schools["school_id"])
    np.add.at(schools, where[where >= 0], counts(facts.schools["headcount"])[where >= 0])
    pairs = np.zeros((len(scopes.schools), len(scopes.subjects)), dtype="int64")
    table = facts.school_subjects
    school = scopes.school_positions(table["school_id"])
    subject = pd.Index(scopes.subjects).get_indexer(pd.Index(id_array(table["subject_id"])))
    known = (school >= 0) & (subject >= 0)
    pairs[school[known], subject[known]] = counts(table["headcount"])[known]
    return Rosters(schools, pairs)


@dataclass(frozen=True)
class Prepared:
    scopes: Scopes
    people: People
    responses: Responses
    feedback: Feedback
    routes: Routes
    events: Events
    mentoring: Mentoring
    campaigns: Campaigns
    rosters: Rosters


def prepare(facts: Facts, scopes: Scopes, zone: str) -> Prepared:
    """The arrays of one municipality's facts (already narrowed to it)."""
    people = _people(facts, scopes, zone)
    responses = _responses(facts, scopes, people, zone)
    pairs = facts.mentoring
    return Prepared(
        scopes=scopes,
        people=people,
        responses=responses,
        feedback=_feedback(facts, scopes),
        routes=_routes(facts, responses, zone),
        events=_events(facts, people, scopes, zone),
        mentoring=Mentoring(
            mentor=people.positions(pairs["mentor_id"]),
            mentee=people.positions(pairs["mentee_id"]),
            started=local(pairs["started_at"], zone),
            ended=local(pairs["ended_at"], zone),
        ),
        campaigns=_campaigns(facts, scopes, zone),
        rosters=_rosters(facts, scopes),
    )
