"""Who receives a notification: the audience selector shared by announcements and seminars."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.choices import Option
from core.errors import StaleAction
from core.models import Person, PersonRole, PersonSubject, Role, School, SchoolSubject, Subject
from core.validation import YOUNG_AGE, YOUNG_YEARS


class AudienceKind(StrEnum):
    ALL = "all"  # every teacher of the municipality
    SCHOOLS = "schools"
    SUBJECTS = "subjects"
    YOUNG = "young"
    MENTORS = "mentors"
    EVERYONE = "everyone"  # teachers and staff (methodists, admins) alike


@dataclass(frozen=True)
class Audience:
    """A municipality-wide group of teachers (staff too only for EVERYONE); `ids` are
    schools or subjects for those kinds. The author is never among the recipients."""

    kind: AudienceKind = AudienceKind.ALL
    ids: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "ids": list(self.ids)}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> "Audience | None":
        """The stored audience; None when nobody chose one (then nobody receives anything)."""
        if not data:
            return None
        return cls(AudienceKind(data["kind"]), tuple(int(i) for i in data.get("ids", [])))

    @classmethod
    def chosen(cls, data: dict[str, Any] | None) -> "Audience":
        """The stored audience, which a step needs chosen already (StaleAction otherwise)."""
        audience = cls.from_json(data)
        if audience is None:
            raise StaleAction()
        return audience

    @property
    def needs_choice(self) -> bool:
        return self.kind in (AudienceKind.SCHOOLS, AudienceKind.SUBJECTS)

    def toggled(self, item: int, selected: bool) -> "Audience":
        """The same audience with `item` chosen or not (repeating a press changes nothing)."""
        ids = [i for i in self.ids if i != item] + ([item] if selected else [])
        return Audience(self.kind, tuple(sorted(ids)))


@dataclass(frozen=True)
class Recipient:
    person_id: int
    chat_id: int
    language: str
    school_id: int | None


def _query(
    municipality_id: int, audience: Audience, this_year: int, author_id: int | None
) -> Select[int, int, str, int | None]:
    query = select(Person.id, Person.telegram_id, Person.language, Person.school_id).where(
        Person.municipality_id == municipality_id,
        Person.registered_at.is_not(None),
        Person.active.is_(True),
    )
    if author_id is not None:
        query = query.where(Person.id != author_id)
    if audience.kind not in (AudienceKind.EVERYONE, AudienceKind.MENTORS):
        teachers = select(PersonRole.person_id).where(PersonRole.role == Role.TEACHER)
        query = query.where(Person.id.in_(teachers))
    if audience.kind == AudienceKind.SCHOOLS:
        query = query.where(Person.school_id.in_(audience.ids))
    elif audience.kind == AudienceKind.SUBJECTS:
        teaches = select(PersonSubject.person_id).where(PersonSubject.subject_id.in_(audience.ids))
        query = query.where(Person.id.in_(teaches))
    elif audience.kind == AudienceKind.YOUNG:
        query = query.where(
            or_(
                Person.started_year > this_year - YOUNG_YEARS,
                Person.birth_year > this_year - YOUNG_AGE,
            )
        )
    elif audience.kind == AudienceKind.MENTORS:
        mentors = select(PersonRole.person_id).where(PersonRole.role == Role.MENTOR)
        query = query.where(Person.id.in_(mentors))
    return query.order_by(Person.id)


async def recipients(
    session: AsyncSession,
    municipality_id: int,
    audience: Audience | None,
    this_year: int,
    author_id: int | None = None,
) -> list[Recipient]:
    """Registered, active people of the municipality in the audience, but its author;
    nobody when no audience was chosen."""
    if audience is None:
        return []
    rows = await session.execute(_query(municipality_id, audience, this_year, author_id))
    return [Recipient(*row) for row in rows]


async def choices(session: AsyncSession, municipality_id: int, audience: Audience) -> list[Option]:
    """The schools or subjects of the municipality to pick from, marking the chosen ones."""
    if audience.kind == AudienceKind.SCHOOLS:
        query = (
            select(School.id, School.name)
            .where(School.municipality_id == municipality_id)
            .order_by(School.name)
        )
    else:
        query = (
            select(Subject.id, Subject.name)
            .join(SchoolSubject, SchoolSubject.subject_id == Subject.id)
            .join(School, School.id == SchoolSubject.school_id)
            .where(School.municipality_id == municipality_id)
            .distinct()
            .order_by(Subject.name)
        )
    rows = await session.execute(query)
    return [Option(i, name, i in audience.ids) for i, name in rows]


@dataclass(frozen=True)
class PersonFacts:
    school_id: int | None
    subject_ids: frozenset[int]
    young: bool
    roles: frozenset[str]


def includes(audience: Audience | None, person: PersonFacts) -> bool:
    """Whether a seminar aimed at `audience` concerns the person, for listing (everyone sees
    what was aimed at all teachers or at nobody in particular, staff included)."""
    if audience is None:
        return True
    if audience.kind == AudienceKind.SCHOOLS:
        return person.school_id in audience.ids
    if audience.kind == AudienceKind.SUBJECTS:
        return bool(person.subject_ids & set(audience.ids))
    if audience.kind == AudienceKind.YOUNG:
        return person.young
    if audience.kind == AudienceKind.MENTORS:
        return Role.MENTOR in person.roles
    return True
