"""`/seminar_new` and the seminar form's own buttons: publish the draft, or close the form
(the fields themselves run on the form engine: bot/ui/form.py)."""

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS, ORGANISERS
from bot.seminars.callbacks import SeminarDraftCallback
from bot.ui.buttons import view
from bot.ui.render import edit_or_send, start_progress
from core.forms import Context
from core.messaging.sender import Sender
from core.people.viewer import Viewer
from core.seminars import form as seminar_form
from core.seminars import publish as seminar_publish
from core.texts import Texts


async def cmd_seminar_new(
    message: Message, session: AsyncSession, me: int, t: Texts, ctx: Context
) -> None:
    text, markup = view(t, await seminar_form.start(session, me, ctx))
    await message.answer(text, reply_markup=markup)


async def on_draft(
    callback: CallbackQuery,
    callback_data: SeminarDraftCallback,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    ctx: Context,
    bot: Bot,
    sender: Sender | None,
) -> None:
    if not callback_data.publish:
        await seminar_publish.close(session, me, callback_data.id)
        await callback.answer()
        await edit_or_send(callback, t("semform_closed"))
        return
    published = await seminar_publish.publish(session, me, callback_data.id, t.language, ctx)
    await callback.answer()
    await edit_or_send(callback, t("seminar_published", count=published.total))
    await start_progress(bot, session, viewer, t, published, sender)


def build_router() -> Router:
    router = Router(name=__name__)
    rule = COMMANDS["seminar_new"].rule
    router.message.register(cmd_seminar_new, Command("seminar_new"), flags=rule.flags)
    router.callback_query.register(on_draft, SeminarDraftCallback.filter(), flags=ORGANISERS.flags)
    return router
