"""Application settings read from the environment and `.env`."""

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url

from core.settings_checks import database_url_problem, settings_file_error
from core.validation import whole

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///" + str(Path("data") / "pedpulse.sqlite3")
HOME_VARIABLE = "PEDPULSE_HOME"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
_PREFIX = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{16,256}")  # Telegram allows 1-256; 16 at least to guess
_USERNAME = re.compile(r"(?:(?:https?://)?t(?:elegram)?\.me/|@)?([A-Za-z][A-Za-z0-9_]{3,31})/?")


class Settings(BaseSettings):
    """Every knob of PedPulse; each field is documented in `.env.example`."""

    # An empty value (`BOT_TOKEN=` as in .env.example) means "not set", not an empty string.
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,
        hide_input_in_errors=True,  # `--debug` shows the error: never a URL with its password
    )

    bot_token: SecretStr | None = None
    bot_username: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    database_pool_size: int = 5
    telegram_api_url: str | None = None
    default_timezone: str = "Europe/Moscow"
    default_language: str = "ru"
    admin_telegram_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: str = "INFO"
    log_sql: bool = False
    send_rate: float = 25.0
    paid_broadcast: bool = False
    reminder_hours: Annotated[tuple[int, ...], NoDecode] = (24, 1)
    instruments_dir: Path | None = None
    min_group_size: int = 5
    min_group_size_sensitive: int = 10  # burnout and deficits
    mentoring_silence_days: int = 30
    mentoring_request_wait_days: int = 3
    bot_mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None  # the public https address Telegram posts updates to
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1:8080"  # where this instance listens, behind the proxy
    redis_url: str | None = None  # one person's updates one at a time across instances
    redis_prefix: str = "pedpulse"  # this deployment's keys there: deployments may share a Redis

    @property
    def webhook_path(self) -> str:
        """The path of WEBHOOK_URL: the route updates come in on."""
        return urlsplit(self.webhook_url or "").path or "/"

    @property
    def webhook_address(self) -> tuple[str, int]:
        host, _, port = self.webhook_listen.rpartition(":")
        return host, int(port)

    @field_validator("admin_telegram_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(
                int(part) for part in value.replace(";", ",").split(",") if part.strip()
            )
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("reminder_hours", mode="before")
    @classmethod
    def _split_hours(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(int(part) for part in value.split(",") if part.strip())
        return value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TOKEN.fullmatch(value.get_secret_value().strip()):
            raise ValueError("does not look like a token from @BotFather (123456:ABC...)")
        return None if value is None else SecretStr(value.get_secret_value().strip())

    @field_validator("bot_username")
    @classmethod
    def _bare_username(cls, value: str | None) -> str | None:
        """'@name_bot', 'name_bot' and 'https://t.me/name_bot' all mean name_bot."""
        if value is None:
            return None
        match = _USERNAME.fullmatch(value.strip())
        if match is None or not match.group(1).casefold().endswith("bot"):
            raise ValueError(f"{value!r} is not a bot's username (like pedpulse_city_bot)")
        return match.group(1)

    @field_validator("redis_prefix")
    @classmethod
    def _key_prefix(cls, value: str) -> str:
        if not _PREFIX.fullmatch(value):
            raise ValueError(f"{value!r}: 1 to 64 of A-Z a-z 0-9 _ . - (it starts every key)")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.strip().upper() not in LOG_LEVELS:
            raise ValueError(f"{value!r} is not one of {', '.join(LOG_LEVELS)}")
        return value.strip().upper()

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _rate_within_telegram_limits(self) -> "Settings":
        ceiling = 1000.0 if self.paid_broadcast else 30.0
        if not 0 < self.send_rate <= ceiling:
            raise ValueError(f"SEND_RATE must be above 0 and at most {ceiling:g} per second")
        return self

    @field_validator("min_group_size", "min_group_size_sensitive")
    @classmethod
    def _suppression_kept(cls, value: int, info: ValidationInfo) -> int:
        if value < 2:
            name = str(info.field_name).upper()
            raise ValueError(f"{name} must be at least 2: smaller would show single people")
        return value

    @model_validator(mode="after")
    def _sensitive_at_least_ordinary(self) -> "Settings":
        if self.min_group_size_sensitive < self.min_group_size:
            raise ValueError("MIN_GROUP_SIZE_SENSITIVE must be at least MIN_GROUP_SIZE")
        return self

    @field_validator("mentoring_silence_days", "mentoring_request_wait_days")
    @classmethod
    def _at_least_a_day(cls, value: int, info: ValidationInfo) -> int:
        if value < 1:
            name = str(info.field_name).upper()
            raise ValueError(f"{name} must be at least 1 (a number of days)")
        return value

    @model_validator(mode="after")
    def _webhook_complete(self) -> "Settings":
        if self.bot_mode != "webhook":
            return self
        url = urlsplit(self.webhook_url or "")
        if url.scheme != "https" or not url.hostname:
            raise ValueError("BOT_MODE=webhook needs WEBHOOK_URL, an https:// address")
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if not _SECRET.fullmatch(secret):
            raise ValueError(
                "BOT_MODE=webhook needs WEBHOOK_SECRET: 16 to 256 of A-Z, a-z, 0-9, _ and -"
            )
        return self

    @field_validator("webhook_listen")
    @classmethod
    def _host_and_port(cls, value: str) -> str:
        host, _, port = value.strip().rpartition(":")
        if not host or not 0 < (whole(port, 5) or 0) < 65536:
            raise ValueError(f"{value!r} is not host:port (like 127.0.0.1:8080)")
        return value.strip()

    @field_validator("database_pool_size")
    @classmethod
    def _pool_in_reach(cls, value: int) -> int:
        if not 1 <= value <= 100:
            raise ValueError("DATABASE_POOL_SIZE must be from 1 to 100 (connections per process)")
        return value

    @field_validator("database_url")
    @classmethod
    def _usable_database(cls, value: str) -> str:
        if (problem := database_url_problem(value)) is not None:
            raise ValueError(problem)
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _api_address(cls, value: str | None) -> str | None:
        url = urlsplit(value or "")  # .port raises ValueError for a port beyond 65535
        bad = url.scheme not in ("http", "https") or not url.hostname or url.port == 0
        if value is not None and bad:
            raise ValueError("not an http:// or https:// address (empty: api.telegram.org)")
        return value

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("ru", "en"):
            raise ValueError("DEFAULT_LANGUAGE must be 'ru' or 'en'")
        return value


def project_home(environ: Mapping[str, str] = os.environ) -> Path:
    """Where `.env` is and relative paths in settings start: PEDPULSE_HOME if set, else the
    source checkout this code runs from, else (an installed wheel) the current folder."""
    if environ.get(HOME_VARIABLE):
        return Path(environ[HOME_VARIABLE]).expanduser().resolve()
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "migrations" / "env.py").is_file():
        return checkout
    return Path.cwd()


