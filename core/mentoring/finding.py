"""The methodist finds a mentor for a request by name when the suggestions do not fit: a
typed part of the name, then the matching mentors who can take the request, to pick."""

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, StaleAction
from core.forms import Context
from core.mentoring.pairing import FIND, methodist_of, queue, waiting_request, wanted_by
from core.mentoring.people import candidates
from core.mentoring.ranking import eligible
from core.people.viewer import Pending, pending_of, set_pending
from core.screens import Button, Screen, Text

SHOWN = 8
STOP = 1  # «Отмена» under the question: no name is awaited any more


async def find_pressed(
    session: AsyncSession, person_id: int, request_id: int, stop: int, ctx: Context
) -> Screen:
    """«🔎 Найти наставника по имени» asks for a name; its «Отмена» stops awaiting it (the
    next typed text is not a search) and shows the queue again."""
    if stop == STOP:
        return await queue(session, person_id, 0, ctx)  # which stops awaiting a name
    return await ask_name(session, person_id, request_id)


async def ask_name(session: AsyncSession, person_id: int, request_id: int) -> Screen:
    me = await methodist_of(session, person_id)
    request = await waiting_request(session, me, request_id)
    set_pending(me, Pending(FIND, "name", request.id))
    await session.commit()
    back = Button(Text("btn_cancel"), "mentoring.find", (request.id, STOP))
    return Screen((Text("find_ask"),), ((back,),))


def awaits_name(pending: Pending | None) -> int | None:
    return pending.target if pending and pending.form == FIND else None


async def found(session: AsyncSession, person_id: int, typed: str) -> Screen:
    """Mentors whose name holds the typed text and who can take the request now."""
    me = await methodist_of(session, person_id)
    request_id = awaits_name(pending_of(me))
    if request_id is None:
        raise StaleAction()
    words = typed.strip().casefold()
    if len(words) < 2:
        raise InvalidInput("find_short")
    set_pending(me, None)
    await session.commit()
    back = (Button(Text("btn_open_queue"), "mentoring.queue", (0,)),)
    try:
        request = await waiting_request(session, me, request_id)
    except StaleAction:  # withdrawn or offered meanwhile: typed text, so no word of a button
        return Screen((Text("find_request_gone"),), (back,))
    wanted = await wanted_by(session, request)
    matches = [
        c
        for c in await candidates(session, me.municipality_id)
        if words in c.name.casefold() and eligible(c, wanted)
    ][:SHOWN]
    await session.commit()  # a mentor's profile made on first sight: no write left open
    if not matches:
        return Screen((Text("find_none"),), (back,))
    rows = [(Button(c.name, "mentoring.pick", (request.id, c.person_id)),) for c in matches]
    return Screen((Text("find_head"),), (*rows, back))
