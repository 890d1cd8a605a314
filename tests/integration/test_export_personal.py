"""/mydata is complete: the JSON holds every record about the person (their mentoring from
their own side, the weeks their summary went, their seats, the files of what they wrote, the
input the chat awaits), and nothing private of their mentoring partner."""

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core import privacy
from core.models import (
    Announcement,
    Attachment,
    Campaign,
    CampaignMember,
    Completion,
    JobOccurrence,
    MentorMeeting,
    MentorProfile,
    Mentorship,
    MentorshipRequest,
    Municipality,
    Person,
    PersonRole,
    ProblemReport,
    Registration,
    Relay,
    Role,
    School,
    Seminar,
    Subject,
)

Maker = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
HOUR = timedelta(hours=1)
OLGAS_DRAFT = "Ирина готова к открытому уроку"  # each side's meeting note, not logged yet
IRINAS_DRAFT = "Волнуюсь перед открытым уроком"
SCHOOL = "МОАУ «СОШ № 1»"


async def _town(session: AsyncSession) -> tuple[int, int]:
    town = Municipality(name="Город", timezone="Europe/Moscow")
    session.add(town)
    await session.flush()
    school = School(municipality_id=town.id, name=SCHOOL)
    session.add(school)
    await session.flush()
    return town.id, school.id


def _person(town: int, chat: int, name: str, *roles: Role) -> Person:
    return Person(
        telegram_id=chat,
        municipality_id=town,
        full_name=name,
        language="ru",
        consent_at=NOW,
        registered_at=NOW,
        roles=[PersonRole(role=role) for role in roles],
    )


async def _pair(session: AsyncSession) -> tuple[int, int, int]:
    """Ольга mentors Ирина, who asked for a mentor in mathematics (declined once before)."""
    town, _ = await _town(session)
    olga = _person(town, 601, "Наставникова Ольга", Role.TEACHER, Role.MENTOR)
    irina = _person(town, 602, "Молодая Ирина", Role.TEACHER)
    maths = Subject(name="Математика")
    session.add_all([olga, irina, maths])
    await session.flush()
    session.add(MentorProfile(person_id=olga.id, volunteered_at=NOW - 9 * HOUR, confirmed_at=NOW))
    request = MentorshipRequest(
        mentee_id=irina.id,
        municipality_id=town,
        subject_id=maths.id,
        status="paired",
        created_at=NOW - 5 * HOUR,
        submitted_at=NOW - 4 * HOUR,
        declines=1,
        decline_reason="time",
    )
    session.add(request)
    await session.flush()
    pair = Mentorship(
        request_id=request.id,
        municipality_id=town,
        mentor_id=olga.id,
        mentee_id=irina.id,
        mode="online",
        started_at=NOW,
        ends_on=date(2027, 6, 1),
        last_activity_at=NOW,
        mentee_shares_contact=True,
        mentor_shares_notes=True,
    )
    session.add(pair)
    await session.flush()
    return olga.id, irina.id, pair.id


def _draft(pair: int, by_mentor: bool, note: str) -> MentorMeeting:
    """A meeting entry still being filled in (not logged): only its writer has seen it."""
    day = date(2026, 11, 20)
    return MentorMeeting(
        mentorship_id=pair, held_on=day, mode="bot", by_mentor=by_mentor, note=note
    )


def _journal(pair: int) -> list[Any]:
    """Each side wrote once and reported a problem once; each has a meeting draft."""
    return [
        Relay(mentorship_id=pair, by_mentor=False, kind="text", sent_at=NOW + HOUR),
        Relay(mentorship_id=pair, by_mentor=True, kind="photo", sent_at=NOW + 2 * HOUR),
        ProblemReport(mentorship_id=pair, by_mentor=False, reported_at=NOW + 3 * HOUR),
        ProblemReport(mentorship_id=pair, by_mentor=True, reported_at=NOW + 4 * HOUR),
        _draft(pair, False, IRINAS_DRAFT),
        _draft(pair, True, OLGAS_DRAFT),
    ]


def _at(moment: datetime) -> str:
    return moment.isoformat()


async def _export(maker: Maker, person_id: int) -> dict[str, Any]:
    async with maker() as session:
        export = await privacy.export_data(session, person_id, 2026)
    return dict(json.loads(json.dumps(export.record, ensure_ascii=False)))  # as the file has it


