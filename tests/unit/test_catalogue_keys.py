"""Every catalogue key the code can ask for exists in both languages.

The code is read as a syntax tree: each call of a catalogue (`t(...)`, `catalogues[...](...)`)
gives its key as a literal, an f-string or an expression. Literals must exist; f-strings and
expressions must be listed below with every value they can take, so a new one cannot slip in.
"""

import ast
import string
from collections.abc import Iterable
from pathlib import Path

from bot.commands import COMMANDS
from core.audience import AudienceKind
from core.mentoring.expiry import NO_ANSWER
from core.mentoring.goal_form import FORM as GOAL
from core.mentoring.meeting_form import FORM as MEETING
from core.mentoring.pairing import DECLINE_REASONS
from core.mentoring.requests import FORM as MENTOR_REQUEST
from core.models import (
    CampaignStatus,
    EndReason,
    MeetingMode,
    RegistrationStatus,
    RequestStatus,
    Role,
)
from core.monitoring.periods import PeriodKind
from core.monitoring.reports import PERIODS as REPORT_PERIODS
from core.monitoring.reports import VIEWS as REPORT_VIEWS
from core.monitoring.rules import Reason, told
from core.monitoring.summary import ACTIONS as SUMMARY_ACTIONS
from core.people.invites import ROLE_INVITES
from core.questionnaires.campaign_form import FORM as CAMPAIGN
from core.questionnaires.routes import ADVICE
from core.seminars.form import FORM as SEMINAR
from core.seminars.listing import AREAS, FORMATS
from core.texts import load_catalogues
from surveys.registry import load_all

XL_SHEETS = ("registry", "pairs", "goals", "meetings", "reasons")
ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = load_catalogues()
BANDS = {band.id for i in load_all().values() for s in i.scales for band in s.bands}
PROFILE_FIELDS = ("name", "school", "subjects", "started", "birth", "community")
CAMPAIGN_FIELDS = [f.name for f in CAMPAIGN.fields]
SEMINAR_FIELDS = [f.name for f in SEMINAR.fields]
ERRORS = ("InvalidInput", "StaleAction", "NotFound", "InviteError", "PedPulseError")

# f-string keys: the text with {} for each placeholder -> every value it can take
PATTERNS: dict[str, Iterable[str]] = {
    "role_{}": [str(r) for r in Role],
    "btn_role_{}": [str(r) for r in ROLE_INVITES],
    "audience_{}": [str(k) for k in AudienceKind],
    "announce_choose_{}": ["schools", "subjects"],
    "announce_with_{}": ["document", "photo"],
    "campaign_ask_{}": CAMPAIGN_FIELDS,
    "campfield_{}": CAMPAIGN_FIELDS,
    "campaign_status_{}": [s for s in CampaignStatus if s != CampaignStatus.DRAFT],
    "btn_mode_{}": ["confidential", "anonymous"],
    "survey_mode_{}": ["confidential", "anonymous"],
    "semform_ask_{}": SEMINAR_FIELDS,
    "semfield_{}": SEMINAR_FIELDS,
    "format_{}": FORMATS,
    "area_{}": AREAS,
    "seminar_toast_{}": ["registered", "waitlist"],
    "seminar_mine_{}": ["registered", "waitlist"],
    "status_{}": [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLIST],
    "btn_edit_{}": PROFILE_FIELDS,
    "ask_{}": PROFILE_FIELDS,
    "cmd_{}": list(COMMANDS),
    "advice_{}": ADVICE.values(),
    "band_{}": BANDS,
    "band_{}_{}": [f"deficits_{b}" for b in ("high", "medium", "minimal")],
    "language_name_{}": ["ru", "en"],
    "{}_button": ["need_registration", "finish_registration", "no_rights"],
    "decline_{}": [*DECLINE_REASONS, NO_ANSWER],
    "mentor_ask_{}": [f.name for f in MENTOR_REQUEST.fields],
    "btn_mentor_{}": [f.name for f in MENTOR_REQUEST.fields],
    "mode_{}": [str(m) for m in MeetingMode],
    "request_{}": [RequestStatus.WAITING, RequestStatus.OFFERED],
    "end_{}": [str(r) for r in EndReason],
    "goal_{}": AREAS,
    "meeting_ask_{}": [f.name for f in MEETING.fields],
    "btn_meeting_{}": [f.name for f in MEETING.fields],
    "goalform_ask_{}": [f.name for f in GOAL.fields],
    "btn_goalform_{}": [f.name for f in GOAL.fields],
    "xl_sheet_{}": XL_SHEETS,
    "xl_head_{}": XL_SHEETS,
    "xl_role_{}": ["mentor", "mentee"],
    "rep_btn_{}": [*REPORT_PERIODS, *REPORT_VIEWS],
    "rep_by_{}": ["schools", "subjects"],
    "rep_period_{}": [str(k) for k in PeriodKind],
    "rep_hidden_{}": sorted({told(r).name.lower() for r in Reason}),
    "mon_day_{}": [str(d) for d in range(7)],
    "mon_days_{}": [str(d) for d in range(7)],
    "mon_do_{}": SUMMARY_ACTIONS,
}


