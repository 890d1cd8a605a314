"""`/mydata` (see and download everything stored) and `/forget` (delete it)."""

import json
from collections.abc import Callable
from datetime import datetime

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import ForgetCallback
from bot.commands import COMMANDS, CONSENTED, set_person_menu
from bot.people.views import profile_text
from bot.ui import keyboards
from bot.ui.render import edit_or_send
from core import privacy
from core.people.viewer import Viewer
from core.texts import Texts

Clock = Callable[[], datetime]


async def cmd_mydata(
    message: Message, session: AsyncSession, viewer: Viewer, t: Texts, clock: Clock
) -> None:
    assert viewer.person_id is not None
    export = await privacy.export_data(session, viewer.person_id, clock().year)
    await message.answer(f"{t('mydata_title')}\n\n{profile_text(t, export.profile)}")
    payload = json.dumps(export.record, ensure_ascii=False, indent=2).encode("utf-8")
    document = BufferedInputFile(payload, filename="pedpulse-my-data.json")
    await message.answer_document(document, caption=t("mydata_file"))


async def cmd_forget(message: Message, t: Texts) -> None:
    await message.answer(t("forget_confirm"), reply_markup=keyboards.forget(t))


async def on_forget(
    callback: CallbackQuery,
    callback_data: ForgetCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    bot: Bot,
) -> None:
    assert viewer.person_id is not None
    await callback.answer()
    if not callback_data.confirm:
        await edit_or_send(callback, t("forget_cancelled"))
        return
    await privacy.forget(session, viewer.person_id)
    await edit_or_send(callback, t("forget_done"))
    await set_person_menu(bot, viewer.telegram_id, frozenset(), False, t)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_mydata, Command("mydata"), flags=COMMANDS["mydata"].rule.flags)
    router.message.register(cmd_forget, Command("forget"), flags=COMMANDS["forget"].rule.flags)
    router.callback_query.register(on_forget, ForgetCallback.filter(), flags=CONSENTED.flags)
    return router
