"""Callback data stays within Telegram's 64 bytes and survives a round trip."""

import pytest
from aiogram.filters.callback_data import CallbackData

from bot.callbacks import (
    ConsentCallback,
    Field,
    ForgetCallback,
    FormAction,
    FormCallback,
    InviteAction,
    InviteCallback,
    LanguageCallback,
)
from core.models import Role
from core.people.invites import new_code

BIG = 2**63 - 1  # the largest id a BigInteger column holds
LARGEST: list[CallbackData] = [
    ConsentCallback(agree=False, code="x" * 32),  # Invite.code is at most 32 characters
    FormCallback(action=FormAction.SUBJECTS_DONE, value=BIG, field=Field.SUBJECTS),
    LanguageCallback(language="ru"),
    ForgetCallback(confirm=False),
    InviteCallback(action=InviteAction.ROLE, value=BIG, page=99_999, role=Role.METHODIST),
]


@pytest.mark.parametrize("data", LARGEST, ids=lambda d: type(d).__name__)
def test_largest_values_fit_in_64_bytes_and_unpack(data: CallbackData) -> None:
    packed = data.pack()
    assert len(packed.encode()) <= 64, packed
    assert type(data).unpack(packed) == data


def test_invite_codes_fit_the_deep_link_and_the_consent_button() -> None:
    code = new_code()
    assert len(code) == 12 and code.replace("-", "").replace("_", "").isalnum()
    assert len(ConsentCallback(agree=True, code=code).pack()) < 64


def test_buttons_queued_by_core_unpack_as_the_bot_expects() -> None:
    from bot.callbacks import SeminarAction, SeminarCallback, SurveyAction, SurveyCallback
    from core.questionnaires.campaigns import CAMPAIGN_BUTTON
    from core.seminars.jobs import FEEDBACK_BUTTON
    from core.seminars.listing import REGISTER_BUTTON

    assert (
        REGISTER_BUTTON.format(17) == SeminarCallback(action=SeminarAction.REGISTER, id=17).pack()
    )
    assert (
        FEEDBACK_BUTTON.format(17) == SurveyCallback(action=SurveyAction.FEEDBACK, ref=17).pack()
    )
    assert (
        CAMPAIGN_BUTTON.format(17) == SurveyCallback(action=SurveyAction.CAMPAIGN, ref=17).pack()
    )


def test_the_longest_campaign_button_fits_telegrams_64_bytes() -> None:
    from bot.callbacks import CampaignAction, CampaignCallback

    instrument = CampaignCallback(action=CampaignAction.CHOOSE, id=10**9, field=0, key="k" * 32)
    reminder = CampaignCallback(action=CampaignAction.CHOOSE, id=10**9, field=4, value=-7)
    assert len(instrument.pack().encode()) <= 64
    assert len(reminder.pack().encode()) <= 64
