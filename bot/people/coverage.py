"""`/overview`: registration coverage of the methodist's municipality, small groups hidden."""

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS
from core.config import Settings
from core.people.coverage import Coverage, registration_coverage
from core.people.viewer import Viewer
from core.texts import Texts


async def cmd_overview(
    message: Message, session: AsyncSession, viewer: Viewer, t: Texts, settings: Settings
) -> None:
    assert viewer.municipality_id is not None
    coverage = await registration_coverage(
        session, viewer.municipality_id, settings.min_group_size
    )
    await message.answer(render(t, coverage))


def render(t: Texts, coverage: Coverage) -> str:
    if not coverage.schools:
        return t("overview_empty")
    minimum = coverage.minimum
    if coverage.registered is None:
        total = t("overview_total_hidden", minimum=minimum, roster=coverage.roster)
    else:
        total = t("overview_total", registered=coverage.registered, roster=coverage.roster)
    lines = [t("overview_title"), total, ""]
    for s in coverage.schools:
        if s.registered is None:
            lines.append(
                t("overview_row_hidden", school=s.school, minimum=minimum, roster=s.roster)
            )
        else:
            lines.append(
                t("overview_row", school=s.school, registered=s.registered, roster=s.roster)
            )
    lines += ["", t("overview_note", minimum=minimum)]
    return "\n".join(lines)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(
        cmd_overview, Command("overview"), flags=COMMANDS["overview"].rule.flags
    )
    return router
