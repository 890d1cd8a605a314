"""A span of local days in one municipality's zone, applied to columns of UTC moments."""

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd


@dataclass(frozen=True)
class Window:
    """Local days `start` <= day < `end` in `zone` (an IANA name)."""

    zone: str
    start: date
    end: date

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def local(self, moments: pd.Series) -> pd.Series:
        """Naive local date-times of UTC moments (naive input is taken as UTC); NaT stays."""
        utc = pd.to_datetime(moments, utc=True)
        return utc.dt.tz_convert(self.zone).dt.tz_localize(None)

    def inside(self, moments: pd.Series) -> pd.Series:
        """True where the moment falls on a local day of the window."""
        local = self.local(moments)
        return (local >= pd.Timestamp(self.start)) & (local < pd.Timestamp(self.end))

    def by_end(self, moments: pd.Series) -> pd.Series:
        """True where the moment falls before the window's end (on or before its last day)."""
        return self.local(moments) < pd.Timestamp(self.end)

    def after_end(self, moments: pd.Series) -> pd.Series:
        """True where the moment falls after the window's last day (NaT: never)."""
        return self.local(moments) >= pd.Timestamp(self.end)
