"""The SQL cost of one answered questionnaire item, counted on the engine: a bound, not a timing.

Each press of an answer button loads the person (with their roles) once, reads the
response with its answers (and what decides whether it still takes answers) in one statement,
and writes the answer without reading it first.
"""

import re
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.e2e.conftest import Harness
from tests.e2e.test_announce import _town
from tests.e2e.test_campaigns import launch_cbi_for_everyone
from tests.e2e.test_onboarding import TEACHER, register_teacher

pytestmark = pytest.mark.e2e
OFTEN = "Часто"
PER_PRESS = 3  # the person with their roles, the response with its answers, the upsert


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements run on `engine` inside the block (their text only)."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def _own_cbi(h: Harness) -> int:
    await register_teacher(h)
    await h.send(TEACHER, "/surveys")
    await h.press(TEACHER, "Профессиональное самочувствие (риск выгорания, CBI)")
    return TEACHER


async def _campaign_cbi(h: Harness) -> int:
    """A campaign's response: whether the campaign is still open is read with it."""
    await _town(h)
    await launch_cbi_for_everyone(h)
    await h.press(501, "📝 Пройти анкету")
    return 501


@pytest.mark.parametrize("begin", [_own_cbi, _campaign_cbi], ids=["own", "campaign"])
async def test_one_answered_item_costs_a_few_statements(
    harness: Harness, begin: Callable[[Harness], Awaitable[int]]
) -> None:
    h = harness
    teacher = await begin(h)
    await h.press(teacher, OFTEN)  # warm: the first answer
    engine = h.sessionmaker.kw["bind"]
    presses = 5
    with counted(engine) as statements:
        for _ in range(presses):
            await h.press(teacher, OFTEN)
    assert f"{presses + 2} / 19" in h.last_text(teacher)
    person_loads = [s for s in statements if re.search(r"FROM person\b", s)]
    assert len(person_loads) <= presses, "\n".join(statements)
    assert len(statements) <= PER_PRESS * presses, "\n".join(statements)
