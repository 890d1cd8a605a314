"""Callback data of the people journeys: consent, registration, language, /forget, invites."""

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.ui.callbacks import Number


class ConsentCallback(CallbackData, prefix="cn1"):
    agree: bool
    code: str


class ProfileConfirmCallback(CallbackData, prefix="pc1"):
    """«✅ Всё верно» under the registration summary."""


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
    value: Number
    page: Number = 0
    role: str = ""
