"""`/campaign_new` (set up and launch a questionnaire campaign); `/campaigns` (response rates)."""

from collections.abc import Callable, Mapping
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import CampaignAction, CampaignCallback
from bot.commands import COMMANDS, METHODISTS, is_command
from bot.questionnaires.campaign_views import (
    by_school,
    confirm_close,
    form_question,
    listing,
    title_of,
)
from bot.ui.render import edit_or_send, start_progress
from core.audience import AudienceKind
from core.config import Settings
from core.errors import InvalidInput
from core.messaging.sender import Sender
from core.people.viewer import Viewer
from core.questionnaires import campaign_form, campaigns
from core.questionnaires.campaign_form import CampaignPrompt
from core.texts import Texts
from surveys.model import Instrument

Clock = Callable[[], datetime]
Registry = Mapping[str, Instrument]
KINDS = list(AudienceKind)


def typing(message: Message, viewer: Viewer) -> bool:
    return campaign_form.is_typing(viewer.step) and not is_command(message)


async def cmd_campaign_new(
    message: Message,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    clock: Clock,
    instruments: Registry,
) -> None:
    assert viewer.person_id is not None
    prompt = await campaign_form.start(session, viewer.person_id, clock(), instruments)
    text, markup = form_question(t, prompt)
    await message.answer(text, reply_markup=markup)


async def on_text(
    message: Message,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    clock: Clock,
    instruments: Registry,
) -> None:
    assert viewer.person_id is not None
    try:
        prompt = await campaign_form.submit_text(
            session, viewer.person_id, message.text or "", clock(), instruments
        )
    except InvalidInput as exc:
        await message.answer(t(exc.code, **exc.details))
        prompt = await campaign_form.prompt(session, viewer.person_id, clock(), instruments)
    text, markup = form_question(t, prompt)
    await message.answer(text, reply_markup=markup)


async def on_button(
    callback: CallbackQuery,
    callback_data: CampaignCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    clock: Clock,
    instruments: Registry,
) -> None:
    assert viewer.person_id is not None
    prompt = await _apply(session, viewer.person_id, callback_data, clock(), instruments)
    await callback.answer()
    text, markup = form_question(t, prompt)
    await edit_or_send(callback, text, markup)


async def _apply(
    session: AsyncSession,
    person_id: int,
    data: CampaignCallback,
    now: datetime,
    registry: Registry,
) -> CampaignPrompt:
    order = campaign_form.ORDER
    field = order[data.field] if 0 <= data.field < len(order) else ""
    if data.action == CampaignAction.CHOOSE:
        return await campaign_form.choose(
            session, person_id, data.id, field, data.value, data.key, now, registry
        )
    if data.action == CampaignAction.KIND:
        kind = KINDS[data.value % len(KINDS)]
        return await campaign_form.audience_kind(session, person_id, data.id, kind, now, registry)
    if data.action == CampaignAction.ITEM:
        return await campaign_form.audience_item(
            session, person_id, data.id, abs(data.value), data.value > 0, now, registry
        )
    if data.action == CampaignAction.EDIT:
        return await campaign_form.edit(session, person_id, data.id, field, now, registry)
    return await campaign_form.back(session, person_id, data.id, now, registry)


async def on_launch(
    callback: CallbackQuery,
    callback_data: CampaignCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    clock: Clock,
    catalogues: dict[str, Texts],
    instruments: Registry,
    bot: Bot,
    sender: Sender | None,
) -> None:
    assert viewer.person_id is not None
    launched = await campaign_form.launch(
        session, viewer.person_id, callback_data.id, t.language, clock(), catalogues, instruments
    )
    await callback.answer()
    if launched.launch is None:
        await edit_or_send(callback, t("campaign_scheduled", opens=launched.opens))
        return
    await edit_or_send(callback, t("campaign_launched", count=launched.launch.total))
    await start_progress(bot, session, viewer, t, launched.launch, sender)


async def on_discard(
    callback: CallbackQuery,
    callback_data: CampaignCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
) -> None:
    assert viewer.person_id is not None
    await campaign_form.discard(session, viewer.person_id, callback_data.id)
    await callback.answer()
    await edit_or_send(callback, t("campaign_discarded"))


async def cmd_campaigns(
    message: Message,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    settings: Settings,
    instruments: Registry,
) -> None:
    assert viewer.municipality_id is not None
    found = await campaigns.listing(session, viewer.municipality_id, settings.min_group_size)
    text, markup = listing(t, found, instruments)
    await message.answer(text, reply_markup=markup)


async def on_schools(
    callback: CallbackQuery,
    callback_data: CampaignCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    settings: Settings,
    instruments: Registry,
    bot: Bot,
) -> None:
    assert viewer.municipality_id is not None
    found = await campaigns.summary(
        session, viewer.municipality_id, callback_data.id, settings.min_group_size
    )
    await callback.answer()
    await bot.send_message(viewer.telegram_id, by_school(t, found, instruments))


async def on_close(
    callback: CallbackQuery,
    callback_data: CampaignCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    settings: Settings,
    instruments: Registry,
    bot: Bot,
) -> None:
    assert viewer.municipality_id is not None
    found = await campaigns.summary(
        session, viewer.municipality_id, callback_data.id, settings.min_group_size
    )
    await callback.answer()
    title = title_of(found, t, instruments)
    await bot.send_message(
        viewer.telegram_id,
        t("campaign_close_confirm", title=title),
        reply_markup=confirm_close(t, found.id),
    )


async def on_close_confirmed(
    callback: CallbackQuery,
    callback_data: CampaignCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    settings: Settings,
    clock: Clock,
    catalogues: dict[str, Texts],
    instruments: Registry,
    sender: Sender | None,
) -> None:
    assert viewer.municipality_id is not None
    await campaigns.close_now(
        session,
        viewer.municipality_id,
        callback_data.id,
        clock(),
        catalogues,
        instruments,
        settings.min_group_size,
    )
    await callback.answer()
    await edit_or_send(callback, t("campaign_closed_now"))
    if sender is not None:
        sender.wake()


def build_router() -> Router:
    router = Router(name=__name__)
    rule = COMMANDS["campaign_new"].rule
    router.message.register(cmd_campaign_new, Command("campaign_new"), flags=rule.flags)
    rule = COMMANDS["campaigns"].rule
    router.message.register(cmd_campaigns, Command("campaigns"), flags=rule.flags)
    router.message.register(on_text, typing, F.text, flags=METHODISTS.flags)
    for action, handler in (
        (CampaignAction.LAUNCH, on_launch),
        (CampaignAction.DISCARD, on_discard),
        (CampaignAction.SCHOOLS, on_schools),
        (CampaignAction.CLOSE, on_close),
        (CampaignAction.CLOSE_CONFIRMED, on_close_confirmed),
    ):
        router.callback_query.register(
            handler, CampaignCallback.filter(F.action == action), flags=METHODISTS.flags
        )
    router.callback_query.register(on_button, CampaignCallback.filter(), flags=METHODISTS.flags)
    return router
