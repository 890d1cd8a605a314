"""`/invite`: school links for methodists and admins, one-time role links for admins."""

from datetime import datetime, timedelta

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import ADMINS, COMMANDS, INVITERS
from bot.people.callbacks import InviteAction, InviteCallback
from bot.ui import keyboards
from bot.ui.render import edit_or_send
from core.errors import StaleAction
from core.models import Role
from core.people import invites
from core.people.viewer import Viewer
from core.texts import Texts

ROLE_LINK_LIFETIME = timedelta(days=7)


def _scope(viewer: Viewer) -> int | None:
    """The only municipality a methodist may invite to; None: an admin may invite anywhere."""
    return None if Role.ADMIN in viewer.roles else viewer.municipality_id


async def cmd_invite(message: Message, session: AsyncSession, viewer: Viewer, t: Texts) -> None:
    scope = _scope(viewer)
    if scope is None:
        towns = await invites.municipality_options(session)
        if len(towns) != 1:
            key = "invite_pick_municipality" if towns else "invite_no_municipalities"
            await message.answer(t(key), reply_markup=keyboards.municipalities(towns))
            return
        scope = towns[0].id
    menu = await invites.school_menu(session, scope, 0, _scope(viewer))
    text, markup = _menu_view(t, menu, viewer)
    await message.answer(text, reply_markup=markup)


def _menu_view(
    t: Texts, menu: invites.SchoolMenu, viewer: Viewer
) -> tuple[str, InlineKeyboardMarkup]:
    admin = Role.ADMIN in viewer.roles
    key = "invite_menu" if menu.schools or admin else "invite_no_schools"
    return t(key, municipality=menu.municipality), keyboards.invite_menu(t, menu, admin)


async def on_menu(
    callback: CallbackQuery,
    callback_data: InviteCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
) -> None:
    menu = await invites.school_menu(
        session, callback_data.value, callback_data.page, _scope(viewer)
    )
    await callback.answer()
    text, markup = _menu_view(t, menu, viewer)
    await edit_or_send(callback, text, markup)


async def on_school(
    callback: CallbackQuery,
    callback_data: InviteCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    now: datetime,
    bot: Bot,
) -> None:
    link = await invites.school_link(session, callback_data.value, now, _scope(viewer))
    bot_user = await bot.me()
    await callback.answer()
    url = invites.deep_link(str(bot_user.username), link.code)
    await bot.send_message(
        viewer.telegram_id, t("invite_school_link", school=link.place, link=url)
    )


async def on_role(
    callback: CallbackQuery,
    callback_data: InviteCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    now: datetime,
    bot: Bot,
) -> None:
    role = next((r for r in invites.ROLE_INVITES if r == callback_data.role), None)
    if role is None:  # a forged button
        raise StaleAction()
    request = invites.RoleInviteRequest(role, callback_data.value, ROLE_LINK_LIFETIME, 1)
    link = await invites.role_link(session, request, now)
    bot_user = await bot.me()
    await callback.answer()
    url = invites.deep_link(str(bot_user.username), link.code)
    role_name = t(f"role_{request.role}")
    await bot.send_message(
        viewer.telegram_id,
        t("invite_role_link", role=role_name, municipality=link.place, link=url),
    )


def build_router() -> Router:
    router = Router(name=__name__)
    menu_actions = F.action.in_({InviteAction.MUNICIPALITY, InviteAction.PAGE})
    router.message.register(cmd_invite, Command("invite"), flags=COMMANDS["invite"].rule.flags)
    router.callback_query.register(
        on_menu, InviteCallback.filter(menu_actions), flags=INVITERS.flags
    )
    router.callback_query.register(
        on_school, InviteCallback.filter(F.action == InviteAction.SCHOOL), flags=INVITERS.flags
    )
    router.callback_query.register(
        on_role, InviteCallback.filter(F.action == InviteAction.ROLE), flags=ADMINS.flags
    )
    return router
