"""Hand-built facts for the monitoring tests: a few rows per frame, defaults filled in."""

from datetime import UTC, datetime
from typing import Any

import pandas as pd

from core.monitoring.facts import COLUMNS, Facts

MOSCOW = "Europe/Moscow"  # Vladikavkaz keeps Moscow time (UTC+3)
ORSK = "Asia/Yekaterinburg"  # Novotroitsk (UTC+5)
KOMSOMOLSK = "Asia/Vladivostok"  # Komsomolsk-on-Amur (UTC+10)


def utc(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A frame with the columns `name` needs; missing fields of a row are None."""
    columns = COLUMNS[name]
    extra = [key for row in rows for key in row if key not in columns]
    assert not extra, f"{name}: unknown columns {extra}"
    return pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns)


def person(person_id: int, school_id: int | None, **fields: Any) -> dict[str, Any]:
    """A registered teacher of municipality 1 unless the fields say otherwise."""
    row: dict[str, Any] = {
        "person_id": person_id,
        "municipality_id": 1,
        "school_id": school_id,
        "subject_ids": [],
        "young": False,
        "registered_at": utc(2026, 9, 1),
        "roles": ["teacher"],
        "community_member": False,
    }
    row.update(fields)
    return row


def response(response_id: int, instrument: str, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "response_id": response_id,
        "instrument": instrument,
        "municipality_id": 1,
        "person_id": None,
        "school_id": None,
        "subject_ids": [],
        "young": None,
        "completed_at": utc(2026, 11, 18),
        "overall_band": None,
    }
    row.update(fields)
    return row


def facts(zone: str = MOSCOW, **frames: list[dict[str, Any]]) -> Facts:
    """Facts for municipality 1 (and 2 when rows name it) from lists of row dicts."""
    built = {name: frame(name, rows) for name, rows in frames.items()}
    built.setdefault(
        "municipalities",
        frame("municipalities", [{"municipality_id": 1, "timezone": zone}]),
    )
    return Facts(**built)
