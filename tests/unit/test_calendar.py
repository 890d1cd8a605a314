"""Seminar .ics files: a calendar app reads back the time, the zone and the text as given."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from core.seminars.calendar import seminar_ics
from core.seminars.listing import SeminarView


def _seminar(starts: datetime, **overrides: object) -> SeminarView:
    values: dict[str, object] = {
        "id": 7,
        "title": "Оценивание; часть 1, вводная",
        "description": "Две\nстроки",
        "starts": starts,
        "duration_minutes": 90,
        "format": "offline",
        "place": "Школа № 5, каб. 12",
        "link": None,
        "capacity": None,
        "tags": (),
        "registered": 0,
        "waitlist": 0,
        "status": "published",
        "mine": None,
    }
    values.update(overrides)
    return SeminarView(**values)  # type: ignore[arg-type]


def _read(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def test_event_reads_back_with_its_zone_and_text() -> None:
    zone = ZoneInfo("Asia/Yekaterinburg")
    starts = datetime(2026, 11, 25, 15, 0, tzinfo=zone)
    calendar = _read(seminar_ics(_seminar(starts), datetime(2026, 11, 1, tzinfo=UTC)))
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == starts
    assert event.decoded("dtend") == starts + timedelta(minutes=90)
    assert str(event["summary"]) == "Оценивание; часть 1, вводная"
    assert str(event["location"]) == "Школа № 5, каб. 12"
    assert str(event["description"]) == "Две\nстроки"
    assert str(event["uid"]) == "seminar-7@pedpulse"
    (tz,) = calendar.walk("VTIMEZONE")
    assert str(tz["tzid"]) == "Asia/Yekaterinburg"
    offsets = {sub.decoded("tzoffsetto") for sub in tz.subcomponents}
    assert offsets == {timedelta(hours=5)}


@pytest.mark.parametrize(
    ("month", "expected_utc_hour"),
    [(7, 13), (12, 14)],
)
def test_zone_with_summer_time_has_its_transitions(month: int, expected_utc_hour: int) -> None:
    starts = datetime(2026, month, 1, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    calendar = _read(seminar_ics(_seminar(starts), datetime(2026, 6, 1, tzinfo=UTC)))
    (tz,) = calendar.walk("VTIMEZONE")
    kinds = {sub.name for sub in tz.subcomponents}
    assert kinds == {"STANDARD", "DAYLIGHT"}
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart").astimezone(UTC).hour == expected_utc_hour


def test_online_seminar_carries_its_link() -> None:
    starts = datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    link = "https://meet.example.org/room?id=1,2"
    seminar = _seminar(starts, place=None, link=link, description=None)
    (event,) = _read(seminar_ics(seminar, starts)).walk("VEVENT")
    assert str(event["url"]) == link and str(event["location"]) == link
    assert str(event["description"]) == link
    lines = seminar_ics(seminar, starts).split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
