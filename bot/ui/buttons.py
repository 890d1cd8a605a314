"""Buttons as data (core.screens) become Telegram's inline keyboards here, and only here."""

from collections.abc import Callable, Sequence
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.mentoring.callbacks import ACTS, MentoringCallback
from bot.messaging.callbacks import AnnounceCallback
from bot.monitoring.action_callbacks import SUMMARY_DO, action_packer
from bot.monitoring.report_callbacks import REPORT_ACTS, report_packer
from bot.monitoring.summary_callbacks import SUMMARY_ACTS, summary_packer
from bot.people.callbacks import ProfileConfirmCallback
from bot.questionnaires.callbacks import (
    CampaignAction,
    CampaignCallback,
    SurveyAction,
    SurveyCallback,
)
from bot.seminars.callbacks import SeminarAction, SeminarCallback, SeminarDraftCallback
from bot.ui.callbacks import FormCallback
from core.screens import Button, Ref, Screen, label, lines_of
from core.texts import Texts

Packer = Callable[[Ref], CallbackData]


def _int(ref: Ref, index: int = 0) -> int:
    return int(ref[index])


def _mentoring(act: str) -> Packer:
    return lambda r: MentoringCallback(
        act=act, id=_int(r) if r else 0, value=_int(r, 1) if len(r) > 1 else 0
    )


def _step(action: SurveyAction, ref: Ref, value: int = 0) -> SurveyCallback:
    return SurveyCallback(action=action, ref=_int(ref), item=_int(ref, 1), value=value)


PACKERS: dict[str, Packer] = {
    "form": lambda r: FormCallback(
        form=str(r[0]),
        target=_int(r, 1),
        act=str(r[2]),
        field=_int(r, 3),
        value=_int(r, 4),
        key=str(r[5]),
    ),
    "seminar.register": lambda r: SeminarCallback(action=SeminarAction.REGISTER, id=_int(r)),
    "seminar.unregister": lambda r: SeminarCallback(action=SeminarAction.UNREGISTER, id=_int(r)),
    "seminar.publish": lambda r: SeminarDraftCallback(publish=True, id=_int(r)),
    "seminar.close": lambda r: SeminarDraftCallback(publish=False, id=_int(r)),
    "survey.feedback": lambda r: SurveyCallback(action=SurveyAction.FEEDBACK, ref=_int(r)),
    "profile.confirm": lambda r: ProfileConfirmCallback(),
    "announce.send": lambda r: AnnounceCallback(send=True, draft=_int(r)),
    "announce.cancel": lambda r: AnnounceCallback(send=False, draft=_int(r)),
    "campaign.launch": lambda r: CampaignCallback(action=CampaignAction.LAUNCH, id=_int(r)),
    "campaign.discard": lambda r: CampaignCallback(action=CampaignAction.DISCARD, id=_int(r)),
    "survey.campaign": lambda r: SurveyCallback(action=SurveyAction.CAMPAIGN, ref=_int(r)),
    "survey.answer": lambda r: _step(SurveyAction.ANSWER, r, _int(r, 2)),
    "survey.back": lambda r: _step(SurveyAction.BACK, r),
    "survey.skip": lambda r: _step(SurveyAction.SKIP, r),
    "survey.mentoring": lambda r: SurveyCallback(action=SurveyAction.MENTORING, ref=_int(r)),
    **{f"mentoring.{act}": _mentoring(act) for act in ACTS},
    **{f"report.{act}": report_packer(act) for act in REPORT_ACTS},
    **{f"monitoring.{act}": summary_packer(act) for act in SUMMARY_ACTS},
    **{f"summary.{name}": action_packer(name) for name in SUMMARY_DO},
}


def pack(button: Button) -> str:
    """The callback data of a button (KeyError: an action no packer knows, a bug)."""
    return PACKERS[button.action](button.ref).pack()


def keyboard(t: Texts, rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """The inline keyboard of a screen's buttons, labels in the reader's language."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=label(t, b.label), callback_data=pack(b)) for b in row]
            for row in rows
        ]
    )


def stored_keyboard(stored: dict[str, Any]) -> InlineKeyboardMarkup:
    """An outbox row's buttons (labels rendered when it was queued) as a keyboard."""
    if "inline_keyboard" in stored:  # queued before buttons were stored as data
        return InlineKeyboardMarkup.model_validate(stored)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=b["text"],
                    callback_data=pack(Button(b["text"], b["action"], tuple(b["ref"]))),
                )
                for b in row
            ]
            for row in stored["buttons"]
        ]
    )


def view(t: Texts, shown: Screen) -> tuple[str, InlineKeyboardMarkup | None]:
    """A screen as Telegram shows it: HTML text and its keyboard."""
    return lines_of(t, shown), keyboard(t, shown.rows)
