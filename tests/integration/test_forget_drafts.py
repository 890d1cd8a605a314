"""/forget and a methodist's drafts: only the author can ever open a draft, so their unsent
announcement (with its file), draft seminar and draft campaign go with them; what they sent or
published stays, without them."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core import privacy
from core.forms import Context
from core.messaging.attachments import release_delivered
from core.models import (
    Announcement,
    Attachment,
    Base,
    Campaign,
    Delivery,
    Municipality,
    Person,
    PersonRole,
    Role,
    Seminar,
)
from core.texts import load_catalogues
from surveys.registry import load_all

Maker = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
CTX = Context(NOW, load_catalogues(), load_all())
DRAFT_TEXT = "Черновик: у меня, Анны, больничный до пятницы"
DRAFT_FILE = "Методистова-личное.pdf"
DRAFT_BYTES = b"%PDF-SECRET-BYTES-OF-ANNA"
SENT_FILE = "Приказ-о-совещании.pdf"


async def _methodist(session: AsyncSession) -> tuple[int, int]:
    town = Municipality(name="Город", timezone="Europe/Moscow")
    session.add(town)
    await session.flush()
    anna = Person(
        telegram_id=500,
        municipality_id=town.id,
        full_name="Методистова Анна",
        language="ru",
        consent_at=NOW,
        registered_at=NOW,
        roles=[PersonRole(role=Role.METHODIST)],
    )
    session.add(anna)
    await session.flush()
    return town.id, anna.id


async def _sent_announcement(session: AsyncSession, town: int, author: int) -> None:
    """An announcement sent with a file; the file went out in a delivery to a teacher."""
    sent_file = Attachment(kind="document", filename=SENT_FILE, telegram_file_id="tg-1")
    session.add(sent_file)
    await session.flush()
    session.add(
        Announcement(
            author_id=author,
            municipality_id=town,
            text="Совещание в пятницу",
            attachment_id=sent_file.id,
            created_at=NOW - timedelta(days=2),
            sent_at=NOW - timedelta(days=2),
        )
    )
    session.add(
        Delivery(
            key="ann:1:7",
            chat_id=7,
            text="Совещание в пятницу",
            attachment_id=sent_file.id,
            status="sent",
            next_attempt_at=NOW - timedelta(days=2),
            created_at=NOW - timedelta(days=2),
        )
    )


async def _drafts_and_published(session: AsyncSession, town: int, author: int) -> None:
    draft_file = Attachment(kind="document", filename=DRAFT_FILE, data=DRAFT_BYTES)
    session.add(draft_file)
    await session.flush()
    session.add(
        Announcement(
            author_id=author,
            municipality_id=town,
            text=DRAFT_TEXT,
            attachment_id=draft_file.id,
            created_at=NOW,
        )
    )
    await _sent_announcement(session, town, author)
    seminar: dict[str, Any] = {"municipality_id": town, "organiser_id": author, "created_at": NOW}
    campaign: dict[str, Any] = {"municipality_id": town, "author_id": author, "created_at": NOW}
    session.add_all(
        [
            Seminar(
                **seminar,
                title="Черновик Анны",
                description="заметки Анны к черновику",
                place="кабинет Анны",
                status="draft",
            ),
            Seminar(
                **seminar,
                title="Открытый урок",
                status="published",
                starts_at=NOW + timedelta(days=5),
            ),
            Campaign(**campaign, instrument="tsis", version=1, status="draft"),
            Campaign(**campaign, instrument="cbi", version=1, status="open"),
        ]
    )


async def _everything(session: AsyncSession) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for table in Base.metadata.sorted_tables:
        for row in (await session.execute(select(table))).mappings():
            found.append((table.name, dict(row)))
    return found


async def test_forget_takes_the_authors_drafts_and_their_file_and_keeps_what_went_out(
    sessionmaker: Maker,
) -> None:
    async with sessionmaker() as session:
        town, anna = await _methodist(session)
        await _drafts_and_published(session, town, anna)
        await session.commit()
    async with sessionmaker() as session:
        await privacy.forget(session, anna, CTX)
    async with sessionmaker() as session:  # a month on, the files' cleanup has run too
        await release_delivered(session, NOW + timedelta(days=30))
    async with sessionmaker() as session:
        rows = await _everything(session)
        announcements = list(await session.scalars(select(Announcement)))
        seminars = list(await session.scalars(select(Seminar)))
        campaigns = list(await session.scalars(select(Campaign)))
        files = list(await session.scalars(select(Attachment.filename)))
    for table, row in rows:  # nothing of the drafts is kept anywhere
        assert "Анны" not in str(row) and DRAFT_FILE not in str(row), (table, row)
        assert DRAFT_BYTES not in row.values(), table
    assert [(a.text, a.author_id) for a in announcements] == [("Совещание в пятницу", None)]
    assert files == [SENT_FILE]  # the sent announcement keeps its file
    assert [(s.title, s.status, s.organiser_id) for s in seminars] == [
        ("Открытый урок", "published", None)
    ]
    assert [(c.instrument, c.status, c.author_id) for c in campaigns] == [("cbi", "open", None)]
