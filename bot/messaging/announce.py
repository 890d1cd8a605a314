"""`/announce`: a methodist writes a message, picks the audience, previews and sends it."""

from collections.abc import Callable
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import AnnounceAction, AnnounceCallback
from bot.commands import COMMANDS, METHODISTS, is_command
from bot.ui import keyboards
from bot.ui.render import edit_or_send, start_progress
from core import audience as audiences
from core.audience import AudienceKind
from core.messaging import announcements
from core.messaging.announcements import DraftView, NewAttachment
from core.messaging.sender import Sender
from core.people.viewer import Viewer
from core.texts import Texts

Clock = Callable[[], datetime]
AUDIENCE_KINDS = list(AudienceKind)


def writing(message: Message, viewer: Viewer) -> bool:
    return viewer.step == announcements.TEXT_STEP and not is_command(message)


async def cmd_announce(
    message: Message, session: AsyncSession, viewer: Viewer, t: Texts, clock: Clock
) -> None:
    assert viewer.person_id is not None
    await announcements.start(session, viewer.person_id, clock())
    await message.answer(t("announce_ask_text"))


async def on_content(
    message: Message, session: AsyncSession, viewer: Viewer, t: Texts, clock: Clock
) -> None:
    assert viewer.person_id is not None
    draft = await announcements.set_content(
        session,
        viewer.person_id,
        message.html_text if (message.text or message.caption) else "",
        _attachment(message),
        clock().year,
    )
    await message.answer(
        t("announce_pick_audience"), reply_markup=keyboards.audience_kinds(t, draft.id)
    )


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
    viewer: Viewer,
    t: Texts,
    clock: Clock,
) -> None:
    assert viewer.person_id is not None
    person, draft_id, year = viewer.person_id, callback_data.draft, clock().year
    action = callback_data.action
    if action == AnnounceAction.KIND:
        kind = AUDIENCE_KINDS[callback_data.value % len(AUDIENCE_KINDS)]
        draft = await announcements.choose_kind(session, person, draft_id, kind, year)
    elif action == AnnounceAction.ITEM:
        value = callback_data.value
        draft = await announcements.mark_item(
            session, person, draft_id, abs(value), value > 0, year
        )
    elif action == AnnounceAction.AUDIENCE:
        draft = await announcements.view(session, person, draft_id, year)
        await callback.answer()
        markup = keyboards.audience_kinds(t, draft.id)
        await edit_or_send(callback, t("announce_pick_audience"), markup)
        return
    elif action == AnnounceAction.TEXT:
        await announcements.edit_text(session, person, draft_id)
        await callback.answer()
        await edit_or_send(callback, t("announce_ask_text"))
        return
    elif action == AnnounceAction.CANCEL:
        await announcements.cancel(session, person, draft_id)
        await callback.answer()
        await edit_or_send(callback, t("announce_cancelled"))
        return
    else:
        draft = await announcements.view(session, person, draft_id, year)
    await callback.answer()
    await _show(callback, session, viewer, t, draft, chosen=action == AnnounceAction.CHOSEN)


async def _show(
    callback: CallbackQuery,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    draft: DraftView,
    chosen: bool,
) -> None:
    if draft.audience is not None and draft.audience.needs_choice and not chosen:
        assert viewer.municipality_id is not None
        options = await audiences.choices(session, viewer.municipality_id, draft.audience)
        text = t(f"announce_choose_{draft.audience.kind}")
        await edit_or_send(callback, text, keyboards.audience_items(t, draft.id, options))
        return
    await edit_or_send(callback, preview(t, draft), keyboards.announce_preview(t, draft.id))


def preview(t: Texts, draft: DraftView) -> str:
    audience = keyboards.audience_label(t, draft.audience)
    lines = [t("announce_preview"), "", draft.text or ""]
    if draft.attachment:
        lines.append(t(f"announce_with_{draft.attachment}"))
    lines += ["", t("announce_recipients", audience=audience, count=draft.recipients)]
    return "\n".join(lines)


async def on_send(
    callback: CallbackQuery,
    callback_data: AnnounceCallback,
    session: AsyncSession,
    viewer: Viewer,
    t: Texts,
    clock: Clock,
    bot: Bot,
    sender: Sender | None,
) -> None:
    assert viewer.person_id is not None
    launch = await announcements.launch(
        session, viewer.person_id, callback_data.draft, t.language, clock()
    )
    await callback.answer()
    await edit_or_send(callback, t("announce_launched", count=launch.total))
    await start_progress(bot, session, viewer, t, launch, sender)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(
        cmd_announce, Command("announce"), flags=COMMANDS["announce"].rule.flags
    )
    router.message.register(
        on_content, writing, F.text | F.caption | F.document | F.photo, flags=METHODISTS.flags
    )
    router.callback_query.register(
        on_send, AnnounceCallback.filter(F.action == AnnounceAction.SEND), flags=METHODISTS.flags
    )
    router.callback_query.register(on_action, AnnounceCallback.filter(), flags=METHODISTS.flags)
    return router
