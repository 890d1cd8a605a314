"""`/surveys`: questionnaires one item at a time, progress kept in the database."""

from collections.abc import Mapping
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS, REGISTERED, is_command
from bot.filters import Magic
from bot.questionnaires.callbacks import SurveyAction, SurveyCallback
from bot.questionnaires.support import ask_button
from bot.questionnaires.views import (
    offer_buttons,
    past_results,
    question,
    recent_offer,
    result,
    route_text,
)
from bot.ui.buttons import view
from bot.ui.render import edit_or_send
from core.errors import InvalidInput
from core.mentoring import requests as mentoring_requests
from core.people.viewer import Viewer
from core.questionnaires import offers, responses, results, routes, support
from core.questionnaires import starting as response_start
from core.questionnaires.responses import Finished, Step
from core.questionnaires.starting import Recent
from core.texts import Texts
from surveys.model import Instrument

Resources = dict[str, tuple[routes.Resource, ...]]


async def typing(message: Message, viewer: Viewer) -> bool:
    return viewer.awaits(responses.TYPED.form) and not is_command(message)


def _render(t: Texts, step: Step | Recent) -> tuple[str, InlineKeyboardMarkup | None]:
    if isinstance(step, Recent):
        return recent_offer(t, step)
    if not isinstance(step, Finished):
        return question(t, step)
    if support.offers_support(step.instrument.key, step.result.to_json()):
        if step.anonymous:  # nothing links the answers to the person: they reach out themselves
            return result(t, step) + "\n\n" + t("support_anonymous_hint"), None
        return result(t, step), ask_button(t, step.response_id)
    return result(t, step), None


async def cmd_surveys(
    message: Message,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    now: datetime,
    instruments: Mapping[str, Instrument],
) -> None:
    found = await offers.offered(session, me, now, instruments)
    await message.answer(t("surveys_title"), reply_markup=offer_buttons(t, found))


async def on_survey(
    callback: CallbackQuery,
    callback_data: SurveyCallback,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    now: datetime,
    instruments: Mapping[str, Instrument],
    resources: Resources,
    bot: Bot,
) -> None:
    step = await _apply(session, me, callback_data, now, instruments)
    await callback.answer()
    text, markup = _render(t, step)
    await edit_or_send(callback, text, markup)
    if isinstance(step, Finished) and step.instrument.key == routes.DEFICITS:
        route = await routes.latest_route(session, me, now, resources)
        await bot.send_message(viewer.telegram_id, route_text(t, route, step.instrument))
        await _offer_mentor(bot, viewer.telegram_id, session, me, now, t)


async def cmd_route(
    message: Message,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    now: datetime,
    instruments: Mapping[str, Instrument],
    resources: Resources,
) -> None:
    route = await routes.latest_route(session, me, now, resources)
    await message.answer(route_text(t, route, instruments[routes.DEFICITS]))
    assert message.bot is not None  # set on every dispatched event
    await _offer_mentor(message.bot, message.chat.id, session, me, now, t)


async def _offer_mentor(
    bot: Bot, chat_id: int, session: AsyncSession, me: int, now: datetime, t: Texts
) -> None:
    """Under the route, a young teacher with areas to work on is offered a mentor."""
    offer = await mentoring_requests.route_offer(session, me, now.year)
    if offer is not None:
        text, markup = view(t, offer)
        await bot.send_message(chat_id, text, reply_markup=markup)


async def _apply(
    session: AsyncSession,
    person_id: int,
    data: SurveyCallback,
    now: datetime,
    instruments: Mapping[str, Instrument],
) -> Step | Recent:
    action, ref = data.action, data.ref
    if action == SurveyAction.START:
        return await response_start.begin(session, person_id, data.key, now, instruments)
    if action == SurveyAction.FEEDBACK:
        return await response_start.begin_feedback(session, person_id, ref, now, instruments)
    if action == SurveyAction.MENTORING:
        return await response_start.begin_mentoring(session, person_id, ref, now, instruments)
    if action in (SurveyAction.CAMPAIGN, SurveyAction.FRESH):
        fresh = action == SurveyAction.FRESH
        return await response_start.begin_campaign(
            session, person_id, ref, now, instruments, fresh
        )
    if action == SurveyAction.REUSE:
        return await response_start.reuse_recent(session, person_id, ref, now, instruments)
    if data.action == SurveyAction.BACK:
        return await responses.back(session, person_id, data.ref, now, instruments)
    raw = None if data.action == SurveyAction.SKIP else data.value
    return await responses.answer_at(
        session, person_id, data.ref, data.item, raw, now, instruments
    )


async def on_typed(
    message: Message,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    now: datetime,
    instruments: Mapping[str, Instrument],
) -> None:
    current = await responses.current_step(session, me, now, instruments)
    assert not isinstance(current, Finished)
    try:
        step = await responses.answer(
            session,
            me,
            current.response_id,
            current.item.id,
            message.text or "",
            now,
            instruments,
        )
    except InvalidInput as exc:
        await message.answer(t(exc.code, **exc.details))
        step = current
    text, markup = _render(t, step)
    await message.answer(text, reply_markup=markup)


async def cmd_myresults(
    message: Message,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    instruments: Mapping[str, Instrument],
) -> None:
    found = await results.my_results(session, me)
    await message.answer(past_results(t, found, instruments))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_surveys, Command("surveys"), flags=COMMANDS["surveys"].rule.flags)
    router.message.register(cmd_route, Command("route"), flags=COMMANDS["route"].rule.flags)
    rule = COMMANDS["myresults"].rule
    router.message.register(cmd_myresults, Command("myresults"), flags=rule.flags)
    router.message.register(on_typed, typing, Magic(F.text), flags=REGISTERED.flags)
    return router


def build_press_router() -> Router:
    """The questionnaire's buttons, a press per item answered: the busiest handler, on a router
    of its own that is tried first (a press passes every router before the one it matches)."""
    router = Router(name=f"{__name__}.presses")
    router.callback_query.register(on_survey, SurveyCallback.filter(), flags=REGISTERED.flags)
    return router
