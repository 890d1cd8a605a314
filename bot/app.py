"""Composition root: the Bot and the Dispatcher with routers, middlewares and singletons."""

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, DefaultKeyBuilder
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisEventIsolation
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.commands import set_default_menus
from bot.errors import on_error
from bot.filters import PRIVATE_MESSAGE, PRIVATE_PRESS
from bot.middlewares import AccessMiddleware, ContextMiddleware, DomainErrorMiddleware
from bot.requests import NotModifiedIsSuccess, ReadsEnded, ResponseTypesKept
from bot.routers import build_routers
from bot.sender import TelegramTransport
from core.config import Settings
from core.domains import FORMS
from core.leader import Leadership
from core.messaging.pacing import Limits
from core.messaging.sender import Sender, SenderConfig
from core.questionnaires.routes import load_resources
from core.scheduler import JobContext, build_scheduler, tick
from core.supervisor import supervise
from core.texts import load_catalogues
from core.timeutil import utcnow
from surveys.model import Instrument
from surveys.registry import load_all


def build_bot(settings: Settings) -> Bot:
    """A Bot talking to api.telegram.org, or to TELEGRAM_API_URL when it is set."""
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    session = None
    if settings.telegram_api_url:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    bot = Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    bot.session.middleware(ResponseTypesKept())
    bot.session.middleware(NotModifiedIsSuccess())
    bot.session.middleware(ReadsEnded())
    return bot


def build_sender(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    clock: Callable[[], datetime] = utcnow,
) -> Sender:
    """The outbox sender, paced by SEND_RATE."""
    transport = TelegramTransport(bot, load_catalogues(), settings.paid_broadcast)
    config = SenderConfig(limits=Limits(per_second=settings.send_rate))
    return Sender(sessionmaker, transport, config, now=clock)


async def release(dp: Dispatcher) -> None:
    """Close what the Dispatcher holds outside the process: the Redis pool (aiogram's
    RedisEventIsolation.close leaves it open)."""
    isolation = dp.fsm.events_isolation
    if isinstance(isolation, RedisEventIsolation):
        await isolation.redis.aclose(close_connection_pool=True)


def isolation(settings: Settings) -> BaseEventIsolation:
    """One person's updates one at a time: within this process, or with REDIS_URL across
    every instance sharing that Redis (a lock per bot and person there, under REDIS_PREFIX,
    so that another deployment on the same server never waits for this one)."""
    if settings.redis_url:
        keys = DefaultKeyBuilder(prefix=settings.redis_prefix, with_bot_id=True)
        return RedisEventIsolation.from_url(settings.redis_url, key_builder=keys)
    return SimpleEventIsolation()


def build_dispatcher(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Callable[[], datetime] = utcnow,
    sender: Sender | None = None,
    instruments: Mapping[str, Instrument] | None = None,
) -> Dispatcher:
    """The Dispatcher with every router; `clock` is injected so tests can fix the time.

    With a `sender`, the Dispatcher runs it from startup to shutdown and handlers can wake it.
    """
    catalogues = load_catalogues()
    registry = load_all(settings.instruments_dir) if instruments is None else instruments
    dp = Dispatcher(
        events_isolation=isolation(settings),
        settings=settings,
        catalogues=catalogues,
        clock=clock,
        sender=sender,
        instruments=registry,
        resources=load_resources(),
        forms=FORMS,
    )
    dp.update.outer_middleware(
        ContextMiddleware(sessionmaker, catalogues, settings, clock, registry)
    )
    _guard(dp)
    dp.include_routers(*build_routers())
    dp.errors.register(on_error)

    async def on_shutdown() -> None:
        await release(dp)

    dp.shutdown.register(on_shutdown)
    _background(dp, sessionmaker, JobContext(catalogues, settings, registry), clock, sender)
    return dp


def _guard(dp: Dispatcher) -> None:
    """Private chats only (bot.filters); around every handler, domain errors as messages
    and the access rules."""
    dp.message.filter(PRIVATE_MESSAGE)
    dp.callback_query.filter(PRIVATE_PRESS)
    for observer in (dp.message, dp.callback_query):
        observer.middleware(DomainErrorMiddleware())
        observer.middleware(AccessMiddleware())


def _background(
    dp: Dispatcher,
    sessionmaker: async_sessionmaker[AsyncSession],
    context: JobContext,
    clock: Callable[[], datetime],
    sender: Sender | None,
) -> None:
    """From startup to shutdown: the menus, the supervised sender and the scheduled jobs."""
    tasks: list[asyncio.Task[None]] = []

    async def run_tick() -> None:
        await tick(sessionmaker, context, clock())
        if sender is not None:
            sender.wake()

    leadership = Leadership(sessionmaker.kw["bind"])

    async def on_startup(bot: Bot) -> None:
        await set_default_menus(bot, context.catalogues, context.settings.default_language)
        if sender is not None:  # every instance sends; the leader also runs the jobs
            leading = supervise("leader", lambda: leadership.hold(_scheduled(run_tick)))
            tasks.append(asyncio.create_task(supervise("sender", sender.run), name="sender"))
            tasks.append(asyncio.create_task(leading, name="leader"))

    async def on_shutdown() -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    dp.startup.register(on_startup)
    dp.shutdown.register(on_shutdown)


def _scheduled(run_tick: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
    """The scheduled jobs for as long as this instance leads (until cancelled)."""

    async def lead() -> None:
        scheduler = build_scheduler(run_tick)
        scheduler.start()
        try:
            await asyncio.Event().wait()
        finally:
            scheduler.shutdown(wait=False)

    return lead
