"""The oefenbewijs printed through a real CUPS to a real IPP Everywhere printer.

A private cupsd (on a Unix socket in a temporary folder) gets a queue made with
`lpadmin -m everywhere` for `ippeveprinter`, CUPS's own IPP Everywhere test printer,
which keeps every job it receives in its spool folder. ippeveprinter needs DNS-SD,
so a private D-Bus and avahi-daemon (on the loopback interface only) run beside it;
avahi-daemon runs only as root. Debian packages: cups cups-client cups-ipp-utils
cups-filters avahi-daemon dbus (make test installs them).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kiosk.certificate.model import Certificate, PractisedExercise
from kiosk.certificate.pdf import certificate_pdf
from kiosk.certificate.printing import available_printer, print_pdf

NEEDED = ("cupsd", "lpadmin", "lp", "lpstat", "ippeveprinter", "avahi-daemon", "dbus-daemon")

BUS_CONF = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={root}/bus.sock</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
"""
AVAHI_CONF = """[server]
use-ipv4=yes
use-ipv6=no
allow-interfaces=lo
enable-dbus=yes
[publish]
publish-hinfo=no
publish-workstation=no
"""
CUPSD_CONF = """Listen {root}/cups.sock
LogLevel info
WebInterface No
Browsing No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""
CUPS_FILES_CONF = """ServerRoot {root}/server
RequestRoot {root}/requests
TempDir {root}/tmp
CacheDir {root}/cache
StateDir {root}/state
AccessLog {root}/access_log
ErrorLog {root}/error_log
PageLog {root}/page_log
Sandboxing relaxed
FileDevice No
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(check, what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not come up within {seconds} s")
        time.sleep(0.1)


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def real_printer() -> Iterator[tuple[str, Path]]:
    """(the cupsd socket, the printer's spool folder) with a queue 'oefen' on that printer."""
    missing = [name for name in NEEDED if not shutil.which(name)]
    if missing or os.geteuid() != 0:
        pytest.skip(f"needs root and {', '.join(NEEDED)} (missing: {missing or 'root'})")
    root = Path(tempfile.mkdtemp(prefix="cups", dir="/tmp"))  # a socket path must be short
    started: list[subprocess.Popen] = []
    try:
        # cupsd runs its filters as the user lp: they must reach the folders.
        root.chmod(0o755)
        for folder in ("server", "requests", "tmp", "cache", "state", "spool"):
            (root / folder).mkdir()
            (root / folder).chmod(0o777)
        (root / "bus.conf").write_text(BUS_CONF.format(root=root))
        (root / "avahi.conf").write_text(AVAHI_CONF)
        (root / "cupsd.conf").write_text(CUPSD_CONF.format(root=root))
        (root / "cups-files.conf").write_text(CUPS_FILES_CONF.format(root=root))
        env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={root}/bus.sock"}
        log = (root / "daemons.log").open("wb")

        def start(*command: str) -> None:
            started.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))

        start("dbus-daemon", f"--config-file={root}/bus.conf", "--nofork")
        _wait_for((root / "bus.sock").exists, "dbus-daemon")
        start(
            "avahi-daemon",
            "-f",
            str(root / "avahi.conf"),
            "--no-drop-root",
            "--no-chroot",
            "--no-rlimits",
            "--no-proc-title",
        )
        time.sleep(1)  # avahi's client library wants the daemon registered on the bus
        port = _free_port()
        start(
            "ippeveprinter",
            *("-k", "-d", str(root / "spool"), "-p", str(port)),
            *("-f", "application/pdf,image/pwg-raster"),  # a printer that takes PDF itself
            "oefenprinter",
        )
        _wait_for(lambda: _port_open(port), "ippeveprinter")
        start("cupsd", "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf"))
        _wait_for((root / "cups.sock").exists, "cupsd")
        subprocess.run(
            [
                "lpadmin",
                "-h",
                str(root / "cups.sock"),
                "-p",
                "oefen",
                "-E",
                "-v",
                f"ipp://localhost:{port}/ipp/print",
                "-m",
                "everywhere",
            ],
            check=True,
            timeout=60,
            capture_output=True,
        )
        yield str(root / "cups.sock"), root / "spool"
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(root, ignore_errors=True)


def test_the_oefenbewijs_reaches_a_real_printer_through_cups(real_printer, monkeypatch):
    server, spool = real_printer
    cert = Certificate(
        "Bibliotheek Oost",
        date(2026, 12, 1),
        "en",
        (PractisedExercise("digid-aanvragen", "DigiD aanvragen", "Apply for DigiD", "", True),),
        "",
    )
    pdf = certificate_pdf(cert)
    monkeypatch.setenv("CUPS_SERVER", server)  # as a kiosk whose CUPS is elsewhere
    assert available_printer("oefen") == "oefen"
    assert available_printer("bestaat-niet") is None  # no default printer on this CUPS
    monkeypatch.delenv("CUPS_SERVER")
    result = print_pdf(pdf, "oefen", server=server)
    assert result.ok, result.message

    def arrived() -> list[Path]:
        return [p for p in spool.iterdir() if p.is_file() and p.stat().st_size > 0]

    _wait_for(lambda: bool(arrived()), "the print job", seconds=60)
    job = arrived()[0]
    time.sleep(0.5)  # let the printer finish writing
    assert job.name.endswith("oefenbewijs.pdf")  # the job's title, "Oefenbewijs"
    assert job.read_bytes().startswith(b"%PDF")