def load_settings() -> Settings:
    """The settings of this process: the environment over `<home>/.env`, paths made absolute."""
    home = project_home()
    env = home / ".env"
    try:
        settings = Settings(_env_file=env)
    except UnicodeDecodeError as exc:
        raise settings_file_error(env, "not UTF-8 text: save it as UTF-8") from exc
    except OSError as exc:
        raise settings_file_error(env, f"cannot be read ({exc.strerror})") from exc
    folder = settings.instruments_dir
    return settings.model_copy(
        update={
            "database_url": anchored_database_url(settings.database_url, home),
            "instruments_dir": None if folder is None else home / folder.expanduser(),
        }
    )


def anchored_database_url(url: str, home: Path) -> str:
    """A SQLite URL with a relative file path made absolute against `home`; others unchanged."""
    parsed = make_url(url)
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or path in (None, "", ":memory:"):
        return url
    if path.startswith("file:") or Path(path).is_absolute():
        return url
    return parsed.set(database=str(home / path)).render_as_string(hide_password=False)


def settings_problems(error: ValidationError) -> list[str]:
    """One line per bad setting, named as in `.env` (DEFAULT_TIMEZONE: unknown time zone ...)."""
    lines = []
    for problem in error.errors():
        name = "_".join(str(part) for part in problem["loc"]).upper() or "settings"
        message = str(problem["msg"]).removeprefix("Value error, ")
        lines.append(f"{name}: {message}")
    return lines
