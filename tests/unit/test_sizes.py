"""Modules stay small enough to read: at most 300 lines, functions at most 40."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("bot", "core", "surveys", "migrations")
MAX_MODULE, MAX_FUNCTION = 300, 40


def _sources() -> list[Path]:
    return [p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py")]


def test_no_module_is_longer_than_300_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in _sources()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE
        and "versions" not in p.parts  # a migration is written once and read rarely
    }
    assert long == {}


def test_no_function_is_longer_than_40_lines() -> None:
    long = {}
    for path in _sources():
        if "versions" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                size = node.end_lineno - node.lineno + 1
                if size > MAX_FUNCTION:
                    long[f"{path.relative_to(ROOT)}:{node.name}"] = size
    assert long == {}
