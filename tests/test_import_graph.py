"""The apps' dependencies point one way: notifications → discussions → circles → readings, every
app may use accounts, accounts uses none of them, and only `demo` composes them all. Read from
the code itself: every Python import (at the top of a module or inside a function) and every
`apps.get_model("app", …)` string. And no module under `views` imports another views module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lowest first: each app may use the apps before it in this list, never those after it.
LAYERS = ["accounts", "readings", "circles", "discussions", "notifications", "demo"]
RANK = {app: rank for rank, app in enumerate(LAYERS)}


def modules(app: str) -> list[Path]:
    return sorted(p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path) -> set[str]:
    """The dotted names `path` imports, relative imports resolved, plus the apps named in
    `get_model("app", …)` / `get_model("app.Model")` calls."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else None
    package = package or module_name(path)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value.split(".")[0])
    return names


def edges() -> list[tuple[str, str, str]]:
    """(module, the app it uses, the name it imports) for every use of another project app."""
    found = []
    for app in LAYERS:
        for path in modules(app):
            for name in imported(path):
                target = name.split(".")[0]
                if target in RANK and target != app or target == "config":
                    found.append((module_name(path), target, name))
    return found


def test_the_layers_are_the_installed_apps_in_order(settings):
    project = [app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()]
    assert project == LAYERS


@pytest.mark.parametrize("app", LAYERS)
def test_each_app_uses_only_the_apps_below_it(app):
    upward = [
        (module, name)
        for module, target, name in edges()
        if module.split(".")[0] == app and (target == "config" or RANK[target] > RANK[app])
    ]
    assert upward == []


def test_the_graph_reads_imports_the_way_python_does():
    """The reader itself: a lower app's import of a higher one would be caught."""
    found = {(module, target) for module, target, _ in edges()}
    assert ("discussions.services", "circles") in found  # from circles.models import Circle
    assert ("notifications.fanout", "discussions") in found  # from discussions import signals
    assert ("demo.management.commands.demo", "notifications") in found
    assert not any(module.startswith("readings.") for module, _ in found if _ != "accounts")


@pytest.mark.parametrize("app", [app for app in LAYERS if (ROOT / app / "views").is_dir()])
def test_no_views_module_imports_another(app):
    for path in modules(app):
        if "views" not in path.parts:
            continue
        views = {
            name
            for name in imported(path)
            if ".views." in f"{name}." and not name.startswith("django.")
        }
        assert views == set(), module_name(path)
