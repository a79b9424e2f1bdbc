"""deploy_kiosk.sh: lint, help, refusals, the dry-run plan, a staging install and the PIN step.

The staging tests install into a temporary root (`--root`): a real venv with Kivy from
PyPI, the config, the Kivy settings and the systemd units, then run the script again and
expect nothing to change. Only apt-get, useradd, systemctl and chown are left out there.
"""

from __future__ import annotations

import configparser
import hashlib
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from kiosk.admin.control import EXIT_TO_DESKTOP
from kiosk.config import SPEC, load_config

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "deploy_kiosk.sh"
STAFF_PIN = "482913"
VOLUNTEER_PIN = "771204"
TOUCH_PROVIDERS = ("probesysfs", "mtdev", "hidinput", "linuxwacom")
# Not copied into the snapshot the staging install is made from (nor by the script).
SNAPSHOT_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", ".hypothesis", ".pytest_cache", ".ruff_cache",
    "*.egg-info", "screenshots", "bench-out",
)  # fmt: skip


def fake_os_release(folder: Path, text: str) -> Path:
    path = folder / "os-release"
    path.write_text(text)
    return path


DEBIAN_12 = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'
DEBIAN_12 += "VERSION_CODENAME=bookworm\n"
# Raspberry Pi OS (64-bit) says it is Debian; since October 2025 it is Debian 13.
DEBIAN_13 = 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nID=debian\nVERSION_ID="13"\n'
DEBIAN_13 += "VERSION_CODENAME=trixie\n"


def run(args, *, env=None, cwd=None, timeout=300, script=SCRIPT) -> subprocess.CompletedProcess:
    """The script without a terminal, as in CI and unattended installs."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("OEFENKIOSK_")}
    full_env.update(env or {})
    return subprocess.run(
        ["bash", str(script), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
    )


def nothing_installed(folder: Path) -> str:
    """A PATH whose dpkg-query knows no package: the plan is the one of a fresh machine."""
    bin_folder = folder / "fake-bin"
    bin_folder.mkdir(exist_ok=True)
    fake = bin_folder / "dpkg-query"
    fake.write_text('#!/bin/sh\necho "dpkg-query: no packages found matching $*" >&2\nexit 1\n')
    fake.chmod(0o755)
    return f"{bin_folder}:{os.environ['PATH']}"


@pytest.fixture
def debian(tmp_path) -> dict[str, str]:
    """Pretend a fresh Debian 12 on x86_64: the plan does not depend on the test machine."""
    release = fake_os_release(tmp_path, DEBIAN_12)
    return {
        "OEFENKIOSK_OS_RELEASE": str(release),
        "OEFENKIOSK_ARCH": "x86_64",
        "PATH": nothing_installed(tmp_path),
    }


def changed_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("  + ", "  ~ "))]


# --- the script as a file -----------------------------------------------------------------


def test_shellcheck_finds_nothing():
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is missing: apt-get install shellcheck (make test does)"
    result = subprocess.run([shellcheck, str(SCRIPT)], capture_output=True, text=True)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_script_is_executable_and_strict():
    assert os.access(SCRIPT, os.X_OK)
    text = SCRIPT.read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in text


def test_make_test_installs_shellcheck():
    makefile = (ROOT / "Makefile").read_text()
    line = next(x for x in makefile.splitlines() if x.startswith("TEST_PACKAGES"))
    assert "shellcheck" in line.split()


FAKE_DPKG_QUERY_TRIXIE = """#!/bin/sh
# Debian 13: every package is installed, libmtdev1 under its new name libmtdev1t64.
shift 2  # -W -f=FORMAT
for name in "$@"; do
    [ "$name" = libmtdev1 ] || printf 'install ok installed\\n'
