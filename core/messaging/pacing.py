"""Pacing outgoing messages within Telegram's limits: overall rate, per chat, per group.

Time is cut into global slots 1/rate apart, one send each. A send takes the slot running now
if it is free and its chat may send (so a sender behind its slots needs no timer), else the
first free slot not earlier than its chat's next allowed time (1 s after the chat's previous
send for a person, 3 s for a group: 20 per minute). A chat that has many messages waiting
therefore takes later slots without holding up other chats, a send never starts before its
slot (so a second holds at most one more than `rate` sends), and many sends can be in flight
at once. A 429 pauses every slot until retry_after; each send checks the pause again right
before its request (`paused`), so a send whose turn came before the 429 arrived does not go
out inside the window either.
"""

import asyncio
import math
from collections.abc import Callable
from dataclasses import dataclass

PERSON_INTERVAL = 1.0  # Telegram: about one message per second to one chat
GROUP_INTERVAL = 3.0  # Telegram: 20 messages per minute to one group


@dataclass(frozen=True)
class Limits:
    per_second: float = 25.0
    person_interval: float = PERSON_INTERVAL
    group_interval: float = GROUP_INTERVAL


class Pacer:
    """Reserves send slots; `clock` is a monotonic time source in seconds."""

    def __init__(self, limits: Limits, clock: Callable[[], float]) -> None:
        self.limits = limits
        self.clock = clock
        self._origin = clock()
        self._taken: set[int] = set()
        self._next_chat: dict[int, float] = {}
        self._paused_until = 0.0

    def reserve(self, chat_id: int) -> float:
        """The start of this chat's next send slot, reserved now: the slot running now when
        it is free and nothing holds the chat back (a sender behind its slots sends at once,
        without a timer), else the first free one after."""
        now = self.clock()
        earliest = max(now, self._paused_until, self._next_chat.get(chat_id, 0.0))
        position = (earliest - self._origin) * self.limits.per_second
        index = math.floor(position + 1e-9) if earliest == now else math.ceil(position - 1e-9)
        while index in self._taken:
            index += 1
        self._taken.add(index)
        slot = self._origin + index / self.limits.per_second
        interval = self.limits.group_interval if chat_id < 0 else self.limits.person_interval
        self._next_chat[chat_id] = max(slot, now) + interval
        return slot

    def pause(self, seconds: float) -> None:
        """Telegram said 429: no slot starts before `seconds` from now."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    def paused(self) -> bool:
        """A 429's window is open: nothing may be sent now."""
        return self.clock() < self._paused_until

    def forget_idle(self) -> None:
        """Drop past slots and chats free to send, so memory stays bounded on long runs."""
        now = self.clock()
        self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        past = math.floor((now - self._origin) * self.limits.per_second) - 1
        self._taken = {index for index in self._taken if index > past}

    async def wait_turn(self, chat_id: int, slot: float | None = None) -> None:
        """Sleep until a slot for `chat_id` (`slot` if reserved already); takes a new one if
        a pause began meanwhile."""
        if slot is None:
            slot = self.reserve(chat_id)
        while True:
            delay = slot - self.clock()
            if delay > 0:
                await asyncio.sleep(delay)
            if self.clock() >= self._paused_until:
                return
            slot = self.reserve(chat_id)
