"""A fake Telegram Bot API HTTP server on 127.0.0.1 that the real aiogram Bot talks to.

It keeps each chat as the user would see it (messages, edits, deletions, files), records every
call with a timestamp, lets a test act as a user (push updates, press buttons), and injects
faults on demand (429 with retry_after, 403, 400, 500, slow answers). Unknown methods get 404,
as from Telegram.
"""

import asyncio
import html
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from aiohttp import web

JSON_FIELDS = {
    "reply_markup",
    "scope",
    "commands",
    "entities",
    "allowed_updates",
    "link_preview_options",
    "caption_entities",
    "reply_parameters",
}
BOT_ID = 42
HTML_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def visible_text(text: str, parse_mode: str | None) -> str:
    """What the person sees; raises ValueError where Telegram answers "can't parse entities"."""
    if parse_mode != "HTML":
        return text
    for match in _TAG.finditer(text):
        if match.group(1).lower() not in HTML_TAGS:
            raise ValueError(f"unsupported start tag {match.group(1)!r}")
    stripped = _TAG.sub("", text)
    if "<" in stripped or ">" in stripped:
        raise ValueError("unexpected < or > outside a tag")
    if "&" in _ENTITY.sub("", stripped):
        raise ValueError("unsupported HTML entity")
    return html.unescape(stripped)


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    at: float  # time.monotonic() when the request arrived
    status: int = 0  # the HTTP status answered (0 while still being handled)


@dataclass
class SentMessage:
    chat_id: int
    message_id: int
    text: str | None = None
    reply_markup: dict[str, Any] | None = None
    document: bytes | None = None
    filename: str | None = None
    caption: str | None = None
    photo: bytes | None = None
    deleted: bool = False

    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button_texts(self) -> list[str]:
        return [button["text"] for button in self.buttons()]


@dataclass
class Fault:
    method: str
    status: int | None
    description: str
    retry_after: int | None
    delay: float
    chat_id: int | None
    times: int
    drop: bool = False
    until: float | None = None  # active until this monotonic time, whatever `times` says


