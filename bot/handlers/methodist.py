"""`/overview`: registration coverage of the methodist's municipality, small groups hidden."""

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS
from bot.texts import Texts
from core.overview import Coverage, registration_coverage
from core.people import Viewer


async def cmd_overview(message: Message, session: AsyncSession, viewer: Viewer, t: Texts) -> None:
    assert viewer.municipality_id is not None
    coverage = await registration_coverage(session, viewer.municipality_id)
    await message.answer(render(t, coverage))


def render(t: Texts, coverage: Coverage) -> str:
    if not coverage.schools:
        return t("overview_empty")
    hidden = t("overview_suppressed", minimum=coverage.minimum)

    def count(value: int | None) -> str:
        return hidden if value is None else str(value)

    lines = [
        t("overview_title"),
        t("overview_total", registered=count(coverage.registered), roster=coverage.roster),
        "",
    ]
    lines += [
        t("overview_row", school=s.school, registered=count(s.registered), roster=s.roster)
        for s in coverage.schools
    ]
    lines += ["", t("overview_note", minimum=coverage.minimum)]
    return "\n".join(lines)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(
        cmd_overview, Command("overview"), flags=COMMANDS["overview"].rule.flags
    )
    return router