async def test_mentoring_is_exported_from_the_persons_own_side(sessionmaker: Maker) -> None:
    async with sessionmaker() as session:
        olga, irina, pair = await _pair(session)
        session.add_all(_journal(pair))
        await session.commit()
    mentee = await _export(sessionmaker, irina)
    (request,) = mentee["mentoring_requests"]
    assert request["subject"] == "Математика" and request["decline_reason"] == "time"
    assert request["created_at"] == _at(NOW - 5 * HOUR)
    assert request["submitted_at"] == _at(NOW - 4 * HOUR)
    (theirs,) = mentee["mentoring_pairs_as_mentee"]
    assert theirs["mode"] == "online"
    assert theirs["i_share_contact"] is True and theirs["i_share_notes"] is False
    assert theirs["messages_sent"] == [{"sent_at": _at(NOW + HOUR), "kind": "text"}]
    assert theirs["problems_reported"] == [_at(NOW + 3 * HOUR)]
    assert [d["note"] for d in theirs["meeting_drafts"]] == [IRINAS_DRAFT]
    assert OLGAS_DRAFT not in json.dumps(mentee, ensure_ascii=False)  # the mentor's own

    mentor = await _export(sessionmaker, olga)
    assert mentor["mentor_profile"]["volunteered_at"] == _at(NOW - 9 * HOUR)
    assert mentor["mentor_profile"]["confirmed_at"] == _at(NOW)
    (hers,) = mentor["mentoring_pairs_as_mentor"]
    assert hers["i_share_contact"] is False and hers["i_share_notes"] is True
    assert hers["messages_sent"] == [{"sent_at": _at(NOW + 2 * HOUR), "kind": "photo"}]
    assert hers["problems_reported"] == [_at(NOW + 4 * HOUR)]
    assert [d["note"] for d in hers["meeting_drafts"]] == [OLGAS_DRAFT]
    assert IRINAS_DRAFT not in json.dumps(mentor, ensure_ascii=False)


async def _a_methodists_records(session: AsyncSession) -> tuple[int, int]:
    """Анна teaches and is a methodist: invited to a campaign at her school, signed up for a
    seminar (two wrong check-in codes, feedback awaited), took its anonymous feedback, sent an
    announcement with a file, had two weekly summaries, and is typing a seminar's title."""
    town, school = await _town(session)
    anna = _person(town, 700, "Методистова Анна", Role.TEACHER, Role.METHODIST)
    anna.school_id = school
    seminar = Seminar(municipality_id=town, title="Открытый урок", created_at=NOW)
    campaign = Campaign(municipality_id=town, instrument="cbi", version=1, created_at=NOW)
    file = Attachment(kind="document", filename="Приказ-о-совещании.pdf", telegram_file_id="f")
    session.add_all([anna, seminar, campaign, file])
    await session.flush()
    anna.step_form, anna.step_field, anna.step_target = "seminar", "title", seminar.id
    session.add_all(
        [
            CampaignMember(campaign_id=campaign.id, person_id=anna.id, school_id=school),
            Registration(
                seminar_id=seminar.id,
                person_id=anna.id,
                status="registered",
                attended=True,
                checkin_failures=2,
                feedback_due=True,
                created_at=NOW - HOUR,
            ),
            Completion(
                person_id=anna.id,
                instrument="seminar_feedback",
                seminar_id=seminar.id,
                completed_on=NOW,
            ),
            Announcement(
                author_id=anna.id,
                municipality_id=town,
                text="Совещание",
                attachment_id=file.id,
                created_at=NOW,
                sent_at=NOW,
            ),
            JobOccurrence(
                job="weekly_summary",
                target=str(anna.id),
                period="2026-W46",
                done_at=NOW - 7 * 24 * HOUR,
            ),
            JobOccurrence(
                job="weekly_summary", target=str(anna.id), period="2026-W47", done_at=NOW
            ),
            JobOccurrence(job="aggregate", target=str(anna.id), period="2026-11-22", done_at=NOW),
        ]
    )
    return anna.id, seminar.id


async def test_seats_campaigns_files_summaries_and_the_awaited_input(sessionmaker: Maker) -> None:
    async with sessionmaker() as session:
        anna, seminar = await _a_methodists_records(session)
        await session.commit()
    record = await _export(sessionmaker, anna)
    (seat,) = record["seminars"]
    assert seat["seminar_id"] == seminar and seat["signed_up_at"] == _at(NOW - HOUR)
    assert seat["wrong_checkin_codes"] == 2 and seat["feedback_awaited"] is True
    assert record["anonymous_questionnaires_completed"][0]["seminar_id"] == seminar
    assert record["campaigns"][0]["school"] == SCHOOL
    (written,) = record["announcements_written"]
    assert (written["file_kind"], written["file_name"]) == ("document", "Приказ-о-совещании.pdf")
    assert record["weekly_summaries_sent"] == [  # a municipality's job is not hers
        {"week": "2026-W46", "sent_at": _at(NOW - 7 * 24 * HOUR)},
        {"week": "2026-W47", "sent_at": _at(NOW)},
    ]
    assert record["awaited_input"] == {
        "form": "seminar",
        "field": "title",
        "record": seminar,
        "correcting": False,
    }
