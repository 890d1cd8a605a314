"""Polling: different people's updates at once, one person's in order, nothing lost."""

import asyncio
import signal
import sys
from pathlib import Path

import pytest
from aiogram.exceptions import TelegramUnauthorizedError
from sqlalchemy import select

from bot.polling import BATCH, Poller
from core.models import Answer
from tests import factories
from tests.e2e.conftest import Harness
from tests.e2e.test_onboarding import TEACHER, register_teacher
from tests.e2e.test_polling import _env
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e
ANNA, BORIS = 501, 502


def _push(h: Harness, user: int, text: str) -> int:
    update = h.server.push_update(factories.message(user, text))
    h.server.remember(update["message"])
    return int(update["update_id"])


async def _polling(h: Harness) -> tuple[Poller, asyncio.Task[None]]:
    poller = Poller(h.dp, h.bot, h.dp.resolve_used_update_types())
    return poller, asyncio.create_task(poller.run())


async def _stop(poller: Poller, task: asyncio.Task[None]) -> None:
    poller.stop()
    await asyncio.wait_for(task, 10)


async def test_one_persons_slow_reply_does_not_hold_up_another(harness: Harness) -> None:
    harness.server.inject("sendMessage", delay=1.5, chat_id=ANNA)
    _push(harness, ANNA, "/help")
    last = _push(harness, BORIS, "/help")  # one batch: both wait in the fake server
    poller, task = await _polling(harness)
    await harness.server.wait_confirmed(last)
    await _stop(poller, task)
    boris = harness.server.chat(BORIS)[0]
    anna = harness.server.chat(ANNA)[0]
    assert boris.message_id < anna.message_id  # Boris answered while Anna's reply was slow


async def test_one_persons_slow_reply_does_not_hold_up_whoever_writes_meanwhile(
    harness: Harness,
) -> None:
    """Boris writes while Anna's reply is on its way (a large report, a slow network): his
    update is fetched and answered without waiting for hers; nothing from Anna's on is
    confirmed until hers is handled."""
    harness.server.inject("sendMessage", delay=5.0, chat_id=ANNA)
    anna = _push(harness, ANNA, "/help")
    poller, task = await _polling(harness)
    on_its_way = await harness.server.wait_for("sendMessage")
    boris = _push(harness, BORIS, "/help")
    await harness.server.wait_until(lambda: bool(harness.server.chat(BORIS)), timeout=2.0)
    assert not harness.server.chat(ANNA)  # still on its way
    await harness.server.wait_confirmed(boris)
    await _stop(poller, task)
    assert len(harness.server.chat(ANNA)) == 1 and len(harness.server.chat(BORIS)) == 1
    calls = harness.server.calls_of("getUpdates")
    while_slow = [c for c in calls if c.at < on_its_way.at + 5.0]
    assert len(while_slow) > 1 and all(
        int(c.params.get("offset") or 0) <= anna for c in while_slow
    )


async def test_an_error_no_retry_helps_lets_the_updates_in_hand_finish(harness: Harness) -> None:
    """The token revoked while Anna's reply is on its way: the poller stops with the error,
    but only after her update is handled (the process closes the database after it)."""
    harness.server.inject("sendMessage", delay=1.5, chat_id=ANNA)
    _push(harness, ANNA, "/help")
    poller, task = await _polling(harness)
    await harness.server.wait_for("sendMessage")
    harness.server.inject("getUpdates", status=401, description="Unauthorized", times=10)
    with pytest.raises(TelegramUnauthorizedError):
        await asyncio.wait_for(task, 10)
    assert len(harness.server.chat(ANNA)) == 1


async def test_with_a_full_batch_unconfirmed_the_poller_does_not_ask_in_vain(
    harness: Harness,
) -> None:
    """Telegram returns at most BATCH updates from the offset: while that many are unconfirmed
    (one slow), asking again would only bring them back, so the poller waits for them."""
    harness.server.inject("sendMessage", delay=2.0, chat_id=ANNA)
    last = _push(harness, ANNA, "/help")
    for user in range(1, BATCH):
        last = _push(harness, BORIS + user, "/help")
    poller, task = await _polling(harness)
    await harness.server.wait_confirmed(last)
    await _stop(poller, task)
    assert len(harness.server.chat(ANNA)) == 1
    # the batch, then its confirmation (with the stop's, three at most)
    assert len(harness.server.calls_of("getUpdates")) <= 3


