"""Start-up checks against Telegram: a wrong token or no connection is said plainly, once."""

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramUnauthorizedError

from core.config import Settings
from core.failures import CannotRun
from core.logs import redact

TELEGRAM = 5  # the exit code of every "Telegram does not let the bot in" stop
DEFAULT_API = "https://api.telegram.org"


async def check_telegram(bot: Bot, settings: Settings) -> None:
    """Ask Telegram who the bot is; CannotRun when the token or the connection is wrong."""
    try:
        await bot.get_me()
    except TelegramAPIError as exc:
        raise _failure(exc, settings.telegram_api_url or DEFAULT_API) from exc


def explain_telegram(exc: BaseException) -> CannotRun | None:
    """The plain message for a Telegram failure; None if `exc` is not one."""
    return _failure(exc, None) if isinstance(exc, TelegramAPIError) else None


def _failure(exc: TelegramAPIError, api_url: str | None) -> CannotRun:
    if isinstance(exc, TelegramUnauthorizedError):
        return CannotRun(
            "Telegram refused BOT_TOKEN (401 Unauthorized): copy the token again from "
            "@BotFather (/mybots → API Token) into .env.",
            TELEGRAM,
        )
    if isinstance(exc, TelegramNetworkError):
        return CannotRun(
            f"Cannot reach Telegram{f' at {api_url}' if api_url else ''}: {redact(exc.message)}\n"
            "Check the internet connection (or a proxy), and TELEGRAM_API_URL if it is set.",
            TELEGRAM,
        )
    return CannotRun(f"Telegram answered with an error: {redact(exc.message)}", TELEGRAM)
