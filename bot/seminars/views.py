"""Seminar cards, form questions and their keyboards."""

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import (
    ManageAction,
    ManageCallback,
    SeminarAction,
    SeminarCallback,
    SeminarFormAction,
    SeminarFormCallback,
)
from bot.ui.keyboards import audience_label, audience_picker, clock_values, confirm, picking
from core.seminars.cards import card
from core.seminars.form import CAPACITIES, DURATIONS, ORDER, PREVIEW, FormPrompt
from core.seminars.listing import FORMATS, SeminarView
from core.seminars.organiser import Participant
from core.texts import Texts

CHECK = "✅ "


def _markup(builder: InlineKeyboardBuilder, *sizes: int) -> InlineKeyboardMarkup:
    builder.adjust(*sizes)
    return InlineKeyboardMarkup(inline_keyboard=builder.export())


def register_button(t: Texts, seminar: SeminarView) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if seminar.mine in ("registered", "waitlist"):
        data = SeminarCallback(action=SeminarAction.UNREGISTER, id=seminar.id)
        builder.button(text=t("btn_unregister"), callback_data=data)
    else:
        data = SeminarCallback(action=SeminarAction.REGISTER, id=seminar.id)
        builder.button(text=t("btn_register"), callback_data=data)
    return _markup(builder, 1)


def _form(
    action: SeminarFormAction, prompt: FormPrompt, field: str = "", value: int = 0
) -> SeminarFormCallback:
    return SeminarFormCallback(action=action, id=prompt.seminar_id, field=field, value=value)


def form_question(t: Texts, prompt: FormPrompt) -> tuple[str, InlineKeyboardMarkup | None]:
    """The message asking the form's current field, or the preview."""
    if prompt.field == PREVIEW:
        return _preview(t, prompt)
    builder = InlineKeyboardBuilder()
    choose = SeminarFormAction.CHOOSE
    field = prompt.field
    if field == "description":
        builder.button(text=t("btn_skip"), callback_data=_form(choose, prompt, field, -1))
    elif field == "duration":
        for minutes in DURATIONS:
            label = t("minutes", minutes=minutes)
            builder.button(text=label, callback_data=_form(choose, prompt, field, minutes))
    elif field == "format":
        for index, name in enumerate(FORMATS):
            builder.button(
                text=t(f"format_{name}"), callback_data=_form(choose, prompt, field, index)
            )
    elif field == "capacity":
        for seats in CAPACITIES:
            label = t("capacity_none") if seats == 0 else str(seats)
            builder.button(text=label, callback_data=_form(choose, prompt, field, seats))
    elif field == "tags":
        for option in prompt.options:
            value = -(option.id + 1) if option.selected else option.id + 1
            label = (CHECK if option.selected else "") + t(f"area_{option.label}")
            builder.button(text=label, callback_data=_form(choose, prompt, field, value))
        builder.button(text=t("btn_done"), callback_data=_form(choose, prompt, field, 0))
    elif field == "audience":
        _audience(t, prompt, builder)
    if prompt.edit:
        builder.button(text=t("btn_cancel"), callback_data=_form(SeminarFormAction.BACK, prompt))
    text = t(f"semform_ask_{field}", **clock_values(prompt.clock))
    buttons = builder.export()
    return text, (_markup(builder, *([1] * len(buttons))) if buttons else None)


def _audience(t: Texts, prompt: FormPrompt, builder: InlineKeyboardBuilder) -> None:
    choosing = picking(prompt.audience, prompt.options)
    audience_picker(
        builder,
        t,
        prompt.options if choosing else None,
        lambda index: _form(SeminarFormAction.KIND, prompt, "", index),
        lambda value: _form(SeminarFormAction.ITEM, prompt, "", value),
        _form(SeminarFormAction.CHOOSE, prompt, "audience", 0),
    )


def _preview(t: Texts, prompt: FormPrompt) -> tuple[str, InlineKeyboardMarkup]:
    assert prompt.card is not None
    audience = audience_label(t, prompt.audience)
    lines = [t("semform_preview"), "", card(t, prompt.card, show_link=True), ""]
    lines.append(t("announce_recipients", audience=audience, count=prompt.recipients))
    builder = InlineKeyboardBuilder()
    if prompt.published:
        builder.button(text=t("btn_done"), callback_data=_form(SeminarFormAction.DISCARD, prompt))
    else:
        builder.button(
            text=t("btn_publish"), callback_data=_form(SeminarFormAction.PUBLISH, prompt)
        )
    editable = [f for f in ORDER if not (prompt.published and f == "audience")]
    for field in editable:
        data = _form(SeminarFormAction.EDIT, prompt, field)
        builder.button(text=t(f"semfield_{field}"), callback_data=data)
    if not prompt.published:
        builder.button(
            text=t("btn_discard"), callback_data=_form(SeminarFormAction.DISCARD, prompt)
        )
    return "\n".join(lines), _markup(builder, 1, *([2] * (len(editable) // 2 + 1)))


def manage(t: Texts, seminar: SeminarView) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for action, key in (
        (ManageAction.PEOPLE, "btn_participants"),
        (ManageAction.ATTENDANCE, "btn_attendance"),
        (ManageAction.CODE, "btn_checkin_code"),
        (ManageAction.EDIT, "btn_edit_seminar"),
        (ManageAction.CANCEL, "btn_cancel_seminar"),
    ):
        builder.button(text=t(key), callback_data=ManageCallback(action=action, id=seminar.id))
    return _markup(builder, 2)


def attendance(t: Texts, seminar_id: int, people: list[Participant]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for person in people:
        if person.status != "registered":
            continue
        value = -person.person_id if person.attended else person.person_id
        label = (CHECK if person.attended else "") + person.name
        builder.button(
            text=label,
            callback_data=ManageCallback(action=ManageAction.MARK, id=seminar_id, value=value),
        )
    return _markup(builder, 1)


def confirm_cancel(t: Texts, seminar_id: int) -> InlineKeyboardMarkup:
    data = ManageCallback(action=ManageAction.CANCEL_CONFIRMED, id=seminar_id)
    return confirm(t, "btn_cancel_seminar_confirm", data)
