"""What a person should see, as plain data: text keys with values, and buttons as an action
with a reference. Only a messenger adapter (bot/) turns buttons into its own keyboards."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from core.texts import Texts, joined

Ref = tuple[str | int, ...]
Localized = Mapping[str, str]  # data in each language (an instrument's title): {"ru", "en"}


@dataclass(frozen=True)
class Text:
    """A catalogue entry with its values; a value may itself be a Text (translated in turn)
    or a list of values and Texts (joined with `sep`)."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)
    sep: str = ", "


def text(key: str, **values: object) -> Text:
    return Text(key, values)


BLANK = Text("")  # an empty line


@dataclass(frozen=True)
class Button:
    """A button: its label (a Text, or data such as a school's name, shown as it is) and what
    pressing it does: an action its adapter knows, with a reference (ids, keys)."""

    label: "Text | str | Localized"
    action: str
    ref: Ref = ()


@dataclass(frozen=True)
class Screen:
    """A message: its lines and rows of buttons."""

    lines: tuple[Text, ...]
    rows: tuple[tuple[Button, ...], ...] = ()


def screen(lines: Iterable[Text], rows: Iterable[Sequence[Button]] = ()) -> Screen:
    return Screen(tuple(lines), tuple(tuple(row) for row in rows if row))


def render(t: Texts, item: Text) -> str:
    """A Text in the reader's language, every value escaped once by the catalogue."""
    if not item.key:
        return ""
    return t(item.key, **{name: _value(t, v, item.sep) for name, v in item.values.items()})


def _value(t: Texts, value: object, sep: str) -> object:
    if isinstance(value, Text):
        return render(t, value)
    if isinstance(value, Mapping):  # Localized data
        return value.get(t.language, "")
    if isinstance(value, list | tuple):
        return joined(sep, (render(t, v) if isinstance(v, Text) else v for v in value))
    return value


def label(t: Texts, shown: "Text | str | Localized") -> str:
    """A button's label: plain text, not HTML (Telegram shows it as it is)."""
    if isinstance(shown, str):
        return shown
    if isinstance(shown, Text):
        values = {
            k: label(t, v) if isinstance(v, Text | Mapping) else v for k, v in shown.values.items()
        }
        return t.plain(shown.key, **values)
    return shown.get(t.language, "")


def lines_of(t: Texts, shown: Screen) -> str:
    return "\n".join(render(t, line) for line in shown.lines)


def stored(t: Texts, rows: Sequence[Sequence[Button]]) -> dict[str, object]:
    """Buttons for an outbox row: labels rendered in the recipient's language, actions as
    data, so any messenger's sender can make its own keyboard of them."""
    return {
        "buttons": [
            [{"text": label(t, b.label), "action": b.action, "ref": list(b.ref)} for b in row]
            for row in rows
        ]
    }
