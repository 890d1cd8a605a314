"""`my_chat_member`: a person blocking the bot turns inactive; unblocking reactivates them."""

from aiogram import F, Router
from aiogram.filters import KICKED, MEMBER, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import Magic
from core.people import viewer as people


async def on_blocked(event: ChatMemberUpdated, session: AsyncSession) -> None:
    await people.set_active(session, event.from_user.id, False)


async def on_unblocked(event: ChatMemberUpdated, session: AsyncSession) -> None:
    await people.set_active(session, event.from_user.id, True)


def build_router() -> Router:
    router = Router(name=__name__)
    router.my_chat_member.filter(Magic(F.chat.type == "private"))
    router.my_chat_member.register(
        on_blocked, ChatMemberUpdatedFilter(member_status_changed=KICKED)
    )
    router.my_chat_member.register(
        on_unblocked, ChatMemberUpdatedFilter(member_status_changed=MEMBER)
    )
    return router
