"""The house plan: Kivy stays in kiosk/ui/; the core layers stay pure."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KIOSK = Path(__file__).resolve().parent.parent / "kiosk"

# package → what it must never import (ARCHITECTURE.md, "may import" column)
FORBIDDEN = {
    "scenario": {"kivy", "kiosk.ui", "kiosk.progress", "kiosk.speech", "kiosk.admin"},
    "progress": {"kivy", "kiosk.ui", "kiosk.admin"},
    "speech": {"kivy", "kiosk.ui"},
    "i18n": {"kivy", "kiosk.ui"},
    "admin": {"kivy", "kiosk.ui"},
    "network": {"kivy", "kiosk.ui", "kiosk.speech"},
    "packs": {"kivy", "kiosk.ui", "kiosk.speech", "kiosk.network"},
    "certificate": {"kivy", "kiosk.ui", "kiosk.speech", "kiosk.progress", "kiosk.network"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "__import__"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def _hits(names: set[str], banned: set[str]) -> set[str]:
    return {n for n in names for b in banned if n == b or n.startswith(b + ".")}


def test_nothing_outside_kiosk_ui_imports_kivy():
    offenders = {}
    for path in KIOSK.rglob("*.py"):
        if "ui" in path.relative_to(KIOSK).parts[:1]:
            continue
        hits = _hits(imported_modules(path), {"kivy"})
        if hits:
            offenders[str(path.relative_to(KIOSK))] = hits
    assert offenders == {}


@pytest.mark.parametrize("package", [p for p in sorted(FORBIDDEN) if (KIOSK / p).is_dir()])
def test_layers_import_only_what_the_plan_allows(package):
    folder = KIOSK / package
    offenders = {
        str(path.relative_to(KIOSK)): hits
        for path in folder.rglob("*.py")
        if (hits := _hits(imported_modules(path), FORBIDDEN[package]))
    }
    assert offenders == {}


def test_the_check_finds_a_kivy_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from kivy.clock import Clock\n    import kivy.app\n")
    assert _hits(imported_modules(sample), {"kivy"}) == {"kivy.clock", "kivy.app"}
