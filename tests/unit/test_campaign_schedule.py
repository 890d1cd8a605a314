"""Which campaign reminder goes when: days before the deadline, never before the opening."""

from datetime import UTC, datetime, timedelta

from core.questionnaires.campaigns import due_reminder

OPENED = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CLOSES = datetime(2026, 11, 30, 18, 59, tzinfo=UTC)


def at(days_before: float) -> datetime:
    return CLOSES - timedelta(days=days_before)


def test_nothing_before_the_first_reminder_time() -> None:
    assert due_reminder(CLOSES, OPENED, [3, 1], [], at(3) - timedelta(seconds=1)) == (None, [])


def test_each_reminder_once_at_its_time() -> None:
    assert due_reminder(CLOSES, OPENED, [3, 1], [], at(3)) == (3, [3])
    assert due_reminder(CLOSES, OPENED, [3, 1], [3], at(2)) == (None, [3])
    assert due_reminder(CLOSES, OPENED, [3, 1], [3], at(1)) == (1, [1, 3])
    assert due_reminder(CLOSES, OPENED, [3, 1], [1, 3], at(0.5)) == (None, [1, 3])


def test_after_downtime_only_the_latest_reminder_goes() -> None:
    assert due_reminder(CLOSES, OPENED, [7, 3, 1], [], at(0.5)) == (1, [1, 3, 7])


def test_a_reminder_due_before_the_opening_is_never_sent() -> None:
    # opened 2 days before the deadline: the 3-day reminder would repeat the invitation
    opened = at(2)
    assert due_reminder(CLOSES, opened, [3, 1], [], opened) == (None, [3])
    assert due_reminder(CLOSES, opened, [3, 1], [3], at(1)) == (1, [1, 3])
