"""All instruments the service offers: the built-in folder plus an optional folder of its own."""

from pathlib import Path

from surveys.loader import load
from surveys.model import Instrument, InstrumentError

BUILT_IN = Path(__file__).resolve().parent / "instruments"
RESOURCES = Path(__file__).resolve().parent / "resources.yaml"  # materials for routes, by area


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


def check_paths(paths: list[Path], extra: Path | None = None) -> list[str]:
    """Problems of the given files or folders as the service would meet them: next to the
    shipped instruments and those of `extra` (INSTRUMENTS_DIR). Empty when all are valid."""
    problems = []
    try:
        loaded = load_all(extra)
    except InstrumentError as exc:
        problems.append(str(exc))
        loaded = load_all()
    taken = {key: Path(instrument.path) for key, instrument in loaded.items()}
    for path in paths:
        for file in sorted(path.glob("*.yaml")) if path.is_dir() else [path]:
            try:
                instrument = load(file)
            except InstrumentError as exc:
                problems.append(str(exc))
                continue
            other = taken.setdefault(instrument.key, file)
            if other.resolve() != file.resolve():
                problem = (
                    f"{instrument.key!r} is already the key of {other}: the bot would not start"
                )
                problems.append(str(InstrumentError(file.name, "key", problem)))
    return problems
