"""Application settings read from the environment and `.env`."""

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///" + str(Path("data") / "pedpulse.sqlite3")


class Settings(BaseSettings):
    """Every knob of PedPulse; each field is documented in `.env.example`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    bot_username: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    telegram_api_url: str | None = None
    default_timezone: str = "Europe/Moscow"
    default_language: str = "ru"
    admin_telegram_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: str = "INFO"
    send_rate: float = 25.0
    paid_broadcast: bool = False
    reminder_hours: Annotated[tuple[int, ...], NoDecode] = (24, 1)
    instruments_dir: Path | None = None
    min_group_size: int = 5

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

    @field_validator("min_group_size")
    @classmethod
    def _suppression_kept(cls, value: int) -> int:
        if value < 2:
            raise ValueError("MIN_GROUP_SIZE must be at least 2: smaller would show single people")
        return value

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("ru", "en"):
            raise ValueError("DEFAULT_LANGUAGE must be 'ru' or 'en'")
        return value
