"""The `pedpulse` command: database set-up, roster and seminar import, invite links."""

import asyncio
import json
import sys
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import click
from sqlalchemy.ext.asyncio import AsyncSession

from core import db, logs
from core.config import Settings, load_settings
from core.errors import NotFound
from core.invites import (
    ROLE_INVITES,
    RoleInviteRequest,
    deep_link,
    find_municipality,
    find_school,
    parse_duration,
    role_link,
    school_link,
)
from core.models import Role
from core.roster import import_roster, parse_roster
from core.seminar_import import import_seminars
from core.survey_cli import instruments, score_cmd
from core.tables import TableError, read_table
from core.timeutil import utcnow

T = TypeVar("T")
TELEGRAM_API = "https://api.telegram.org"


def _settings(ctx: click.Context) -> Settings:
    settings = ctx.obj
    assert isinstance(settings, Settings)
    return settings


def _run(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def _main() -> T:
        engine = db.create_engine(settings.database_url)
        try:
            async with db.create_sessionmaker(engine)() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(_main())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def main(ctx: click.Context) -> None:
    """PedPulse: teacher development and monitoring bot. Settings come from the env and .env."""
    ctx.obj = load_settings()
    ctx.call_on_close(logs.configure(ctx.obj))


@main.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create or upgrade the database to the newest schema."""
    url = _settings(ctx).database_url
    db.upgrade(url)
    click.echo(f"Database is at revision {db.head_revision()}.")


@main.command("import-roster")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_roster_cmd(ctx: click.Context, file: Path) -> None:
    """Load municipalities, schools and headcounts from a CSV or XLSX FILE.

    Columns: municipality, timezone, school, teachers, then one column per subject with its
    headcount. Re-importing updates; a file with any problem is refused whole.
    """
    settings = _settings(ctx)
    try:
        schools = parse_roster(read_table(file), settings.default_timezone)
    except TableError as exc:
        click.echo(f"{file}: refused, nothing was imported:", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    summary = _run(settings, lambda session: import_roster(session, schools))
    click.echo(
        f"Imported {summary.schools_created} new and {summary.schools_updated} updated schools "
        f"in {summary.municipalities} municipalities, {summary.subjects} subjects."
    )


@main.command()
@click.option("--school", help="School name: print the teachers' link of this school.")
@click.option(
    "--role", type=click.Choice([r.value for r in ROLE_INVITES]), help="Make a one-time role link."
)
@click.option("--municipality", help="Municipality of the role link (or of the school).")
@click.option("--expires", default=None, help="Role link lifetime, e.g. 7d, 12h, 2w.")
@click.option("--uses", type=click.IntRange(min=1), default=None, help="Role link uses [1].")
@click.pass_context
def invite(
    ctx: click.Context,
    school: str | None,
    role: str | None,
    municipality: str | None,
    expires: str | None,
    uses: int | None,
) -> None:
    """Print an invite link: a school's teacher link, or a role link for a municipality."""
    settings = _settings(ctx)
    if (school is None) == (role is None):
        raise click.UsageError("give either --school NAME or --role ROLE --municipality NAME")
    if role is not None and municipality is None:
        raise click.UsageError("--role needs --municipality NAME")
    try:
        lifetime = parse_duration(expires) if expires else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--expires") from exc

    async def _make(session: AsyncSession) -> str:
        now = utcnow()
        if school is not None:
            found = await find_school(session, school, municipality)
            return (await school_link(session, found.id, now)).code
        town = await find_municipality(session, str(municipality))
        request = RoleInviteRequest(Role(str(role)), town.id, lifetime, uses or 1)
        return (await role_link(session, request, now)).code

    try:
        code = _run(settings, _make)
    except NotFound as exc:
        raise click.ClickException(_not_found_message(exc)) from exc
    click.echo(deep_link(_bot_username(settings), code))


def _not_found_message(exc: NotFound) -> str:
    name = exc.details.get("name")
    return {
        "school_unknown": f"no school called {name!r}: import the roster first",
        "school_ambiguous": f"several schools are called {name!r}: add --municipality",
        "municipality_unknown": f"no municipality called {name!r}: import the roster first",
    }.get(exc.code, exc.code)


def _bot_username(settings: Settings) -> str:
    if settings.bot_username:
        return settings.bot_username.lstrip("@")
    if settings.bot_token is None:
        raise click.ClickException("set BOT_USERNAME or BOT_TOKEN in .env to build the link")
    base = (settings.telegram_api_url or TELEGRAM_API).rstrip("/")
    url = f"{base}/bot{settings.bot_token.get_secret_value()}/getMe"
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 (fixed scheme)
            username = json.load(response)["result"]["username"]
    except (OSError, ValueError, KeyError) as exc:
        raise click.ClickException(f"could not ask Telegram for the bot's name ({exc})") from exc
    return str(username)


@main.command("make-migration", hidden=True)
@click.argument("message")
@click.option("--rev-id", required=True, help="Sequential id, e.g. 0002.")
@click.pass_context
def make_migration(ctx: click.Context, message: str, rev_id: str) -> None:
    """Developer tool: autogenerate a migration from the models (database must be at head)."""
    url = _settings(ctx).database_url
    db.upgrade(url)
    db.make_revision(url, message, rev_id)


@main.group()
def seminars() -> None:
    """Seminars planned for a term."""


@seminars.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--organiser", type=int, default=None, help="Telegram id of the organiser.")
@click.pass_context
def import_seminars_cmd(ctx: click.Context, file: Path, organiser: int | None) -> None:
    """Publish the seminars of a CSV or XLSX FILE (not announced; listed in /seminars).

    Columns: municipality, title, start (25.12.2026 15:00, local time), duration (minutes),
    format (очно, онлайн, смешанный), place, link, capacity, tags (competency areas), description.
    A file with any problem is refused whole.
    """
    settings = _settings(ctx.find_root())
    try:
        rows = read_table(file)
        count = _run(settings, lambda session: import_seminars(session, rows, utcnow(), organiser))
    except TableError as exc:
        click.echo(f"{file}: refused, nothing was imported:", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    click.echo(f"Imported {count} seminars.")


main.add_command(instruments)
main.add_command(score_cmd)
