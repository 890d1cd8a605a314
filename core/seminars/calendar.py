"""iCalendar (.ics) files for seminars, in the municipality's time zone (RFC 5545)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from core.seminars.listing import SeminarView


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _offset(moment: datetime) -> str:
    delta = moment.utcoffset()
    assert delta is not None
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def seminar_ics(seminar: SeminarView, stamp: datetime) -> bytes:
    """One event; DTSTART/DTEND in the seminar's zone, with a VTIMEZONE for it."""
    zone = seminar.starts.tzinfo
    assert isinstance(zone, ZoneInfo)
    local = "%Y%m%dT%H%M%S"
    location = seminar.place or seminar.link or ""
    description = "\n".join(p for p in (seminar.description, seminar.link) if p)
    offset = _offset(seminar.starts)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//PedPulse//Seminars//RU",
        "CALSCALE:GREGORIAN",
        "BEGIN:VTIMEZONE",
        f"TZID:{zone.key}",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{offset}",
        f"TZOFFSETTO:{offset}",
        f"TZNAME:{seminar.starts.tzname()}",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        f"UID:seminar-{seminar.id}@pedpulse",
        f"DTSTAMP:{stamp.astimezone(UTC).strftime(local)}Z",
        f"DTSTART;TZID={zone.key}:{seminar.starts.strftime(local)}",
        f"DTEND;TZID={zone.key}:{seminar.ends.strftime(local)}",
        f"SUMMARY:{_escape(seminar.title)}",
    ]
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    if seminar.link:
        lines.append(f"URL:{seminar.link}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
