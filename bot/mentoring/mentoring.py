"""Mentoring in the chat: `/mentor` (a request, or one's pair), `/mentees` for mentors,
`/mentoring` for methodists, the buttons of all three, and relayed messages."""

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS, REGISTERED, is_command
from bot.mentoring.callbacks import MentoringCallback
from bot.mentoring.mentor_actions import MENTOR_ACTIONS, Action, answer_profile_entry
from bot.ui.buttons import view
from bot.ui.render import edit_or_send
from core.forms import Context
from core.mentoring import finding as finding_service
from core.mentoring import (
    goal_form,
    meeting_form,
    meetings,
    pair_view,
    pairing,
    pairs,
    requests,
)
from core.mentoring.export import methodist_workbook
from core.mentoring.people import open_pair_of
from core.people.viewer import Viewer
from core.texts import Texts

NEW_MESSAGE = {"write", "pair", "contacts", "problem"}  # keep the message pressed under


async def cmd_mentor(
    message: Message, session: AsyncSession, me: int, t: Texts, ctx: Context
) -> None:
    pair = await open_pair_of(session, me, mentee=True)
    screen = (
        await pair_view.pair_screen(session, me, pair.id)
        if pair is not None
        else await requests.start(session, me, ctx)
    )
    text, markup = view(t, screen)
    await message.answer(text, reply_markup=markup)


async def cmd_mentees(message: Message, session: AsyncSession, me: int, t: Texts) -> None:
    await answer_profile_entry(message, session, me, t)
    found = await pairs.open_pairs(session, me)
    if not found:
        await message.answer(t("mentees_none"))
    for pair_id in found:
        text, markup = view(t, await pair_view.pair_screen(session, me, pair_id))
        await message.answer(text, reply_markup=markup)


async def cmd_mentoring(
    message: Message, session: AsyncSession, me: int, t: Texts, ctx: Context
) -> None:
    text, markup = view(t, await pairing.queue(session, me, 0, ctx))
    await message.answer(text, reply_markup=markup)


def _kind(message: Message) -> str:
    for kind in ("text", "photo", "document", "voice"):
        if getattr(message, kind):
            return kind
    return "other"


async def finding(message: Message, viewer: Viewer) -> bool:
    """A methodist's typed part of a mentor's name after «Найти наставника по имени»."""
    return (
        bool(message.text)
        and not is_command(message)
        and bool(finding_service.awaits_name(viewer.pending))
    )


async def on_find(message: Message, session: AsyncSession, me: int, t: Texts) -> None:
    text, markup = view(t, await finding_service.found(session, me, message.text or ""))
    await message.answer(text, reply_markup=markup)


async def relaying(
    message: Message, viewer: Viewer, session: AsyncSession
) -> dict[str, int] | bool:
    """A message for a partner: a reply to a relayed copy goes to that copy's pair (a mentor
    of several answers each where it came from); other messages after «Написать» go to the
    pair written to."""
    if is_command(message):
        return False
    replied = message.reply_to_message
    if replied is not None:
        pair_id = await pairs.replied_pair(session, message.chat.id, replied.message_id)
        if pair_id:
            return {"pair_id": pair_id}
    pending = viewer.pending
    if pending is not None and pending.form == pairs.RELAY and pending.target:
        return {"pair_id": pending.target}
    return False


async def on_relay(
    message: Message, session: AsyncSession, me: int, pair_id: int, t: Texts, ctx: Context
) -> None:
    incoming = pairs.Incoming(message.chat.id, message.message_id, _kind(message))
    text, markup = view(t, await pairs.relay(session, me, pair_id, incoming, ctx))
    await message.answer(text, reply_markup=markup)


async def _export(session: AsyncSession, me: int, callback: CallbackQuery, t: Texts) -> None:
    await pairing.methodist_of(session, me)  # refused before anything is promised
    await callback.answer(t("mentoring_export_preparing"))  # the press is answered at once
    data = await methodist_workbook(session, me, t)
    assert callback.bot is not None
    document = BufferedInputFile(data, filename="mentoring.xlsx")
    await callback.bot.send_document(callback.from_user.id, document)


ACTIONS: dict[str, Action] = {
    "submit": lambda s, me, d, c: requests.submit(s, me, d.id, c),
    "cancel": lambda s, me, d, c: requests.cancel(s, me, d.id),
    "withdraw": lambda s, me, d, c: requests.withdraw(s, me, d.id, c),
    "queue": lambda s, me, d, c: pairing.queue(s, me, d.id, c),
    "pick": lambda s, me, d, c: pairing.pick(s, me, d.id, d.value, c),
    "accept": lambda s, me, d, c: pairing.accept(s, me, d.id, c),
    "decline": lambda s, me, d, c: pairing.ask_decline(s, me, d.id),
    "declined": lambda s, me, d, c: pairing.decline(s, me, d.id, d.value, c),
    "pair": lambda s, me, d, c: pair_view.pair_screen(s, me, d.id),
    "ask": lambda s, me, d, c: requests.start(s, me, c),
    "find": lambda s, me, d, c: finding_service.find_pressed(s, me, d.id, d.value, c),
    "pairs": lambda s, me, d, c: pair_view.pairs_list(s, me, d.id),
    "notes": lambda s, me, d, c: pair_view.set_notes(s, me, d.id, d.value),
    "goal": lambda s, me, d, c: goal_form.goal_pressed(s, me, d.id, d.value, c),
    "goaldone": lambda s, me, d, c: goal_form.set_done(s, me, d.id, d.value, c),
    "write": lambda s, me, d, c: pairs.write(s, me, d.id, d.value),
    "contacts": lambda s, me, d, c: pairs.contacts(s, me, d.id, c),
    "problem": lambda s, me, d, c: pairs.problem(s, me, d.id, c),
    "handled": lambda s, me, d, c: pair_view.mark_handled(s, me, d.id, c),
    "close": lambda s, me, d, c: pairs.ask_close(s, me, d.id),
    "closed": lambda s, me, d, c: pairs.close(s, me, d.id, d.value, c),
    "meeting": lambda s, me, d, c: meeting_form.start(s, me, d.id, c),
    "met": lambda s, me, d, c: meetings.log(s, me, d.id, c),
    "confirm": lambda s, me, d, c: meetings.confirm(s, me, d.id, c),
    "extend": lambda s, me, d, c: pairs.extend(s, me, d.id, c),
    **MENTOR_ACTIONS,
}


async def on_press(
    callback: CallbackQuery,
    callback_data: MentoringCallback,
    session: AsyncSession,
    me: int,
    t: Texts,
    ctx: Context,
) -> None:
    if callback_data.act == "export":
        await _export(session, me, callback, t)
        return
    action = ACTIONS.get(callback_data.act)
    if action is None:
        await callback.answer(t("stale"))
        return
    screen = await action(session, me, callback_data, ctx)
    await callback.answer()
    text, markup = view(t, screen)
    if callback_data.act in NEW_MESSAGE:
        assert callback.bot is not None  # set on every dispatched event
        await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)
        return
    await edit_or_send(callback, text, markup)


def build_router() -> Router:
    router = Router(name=__name__)
    for name, handler in (
        ("mentor", cmd_mentor),
        ("mentees", cmd_mentees),
        ("mentoring", cmd_mentoring),
    ):
        router.message.register(handler, Command(name), flags=COMMANDS[name].rule.flags)
    router.message.register(on_find, finding, flags=REGISTERED.flags)
    router.message.register(on_relay, relaying, flags=REGISTERED.flags)
    router.callback_query.register(on_press, MentoringCallback.filter(), flags=REGISTERED.flags)
    return router