async def test_one_persons_fast_messages_are_handled_in_the_order_sent(harness: Harness) -> None:
    harness.server.inject("sendMessage", delay=1.0, chat_id=ANNA)  # the first reply is slow
    texts = ["/help", "/start", "/help", "/privacy"]
    last = 0
    for text in texts:
        last = _push(harness, ANNA, text)
    poller, task = await _polling(harness)
    await harness.server.wait_confirmed(last)
    await _stop(poller, task)
    replies = harness.texts(ANNA)
    assert len(replies) == len(texts)
    assert replies[0].startswith("Что умеет PedPulse") and replies[2] == replies[0]
    assert replies[1].startswith("Здравствуйте! Это PedPulse")
    assert replies[3].startswith("Такой команды нет")


async def test_a_stop_confirms_the_batch_it_handled(harness: Harness) -> None:
    poller, task = await _polling(harness)
    last = _push(harness, ANNA, "/help")
    await harness.server.wait_for("sendMessage")
    await _stop(poller, task)
    offsets = [c.params.get("offset") for c in harness.server.calls_of("getUpdates")]
    assert int(offsets[-1] or 0) == last + 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # polling, not the database
async def test_killed_mid_batch_the_restart_handles_it_again(
    server: FakeTelegram, migrated_url: str, tmp_path: Path
) -> None:
    """kill -9 while a reply is on its way: nothing is lost, at most the batch repeats."""
    env = _env(BOT_TOKEN="42:TEST", TELEGRAM_API_URL=server.url, DATABASE_URL=migrated_url)
    server.inject("sendMessage", delay=2.0, chat_id=ANNA, drop=True)  # lost with the process
    first = await _bot(env, tmp_path)
    try:
        await server.wait_for("getUpdates", timeout=60)
        update = server.push_update(factories.message(ANNA, "/help"))
        server.push_update(factories.message(BORIS, "/help"))
        await server.wait_until(lambda: len(server.calls_of("sendMessage")) == 2)
        assert server.chat(BORIS)  # Boris's reply went, Anna's is still on its way
    finally:
        first.kill()  # SIGKILL: no shutdown, no confirmation
        await first.wait()
    assert not any(int(c.params.get("offset") or 0) > update["update_id"]
                   for c in server.calls_of("getUpdates"))  # fmt: skip
    second = await _bot(env, tmp_path)
    try:
        await server.wait_confirmed(update["update_id"] + 1, timeout=30)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), 30)
    assert second.returncode == 0
    assert len(server.chat(ANNA)) == 1  # the lost reply came once, after the restart
    assert len(server.chat(BORIS)) == 2  # handled in both runs: the documented duplicate


async def _bot(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    with (cwd / "bot.log").open("ab") as log:  # read it when a test fails
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=cwd, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=log,
        )  # fmt: skip


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_killed_mid_questionnaire_the_answer_is_stored_once(
    harness: Harness, migrated_url: str, tmp_path: Path
) -> None:
    """kill -9 while the answered question is being edited into the next: after the restart
    the answer is there once and the person sees the next question."""
    h = harness
    await register_teacher(h)
    await h.send(TEACHER, "/surveys")
    await h.press(TEACHER, "Профессиональное самочувствие (риск выгорания, CBI)")
    assert "1 / 19" in h.last_text(TEACHER)
    await h.bot.session.close()  # from here on the real process serves the person
    server = h.server
    env = _env(BOT_TOKEN="42:TEST", TELEGRAM_API_URL=server.url, DATABASE_URL=migrated_url)
    server.inject("editMessageText", delay=5.0, chat_id=TEACHER, drop=True)
    edits = len(server.calls_of("editMessageText"))
    first = await _bot(env, tmp_path)
    try:
        await server.wait_for("getUpdates", timeout=60)
        message, data = server.find_button(TEACHER, "Часто")
        update = server.push_update(
            factories.callback(TEACHER, message, server.message_json(message), data)
        )
        await server.wait_until(lambda: len(server.calls_of("editMessageText")) > edits, 30)
    finally:
        first.kill()
        await first.wait()
    second = await _bot(env, tmp_path)
    try:
        await server.wait_confirmed(update["update_id"], timeout=60)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), 30)
    async with h.sessionmaker() as session:
        answers = list(await session.execute(select(Answer.item_id, Answer.value)))
    assert len(answers) == 1 and answers[0][1] == 4  # "Часто" once, not lost, not twice
    assert "2 / 19" in h.last_text(TEACHER)
