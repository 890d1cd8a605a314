"""All instruments the service offers: the built-in folder plus an optional folder of its own."""

from pathlib import Path

from surveys.loader import load
from surveys.model import Instrument, InstrumentError

BUILT_IN = Path(__file__).resolve().parent / "instruments"


def load_all(extra: Path | None = None) -> dict[str, Instrument]:
    """Every instrument by key; a broken file or a repeated key stops the start with a reason."""
    found: dict[str, Instrument] = {}
    folders = [BUILT_IN] + ([extra] if extra else [])
    for folder in folders:
        if not folder.is_dir():
            raise InstrumentError(str(folder), "folder", "does not exist")
        for path in sorted(folder.glob("*.yaml")):
            instrument = load(path)
            if instrument.key in found:
                first = Path(found[instrument.key].path).name
                raise InstrumentError(path.name, "key", f"{instrument.key!r} is also in {first}")
            found[instrument.key] = instrument
    return found


def check_paths(paths: list[Path]) -> list[str]:
    """Problems of the given files or folders (empty when all are valid)."""
    problems = []
    for path in paths:
        files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        for file in files:
            try:
                load(file)
            except InstrumentError as exc:
                problems.append(str(exc))
    return problems