done
"""


def test_a_second_make_on_debian_13_installs_nothing(tmp_path):
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    for name, text in {
        "dpkg-query": FAKE_DPKG_QUERY_TRIXIE,
        "apt-get": f'#!/bin/sh\necho "$*" >> {tmp_path}/apt-get.log\n',
        "sudo": f'#!/bin/sh\necho "$*" >> {tmp_path}/apt-get.log\n',
    }.items():
        (bin_folder / name).write_text(text)
        (bin_folder / name).chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_folder}:{os.environ['PATH']}")
    result = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "system-test"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "Installing" not in result.stdout
    assert not (tmp_path / "apt-get.log").exists()


def test_help_names_every_option():
    result = run(["--help"])
    assert result.returncode == 0, result.stderr
    for option in (
        "--mode desktop|console",
        "--dry-run",
        "--update",
        "--uninstall",
        "--purge",
        "--root DIR",
        "--restart-at HH:MM",
        "--desktop-user",
        "--watchdog-sec",
        "--pins",
        "OEFENKIOSK_STAFF_PIN",
        "OEFENKIOSK_VOLUNTEER_PIN",
        "OEFENKIOSK_PIP_ARGS",
        "journalctl -u oefenkiosk -f",
    ):
        assert option in result.stdout, option


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "unknown option"),
        (["--mode", "kiosk"], "--mode is desktop or console"),
        (["--restart-at", "25:00"], "--restart-at wants a time"),
        (["--restart-at", "4:30"], "--restart-at wants a time"),
        (["--watchdog-sec", "2"], "--watchdog-sec wants"),
        (["--purge"], "--purge goes with --uninstall"),
        (["--update", "--uninstall"], "do not go together"),
        (["--mode"], "--mode needs a value"),
    ],
)
def test_bad_options_are_refused(args, message):
    result = run(["--dry-run", *args])
    assert result.returncode != 0
    assert message in result.stderr


# --- which systems -------------------------------------------------------------------------

UBUNTU = 'ID=ubuntu\nVERSION_ID="{}"\nVERSION_CODENAME={}\n'
UNSUPPORTED = {
    "fedora": ('ID=fedora\nVERSION_ID="40"\nPRETTY_NAME="Fedora 40"\n', "x86_64", "unsupported"),
    "ubuntu-22.04": (UBUNTU.format("22.04", "jammy"), "x86_64", "unsupported"),
    "ubuntu-24.04-arm": (UBUNTU.format("24.04", "noble"), "aarch64", "unsupported"),
    "debian-11": ('ID=debian\nVERSION_ID="11"\n', "x86_64", "unsupported"),
    "pi-os-32-bit": ('ID=raspbian\nVERSION_ID="12"\n', "armv7l", "32-bit"),
    "pi-os-trixie-32-bit": ('ID=raspbian\nVERSION_ID="13"\n', "armv7l", "32-bit"),
    "debian-14": ('ID=debian\nVERSION_ID="14"\n', "aarch64", "unsupported"),
    "debian-12-riscv": (DEBIAN_12, "riscv64", "unsupported architecture"),
}


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_an_unsupported_system_is_refused_clearly(name, tmp_path):
    text, arch, message = UNSUPPORTED[name]
    release = fake_os_release(tmp_path, text)
    env = {"OEFENKIOSK_OS_RELEASE": str(release), "OEFENKIOSK_ARCH": arch}
    result = run(["--dry-run", "--root", str(tmp_path / "root")], env=env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Raspberry Pi OS trixie or bookworm (64-bit)" in result.stderr  # what is supported
    assert "==> System packages" not in result.stdout  # stopped before doing anything


@pytest.mark.parametrize(
    ("text", "arch", "shown"),
    [
        (DEBIAN_12, "aarch64", "Raspberry Pi OS / Debian 12"),
        (DEBIAN_12, "x86_64", "Debian 12"),
        (DEBIAN_13, "aarch64", "Raspberry Pi OS / Debian 13"),
        (DEBIAN_13, "x86_64", "Debian 13"),
        (UBUNTU.format("24.04", "noble"), "x86_64", "Ubuntu 24.04"),
    ],
)
def test_the_supported_systems_are_accepted(text, arch, shown, tmp_path):
    release = fake_os_release(tmp_path, text)
    env = {"OEFENKIOSK_OS_RELEASE": str(release), "OEFENKIOSK_ARCH": arch}
    result = run(["--dry-run", "--mode", "console", "--root", str(tmp_path / "root")], env=env)
    assert result.returncode == 0, result.stderr
    assert f"system: {shown}" in result.stdout


# --- the dry run ---------------------------------------------------------------------------

SYSTEM_PATHS = [
    "/opt/oefenkiosk",
    "/etc/oefenkiosk",
    "/var/lib/oefenkiosk",
    "/etc/systemd/system/oefenkiosk.service",
    "/etc/systemd/system/oefenkiosk-restart.timer",
    "/etc/systemd/user/oefenkiosk.service",
    "/home/kioskdesk",
]


def system_state() -> dict:
    def stamp(path: str):
        p = Path(path)
        return (p.exists(), p.stat().st_mtime_ns if p.exists() else None)

    users = subprocess.run(["getent", "passwd", "oefenkiosk"], capture_output=True, text=True)
    return {"paths": {p: stamp(p) for p in SYSTEM_PATHS}, "user": users.stdout}


PLANNED_IN_BOTH = [
    "would install python3-venv espeak-ng",  # a fresh machine: every package is planned
    "libmtdev1",
    "oefenkiosk",  # the user
    "/opt/oefenkiosk/app",
    "/opt/oefenkiosk/venv",
    "pip install -e /opt/oefenkiosk/app",
    "/etc/oefenkiosk/config.toml",
    "/var/lib/oefenkiosk/kivy/config.ini",
    "watchdog 30 s",
    "every night at 04:30",
    "set the staff (medewerker) PIN (oefenkiosk set-pin staff",
    "no volunteer (vrijwilliger) PIN: OEFENKIOSK_VOLUNTEER_PIN is not set",
    "journalctl",
    "3 seconds",
    "Dry run: nothing was changed",
]
PLANNED = {
    "console": [
        "/etc/systemd/system/oefenkiosk.service",
        "/etc/systemd/system/oefenkiosk-restart.service",
        "/etc/systemd/system/oefenkiosk-restart.timer",
        "SDL_VIDEODRIVER=kmsdrm",
        "consoleblank=0",
    ],
    "desktop": [
        "/etc/systemd/user/oefenkiosk.service",
        "/etc/systemd/user/oefenkiosk-restart.timer",
        "/opt/oefenkiosk/bin/oefenkiosk-session",
        "/home/kioskdesk/.config/labwc/autostart",
        "/home/kioskdesk/.config/autostart/oefenkiosk.desktop",
        "add kioskdesk to group oefenkiosk",
        "journalctl --user -u oefenkiosk -f",
        "xwayland",  # the kiosk's window on a Wayland desktop (labwc)
    ],
}


@pytest.mark.parametrize("mode", ["console", "desktop"])
def test_the_dry_run_lists_every_action_and_changes_nothing(mode, debian):
    before = system_state()
    env = {**debian, "OEFENKIOSK_STAFF_PIN": STAFF_PIN}
    result = run(["--dry-run", "--mode", mode, "--desktop-user", "kioskdesk"], env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for text in PLANNED_IN_BOTH + PLANNED[mode]:
        assert text in out, text
    if mode == "console" and shutil.which("systemctl"):
        assert "would enable oefenkiosk.service" in out
        assert "would enable oefenkiosk-restart.timer" in out
    assert changed_lines(out), "a dry run on a fresh machine plans something"
    assert all(line.startswith("  ~ would ") for line in changed_lines(out))
    assert STAFF_PIN not in out + result.stderr
    assert system_state() == before


@pytest.mark.parametrize("mode", ["console", "desktop"])
def test_a_dry_run_into_a_staging_root_creates_nothing(mode, tmp_path, debian):
    root = tmp_path / "root"
    result = run(["--dry-run", "--mode", mode, "--desktop-user", "kioskdesk", "--root", str(root)],
                 env=debian)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "skipped: apt-get install" in result.stdout
    assert "skipped: useradd oefenkiosk" in result.stdout
    assert "would write /var/lib/oefenkiosk/kivy/config.ini" in result.stdout
    assert not root.exists()


def test_update_needs_an_installed_kiosk(tmp_path, debian):
    result = run(["--update", "--root", str(tmp_path / "root")], env=debian)
    assert result.returncode != 0
    assert "not installed" in result.stderr


# --- a staging install ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def staging(tmp_path_factory):
    """A snapshot of the project, and the script run from it into an empty staging root."""
    base = tmp_path_factory.mktemp("deploy")
    source = base / "src"
    shutil.copytree(ROOT, source, ignore=SNAPSHOT_IGNORE, symlinks=True)
    release = fake_os_release(base, DEBIAN_12)
    env = {"OEFENKIOSK_OS_RELEASE": str(release), "OEFENKIOSK_ARCH": "x86_64"}
    root = base / "root"
    first = run(["--root", str(root), "--mode", "console"], env=env, script=source / SCRIPT.name)
    return {"source": source, "root": root, "env": env, "first": first}


def again(staging, *args) -> subprocess.CompletedProcess:
    return run(["--root", str(staging["root"]), *args], env=staging["env"],
               script=staging["source"] / SCRIPT.name)  # fmt: skip


def tree_digest(root: Path) -> dict[str, str]:
    """Every file outside the venv (and Kivy's own icon cache) with its content hash."""
    digest = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith("opt/oefenkiosk/venv") or "__pycache__" in relative:
            continue
        if path.is_file():
            digest[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def unit_file(path: Path) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key, []).append(value)
    return sections


def kivy_ini(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(path.read_text())
    return parser


def touch_paths(ini: configparser.ConfigParser, mode: str) -> list[str]:
    """The routes by which a touchscreen reaches Kivy under this config."""
    entries = dict(ini.items("input"))
    raw = [k for k, v in entries.items() if v.split(",")[0] in TOUCH_PROVIDERS]
    # In a desktop session SDL turns touches into mouse events: then `mouse` is a touch path.
    # Under kmsdrm SDL makes no mouse events of touches: there `mouse` is only a mouse.
    sdl = ["mouse"] if mode == "desktop" and "mouse" in entries else []
    return raw + sdl


def test_staging_install_succeeds(staging):
    first = staging["first"]
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "Oefenkiosk 0.1.0 is installed in" in first.stdout
    assert "skipped: apt-get install" in first.stdout
    assert "skipped: oefenkiosk set-pin" in first.stdout


def test_the_app_is_importable_from_the_venv_and_finds_its_content(staging):
    root = staging["root"]
    python = root / "opt/oefenkiosk/venv/bin/python"
    assert python.is_file()
    subprocess.run([python, "-c", "import kiosk"], check=True, cwd="/")
    probe = subprocess.run(
        [python, "-c", "import kiosk.paths as p, kivy; print(p.content_root(), kivy.__version__)"],
        capture_output=True, text=True, check=True, cwd="/",
        env={k: v for k, v in os.environ.items() if not k.startswith(("OEFENKIOSK_", "KIVY"))}
        | {"KIVY_NO_CONFIG": "1", "KIVY_NO_CONSOLELOG": "1"},
    )  # fmt: skip
    content_root, kivy_version = probe.stdout.split()
    # editable install: assets/ and scenarios/ beside the package, no OEFENKIOSK_HOME needed
    assert Path(content_root) == root / "opt/oefenkiosk/app"
    assert (root / "opt/oefenkiosk/app/assets").is_dir()
    assert (root / "opt/oefenkiosk/app/scenarios").is_dir()
    assert kivy_version.startswith("2.3.")
    assert not (root / "opt/oefenkiosk/app/.git").exists()


def test_the_config_has_every_setting_and_the_data_dir(staging):
    path = staging["root"] / "etc/oefenkiosk/config.toml"
    text = path.read_text()
    values = tomllib.loads(text)
    assert values == {"data_dir": "/var/lib/oefenkiosk"}  # everything else a commented default
    for name in SPEC:
        assert f"# {name} = " in text or f"{name} = " in text, name
    config = load_config(path, environ={})
    assert all("data_dir" in problem for problem in config.problems), config.problems


def test_the_console_units_restart_and_watch_the_kiosk(staging):
    units = staging["root"] / "etc/systemd/system"
    service = unit_file(units / "oefenkiosk.service")["Service"]
    assert service["Type"] == ["notify"]
    assert service["NotifyAccess"] == ["main"]
    assert service["Restart"] == ["always"]
    assert service["WatchdogSec"] == ["30"]
    assert service["User"] == ["oefenkiosk"]
    assert service["ExecStart"] == ["/opt/oefenkiosk/venv/bin/oefenkiosk run"]
    # staff closing the kiosk on purpose is not a crash: no restart, the login prompt returns
    assert service["SuccessExitStatus"] == [str(EXIT_TO_DESKTOP)]
    assert service["RestartPreventExitStatus"] == [str(EXIT_TO_DESKTOP)]
    assert unit_file(units / "oefenkiosk.service")["Unit"]["OnSuccess"] == ["getty@tty1.service"]
    environment = service["Environment"]
    assert "SDL_VIDEODRIVER=kmsdrm" in environment
    assert "KIVY_HOME=/var/lib/oefenkiosk/kivy" in environment
    assert "OEFENKIOSK_CONFIG=/etc/oefenkiosk/config.toml" in environment
    timer = unit_file(units / "oefenkiosk-restart.timer")
    assert timer["Timer"]["OnCalendar"] == ["*-*-* 04:30:00"]
    restart = unit_file(units / "oefenkiosk-restart.service")["Service"]
    assert restart["Type"] == ["oneshot"]
    assert restart["ExecStart"] == ["/usr/bin/systemctl restart oefenkiosk.service"]


def test_the_kivy_config_has_one_touch_path_and_agrees_with_launch(staging, tmp_path):
    path = staging["root"] / "var/lib/oefenkiosk/kivy/config.ini"
    ini = kivy_ini(path)
    assert ini["kivy"]["exit_on_escape"] == "0"
    assert ini["graphics"]["fullscreen"] == "auto"
    assert ini["graphics"]["borderless"] == "1"
    assert ini["graphics"]["show_cursor"] == "0"
    assert ini["input"]["mouse"] == "mouse,disable_multitouch"
    assert touch_paths(ini, "console") == ["touchscreen"]
    assert "EXACTLY ONE path" in path.read_text()  # the why, for the next person
    # What launch.py sets at start must not differ from the file: load the file the way
    # the kiosk does, apply configure_kivy, and compare.
    home = tmp_path / "kivy"
    shutil.copytree(path.parent, home)
    check = (
        "from kivy.config import Config\n"
        "def snap(): return {s: {k: Config.get(s, k, raw=True) for k in Config.options(s)}"
        " for s in Config.sections()}\n"
        "before = snap()\n"
        "from kiosk.ui.launch import WindowOptions, configure_kivy\n"
        "configure_kivy(WindowOptions())\n"
        "after = snap()\n"
        "print(sorted((s, k) for s in after for k in after[s]"
        " if before.get(s, {}).get(k) != after[s][k]))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OEFENKIOSK_", "KIVY"))}
    env |= {"KIVY_HOME": str(home), "KIVY_NO_ARGS": "1", "KIVY_NO_CONSOLELOG": "1"}
    result = subprocess.run(
        [staging["root"] / "opt/oefenkiosk/venv/bin/python", "-c", check],
        capture_output=True, text=True, env=env, cwd="/",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert (home / "config.ini").read_text() == path.read_text()  # Kivy did not rewrite it


def test_a_second_run_changes_nothing(staging):
    before = tree_digest(staging["root"])
    result = again(staging)
    assert result.returncode == 0, result.stderr
    assert "Nothing to change" in result.stdout
    assert changed_lines(result.stdout) == []
    assert tree_digest(staging["root"]) == before


def test_desktop_mode_replaces_the_console_units(staging):
    root = staging["root"]
    result = again(staging, "--mode", "desktop", "--desktop-user", "kioskdesk",
                   "--restart-at", "05:15")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not (root / "etc/systemd/system/oefenkiosk.service").exists()
    service = unit_file(root / "etc/systemd/user/oefenkiosk.service")["Service"]
    assert service["Type"] == ["notify"] and service["NotifyAccess"] == ["main"]
    assert service["Restart"] == ["always"] and service["WatchdogSec"] == ["30"]
    assert service["RestartPreventExitStatus"] == [str(EXIT_TO_DESKTOP)]
    assert not any("kmsdrm" in e for e in service["Environment"])
    timer = unit_file(root / "etc/systemd/user/oefenkiosk-restart.timer")
    assert timer["Timer"]["OnCalendar"] == ["*-*-* 05:15:00"]
    launcher = root / "opt/oefenkiosk/bin/oefenkiosk-session"
    assert os.access(launcher, os.X_OK)
    assert "systemctl --user --no-block start oefenkiosk.service" in launcher.read_text()
    autostart = (root / "home/kioskdesk/.config/labwc/autostart").read_text()
    assert "/opt/oefenkiosk/bin/oefenkiosk-session &" in autostart
    entry = (root / "home/kioskdesk/.config/autostart/oefenkiosk.desktop").read_text()
    assert "Exec=/opt/oefenkiosk/bin/oefenkiosk-session" in entry
    ini = kivy_ini(root / "var/lib/oefenkiosk/kivy/config.ini")
    assert touch_paths(ini, "desktop") == ["mouse"]
    assert ini["input"]["mouse"] == "mouse,disable_multitouch"
    # the mode is remembered: a plain second run keeps it and changes nothing
    second = again(staging)
    assert "Nothing to change" in second.stdout, second.stdout
    assert "display mode: desktop" in second.stdout


def test_update_brings_a_new_version_and_keeps_the_settings(staging):
    root, source = staging["root"], staging["source"]
    config = root / "etc/oefenkiosk/config.toml"
    config.write_text(config.read_text() + 'kiosk_name = "Bibliotheek Oefendorp"\n')
    readme = source / "scenarios/README.md"
    readme.write_text(readme.read_text() + "\nNieuw in deze versie.\n")
    result = again(staging, "--update")
    assert result.returncode == 0, result.stderr
    assert "copy the app" in result.stdout
    assert "PINs kept" in result.stdout
    assert (root / "opt/oefenkiosk/app/scenarios/README.md").read_text().endswith("versie.\n")
    assert 'kiosk_name = "Bibliotheek Oefendorp"' in config.read_text()
    assert "display mode: desktop" in result.stdout  # as installed before
    assert "Nothing to change" in again(staging, "--update").stdout


def test_uninstall_keeps_the_data_and_purge_removes_it(staging):
    root = staging["root"]
    (root / "var/lib/oefenkiosk/practice.db").write_text("kept")
    result = again(staging, "--uninstall")
    assert result.returncode == 0, result.stderr
    assert not (root / "opt/oefenkiosk").exists()
    assert not (root / "etc/systemd/user/oefenkiosk.service").exists()
    assert not (root / "home/kioskdesk/.config/autostart/oefenkiosk.desktop").exists()
    assert (root / "var/lib/oefenkiosk/practice.db").read_text() == "kept"
    assert (root / "etc/oefenkiosk/config.toml").exists()
    purge = again(staging, "--uninstall", "--purge")
    assert purge.returncode == 0, purge.stderr
    assert not (root / "var/lib/oefenkiosk").exists()
    assert not (root / "etc/oefenkiosk").exists()
    assert "Nothing to change" in again(staging, "--uninstall", "--purge").stdout


# --- Raspberry Pi OS trixie: the desktop is labwc on Wayland --------------------------------

RASPI_CONFIG_BLANKING = "swayidle -w timeout 600 'wlopm --off \\*' resume 'wlopm --on \\*' &"


@pytest.fixture(scope="module")
def trixie(tmp_path_factory):
    """A desktop-mode staging install on Raspberry Pi OS trixie (Debian 13, aarch64), into
    a home whose labwc autostart already blanks the screen (raspi-config's line)."""
    base = tmp_path_factory.mktemp("trixie")
    source = base / "src"
    shutil.copytree(ROOT, source, ignore=SNAPSHOT_IGNORE, symlinks=True)
    release = fake_os_release(base, DEBIAN_13)
    env = {"OEFENKIOSK_OS_RELEASE": str(release), "OEFENKIOSK_ARCH": "aarch64"}
    root = base / "root"
    autostart = root / "home/kioskdesk/.config/labwc/autostart"
    autostart.parent.mkdir(parents=True)
    autostart.write_text(f"# my own\n{RASPI_CONFIG_BLANKING}\n")
    args = ["--root", str(root), "--mode", "desktop", "--desktop-user", "kioskdesk"]
    first = run(args, env=env, script=source / SCRIPT.name)
    return {"source": source, "root": root, "env": env, "first": first}


def test_trixie_desktop_install_autostarts_under_labwc_without_blanking(trixie):
    first, root = trixie["first"], trixie["root"]
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "system: Raspberry Pi OS / Debian 13 (trixie, aarch64)" in first.stdout
    autostart = (root / "home/kioskdesk/.config/labwc/autostart").read_text()
    assert "/opt/oefenkiosk/bin/oefenkiosk-session &" in autostart
    assert "# my own" in autostart  # the user's own lines stay
    live = [line for line in autostart.splitlines() if not line.lstrip().startswith("#")]
    assert not any("swayidle" in line for line in live), autostart  # no blanking
    launcher = (root / "opt/oefenkiosk/bin/oefenkiosk-session").read_text()
    assert "WAYLAND_DISPLAY" in launcher and "DISPLAY" in launcher


def test_on_wayland_the_kiosk_draws_through_xwayland(trixie):
    service = unit_file(trixie["root"] / "etc/systemd/user/oefenkiosk.service")["Service"]
    # Kivy's wheels bundle an SDL2 without the Wayland video driver: X11, i.e. XWayland.
    assert "SDL_VIDEODRIVER=x11" in service["Environment"]
    ini = kivy_ini(trixie["root"] / "var/lib/oefenkiosk/kivy/config.ini")
    assert touch_paths(ini, "desktop") == ["mouse"]  # the compositor owns the touchscreen


def test_trixie_second_run_changes_nothing_and_uninstall_gives_blanking_back(trixie):
    root = trixie["root"]
    again_args = ["--root", str(root)]
    script = trixie["source"] / SCRIPT.name
    second = run(again_args, env=trixie["env"], script=script)
    assert "Nothing to change" in second.stdout, second.stdout
    removed = run([*again_args, "--uninstall"], env=trixie["env"], script=script)
    assert removed.returncode == 0, removed.stderr
    autostart = (root / "home/kioskdesk/.config/labwc/autostart").read_text()
    assert autostart == f"# my own\n{RASPI_CONFIG_BLANKING}\n"


# --- the PIN step ---------------------------------------------------------------------------

FAKE_SET_PIN = """#!/bin/sh
# stands in for `oefenkiosk set-pin ROLE`: records what it was given
role=$2
printf '%s\\n' "$@" > "$LOG/argv-$role"
cat > "$LOG/stdin-$role"
env > "$LOG/env-$role"
exit "${FAKE_EXIT:-0}"
"""


def set_pins(tmp_path, env=None, *, extra="") -> tuple[subprocess.CompletedProcess, Path]:
    """Run only the script's PIN step, with a fake set-pin, by sourcing the script."""
    log = tmp_path / "log"
    log.mkdir(exist_ok=True)
    fake = tmp_path / "fake-oefenkiosk"
    fake.write_text(FAKE_SET_PIN)
    fake.chmod(0o755)
    program = (
        'source "$1"; take_pins_from_environment; '
        f'KIOSK_BIN="$2"; PIN_MARK="$3"; RUN_USER=$(id -un); {extra} '
        'as_kiosk_user() { "$@"; }; set_pins'
    )
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("OEFENKIOSK_")}
    full_env |= {"LOG": str(log), **(env or {})}
    result = subprocess.run(
        ["bash", "-c", program, "test", str(SCRIPT), str(fake), str(tmp_path / "pins-set")],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, env=full_env,
    )  # fmt: skip
    return result, log


