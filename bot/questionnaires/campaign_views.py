"""Campaign pages: the list with live response rates, per school, closing early."""

from collections.abc import Mapping

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.questionnaires.callbacks import CampaignAction, CampaignCallback
from bot.ui.keyboards import confirm
from core.questionnaires.rates import CampaignSummary, rate_text
from core.texts import Texts
from surveys.model import Instrument


def title_of(found: CampaignSummary, t: Texts, registry: Mapping[str, Instrument]) -> str:
    instrument = registry.get(found.instrument)
    return instrument.title[t.language] if instrument else found.instrument


def listing(
    t: Texts, found: list[CampaignSummary], registry: Mapping[str, Instrument]
) -> tuple[str, InlineKeyboardMarkup | None]:
    """`/campaigns`: each campaign with its status, dates and live response rate."""
    if not found:
        return t("campaigns_none"), None
    lines = [t("campaigns_title")]
    builder = InlineKeyboardBuilder()
    for c in found:
        title = title_of(c, t, registry)
        mode = t("campaign_mode_anonymous" if c.anonymous else "campaign_mode_confidential")
        rate = rate_text(t, c.rate.invited, c.rate.responded, c.rate.minimum)
        lines += [
            "",
            t(f"campaign_status_{c.status}", title=title, id=c.id),
            t("campaign_dates", opens=c.opens, closes=c.closes, mode=mode),
            t("campaign_rate", rate=rate),
        ]
        if c.rate.invited:
            data = CampaignCallback(action=CampaignAction.SCHOOLS, id=c.id)
            builder.button(text=t("btn_by_school", id=c.id), callback_data=data)
        if c.status in ("open", "scheduled"):
            data = CampaignCallback(action=CampaignAction.CLOSE, id=c.id)
            builder.button(text=t("btn_close_campaign", id=c.id), callback_data=data)
    builder.adjust(1)
    buttons = builder.export()
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=buttons) if buttons else None


def by_school(t: Texts, found: CampaignSummary, registry: Mapping[str, Instrument]) -> str:
    """One campaign's response rate per school, small groups hidden."""
    rate = found.rate
    lines = [
        t("campaign_schools_title", title=title_of(found, t, registry), closes=found.closes),
        t("campaign_rate", rate=rate_text(t, rate.invited, rate.responded, rate.minimum)),
        "",
    ]
    for school in rate.schools:
        name = school.school or t("campaign_no_school")
        shown = rate_text(t, school.invited, school.responded, rate.minimum)
        lines.append(t("campaign_school_row", school=name, rate=shown))
    lines += ["", t("overview_note", minimum=rate.minimum)]
    return "\n".join(lines)


def confirm_close(t: Texts, campaign_id: int) -> InlineKeyboardMarkup:
    data = CampaignCallback(action=CampaignAction.CLOSE_CONFIRMED, id=campaign_id)
    return confirm(t, "btn_close_campaign_confirm", data)
