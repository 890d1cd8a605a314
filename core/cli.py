"""The `pedpulse` command: database set-up, roster and seminar import, invite links."""

import json
import urllib.request
from pathlib import Path

import click
from sqlalchemy.ext.asyncio import AsyncSession

from core import db, readiness
from core.cli_runtime import Guarded, on_database, refuse_file, settings_of
from core.config import Settings
from core.dev_cli import make_migration
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
from core.seminar_cli import seminars
from core.survey_cli import instruments, score_cmd
from core.tables import TableError, read_table
from core.timeutil import utcnow

TELEGRAM_API = "https://api.telegram.org"


@click.group(cls=Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="On an unexpected error, show the traceback.")
def main(debug: bool) -> None:
    """PedPulse: teacher development and monitoring bot.

    Settings come from the environment and the .env file of the project folder.
    """


@main.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create or upgrade the database to the newest schema."""
    url = settings_of(ctx).database_url
    readiness.upgrade(url)
    click.echo(f"Database {readiness.where(url)} is at revision {db.head_revision()}.")


@main.command("import-roster")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--replace-subjects",
    is_flag=True,
    help="Make each listed school's subjects exactly the counts in its row (others removed).",
)
@click.pass_context
def import_roster_cmd(ctx: click.Context, file: Path, replace_subjects: bool) -> None:
    """Load municipalities, schools and headcounts from a CSV or XLSX FILE.

    Columns: municipality, timezone, school, teachers, then one column per subject with its
    headcount. A re-import updates what the file states and keeps the rest: a missing column
    or an empty cell erases nothing, 0 removes a subject. A file with any problem is refused
    whole; the same file twice changes nothing.
    """
    try:
        schools = parse_roster(read_table(file), settings_of(ctx).default_timezone)
    except TableError as exc:
        refuse_file(file, exc)
    summary = on_database(ctx, lambda s: import_roster(s, schools, replace_subjects))
    if not summary.changed:
        click.echo(f"Nothing to change: the database already says what {file.name} says.")
        return
    click.echo(
        f"Imported {summary.schools_created} new and {summary.schools_updated} updated schools "
        f"({summary.schools_unchanged} unchanged) in {summary.municipalities} municipalities."
    )
    for change in summary.zone_changes:
        click.echo(f"{change}: its seminars are shown in the new zone.")


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
    settings = settings_of(ctx)
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
        code = on_database(ctx, _make)
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


main.add_command(seminars)
main.add_command(instruments)
main.add_command(score_cmd)
main.add_command(make_migration)
