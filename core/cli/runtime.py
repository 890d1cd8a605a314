"""What every `pedpulse` command shares: settings, a ready database, and one error boundary."""

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from sqlalchemy.ext.asyncio import AsyncSession

from core import db, logs, readiness
from core.config import Settings, load_settings
from core.failures import explain, unexpected
from core.tables import TableError

T = TypeVar("T")


class Guarded(click.Group):
    """A command group whose failures are one or two plain lines and an exit code.

    A click usage error keeps click's own message; anything else is explained by
    `core.failures`, and `--debug` lets the traceback through for whoever needs it.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:  # `pedpulse … | head` stopped reading: nothing went wrong
            _quiet_stdout()
            ctx.exit(0)
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            failure = explain(exc) or unexpected(exc, "pedpulse --debug …")
            click.echo(f"Error: {failure}", err=True)
            ctx.exit(failure.exit_code)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so Python's flush at exit does not fail on the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def settings_of(ctx: click.Context) -> Settings:
    """The settings, read on first use (so `--help` works even with a broken .env)."""
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = load_settings()
        root.call_on_close(logs.configure(root.obj))
    return root.obj


def on_database(ctx: click.Context, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in a session on a database at the newest schema (never creating one)."""
    url = settings_of(ctx).database_url

    async def _main() -> T:
        engine = await readiness.ready_engine(url)
        try:
            async with db.create_sessionmaker(engine)() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(_main())


def refuse_file(file: Path, error: TableError, outcome: str = "nothing was imported") -> NoReturn:
    """Print every problem of a refused file and exit 1: nothing was written."""
    click.echo(f"{file}: refused, {outcome}:", err=True)
    for problem in error.problems:
        click.echo(f"  {problem}", err=True)
    raise click.exceptions.Exit(1)
