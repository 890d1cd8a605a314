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


class DismissCallback(CallbackData, prefix="no1"):
    """«Нет» beside a dangerous «Да»: nothing changes, the question is closed."""


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
    AUDIENCE = "a"  # show the audience kinds again
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


class SeminarAction(StrEnum):
    REGISTER = "r"
    UNREGISTER = "u"


class SeminarCallback(CallbackData, prefix="sm1"):
    """Also packed by core.seminars.listing.REGISTER_BUTTON for queued announcements."""

    action: SeminarAction
    id: int


class SeminarFormAction(StrEnum):
    CHOOSE = "c"
    EDIT = "e"
    KIND = "k"
    ITEM = "i"
    BACK = "b"
    PUBLISH = "p"
    DISCARD = "x"


class SeminarFormCallback(CallbackData, prefix="sf1"):
    action: SeminarFormAction
    id: int
    field: str = ""
    value: int = 0


class ManageAction(StrEnum):
    PEOPLE = "p"
    ATTENDANCE = "a"
    MARK = "m"
    CODE = "c"
    EDIT = "e"
    CANCEL = "x"
    CANCEL_CONFIRMED = "y"


class ManageCallback(CallbackData, prefix="so1"):
    action: ManageAction
    id: int
    value: int = 0


class SurveyAction(StrEnum):
    START = "s"
    FEEDBACK = "f"  # ref: the seminar (core.seminars.jobs.FEEDBACK_BUTTON packs this)
    CAMPAIGN = "c"  # ref: the campaign (core.questionnaires.campaigns.CAMPAIGN_BUTTON packs this)
    ANSWER = "a"
    BACK = "b"
    SKIP = "k"
    REUSE = "u"  # ref: the campaign; count the recent answer
    FRESH = "n"  # ref: the campaign; answer anew


class SurveyCallback(CallbackData, prefix="sv1"):
    action: SurveyAction
    ref: int = 0  # the response id
    key: str = ""  # the instrument key, to start
    item: int = 0  # the item's position in the instrument
    value: int = 0  # the answer code or rating


class SupportAction(StrEnum):
    ASK = "a"  # the teacher asks to be contacted (id: the response)
    DONE = "d"  # the methodist has contacted them (id: the request)


class SupportCallback(CallbackData, prefix="sp1"):
    action: SupportAction
    id: int


class CampaignAction(StrEnum):
    CHOOSE = "c"  # a button of the field asked (value, or key for the instrument)
    KIND = "k"  # value: index in AudienceKind
    ITEM = "i"  # value: +id to choose, -id to unchoose a school or subject
    EDIT = "e"
    BACK = "b"
    LAUNCH = "l"
    DISCARD = "x"
    SCHOOLS = "s"  # /campaigns: the response rate by school
    CLOSE = "z"  # /campaigns: ask to close early
    CLOSE_CONFIRMED = "y"


class CampaignCallback(CallbackData, prefix="cg1"):
    action: CampaignAction
    id: int
    field: int = 0  # index in core.questionnaires.campaign_form.ORDER
    value: int = 0
    key: str = ""  # an instrument key (at most 32 characters, checked at load)
