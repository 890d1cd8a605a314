"""Inline keyboards: built from service results, with texts from the person's catalogue."""

from collections.abc import Callable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import (
    AnnounceAction,
    AnnounceCallback,
    ConsentCallback,
    DismissCallback,
    Field,
    ForgetCallback,
    FormAction,
    FormCallback,
    InviteAction,
    InviteCallback,
    LanguageCallback,
)
from core.audience import Audience, AudienceKind
from core.choices import Option, Page
from core.people.invites import ROLE_INVITES, SchoolMenu
from core.people.profile import Prompt
from core.texts import Texts
from core.timeutil import LocalClock

CHECK = "✅ "


def consent(t: Texts, code: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=t("btn_agree"), callback_data=ConsentCallback(agree=True, code=code))
    builder.button(text=t("btn_decline"), callback_data=ConsentCallback(agree=False, code=code))
    return _markup(builder, 2)


def _cancel(builder: InlineKeyboardBuilder, t: Texts, prompt: Prompt) -> None:
    if prompt.edit:
        builder.button(text=t("btn_cancel"), callback_data=FormCallback(action=FormAction.CANCEL))


def _pager(
    builder: InlineKeyboardBuilder, t: Texts, page: Page, make: Callable[[int], CallbackData]
) -> list[int]:
    """Back/next buttons; returns the row size to pass to `adjust` (none when one page)."""
    targets = [
        (n, key)
        for n, key in ((page.number - 1, "btn_prev"), (page.number + 1, "btn_next"))
        if 0 <= n < page.count
    ]
    for number, key in targets:
        builder.button(text=t(key), callback_data=make(number))
    return [len(targets)] if targets else []


def school_choice(t: Texts, prompt: Prompt) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for option in prompt.options:
        builder.button(
            text=_mark(option),
            callback_data=FormCallback(action=FormAction.SCHOOL, value=option.id),
        )
    sizes = [1] * len(prompt.options)
    sizes += _pager(
        builder, t, prompt.page, lambda n: FormCallback(action=FormAction.PAGE, value=n)
    )
    if prompt.can_skip_school:
        builder.button(
            text=t("btn_no_school"), callback_data=FormCallback(action=FormAction.NO_SCHOOL)
        )
        sizes.append(1)
    _cancel(builder, t, prompt)
    return _markup(builder, *sizes, 1)


