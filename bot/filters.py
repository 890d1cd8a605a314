"""Filters checked on the event loop.

aiogram runs a filter that is neither a coroutine nor a `Filter` (a plain function, or a
magic filter such as `F.text`) in a worker thread, for every update it checks. That is a
thread hop for each filter an update passes on its way to a handler (CPU the loop needed),
and while the worker threads are busy (exports, charts) every update waited for them. So the
bot's filters are coroutines, and a magic filter is wrapped in `Magic`; tests/unit/
test_routing.py keeps it so.
"""

from typing import Any

from aiogram import F
from aiogram.enums import ChatType
from aiogram.filters import Filter
from aiogram.types import TelegramObject
from aiogram.utils.magic_filter import MagicFilter


class Magic(Filter):
    """A magic filter (`F.text.startswith("/")`) resolved on the event loop."""

    def __init__(self, magic: MagicFilter) -> None:
        self.magic = magic

    async def __call__(self, event: TelegramObject) -> Any:
        return self.magic.resolve(event)


# private chats only: in a group, a reply would show a person's data to everyone in it
PRIVATE_MESSAGE = Magic(F.chat.type == ChatType.PRIVATE)
PRIVATE_PRESS = Magic(F.message.chat.type == ChatType.PRIVATE)
