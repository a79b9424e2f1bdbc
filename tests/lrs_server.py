"""A real Learning Record Store for the tests: Ralph with its file-system backend on 127.0.0.1.

`make test` installs Ralph in its own environment (.venv-lrs); a test that needs
the LRS fails, with this message, when it is not there.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LRS_BIN = Path(os.environ.get("OEFENKIOSK_LRS_VENV", ROOT / ".venv-lrs")) / "bin"
USER, PASSWORD = "kiosk-netwerk", "oefen-geheim-7"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_UUID = re.compile(rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_TIMESTAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?")
_DURATION = re.compile(rb"(?<=\")P(?:\d+D)?T[0-9.HMS]*(?=\")")


class Ralph:
    """One Ralph LRS process; stop, kill and start it again over the same storage."""

    def __init__(self, folder: Path, niceness: int = 0) -> None:
        if not (LRS_BIN / "uvicorn").exists():
            raise RuntimeError(f"Ralph is not installed in {LRS_BIN.parent}: run `make test`")
        self.folder = folder
        self.niceness = niceness
        self.storage = folder / "statements"
        self.storage.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI/"
        self.process: subprocess.Popen | None = None
        self.env = {
            **os.environ,
            "RALPH_APP_DIR": str(folder / "app"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.storage),
            "RALPH_SENTRY_DSN": "",
        }
        subprocess.run(
            [str(LRS_BIN / "ralph"), "auth", "--write-to-disk", "-u", USER, "-p", PASSWORD,
             "-s", "statements/write", "-s", "statements/read", "-M", "mailto:netwerk@example.org"],
            env=self.env, check=True, capture_output=True, timeout=60,
        )  # fmt: skip

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["nice", "-n", str(self.niceness),
             str(LRS_BIN / "uvicorn"), "ralph_app:app", "--app-dir", str(HERE),
             "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1", "--no-access-log"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph stopped: {self.process.stderr.read().decode()[-2000:]}")
            try:
                requests.get(self.url.removesuffix("xAPI/") + "__lbheartbeat__", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("Ralph did not start within 60 s")

    def kill(self) -> None:
        """As a power cut or an out-of-memory kill would: no time to finish anything."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None

    def statements(self) -> list[dict]:
        """Every statement the LRS has, read through its xAPI API."""
        found: list[dict] = []
        url: str | None = self.url + "statements"
        params: dict | None = {"limit": "500"}
        while url:
            response = requests.get(
                url,
                params=params,
                auth=(USER, PASSWORD),
                headers={"X-Experience-API-Version": "1.0.3"},
                timeout=30,
            )
            response.raise_for_status()
            page = response.json()
            found.extend(page["statements"])
            more = page.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more else None
            params = None
        return found

    def stored_bytes(self) -> bytes:
        return b"".join(p.read_bytes() for p in self.folder.rglob("*") if p.is_file())

    def stored_content(self) -> bytes:
        """What the LRS keeps, with the random and clock-made parts blanked: statement ids,
        timestamps and durations. A typed value of a few digits is then found only where
        it was really stored, not by chance inside a UUID or a microsecond."""
        data = self.stored_bytes()
        for pattern in (_UUID, _TIMESTAMP, _DURATION):
            data = pattern.sub(b"#", data)
        return data
