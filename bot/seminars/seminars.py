"""Teachers and seminars: `/seminars`, sign up or give the place up, calendar file, check-in."""

from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS, REGISTERED
from bot.filters import Magic
from bot.seminars.callbacks import SeminarAction, SeminarCallback
from bot.seminars.views import register_button
from bot.ui.render import edit_or_send
from core.messaging.sender import Sender
from core.people.viewer import Viewer
from core.seminars import listing as seminars
from core.seminars import organiser as seminar_organiser
from core.seminars import waitlist as seminar_waitlist
from core.seminars.calendar import seminar_ics
from core.seminars.cards import card
from core.texts import Texts


async def idle(message: Message, viewer: Viewer) -> bool:
    return viewer.pending is None


async def cmd_seminars(
    message: Message, session: AsyncSession, me: int, viewer: Viewer, t: Texts, now: datetime
) -> None:
    found = await seminars.upcoming(session, me, now)
    if not found:
        await message.answer(t("seminars_none"))
        return
    for seminar in found:
        await message.answer(card(t, seminar), reply_markup=register_button(t, seminar))


async def on_register(
    callback: CallbackQuery,
    callback_data: SeminarCallback,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    now: datetime,
    bot: Bot,
) -> None:
    card_id = callback.message.message_id if callback.message else None
    seminar = await seminars.register(session, me, callback_data.id, now, card_id)
    await callback.answer(t(f"seminar_toast_{seminar.mine}"))
    await edit_or_send(callback, card(t, seminar), register_button(t, seminar))
    if seminar.mine == "registered":
        ics = BufferedInputFile(seminar_ics(seminar, now), filename=f"seminar-{seminar.id}.ics")
        await bot.send_document(viewer.telegram_id, ics, caption=t("seminar_calendar"))


async def on_unregister(
    callback: CallbackQuery,
    callback_data: SeminarCallback,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    now: datetime,
    catalogues: dict[str, Texts],
    sender: Sender | None,
) -> None:
    seminar = await seminar_waitlist.unregister(session, me, callback_data.id, now, catalogues)
    await callback.answer(t("seminar_toast_cancelled"))
    await edit_or_send(callback, card(t, seminar), register_button(t, seminar))
    if sender is not None:
        sender.wake()


async def on_code(
    message: Message, session: AsyncSession, me: int, viewer: Viewer, t: Texts, now: datetime
) -> None:
    seminar = await seminar_organiser.check_in(session, me, message.text or "", now)
    await message.answer(t("checkin_done", title=seminar.title))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(
        cmd_seminars, Command("seminars"), flags=COMMANDS["seminars"].rule.flags
    )
    router.callback_query.register(
        on_register,
        SeminarCallback.filter(F.action == SeminarAction.REGISTER),
        flags=REGISTERED.flags,
    )
    router.callback_query.register(
        on_unregister,
        SeminarCallback.filter(F.action == SeminarAction.UNREGISTER),
        flags=REGISTERED.flags,
    )
    router.message.register(
        on_code, idle, Magic(F.text.regexp(r"^\s*\d{4}\s*$")), flags=REGISTERED.flags
    )
    return router
