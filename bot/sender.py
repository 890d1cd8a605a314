"""The Telegram side of the sender: outbox rows become Bot API calls, errors become outcomes."""

from aiogram import Bot
from aiogram.exceptions import (
    AiogramError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, InputFile, Message

from bot.ui.buttons import stored_keyboard
from core.logs import redact
from core.messaging.broadcast import Progress
from core.messaging.outbox import AttachmentRef, Outgoing
from core.messaging.transport import Rejected, RetryAfter, Sent, Transient, Unreachable
from core.texts import Texts

REQUEST_TIMEOUT = 20  # seconds; a slow answer is retried rather than holding a slot
UNREACHABLE = ("chat not found", "user is deactivated", "bot was blocked", "bot was kicked")
# an edit of a message too old, deleted, a file, or unchanged: nothing left to do
UNEDITABLE = (
    "can't be edited",
    "message to edit not found",
    "no text in the message",
    "message is not modified",
)


class TelegramTransport:
    """Implements core.messaging.sender.Transport with aiogram."""

    def __init__(
        self,
        bot: Bot,
        catalogues: dict[str, Texts],
        paid_broadcast: bool,
        request_timeout: int = REQUEST_TIMEOUT,
    ) -> None:
        self.bot = bot
        self.request_timeout = request_timeout
        self.catalogues = catalogues
        self.paid = True if paid_broadcast else None

    async def send(self, message: Outgoing) -> Sent:
        try:
            if message.copy_of is not None:
                return Sent(await self._copy(message, message.copy_of), None)
            sent = await self._call(message)
        except AiogramError as exc:  # TelegramAPIError too
            raise outcome(exc) from exc
        return Sent(sent.message_id, _file_id(sent))

    async def _copy(self, message: Outgoing, source: tuple[int, int]) -> int:
        """A relayed message: Telegram copies it; its content never passes through the outbox."""
        copied = await self.bot.copy_message(
            message.chat_id,
            source[0],
            source[1],
            reply_markup=stored_keyboard(message.markup) if message.markup else None,
            request_timeout=self.request_timeout,
        )
        return copied.message_id

    async def _call(self, message: Outgoing) -> Message:
        markup = stored_keyboard(message.markup) if message.markup else None
        if message.edit_message_id is not None:
            return await self._edit(message, markup)
        attachment = message.attachment
        if attachment is None:
            return await self.bot.send_message(
                message.chat_id,
                message.text or "",
                reply_markup=markup,
                allow_paid_broadcast=self.paid,
                request_timeout=self.request_timeout,
            )
        file = _input_file(attachment)
        if attachment.kind == "photo":
            return await self.bot.send_photo(
                message.chat_id,
                file,
                caption=message.text,
                reply_markup=markup,
                allow_paid_broadcast=self.paid,
                request_timeout=self.request_timeout,
            )
        return await self.bot.send_document(
            message.chat_id,
            file,
            caption=message.text,
            reply_markup=markup,
            allow_paid_broadcast=self.paid,
            request_timeout=self.request_timeout,
        )

    async def _edit(self, message: Outgoing, markup: InlineKeyboardMarkup | None) -> Message:
        """Edit an earlier message; one that cannot be edited any more is simply left."""
        assert message.edit_message_id is not None
        try:
            edited = await self.bot.edit_message_text(
                message.text or "",
                chat_id=message.chat_id,
                message_id=message.edit_message_id,
                reply_markup=markup,
                request_timeout=self.request_timeout,
            )
        except TelegramBadRequest as exc:
            if not any(reason in exc.message.lower() for reason in UNEDITABLE):
                raise
            edited = True
        if isinstance(edited, Message):
            return edited
        return _placeholder(message)

    async def show_progress(self, progress: Progress) -> None:
        if progress.message_id is None:
            return
        t = self.catalogues[progress.language]
        if progress.done:
            text = t(
                "progress_done",
                sent=progress.sent,
                total=progress.total,
                failed=progress.failed,
                blocked=progress.blocked,
            )
        else:
            text = t("progress", sent=progress.sent, total=progress.total)
        try:  # "message is not modified" is a success (bot.requests)
            await self.bot.edit_message_text(
                text, chat_id=progress.chat_id, message_id=progress.message_id
            )
        except AiogramError as exc:  # TelegramAPIError too
            raise outcome(exc) from exc


def outcome(exc: AiogramError) -> Exception:
    """Telegram's error as the sender's outcome (core.messaging.transport)."""
    if isinstance(exc, TelegramRetryAfter):
        return RetryAfter(exc.retry_after)
    if isinstance(exc, TelegramForbiddenError):
        return Unreachable(exc.message)
    if isinstance(exc, TelegramBadRequest):
        unreachable = any(reason in exc.message.lower() for reason in UNREACHABLE)
        return Unreachable(exc.message) if unreachable else Rejected(exc.message)
    return Transient(redact(str(exc)))  # 5xx, network, an undecodable answer


def _placeholder(message: Outgoing) -> Message:
    """What an edit that needed no new message returns: the edited message's id."""
    assert message.edit_message_id is not None
    return Message.model_validate(
        {
            "message_id": message.edit_message_id,
            "date": 0,
            "chat": {"id": message.chat_id, "type": "private"},
        }
    )


def _input_file(attachment: AttachmentRef) -> str | InputFile:
    if attachment.file_id is not None:
        return attachment.file_id
    return BufferedInputFile(attachment.data or b"", filename=attachment.filename or "file")


def _file_id(message: Message) -> str | None:
    if message.document is not None:
        return message.document.file_id
    if message.photo:
        return message.photo[-1].file_id
    return None
