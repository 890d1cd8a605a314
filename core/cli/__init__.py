"""The `pedpulse` command: database set-up, roster and seminar import, invite links, the
mentoring paperwork."""

from pathlib import Path

import click

from core import db, readiness
from core.cli.database import make_migration
from core.cli.instruments import instruments, score_cmd
from core.cli.invites import invite
from core.cli.mentoring import mentoring
from core.cli.monitoring import register as register_monitoring
from core.cli.runtime import Guarded, on_database, refuse_file, settings_of
from core.cli.seminars import seminars
from core.people.roster import import_roster, parse_roster
from core.tables import TableError, read_table


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


main.add_command(invite)
main.add_command(seminars)
main.add_command(mentoring)
main.add_command(instruments)
main.add_command(score_cmd)
main.add_command(make_migration)
register_monitoring(main)
