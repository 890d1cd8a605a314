"""Mentors' own side: volunteering from /profile and a methodist's answer to it, then the
mentor's profile (its form is core.mentoring.mentor_form), the pause, and /mentees' entry."""

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import PedPulseError, StaleAction
from core.forms import Context, summary_of
from core.mentoring.mentor_form import FORM, areas_shown, is_mentor
from core.mentoring.notices import methodists, notice
from core.mentoring.pairing import methodist_of
from core.mentoring.people import latest_bands, strengths_of
from core.messaging.outbox import Notice, enqueue
from core.models import MentorProfile, Person, PersonRole, Role, School
from core.people.viewer import load_person, pending_of, set_pending
from core.screens import Button, Screen, Text, text


async def volunteer(session: AsyncSession, person_id: int, ctx: Context) -> Screen:
    """«Стать наставником»: an unconfirmed profile with the areas the person rated strongest;
    the municipality's methodists are asked to confirm it."""
    person = await load_person(session, person_id)
    if is_mentor(person):
        raise PedPulseError("mp_already_mentor")
    if person.school_id is None:
        raise PedPulseError("mp_teachers_only")
    profile = await session.get(MentorProfile, person.id, with_for_update=True)
    if profile is not None and profile.confirmed_at is None:
        raise PedPulseError("mp_waiting")
    areas = strengths_of(await latest_bands(session, person.id))
    if profile is None:
        session.add(MentorProfile(person_id=person.id, areas=areas, volunteered_at=ctx.now))
    else:  # confirmed once, the role since taken away: asked again
        profile.areas, profile.volunteered_at, profile.confirmed_at = areas, ctx.now, None
    try:
        await session.flush()
    except IntegrityError as exc:  # the same button pressed twice at once
        await session.rollback()
        raise PedPulseError("mp_waiting") from exc
    await enqueue(session, await _asked(session, person, ctx), ctx.now)
    await session.commit()
    thanks = text(
        "mp_volunteered" if areas else "mp_volunteered_no_areas", areas=areas_shown(areas)
    )
    return Screen((thanks,))


async def _asked(session: AsyncSession, person: Person, ctx: Context) -> list[Notice]:
    """The methodists' notices: who volunteers, «Подтвердить» / «Отклонить»; never the areas
    suggested from the volunteer's own self-assessment (a result of theirs)."""
    school = await session.scalar(select(School.name).where(School.id == person.school_id))
    shown = Screen(
        (
            text(
                "mp_volunteer_notice",
                name=person.full_name or "—",
                school=school or "—",
            ),
        ),
        (
            (
                Button(Text("mp_btn_confirm"), "mentoring.vconfirm", (person.id,)),
                Button(Text("mp_btn_reject"), "mentoring.vreject", (person.id,)),
            ),
        ),
    )
    key = f"mt:volunteer:{person.id}:{_stamp(ctx)}"
    return [
        notice(f"{key}:{m.id}", m, shown, ctx.catalogues, about_id=person.id)
        for m in await methodists(session, person.municipality_id)
        if m.id != person.id
    ]


async def _volunteer_of(
    session: AsyncSession, methodist_id: int, volunteer_id: int
) -> tuple[Person, MentorProfile]:
    """A volunteer still waiting in the methodist's own municipality (refused otherwise)."""
    me = await methodist_of(session, methodist_id)
    person = await session.get(Person, volunteer_id)
    if person is not None and person.municipality_id != me.municipality_id:
        raise PedPulseError("mp_other_municipality")
    if person is not None and person.id == me.id:
        raise PedPulseError("mp_not_yourself")
    profile = await session.get(MentorProfile, volunteer_id, with_for_update=True)
    if person is None or profile is None or profile.confirmed_at is not None:
        raise StaleAction("mp_decided")
    return person, profile


async def confirm(
    session: AsyncSession, methodist_id: int, volunteer_id: int, ctx: Context
) -> Screen:
    """The volunteer becomes a mentor (the role, the profile confirmed) and is told so."""
    person, _ = await _volunteer_of(session, methodist_id, volunteer_id)
    decided = await session.execute(  # two methodists at once: only one decides
        update(MentorProfile)
        .where(MentorProfile.person_id == person.id, MentorProfile.confirmed_at.is_(None))
        .values(confirmed_at=ctx.now)
    )
    if decided.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleAction("mp_decided")
    if not is_mentor(person):
        person.roles.append(PersonRole(role=Role.MENTOR))
    told = Screen(
        (Text("mp_confirmed_you"),),
        ((Button(Text("mp_btn_profile"), "mentoring.mprofile"),),),
    )
    await _tell(session, person, f"mt:vconfirmed:{person.id}", told, ctx)
    await session.commit()
    return Screen((text("mp_confirmed", name=person.full_name or "—"),))


async def reject(
    session: AsyncSession, methodist_id: int, volunteer_id: int, ctx: Context
) -> Screen:
    """The unconfirmed profile is deleted; the volunteer is thanked and told kindly."""
    person, _ = await _volunteer_of(session, methodist_id, volunteer_id)
    decided = await session.execute(
        delete(MentorProfile).where(
            MentorProfile.person_id == person.id, MentorProfile.confirmed_at.is_(None)
        )
    )
    if decided.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleAction("mp_decided")
    await _tell(
        session, person, f"mt:vrejected:{person.id}", Screen((Text("mp_rejected_you"),)), ctx
    )
    await session.commit()
    return Screen((text("mp_rejected", name=person.full_name or "—"),))


async def _tell(
    session: AsyncSession, person: Person, key: str, shown: Screen, ctx: Context
) -> None:
    if person.active:
        await enqueue(
            session, [notice(f"{key}:{_stamp(ctx)}", person, shown, ctx.catalogues)], ctx.now
        )


def _stamp(ctx: Context) -> str:
    """The moment in a notice's key: volunteering again after a refusal is asked anew."""
    return f"{ctx.now.timestamp():.6f}"


async def show(session: AsyncSession, person_id: int, ctx: Context) -> Screen:
    """«⚙️ Профиль наставника»: the areas, how many mentees at once, the pause, with buttons."""
    person = await load_person(session, person_id)
    _leave_form(person)
    shown = await summary_of(session, person, FORM, ctx)
    await session.commit()  # a mentor by invite gets the profile on first use
    return shown


async def pause(session: AsyncSession, person_id: int, paused: int, ctx: Context) -> Screen:
    """Pause (1) or resume (0) new offers; the button names the state, so a repeat is harmless."""
    if paused not in (0, 1):
        raise StaleAction()
    person = await load_person(session, person_id)
    profile = await FORM.load(session, person, None)
    profile.paused = bool(paused)
    _leave_form(person)
    await session.commit()
    return await summary_of(session, person, FORM, ctx)


def _leave_form(person: Person) -> None:
    """A correction left half-way is dropped when the card is shown again."""
    pending = pending_of(person)
    if pending is not None and pending.form == FORM.name:
        set_pending(person, None)


async def entry(session: AsyncSession, person_id: int) -> Screen:
    """Atop /mentees: how many mentees at once, whether new ones are offered, the profile."""
    profile = await FORM.load(session, await load_person(session, person_id), None)
    await session.commit()  # a mentor by invite gets the profile on first use
    state = Text("mp_state_paused" if profile.paused else "mp_state_open")
    line = text("mp_entry", capacity=profile.capacity, state=state)
    return Screen((line,), ((Button(Text("mp_btn_profile"), "mentoring.mprofile"),),))
