"""Request middleware of the Bot: a request whose purpose is already served is a success.

Telegram answers 400 "message is not modified" to an edit that repeats the message as it is
(a double tap, a redelivered update, a progress line that did not move), and 400 "query is
too old" to a second answer of a button press (a press redelivered after a crash: the first
run answered it). Whatever asked got what it wanted, so both count as done, and the handler
goes on to do its work.

aiogram reads every answer through `Response[<the method's result type>]`, a generic model
that pydantic builds on first use (milliseconds of CPU) and caches only weakly: each time the
garbage collector frees it, the next request builds it again. Under load that was about a
tenth of the bot's CPU (some 60 builds in 500 answered items), so each one used is kept for
the life of the process.
"""

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    TelegramMethod,
)
from aiogram.methods.base import Response, TelegramType

from core.reads import end_reads

EDITS = (EditMessageText, EditMessageReplyMarkup, EditMessageCaption)
NOT_MODIFIED = "message is not modified"
ANSWERED = ("query is too old", "query id is invalid")
_RESPONSE_TYPES: dict[type[TelegramMethod[Any]], type[Response[Any]]] = {}


class ResponseTypesKept(BaseRequestMiddleware):
    """Keeps alive the answer type of each kind of request made (see the module's text)."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        kind = type(method)
        if kind not in _RESPONSE_TYPES:
            # what aiogram's check_response builds, held strongly from now on
            _RESPONSE_TYPES[kind] = Response[method.__returning__]  # type: ignore[name-defined]
        return await make_request(bot, method)


class ReadsEnded(BaseRequestMiddleware):
    """An update's transaction that only read ends before the update waits on Telegram, so
    its connection serves others meanwhile (`core.reads`)."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        await end_reads()
        return await make_request(bot, method)


class NotModifiedIsSuccess(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except TelegramBadRequest as exc:
            if not _served(method, exc.message.lower()):
                raise
            done: Response[Any] = Response(ok=True, result=True)
            return done


def _served(method: TelegramMethod[Any], message: str) -> bool:
    if isinstance(method, EDITS):
        return NOT_MODIFIED in message
    return isinstance(method, AnswerCallbackQuery) and any(a in message for a in ANSWERED)
