"""`pedpulse instruments` and `pedpulse score`: the questionnaire key, by hand or on paper."""

import dataclasses
import json
import sys
from pathlib import Path

import click

from core.cli.paper import answers_of_row, answers_of_table
from core.cli.runtime import refuse_file, settings_of
from core.tables import TableError, TableProblem, read_table
from surveys.engine import score
from surveys.model import Instrument
from surveys.registry import check_paths, load_all


def _registry(extra: Path | None) -> dict[str, Instrument]:
    return load_all(extra)  # an InstrumentError reaches the CLI's boundary: exit 4, named


def _instrument(key: str, extra: Path | None) -> Instrument:
    registry = _registry(extra)
    if key not in registry:
        raise click.ClickException(f"no instrument {key!r}; known: {', '.join(sorted(registry))}")
    return registry[key]


@click.group()
def instruments() -> None:
    """Questionnaire instruments (YAML files in surveys/instruments and INSTRUMENTS_DIR)."""


@instruments.command("list")
@click.pass_context
def list_cmd(ctx: click.Context) -> None:
    """Keys and titles of every instrument."""
    for key, instrument in sorted(_registry(settings_of(ctx).instruments_dir).items()):
        click.echo(
            f"{key}\tv{instrument.version}\t{instrument.title['ru']} / {instrument.title['en']}"
        )


@instruments.command()
@click.argument("key")
@click.pass_context
def show(ctx: click.Context, key: str) -> None:
    """The parsed definition of KEY as JSON (items, scales, bands)."""
    instrument = _instrument(key, settings_of(ctx).instruments_dir)
    data = dataclasses.asdict(instrument)
    data.pop("path")
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=sorted))


@instruments.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Validate instrument files (default: every instrument the service would load).

    Each file is checked as the bot would meet it, next to the shipped instruments and those
    in INSTRUMENTS_DIR: a key already taken is a problem, like an unknown field.
    """
    if not paths:
        _registry(settings_of(ctx).instruments_dir)
        click.echo("All instruments are valid.")
        return
    problems = check_paths(list(paths), settings_of(ctx).instruments_dir)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo("All files are valid.")


@click.command("score")
@click.argument("key")
@click.option("--answers", help="Answer codes in item order, comma-separated, e.g. 4,3,,5.")
@click.option(
    "--answers-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV or XLSX, one respondent per row (codes in item order; a first row of item ids "
    "is a header).",
)
@click.pass_context
def score_cmd(
    ctx: click.Context, key: str, answers: str | None, answers_file: Path | None
) -> None:
    """Scale scores, bands and derived scores of KEY as JSON (null: too few answers).

    An empty answer is an unanswered item; a wrong one is named with what the item accepts.
    """
    instrument = _instrument(key, settings_of(ctx).instruments_dir)
    if (answers is None) == (answers_file is None):
        raise click.UsageError("give --answers or --answers-file")
    if answers is not None:
        given, problems = answers_of_row(instrument, answers.split(","))
        if problems:
            raise click.BadParameter(_typed(problems), param_hint="--answers")
        click.echo(json.dumps(score(instrument, given).to_json(), ensure_ascii=False, indent=2))
        return
    assert answers_file is not None
    try:
        respondents = answers_of_table(instrument, read_table(answers_file))
    except TableError as exc:
        refuse_file(answers_file, exc, "nothing was scored")
    results = [score(instrument, one).to_json() for one in respondents]
    click.echo(json.dumps(results, ensure_ascii=False, indent=2))


def _typed(problems: list[TableProblem]) -> str:
    return "; ".join(f"item {p.column}: {p.message}" if p.column else p.message for p in problems)