def test_pins_from_the_environment_go_to_set_pin_on_standard_input_only(tmp_path):
    env = {"OEFENKIOSK_STAFF_PIN": STAFF_PIN, "OEFENKIOSK_VOLUNTEER_PIN": VOLUNTEER_PIN}
    result, log = set_pins(tmp_path, env)
    assert result.returncode == 0, result.stderr
    for role, pin in (("staff", STAFF_PIN), ("volunteer", VOLUNTEER_PIN)):
        assert (log / f"stdin-{role}").read_text() == pin + "\n"
        assert (log / f"argv-{role}").read_text().split() == ["set-pin", role]
        environment = (log / f"env-{role}").read_text()
        assert pin not in environment  # not inherited through OEFENKIOSK_*_PIN either
        assert "OEFENKIOSK_CONFIG=/etc/oefenkiosk/config.toml" in environment
    output = result.stdout + result.stderr
    assert STAFF_PIN not in output and VOLUNTEER_PIN not in output
    assert "set the staff (medewerker) PIN" in output
    mark = (tmp_path / "pins-set").read_text()
    assert mark.split() == ["staff", "volunteer"]
    assert STAFF_PIN not in mark
    again, _ = set_pins(tmp_path, env)
    assert "PINs were set before; kept" in again.stdout


