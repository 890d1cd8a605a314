"""The weekly summary's chart and workbook do not pile up: each is uploaded once (the second
methodist gets it by Telegram's file id), and a week after every delivery of a file finished
its bytes are gone from the database while its file id stays. A file whose upload failed and
waits for a retry keeps its bytes however long the sender is away."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from core.models import Attachment, Role
from core.scheduler import JobContext, tick
from core.texts import load_catalogues
from surveys.registry import load_all
from tests.e2e.conftest import Harness
from tests.e2e.test_roles import register_with_role
from tests.e2e.test_weekly_summary import MONDAY_NINE, _teachers, run_tick

pytestmark = pytest.mark.e2e
FIRST, SECOND = 700, 702
DAY = timedelta(days=1)


async def _files(h: Harness) -> dict[str, tuple[bool, bool]]:
    """Each summary file by name: whether it holds its bytes, whether its file id is known."""
    async with h.sessionmaker() as session:
        rows = await session.execute(
            select(Attachment.filename, Attachment.data, Attachment.telegram_file_id)
        )
        return {str(n): (data is not None, file_id is not None) for n, data, file_id in rows}


async def _scheduler_only(h: Harness, at: datetime) -> None:
    """A scheduler tick while the sender does not run."""
    h.clock.now = at
    await tick(h.sessionmaker, JobContext(load_catalogues(), h.dp["settings"], load_all()), at)


def _books(h: Harness, name: str) -> list[bytes]:
    """The workbooks called `name` each methodist received."""
    return [
        m.document or b""
        for chat in (FIRST, SECOND)
        for m in h.server.chat(chat)
        if m.filename == name
    ]


async def test_delivered_files_keep_only_their_file_ids_and_a_retried_upload_its_bytes(
    harness: Harness,
) -> None:
    h = harness
    await register_with_role(h, FIRST, Role.METHODIST)
    await register_with_role(h, SECOND, Role.METHODIST)
    await _teachers(h)
    h.server.inject("sendDocument", status=500, description="Internal Server Error", times=2)
    await _scheduler_only(h, MONDAY_NINE)  # the summary of 2026-W48
    while await h.sender.run_batch():  # then the sender stops, the workbooks to be retried
        pass
    assert [bool(c.files) for c in h.server.calls_of("sendPhoto")] == [True, False]
    assert _books(h, "pedpulse-2026-W48.xlsx") == []

    await _scheduler_only(h, MONDAY_NINE + 8 * DAY)  # eight days on: the next one, late
    assert await _files(h) == {
        "pedpulse-2026-W48.png": (False, True),  # both got it eight days ago
        "pedpulse-2026-W48.xlsx": (True, False),  # still to be uploaded
        "pedpulse-2026-W49.png": (True, False),
        "pedpulse-2026-W49.xlsx": (True, False),
    }
    await h.sender.drain()  # the sender is back
    for name in ("pedpulse-2026-W48.xlsx", "pedpulse-2026-W49.xlsx"):
        books = _books(h, name)
        assert len(books) == 2 and books[0] == books[1] and books[0].startswith(b"PK"), name

    await run_tick(h, MONDAY_NINE + 16 * DAY)  # a week after those went
    assert await _files(h) == {
        "pedpulse-2026-W48.png": (False, True),
        "pedpulse-2026-W48.xlsx": (False, True),
        "pedpulse-2026-W49.png": (False, True),
        "pedpulse-2026-W49.xlsx": (False, True),
        "pedpulse-2026-W50.png": (True, True),  # delivered just now
        "pedpulse-2026-W50.xlsx": (True, True),
    }
    uploads = [bool(c.files) for c in h.server.calls_of("sendPhoto")]
    assert uploads == [True, False] * 3  # each week's chart uploaded once
