"""/forget leaves nothing behind: no table, outbox row, or SQLite log keeps the person."""

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from core.models import Base, Role
from core.privacy import PERSONAL
from tests.e2e.conftest import Harness
from tests.e2e.test_onboarding import register_teacher
from tests.e2e.test_roles import register_with_role

pytestmark = pytest.mark.e2e
TEACHER, METHODIST = 7_654_321, 400
NAME = "Иванова Мария Петровна"
CBI = "Профессиональное самочувствие (риск выгорания, CBI)"


async def _a_full_life(h: Harness) -> None:
    """Registered, a high burnout result with a request for support, an announcement and a
    seminar seat: the person is now in many tables and in the outbox."""
    await register_with_role(h, METHODIST, Role.METHODIST)
    await register_teacher(h, TEACHER)
    await h.send(TEACHER, "/surveys")
    await h.press(TEACHER, CBI)
    while "заполнена" not in h.last_text(TEACHER):
        labels = [b for b in h.server.last(TEACHER).button_texts() if b != "« Назад"]
        await h.press(TEACHER, labels[-1])  # "Всегда" / "В очень большой степени"
    await h.press(TEACHER, "🤝 Хочу, чтобы со мной связались")
    await h.send(METHODIST, "/announce")
    await h.send(METHODIST, "Совещание в пятницу")
    await h.press(METHODIST, "Все педагоги муниципалитета")
    await h.press(METHODIST, "📨 Отправить")
    await h.send(METHODIST, "/seminar_new")
    for typed in ("Формирующее оценивание", "25.11.2026 15:00"):
        await h.send(METHODIST, typed)
        if typed.startswith("Формирующее"):
            await h.press(METHODIST, "Пропустить")
    await h.press(METHODIST, "90 мин")
    await h.press(METHODIST, "🏫 Очно")
    await h.send(METHODIST, "ИМЦ, ауд. 5")
    await h.press(METHODIST, "Без ограничения")
    await h.press(METHODIST, "Готово")
    await h.press(METHODIST, "Все педагоги муниципалитета")
    await h.press(METHODIST, "📣 Опубликовать")
    await h.sender.drain()
    await h.press(TEACHER, "Записаться")


async def _rows(h: Harness) -> list[tuple[str, dict[str, Any]]]:
    found = []
    async with h.sessionmaker() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).mappings():
                found.append((table.name, dict(row)))
    return found


async def test_mydata_shows_every_kind_of_record_and_forget_removes_them_all(
    harness: Harness,
) -> None:
    h = harness
    await _a_full_life(h)
    await h.send(TEACHER, "/mydata")
    record = json.loads(h.server.last(TEACHER).document or b"{}")
    assert {entry.shown_as for entry in PERSONAL} <= set(record)
    assert record["questionnaires"][0]["instrument"] == "cbi"
    assert len(record["support_requests"]) == 1 and len(record["seminars"]) == 1
    assert "Совещание в пятницу" in [n["text"] for n in record["notifications"]]

    rows = await _rows(h)
    assert any(TEACHER in row.values() for _, row in rows)
    assert any(NAME in str(row) for table, row in rows if table == "delivery")  # to methodists

    await h.send(TEACHER, "/forget")
    await h.press(TEACHER, "Да, удалить")
    assert "данные удалены" in h.last_text(TEACHER)
    for table, row in await _rows(h):
        assert TEACHER not in row.values(), (table, row)
        assert NAME not in str(row) and "Иванова" not in str(row), (table, row)
    url = make_url(h.dp["settings"].database_url)
    if url.get_backend_name() == "sqlite":
        database = Path(str(url.database))
        for path in (database, Path(f"{database}-wal")):
            if path.exists():
                assert "Иванова".encode() not in path.read_bytes(), path.name


async def test_forgetting_a_person_ends_their_pending_notifications(harness: Harness) -> None:
    h = harness
    await register_with_role(h, METHODIST, Role.METHODIST)
    await register_teacher(h, TEACHER)
    await h.send(METHODIST, "/announce")
    await h.send(METHODIST, "Важное объявление")
    await h.press(METHODIST, "Все педагоги муниципалитета")
    await h.press(METHODIST, "📨 Отправить")  # queued, not sent yet
    await h.send(TEACHER, "/forget")
    await h.press(TEACHER, "Да, удалить")
    await h.sender.drain()
    assert "Важное объявление" not in h.texts(TEACHER)
    progress = [text for text in h.texts(METHODIST) if text.startswith("Рассылка")]
    assert progress == [
        "Рассылка завершена: доставлено 0 из 1; не доставлено 0; заблокировали бота 0."
    ]
    async with h.sessionmaker() as session:
        left = await session.scalar(
            text("SELECT count(*) FROM delivery WHERE chat_id = :c"), {"c": TEACHER}
        )
    assert left == 0
