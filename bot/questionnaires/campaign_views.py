"""Campaign form questions, the preview, and the response-rate pages."""

from collections.abc import Mapping

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import CampaignAction, CampaignCallback
from bot.ui.keyboards import (
    CHECK,
    audience_label,
    audience_picker,
    clock_values,
    confirm,
    picking,
)
from core.questionnaires.campaign_form import (
    DEADLINE_DAYS,
    ORDER,
    PREVIEW,
    REMINDER_DAYS,
    CampaignPrompt,
)
from core.questionnaires.campaigns import CampaignSummary, rate_text
from core.texts import Texts
from surveys.model import Instrument


def _data(
    action: CampaignAction, prompt: CampaignPrompt, field: str = "", value: int = 0, key: str = ""
) -> CampaignCallback:
    return CampaignCallback(
        action=action,
        id=prompt.campaign_id,
        field=ORDER.index(field) if field else 0,
        value=value,
        key=key,
    )


def form_question(t: Texts, prompt: CampaignPrompt) -> tuple[str, InlineKeyboardMarkup]:
    """The message asking the form's current field, or the preview."""
    if prompt.field == PREVIEW:
        return _preview(t, prompt)
    builder = InlineKeyboardBuilder()
    field, choose = prompt.field, CampaignAction.CHOOSE
    text = t(f"campaign_ask_{field}", **clock_values(prompt.clock))
    if field == "instrument":
        for key, title in prompt.instruments:
            data = _data(choose, prompt, field, key=key)
            builder.button(text=title[t.language], callback_data=data)
    elif field == "audience":
        choosing = picking(prompt.audience, prompt.options)
        if choosing:
            text = t(f"announce_choose_{choosing.kind}")
        audience_picker(
            builder,
            t,
            prompt.options if choosing else None,
            lambda index: _data(CampaignAction.KIND, prompt, value=index),
            lambda value: _data(CampaignAction.ITEM, prompt, value=value),
            _data(choose, prompt, field, 0),
        )
    elif field == "opens":
        builder.button(text=t("btn_open_now"), callback_data=_data(choose, prompt, field, 0))
    elif field == "closes":
        for days in DEADLINE_DAYS:
            label = t("btn_days", days=days)
            builder.button(text=label, callback_data=_data(choose, prompt, field, days))
    elif field == "reminders":
        for days in REMINDER_DAYS:
            chosen = days in prompt.reminders
            label = (CHECK if chosen else "") + t("btn_days_before", days=days)
            value = -days if chosen else days
            builder.button(text=label, callback_data=_data(choose, prompt, field, value))
        builder.button(text=t("btn_done"), callback_data=_data(choose, prompt, field, 0))
    elif field == "mode":
        for value, mode in enumerate(("confidential", "anonymous")):
            label = t(f"btn_mode_{mode}")
            builder.button(text=label, callback_data=_data(choose, prompt, field, value))
    if prompt.edit:
        builder.button(text=t("btn_cancel"), callback_data=_data(CampaignAction.BACK, prompt))
    builder.adjust(*([4] if field == "reminders" else []), 1)
    return text, InlineKeyboardMarkup(inline_keyboard=builder.export())


def _preview(t: Texts, prompt: CampaignPrompt) -> tuple[str, InlineKeyboardMarkup]:
    assert prompt.title is not None
    audience = audience_label(t, prompt.audience)
    reminders = (
        t("campaign_reminders", days=", ".join(str(d) for d in prompt.reminders))
        if prompt.reminders
        else t("campaign_no_reminders")
    )
    lines = [
        t("campaign_preview"),
        "",
        t("campaign_instrument", title=prompt.title[t.language]),
        t("announce_recipients", audience=audience, count=prompt.recipients),
        t("campaign_opens", when=prompt.opens or t("campaign_opens_now")),
        t("campaign_closes", when=prompt.closes or "—"),
        reminders,
        t(f"btn_mode_{'anonymous' if prompt.anonymous else 'confidential'}"),
    ]
    builder = InlineKeyboardBuilder()
    builder.button(text=t("btn_launch"), callback_data=_data(CampaignAction.LAUNCH, prompt))
    fields = [f for f in ORDER if not (f == "mode" and prompt.mode_fixed)]
    for field in fields:
        label = t(f"campfield_{field}")
        builder.button(text=label, callback_data=_data(CampaignAction.EDIT, prompt, field))
    builder.button(text=t("btn_discard"), callback_data=_data(CampaignAction.DISCARD, prompt))
    builder.adjust(1, *([2] * (len(fields) // 2)), 1)
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=builder.export())


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
