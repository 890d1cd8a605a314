"""Every filter and handler of the bot runs on the event loop (bot.filters says why)."""

from collections.abc import Iterator

from aiogram import Router

from bot.app import build_dispatcher
from core import db
from core.config import Settings


def _routers(router: Router) -> Iterator[Router]:
    yield router
    for child in router.sub_routers:
        yield from _routers(child)


def test_no_filter_or_handler_is_sent_to_a_worker_thread() -> None:
    settings = Settings(_env_file=None, bot_token="42:TEST")
    engine = db.create_engine("sqlite+aiosqlite:///:memory:")
    dp = build_dispatcher(settings, db.create_sessionmaker(engine))
    threaded, checked = [], 0
    for router in _routers(dp):
        for name, observer in router.observers.items():
            handlers = observer.handlers
            callables = [*(observer._handler.filters or []), *handlers]
            callables += [f for handler in handlers for f in handler.filters or []]
            checked += len(callables)
            threaded += [f"{name}: {c.callback}" for c in callables if not c.awaitable]
    assert checked > 100  # the whole tree was walked
    assert threaded == []
