"""Small-group suppression for anything a methodist sees, with complementary suppression."""

from collections.abc import Collection, Mapping
from typing import TypeVar

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
