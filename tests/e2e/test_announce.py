"""A methodist's announcement reaches exactly the chosen audience, with progress shown."""

import pytest
from sqlalchemy import func, select

from core.models import Attachment, Delivery, Role
from tests import factories
from tests.e2e.conftest import Harness
from tests.e2e.test_onboarding import register_teacher
from tests.e2e.test_roles import register_with_role

pytestmark = pytest.mark.e2e
METHODIST = 400


async def _town(h: Harness) -> None:
    """A methodist, two teachers at СОШ № 1, one at the Gymnasium, one in another municipality."""
    await register_with_role(h, METHODIST, Role.METHODIST)
    await register_teacher(h, 501)
    await register_teacher(h, 502, birth="1970")
    code = await h.school_code("МОАУ «Гимназия № 1»")
    await h.send(503, f"/start {code}")
    await h.press(503, "Согласен(на)")
    await h.send(503, "Кузнецов Олег Игоревич")
    await h.press(503, "Английский язык")
    await h.press(503, "Готово")
    await h.send(503, "1995")
    await h.press(503, "Пропустить")
    await h.press(503, "✅ Всё верно")
    code = await h.school_code("МБОУ Грушевская СОШ")
    await h.send(504, f"/start {code}")
    await h.press(504, "Согласен(на)")
    await h.send(504, "Аксайская Анна")
    await h.press(504, "Математика")
    await h.press(504, "Готово")
    await h.press(504, "2024")
    await h.press(504, "Пропустить")
    await h.press(504, "✅ Всё верно")


async def test_announcement_to_chosen_schools_with_progress(harness: Harness) -> None:
    h = harness
    await _town(h)
    await h.send(METHODIST, "/announce")
    assert "текст объявления" in h.last_text(METHODIST)
    await h.send(METHODIST, "Семинар по формирующему оцениванию в четверг")
    await h.press(METHODIST, "Выбранные школы")
    assert "Аксай" not in " ".join(h.server.last(METHODIST).button_texts())
    await h.press(METHODIST, "МОАУ «СОШ № 1»")
    await h.press(METHODIST, "Готово")
    preview = h.last_text(METHODIST)
    assert "Семинар по формирующему оцениванию" in preview
    assert "Выбранные школы (1) — 2 чел." in preview
    await h.press(METHODIST, "📨 Отправить")
    assert "поставлено в очередь для 2 чел." in h.texts(METHODIST)[-2]
    assert h.last_text(METHODIST) == "Рассылка: отправлено 0 из 2…"

    await h.sender.drain()
    for teacher in (501, 502):
        assert h.last_text(teacher) == "Семинар по формирующему оцениванию в четверг"
    for outsider in (503, 504):
        assert "формирующему" not in h.last_text(outsider)
    assert h.last_text(METHODIST) == (
        "Рассылка завершена: доставлено 2 из 2; не доставлено 0; заблокировали бота 0."
    )


async def test_young_teachers_with_a_file_and_a_double_tap(harness: Harness) -> None:
    h = harness
    await _town(h)
    await h.send(METHODIST, "/announce")
    file_id = h.server.user_file(b"%PDF plan", "plan.pdf")
    await h.send_raw(
        factories.document(METHODIST, file_id, "plan.pdf", "План школы молодого педагога")
    )
    await h.press(METHODIST, "Молодые педагоги")
    # 501 and 502 started in 2024; 503 started in 1995; 504 is in another municipality
    assert "Молодые педагоги — 2 чел." in h.last_text(METHODIST)
    assert "с файлом" in h.last_text(METHODIST)
    preview, send = h.server.find_button(METHODIST, "📨 Отправить")
    await h.press_data(METHODIST, preview, send)
    await h.press_data(METHODIST, preview, send)  # the second tap finds the draft sent
    assert "устарела" in h.toasts()[-1]
    await h.sender.drain()
    for teacher in (501, 502):
        received = h.server.last(teacher)
        assert received.document == b"%PDF plan"
        assert received.caption == "План школы молодого педагога"
    assert h.server.last(503).document is None
    async with h.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Delivery)) == 2


async def test_bad_input_in_the_announcement_dialog(harness: Harness) -> None:
    h = harness
    await _town(h)
    await h.send(METHODIST, "/announce")
    await h.send(METHODIST, "x" * 5000)
    assert "не больше 4096" in h.texts(METHODIST)[-2]
    assert "Напишите текст объявления" in h.last_text(METHODIST)  # asked again
    await h.send(METHODIST, "Короткое объявление")
    await h.press(METHODIST, "Учителя выбранных предметов")
    await h.press(METHODIST, "Готово")
    assert "— 0 чел." in h.last_text(METHODIST)
    await h.press(METHODIST, "📨 Отправить")
    assert "никого нет" in h.toasts()[-1]
    await h.press(METHODIST, "Отмена")
    assert "отменено" in h.last_text(METHODIST)
    await h.send(501, "/announce")
    assert "доступна только для ролей" in h.last_text(501)


async def test_telegram_formatting_reaches_the_teachers(harness: Harness) -> None:
    h = harness
    await _town(h)
    await h.send(METHODIST, "/announce")
    update = factories.message(METHODIST, "Важно: семинар в четверг")
    update["message"]["entities"] = [{"type": "bold", "offset": 0, "length": 6}]
    await h.send_raw(update)
    await h.press(METHODIST, "Наставники")
    await h.press(METHODIST, "Изменить получателей")
    await h.press(METHODIST, "Все педагоги муниципалитета")
    await h.press(METHODIST, "📨 Отправить")
    await h.sender.drain()
    sent = [c for c in h.server.calls_of("sendMessage") if c.params["chat_id"] == "501"][-1]
    assert sent.params["text"] == "<b>Важно:</b> семинар в четверг"
    assert h.last_text(501) == "Важно: семинар в четверг"


async def test_a_drafts_file_goes_with_the_draft(harness: Harness) -> None:
    """A file of a draft that is replaced, started over or cancelled is deleted, name and
    bytes: only its author could ever open it."""
    h = harness
    await _town(h)

    async def draft_with(name: str) -> None:
        await h.send(METHODIST, "/announce")
        file_id = h.server.user_file(b"%PDF " + name.encode(), name)
        await h.send_raw(factories.document(METHODIST, file_id, name, f"Файл {name}"))

    async def files() -> list[str | None]:
        async with h.sessionmaker() as session:
            return list(await session.scalars(select(Attachment.filename)))

    await draft_with("first.pdf")
    await draft_with("second.pdf")  # /announce again: the first draft goes, and its file
    assert await files() == ["second.pdf"]
    await h.press(METHODIST, "Молодые педагоги")
    await h.press(METHODIST, "Отмена")
    assert "отменено" in h.last_text(METHODIST)
    assert await files() == []
