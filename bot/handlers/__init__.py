"""Routers, one per feature, assembled in the order they must be tried."""

from aiogram import Router

from bot.handlers import (
    admin,
    announce,
    campaigns,
    common,
    membership,
    methodist,
    onboarding,
    privacy,
    profile,
    seminar_form,
    seminar_manage,
    seminars,
    support,
    surveys,
)


def build_routers() -> list[Router]:
    """Fresh routers each call, so several dispatchers (tests) can coexist."""
    return [
        membership.build_router(),
        onboarding.build_router(),
        profile.build_router(),
        privacy.build_router(),
        admin.build_router(),
        methodist.build_router(),
        announce.build_router(),
        seminar_form.build_router(),
        campaigns.build_router(),
        seminar_manage.build_router(),
        seminars.build_router(),
        surveys.build_router(),
        support.build_router(),
        common.build_router(),  # last: help, unknown commands and fallbacks
    ]
