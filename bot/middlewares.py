"""Per-update plumbing: a DB session, the viewer and their texts, access checks, domain errors."""

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.exceptions import TelegramForbiddenError
from aiogram.types import CallbackQuery, Message, TelegramObject, User
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.commands import Access, Rule, allows
from core.config import Settings
from core.errors import PedPulseError
from core.forms import Context
from core.people.viewer import Viewer, get_viewer, set_active
from core.reads import serving
from core.texts import Texts, pick_language
from core.timeutil import Clock
from surveys.model import Instrument

logger = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ContextMiddleware(BaseMiddleware):
    """Opens a session for the update and injects `session`, `now`, `ctx` (what forms and
    services need besides), `viewer`, `t`, and `me`: the person's id, for the handlers of
    people who consented (the access rules make sure there is one). The person is loaded
    once per update; `person` holds the row so the session serves it again without SQL.

    Services commit their own unit of work, so no Telegram call waits inside a write
    transaction, and one that only read ends before each call (`core.reads`): the update
    holds a connection only while it works on the database. Anything left uncommitted (an
    error) is rolled back when the session closes.
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        catalogues: dict[str, Texts],
        settings: Settings,
        clock: Clock,
        instruments: Mapping[str, Instrument],
    ) -> None:
        self.sessionmaker = sessionmaker
        self.catalogues = catalogues
        self.settings = settings
        self.clock = clock
        self.instruments = instruments

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        now = self.clock()
        data["now"] = now
        data["ctx"] = Context(now, self.catalogues, self.instruments)
        async with self.sessionmaker() as session:
            with serving(session):  # its reads end before each call to Telegram
                data["session"] = session
                if user is not None:
                    fallback = pick_language(user.language_code, self.settings.default_language)
                    bootstrap = user.id in self.settings.admin_telegram_ids
                    viewer, person = await get_viewer(session, user.id, fallback, bootstrap)
                    data["viewer"] = viewer
                    # held for the update: services' `load_person` find it in the identity map
                    data["person"] = person
                    data["t"] = self.catalogues[viewer.language]
                    if viewer.person_id is not None:
                        data["me"] = viewer.person_id
                return await handler(event, data)


class AccessMiddleware(BaseMiddleware):
    """Refuses a handler flagged with a CommandSpec the viewer may not use, saying why."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        rule = get_flag(data, "access")
        viewer: Viewer | None = data.get("viewer")
        if not isinstance(rule, Rule) or viewer is None:
            return await handler(event, data)
        refusal = refusal_key(rule, viewer)
        if refusal is None:
            return await handler(event, data)
        t: Texts = data["t"]
        roles = ", ".join(t(f"role_{role}") for role in sorted(rule.roles))
        if isinstance(event, CallbackQuery):  # a button, not a command, was refused
            refusal = f"{refusal}_button"
        await reply(event, t(refusal, roles=roles))
        return None


def refusal_key(rule: Rule, viewer: Viewer) -> str | None:
    """The message key explaining why `viewer` may not pass `rule`, or None if they may."""
    consented = viewer.person_id is not None
    if allows(rule, viewer.roles, viewer.registered, consented):
        return None
    if rule.access == Access.ROLES and (viewer.registered or viewer.roles):
        return "no_rights"  # registered, or a bootstrap admin: more registration would not help
    return "finish_registration" if consented else "need_registration"


class DomainErrorMiddleware(BaseMiddleware):
    """Turns a PedPulseError from a service into a message or a toast in the viewer's language;
    a person who blocked the bot while their update was handled turns inactive, no traceback."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        update = data.get("event_update")
        try:
            return await handler(event, data)
        except PedPulseError as exc:
            logger.info("update %s: %s", update.update_id if update else None, exc.code)
            t: Texts = data["t"]
            await reply(event, t(exc.code, **exc.details))
        except TelegramForbiddenError:
            logger.info(
                "update %s: the person blocked the bot", update.update_id if update else None
            )
            session: AsyncSession = data["session"]
            await session.rollback()  # what the handler left unsaved stays unsaved
            user: User | None = data.get("event_from_user")
            if user is not None:
                await set_active(session, user.id, False)
        return None


async def reply(event: TelegramObject, text: str) -> None:
    """A short answer: a toast for a button press, a message otherwise."""
    if isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=len(text) > 60)
    elif isinstance(event, Message):
        await event.answer(text)
