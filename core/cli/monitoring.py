"""`pedpulse indicators list`, `pedpulse aggregate` and `pedpulse report`: the municipal
indicators without the bot, through the same publication (disclosure control) as the bot."""

import os
from datetime import datetime
from pathlib import Path

import click
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.cli.runtime import on_database, settings_of
from core.errors import NotFound
from core.models import Municipality
from core.monitoring import store
from core.monitoring.catalogue import load_catalogue
from core.monitoring.compute import standard_periods
from core.monitoring.periods import Period, parse_period
from core.monitoring.publication import thresholds
from core.monitoring.reports import Ask, local_today, workbook_of
from core.people.invites import find_municipality
from core.texts import load_catalogues
from core.timeutil import utcnow

PERIOD_HELP = "2026-W47 (an ISO week), 2026-11 (a month) or 2026/27 (a school year)."


class Refused(click.ClickException):
    """Bad input: one line naming it, exit code 2, and nothing written."""

    exit_code = 2


@click.group()
def indicators() -> None:
    """The municipal indicators PedPulse computes."""


@indicators.command("list")
def list_cmd() -> None:
    """Each indicator: key, name, kind, denominator, definition and the concept it comes from."""
    for indicator in load_catalogue():
        click.echo(f"{indicator.key}: {indicator.name.ru}")
        click.echo(
            f"  {indicator.kind.value}, denominator: {indicator.denominator.value}, "
            f"source: {indicator.source}"
        )
        click.echo(f"  {indicator.definition.ru}")


@click.command()
@click.option("--period", help=f"Only this period: {PERIOD_HELP}")
@click.option("--municipality", help="Only this municipality, as named in the roster.")
@click.pass_context
def aggregate(ctx: click.Context, period: str | None, municipality: str | None) -> None:
    """Compute the indicators and store them as a time series: by default the last 8 weeks,
    this month and the school year of every municipality. A recomputed period replaces its
    values."""
    chosen = _period(period) if period is not None else None
    catalogue, now = load_catalogue(), utcnow()

    async def work(session: AsyncSession) -> list[tuple[str, int, list[Period]]]:
        towns = [await _town(session, municipality)] if municipality else await _all(session)
        plans = [(town, await _periods(session, town, chosen, now)) for town in towns]
        return [
            (town.name, await store.aggregate(session, catalogue, town.id, now, periods), periods)
            for town, periods in plans
        ]

    for name, count, periods in on_database(ctx, work):
        labels = ", ".join(p.label for p in periods)
        click.echo(f"{name}: {count} values stored ({labels}).")


@click.command()
@click.option("--municipality", required=True, help="Municipality, as named in the roster.")
@click.option("--period", required=True, help=PERIOD_HELP)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The XLSX file to write (replaced if it exists).",
)
@click.pass_context
def report(ctx: click.Context, municipality: str, period: str, out: Path) -> None:
    """Write the analytical report («аналитическая справка») of one period to an XLSX file:
    a sheet per indicator with its municipality, school and subject values, small groups
    hidden, and the definitions. The period is counted first if it was never stored."""
    if out.suffix.lower() != ".xlsx":
        raise Refused(f"--out: {out.name} must end in .xlsx")
    chosen = _period(period)
    _writable(out)
    settings = settings_of(ctx)
    t = load_catalogues()[settings.default_language]
    limits = thresholds(settings.min_group_size, settings.min_group_size_sensitive)

    async def work(session: AsyncSession) -> bool:
        town = await _town(session, municipality)
        now = utcnow()
        await _periods(session, town, chosen, now)
        data = await workbook_of(session, town.id, chosen, Ask(now, limits), t)
        if data is None:
            return False
        try:
            out.write_bytes(data)
        except OSError as exc:
            raise click.ClickException(f"cannot write {out}: {exc.strerror}") from exc
        await session.commit()  # what was published is remembered once it is in the file
        return True

    if on_database(ctx, work):
        click.echo(f"Wrote the analytical report of {municipality} for {chosen.label} to {out}.")
    else:
        click.echo(
            f"Nothing to report for {municipality} in {chosen.label}: no registered teachers "
            "and no school headcounts. No file was written."
        )


def register(group: click.Group) -> None:
    """Add the monitoring commands to `pedpulse`."""
    for command in (indicators, aggregate, report):
        group.add_command(command)


def _period(label: str) -> Period:
    try:
        return parse_period(label.strip())
    except ValueError as exc:  # not a label, or a year out of range
        raise Refused(f"--period: {exc}; use {PERIOD_HELP}") from None


def _writable(out: Path) -> None:
    """Refuse a file that could not be written, before anything is counted."""
    folder = out.parent
    if not folder.is_dir():
        raise click.ClickException(f"cannot write {out}: there is no folder {folder}")
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise click.ClickException(f"cannot write {out}: permission denied")


async def _town(session: AsyncSession, name: str) -> Municipality:
    try:
        return await find_municipality(session, name)
    except NotFound:
        message = f"--municipality: no municipality called {name!r}; check the spelling"
        raise Refused(f"{message}, or import the roster") from None


async def _all(session: AsyncSession) -> list[Municipality]:
    return list(await session.scalars(select(Municipality).order_by(Municipality.id)))


async def _periods(
    session: AsyncSession, town: Municipality, chosen: Period | None, now: datetime
) -> list[Period]:
    """The chosen period, refused if it has not begun there; by default the standard ones."""
    today = await local_today(session, town.id, now)
    if chosen is None:
        return list(standard_periods(today))
    if chosen.start > today:
        raise Refused(f"--period: {chosen.label} has not begun yet in {town.name}")
    return [chosen]
