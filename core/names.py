"""How names people type are compared: case, quote style, dashes, ё and spacing do not matter.

«СОШ № 1», "сош №1" and „СОШ № 1“ are one school; a roster, a seminar plan and a command
line that spell it differently still find it. Compared in Python: SQLite's lower() folds
ASCII only, and the names are Cyrillic.
"""

import re

_SAME = str.maketrans({**dict.fromkeys("«»„“”‟″‘’‚‛`'", '"'), **dict.fromkeys("‐‑‒–—―", "-")})
_NUMBER_SIGN = re.compile(r"№\s*")


def name_key(text: str) -> str:
    """The form two names are compared in; equal keys name the same thing."""
    folded = text.translate(_SAME).casefold().replace("ё", "е")
    return " ".join(_NUMBER_SIGN.sub("№ ", folded).split())
