"""CallbackData classes: short versioned prefixes, ids and enums only (64-byte limit)."""

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class FormAction(StrEnum):
    SCHOOL = "s"
    NO_SCHOOL = "n"
    PAGE = "p"
    SUBJECT = "j"
    SUBJECTS_DONE = "d"
    STARTED = "y"
    BIRTH_SKIP = "b"
    CONFIRM = "c"
    EDIT = "e"
    CANCEL = "x"


class Field(StrEnum):
    NAME = "name"
    SCHOOL = "school"
    SUBJECTS = "subjects"
    STARTED = "started"
    BIRTH = "birth"


class ConsentCallback(CallbackData, prefix="cn1"):
    agree: bool
    code: str


class FormCallback(CallbackData, prefix="fm1"):
    action: FormAction
    value: int = 0
    field: Field | None = None


class LanguageCallback(CallbackData, prefix="lg1"):
    language: str


class ForgetCallback(CallbackData, prefix="fg1"):
    confirm: bool


class InviteAction(StrEnum):
    MUNICIPALITY = "m"
    PAGE = "p"
    SCHOOL = "s"
    ROLE = "r"


class InviteCallback(CallbackData, prefix="iv1"):
    action: InviteAction
    value: int
    page: int = 0
    role: str = ""


class AnnounceAction(StrEnum):
    KIND = "k"  # value: index in AUDIENCE_KINDS
    ITEM = "i"  # value: +id to choose, -id to unchoose a school or subject
    CHOSEN = "c"
    SEND = "s"
    TEXT = "t"
    CANCEL = "x"


class AnnounceCallback(CallbackData, prefix="an1"):
    action: AnnounceAction
    draft: int
    value: int = 0
