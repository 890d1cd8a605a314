"""`pedpulse seminars`: a term's seminars from a table."""

from pathlib import Path

import click

from core.cli.runtime import on_database, refuse_file
from core.errors import NotFound
from core.seminars.importer import import_seminars
from core.tables import TableError, read_table
from core.timeutil import utcnow

TELEGRAM_ID_MAX = 2**52 - 1  # Telegram: "at most 52 significant bits"; the column has 63


@click.group()
def seminars() -> None:
    """Seminars planned for a term."""


@seminars.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--organiser",
    type=click.IntRange(1, TELEGRAM_ID_MAX),
    default=None,
    help="Telegram id of the organiser.",
)
@click.pass_context
def import_seminars_cmd(ctx: click.Context, file: Path, organiser: int | None) -> None:
    """Publish the seminars of a CSV or XLSX FILE (not announced; listed in /seminars).

    Columns: municipality, title, start (25.12.2026 15:00, local time), duration (minutes),
    format (очно, онлайн, смешанный), place, link, capacity, tags (competency areas), description.
    A seminar is its municipality, title and start: importing again updates the filled cells
    and never duplicates. A file with any problem is refused whole.
    """
    try:
        rows = read_table(file)
        done = on_database(ctx, lambda s: import_seminars(s, rows, utcnow(), organiser))
    except TableError as exc:
        refuse_file(file, exc)
    except NotFound as exc:
        message = f"no person with Telegram id {organiser}: they register in the bot first"
        raise click.BadParameter(message, param_hint="--organiser") from exc
    if not done.created and not done.updated:
        click.echo(f"Nothing to change: the {done.unchanged} seminars are already as in the file.")
        return
    changed = f"{done.updated} updated, {done.unchanged} unchanged"
    click.echo(f"Imported {done.created} new seminars; {changed}.")
