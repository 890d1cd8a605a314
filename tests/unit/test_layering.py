"""The layers stay honest as the tree grows: Telegram only in bot/, SQL never in bot/."""

import ast
import enum
from pathlib import Path

import core.models

ROOT = Path(__file__).resolve().parents[2]
SESSION_CALLS = {"execute", "scalar", "scalars", "get", "add", "add_all", "delete", "commit"}


def _modules(folder: str) -> list[tuple[str, ast.Module]]:
    return [
        (str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8")))
        for path in (ROOT / folder).rglob("*.py")
    ]


def _imports(tree: ast.Module) -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def test_no_module_below_bot_imports_aiogram() -> None:
    offenders = [
        name
        for folder in ("core", "surveys", "migrations")
        for name, tree in _modules(folder)
        if any(module.split(".")[0] == "aiogram" for module, _ in _imports(tree))
    ]
    assert offenders == []


def test_bot_runs_no_sql_and_holds_no_orm_rows() -> None:
    offenders = []
    for name, tree in _modules("bot"):
        for module, names in _imports(tree):
            if module.startswith("sqlalchemy") and module != "sqlalchemy.ext.asyncio":
                offenders.append(f"{name}: imports {module}")
            if module.startswith("core.models"):
                for imported in names:  # enums of stored values only, never a table
                    if not issubclass(getattr(core.models, imported), enum.Enum):
                        offenders.append(f"{name}: imports the model {imported}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "session"
                and node.func.attr in SESSION_CALLS
            ):
                offenders.append(f"{name}:{node.lineno}: session.{node.func.attr}")
    assert offenders == []


def test_surveys_is_pure() -> None:
    """The instrument engine does no I/O but reading its YAML: no database, no network."""
    for name, tree in _modules("surveys"):
        for module, _ in _imports(tree):
            assert module.split(".")[0] not in ("sqlalchemy", "aiohttp", "core", "bot"), name
