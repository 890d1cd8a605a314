"""`pedpulse instruments` and `pedpulse score`: the questionnaire key, by hand or on paper."""

import csv
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import click

from core.cli_runtime import settings_of
from surveys.engine import AnswerError, Value, check_answer, score
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


def answers_from_codes(instrument: Instrument, codes: list[str]) -> dict[str, Value]:
    """Answers in item order (an empty field: unanswered), checked like the bot checks them."""
    if len(codes) > len(instrument.items):
        raise click.BadParameter(f"{len(codes)} answers for {len(instrument.items)} items")
    answers: dict[str, Value] = {}
    for item, raw in zip(instrument.items, codes, strict=False):
        if not raw.strip():
            continue
        try:
            answers[item.id] = check_answer(instrument, item, raw)
        except AnswerError as exc:
            raise click.BadParameter(f"item {item.id}: {raw!r} ({exc.code})") from exc
    return answers


@click.command("score")
@click.argument("key")
@click.option("--answers", help="Answer codes in item order, comma-separated, e.g. 4,3,,5.")
@click.option(
    "--answers-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with one respondent per row (codes in item order).",
)
@click.pass_context
def score_cmd(
    ctx: click.Context, key: str, answers: str | None, answers_file: Path | None
) -> None:
    """Scale scores, bands and derived scores of KEY as JSON (null: too few answers)."""
    instrument = _instrument(key, settings_of(ctx).instruments_dir)
    if (answers is None) == (answers_file is None):
        raise click.UsageError("give --answers or --answers-file")
    if answers is not None:
        click.echo(_dump(score(instrument, answers_from_codes(instrument, answers.split(",")))))
        return
    assert answers_file is not None
    with answers_file.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    results = [score(instrument, answers_from_codes(instrument, row)).to_json() for row in rows]
    click.echo(json.dumps(results, ensure_ascii=False, indent=2))


def _dump(result: Any) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2)
