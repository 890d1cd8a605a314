"""The commands of the README, needing only Python 3.11+ and pip.

python3 scripts/dev.py setup  # install into .venv and create the database: the CLI, no token
python3 scripts/dev.py run    # the same, then start the bot (needs BOT_TOKEN)
python3 scripts/dev.py test   # install into .venv, run ruff, mypy and pytest
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
# pytest workers: most of a test's time is waiting (processes starting, the fake server,
# databases), so four share two cores well; `-n N` or `-p no:xdist` in the arguments wins
WORKERS = "4"

NO_TOKEN = """\
BOT_TOKEN is not set, so the bot cannot start.
  1. Get a token from @BotFather in Telegram (/newbot).
  2. Put it into the file .env next to README.md:  BOT_TOKEN=123456:ABC...
     (copy .env.example to .env to see every setting).
The command line needs no token: python3 scripts/dev.py setup, then .venv/bin/pedpulse --help
"""
READY = """\
Ready. The command line: .venv/bin/pedpulse --help (README.md, "For the methodological
service"). The bot: python3 scripts/dev.py run, once BOT_TOKEN is in .env.
"""


def ensure_environment(extras: str) -> None:
    """Create .venv and install the project when pyproject.toml changed since the last time."""
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / f".installed{extras}"
    # An environment with the dev extras also serves `run`.
    for done in {stamp, VENV / ".installed[dev]"}:
        if done.exists() and done.read_text() == done.name + digest:
            return
    print("Installing PedPulse and its dependencies (the first time takes a few minutes) ...")
    step([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    step([PYTHON, "-m", "pip", "install", "--quiet", "-e", f".{extras}"])
    stamp.write_text(stamp.name + digest)


def step(command: list[str | Path]) -> None:
    code = subprocess.call([str(part) for part in command], cwd=ROOT)
    if code != 0:
        sys.exit(code)


def dotenv() -> dict[str, str]:
    """The settings given in `.env` of the project folder (empty values left out)."""
    env_file = Path(os.environ.get("PEDPULSE_HOME") or ROOT) / ".env"
    found: dict[str, str] = {}
    if env_file.exists():
        for line in env_file.read_text(encoding="utf-8").splitlines():
            key, sep, value = line.partition("=")
            if sep and not key.strip().startswith("#") and value.strip().strip("'\""):
                found[key.strip()] = value.strip().strip("'\"")
    return found


def has_token() -> bool:
    return bool(os.environ.get("BOT_TOKEN") or dotenv().get("BOT_TOKEN"))


def setup() -> None:
    ensure_environment("")
    step([BIN / "pedpulse", "init"])
    print(READY)


def run() -> None:
    if not has_token():
        print(NO_TOKEN, file=sys.stderr)
        sys.exit(2)
    ensure_environment("")
    step([BIN / "pedpulse", "init"])
    os.chdir(ROOT)
    os.execv(PYTHON, [str(PYTHON), "-m", "bot"])


def test(pytest_args: list[str]) -> None:
    ensure_environment("[dev]")
    step([PYTHON, "-m", "ruff", "check", "."])
    step([PYTHON, "-m", "ruff", "format", "--check", "."])
    step([PYTHON, "-m", "mypy", "."])
    chosen = any(a.startswith("-n") or a == "no:xdist" for a in pytest_args)
    workers = [] if chosen else ["-n", WORKERS]
    code = subprocess.call([str(PYTHON), "-m", "pytest", *workers, *pytest_args], cwd=ROOT)
    if code == 5:
        print("pytest collected no tests: that is a failure.", file=sys.stderr)
        sys.exit(1)
    sys.exit(code)


def main() -> None:
    command, *rest = sys.argv[1:] or ["help"]
    if command == "setup":
        setup()
    elif command == "run":
        run()
    elif command == "test":
        test(rest)
    else:
        print(__doc__)
        sys.exit(0 if command == "help" else 2)


if __name__ == "__main__":
    main()
