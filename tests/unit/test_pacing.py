"""Send slots respect the global rate, one message per second per person, 20 a minute per group."""

import pytest

from core.messaging.outbox import backoff
from core.messaging.pacing import Limits, Pacer


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_global_rate_spaces_slots_evenly() -> None:
    clock = FakeClock()
    pacer = Pacer(Limits(per_second=25), clock)
    slots = [pacer.reserve(chat) for chat in range(1, 51)]
    assert slots[0] == 100.0
    assert slots[-1] == pytest.approx(100.0 + 49 / 25)
    assert sum(1 for s in slots if s < 101.0) == 25  # never more than 25 in one second


def test_one_chat_gets_one_message_per_second_and_a_group_one_per_three() -> None:
    clock = FakeClock()
    pacer = Pacer(Limits(per_second=25), clock)
    person = [pacer.reserve(7) for _ in range(3)]
    group = [pacer.reserve(-1007) for _ in range(3)]
    assert person == pytest.approx([100.0, 101.0, 102.0])
    assert group[1] - group[0] == pytest.approx(3.0) and group[2] - group[1] == pytest.approx(3.0)
    other = pacer.reserve(8)
    assert other == pytest.approx(100.0 + 2 / 25)  # the first free slot: chat 7 waits alone


def test_a_429_pauses_every_chat() -> None:
    clock = FakeClock()
    pacer = Pacer(Limits(per_second=25), clock)
    pacer.reserve(1)
    pacer.pause(5)
    assert pacer.reserve(2) == pytest.approx(105.0)
    clock.now = 200.0
    assert pacer.reserve(3) == 200.0


def test_idle_chats_are_forgotten() -> None:
    clock = FakeClock()
    pacer = Pacer(Limits(per_second=25), clock)
    pacer.reserve(1)
    clock.now = 102.0
    pacer.forget_idle()
    assert pacer.reserve(1) == 102.0


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 2), (2, 4), (3, 8), (9, 300)])
def test_backoff_doubles_up_to_a_cap(attempts: int, seconds: float) -> None:
    assert backoff(attempts).total_seconds() == seconds


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 0.25), (2, 0.5), (3, 1.0), (8, 10.0)])
def test_backoff_starts_from_the_first_wait_and_doubles(attempts: int, seconds: float) -> None:
    assert backoff(attempts, first=0.25, cap=10.0).total_seconds() == seconds


def test_a_sender_behind_its_slots_takes_the_slot_running_now_without_waiting() -> None:
    clock = FakeClock()
    pacer = Pacer(Limits(per_second=25), clock)
    clock.now = 100.05  # inside the slot that began at 100.04
    assert pacer.reserve(1) == pytest.approx(100.04)  # due already: no timer needed
    assert pacer.reserve(2) == pytest.approx(100.08)  # that slot is taken: the next one
    assert pacer.reserve(1) == pytest.approx(101.08)  # not within a second of its real send
    pacer.pause(1)
    assert pacer.reserve(3) == pytest.approx(101.12)  # after the pause, and 101.08 is taken
