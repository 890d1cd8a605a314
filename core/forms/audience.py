"""The audience field every form shares: who receives it, asked the same way everywhere."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core import audience as audiences
from core.audience import Audience, AudienceKind
from core.forms.spec import CHECK, Act, Step
from core.screens import Button, Screen, Text


async def audience_question(
    session: AsyncSession,
    step: Step,
    stored: dict[str, Any] | None,
    municipality_id: int,
    key: str,
) -> Screen:
    """The audience field asked: its kinds, or the schools or subjects of the kind chosen."""
    audience = Audience.from_json(stored)
    rows: list[tuple[Button, ...]] = []
    if audience is not None and audience.needs_choice:
        options = await audiences.choices(session, municipality_id, audience)
        rows += [
            (
                step.button(
                    _ticked(o.label, o.selected), Act.TICK, value=-o.id if o.selected else o.id
                ),
            )
            for o in options
        ]
        rows.append((step.button(Text("btn_done"), Act.DONE),))
        lines: tuple[Text, ...] = (Text(f"announce_choose_{audience.kind}"),)
    else:
        rows += [
            (step.button(Text(f"audience_{kind}"), Act.KIND, value=index),)
            for index, kind in enumerate(AudienceKind)
        ]
        lines = (Text(key),)
    if step.edit:
        rows.append((step.button(Text("btn_cancel"), Act.BACK),))
    return Screen(lines, tuple(rows))


def _ticked(label: str, selected: bool) -> str:
    return CHECK + label if selected else label


def ticked(label: Text, selected: bool) -> Text:
    """A label with the tick mark when chosen."""
    return Text("ticked", {"label": label}) if selected else label


def audience_label(audience: Audience | None) -> Text:
    """The audience as a summary names it: its kind, and how many schools or subjects."""
    if audience is None:
        return Text("audience_none")
    if audience.needs_choice:
        kind = Text(f"audience_{audience.kind}")
        return Text("audience_counted", {"kind": kind, "count": len(audience.ids)})
    return Text(f"audience_{audience.kind}")
