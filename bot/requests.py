"""Request middleware of the Bot: a repeated edit that changes nothing is a success.

Telegram answers 400 "message is not modified" to an edit that repeats the message as it is
(a double tap, a redelivered update, a progress line that did not move). Whatever asked for
the edit got what it wanted, so every edit of the bot treats that answer as done.
"""

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    TelegramMethod,
)
from aiogram.methods.base import Response, TelegramType

EDITS = (EditMessageText, EditMessageReplyMarkup, EditMessageCaption)
NOT_MODIFIED = "message is not modified"


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
            if not isinstance(method, EDITS) or NOT_MODIFIED not in exc.message.lower():
                raise
            done: Response[Any] = Response(ok=True, result=True)
            return done
