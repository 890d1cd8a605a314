"""Texts of the notices about seminars, in each recipient's language."""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.messaging.outbox import Notice
from core.models import RegistrationStatus, Seminar
from core.screens import Button, Text, stored
from core.seminars.listing import SeminarView, signed_up, view, when
from core.texts import Texts


async def change_notices(
    session: AsyncSession,
    seminar: Seminar,
    field: str,
    now: datetime,
    catalogues: Mapping[str, Texts],
) -> list[Notice]:
    """Tell everyone registered or waiting which detail of the seminar changed."""
    card = await view(session, seminar, None)
    people = await signed_up(
        session, seminar.id, [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLIST]
    )
    stamp = int(now.timestamp())
    notices = []
    for _, person in people:
        t = catalogues[person.language]
        text = t(
            "seminar_changed", title=card.title, field=t(f"semfield_{field}"), when=when(card)
        )
        if card.link:
            text += "\n" + t("seminar_link", link=card.link)
        elif card.place:
            text += "\n" + t("seminar_place", place=card.place)
        key = f"sem:{seminar.id}:changed:{field}:{stamp}:{person.id}"
        notices.append(Notice(key, person.telegram_id, text, person_id=person.id, priority=1))
    return notices


def announcement(t: Texts, card: SeminarView) -> str:
    """The published seminar as teachers first see it (the link comes with registration)."""
    lines = [t("seminar_new", title=card.title), t("seminar_when", when=when(card))]
    if card.description:
        lines.append(t("seminar_description", description=card.description))
    lines.append(t(f"format_{card.format}"))
    if card.place:
        lines.append(t("seminar_place", place=card.place))
    return "\n".join(lines)


def register_markup(t: Texts, seminar_id: int) -> dict[str, object]:
    """The "sign up" button under a queued announcement."""
    return stored(t, [[Button(Text("btn_register"), "seminar.register", (seminar_id,))]])
