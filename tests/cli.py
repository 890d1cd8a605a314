"""Running `pedpulse` in-process as a person would, in an empty project folder of its own."""

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from core.cli import main

ROOT = Path(__file__).resolve().parents[1]
ROSTER = ROOT / "examples" / "roster.csv"
SETTINGS = ("BOT_TOKEN", "BOT_USERNAME", "DATABASE_URL", "TELEGRAM_API_URL", "LOG_LEVEL")


def invoke(*args: str, **env: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def assert_refused(result: Result, code: int, message: str) -> None:
    """Refused as a person should see it: the exit code, the problem named, no traceback."""
    assert result.exit_code == code, result.output
    assert message in result.output, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def isolate(folder: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, bytes]) -> Path:
    """`folder` as the current and project folder, holding `files`; no setting leaks in."""
    monkeypatch.chdir(folder)
    monkeypatch.setenv("PEDPULSE_HOME", str(folder))
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def with_files(args: list[str], folder: Path) -> list[str]:
    """Arguments with each @name turned into the path of that file in `folder`."""
    return [str(folder / a[1:]) if a.startswith("@") else a for a in args]
