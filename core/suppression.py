"""Small-group suppression for every count a methodist sees, in one place.

The rule: a count of people from 1 to `minimum - 1` is hidden, and so is everything about a
group of fewer than `minimum` people ("0 of 2 answered" tells about both). The total of a
table stays visible when it is large enough, so a lone hidden cell would be the total minus
the others: a second cell is then hidden with it (complementary suppression), in each column.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K")


def suppress(
    counts: Mapping[K, int], minimum: int, always: Collection[K] = ()
) -> dict[K, int | None]:
    """Hide counts 1..minimum-1 and the cells in `always` (None); if one cell alone is hidden,
    hide the next smallest too.

    The total over all cells stays visible, so a lone hidden cell could be recovered as the
    total minus the others: the second hidden cell prevents that, even when it is a zero.
    """
    shown: dict[K, int | None] = {
        key: None if 0 < count < minimum or key in always else count
        for key, count in counts.items()
    }
    hidden = [key for key, value in shown.items() if value is None]
    if len(hidden) == 1:
        candidates = sorted(
            (count, index)
            for index, (key, count) in enumerate(counts.items())
            if shown[key] is not None
        )
        if candidates:
            keys = list(counts)
            shown[keys[candidates[0][1]]] = None
    return shown


def count(value: int, minimum: int) -> int | None:
    """One count of people on its own: hidden (None) from 1 to minimum - 1."""
    return None if 0 < value < minimum else value


@dataclass(frozen=True)
class Share:
    """`part` of `whole` as shown; None: hidden."""

    part: int | None
    whole: int | None


@dataclass(frozen=True)
class ShareTable(Generic[K]):
    rows: dict[K, Share]
    total: Share
    minimum: int


def share_table(
    rows: Mapping[K, tuple[int, int]], minimum: int, whole_public: bool = False
) -> ShareTable[K]:
    """Parts of wholes per group (answered of invited, registered of the roster) and their
    total, with every small count and every small group hidden.

    `whole_public`: the wholes are public figures (the roster's headcount), never hidden.
    """
    wholes = {key: whole for key, (_, whole) in rows.items()}
    shown_wholes: dict[K, int | None] = dict(wholes.items())
    if not whole_public:
        shown_wholes = suppress(wholes, minimum)
    hidden_groups = {k for k, w in shown_wholes.items() if w is None}
    parts = suppress({k: part for k, (part, _) in rows.items()}, minimum, hidden_groups)
    part_total = sum(part for part, _ in rows.values())
    whole_total = sum(wholes.values())
    total_hidden = not whole_public and 0 < whole_total < minimum
    return ShareTable(
        {key: Share(parts[key], shown_wholes[key]) for key in rows},
        Share(
            None if total_hidden else count(part_total, minimum),
            None if total_hidden else whole_total,
        ),
        minimum,
    )
