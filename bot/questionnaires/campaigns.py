"""`/campaign_new` (set up and launch a questionnaire campaign); `/campaigns` (response rates)."""

from collections.abc import Mapping
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS, METHODISTS
from bot.questionnaires.callbacks import CampaignAction, CampaignCallback
from bot.questionnaires.campaign_views import (
    by_school,
    confirm_close,
    listing,
    title_of,
)
from bot.ui.buttons import view
from bot.ui.render import edit_or_send, start_progress
from core.config import Settings
from core.forms import Context
from core.messaging.sender import Sender
from core.people.viewer import Viewer
from core.questionnaires import campaign_form, campaigns, rates
from core.texts import Texts
from surveys.model import Instrument

Registry = Mapping[str, Instrument]


async def cmd_campaign_new(
    message: Message, session: AsyncSession, me: int, t: Texts, ctx: Context
) -> None:
    text, markup = view(t, await campaign_form.start(session, me, ctx))
    await message.answer(text, reply_markup=markup)


async def on_launch(
    callback: CallbackQuery,
    callback_data: CampaignCallback,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    ctx: Context,
    bot: Bot,
    sender: Sender | None,
) -> None:
    launched = await campaign_form.launch(session, me, callback_data.id, t.language, ctx)
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
    me: int,
    viewer: Viewer,
    t: Texts,
) -> None:
    await campaign_form.discard(session, me, callback_data.id)
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
    found = await rates.listing(session, viewer.municipality_id, settings.min_group_size)
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
    found = await rates.summary(
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
    found = await rates.summary(
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
    now: datetime,
    catalogues: dict[str, Texts],
    instruments: Registry,
    sender: Sender | None,
) -> None:
    assert viewer.municipality_id is not None
    await campaigns.close_now(
        session,
        viewer.municipality_id,
        callback_data.id,
        now,
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
    return router
