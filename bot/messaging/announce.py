"""`/announce`: a methodist writes a message, picks the audience, previews and sends it."""

from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS, METHODISTS, is_command
from bot.filters import Magic
from bot.messaging.callbacks import AnnounceCallback
from bot.ui.buttons import view
from bot.ui.render import edit_or_send, start_progress
from core.errors import InvalidInput
from core.forms import Context, Form, current
from core.messaging import announcements
from core.messaging.announcements import NewAttachment
from core.messaging.sender import Sender
from core.people.viewer import Viewer
from core.texts import Texts


async def writing(message: Message, viewer: Viewer) -> bool:
    pending = viewer.pending
    awaited = pending is not None and (pending.form, pending.field) == ("announce", "text")
    return awaited and not is_command(message)


async def cmd_announce(
    message: Message, session: AsyncSession, me: int, t: Texts, ctx: Context
) -> None:
    text, markup = view(t, await announcements.start(session, me, ctx))
    await message.answer(text, reply_markup=markup)


async def on_content(
    message: Message,
    session: AsyncSession,
    me: int,
    t: Texts,
    ctx: Context,
    forms: dict[str, Form[Any]],
) -> None:
    html = message.html_text if (message.text or message.caption) else ""
    try:
        screen = await announcements.set_content(
            session, me, html, _attachment(message), forms, ctx
        )
    except InvalidInput as exc:
        await message.answer(t(exc.code, **exc.details))
        screen = await current(session, me, forms, ctx)
    text, markup = view(t, screen)
    await message.answer(text, reply_markup=markup)


def _attachment(message: Message) -> NewAttachment | None:
    if message.document is not None:
        return NewAttachment("document", message.document.file_id, message.document.file_name)
    if message.photo:
        return NewAttachment("photo", message.photo[-1].file_id, None)
    return None


async def on_action(
    callback: CallbackQuery,
    callback_data: AnnounceCallback,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    ctx: Context,
    bot: Bot,
    sender: Sender | None,
) -> None:
    if not callback_data.send:
        await announcements.cancel(session, me, callback_data.draft)
        await callback.answer()
        await edit_or_send(callback, t("announce_cancelled"))
        return
    launch = await announcements.launch(session, me, callback_data.draft, t.language, ctx)
    await callback.answer()
    await edit_or_send(callback, t("announce_launched", count=launch.total))
    await start_progress(bot, session, viewer, t, launch, sender)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(
        cmd_announce, Command("announce"), flags=COMMANDS["announce"].rule.flags
    )
    router.message.register(
        on_content,
        writing,
        Magic(F.text | F.caption | F.document | F.photo),
        flags=METHODISTS.flags,
    )
    router.callback_query.register(on_action, AnnounceCallback.filter(), flags=METHODISTS.flags)
    return router
