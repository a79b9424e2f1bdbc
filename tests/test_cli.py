"""The `oefenkiosk` command, and the README that documents it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SHIPPED, minimal, shipped_files, write_scenario
from kiosk.cli import command_names, main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in command_names():
        assert name in out


def test_every_command_is_documented_in_the_readme():
    missing = [n for n in command_names() if f"oefenkiosk {n}" not in README]
    assert missing == [], f"document these in README.md: {missing}"


def test_readme_starts_with_exactly_two_commands():
    block = re.search(r"```(?:sh|bash)?\n(.*?)```", README, re.S)
    assert block, "README needs a code block at the top"
    before = README[: block.start()]
    assert "```" not in before
    commands = [
        line.split("#")[0].strip()
        for line in block.group(1).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert len(commands) == 2
    assert commands[0].rstrip().endswith("make run")
    assert commands[1].rstrip().endswith("make test")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_validate_exit_codes(tmp_path, capsys):
    assert main(["validate", str(SHIPPED)]) == 0
    out = capsys.readouterr().out
    assert "4 ok, 0 broken" in out
    broken = minimal()
    broken["steps"][2]["next"] = "nergens"
    path = write_scenario(tmp_path, broken)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "mini.yaml:" in out and "unknown step 'nergens'" in out and "1 broken" in out
    assert main(["validate", str(tmp_path / "bestaat-niet.yaml")]) == 2


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: p.stem)
def test_play_solve_prints_the_path_to_the_end(path, capsys):
    assert main(["play", str(path), "--solve"]) == 0
    out = capsys.readouterr().out
    assert "Klaar in" in out and ": correct" in out and ": wrong" not in out


def test_play_by_hand_through_the_terminal(monkeypatch, capsys, tmp_path):
    path = write_scenario(tmp_path, minimal())
    answers = iter(["3", "1", "amal.oefen", "h", "k", "99", "3"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["play", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Typ eerst uw naam." in out  # tapped 'Inloggen' too early
    assert "Goed!" in out
    assert "(kijk naar: ok)" in out  # step 2 has no written hints: 'show me' at once
    assert "Oefenkaart:" in out and "amal.oefen" in out
    assert "Kies een nummer uit de lijst." in out
    assert "Klaar!" in out


def test_play_refuses_a_broken_file(tmp_path, capsys):
    data = minimal()
    data["persona"] = "niemand"
    assert main(["play", str(write_scenario(tmp_path, data)), "--solve"]) == 2
    assert "unknown practice card" in capsys.readouterr().err


def test_python_dash_m_kiosk_works():
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0 and "validate" in result.stdout


def test_schema_command_prints_the_shipped_schema(capsys):
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == (SHIPPED / "schema.json").read_text(encoding="utf-8")
