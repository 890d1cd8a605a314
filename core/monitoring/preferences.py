"""`/summary_settings`: a methodist's weekly summary on or off, its weekday and hour in the
municipality's time, and when the next one comes, as a screen with buttons."""

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound, StaleAction
from core.models import Municipality, Person, SummarySetting
from core.monitoring import occurrence
from core.monitoring.periods import local_day, week
from core.monitoring.schedule import (
    DAYS,
    DEFAULT,
    HOURS,
    SUMMARY_JOB,
    Timing,
    due_week,
    next_moment,
)
from core.people.viewer import load_person
from core.screens import Button, Screen, Text, screen, text
from core.timeutil import as_utc, local_clock

ACTS = ("on", "off", "day", "hour")  # the buttons' "monitoring.<act>"; day and hour carry it
DATE = "%d.%m.%Y"


async def show(session: AsyncSession, me: int, now: datetime) -> Screen:
    """The methodist's setting (Monday 09:00 until they change it) and its buttons."""
    person = await load_person(session, me)
    return await _screen(session, person, _timing(await session.get(SummarySetting, me)), now)


async def change(session: AsyncSession, me: int, act: str, value: int, now: datetime) -> Screen:
    """Turn the summary on or off, or move it to a weekday (0 = Monday) or an hour the
    buttons offer; StaleAction for anything else (a forged press)."""
    person = await load_person(session, me)
    setting = await session.get(SummarySetting, me)
    if setting is None:
        setting = SummarySetting(
            person_id=me, enabled=DEFAULT.enabled, weekday=DEFAULT.weekday, hour=DEFAULT.hour
        )
        session.add(setting)
    if act in ("on", "off"):
        setting.enabled = act == "on"
    elif act == "day" and value in DAYS:
        setting.weekday = value
    elif act == "hour" and value in HOURS:
        setting.hour = value
    else:
        raise StaleAction()
    await session.commit()
    return await _screen(session, person, _timing(setting), now)


def _timing(setting: SummarySetting | None) -> Timing:
    if setting is None:
        return DEFAULT
    return Timing(setting.enabled, setting.weekday, setting.hour)


async def _screen(session: AsyncSession, person: Person, timing: Timing, now: datetime) -> Screen:
    town = await session.get(Municipality, person.municipality_id)
    if town is None:
        raise NotFound("municipality_unknown")
    if not timing.enabled:
        return screen([text("mon_settings_off")], [[Button(Text("mon_btn_on"), "monitoring.on")]])
    zone = ZoneInfo(town.timezone)
    clock = local_clock(town.name, zone, now, 0, 0)
    lines = [
        text(
            "mon_settings_on",
            days=Text(f"mon_days_{timing.weekday}"),
            hour=f"{timing.hour:02d}:00",
            place=town.name,
            offset=clock.offset,
        ),
        await _next(session, person, timing, now, zone),
        text("mon_settings_hint"),
    ]
    return screen(lines, [[Button(Text("mon_btn_off"), "monitoring.off")], *_pickers(timing)])


async def _next(
    session: AsyncSession, person: Person, timing: Timing, now: datetime, zone: tzinfo
) -> Text:
    """When the next summary comes: within minutes when this week's is due and not sent."""
    label = week(local_day(now, zone)).label
    sent = bool(await occurrence.done(session, SUMMARY_JOB, [(str(person.id), label)]))
    registered = as_utc(person.registered_at or now)
    if not sent and due_week(timing, now, zone, registered) is not None:
        return text("mon_settings_soon")
    at = as_utc(next_moment(timing, now, zone, sent)).astimezone(zone)
    return text("mon_settings_next", date=at.strftime(DATE), hour=at.strftime("%H:%M"))


def _pickers(timing: Timing) -> list[list[Button]]:
    """Weekdays in two rows (Mon-Thu, Fri-Sun), then hours in rows of three; the chosen
    ones ticked."""
    days = [
        Button(
            text("mon_btn_pick", mark=_mark(d == timing.weekday), name=Text(f"mon_day_{d}")),
            "monitoring.day",
            (d,),
        )
        for d in DAYS
    ]
    hours = [
        Button(
            text("mon_btn_pick", mark=_mark(h == timing.hour), name=f"{h:02d}:00"),
            "monitoring.hour",
            (h,),
        )
        for h in HOURS
    ]
    return [days[:4], days[4:], hours[:3], hours[3:]]


def _mark(chosen: bool) -> str:
    return "✅ " if chosen else ""
