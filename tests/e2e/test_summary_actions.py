"""Issue 12: the weekly summary opens with its alerts and ends with the recommendations, each
with the button that does it. Novotroitsk (the example roster) is in Asia/Yekaterinburg,
UTC+5; the summary goes on Monday 30.11.2026 at 09:00 there (04:00 UTC).

By hand: seven teachers of СОШ № 1 registered in September; a campaign of theirs closes on
Wednesday 02.12 at 23:59 local time (two days after the summary) and three of the seven have
answered: 43 %, under the rule's 50 %. Nobody took the deficit self-assessment (coverage 0 %,
under 50 %) and nobody said they belong to an association (0 %, under 70 %)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.monitoring.action_callbacks import SummaryActionCallback, SummaryDo
from core.models import (
    Campaign,
    CampaignMember,
    CampaignStatus,
    Delivery,
    MentorshipRequest,
    Person,
    RequestStatus,
    Response,
    Role,
    School,
    Seminar,
    SupportRequest,
)
from core.monitoring import store
from core.monitoring.catalogue import load_catalogue
from core.monitoring.periods import month
from core.seminars.listing import AREAS
from tests.e2e.conftest import Harness
from tests.e2e.test_onboarding import register_teacher
from tests.e2e.test_roles import register_with_role
from tests.e2e.test_weekly_summary import MONDAY_NINE, _teacher, run_tick
from tests.fake_telegram import SentMessage

pytestmark = pytest.mark.e2e
METHODIST, TEACHER, STRANGER = 720, 721, 722
SCHOOL = "МОАУ «СОШ № 1»"
CHATS = range(800, 807)  # the seven teachers of СОШ № 1
DEADLINE = datetime(2026, 12, 2, 18, 59, tzinfo=UTC)  # 02.12 23:59 in Novotroitsk
CBI = "№1 «Профессиональное самочувствие (риск выгорания, CBI)»"
BUTTONS = [
    "1. Запросы о поддержке",
    "2. Очередь наставничества",
    "3. Напомнить не ответившим",
    "4. Написать объявление",
    "5. Запустить кампанию",
]


async def _school_id(h: Harness, name: str = SCHOOL) -> int:
    async with h.sessionmaker() as session:
        found = await session.scalar(select(School.id).where(School.name == name))
        assert found is not None
        return found


async def _people(h: Harness, chats: range) -> list[int]:
    """Teachers of СОШ № 1 registered in September, by chat; their person ids."""
    school = await _school_id(h)
    async with h.sessionmaker() as session:
        people = [_teacher(school, chat, young=False) for chat in chats]
        session.add_all(people)
        await session.commit()
        return [p.id for p in people]


async def _campaign(h: Harness, people: list[int], answered: int, closes: datetime) -> int:
    """An open CBI campaign of the town with `people` invited, the first `answered` done."""
    school = await _school_id(h)
    opened = datetime(2026, 11, 20, 5, tzinfo=UTC)
    async with h.sessionmaker() as session:
        author = await session.scalar(select(Person.id).where(Person.telegram_id == METHODIST))
        campaign = Campaign(
            municipality_id=1, author_id=author, instrument="cbi", version=1,
            audience={"kind": "all", "ids": []}, opens_at=opened, closes_at=closes,
            reminder_days=[], reminded=[], status=CampaignStatus.OPEN, created_at=opened,
            opened_at=opened,
        )  # fmt: skip
        session.add(campaign)
        await session.flush()
        session.add_all(
            CampaignMember(
                campaign_id=campaign.id,
                person_id=person,
                school_id=school,
                completed_on=opened + timedelta(days=1) if i < answered else None,
            )  # fmt: skip
            for i, person in enumerate(people)
        )
        await session.commit()
        return campaign.id


async def _requests(h: Harness, people: list[int]) -> None:
    """A support request, and a mentor request waiting since 20.11 (over three days)."""
    since = datetime(2026, 11, 20, 5, tzinfo=UTC)
    async with h.sessionmaker() as session:
        session.add(SupportRequest(person_id=people[0], municipality_id=1, created_at=since))
        session.add(
            MentorshipRequest(
                mentee_id=people[1],
                municipality_id=1,
                areas=["method"],
                topic="Уроки",
                status=RequestStatus.WAITING,
                created_at=since,
                submitted_at=since,
            )  # fmt: skip
        )
        await session.commit()


async def _summary(h: Harness) -> SentMessage:
    """The summary's text message (the tick may tell the methodist of other things too)."""
    await run_tick(h, MONDAY_NINE)
    return next(m for m in h.server.chat(METHODIST) if (m.text or "").startswith("📊"))


