"""SQLAlchemy 2.0 typed ORM models, one module per domain; import them from here."""

from core.models.base import NAMING_CONVENTION, Base, Role
from core.models.campaigns import Campaign, CampaignMember, CampaignStatus
from core.models.delivery import Announcement, Attachment, Broadcast, Delivery, DeliveryStatus
from core.models.mentoring import (
    EndReason,
    MeetingMode,
    MentorMeeting,
    MentorProfile,
    Mentorship,
    MentorshipRequest,
    ProblemReport,
    ProgrammeGoal,
    Relay,
    RequestStatus,
)
from core.models.monitoring import (
    NO_FACET,
    IndicatorRecord,
    JobOccurrence,
    PublishedCell,
    SummarySetting,
)
from core.models.people import (
    ConsentRefusal,
    Invite,
    Municipality,
    Person,
    PersonRole,
    PersonSubject,
    School,
    SchoolSubject,
    Subject,
)
from core.models.seminars import Registration, RegistrationStatus, Seminar, SeminarStatus
from core.models.surveys import (
    AnonymousAnswer,
    AnonymousResponse,
    Answer,
    Completion,
    Response,
    ResponseStatus,
    SupportRequest,
)

# Ids are never reused (SQLite reuses a deleted row's id without AUTOINCREMENT): a button
# that carries an id can never act on a newer record than the one its message showed.
for _table in Base.metadata.tables.values():
    if _table.dialect_options["sqlite"]["with_rowid"] is not False:
        _table.dialect_options["sqlite"]["autoincrement"] = True

__all__ = [
    "NO_FACET",
    "IndicatorRecord",
    "JobOccurrence",
    "PublishedCell",
    "SummarySetting",
    "NAMING_CONVENTION",
    "AnonymousAnswer",
    "AnonymousResponse",
    "Announcement",
    "Answer",
    "Attachment",
    "Base",
    "Broadcast",
    "Campaign",
    "CampaignMember",
    "CampaignStatus",
    "Completion",
    "ConsentRefusal",
    "Delivery",
    "DeliveryStatus",
    "EndReason",
    "Invite",
    "MeetingMode",
    "MentorMeeting",
    "MentorProfile",
    "Mentorship",
    "MentorshipRequest",
    "Municipality",
    "Person",
    "PersonRole",
    "PersonSubject",
    "ProblemReport",
    "ProgrammeGoal",
    "Registration",
    "Relay",
    "RegistrationStatus",
    "RequestStatus",
    "Response",
    "ResponseStatus",
    "Role",
    "School",
    "SchoolSubject",
    "Seminar",
    "SeminarStatus",
    "Subject",
    "SupportRequest",
]
