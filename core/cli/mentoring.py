"""`pedpulse mentoring export`: a municipality's mentoring paperwork without the bot."""

from pathlib import Path

import click
from sqlalchemy.ext.asyncio import AsyncSession

from core.cli.runtime import on_database, settings_of
from core.errors import NotFound
from core.mentoring.export import mentoring_workbook
from core.people.invites import find_municipality
from core.texts import load_catalogues


@click.group()
def mentoring() -> None:
    """Mentoring pairs and their programmes."""


@mentoring.command("export")
@click.option("--municipality", required=True, help="Municipality, as named in the roster.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The XLSX file to write (replaced if it exists).",
)
@click.pass_context
def export_cmd(ctx: click.Context, municipality: str, out: Path) -> None:
    """Write the registry of mentors and mentees, the pairs with their dates, every programme,
    the meetings journal and the closing reasons to an XLSX file. Relayed messages are never
    stored, so never exported; meeting notes are left out."""
    if out.suffix.lower() != ".xlsx":
        raise click.BadParameter("the file must end in .xlsx", param_hint="--out")
    t = load_catalogues()[settings_of(ctx).default_language]

    async def work(session: AsyncSession) -> bytes:
        town = await find_municipality(session, municipality)
        return await mentoring_workbook(session, town.id, t)

    try:
        data = on_database(ctx, work)
    except NotFound as exc:
        message = (
            f"no municipality called {municipality!r}: check the spelling, or import the roster"
        )
        raise click.BadParameter(message, param_hint="--municipality") from exc
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror}") from exc
    click.echo(f"Wrote the mentoring paperwork of {municipality} to {out}.")
