"""The `oefenkiosk` command, and the README that documents it."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SHIPPED, minimal, reference_bomb, shipped_files, write_scenario
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


def _readme_commands() -> list[str]:
    block = re.search(r"```(?:sh|bash)?\n(.*?)```", README, re.S)
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


@pytest.mark.parametrize("uid", [0, 1000], ids=["root-without-sudo", "user-with-sudo"])
@pytest.mark.parametrize("which", [0, 1], ids=["run", "test"])
def test_readme_commands_work_for_root_and_for_a_user_with_sudo(tmp_path, uid, which):
    """Each command is run by a real shell; only apt-get, make, id and sudo are stand-ins."""
    calls = tmp_path / "calls"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _stub(bin_dir, "id", f"echo {uid}")
    as_root = (
        'if [ -z "$SUDO" ] && [ "$(id -u)" != 0 ]; then echo "E: Permission denied"; exit 100; fi'
    )
    _stub(bin_dir, "apt-get", f'{as_root}\necho "apt-get $*${{SUDO:+ (sudo)}}" >> {calls}')
    _stub(bin_dir, "make", f'echo "make $*" >> {calls}')
    if uid != 0:
        _stub(bin_dir, "sudo", 'SUDO=1 exec "$@"')
    command = _readme_commands()[which]
    result = subprocess.run(
        ["/bin/sh", "-c", command],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = calls.read_text().splitlines()
    target = "run" if which == 0 else "test"
    suffix = " (sudo)" if uid else ""
    assert lines == [
        f"apt-get update{suffix}",
        f"apt-get install -y make{suffix}",
        f"make {target}",
    ]


def test_a_hanging_test_fails_with_its_name(tmp_path):
    """The project's pytest settings give every test a time limit (pytest-timeout)."""
    (tmp_path / "test_hang.py").write_text(
        "import time\n\ndef test_waits_for_ever():\n    time.sleep(600)\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml")
        .read_text(encoding="utf-8")
        .replace("timeout = 300", "timeout = 2")
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", str(tmp_path / "test_hang.py")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Timeout" in result.stdout and "test_waits_for_ever" in result.stdout


def test_ci_runs_the_readme_test_command_here_and_in_a_clean_root():
    command = subprocess.run(
        ["bash", str(ROOT / ".ci" / "readme-test-command")],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    assert command.endswith("make test") and command in first_block
    for script in ("run", "clean-root"):
        assert "bash .ci/readme-test-command" in (ROOT / ".ci" / script).read_text()
    clean_root = (ROOT / ".ci" / "clean-root").read_text()
    assert "debootstrap" in clean_root and "trap cleanup EXIT" in clean_root


def test_the_ci_scripts_pass_shellcheck():
    scripts = [str(p) for p in sorted((ROOT / ".ci").iterdir())]
    result = subprocess.run(["shellcheck", *scripts], capture_output=True, text=True)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_validate_exit_codes(tmp_path, capsys):
    assert main(["validate", str(SHIPPED)]) == 0
    out = capsys.readouterr().out
    shipped = len(shipped_files())
    assert f"{shipped} ok, 0 broken" in out
    broken = minimal()
    broken["steps"][2]["next"] = "nergens"
    path = write_scenario(tmp_path, broken)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "mini.yaml:" in out and "onbekende stap 'nergens'" in out and "1 broken" in out
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
    assert "onbekende oefenkaart" in capsys.readouterr().err


# `oefenkiosk validate ...`, then the peak resident memory in MiB on the last line
_VALIDATE_AND_MEASURE = (
    "import resource, sys\n"
    "from kiosk.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    "sys.exit(code)\n"
)


def test_validate_answers_at_once_on_a_reference_bomb(tmp_path):
    path = write_scenario(tmp_path, reference_bomb(200), "bom.yaml")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", _VALIDATE_AND_MEASURE, "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,  # the old validator never answered, growing past 1.4 GB
        check=False,
    )
    seconds = time.monotonic() - started
    *lines, peak = result.stdout.splitlines()
    out = "\n".join(lines)
    assert result.returncode == 1, result.stderr
    assert "bom.yaml:" in out and "te veel verwijzingen (&/*)" in out
    assert "Traceback" not in result.stdout + result.stderr
    assert seconds < 10 and float(peak) < 200, (seconds, peak)


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


@pytest.fixture
def broken_content(tmp_path, monkeypatch):
    """A content folder with one good scenario and every kind of broken file."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "assets").symlink_to(ROOT / "assets")
    folder = home / "scenarios"
    good = minimal()
    write_scenario(folder, good, "mini.yaml")
    looping = minimal()
    looping["id"] = "rondje"
    looping["steps"][1]["next"] = "naam"
    looping["steps"][2]["next"] = "end"
    write_scenario(folder, looping, "rondje.yaml")
    too_long = minimal()
    too_long["id"] = "a" * 300
    write_scenario(folder, too_long, "lang.yaml")
    write_scenario(folder, reference_bomb(200), "bom.yaml")
    write_scenario(folder, "a: [\n", "kapot.yaml")
    write_scenario(folder, "", "leeg.yaml")
    (folder / "map.yaml").mkdir()
    for language in ("en", "ar"):
        write_scenario(folder / "translations" / language, reference_bomb(200), "mini.yaml")
    monkeypatch.setenv("OEFENKIOSK_HOME", str(home))
    monkeypatch.setenv("OEFENKIOSK_AUDIO_CACHE_DIR", str(tmp_path / "audio"))
    return folder


@pytest.mark.parametrize(
    "argv",
    [
        ["validate"],
        ["play", "rondje.yaml", "--solve"],
        ["play", "rondje.yaml"],
        ["play", "lang.yaml", "--solve"],
        ["play", "bom.yaml", "--solve"],
        ["play", "mini.yaml", "--solve"],
        ["i18n-report"],
        ["audio", "build"],
    ],
    ids=" ".join,
)
def test_no_command_prints_a_traceback_for_broken_content(broken_content, argv, capsys):
    argv = [str(broken_content / a) if a.endswith(".yaml") else a for a in argv]
    code = main(argv)  # a traceback would be an exception here
    out, err = capsys.readouterr()
    assert isinstance(code, int)
    if argv[0] == "validate":
        assert code == 1 and "nooit aan het einde" in out and "te veel verwijzingen" in out
        assert "hoogstens 64" in out
    if argv[0] == "play" and not argv[1].endswith("mini.yaml"):
        assert code == 2 and err
