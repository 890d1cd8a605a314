"""`/mydata` (see and download everything stored) and `/forget` (delete it)."""

import json
from datetime import datetime

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import COMMANDS, CONSENTED, set_person_menu
from bot.people.callbacks import ForgetCallback
from bot.ui import keyboards
from bot.ui.render import edit_or_send
from core import privacy
from core.forms import Context
from core.people.profile import profile_lines
from core.people.viewer import Viewer
from core.screens import BLANK, Screen, Text, lines_of
from core.texts import Texts


async def cmd_mydata(
    message: Message, session: AsyncSession, me: int, t: Texts, now: datetime
) -> None:
    export = await privacy.export_data(session, me, now.year)
    lines = [Text("mydata_title"), BLANK, *profile_lines(export.profile)]
    await message.answer(lines_of(t, Screen(tuple(lines))))
    payload = json.dumps(export.record, ensure_ascii=False, indent=2).encode("utf-8")
    document = BufferedInputFile(payload, filename="pedpulse-my-data.json")
    await message.answer_document(document, caption=t("mydata_file"))


async def cmd_forget(message: Message, t: Texts) -> None:
    await message.answer(t("forget_confirm"), reply_markup=keyboards.forget(t))


async def on_forget(
    callback: CallbackQuery,
    callback_data: ForgetCallback,
    session: AsyncSession,
    me: int,
    viewer: Viewer,
    t: Texts,
    bot: Bot,
    ctx: Context,
) -> None:
    await callback.answer()
    if not callback_data.confirm:
        await edit_or_send(callback, t("forget_cancelled"))
        return
    await privacy.forget(session, me, ctx)
    await edit_or_send(callback, t("forget_done"))
    await set_person_menu(bot, viewer.telegram_id, frozenset(), False, t)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_mydata, Command("mydata"), flags=COMMANDS["mydata"].rule.flags)
    router.message.register(cmd_forget, Command("forget"), flags=COMMANDS["forget"].rule.flags)
    router.callback_query.register(on_forget, ForgetCallback.filter(), flags=CONSENTED.flags)
    return router
