"""What the sender needs from a messenger: send a row, edit a progress line; and the outcomes."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from core.messaging.outbox import Outgoing

if TYPE_CHECKING:
    from core.messaging.broadcast import Progress


class RetryAfter(Exception):
    """Telegram answered 429: wait `seconds` before sending anything."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}")
        self.seconds = seconds


class Unreachable(Exception):
    """The person blocked the bot, was deactivated, or the chat does not exist."""


class Transient(Exception):
    """A server error, a timeout or a lost connection: worth retrying later."""


class Rejected(Exception):
    """Telegram refused the message itself (a 400 other than a missing chat): do not retry."""


@dataclass(frozen=True)
class Sent:
    message_id: int
    file_id: str | None = None


class Transport(Protocol):
    async def send(self, message: Outgoing) -> Sent: ...

    async def show_progress(self, progress: "Progress") -> None: ...
