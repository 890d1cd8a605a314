"""Every CallbackData of the bot, packed with its largest values, fits Telegram's 64 bytes
and survives a round trip; buttons core queues as data unpack as the bot expects."""

import enum
import importlib
import pkgutil
import typing

import pytest
from aiogram.filters.callback_data import CallbackData

import bot
from bot.mentoring.callbacks import ACTS
from bot.people.callbacks import ConsentCallback
from bot.ui.buttons import PACKERS, stored_keyboard
from bot.ui.callbacks import FormCallback
from core.people.invites import new_code
from core.screens import Button, Text, stored
from core.texts import load_catalogues

BIG = -(2**31 - 1)  # the longest an id (Integer, or negated to untick) prints as
# the longest text each string field can hold, by class and field
STRINGS = {
    ("ConsentCallback", "code"): "x" * 32,  # Invite.code is at most 32 characters
    ("LanguageCallback", "language"): "ru",
    ("InviteCallback", "role"): "methodist",
    ("FormCallback", "form"): "c",  # a form's one-letter code
    ("FormCallback", "act"): "c",
    ("FormCallback", "key"): "",  # a key comes alone: EXTRA
    ("SurveyCallback", "key"): "k" * 32,  # instrument keys are checked at load: at most 32
    ("MentoringCallback", "act"): max(ACTS, key=len),
}
# the largest a small number can be, by class and field
INTS = {("SurveyCallback", "item"): 99, ("SurveyCallback", "value"): 10}
EXTRA = [FormCallback(form="c", target=-BIG, act="c", field=99, value=0, key="k" * 32)]


def _classes() -> list[type[CallbackData]]:
    for module in pkgutil.walk_packages(bot.__path__, "bot."):
        importlib.import_module(module.name)
    found, todo = [], list(CallbackData.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return sorted(found, key=lambda c: c.__name__)


def _largest(cls: type[CallbackData]) -> CallbackData:
    values: dict[str, object] = {}
    for name, hint in typing.get_type_hints(cls).items():
        if name not in cls.model_fields:
            continue
        kind = next((a for a in typing.get_args(hint) if a is not type(None)), hint)
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            values[name] = max(kind, key=lambda member: len(str(member.value)))
        elif kind is bool:
            values[name] = False
        elif kind is int:
            values[name] = INTS.get((cls.__name__, name), BIG)
        else:
            values[name] = STRINGS[(cls.__name__, name)]  # a new text field: add its largest
    return cls(**values)


@pytest.mark.parametrize("cls", _classes(), ids=lambda c: c.__name__)
def test_largest_values_fit_in_64_bytes_and_unpack(cls: type[CallbackData]) -> None:
    data = _largest(cls)
    packed = data.pack()
    assert len(packed.encode()) <= 64, packed
    assert cls.unpack(packed) == data


@pytest.mark.parametrize("data", EXTRA, ids=lambda d: type(d).__name__)
def test_the_longest_combinations_fit_too(data: CallbackData) -> None:
    assert len(data.pack().encode()) <= 64 and type(data).unpack(data.pack()) == data


def test_every_callback_class_is_checked() -> None:
    assert len(_classes()) >= 14


def test_invite_codes_fit_the_deep_link_and_the_consent_button() -> None:
    code = new_code()
    assert len(code) == 12 and code.replace("-", "").replace("_", "").isalnum()
    assert len(ConsentCallback(agree=True, code=code).pack()) < 64


SAMPLE_REFS: dict[str, tuple[str | int, ...]] = {
    "form": ("c", 7, "c", 0, 0, ""),
    "survey.answer": (17, 3, 2),
    "survey.back": (17, 3),
    "survey.skip": (17, 3),
}


@pytest.mark.parametrize("action", sorted(PACKERS))
def test_buttons_queued_as_data_become_the_bots_own_callbacks(action: str) -> None:
    ref = SAMPLE_REFS.get(action, (17,))
    queued = stored(load_catalogues()["ru"], [[Button(Text("btn_register"), action, ref)]])
    (row,) = stored_keyboard(queued).inline_keyboard
    assert row[0].callback_data == PACKERS[action](ref).pack()
    assert row[0].text == "Записаться"