def subject_choice(t: Texts, prompt: Prompt) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for option in prompt.options:
        builder.button(
            text=_mark(option),
            # the state the press asks for, so a repeated update changes nothing
            callback_data=FormCallback(
                action=FormAction.SUBJECT, value=-option.id if option.selected else option.id
            ),
        )
    builder.button(text=t("btn_done"), callback_data=FormCallback(action=FormAction.SUBJECTS_DONE))
    return _markup(builder, *([2] * (len(prompt.options) // 2)), 1)


def year_choice(t: Texts, prompt: Prompt) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for option in prompt.options:
        builder.button(
            text=option.label,
            callback_data=FormCallback(action=FormAction.STARTED, value=option.id),
        )
    _cancel(builder, t, prompt)
    return _markup(builder, 3)


def birth_choice(t: Texts, prompt: Prompt) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=t("btn_skip"), callback_data=FormCallback(action=FormAction.BIRTH_SKIP))
    _cancel(builder, t, prompt)
    return _markup(builder, 1)


def cancel_only(t: Texts, prompt: Prompt) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    _cancel(builder, t, prompt)
    return _markup(builder, 1) if prompt.edit else None


def profile_edit(t: Texts, fields: list[Field], with_confirm: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if with_confirm:
        builder.button(
            text=t("btn_confirm"), callback_data=FormCallback(action=FormAction.CONFIRM)
        )
    for field in fields:
        builder.button(
            text=t(f"btn_edit_{field}"),
            callback_data=FormCallback(action=FormAction.EDIT, field=field),
        )
    return _markup(builder, *([1] if with_confirm else []), 2)


def languages() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="Русский", callback_data=LanguageCallback(language="ru"))
    builder.button(text="English", callback_data=LanguageCallback(language="en"))
    return _markup(builder, 2)


def confirm(
    t: Texts,
    yes_key: str,
    yes: CallbackData,
    no_key: str = "btn_no",
    no: CallbackData | None = None,
) -> InlineKeyboardMarkup:
    """Every dangerous «Да» comes with a «Нет» beside it (by default: nothing changes)."""
    builder = InlineKeyboardBuilder()
    builder.button(text=t(yes_key), callback_data=yes)
    builder.button(text=t(no_key), callback_data=no or DismissCallback())
    return _markup(builder, 2)


def forget(t: Texts) -> InlineKeyboardMarkup:
    return confirm(
        t,
        "btn_forget_yes",
        ForgetCallback(confirm=True),
        "btn_forget_no",
        ForgetCallback(confirm=False),
    )


def municipalities(options: list[Option]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for option in options:
        builder.button(
            text=option.label,
            callback_data=InviteCallback(action=InviteAction.MUNICIPALITY, value=option.id),
        )
    return _markup(builder, 1)


def invite_menu(t: Texts, menu: SchoolMenu, with_roles: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for option in menu.schools:
        builder.button(
            text=option.label,
            callback_data=InviteCallback(action=InviteAction.SCHOOL, value=option.id),
        )
    sizes = [1] * len(menu.schools)
    sizes += _pager(
        builder,
        t,
        menu.page,
        lambda n: InviteCallback(action=InviteAction.PAGE, value=menu.municipality_id, page=n),
    )
    if with_roles:
        for role in ROLE_INVITES:
            builder.button(
                text=t(f"btn_role_{role}"),
                callback_data=InviteCallback(
                    action=InviteAction.ROLE, value=menu.municipality_id, role=role
                ),
            )
    return _markup(builder, *sizes, 1)


def audience_picker(
    builder: InlineKeyboardBuilder,
    t: Texts,
    options: Sequence[Option] | None,
    kind: Callable[[int], CallbackData],
    item: Callable[[int], CallbackData],
    done: CallbackData,
) -> None:
    """The audience selector every form shares: its kinds, or (with `options`) the schools or
    subjects to tick and «Готово». `kind` gets the index in AudienceKind; `item` gets +id to
    choose and -id to unchoose, the state the press asks for, so a repeated update changes
    nothing."""
    if options is None:
        for index, audience_kind in enumerate(AudienceKind):
            builder.button(text=t(f"audience_{audience_kind}"), callback_data=kind(index))
        return
    for option in options:
        builder.button(
            text=_mark(option), callback_data=item(-option.id if option.selected else option.id)
        )
    builder.button(text=t("btn_done"), callback_data=done)


def clock_values(clock: LocalClock | None) -> dict[str, str]:
    """Values for a prompt that asks for a typed date and time (unused by other prompts)."""
    if clock is None:
        return {}
    return {"place": clock.place, "offset": clock.offset, "example": clock.example}


def audience_label(t: Texts, audience: Audience | None) -> str:
    """The audience as the preview names it: its kind, and how many schools or subjects."""
    if audience is None:
        return t("audience_none")
    label = t(f"audience_{audience.kind}")
    return label + f" ({len(audience.ids)})" if audience.needs_choice else label


def picking(audience: Audience | None, options: Sequence[Option]) -> Audience | None:
    """The audience whose schools or subjects are being ticked now, if any."""
    return audience if audience is not None and audience.needs_choice and options else None


def _announce(action: AnnounceAction, draft: int, value: int = 0) -> AnnounceCallback:
    return AnnounceCallback(action=action, draft=draft, value=value)


def audience_kinds(t: Texts, draft: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    audience_picker(
        builder,
        t,
        None,
        lambda index: _announce(AnnounceAction.KIND, draft, index),
        lambda value: _announce(AnnounceAction.ITEM, draft, value),
        _announce(AnnounceAction.CHOSEN, draft),
    )
    builder.button(text=t("btn_cancel"), callback_data=_announce(AnnounceAction.CANCEL, draft))
    return _markup(builder, 1)


def audience_items(t: Texts, draft: int, options: list[Option]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    audience_picker(
        builder,
        t,
        options,
        lambda index: _announce(AnnounceAction.KIND, draft, index),
        lambda value: _announce(AnnounceAction.ITEM, draft, value),
        _announce(AnnounceAction.CHOSEN, draft),
    )
    return _markup(builder, 1)


def announce_preview(t: Texts, draft: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for action, key in (
        (AnnounceAction.SEND, "btn_send"),
        (AnnounceAction.AUDIENCE, "btn_change_audience"),
        (AnnounceAction.TEXT, "btn_change_text"),
        (AnnounceAction.CANCEL, "btn_cancel"),
    ):
        builder.button(text=t(key), callback_data=AnnounceCallback(action=action, draft=draft))
    return _markup(builder, 1)


def _markup(builder: InlineKeyboardBuilder, *sizes: int) -> InlineKeyboardMarkup:
    builder.adjust(*sizes)
    return InlineKeyboardMarkup(inline_keyboard=builder.export())


def _mark(option: Option) -> str:
    return CHECK + option.label if option.selected else option.label
