"""Root error handler (on the Dispatcher): an apology to the person, a traceback to the log."""

import logging
from contextlib import suppress

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent

from core.config import Settings
from core.errors import storage_unavailable
from core.texts import Texts, pick_language

logger = logging.getLogger(__name__)


async def on_error(
    event: ErrorEvent,
    bot: Bot,
    catalogues: dict[str, Texts],
    settings: Settings,
    t: Texts | None = None,
) -> None:
    update = event.update
    # exc_info carries the traceback; the update's text and the person's name stay out of it.
    logger.error(
        "update %s failed: %s",
        update.update_id,
        type(event.exception).__name__,
        exc_info=event.exception,
    )
    user = update.message.from_user if update.message else None
    if update.callback_query:
        user = update.callback_query.from_user
        with suppress(TelegramAPIError):
            await update.callback_query.answer()
    if user is None:
        return
    if t is None:  # the failure came before the person's own language was known
        t = catalogues[pick_language(user.language_code, settings.default_language)]
    key = "error_storage" if storage_unavailable(event.exception) else "error_apology"
    with suppress(TelegramAPIError):
        await bot.send_message(user.id, t(key))
