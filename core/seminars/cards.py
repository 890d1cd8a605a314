"""A seminar as people read it: the card's lines (bot and notices alike)."""

from core.screens import Text, render, text
from core.seminars.listing import SeminarView, when
from core.texts import Texts


def card_lines(seminar: SeminarView, *, show_link: bool = False) -> list[Text]:
    """The seminar as lines of a message; the online link only for people with a seat."""
    lines = [
        text("seminar_title", title=seminar.title),
        text("seminar_when", when=when(seminar)),
        text("seminar_duration", minutes=seminar.duration_minutes),
        Text(f"format_{seminar.format}"),
    ]
    if seminar.place:
        lines.append(text("seminar_place", place=seminar.place))
    if seminar.link and (show_link or seminar.mine == "registered"):
        lines.append(text("seminar_link", link=seminar.link))
    if seminar.description:
        lines.append(text("seminar_description", description=seminar.description))
    if seminar.tags:
        lines.append(text("seminar_tags", tags=[Text(f"area_{tag}") for tag in seminar.tags]))
    if seminar.capacity:
        lines.append(text("seminar_seats", taken=seminar.registered, capacity=seminar.capacity))
    if seminar.mine in ("registered", "waitlist"):
        lines.append(Text(f"seminar_mine_{seminar.mine}"))
    return lines


def card(t: Texts, seminar: SeminarView, *, show_link: bool = False) -> str:
    """The card in one reader's language."""
    return "\n".join(render(t, line) for line in card_lines(seminar, show_link=show_link))
