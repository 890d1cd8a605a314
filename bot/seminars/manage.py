"""`/myseminars` for organisers: participants, attendance, check-in code, edit, cancel."""

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS, ORGANISERS
from bot.seminars.callbacks import ManageAction, ManageCallback
from bot.seminars.views import attendance, confirm_cancel, manage
from bot.ui.buttons import view
from bot.ui.render import edit_or_send
from core.config import Settings
from core.forms import Context
from core.messaging.sender import Sender
from core.people.viewer import Viewer
from core.seminars import jobs as seminar_jobs
from core.seminars import organiser as seminar_organiser
from core.seminars import publish as seminar_publish
from core.seminars.cards import card
from core.seminars.organiser import FeedbackSummary, Participant
from core.texts import Texts


async def cmd_myseminars(
    message: Message,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    now: datetime,
    settings: Settings,
) -> None:
    found = await seminar_organiser.organised(session, me, now)
    if not found:
        await message.answer(t("myseminars_none"))
        return
    for seminar in found:
        feedback = await seminar_organiser.feedback_summary(
            session, seminar.id, settings.min_group_size
        )
        text = card(t, seminar, show_link=True) + feedback_line(t, feedback)
        await message.answer(text, reply_markup=manage(t, seminar))


def feedback_line(t: Texts, summary: FeedbackSummary) -> str:
    if not summary.any:
        return ""
    if not summary.shown:
        return "\n" + t("feedback_few", minimum=summary.minimum)
    return "\n" + t(
        "feedback_summary",
        answered=summary.answered,
        satisfied=f"{summary.satisfied:.0f}",
        mean=f"{summary.mean:.1f}",
        nps=f"{summary.nps:+.0f}",
    )


def people_text(t: Texts, people: list[Participant]) -> str:
    if not people:
        return t("participants_none")
    lines = [t("participants_title")]
    for number, person in enumerate(people, start=1):
        status = t(f"status_{person.status}") + (" ✅" if person.attended else "")
        lines.append(t("participant_row", number=number, name=person.name, status=status))
    return "\n".join(lines)


async def on_manage(
    callback: CallbackQuery,
    callback_data: ManageCallback,
    session: AsyncSession,
    me: int,
    t: Texts,
    ctx: Context,
) -> None:
    text, markup = await _manage(session, me, callback_data, t, ctx)
    await callback.answer()  # after the service: a stale button gets its toast instead
    await edit_or_send(callback, text, markup)


async def _manage(
    session: AsyncSession, organiser: int, data: ManageCallback, t: Texts, ctx: Context
) -> tuple[str, InlineKeyboardMarkup | None]:
    seminar_id, action = data.id, data.action
    if action == ManageAction.PEOPLE:
        return people_text(
            t, await seminar_organiser.participants(session, organiser, seminar_id)
        ), None
    if action == ManageAction.MARK:
        value = data.value
        people = await seminar_organiser.mark_attended(
            session, organiser, seminar_id, abs(value), value > 0
        )
        return t("attendance_title"), attendance(t, seminar_id, people)
    if action == ManageAction.ATTENDANCE:
        people = await seminar_organiser.participants(session, organiser, seminar_id)
        return t("attendance_title"), attendance(t, seminar_id, people)
    if action == ManageAction.CODE:
        code = await seminar_organiser.open_checkin(session, organiser, seminar_id)
        return t("checkin_code", code=code), None
    if action == ManageAction.EDIT:
        return view(t, await seminar_publish.open_card(session, organiser, seminar_id, ctx))
    await seminar_organiser.participants(
        session, organiser, seminar_id
    )  # still the organiser's, not cancelled
    return t("seminar_cancel_confirm"), confirm_cancel(t, seminar_id)


async def on_cancel(
    callback: CallbackQuery,
    callback_data: ManageCallback,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    now: datetime,
    catalogues: dict[str, Texts],
    sender: Sender | None,
) -> None:
    told = await seminar_jobs.cancel_seminar(session, me, callback_data.id, now, catalogues)
    await callback.answer()
    await edit_or_send(callback, t("seminar_cancelled_done", count=told))
    if sender is not None:
        sender.wake()


def build_router() -> Router:
    router = Router(name=__name__)
    rule = COMMANDS["myseminars"].rule
    router.message.register(cmd_myseminars, Command("myseminars"), flags=rule.flags)
    router.callback_query.register(
        on_cancel,
        ManageCallback.filter(F.action == ManageAction.CANCEL_CONFIRMED),
        flags=ORGANISERS.flags,
    )
    router.callback_query.register(on_manage, ManageCallback.filter(), flags=ORGANISERS.flags)
    return router
