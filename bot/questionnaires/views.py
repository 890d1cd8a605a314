"""Questionnaire messages: one item with its answer buttons, and the personal result."""

from collections.abc import Mapping

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.questionnaires.callbacks import SurveyAction, SurveyCallback
from bot.ui.buttons import view
from core.questionnaires.offers import Offer
from core.questionnaires.responses import Finished, Question
from core.questionnaires.results import PastResult
from core.questionnaires.routes import Route
from core.questionnaires.screens import question_screen
from core.questionnaires.starting import Recent
from core.seminars.listing import when
from core.texts import Texts
from surveys.model import Instrument


def offer_buttons(t: Texts, found: list[Offer]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for offer in found:
        label = offer.title[t.language]
        if offer.deadline:
            label += t("survey_deadline_mark", deadline=offer.deadline)
        label += t("survey_resume_mark") if offer.in_progress else ""
        if offer.campaign_id is None:
            data = SurveyCallback(action=SurveyAction.START, key=offer.key)
        else:
            data = SurveyCallback(action=SurveyAction.CAMPAIGN, ref=offer.campaign_id)
        builder.button(text=label, callback_data=data)
    builder.adjust(1)
    return InlineKeyboardMarkup(inline_keyboard=builder.export())


def recent_offer(t: Texts, recent: Recent) -> tuple[str, InlineKeyboardMarkup]:
    """A recent answer to the same questionnaire: count it, or (anonymous) why it is asked."""
    day = f"{recent.answered_on:%d.%m.%Y}"
    builder = InlineKeyboardBuilder()
    fresh = SurveyCallback(action=SurveyAction.FRESH, ref=recent.campaign_id)
    if not recent.reusable:
        builder.button(text=t("btn_answer_anew"), callback_data=fresh)
        return t("survey_recent_anonymous", date=day), _column(builder)
    reuse = SurveyCallback(action=SurveyAction.REUSE, ref=recent.campaign_id)
    builder.button(text=t("btn_reuse_answer", date=day), callback_data=reuse)
    builder.button(text=t("btn_answer_anew"), callback_data=fresh)
    return t("survey_recent", date=day), _column(builder)


def _column(builder: InlineKeyboardBuilder) -> InlineKeyboardMarkup:
    builder.adjust(1)
    return InlineKeyboardMarkup(inline_keyboard=builder.export())


def question(t: Texts, q: Question) -> tuple[str, InlineKeyboardMarkup | None]:
    return view(t, question_screen(q))


def result(t: Texts, done: Finished) -> str:
    """The personal result in plain words: bands, what they mean, what helps; never a diagnosis."""
    instrument, language = done.instrument, t.language
    lines = [t("survey_done", title=instrument.title[language]), ""]
    scored = done.result.to_json()
    for derived in instrument.derived:
        value = scored["derived"].get(derived.id)
        if derived.kind == "max_band" and isinstance(value, dict) and value.get("band"):
            text = instrument.feedback.get(derived.id, {}).get(value["band"], {}).get(language)
            lines.append(t("survey_feedback", text=text) if text else "")
    for scale in instrument.scales:
        found = scored["scales"][scale.id]
        if not scale.bands:
            continue
        if found["score"] is None:
            lines.append(t("result_unscored", title=scale.title[language]))
            continue
        lines.append(
            t(
                "result_scale",
                title=scale.title[language],
                score=f"{found['score']:.0f}",
                band=band_label(t, instrument.key, found["band"]),
            )
        )
        advice = instrument.feedback.get(scale.id, {}).get(found["band"], {}).get(language)
        if advice and found["band"] in ("high", "medium") and instrument.key == "deficits":
            lines.append(t("survey_advice", advice=advice))
    points = scored["derived"].get("point_deficits")
    if points:
        lines += ["", t("result_point_deficits"), *point_lines(t, instrument, points)]
    if len(lines) == 2:
        lines.append(t("survey_thanks"))
    return "\n".join(line for line in lines if line is not None)


def band_label(t: Texts, instrument: str, band: str) -> str:
    """A band in words: the instrument's own wording where it has one ("high deficit" is not
    "high level"), the shared one otherwise."""
    for key in (f"band_{instrument}_{band}", f"band_{band}"):
        if t.has(key):
            return t(key)
    return band


def point_lines(t: Texts, instrument: Instrument, items: list[str] | tuple[str, ...]) -> list[str]:
    """Point deficits as a list, one practice per line."""
    return [t("point_item", item=instrument.item(i).text[t.language].rstrip(".")) for i in items]


def route_text(t: Texts, route: Route | None, deficits: Instrument) -> str:
    """The personal route: per area the level, the Р-201 advice, seminars and materials."""
    if route is None:
        return t("route_none")
    language = t.language
    lines = [t("route_title", date=route.completed_at.strftime("%d.%m.%Y"))]
    if not route.areas:
        lines.append(t("route_empty"))
    for area in route.areas:
        title = deficits.scale(area.area).title[language]
        level = band_label(t, deficits.key, area.level)
        lines += ["", t("route_area", area=title, level=level)]
        lines.append(t(f"advice_{area.advice}"))
        if area.point_items:
            lines += [t("route_points"), *point_lines(t, deficits, area.point_items)]
        for seminar in area.seminars:
            lines.append(t("route_seminar", title=seminar.title, when=when(seminar)))
        for resource in area.resources:
            lines.append(t("route_resource", title=resource.title[language], url=resource.url))
    if any(area.seminars for area in route.areas):
        lines += ["", t("route_seminars_hint")]
    return "\n".join(lines)


def past_results(t: Texts, found: list[PastResult], registry: Mapping[str, Instrument]) -> str:
    """`/myresults`: each result with its bands and the change since the previous one."""
    if not found:
        return t("results_none")
    lines = [t("results_title")]
    for past in found:
        instrument = registry.get(past.instrument)
        if instrument is None:
            continue
        lines += [
            "",
            t(
                "results_heading",
                title=instrument.title[t.language],
                date=f"{past.completed_at:%d.%m.%Y}",
            ),
        ]
        for change in past.scales:
            scale = instrument.scale(change.scale)
            if not scale.bands or change.score is None or change.band is None:
                continue
            line = t(
                "result_scale",
                title=scale.title[t.language],
                score=f"{change.score:.0f}",
                band=band_label(t, instrument.key, change.band),
            )
            if change.change is not None and round(change.change) != 0:
                line += t("results_change", change=f"{change.change:+.0f}")
            lines.append(line)
    return "\n".join(lines)
