"""The mentoring buttons of mentors' own profiles (volunteering, confirmation, pause): acts of
`MentoringCallback` and the services they call, merged into the mentoring router's table."""

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.mentoring.callbacks import MentoringCallback
from core.forms import Context
from core.screens import Screen

Action = Callable[[AsyncSession, int, MentoringCallback, Context], Awaitable[Screen]]

MENTOR_ACTIONS: dict[str, Action] = {}