def test_without_pins_and_without_a_terminal_the_step_is_skipped(tmp_path):
    result, log = set_pins(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("the kiosk asks staff to set it on first use") == 2
    assert list(log.iterdir()) == []  # set-pin never ran
    assert not (tmp_path / "pins-set").exists()


def test_a_bad_or_refused_pin_is_reported_without_showing_it(tmp_path):
    result, log = set_pins(tmp_path, {"OEFENKIOSK_STAFF_PIN": "12ab"})
    assert "at least 6 digits" in result.stderr
    assert "12ab" not in result.stdout + result.stderr
    assert not (log / "stdin-staff").exists()
    refused, _ = set_pins(tmp_path, {"OEFENKIOSK_STAFF_PIN": STAFF_PIN, "FAKE_EXIT": "2"})
    assert refused.returncode == 0  # the install goes on; the kiosk asks on first use
    assert "setting the staff (medewerker) PIN failed" in refused.stderr
    assert STAFF_PIN not in refused.stdout + refused.stderr
    assert not (tmp_path / "pins-set").exists()


def test_update_never_touches_the_pins(tmp_path):
    env = {"OEFENKIOSK_STAFF_PIN": STAFF_PIN}
    result, log = set_pins(tmp_path, env, extra="ACTION=update;")
    assert "PINs kept" in result.stdout
    assert list(log.iterdir()) == []


# --- the README ---------------------------------------------------------------------------


def test_the_readme_ends_with_the_install_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## Kiosk installeren\n") :]
    assert "\n## " not in section[1:], "the install guide is the last section"
    for text in (
        "sudo ./deploy_kiosk.sh",
        "### Raspberry Pi",
        "### Een pc met Debian 12 of 13, of Ubuntu 24.04",
        "### Het Touch Display 2",
        "Screen Configuration",
        "vc4-kms-dsi-ili9881-7inch,invx,invy",
        "labwc/autostart",
        "### Een Windows-pc",
        "oefenkiosk run",
        "pip install",
        "Toegewezen toegang",
        "### Het scherm blijft zwart",
        "journalctl -u oefenkiosk",
        "journalctl --user -u oefenkiosk",
        "3 seconden",
        "--update",
        "--uninstall",
    ):
        assert text in section, text
