"""The programme in use: goals reworded, moved and marked done by either side; meeting notes
shown to the methodist only when both agree; the methodist's list of pairs and ending one;
finding a mentor by name; a withdrawn offer told to the mentor."""

import pytest
from sqlalchemy import select

from bot.mentoring.callbacks import MentoringCallback
from core.models import Mentorship, ProgrammeGoal, Role
from tests.e2e.conftest import Harness
from tests.e2e.test_mentoring import MENTEE, MENTOR, METHODIST, _log_meeting, _paired, _request
from tests.e2e.test_onboarding import register_teacher
from tests.e2e.test_roles import register_with_role

pytestmark = pytest.mark.e2e


async def test_either_side_rewords_moves_and_ticks_off_a_goal(harness: Harness) -> None:
    h = harness
    await _paired(h)
    await h.send(MENTEE, "/mentor")
    await h.press(MENTEE, "🎯 Цели программы")
    await h.press(MENTEE, "✏️ 2")
    assert "Цель 2" in h.last_text(MENTEE) and "до 31.05.2027" not in h.last_text(MENTEE)
    await h.press(MENTEE, "✏️ Формулировка")
    await h.send(MENTEE, "Провести первое родительское собрание")
    assert "Провести первое родительское собрание" in h.last_text(MENTEE)
    await h.press(MENTEE, "✏️ Срок")
    # today is 23.11.2026 in the municipality: three months later is 23.02.2027
    await h.press(MENTEE, "через 3 мес. (23.02.2027)")
    assert "Срок: 23.02.2027" in h.last_text(MENTEE)
    await h.sender.drain()
    told = h.last_text(MENTOR)
    assert "Мария изменил(а) цель 2" in told and "23.02.2027" in told
    # a typed date in the past is refused with the reason, nothing changes
    await h.press(MENTEE, "✏️ Срок")
    await h.send(MENTEE, "01.01.2020")
    refusal, asked_again = h.texts(MENTEE)[-2:]
    assert "Не понял дату" in refusal and "К какому сроку?" in asked_again
    await h.press(MENTOR, "Открыть пару")
    await h.press(MENTOR, "🎯 Цели программы")
    await h.press(MENTOR, "✅ 1")
    async with h.sessionmaker() as session:
        goals = list(await session.scalars(select(ProgrammeGoal).order_by(ProgrammeGoal.id)))
        assert goals[0].done_at is not None
        assert goals[1].goal == "Провести первое родительское собрание"
        assert goals[1].due_on.isoformat() == "2027-02-23"
    await h.press(MENTOR, "⬅️ К паре")
    assert "✅ 1. Освоить методические приёмы для своих уроков — выполнена" in h.last_text(MENTOR)


async def test_notes_reach_the_methodist_only_when_both_agree(harness: Harness) -> None:
    h = harness
    await _paired(h)
    await h.send(MENTOR, "/mentees")
    await _log_meeting(h)
    await h.send(METHODIST, "/mentoring")
    await h.press(METHODIST, "👥 Пары")
    assert "открытых — 1" in h.last_text(METHODIST)
    await h.press(METHODIST, "№ 1: Петров Пётр Петрович — Иванова Мария Петровна")
    seen = h.last_text(METHODIST)
    assert "Журнал встреч" in seen and "22.11.2026, онлайн" in seen
    assert "технологическую карту" not in seen
    await h.send(MENTOR, "/mentees")
    await h.press(MENTOR, "📒 Разрешить методисту видеть заметки")
    assert "видны только вам двоим" in h.last_text(MENTOR)  # one consent is not enough
    await h.send(MENTEE, "/mentor")
    await h.press(MENTEE, "📒 Разрешить методисту видеть заметки")
    assert "оба согласились" in h.last_text(MENTEE)
    await h.press(METHODIST, "№ 1: Петров Пётр Петрович — Иванова Мария Петровна")
    assert "технологическую карту" in h.last_text(METHODIST)


async def test_the_methodist_ends_a_pair_and_both_are_told(harness: Harness) -> None:
    h = harness
    await _paired(h)
    await h.send(METHODIST, "/mentoring")
    await h.press(METHODIST, "👥 Пары")
    await h.press(METHODIST, "№ 1: Петров Пётр Петрович — Иванова Мария Петровна")
    await h.press(METHODIST, "Завершить")
    await h.press(METHODIST, "переход на другую работу или переезд")
    await h.sender.drain()
    for side in (MENTOR, MENTEE):
        assert any("№ 1 завершена: переход" in text for text in h.texts(side))
    async with h.sessionmaker() as session:
        pair = await session.get(Mentorship, 1)
        assert pair is not None and pair.end_reason == "moved"


async def test_a_mentor_found_by_name_is_offered_the_request(harness: Harness) -> None:
    h = harness
    await register_with_role(h, METHODIST, Role.METHODIST)
    await register_with_role(h, MENTOR, Role.MENTOR)
    await register_teacher(h, MENTEE)
    await _request(h)
    await h.send(METHODIST, "/mentoring")
    await h.press(METHODIST, "🔎 Найти наставника по имени")
    await h.send(METHODIST, "Сидоров")
    assert "не нашлось" in h.last_text(METHODIST)
    await h.press(METHODIST, "Открыть очередь")
    await h.press(METHODIST, "🔎 Найти наставника по имени")
    await h.send(METHODIST, "петров")
    await h.press(METHODIST, "Петров Пётр Петрович")
    assert "Заявка отправлена наставнику" in h.last_text(METHODIST)
    await h.sender.drain()
    assert "Вам предлагают стать наставником" in h.last_text(MENTOR)
    # the mentee takes the request back: the mentor is told, the old offer is dead
    await h.send(MENTEE, "/mentor")
    await h.press(MENTEE, "Отозвать заявку")
    await h.sender.drain()
    assert "отозвал заявку" in h.last_text(MENTOR)
    accept = MentoringCallback(act="accept", id=1).pack()
    await h.press_data(MENTOR, h.server.last(MENTOR), accept)
    assert "устарела" in h.toasts()[-1]


async def test_only_the_pairs_people_and_its_methodist_read_it(harness: Harness) -> None:
    h = harness
    await _paired(h)
    await register_teacher(h, 503)
    await h.send(503, "/start")
    before = len(h.server.chat(503))
    for act in ("pair", "goal", "notes", "pairs"):
        await h.press_data(503, h.server.last(503), MentoringCallback(act=act, id=1).pack())
    assert all("Программа" not in text for text in h.texts(503)[before:])
    assert all("устарела" in toast for toast in h.toasts()[-4:])
