"""What a campaign tells people: invitations and reminders with «Пройти анкету», and the
author's notices that it opened or closed, each in the reader's language."""

from collections.abc import Callable, Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from core.messaging.outbox import Notice
from core.models import Campaign, Person
from core.people.viewer import municipality_zone
from core.screens import Button, Text, stored
from core.texts import Texts
from core.timeutil import shown
from surveys.model import Instrument


async def invitations(
    session: AsyncSession,
    campaign: Campaign,
    reminder: int | str | None,  # days before the deadline, or "@<day>" for one a methodist
    # asked for (core.questionnaires.reminders); None: the invitation
    people: Sequence[tuple[int, int, str]],
    catalogues: Mapping[str, Texts],
    registry: Mapping[str, Instrument],
) -> list[Notice]:
    """An invitation or reminder with the «Пройти анкету» button for each (person, chat,
    language)."""
    deadline = await deadline_of(session, campaign)
    title = title_of(registry, campaign.instrument)
    mode = "anonymous" if campaign.anonymous else "confidential"
    kind = "invite" if reminder is None else f"remind{reminder}"
    button = Button(Text("btn_take_survey"), "survey.campaign", (campaign.id,))
    notices = []
    for person_id, chat_id, language in people:
        t = catalogues[language]
        text = t(
            "campaign_invite" if reminder is None else "campaign_remind",
            title=title[language],
            deadline=deadline,
        )
        notices.append(
            Notice(
                f"cmp:{campaign.id}:{kind}:{person_id}",
                chat_id,
                text + "\n\n" + t(f"survey_mode_{mode}"),
                person_id=person_id,
                markup=stored(t, [[button]]),
                priority=5 if reminder is None else 1,
            )
        )
    return notices


def title_of(registry: Mapping[str, Instrument], key: str) -> dict[str, str]:
    """The instrument's titles (its key, should its file have been removed since)."""
    instrument = registry.get(key)
    return instrument.title if instrument else {"ru": key, "en": key}


async def deadline_of(session: AsyncSession, campaign: Campaign) -> str:
    assert campaign.closes_at is not None
    zone = await municipality_zone(session, campaign.municipality_id)
    return shown(campaign.closes_at, zone)


async def to_author(
    session: AsyncSession,
    campaign: Campaign,
    event: str,  # opened | closed
    catalogues: Mapping[str, Texts],
    registry: Mapping[str, Instrument],
    render: Callable[[Texts, str], str],  # (the author's catalogue, the title) -> the text
) -> list[Notice]:
    """The author's notice that the campaign opened or closed."""
    author = await session.get(Person, campaign.author_id) if campaign.author_id else None
    if author is None:
        return []
    t = catalogues[author.language]
    text = render(t, title_of(registry, campaign.instrument)[t.language])
    return [Notice(f"cmp:{campaign.id}:{event}", author.telegram_id, text, person_id=author.id)]
