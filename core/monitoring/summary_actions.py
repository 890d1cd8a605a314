"""What the weekly summary's buttons (core.monitoring.summary.buttons) open: the screens the
commands already show (/mentoring, its list of pairs, /seminar_new, /campaign_new, /announce;
/support is the bot's view), a seminar with its area ticked, an announcement to one school, a
reminder.

Every press is checked again here: a methodist, and a campaign or school of their own
municipality; a reference that no longer exists is a stale button, never a traceback.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from core.audience import Audience, AudienceKind
from core.errors import PedPulseError, StaleAction
from core.forms import Context
from core.mentoring import pair_view, pairing
from core.messaging import announcements
from core.models import Person, Role, School
from core.people.viewer import load_person
from core.questionnaires import campaign_form, reminders
from core.screens import Screen, text
from core.seminars import form as seminar_form
from core.seminars.listing import AREAS


async def opened(
    session: AsyncSession, person_id: int, action: str, ref: int, ctx: Context
) -> Screen:
    """What the button of `action` opens (support_list is the bot's /support view)."""
    person = await methodist(session, person_id)
    if action == "mentoring":
        return await pairing.queue(session, person_id, 0, ctx)
    if action == "mentoring_pairs":
        return await pair_view.pairs_list(session, person_id, 0)
    if action == "campaign_remind":
        return await reminders.question(session, person, ref, ctx)
    if action == "school_support":
        return await _school_announcement(session, person, ref, ctx)
    if action == "seminar_new":
        if not 0 <= ref <= len(AREAS):
            raise StaleAction()
        areas = (AREAS[ref - 1],) if ref else ()
        return await seminar_form.start(session, person_id, ctx, tags=areas)
    if action == "campaign_new":
        return await campaign_form.start(session, person_id, ctx)
    if action == "announcement_new":
        return await announcements.start(session, person_id, ctx)
    raise StaleAction()


async def remind(session: AsyncSession, person_id: int, campaign_id: int, ctx: Context) -> Screen:
    """The reminder's «Да»: queued once a day to the members who have not completed."""
    person = await methodist(session, person_id)
    return await reminders.send(session, person, campaign_id, ctx)


async def methodist(session: AsyncSession, person_id: int) -> Person:
    """The person, who must be a methodist (a forwarded or forged button is refused)."""
    person = await load_person(session, person_id)
    if Role.METHODIST not in {r.role for r in person.roles}:
        raise PedPulseError("summary_methodists_only")
    return person


async def _school_announcement(
    session: AsyncSession, person: Person, school_id: int, ctx: Context
) -> Screen:
    """/announce with the school's teachers chosen already: the methodist writes, then sees
    the school ticked, and sends from the preview as ever."""
    school = await session.get(School, school_id)
    if school is None:
        raise StaleAction("summary_school_gone")
    if school.municipality_id != person.municipality_id:
        raise PedPulseError("summary_not_yours")
    audience = Audience(AudienceKind.SCHOOLS, (school.id,))
    asked = await announcements.start(session, person.id, ctx, audience)
    lead = text("summary_to_school", school=school.name)
    return Screen((lead, *asked.lines), asked.rows)