async def _sent_to(h: Harness, since: int) -> list[int]:
    return sorted(int(c.params["chat_id"]) for c in h.server.calls_of("sendMessage")[since:])


async def test_alerts_open_the_summary_and_each_recommendation_has_its_button(
    harness: Harness,
) -> None:
    h = harness
    await register_with_role(h, METHODIST, Role.METHODIST)
    people = await _people(h, CHATS)
    await _requests(h, people)
    await _campaign(h, people, answered=3, closes=DEADLINE)
    summary = await _summary(h)
    lines = (summary.text or "").splitlines()
    assert lines[1:4] == [
        "⚠ Запросы о поддержке ждут ответа: 1",
        "⚠ Запросы наставника ждут больше 3 дней: 1",
        f"⚠ Кампания {CBI} отстаёт: ответили 43 %, до срока 2 дн.",
    ]
    actions = lines[lines.index("Что сделать:") + 1 :][:5]
    assert [line.split(".")[0] for line in actions] == ["1", "2", "3", "4", "5"]
    assert actions[0] == "1. Ответьте на запросы о поддержке: ждут 1."
    assert actions[2].startswith(f"3. Кампания «{CBI}»: ответили 43 %, до срока 2 дн.")
    assert summary.button_texts() == BUTTONS

    await h.press(METHODIST, BUTTONS[0])
    assert "Педагог 800" in h.last_text(METHODIST)  # /support's list, below the summary
    await h.press(METHODIST, BUTTONS[1])
    assert "Педагог 801" in h.last_text(METHODIST)  # /mentoring's queue
    await h.press(METHODIST, BUTTONS[3])
    assert "текст объявления" in h.last_text(METHODIST)  # /announce
    await h.press(METHODIST, BUTTONS[4])
    assert "Какую анкету" in h.last_text(METHODIST)  # /campaign_new
    shown = h.server.messages[(METHODIST, summary.message_id)]
    assert shown.text == summary.text and shown.button_texts() == BUTTONS  # left whole


async def test_the_reminder_reaches_the_non_responders_once(harness: Harness) -> None:
    h = harness
    await register_with_role(h, METHODIST, Role.METHODIST)
    people = await _people(h, CHATS)
    await _campaign(h, people, answered=3, closes=DEADLINE)
    await _summary(h)  # no requests this time: the reminder comes first

    await h.press(METHODIST, "1. Напомнить не ответившим")
    question = h.last_text(METHODIST)
    # no count: how many have not answered may be a group /campaigns hides
    assert question.startswith("Отправить напоминание всем, кто ещё не ответил?")
    message, yes = h.server.find_button(METHODIST, "Да")
    sent = len(h.server.calls_of("sendMessage"))
    await h.press_data(METHODIST, message, yes)
    await h.press_data(METHODIST, message, yes)  # a double press
    await h.sender.drain()
    assert await _sent_to(h, sent) == [803, 804, 805, 806]
    assert "Напоминание" in h.last_text(803)
    answered = h.server.messages[(METHODIST, message.message_id)].text or ""
    assert answered.startswith("🔔 Напоминание уйдёт всем, кто ещё не ответил.")
    assert h.server.chat(800) == []  # she answered

    await h.press(METHODIST, "1. Напомнить не ответившим")
    sent = len(h.server.calls_of("sendMessage"))
    await h.press(METHODIST, "Нет")
    await h.sender.drain()
    assert h.last_text(METHODIST) == "Хорошо, напоминание не отправлено."
    assert await _sent_to(h, sent) == []


