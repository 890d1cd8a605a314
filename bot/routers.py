"""Routers, one per journey (the questionnaire's answer buttons have one of their own, tried
first), assembled in the order they must be tried."""

from aiogram import Router

from bot.mentoring import mentoring
from bot.messaging import announce
from bot.monitoring import reports, summary_actions, summary_settings
from bot.people import coverage, invites, membership, onboarding, privacy, profile
from bot.questionnaires import campaigns, support, surveys
from bot.seminars import form, manage, seminars
from bot.ui import fallback
from bot.ui import form as forms


def build_routers() -> list[Router]:
    """Fresh routers each call, so several dispatchers (tests) can coexist."""
    return [
        surveys.build_press_router(),  # first: its buttons' data match no other router's
        membership.build_router(),
        onboarding.build_router(),
        profile.build_router(),
        privacy.build_router(),
        invites.build_router(),
        coverage.build_router(),
        mentoring.build_router(),  # before the forms: a relayed message may be any kind
        announce.build_router(),  # before the forms: it takes files as well as text
        forms.build_router(),  # every form on the engine: its buttons and typed text
        form.build_router(),
        campaigns.build_router(),
        manage.build_router(),
        seminars.build_router(),
        surveys.build_router(),
        support.build_router(),
        reports.build_router(),
        summary_settings.build_router(),
        summary_actions.build_router(),
        fallback.build_router(),  # last: help, unknown commands and fallbacks
    ]
