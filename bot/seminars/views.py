"""Seminar keyboards: sign-up, the organiser's card, attendance, cancelling."""

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.seminars.callbacks import ManageAction, ManageCallback, SeminarAction, SeminarCallback
from bot.ui.keyboards import CHECK, confirm
from core.seminars.listing import SeminarView
from core.seminars.organiser import Participant
from core.texts import Texts


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
