"""Domain exceptions that handlers translate into messages for the user."""


class PedPulseError(Exception):
    """Base class: `code` names the message key the bot shows for it."""

    code = "error"

    def __init__(self, code: str | None = None, **details: object) -> None:
        self.code = code or self.code
        self.details = details
        super().__init__(self.code)


class InviteError(PedPulseError):
    """The invite code is unknown, expired, used up, or for another municipality."""

    code = "invite_unknown"


class InvalidInput(PedPulseError):
    """Free text did not pass validation; `code` says which rule failed."""

    code = "invalid_input"


class StaleAction(PedPulseError):
    """A button belongs to a step the person is no longer at."""

    code = "stale"


class NotFound(PedPulseError):
    """A referenced record does not exist (any more)."""

    code = "not_found"


# SQLite's words for a database that cannot take a write now (full disk, I/O, locked, read-only)
_SQLITE_UNAVAILABLE = (
    "disk is full",
    "disk i/o error",
    "database is locked",
    "readonly database",
    "unable to open database",
)
# PostgreSQL SQLSTATE classes: 08 connection exception, 53 insufficient resources (53100
# disk full), 57P operator intervention (shutdown, cannot connect now)
_PG_UNAVAILABLE = ("08", "53", "57P")


def storage_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot be written now (not a bug in the request)."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError):
        state = getattr(exc.orig, "sqlstate", None) or ""
        if isinstance(state, str) and state.startswith(_PG_UNAVAILABLE):
            return True
        return any(words in str(exc.orig).lower() for words in _SQLITE_UNAVAILABLE)
    return isinstance(exc, OSError) and exc.errno == 28  # ENOSPC
