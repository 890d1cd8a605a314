"""Which mentors to suggest for a request, best first, and why (pure: no database).

A mentor who is paused, unconfirmed, at capacity, or the mentee themself is never suggested.
The rest are ordered by how many of the requested areas their strengths cover, then the same
subject, the same school, the same municipality, the most free places, and finally the
person's id, so the same data always gives the same list.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SUGGESTIONS = 5


@dataclass(frozen=True)
class Candidate:
    person_id: int
    name: str
    municipality_id: int
    school_id: int | None
    subject_ids: frozenset[int]
    strengths: tuple[str, ...]
    capacity: int
    mentees: int  # open pairs and pending offers now
    paused: bool = False
    confirmed: bool = True

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.mentees)


@dataclass(frozen=True)
class Wanted:
    mentee_id: int
    municipality_id: int
    school_id: int | None
    subject_id: int | None
    areas: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    """A ranked mentor and the reasons to show in one line."""

    candidate: Candidate
    covered: tuple[str, ...]  # requested areas among their strengths, in the request's order
    same_subject: bool
    same_school: bool
    same_municipality: bool


def eligible(candidate: Candidate, wanted: Wanted) -> bool:
    return (
        candidate.confirmed
        and not candidate.paused
        and candidate.free > 0
        and candidate.person_id != wanted.mentee_id
    )


def judged(candidate: Candidate, wanted: Wanted) -> Suggestion:
    return Suggestion(
        candidate,
        tuple(area for area in wanted.areas if area in candidate.strengths),
        wanted.subject_id is not None and wanted.subject_id in candidate.subject_ids,
        wanted.school_id is not None and wanted.school_id == candidate.school_id,
        wanted.municipality_id == candidate.municipality_id,
    )


def _order(s: Suggestion) -> tuple[int, ...]:
    return (
        -len(s.covered),
        -s.same_subject,
        -s.same_school,
        -s.same_municipality,
        -s.candidate.free,
        s.candidate.person_id,
    )


def rank(
    candidates: Iterable[Candidate], wanted: Wanted, limit: int = SUGGESTIONS
) -> Sequence[Suggestion]:
    """Up to `limit` suggestions, best first."""
    found = [judged(c, wanted) for c in candidates if eligible(c, wanted)]
    return sorted(found, key=_order)[:limit]
