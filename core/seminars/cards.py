"""A seminar as people read it: the card, in the reader's language (bot and notices alike)."""

from core.seminars.listing import SeminarView, when
from core.texts import Texts


def card(t: Texts, seminar: SeminarView, *, show_link: bool = False) -> str:
    """The seminar as a message; the online link only for people with a seat."""
    lines = [t("seminar_title", title=seminar.title), t("seminar_when", when=when(seminar))]
    lines.append(t("seminar_duration", minutes=seminar.duration_minutes))
    lines.append(t(f"format_{seminar.format}"))
    if seminar.place:
        lines.append(t("seminar_place", place=seminar.place))
    if seminar.link and (show_link or seminar.mine == "registered"):
        lines.append(t("seminar_link", link=seminar.link))
    if seminar.description:
        lines.append(t("seminar_description", description=seminar.description))
    if seminar.tags:
        lines.append(t("seminar_tags", tags=", ".join(t(f"area_{tag}") for tag in seminar.tags)))
    if seminar.capacity:
        lines.append(t("seminar_seats", taken=seminar.registered, capacity=seminar.capacity))
    if seminar.mine in ("registered", "waitlist"):
        lines.append(t(f"seminar_mine_{seminar.mine}"))
    return "\n".join(lines)