async def test_the_school_and_seminar_buttons_open_their_forms_preset(harness: Harness) -> None:
    h = harness
    await register_with_role(h, METHODIST, Role.METHODIST)
    await _people(h, range(800, 802))
    await register_teacher(h, TEACHER)  # СОШ № 1 as well
    summary = await _anchor(h)
    school = await _school_id(h)
    await h.press_data(METHODIST, summary, _pack(SummaryDo.SCHOOL, school))
    assert h.last_text(METHODIST).startswith("✉️ Сообщение педагогам школы «МОАУ «СОШ № 1»»")
    await h.send(METHODIST, "Приглашаем на консультацию психолога в среду")
    assert "✅ МОАУ «СОШ № 1»" in h.server.last(METHODIST).button_texts()
    await h.press(METHODIST, "Готово")
    assert "Выбранные школы (1) — 3 чел." in h.last_text(METHODIST)
    await h.press(METHODIST, "📨 Отправить")
    await h.sender.drain()
    for chat in (800, 801, TEACHER):
        assert h.last_text(chat) == "Приглашаем на консультацию психолога в среду"

    method = AREAS.index("method") + 1
    await h.press_data(METHODIST, summary, _pack(SummaryDo.SEMINAR, method))
    assert "название" in h.last_text(METHODIST).lower()  # /seminar_new asks the title first
    async with h.sessionmaker() as session:
        draft = await session.scalar(select(Seminar).where(Seminar.status == "draft"))
        assert draft is not None and draft.tags == ["method"]


async def test_forged_forwarded_and_stale_presses_are_refused(harness: Harness) -> None:
    h = harness
    await register_with_role(h, METHODIST, Role.METHODIST)
    people = await _people(h, CHATS)
    campaign = await _campaign(h, people, answered=3, closes=DEADLINE)
    closed = await _campaign(h, people, answered=0, closes=DEADLINE)
    async with h.sessionmaker() as session:
        row = await session.get(Campaign, closed)
        assert row is not None
        row.status = CampaignStatus.CLOSED
        await session.commit()
    await register_teacher(h, TEACHER)
    await h.send(TEACHER, "/help")
    anchor = h.server.last(TEACHER)
    sent = len(h.server.calls_of("sendMessage"))
    for act in (SummaryDo.REMIND_YES, SummaryDo.SUPPORT, SummaryDo.SCHOOL):
        await h.press_data(TEACHER, anchor, _pack(act, campaign))
        assert h.toasts()[-1] == "Эта кнопка только для ролей: методист."
    assert await _sent_to(h, sent) == []

    await h.send(STRANGER, f"/start {await h.role_code(Role.METHODIST, municipality_id=2)}")
    await h.press(STRANGER, "Согласен(на)")
    await h.send(STRANGER, "Иванова Ирина")
    await h.press(STRANGER, "Не работаю в школе")
    await h.press(STRANGER, "✅ Всё верно")
    await h.press_data(STRANGER, h.server.last(STRANGER), _pack(SummaryDo.REMIND_YES, campaign))
    assert h.toasts()[-1] == "Эта кнопка из сводки другого муниципалитета."
    school = await _school_id(h)
    await h.press_data(STRANGER, h.server.last(STRANGER), _pack(SummaryDo.SCHOOL, school))
    assert h.toasts()[-1] == "Эта кнопка из сводки другого муниципалитета."

    summary = await _anchor(h)
    for data, toast in (
        (_pack(SummaryDo.REMIND, closed), "Кампания уже закрыта — напоминать поздно."),
        (_pack(SummaryDo.REMIND_YES, 999), "Этой кампании больше нет или она ещё не открыта."),
        (_pack(SummaryDo.SCHOOL, 9999), "Этой школы больше нет в справочнике."),
        (_pack(SummaryDo.SEMINAR, 99), "Эта кнопка устарела — используйте последнее сообщение."),
    ):
        await h.press_data(METHODIST, summary, data)
        assert h.toasts()[-1] == toast
    async with h.sessionmaker() as session:
        queued = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.key.like("cmp:%"))
        )
    assert queued == 0
    assert all("Traceback" not in text for text in h.texts(METHODIST))


