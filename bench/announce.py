"""Benchmark: an announcement to N recipients through the fake Bot API limited like Telegram.

    .venv/bin/python bench/announce.py [--recipients 10000] [--rate 25] [--paid] [--runs 1]
                                       [--postgres URL] [--per-person 1]

Reports the time to enqueue (one transaction), the delivered rate as a share of the configured
limit (target at least 0.95), 429s met, and the run time. Runs on loopback only.

--paid: paid broadcasts (`allow_paid_broadcast`, up to 1000/s with --rate 1000; the fake
server does not check limits, its check costs too much at that rate), and beside each run a
bare aiogram loop on a fresh server (80 concurrent send_message calls, no database): unpaced,
the ceiling of this machine, and paced at --rate, what a loop obeying the limit can do; the
sender's rate is shown as a share of each. With --rate above 10,000 no limit binds and the
paced loop is left out: the sender's own ceiling against the machine's. --runs N: medians at
the end. --postgres URL: the outbox on a fresh database on that PostgreSQL server.
--per-person K: --recipients messages, K to each person (one a second to a person).
"""

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from answering import postgres_url  # noqa: E402

from bot.app import build_bot  # noqa: E402
from bot.sender import TelegramTransport  # noqa: E402
from core import db  # noqa: E402
from core.config import Settings  # noqa: E402
from core.messaging.outbox import Notice, enqueue  # noqa: E402
from core.messaging.pacing import Limits  # noqa: E402
from core.messaging.sender import Sender, SenderConfig  # noqa: E402
from core.texts import load_catalogues  # noqa: E402
from core.timeutil import utcnow  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402

LIMITLESS = 10_000  # above this --rate, no loop is paced: the sender's ceiling is measured


@contextlib.asynccontextmanager
async def database(postgres: str | None) -> AsyncIterator[str]:
    """A fresh migrated database: a SQLite file, or one on the PostgreSQL server `postgres`."""
    if postgres:
        url, drop = await postgres_url(postgres)
        try:
            yield url
        finally:
            await drop()
        return
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        await asyncio.to_thread(db.upgrade, url)
        yield url


async def main(
    recipients: int, rate: float, paid: bool, postgres: str | None = None, per_person: int = 1
) -> float:
    telegram = FakeTelegram()
    await telegram.start()
    if not paid:  # the fake server's check costs O(rate) a request: at 1000/s it would be
        telegram.enforce_limits(per_second=30, per_chat_interval=1.0)  # what is measured
    async with database(postgres) as url:
        engine = db.create_engine(url)
        sessionmaker = db.create_sessionmaker(engine)
        notices = [
            Notice(f"bench:{chat}:{n}", chat, f"Семинар «Формирующее оценивание» — {chat}")
            for chat in range(1, recipients // per_person + 1)
            for n in range(per_person)
        ]
        started = time.perf_counter()
        async with sessionmaker() as session:
            await enqueue(session, notices, utcnow())
            await session.commit()
        enqueue_seconds = time.perf_counter() - started
        del notices  # the sender starts with the rows in the database only, as in the bot

        settings = Settings(_env_file=None, bot_token="42:TEST", telegram_api_url=telegram.url)
        bot = build_bot(settings)
        transport = TelegramTransport(bot, load_catalogues(), paid)
        sender = Sender(sessionmaker, transport, SenderConfig(limits=Limits(per_second=rate)))
        started = time.perf_counter()
        await sender.drain()
        seconds = time.perf_counter() - started
        await bot.session.close()
        await engine.dispose()
    await telegram.stop()
    delivered = len(telegram.messages)
    too_many = sum(1 for c in telegram.calls if c.method == "sendMessage") - delivered
    achieved = delivered / seconds
    print(f"messages          {len(telegram.messages)} ({per_person} to each person)")
    print(f"enqueue           {enqueue_seconds:.2f} s (one transaction)")
    print(f"delivered         {delivered} in {seconds:.1f} s")
    print(
        f"rate              {achieved:.2f}/s of {rate:g}/s configured: ratio {achieved / rate:.3f}"
    )
    print(f"429 answers       {too_many}")
    return achieved


async def bare(recipients: int, rate: float | None, concurrency: int = 80) -> float:
    """Messages per second of a bare aiogram loop (no database) against an unlimited fake
    server: unpaced (the machine's ceiling), or starting at most `rate` sends a second (what
    any loop obeying Telegram's paid limit may do)."""
    server = FakeTelegram()
    await server.start()
    settings = Settings(_env_file=None, bot_token="42:TEST", telegram_api_url=server.url)
    bot = build_bot(settings)
    chats = iter(range(1, recipients + 1))
    started = time.perf_counter()

    async def worker() -> None:
        for chat in chats:
            if rate is not None:  # the chat-th send starts no earlier than chat / rate
                await asyncio.sleep(max(0.0, started + (chat - 1) / rate - time.perf_counter()))
            await bot.send_message(chat, f"Семинар — {chat}", allow_paid_broadcast=True)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    await bot.session.close()
    await server.stop()
    achieved = len(server.messages) / seconds
    kind = "unpaced" if rate is None else f"paced at {rate:g}/s"
    print(f"bare aiogram loop {len(server.messages)} in {seconds:.1f} s, {kind}: {achieved:.0f}/s")
    return achieved


async def runs(
    recipients: int, rate: float, paid: bool, count: int, postgres: str | None, per_person: int
) -> None:
    sender, ceiling, paced = [], [], []
    for _ in range(count):
        sender.append(await main(recipients, rate, paid, postgres, per_person))
        if paid:
            ceiling.append(await bare(recipients, None))
            line = f"sender / bare     {sender[-1] / ceiling[-1]:.3f} unpaced"
            if rate <= LIMITLESS:
                paced.append(await bare(recipients, rate))
                line += f", {sender[-1] / paced[-1]:.3f} paced alike"
            print(line)
    if count > 1:
        median = statistics.median(sender)
        print(f"median rate       {median:.1f}/s: ratio {median / rate:.3f} of the limit")
    if count > 1 and paid:
        for name, loop in (("unpaced", ceiling), ("paced alike", paced)):
            if loop:
                ratios = [s / b for s, b in zip(sender, loop, strict=True)]
                print(f"median bare ({name}) {statistics.median(loop):.0f}/s, "
                      f"sender/bare {statistics.median(ratios):.3f}")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--paid", action="store_true")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--postgres", help="postgresql+asyncpg:// URL of a server (else SQLite)")
    parser.add_argument("--per-person", type=int, default=1, help="messages to each recipient")
    arguments = parser.parse_args()
    asyncio.run(
        runs(
            arguments.recipients,
            arguments.rate,
            arguments.paid,
            arguments.runs,
            arguments.postgres,
            arguments.per_person,
        )
    )
