"""Every form on the engine (core.forms), in the chat: its buttons and the text it awaits."""

from typing import Any

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import CONSENTED, is_command
from bot.filters import Magic
from bot.ui.buttons import view
from bot.ui.callbacks import FormCallback
from bot.ui.render import edit_or_send
from core import forms as engine
from core.domains import NAMES
from core.errors import InvalidInput
from core.forms import Act, Context, Form, Press
from core.people.viewer import Viewer
from core.texts import Texts

Forms = dict[str, Form[Any]]


async def typing(message: Message, viewer: Viewer, forms: Forms) -> bool:
    """Text now belongs to a form (a command never does)."""
    pending = viewer.pending
    return pending is not None and pending.form in forms and not is_command(message)


async def on_text(
    message: Message, session: AsyncSession, me: int, t: Texts, forms: Forms, ctx: Context
) -> None:
    try:
        screen = await engine.typed(session, me, message.text or "", forms, ctx)
    except InvalidInput as exc:
        await message.answer(t(exc.code, **exc.details))
        screen = await engine.current(session, me, forms, ctx)
    text, markup = view(t, screen)
    await message.answer(text, reply_markup=markup)


async def on_press(
    callback: CallbackQuery,
    callback_data: FormCallback,
    session: AsyncSession,
    me: int,
    t: Texts,
    forms: Forms,
    ctx: Context,
) -> None:
    data = callback_data
    if data.act not in {str(act) for act in Act} or data.form not in NAMES:
        await callback.answer(t("stale"))
        return
    name = NAMES[data.form]
    press = Press(name, data.target, Act(data.act), data.field, data.value, data.key)
    screen = await engine.pressed(session, me, press, forms, ctx)
    await callback.answer()
    text, markup = view(t, screen)
    await edit_or_send(callback, text, markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_text, typing, Magic(F.text), flags=CONSENTED.flags)
    router.callback_query.register(on_press, FormCallback.filter(), flags=CONSENTED.flags)
    return router
