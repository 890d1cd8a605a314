"""Why a command or the bot's start cannot go on, said in one or two lines that name the fix."""

from alembic.script.revision import RevisionError
from alembic.util import CommandError
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from core.config import project_home, settings_problems
from surveys.model import InstrumentError


class CannotRun(Exception):
    """A known reason to stop: the message names the problem and the fix; no traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def explain(exc: BaseException) -> CannotRun | None:
    """The plain message for a known failure; None for an unexpected one (a bug)."""
    if isinstance(exc, CannotRun):
        return exc
    if isinstance(exc, ValidationError) and exc.title == "Settings":
        lines = "\n  ".join(settings_problems(exc))
        env = project_home() / ".env"
        return CannotRun(f"Invalid settings in the environment or {env}:\n  {lines}", 2)
    if isinstance(exc, InstrumentError):
        return CannotRun(f"A questionnaire file is broken: {exc}", 4)
    if isinstance(exc, DBAPIError):
        return CannotRun(f"The database refused the work: {first_line(exc.orig or exc)}", 3)
    if isinstance(exc, CommandError | RevisionError):  # e.g. two files with one revision id
        return CannotRun(f"The migrations cannot run: {first_line(exc)}", 3)
    return None


def unexpected(exc: BaseException, debug_command: str) -> CannotRun:
    """The message for a failure nobody foresaw: its type and text, and how to see more."""
    return CannotRun(
        f"Unexpected error: {type(exc).__name__}: {first_line(exc)}\n"
        f"Run `{debug_command}` to see the traceback.",
        1,
    )


def first_line(exc: BaseException) -> str:
    """The first line of an exception's text (drivers append SQL and links below it)."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