@dataclass
class FakeTelegram:
    token: str = "42:TEST"
    username: str = "pedpulse_test_bot"
    calls: list[Call] = field(default_factory=list)
    messages: dict[tuple[int, int], SentMessage] = field(default_factory=dict)
    incoming: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _update_ids: Any = field(default_factory=lambda: count(1))
    _message_ids: Any = field(default_factory=lambda: count(1))
    _faults: list[Fault] = field(default_factory=list)
    _files: dict[str, tuple[bytes, str | None]] = field(default_factory=dict)
    _limits: tuple[float, float] | None = None
    _answered: set[str] = field(default_factory=set)
    _changed: asyncio.Condition | None = None
    _runner: web.AppRunner | None = None
    _closing: bool = False
    url: str = ""

    async def start(self) -> str:
        """Serve on 127.0.0.1 at a free port; returns the base URL for TELEGRAM_API_URL."""
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_route("POST", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # started
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        self._closing = True
        await self._notify()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- acting as a user -------------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates; assigns its update_id."""
        update = {**update, "update_id": next(self._update_ids)}
        self._updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return update

    def next_update_id(self) -> int:
        return int(next(self._update_ids))

    def find_button(self, chat_id: int, text: str) -> tuple[SentMessage, str]:
        """The newest visible message in the chat with a button labelled `text`, and its data."""
        for message in reversed(self.chat(chat_id)):
            for button in message.buttons():
                if button["text"] == text and "callback_data" in button:
                    return message, str(button["callback_data"])
        raise AssertionError(f"no button {text!r} in chat {chat_id}: {self.describe(chat_id)}")

    def user_file(self, data: bytes, filename: str) -> str:
        """A file the user uploaded to Telegram: its file_id, which the bot may send on."""
        file_id = f"user{len(self._files)}"
        self._files[file_id] = (data, filename)
        return file_id

    # --- looking at what the bot did --------------------------------------------------------

    def chat(self, chat_id: int) -> list[SentMessage]:
        """Visible messages of a chat, oldest first."""
        found = [m for (c, _), m in self.messages.items() if c == chat_id and not m.deleted]
        return sorted(found, key=lambda m: m.message_id)

    def last(self, chat_id: int) -> SentMessage:
        messages = self.chat(chat_id)
        assert messages, f"the bot sent nothing to chat {chat_id}"
        return messages[-1]

    def calls_of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def describe(self, chat_id: int) -> str:
        return "; ".join(f"[{m.text!r} {m.button_texts()}]" for m in self.chat(chat_id)[-3:])

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> Call:
        """Wait until `method` has been called `count` times in all; returns the last such call."""
        assert self._changed is not None
        deadline = time.monotonic() + timeout
        async with self._changed:
            while len(self.calls_of(method)) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{method} was called {len(self.calls_of(method))} times")
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    continue
        return self.calls_of(method)[count - 1]

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Poll the recorded state until `predicate` holds (requests finish on their own time)."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError("the fake server never reached the expected state")
            await asyncio.sleep(0.02)

    async def wait_confirmed(self, update_id: int, timeout: float = 15.0) -> None:
        """Wait until a getUpdates offset passes `update_id`: the bot finished handling it."""
        assert self._changed is not None
        deadline = time.monotonic() + timeout

        def confirmed() -> bool:
            calls = self.calls_of("getUpdates")
            return any(_int(c.params.get("offset")) > update_id for c in calls)

        async with self._changed:
            while not confirmed():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"update {update_id} was not confirmed")
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    continue

    # --- faults -----------------------------------------------------------------------------

    def inject(
        self,
        method: str,
        *,
        status: int | None = None,
        description: str = "",
        retry_after: int | None = None,
        delay: float = 0.0,
        chat_id: int | None = None,
        times: int = 1,
        drop: bool = False,
        seconds: float | None = None,
    ) -> None:
        """Make the next `times` calls of `method` (to `chat_id`, if given) fail or be slow;
        with `seconds`, every such call during the next `seconds` ("*": every method).

        `drop`: after `delay`, answer 504 without acting, like a request lost on the way.
        """
        until = time.monotonic() + seconds if seconds is not None else None
        fault = Fault(method, status, description, retry_after, delay, chat_id, times, drop, until)
        self._faults.append(fault)

    def enforce_limits(self, per_second: float = 30.0, per_chat_interval: float = 1.0) -> None:
        """Answer 429 like Telegram when sends exceed `per_second` overall or crowd one chat."""
        self._limits = (per_second, per_chat_interval)

    def _over_limit(self, method: str, params: dict[str, Any], now: float) -> bool:
        if self._limits is None or not method.lower().startswith("send"):
            return False
        per_second, interval = self._limits
        chat = _int(params.get("chat_id"))
        recent = [
            c
            for c in self.calls[-int(per_second) * 4 - 2 : -1]
            if c.method.startswith("send") and c.status != 429
        ]
        overall = sum(1 for c in recent if now - c.at < 1.0)
        crowded = any(
            _int(c.params.get("chat_id")) == chat and now - c.at < interval for c in recent
        )
        return overall >= per_second or crowded

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        now = time.monotonic()
        self._faults = [f for f in self._faults if f.until is None or f.until > now]
        for fault in self._faults:
            chat = params.get("chat_id")
            if fault.method in (method, "*") and fault.chat_id in (None, _int(chat)):
                if fault.until is not None:
                    return fault
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    # --- the HTTP side ----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params, files = await _read_params(request)
        call = Call(method, params, files, time.monotonic())
        self.calls.append(call)
        await self._notify()
        response = await self._answer(call)
        call.status = response.status
        return response

    async def _answer(self, call: Call) -> web.Response:
        method, params, files, now = call.method, call.params, call.files, call.at
        if self._over_limit(method, params, now):
            return _error(429, "Too Many Requests: retry after 1", retry_after=1)
        fault = self._take_fault(method, params)
        if fault is not None:
            await asyncio.sleep(fault.delay)
            if fault.drop:
                return _error(504, "Gateway Timeout")
            if fault.status is not None:
                return _fault_response(fault)
        handler = self._methods().get(method.lower())
        if handler is None:
            return _error(404, "Not Found")
        if method.lower() == "getupdates":
            return _ok(await self._get_updates(params))
        return handler(params, files)

    def _methods(self) -> dict[str, Callable[[dict[str, Any], dict[str, bytes]], web.Response]]:
        def true(params: dict[str, Any], files: dict[str, bytes]) -> web.Response:
            return _ok(True)

        return {
            "getme": lambda p, f: _ok(self._bot_user()),
            "getupdates": true,
            "sendmessage": self._send_message,
            "senddocument": lambda p, f: self._send_file("document", p, f),
            "sendphoto": lambda p, f: self._send_file("photo", p, f),
            "copymessage": self._copy,
            "editmessagetext": self._edit_text,
            "editmessagereplymarkup": self._edit_markup,
            "deletemessage": self._delete,
            "answercallbackquery": self._answer_callback,
            "setmycommands": true,
            "deletemycommands": true,
            "deletewebhook": true,
            "setwebhook": true,
        }

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        assert self._changed is not None
        offset = _int(params.get("offset")) or 0
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not self._updates and not self._closing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    break
        limit = _int(params.get("limit")) or 100
        return self._updates[:limit]

    def _store(self, chat_id: int, **fields: Any) -> SentMessage:
        message = SentMessage(chat_id=chat_id, message_id=next(self._message_ids), **fields)
        self.messages[(chat_id, message.message_id)] = message
        return message

    def _send_message(self, params: dict[str, Any], files: dict[str, bytes]) -> web.Response:
        chat_id = _int(params["chat_id"])
        try:
            text = visible_text(str(params.get("text", "")), params.get("parse_mode"))
        except ValueError as exc:
            return _error(400, f"Bad Request: can't parse entities: {exc}")
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        message = self._store(chat_id, text=text, reply_markup=params.get("reply_markup"))
        return _ok(self._message_json(message))

    def _file(
        self, kind: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> tuple[bytes, str | None] | web.Response:
        """An uploaded file, or one sent before by its file_id, as Telegram allows."""
        if kind in files:
            return files[kind], params.get(f"{kind}_filename")
        known = self._files.get(str(params.get(kind, "")))
        if known is None:
            return _error(400, f"Bad Request: wrong file identifier/HTTP URL specified ({kind})")
        return known

    def _send_file(
        self, kind: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> web.Response:
        found = self._file(kind, params, files)
        if isinstance(found, web.Response):
            return found
        data, filename = found
        caption = visible_text(str(params.get("caption", "")), params.get("parse_mode"))
        fields: dict[str, Any] = {"caption": caption, "reply_markup": params.get("reply_markup")}
        if kind == "photo":
            fields["photo"] = data
        else:
            fields |= {"document": data, "filename": filename}
        message = self._store(_int(params["chat_id"]), **fields)
        self._files[f"{kind}{message.message_id}"] = (data, filename)
        return _ok(self._message_json(message))

    def remember(self, message: dict[str, Any]) -> int:
        """A user's message, so that the bot can copy it; returns its new message id."""
        message["message_id"] = next(self._message_ids)
        self.incoming[(message["chat"]["id"], message["message_id"])] = message
        return int(message["message_id"])

    def _copy(self, params: dict[str, Any], files: dict[str, bytes]) -> web.Response:
        source = self.incoming.get(
            (_int(params.get("from_chat_id")), _int(params.get("message_id")))
        )
        if source is None:
            return _error(400, "Bad Request: message to copy not found")
        fields: dict[str, Any] = {"reply_markup": params.get("reply_markup")}
        if "text" in source:
            fields["text"] = source["text"]
        if "document" in source:
            data, filename = self._files[source["document"]["file_id"]]
            fields |= {"document": data, "filename": filename, "caption": source.get("caption")}
        message = self._store(_int(params["chat_id"]), **fields)
        return _ok({"message_id": message.message_id})

    def _edit_text(self, params: dict[str, Any], files: dict[str, bytes]) -> web.Response:
        message = self.messages.get((_int(params.get("chat_id")), _int(params.get("message_id"))))
        if message is None or message.deleted:
            return _error(400, "Bad Request: message to edit not found")
        try:
            text = visible_text(str(params.get("text", "")), params.get("parse_mode"))
        except ValueError as exc:
            return _error(400, f"Bad Request: can't parse entities: {exc}")
        markup = params.get("reply_markup")
        if text == message.text and markup == message.reply_markup:
            return _error(400, "Bad Request: message is not modified")
        message.text, message.reply_markup = text, markup
        return _ok(self._message_json(message))

    def _edit_markup(self, params: dict[str, Any], files: dict[str, bytes]) -> web.Response:
        message = self.messages.get((_int(params.get("chat_id")), _int(params.get("message_id"))))
        if message is None or message.deleted:
            return _error(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        if markup == message.reply_markup:
            return _error(400, "Bad Request: message is not modified")
        message.reply_markup = markup
        return _ok(self._message_json(message))

    def _delete(self, params: dict[str, Any], files: dict[str, bytes]) -> web.Response:
        message = self.messages.get((_int(params.get("chat_id")), _int(params.get("message_id"))))
        if message is None or message.deleted:
            return _error(400, "Bad Request: message to delete not found")
        message.deleted = True
        return _ok(True)

    def _answer_callback(self, params: dict[str, Any], files: dict[str, bytes]) -> web.Response:
        query = str(params.get("callback_query_id"))
        if query in self._answered:  # Telegram accepts one answer per callback query
            return _error(400, "Bad Request: query is too old and response timeout expired")
        self._answered.add(query)
        return _ok(True)

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "PedPulse", "username": self.username}

    def message_json(self, message: SentMessage) -> dict[str, Any]:
        return self._message_json(message)

    def _message_json(self, message: SentMessage) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": message.chat_id, "type": "private"},
            "from": self._bot_user(),
        }
        if message.text is not None:
            data["text"] = message.text
        if message.reply_markup:
            data["reply_markup"] = message.reply_markup
        if message.document is not None:
            data["document"] = {
                "file_id": f"document{message.message_id}",
                "file_unique_id": f"udoc{message.message_id}",
                "file_name": message.filename,
                "file_size": len(message.document),
            }
        if message.photo is not None:
            size = {
                "file_id": f"photo{message.message_id}",
                "file_unique_id": "u",
                "width": 1,
                "height": 1,
            }
            data["photo"] = [size]
        if message.caption:
            data["caption"] = message.caption
        return data

    async def _notify(self) -> None:
        if self._changed is None:
            return
        async with self._changed:
            self._changed.notify_all()


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    params: dict[str, Any] = dict(request.query)
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        params.update(await request.json())
        return params, files
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = value.file.read()
            params[f"{key}_filename"] = value.filename
        elif key in JSON_FIELDS and isinstance(value, str):
            params[key] = json.loads(value)
        else:
            params[key] = value
    # aiogram uploads a file under a random field and passes "attach://<field>" as the value
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            field_name = value.removeprefix("attach://")
            files[key] = files.pop(field_name)
            params[f"{key}_filename"] = params.pop(f"{field_name}_filename")
    return params, files


def _int(value: Any) -> int:
    return int(value) if value not in (None, "") else 0


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)


def _fault_response(fault: Fault) -> web.Response:
    status = fault.status or 500
    if status == 429:
        retry = fault.retry_after or 1
        return _error(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
    default = {
        403: "Forbidden: bot was blocked by the user",
        400: "Bad Request: chat not found",
        500: "Internal Server Error",
    }
    return _error(status, fault.description or default.get(status, "Error"))
