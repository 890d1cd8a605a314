"""The README's shell examples, run as written, in order, against a temporary database.

Each line of a ```sh block either runs here (exit 0, no traceback) or is listed in
EXCLUDED with the reason and the test that covers it, so an example cannot rot unseen.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
EXCLUDED = {
    "python3 scripts/dev.py run": "needs Telegram: tests/e2e/test_polling.py runs it",
    "python3 scripts/dev.py test": "runs this very suite",
    "python3 -m venv /opt/pedpulse && /opt/pedpulse/bin/pip install .": (
        "installs outside the checkout: tests/integration/test_packaging.py does it in a "
        "temporary folder"
    ),
    "cd /srv/pedpulse && /opt/pedpulse/bin/pedpulse init && /opt/pedpulse/bin/python -m bot": (
        "the installed copy: tests/integration/test_packaging.py"
    ),
    "python3 scripts/region.py up --ports 8081,8082 --port 8088": (
        "needs Telegram's settings, PostgreSQL and Redis: tests/e2e/test_region.py runs it"
    ),
    "python3 scripts/region.py down": "tests/e2e/test_region.py runs it after up",
}


def shell_examples(text: str) -> list[str]:
    """Every command line of the ```sh blocks (indented ones in lists too), comments kept."""
    commands, inside = [], False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            inside = line.strip() == "```sh"
            continue
        if inside and line.strip():
            commands.append(line.strip())
    return commands


def _command(line: str) -> str:
    return re.sub(r"\s+#.*$", "", line).strip()


def test_every_example_is_run_or_excluded_with_a_reason() -> None:
    commands = [_command(line) for line in shell_examples(README.read_text(encoding="utf-8"))]
    assert set(EXCLUDED) <= set(commands), "an excluded example left the README"
    assert len(commands) >= 10


def test_the_readme_examples_work_as_written(tmp_path: Path) -> None:
    if not (ROOT / ".venv" / "bin" / "pedpulse").exists():
        pytest.skip("the README's commands use .venv/bin/pedpulse: run python3 scripts/dev.py")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_URL"))},
        "PEDPULSE_HOME": str(tmp_path),  # a developer's .env stays out
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'readme.sqlite3'}",
        "BOT_USERNAME": "pedpulse_city_bot",  # `invite` prints links with it
    }
    before = set(ROOT.iterdir())
    try:
        for line in shell_examples(README.read_text(encoding="utf-8")):
            if _command(line) not in EXCLUDED:
                _run(line, env)
    finally:  # what an example writes next to the README (an export) is not left behind
        for made in set(ROOT.iterdir()) - before:
            made.unlink()


def _run(line: str, env: dict[str, str]) -> None:
    done = subprocess.run(
        ["bash", "-c", line], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{line}\n{output}"
    assert "Traceback" not in output, f"{line}\n{output}"
