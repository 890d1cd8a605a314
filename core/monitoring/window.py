"""A span of local days in one municipality's zone, applied to arrays of local moments
(datetime64, as core.monitoring.prepared makes them; NaT is never inside)."""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np


@dataclass(frozen=True)
class Window:
    """Local days `start` <= day < `end` in `zone` (an IANA name)."""

    zone: str
    start: date
    end: date

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def inside(self, moments: np.ndarray) -> np.ndarray:
        """True where the moment falls on a local day of the window."""
        return (moments >= np.datetime64(self.start)) & (moments < np.datetime64(self.end))

    def by_end(self, moments: np.ndarray) -> np.ndarray:
        """True where the moment falls before the window's end (on or before its last day)."""
        return moments < np.datetime64(self.end)

    def after_end(self, moments: np.ndarray) -> np.ndarray:
        """True where the moment falls after the window's last day (NaT: never)."""
        return moments >= np.datetime64(self.end)
