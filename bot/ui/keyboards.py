"""Inline keyboards the domains share, with texts from the person's catalogue."""

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.people.callbacks import (
    ConsentCallback,
    ForgetCallback,
    InviteAction,
    InviteCallback,
    LanguageCallback,
)
from bot.ui.callbacks import DismissCallback
from core.choices import Option, Page
from core.people.invites import ROLE_INVITES, SchoolMenu
from core.texts import Texts

CHECK = "✅ "


def consent(t: Texts, code: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=t("btn_agree"), callback_data=ConsentCallback(agree=True, code=code))
    builder.button(text=t("btn_decline"), callback_data=ConsentCallback(agree=False, code=code))
    return _markup(builder, 2)


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
    no = ForgetCallback(confirm=False)
    return confirm(t, "btn_forget_yes", ForgetCallback(confirm=True), "btn_forget_no", no)


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


def _markup(builder: InlineKeyboardBuilder, *sizes: int) -> InlineKeyboardMarkup:
    builder.adjust(*sizes)
    return InlineKeyboardMarkup(inline_keyboard=builder.export())
