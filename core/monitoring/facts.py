"""The input of the indicators: one pandas frame per kind of fact, columns checked on creation.

Moments are UTC (tz-aware, or naive and then taken as UTC, as SQLite returns them); the
computation turns them into local dates in each municipality's zone. Ids are integers; a
nullable id column may hold None/NaN/<NA>. List columns hold Python lists (or tuples) of ints
or strings, one per row; an empty list means "none known".

municipalities  municipality_id, timezone (IANA name, e.g. "Asia/Vladivostok")
schools         school_id, municipality_id, headcount (roster teachers; 0 = no roster)
school_subjects school_id, subject_id, headcount (roster teachers of that subject there)
people          person_id, municipality_id, school_id (nullable), subject_ids (list),
                young (bool, as the profile says today), registered_at (nullable: not yet
                registered), roles (list of "teacher", "mentor", "methodist", "admin"),
                community_member (bool: member of an РМО, ШМО or network community)
responses       completed questionnaires only: response_id, instrument ("cbi", "deficits",
                "seminar_feedback", ...), municipality_id, person_id (None when anonymous),
                school_id, subject_ids, young (the demographics kept at completion; school_id
                and young may be None and subject_ids empty when generalised), completed_at,
                overall_band (CBI: the derived overall band low/moderate/high; else None)
deficit_bands   response_id, area (norm, subject, method, ...), band (high/medium/minimal)
routes          person_id, built_at: a personal route opened or saved
seminars        held (not cancelled) events: seminar_id, municipality_id, kind (seminar,
                webinar, master_class, consultation, ...), starts_at
attendance      seminar_id, person_id, attended (bool): registrations not cancelled
feedback        response_id (a seminar_feedback response), satisfaction (1-5 or None),
                recommend (0-10 or None)
mentoring       mentor_id, mentee_id, started_at, ended_at (None while the pair goes on)
campaigns       one row per campaign and school: campaign_id, municipality_id, school_id
                (nullable: invited people without a school), closes_at, invited, completed

A teacher is a person with the role teacher or mentor; only registered people count.
"""

from dataclasses import dataclass, field, fields

import pandas as pd

COLUMNS: dict[str, tuple[str, ...]] = {
    "municipalities": ("municipality_id", "timezone"),
    "schools": ("school_id", "municipality_id", "headcount"),
    "school_subjects": ("school_id", "subject_id", "headcount"),
    "people": (
        "person_id",
        "municipality_id",
        "school_id",
        "subject_ids",
        "young",
        "registered_at",
        "roles",
        "community_member",
    ),
    "responses": (
        "response_id",
        "instrument",
        "municipality_id",
        "person_id",
        "school_id",
        "subject_ids",
        "young",
        "completed_at",
        "overall_band",
    ),
    "deficit_bands": ("response_id", "area", "band"),
    "routes": ("person_id", "built_at"),
    "seminars": ("seminar_id", "municipality_id", "kind", "starts_at"),
    "attendance": ("seminar_id", "person_id", "attended"),
    "feedback": ("response_id", "satisfaction", "recommend"),
    "mentoring": ("mentor_id", "mentee_id", "started_at", "ended_at"),
    "campaigns": (
        "campaign_id",
        "municipality_id",
        "school_id",
        "closes_at",
        "invited",
        "completed",
    ),
}


def _empty(name: str) -> pd.DataFrame:
    return pd.DataFrame({column: [] for column in COLUMNS[name]})


def _frame(name: str) -> pd.DataFrame:
    return field(default_factory=lambda: _empty(name))


@dataclass(frozen=True)
class Facts:
    """Everything the indicators are computed from; missing frames default to empty ones."""

    municipalities: pd.DataFrame = _frame("municipalities")
    schools: pd.DataFrame = _frame("schools")
    school_subjects: pd.DataFrame = _frame("school_subjects")
    people: pd.DataFrame = _frame("people")
    responses: pd.DataFrame = _frame("responses")
    deficit_bands: pd.DataFrame = _frame("deficit_bands")
    routes: pd.DataFrame = _frame("routes")
    seminars: pd.DataFrame = _frame("seminars")
    attendance: pd.DataFrame = _frame("attendance")
    feedback: pd.DataFrame = _frame("feedback")
    mentoring: pd.DataFrame = _frame("mentoring")
    campaigns: pd.DataFrame = _frame("campaigns")

    def __post_init__(self) -> None:
        for item in fields(self):
            frame = getattr(self, item.name)
            missing = [c for c in COLUMNS[item.name] if c not in frame.columns]
            if missing:
                raise ValueError(f"facts.{item.name}: missing columns {missing}")

    def timezone(self, municipality_id: int) -> str:
        """The IANA zone of a municipality; KeyError if it is not in `municipalities`."""
        rows = self.municipalities[self.municipalities["municipality_id"] == municipality_id]
        if rows.empty:
            raise KeyError(municipality_id)
        return str(rows["timezone"].iloc[0])
