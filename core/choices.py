"""Choices offered on buttons: an option, and pages of a long list."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
PAGE_SIZE = 20


@dataclass(frozen=True)
class Option:
    id: int
    label: str
    selected: bool = False


@dataclass(frozen=True)
class Page:
    number: int
    count: int


def paginate(items: Sequence[T], number: int, size: int = PAGE_SIZE) -> tuple[Sequence[T], Page]:
    """The slice of `items` on page `number` (clamped to the existing pages)."""
    count = max(1, -(-len(items) // size))
    number = min(max(number, 0), count - 1)
    return items[number * size : (number + 1) * size], Page(number, count)
