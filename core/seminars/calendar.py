"""iCalendar (.ics) files for seminars, in the municipality's time zone (RFC 5545).

The time-zone block comes from zoneinfo through the icalendar package, so a zone with
daylight saving time (outside Russia, or Russia before 2014) gets its real transitions.
"""

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from core.seminars.listing import SeminarView

# A seminar's year, give or take: the time-zone block covers the transitions around it.
_ZONE_SPAN = timedelta(days=400)


def seminar_ics(seminar: SeminarView, stamp: datetime) -> bytes:
    """One event; DTSTART/DTEND in the seminar's zone, with a VTIMEZONE for it."""
    calendar = Calendar()
    calendar.add("prodid", "-//PedPulse//Seminars//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    event = Event()
    event.add("uid", f"seminar-{seminar.id}@pedpulse")
    event.add("dtstamp", stamp)
    event.add("dtstart", seminar.starts)
    event.add("dtend", seminar.ends)
    event.add("summary", seminar.title)
    location = seminar.place or seminar.link
    if location:
        event.add("location", location)
    description = "\n".join(part for part in (seminar.description, seminar.link) if part)
    if description:
        event.add("description", description)
    if seminar.link:
        event.add("url", seminar.link)
    calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=(seminar.starts - _ZONE_SPAN).date(),
        last_date=(seminar.ends + _ZONE_SPAN).date(),
    )
    data: bytes = calendar.to_ical()
    return data
