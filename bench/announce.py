"""Benchmark: an announcement to N recipients through the fake Bot API limited like Telegram.

    .venv/bin/python bench/announce.py [--recipients 10000] [--rate 25]

Reports the time to enqueue (one transaction), the delivered rate as a share of the configured
limit (target at least 0.95), 429s met, and the run time. Runs on loopback only.
"""

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


async def main(recipients: int, rate: float) -> None:
    server = FakeTelegram()
    await server.start()
    server.enforce_limits(per_second=30, per_chat_interval=1.0)  # Telegram's documented limits
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        await asyncio.to_thread(db.upgrade, url)
        engine = db.create_engine(url)
        sessionmaker = db.create_sessionmaker(engine)
        notices = [
            Notice(f"bench:{chat}", chat, f"Семинар «Формирующее оценивание» — {chat}")
            for chat in range(1, recipients + 1)
        ]
        started = time.perf_counter()
        async with sessionmaker() as session:
            await enqueue(session, notices, utcnow())
            await session.commit()
        enqueue_seconds = time.perf_counter() - started

        settings = Settings(_env_file=None, bot_token="42:TEST", telegram_api_url=server.url)
        bot = build_bot(settings)
        transport = TelegramTransport(bot, load_catalogues(), False)
        sender = Sender(sessionmaker, transport, SenderConfig(limits=Limits(per_second=rate)))
        started = time.perf_counter()
        await sender.drain()
        seconds = time.perf_counter() - started
        await bot.session.close()
        await engine.dispose()
    await server.stop()

    delivered = len(server.messages)
    too_many = sum(1 for c in server.calls if c.method == "sendMessage") - delivered
    achieved = delivered / seconds
    print(f"recipients        {recipients}")
    print(f"enqueue           {enqueue_seconds:.2f} s (one transaction)")
    print(f"delivered         {delivered} in {seconds:.1f} s")
    print(
        f"rate              {achieved:.2f}/s of {rate:g}/s configured: ratio {achieved / rate:.3f}"
    )
    print(f"429 answers       {too_many}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25.0)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.recipients, arguments.rate))