def _trees() -> list[ast.Module]:
    return [
        ast.parse(path.read_text(encoding="utf-8"))
        for folder in ("bot", "core")
        for path in (ROOT / folder).rglob("*.py")
    ]


def _error_codes() -> set[str]:
    """Codes of domain errors raised anywhere (their message keys) and the classes' defaults."""
    codes = set()
    for tree in _trees():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and ast.unparse(node.func) in ERRORS):
                continue
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant):
                codes.add(str(first.value))
    return codes | {"error", "invite_unknown", "invalid_input", "stale", "not_found"}


def _literal_arguments(function: str, position: int, keyword: str) -> set[str]:
    """String literals passed to `function` as argument `position` (0-based) or `keyword`."""
    found = set()
    for tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == function:
                args = list(node.args[position : position + 1])
                args += [k.value for k in node.keywords if k.arg == keyword]
                found |= {str(a.value) for a in args if isinstance(a, ast.Constant)}
    return found


def _dict_values(name: str) -> set[str]:
    """The string values of a module-level dict literal called `name`."""
    for tree in _trees():
        for node in tree.body:
            if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == name:
                assert isinstance(node.value, ast.Dict)
                return {str(v.value) for v in node.value.values if isinstance(v, ast.Constant)}
    return set()


# expressions used as keys -> every value they can take
EXPRESSIONS: dict[str, Iterable[str]] = {
    "exc.code": _error_codes() - {"error", "invalid_input"},
    "refusal": ["need_registration", "finish_registration", "no_rights"],
    "ASK[prompt.step]": _dict_values("ASK"),
    "yes_key": _literal_arguments("confirm", 1, "yes_key"),
    "no_key": _literal_arguments("confirm", 3, "no_key") | {"btn_no"},
    # core.screens renders the Texts made elsewhere: each of those calls is checked itself
    "item.key": [],
    "shown.key": [],
    # core.people.profile: the labels of the profile's lines
    "label": [f"field_{f}" for f in ("name", "municipality", "school", "subjects", "started")]
    + ["field_birth", "field_community", "field_roles", "field_language"],
}


def _uses_screens(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom) and node.module == "core.screens" for node in tree.body
    )


def _is_catalogue(call: ast.Call, screens: bool) -> bool:
    """A catalogue call, or a screen's Text made now and rendered later (core.screens)."""
    func = call.func
    if isinstance(func, ast.Name) and (func.id == "t" or screens and func.id in ("text", "Text")):
        return True
    if isinstance(func, ast.Attribute) and func.attr == "plain":
        return True
    return isinstance(func, ast.Subscript) and "catalogues" in ast.unparse(func.value)


def _loop_keys(tree: ast.Module, name: str) -> set[str]:
    """String literals a loop variable `name` takes from a literal tuple of tuples."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.For) and name in ast.unparse(node.target):
            for item in getattr(node.iter, "elts", []):
                for value in getattr(item, "elts", [item]):
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        found.add(value.value)
    return found


def _pattern(node: ast.JoinedStr) -> str:
    return "".join(
        str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
    )


def _keys(key: ast.expr, tree: ast.Module, unknown: list[str]) -> set[str]:
    """Every key an argument can be; what cannot be told goes to `unknown`."""
    if isinstance(key, ast.Constant):
        return {str(key.value)}
    if isinstance(key, ast.IfExp):
        return _keys(key.body, tree, unknown) | _keys(key.orelse, tree, unknown)
    if isinstance(key, ast.JoinedStr):
        pattern = _pattern(key)
        if pattern not in PATTERNS:
            unknown.append(pattern)
            return set()
        holes = pattern.count("{}")
        return {pattern.format(*str(v).split("_", holes - 1)) for v in PATTERNS[pattern]}
    if ast.unparse(key) == "key":
        return _loop_keys(tree, "key")
    if ast.unparse(key) in EXPRESSIONS:
        return set(EXPRESSIONS[ast.unparse(key)])
    unknown.append(ast.unparse(key))
    return set()


def test_every_key_the_code_asks_for_exists_in_both_languages() -> None:
    wanted: set[str] = set()
    unknown: list[str] = []
    for tree in _trees():
        screens = _uses_screens(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_catalogue(node, screens) and node.args:
                wanted |= _keys(node.args[0], tree, unknown)
    wanted.discard("")  # core.screens.BLANK: an empty line
    assert unknown == [], unknown  # a new computed key: list every value it can take above
    for language, t in CATALOGUES.items():
        missing = sorted(key for key in wanted if not t.has(key))
        assert missing == [], language


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_error_raised_with_a_key_brings_the_values_its_text_needs() -> None:
    """`PedPulseError("no_rights")` without `roles=` once ended in an apology, not the text."""
    wrong = []
    for tree in _trees():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and ast.unparse(node.func) in ERRORS):
                continue
            first = node.args[0] if node.args else None
            if not isinstance(first, ast.Constant) or any(k.arg is None for k in node.keywords):
                continue
            key, given = str(first.value), {k.arg for k in node.keywords if k.arg}
            for language, t in CATALOGUES.items():
                needed = _placeholders(t.catalogue[key])
                if not needed <= given:
                    wrong.append(f"{language} {key}: {sorted(needed - given)}")
    assert wrong == []
