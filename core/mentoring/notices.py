"""Mentoring's messages to people other than the one pressing: screens made into outbox
notices in each recipient's language."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.messaging.outbox import Notice
from core.models import Person, PersonRole, Role
from core.screens import Screen, lines_of, stored
from core.texts import Texts


def first_name(full_name: str | None) -> str:
    """The given name of «Фамилия Имя Отчество» (a single word is taken as it is)."""
    words = (full_name or "").split()
    return words[1] if len(words) > 1 else (words[0] if words else "—")


def notice(
    key: str,
    person: Person,
    shown: Screen,
    catalogues: Mapping[str, Texts],
    **extra: Any,
) -> Notice:
    t = catalogues[person.language]
    markup = stored(t, shown.rows) if shown.rows else None
    return Notice(
        key,
        person.telegram_id,
        lines_of(t, shown),
        markup=markup,
        person_id=person.id,
        priority=1,
        **extra,
    )


async def methodists(session: AsyncSession, municipality_id: int) -> list[Person]:
    found = await session.scalars(
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(
            PersonRole.role == Role.METHODIST,
            Person.municipality_id == municipality_id,
            Person.active.is_(True),
        )
        .order_by(Person.id)
    )
    return list(found)
