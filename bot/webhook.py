"""Webhook mode (BOT_MODE=webhook): Telegram posts updates to this instance over HTTP.

Several instances can sit behind one reverse proxy on one database. An update is answered
200 only after it was handled, so Telegram delivers it again when an instance dies with it in
hand; a request without the secret token (X-Telegram-Bot-Api-Secret-Token) is refused with
401 and never handled. Updates of different people are handled at once; one person's wait
for each other inside the instance, or across instances with REDIS_URL (aiogram's event
isolation). GET /health answers 200 with the state of the database, the outbox and Redis,
or 503 when the database or Redis cannot be reached. On SIGTERM or SIGINT the listener stops
taking requests, the requests in hand finish, then the sender and the jobs stop.
"""

import asyncio
import logging
from signal import SIGINT, SIGTERM

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.redis import RedisEventIsolation
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from core.failures import CannotRun
from core.messaging.backlog import health_report
from core.timeutil import utcnow

logger = logging.getLogger(__name__)
HEALTH_PATH = "/health"
FINISH_SECONDS = 30.0  # what a request in hand gets to finish on shutdown


def application(
    dp: Dispatcher,
    bot: Bot,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> web.Application:
    """The aiohttp application: the update route and the health route."""
    app = web.Application()
    updates = SimpleRequestHandler(
        dp, bot, handle_in_background=False, secret_token=_secret(settings)
    )
    # not updates.register(): it closes the Bot's session when the app shuts down, before
    # the requests in hand have finished their replies
    app.router.add_post(settings.webhook_path, updates.handle)

    isolation = dp.fsm.events_isolation
    redis = isolation.redis if isinstance(isolation, RedisEventIsolation) else None

    async def check(_: web.Request) -> web.Response:
        return await _health(sessionmaker, redis)

    app.router.add_get(HEALTH_PATH, check)
    return app


def _secret(settings: Settings) -> str | None:
    return settings.webhook_secret.get_secret_value() if settings.webhook_secret else None


async def _health(
    sessionmaker: async_sessionmaker[AsyncSession], redis: Redis | None
) -> web.Response:
    outbox = await health_report(sessionmaker, utcnow())
    if outbox is None:
        return web.json_response({"database": "unreachable"}, status=503)
    state: dict[str, object] = {"database": "ok", "outbox": outbox}
    if redis is not None:
        try:
            await redis.ping()
        except (RedisError, OSError) as exc:
            logger.warning("health: Redis cannot be reached (%s)", type(exc).__name__)
            return web.json_response(state | {"redis": "unreachable"}, status=503)
        state["redis"] = "ok"
    return web.json_response(state)


async def serve(
    dp: Dispatcher,
    bot: Bot,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Listen, register the webhook with Telegram, serve until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal in (SIGINT, SIGTERM):
        loop.add_signal_handler(signal, stop.set)
    runner = web.AppRunner(
        application(dp, bot, settings, sessionmaker), shutdown_timeout=FINISH_SECONDS
    )
    await runner.setup()
    host, port = settings.webhook_address
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:  # taken by another process, or not an address of this machine
        await runner.cleanup()
        why = f"WEBHOOK_LISTEN={host}:{port}: cannot listen there ({exc.strerror})"
        raise CannotRun(why, 2) from exc
    await dp.emit_startup(bot=bot, **dp.workflow_data)
    try:
        await bot.set_webhook(
            str(settings.webhook_url),
            secret_token=_secret(settings),
            allowed_updates=dp.resolve_used_update_types(),
            drop_pending_updates=False,
        )
        logger.info("webhook: listening on %s:%d", host, port)
        await stop.wait()
    finally:
        await runner.cleanup()  # no new requests; those in hand finish
        await dp.emit_shutdown(bot=bot, **dp.workflow_data)
        for signal in (SIGINT, SIGTERM):
            loop.remove_signal_handler(signal)
