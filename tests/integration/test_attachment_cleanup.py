"""The scheduled release of delivered files' bytes: a file every delivery of which finished
(sent, failed or blocked) over a week ago keeps only Telegram's file id; one still pending, being
sent, retried or delivered lately keeps its bytes, and so does one nothing was delivered with.
A failing run is logged and the next one does the work."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from core.messaging import attachments
from core.messaging.outbox import Notice, Result, claim, enqueue, record
from core.models import Attachment, DeliveryStatus
from core.scheduler import JOBS, Job, JobContext, tick
from core.texts import load_catalogues

Maker = async_sessionmaker[AsyncSession]
CONTEXT = JobContext(load_catalogues(), Settings(_env_file=None), {})
T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # the files go out
DAY = timedelta(days=1)
BYTES = b"\x89PNG" + b"\0" * 2000
SENT, FAILED = DeliveryStatus.SENT, DeliveryStatus.FAILED
BLOCKED, PENDING = DeliveryStatus.BLOCKED, DeliveryStatus.PENDING
CLEANUP = next(job for job in JOBS if job.name == "delivered files")


async def _file(maker: Maker, name: str) -> int:
    async with maker() as session:
        file = Attachment(kind="document", filename=name, data=BYTES)
        session.add(file)
        await session.commit()
        return file.id


async def _deliver(
    maker: Maker, at: datetime, file: int, outcomes: dict[int, DeliveryStatus | None]
) -> None:
    """Queue `file` to each chat, claim the rows and record each chat's outcome (None: the
    result never came, the row stays "sending"; PENDING: a retry is due a minute later). A
    sent row teaches the file id."""
    async with maker() as session:
        notices = [
            Notice(f"f{file}:{chat}", chat, "Файл", attachment_id=file) for chat in outcomes
        ]
        await enqueue(session, notices, at)
        await session.commit()
        claimed = {row.chat_id: row for row in await claim(session, at, 100)}
        results = [
            Result(
                claimed[chat].id,
                chat,
                outcome,
                message_id=1 if outcome is SENT else None,
                retry_at=at + timedelta(minutes=1) if outcome is PENDING else None,
                file_id=(file, f"tg-{file}") if outcome is SENT else None,
            )
            for chat, outcome in outcomes.items()
            if outcome is not None
        ]
        await record(session, results, at)


async def _state(maker: Maker) -> dict[str, tuple[bool, str | None]]:
    """Each file by name: whether it still holds its bytes, and its Telegram file id."""
    async with maker() as session:
        rows = await session.execute(
            select(Attachment.filename, Attachment.data, Attachment.telegram_file_id)
        )
        return {str(name): (data is not None, file_id) for name, data, file_id in rows}


async def test_files_every_delivery_finished_with_a_week_ago_keep_only_the_file_id(
    maker: Maker, caplog: pytest.LogCaptureFixture
) -> None:
    done = await _file(maker, "pedpulse-2026-W47.png")
    retrying = await _file(maker, "pedpulse-2026-W47.xlsx")
    sending = await _file(maker, "seminar-1.ics")
    recent = await _file(maker, "seminar-2.ics")
    await _file(maker, "draft.pdf")  # nothing delivered with it yet
    await _deliver(maker, T0 + 3 * DAY, recent, {7: SENT})  # first: a claim takes all due
    await _deliver(maker, T0, done, {1: SENT, 2: FAILED, 3: BLOCKED})
    await _deliver(maker, T0, retrying, {4: SENT, 5: PENDING})
    await _deliver(maker, T0, sending, {6: None})
    caplog.set_level(logging.INFO)

    await tick(maker, CONTEXT, T0 + 8 * DAY)
    assert await _state(maker) == {
        "pedpulse-2026-W47.png": (False, f"tg-{done}"),  # the file id stays for reuse
        "pedpulse-2026-W47.xlsx": (True, f"tg-{retrying}"),  # a retry is pending
        "seminar-1.ics": (True, None),  # its result is unknown: it may go again
        "seminar-2.ics": (True, f"tg-{recent}"),  # delivered five days ago
        "draft.pdf": (True, None),
    }
    lines = [r.getMessage() for r in caplog.records if r.name == attachments.__name__]
    assert lines == ["attachments: released the bytes of 1 delivered files"]
    # the project's own records (a driver's DEBUG records, left on by another test, carry
    # SQL parameters; the app never runs its drivers at DEBUG)
    ours = [r for r in caplog.records if r.name.split(".")[0] in ("core", "bot")]
    assert not any("pedpulse" in r.getMessage() or "seminar-" in r.getMessage() for r in ours)

    async with maker() as session:  # the retry goes on the ninth day
        (row,) = await claim(session, T0 + 8 * DAY, 100)
        await record(session, [Result(row.id, 5, SENT, message_id=2)], T0 + 8 * DAY)
    await tick(maker, CONTEXT, T0 + 14 * DAY)
    state = await _state(maker)
    assert state["pedpulse-2026-W47.xlsx"] == (True, f"tg-{retrying}")  # tried 6 days ago
    assert state["seminar-2.ics"] == (False, f"tg-{recent}")
    await tick(maker, CONTEXT, T0 + 16 * DAY)
    assert await _state(maker) == {
        "pedpulse-2026-W47.png": (False, f"tg-{done}"),
        "pedpulse-2026-W47.xlsx": (False, f"tg-{retrying}"),
        "seminar-1.ics": (True, None),
        "seminar-2.ics": (False, f"tg-{recent}"),
        "draft.pdf": (True, None),
    }


async def test_a_backlog_goes_in_batches_in_one_run(
    maker: Maker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attachments, "BATCH", 2)
    files = [await _file(maker, f"seminar-{i}.ics") for i in range(5)]
    for number, file in enumerate(files):
        await _deliver(maker, T0, file, {100 + number: SENT})
    await tick(maker, CONTEXT, T0 + 8 * DAY, (CLEANUP,))
    assert {kept for kept, _ in (await _state(maker)).values()} == {False}


async def test_a_failing_run_is_logged_and_the_next_one_does_the_work(
    maker: Maker, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    file = await _file(maker, "pedpulse-2026-W47.png")
    await _deliver(maker, T0, file, {1: SENT})
    real = attachments._batch

    async def broken(session: AsyncSession, cutoff: datetime) -> tuple[int, int]:
        raise RuntimeError("the database went away")

    after: list[datetime] = []

    async def later(session: AsyncSession, now: datetime, context: JobContext) -> int:
        after.append(now)
        return 0

    jobs = (CLEANUP, Job("later", later))
    monkeypatch.setattr(attachments, "_batch", broken)
    caplog.set_level(logging.ERROR)
    await tick(maker, CONTEXT, T0 + 8 * DAY, jobs)
    (failure,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "scheduled job 'delivered files' failed" in failure.getMessage()
    assert failure.exc_info is not None and "pedpulse" not in failure.getMessage()
    assert after == [T0 + 8 * DAY]  # the jobs after it still ran
    assert await _state(maker) == {"pedpulse-2026-W47.png": (True, f"tg-{file}")}

    monkeypatch.setattr(attachments, "_batch", real)
    await tick(maker, CONTEXT, T0 + 8 * DAY + timedelta(minutes=1), jobs)
    assert await _state(maker) == {"pedpulse-2026-W47.png": (False, f"tg-{file}")}


@pytest.fixture
def maker(sessionmaker: Maker) -> Maker:
    return sessionmaker
