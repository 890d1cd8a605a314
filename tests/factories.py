"""Raw Telegram update dicts for tests, with sensible defaults."""

import time
from typing import Any

from tests.fake_telegram import SentMessage


def user(user_id: int, language: str = "ru", first_name: str = "Мария") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language}


def message(
    user_id: int, text: str, *, language: str = "ru", message_id: int = 1
) -> dict[str, Any]:
    """A private-chat text message from the user (commands get their entity, as Telegram does)."""
    data: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private"},
        "from": user(user_id, language),
        "text": text,
    }
    if text.startswith("/"):
        length = len(text.split()[0])
        data["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"message": data}


def document(user_id: int, file_id: str, filename: str, caption: str) -> dict[str, Any]:
    """A file the user sends with a caption."""
    update = message(user_id, "")
    data = update["message"]
    del data["text"]
    data["caption"] = caption
    data["document"] = {"file_id": file_id, "file_unique_id": file_id, "file_name": filename}
    return update


def sticker(user_id: int) -> dict[str, Any]:
    return {
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": user(user_id),
            "sticker": {
                "file_id": "s",
                "file_unique_id": "s",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            },
        }
    }


def callback(
    user_id: int, sent: SentMessage, message_json: dict[str, Any], data: str, language: str = "ru"
) -> dict[str, Any]:
    """The user pressing an inline button of a message the bot sent."""
    return {
        "callback_query": {
            "id": f"cb{user_id}{sent.message_id}{time.monotonic_ns()}",
            "from": user(user_id, language),
            "chat_instance": str(user_id),
            "message": message_json,
            "data": data,
        }
    }


def my_chat_member(user_id: int, new_status: str) -> dict[str, Any]:
    """The person blocked ("kicked") or unblocked ("member") the bot in their private chat."""
    old_status = "member" if new_status == "kicked" else "kicked"
    bot = {"id": 42, "is_bot": True, "first_name": "PedPulse"}
    return {
        "my_chat_member": {
            "chat": {"id": user_id, "type": "private"},
            "from": user(user_id),
            "date": int(time.time()),
            "old_chat_member": {"status": old_status, "user": bot, **_until(old_status)},
            "new_chat_member": {"status": new_status, "user": bot, **_until(new_status)},
        }
    }


def _until(status: str) -> dict[str, Any]:
    return {"until_date": 0} if status == "kicked" else {}
