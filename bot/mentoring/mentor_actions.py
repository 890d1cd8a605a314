"""The mentoring buttons of mentors' own profiles (volunteering, confirmation, pause): acts of
`MentoringCallback` and the services they call, merged into the mentoring router's table."""

from collections.abc import Awaitable, Callable

from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.mentoring.callbacks import MentoringCallback
from bot.ui.buttons import view
from core.forms import Context
from core.mentoring import mentors
from core.screens import Screen
from core.texts import Texts

Action = Callable[[AsyncSession, int, MentoringCallback, Context], Awaitable[Screen]]

MENTOR_ACTIONS: dict[str, Action] = {
    "volunteer": lambda s, me, d, c: mentors.volunteer(s, me, c),
    "vconfirm": lambda s, me, d, c: mentors.confirm(s, me, d.id, c),
    "vreject": lambda s, me, d, c: mentors.reject(s, me, d.id, c),
    "mprofile": lambda s, me, d, c: mentors.show(s, me, c),
    "pause": lambda s, me, d, c: mentors.pause(s, me, d.value, c),
}


async def answer_profile_entry(message: Message, session: AsyncSession, me: int, t: Texts) -> None:
    """The last message of /mentees: places taken, the pause, «⚙️ Профиль наставника»."""
    text, markup = view(t, await mentors.entry(session, me))
    await message.answer(text, reply_markup=markup)