async def _anchor(h: Harness) -> SentMessage:
    """A message of the methodist's chat to press forged buttons on."""
    await h.send(METHODIST, "/help")
    return h.server.last(METHODIST)


def _pack(act: SummaryDo, ref: int) -> str:
    return SummaryActionCallback(act=act, id=ref).pack()


def _cbi(person: int, day: datetime, high: bool) -> Response:
    band = "high" if high else "low"
    return Response(
        person_id=person, instrument="cbi", version=1, status="completed", started_at=day,
        completed_at=day, scores={"derived": {"overall": {"band": band}}},
    )  # fmt: skip


async def _burnout(h: Harness, people: list[int], november: int, high: tuple[int, int]) -> None:
    """Everyone answered the CBI on 14.10 (high[0] of them at high risk); `november` of them
    again on 18.11 (high[1] high); October counted as the night after it would have."""
    october, later = datetime(2026, 10, 14, 6, tzinfo=UTC), datetime(2026, 11, 18, 6, tzinfo=UTC)
    async with h.sessionmaker() as session:
        session.add_all(_cbi(p, october, i < high[0]) for i, p in enumerate(people))
        session.add_all(_cbi(p, later, i < high[1]) for i, p in enumerate(people[:november]))
        await session.commit()
        after = datetime(2026, 11, 1, 0, tzinfo=UTC)
        await store.aggregate(session, load_catalogue(), 1, after, (month(date(2026, 10, 1)),))


@pytest.mark.parametrize(
    ("november", "shown"),
    [
        # 12 answered in each month: 3 (25 %) then 6 (50 %) at high risk, +25 points
        pytest.param(
            12,
            "⚠ МОАУ «СОШ № 1»: высокий риск выгорания — 50 % (+25 п. п. за месяц)",
            id="shown",
        ),
        pytest.param(9, None, id="hidden"),  # 6 of 9 in November: fewer than 10, hidden
    ],
)
async def test_a_school_whose_burnout_rose_is_an_alert_unless_hidden(
    harness: Harness, november: int, shown: str | None
) -> None:
    h = harness
    await register_with_role(h, METHODIST, Role.METHODIST)
    people = await _people(h, range(830, 842))
    await _burnout(h, people, november, (3, 6))
    summary = await _summary(h)
    lines = (summary.text or "").splitlines()
    alerts = [line for line in lines if line.startswith("⚠")]
    assert alerts == ([shown] if shown else [])
    if shown is None:
        assert "выгорания выросла" not in (summary.text or "")
        return
    label = next(b for b in summary.button_texts() if b.endswith("Написать педагогам школы"))
    await h.press(METHODIST, label)
    assert h.last_text(METHODIST).startswith("✉️ Сообщение педагогам школы «МОАУ «СОШ № 1»»")


async def test_a_campaign_too_small_to_show_is_no_alert(harness: Harness) -> None:
    h = harness
    await register_with_role(h, METHODIST, Role.METHODIST)
    people = await _people(h, range(800, 804))
    await _campaign(h, people, answered=1, closes=DEADLINE)  # 1 of 4: hidden (fewer than 5)
    summary = await _summary(h)
    assert not [line for line in (summary.text or "").splitlines() if line.startswith("⚠")]
    assert "Напомнить не ответившим" not in " ".join(summary.button_texts())
