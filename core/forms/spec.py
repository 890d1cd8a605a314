"""A form's spec: its fields, what its buttons do, and the hooks a form fills in."""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from core.audience import Audience
from core.errors import StaleAction
from core.messaging.outbox import Notice
from core.models import Person
from core.screens import Button, Localized, Screen, Text

SUMMARY = "summary"  # the field "asked" when the whole draft is shown to check
CHECK = "✅ "
D = TypeVar("D")


class Kind(StrEnum):
    TEXT = "text"  # typed
    CHOICE = "choice"  # one button
    MULTI = "multi"  # buttons to tick and untick, then «Готово»
    AUDIENCE = "audience"  # who receives it: a kind, then schools or subjects to tick


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    typed: bool = False  # a button field that also takes typed text (a year, a date)


class Act(StrEnum):
    """What a form's button does (the adapter packs it with the form, target and field)."""

    CHOOSE = "c"  # the value or key of the field asked
    TICK = "t"  # value +id to tick, -id to untick: a repeated press changes nothing
    DONE = "d"  # finish the field being ticked
    KIND = "k"  # value: the index of an AudienceKind
    PAGE = "p"  # value: a page of long options
    EDIT = "e"  # ask this field again from the summary
    BACK = "b"  # leave a correction unchanged


@dataclass(frozen=True)
class Press:
    """A pressed form button, as the adapter unpacked it."""

    form: str
    target: int  # the draft (0: none, the profile)
    act: Act
    field: int  # the index of the field in the form's spec
    value: int = 0
    key: str = ""


@dataclass(frozen=True)
class Context:
    """What forms need besides the session: the time, the catalogues, the instruments."""

    now: datetime
    catalogues: Mapping[str, Any]
    instruments: Mapping[str, Any]


class Form(ABC, Generic[D]):
    """A form's spec; subclasses name their fields and fill in the hooks they use."""

    name: ClassVar[str]
    code: ClassVar[str]  # one letter: how a button names the form (callbacks are short)
    fields: ClassVar[tuple[Field, ...]]

    @abstractmethod
    async def load(self, session: AsyncSession, person: Person, target: int | None) -> D:
        """The person's draft (StaleAction when it is gone or not theirs)."""

    def target(self, draft: D) -> int | None:
        return getattr(draft, "id", None)

    def needed(self, draft: D, field: str, ctx: Context) -> bool:
        return True

    async def typed(
        self, session: AsyncSession, draft: D, field: str, text: str, ctx: Context
    ) -> None:
        raise StaleAction()

    async def chosen(
        self, session: AsyncSession, draft: D, field: str, value: int, key: str, ctx: Context
    ) -> None:
        raise StaleAction()

    async def ticked(
        self, session: AsyncSession, draft: D, field: str, item: int, on: bool
    ) -> None:
        raise StaleAction()

    async def finished(self, session: AsyncSession, draft: D, field: str) -> None:
        """A ticked field is done (InvalidInput to refuse, e.g. no subject)."""

    @abstractmethod
    async def ask(
        self, session: AsyncSession, draft: D, field: str, step: "Step", ctx: Context
    ) -> Screen:
        """The question of one field, with its buttons (`step.buttons` makes them)."""

    @abstractmethod
    async def summary(self, session: AsyncSession, draft: D, step: "Step", ctx: Context) -> Screen:
        """The whole draft to check, with a button per field to correct."""

    def editable(self, draft: D, field: str, ctx: Context) -> bool:
        """Whether the summary may ask this field again (by default: when it is needed)."""
        return self.needed(draft, field, ctx)

    def resting(self, draft: D) -> bool:
        """Whether the summary awaits nothing (a registered person's profile)."""
        return False

    def after_edit(self, draft: D) -> str | None:
        """A field that must be asked after a correction (a deadline a later opening cleared)."""
        return None

    async def changed(
        self, session: AsyncSession, person: Person, draft: D, field: str, ctx: Context
    ) -> list[Notice]:
        """Notices about a changed field (people signed up to a published seminar)."""
        return []

    def audience_place(self, draft: D) -> tuple[dict[str, Any] | None, int]:
        """For an AUDIENCE field: the draft's stored audience and its municipality."""
        raise StaleAction()

    def set_audience(self, draft: D, audience: Audience) -> None:
        raise StaleAction()


@dataclass(frozen=True)
class Step:
    """Where a form stands, and how its buttons are made (a field travels as its index)."""

    form: str
    code: str
    names: tuple[str, ...]  # the form's fields, in order
    target: int
    field: str
    edit: bool
    page: int = 0

    def button(
        self,
        label: Text | str | Localized,
        act: Act,
        field: str = "",
        value: int = 0,
        key: str = "",
    ) -> Button:
        name = field or self.field
        index = self.names.index(name) if name in self.names else -1
        return Button(label, "form", (self.code, self.target, str(act), index, value, key))
