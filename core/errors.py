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
