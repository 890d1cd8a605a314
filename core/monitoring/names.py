"""How published values name their municipality, schools, subjects and facets."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from core.monitoring.catalogue import ScopeType


@dataclass(frozen=True)
class Names:
    """Names in the reader's language; an id stands in for a missing name."""

    municipality: str
    schools: Mapping[int, str] = field(default_factory=dict)
    subjects: Mapping[int, str] = field(default_factory=dict)
    facets: Mapping[str, str] = field(default_factory=dict)  # deficit areas, campaign titles

    def scope(self, scope_type: ScopeType, scope_id: int) -> str:
        """The name of a municipality, school or subject."""
        if scope_type is ScopeType.MUNICIPALITY:
            return self.municipality
        names = self.schools if scope_type is ScopeType.SCHOOL else self.subjects
        return names.get(scope_id, str(scope_id))

    def facet(self, facet: str | None) -> str:
        """The name of a deficit area or campaign ("" for none)."""
        return "" if facet is None else self.facets.get(facet, facet)
