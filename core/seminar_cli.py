"""`pedpulse seminars`: a term's seminars from a table."""

from pathlib import Path

import click

from core.cli_runtime import on_database, refuse_file
from core.seminar_import import import_seminars
from core.tables import TableError, read_table
from core.timeutil import utcnow


@click.group()
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
    try:
        rows = read_table(file)
        count = on_database(
            ctx, lambda session: import_seminars(session, rows, utcnow(), organiser)
        )
    except TableError as exc:
        refuse_file(file, exc)
    click.echo(f"Imported {count} seminars.")
