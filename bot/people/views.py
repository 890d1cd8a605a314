"""Rendering service results into message text and keyboards."""

from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import Field
from bot.ui import keyboards
from core.people.profile import Prompt
from core.people.viewer import ProfileView
from core.texts import Texts

ASK = {
    "name": "ask_name",
    "school": "ask_school",
    "subjects": "ask_subjects",
    "started": "ask_started",
    "birth": "ask_birth",
}


def prompt_view(t: Texts, prompt: Prompt) -> tuple[str, InlineKeyboardMarkup | None]:
    """The message asking for the prompt's step, or the summary/profile when nothing is asked."""
    if prompt.step in (None, "confirm"):
        assert prompt.profile is not None
        confirming = prompt.step == "confirm"
        title = t("summary_title") if confirming else t("profile_title")
        markup = keyboards.profile_edit(t, editable_fields(prompt.profile), confirming)
        return f"{title}\n\n{profile_text(t, prompt.profile)}", markup
    text = t(ASK[prompt.step])
    if prompt.step == "school":
        return text, keyboards.school_choice(t, prompt)
    if prompt.step == "subjects":
        return text, keyboards.subject_choice(t, prompt)
    if prompt.step == "started":
        return text, keyboards.year_choice(t, prompt)
    if prompt.step == "birth":
        return text, keyboards.birth_choice(t, prompt)
    return text, keyboards.cancel_only(t, prompt)


def editable_fields(view: ProfileView) -> list[Field]:
    """Fields a person can change: teaching details only for people at a school."""
    if view.school is None:
        return [Field.NAME, Field.SCHOOL]
    return list(Field)


def profile_text(t: Texts, view: ProfileView) -> str:
    """The profile as labelled lines."""
    none = t("value_none")
    roles = [t(f"role_{role}") for role in view.roles]
    if view.young:
        roles.append(t("young_teacher"))
    lines = [
        (t("field_name"), view.full_name or none),
        (t("field_municipality"), view.municipality),
        (t("field_school"), view.school or none),
    ]
    if view.school is not None:
        lines += [
            (t("field_subjects"), ", ".join(view.subjects) or none),
            (t("field_started"), str(view.started_year or none)),
            (t("field_birth"), str(view.birth_year or none)),
        ]
    language = t(f"language_name_{view.language}")
    lines += [(t("field_roles"), ", ".join(roles) or none), (t("field_language"), language)]
    return "\n".join(t("profile_row", label=label, value=value) for label, value in lines)
