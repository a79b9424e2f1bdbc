"""Content packs: signed, checked, installed beside the current content, switched atomically."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import replace
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from conftest import SHIPPED
from kiosk.config import load_config
from kiosk.packs import archive
from kiosk.packs.archive import PackError
from kiosk.packs.service import (
    content_folder,
    content_label,
    content_store,
    install_file,
    install_from_url,
    usb_packs,
)
from kiosk.scenario.library import load_library

SECRET, PUBLIC = archive.new_key()
OTHER_SECRET, _ = archive.new_key()


def new_title_folder(tmp_path: Path, title: str = "Een nep-sms herkennen (nieuw)") -> Path:
    """A pack's folder: the nep-sms exercise with a new title."""
    folder = tmp_path / "inhoud"
    folder.mkdir(parents=True, exist_ok=True)
    data = yaml.safe_load((SHIPPED / "nep-sms.yaml").read_text(encoding="utf-8"))
    data["title"]["nl"] = title
    (folder / "nep-sms.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    return folder


def make_pack(tmp_path: Path, *, secret=SECRET, version="2026.2", min_kiosk="0.1", folder=None):
    folder = folder or new_title_folder(tmp_path)
    pack = tmp_path / f"basis-{version}.okpack"
    archive.build(folder, pack, "basis", version, min_kiosk)
    if secret:
        archive.sign(pack, secret)
    return pack


@pytest.fixture
def config(tmp_path):
    return load_config(
        tmp_path / "geen.toml",
        environ={
            "OEFENKIOSK_DATA_DIR": str(tmp_path / "data"),
            "OEFENKIOSK_PACK_PUBLIC_KEYS": PUBLIC,
        },
    )


def title_played(config) -> str:
    return load_library(content_folder(config)).scenario("nep-sms").title.nl


def test_a_signed_pack_installs_at_the_next_welcome_and_can_be_rolled_back(tmp_path, config):
    shipped_title = title_played(config)
    assert content_label(config) == "ingebouwd"
    installed = install_file(config, make_pack(tmp_path))
    assert installed.label == "basis 2026.2"
    assert title_played(config) == shipped_title, "staged: nothing changes mid-session"
    store = content_store(config)
    assert store.activate_staged() == installed
    assert title_played(config) == "Een nep-sms herkennen (nieuw)"
    assert content_label(config) == "basis-2026.2"
    # the pack changes one file; every other exercise is still there and valid
    played = load_library(content_folder(config))
    assert {s.id for s in played.scenarios} == {s.id for s in load_library(SHIPPED).scenarios}
    assert not played.broken_files

    second = new_title_folder(tmp_path / "tweede", "Een nep-sms herkennen (nog nieuwer)")
    install_file(config, make_pack(tmp_path, version="2026.3", folder=second))
    store.activate_staged()
    assert title_played(config) == "Een nep-sms herkennen (nog nieuwer)"
    assert store.previous().version == "2026.2"
    assert store.rollback().version == "2026.2"
    assert title_played(config) == "Een nep-sms herkennen (nieuw)"
    assert store.rollback().version == "2026.3", "rollback goes back and forth between two"
    assert len([p for p in store.versions.iterdir() if not p.name.startswith(".")]) == 2


def test_rollback_of_the_only_pack_goes_back_to_the_shipped_content(tmp_path, config):
    store = content_store(config)
    with pytest.raises(PackError, match="geen geïnstalleerd pakket"):
        store.rollback()
    install_file(config, make_pack(tmp_path))
    store.activate_staged()
    assert store.rollback() is None
    assert content_folder(config) == SHIPPED


def versions(config) -> set[str]:
    folder = content_store(config).versions
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def refused(config, pack: Path, reason: str) -> None:
    """Refused with a reason in Dutch, and the kiosk's content exactly as it was."""
    before, staged, kept = content_folder(config), content_store(config).staged(), versions(config)
    with pytest.raises(PackError, match=reason):
        install_file(config, pack)
    assert content_folder(config) == before and content_store(config).staged() == staged
    assert versions(config) == kept


def test_a_tampered_pack_is_refused(tmp_path, config):
    pack = make_pack(tmp_path)
    with zipfile.ZipFile(pack) as source:
        members = {i.filename: source.read(i) for i in source.infolist()}
    members["content/nep-sms.yaml"] = members["content/nep-sms.yaml"].replace(b"nieuw", b"NIEUW")
    with zipfile.ZipFile(pack, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    refused(config, pack, "veranderd na het ondertekenen")


def test_a_file_added_after_signing_is_refused(tmp_path, config):
    pack = make_pack(tmp_path)
    with zipfile.ZipFile(pack, "a") as target:
        target.writestr("content/extra.yaml", "id: extra\n")
    refused(config, pack, "niet in de lijst: extra.yaml")


def test_a_pack_signed_with_another_key_or_not_at_all_is_refused(tmp_path, config):
    refused(config, make_pack(tmp_path, secret=OTHER_SECRET), "handtekening klopt niet")
    refused(config, make_pack(tmp_path, secret=None), "niet ondertekend")
    no_keys = replace(config, values={**config.values, "pack_public_keys": ()})
    refused(no_keys, make_pack(tmp_path), "geen sleutel ingesteld")


def test_a_truncated_pack_is_refused(tmp_path, config):
    pack = make_pack(tmp_path)
    data = pack.read_bytes()
    pack.write_bytes(data[: len(data) // 2])
    refused(config, pack, "niet compleet")


def test_a_pack_with_a_broken_scenario_is_refused(tmp_path, config):
    folder = new_title_folder(tmp_path)
    data = yaml.safe_load((folder / "nep-sms.yaml").read_text())
    data["steps"][0]["next"] = "nergens"
    (folder / "nep-sms.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    refused(config, make_pack(tmp_path, folder=folder), "kloppen niet: nep-sms.yaml")


def test_a_pack_for_a_newer_kiosk_is_refused(tmp_path, config):
    refused(config, make_pack(tmp_path, min_kiosk="99.0"), "nieuwere kiosk")


def test_names_that_climb_out_of_the_content_are_refused(tmp_path, config):
    pack = make_pack(tmp_path)
    with zipfile.ZipFile(pack) as source:
        members = {i.filename: source.read(i) for i in source.infolist()}
    members["content/../../buiten.yaml"] = b"x"
    with zipfile.ZipFile(pack, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    refused(config, pack, "ongeldige bestandsnaam")
    assert not (tmp_path / "buiten.yaml").exists()


def test_a_pack_from_a_usb_stick(tmp_path, config):
    stick = tmp_path / "media" / "USB-STICK"
    (stick / "oefenkiosk").mkdir(parents=True)
    shutil.move(make_pack(tmp_path), stick / "oefenkiosk" / "basis-2026.2.okpack")
    found = usb_packs((tmp_path / "media" / "USB-STICK", tmp_path / "media" / "weg"))
    assert [p.name for p in found] == ["basis-2026.2.okpack"]
    assert install_file(config, found[0]).version == "2026.2"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served(tmp_path):
    """A real HTTP server on 127.0.0.1 publishing a folder (Last-Modified, If-Modified-Since)."""
    folder = tmp_path / "site"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_pack_served_over_http_is_fetched_once_and_installed(tmp_path, config, served):
    site, base = served
    shutil.copy(make_pack(tmp_path), site / "basis.okpack")
    os.utime(site / "basis.okpack", (time.time() - 60, time.time() - 60))
    url_config = replace(config, values={**config.values, "pack_url": f"{base}/basis.okpack"})
    assert install_from_url(url_config).version == "2026.2"
    assert install_from_url(url_config) is None, "not changed: a conditional GET, 304"
    with pytest.raises(PackError, match="foutcode 404"):
        install_from_url(replace(url_config, values={**url_config.values, "pack_url": f"{base}/x"}))

    shutil.copy(make_pack(tmp_path, secret=OTHER_SECRET, version="2026.9"), site / "basis.okpack")
    with pytest.raises(PackError, match="handtekening"):
        install_from_url(url_config)
    assert content_store(config).staged().version == "2026.2", "the refused pack changed nothing"


class _CutOff(BaseHTTPRequestHandler):
    """A server whose connection breaks halfway through the pack."""

    pack = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.pack)))
        self.end_headers()
        self.wfile.write(self.pack[: len(self.pack) // 2])
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args):
        pass


def test_a_download_that_breaks_off_is_refused_and_tried_again(tmp_path, config):
    handler = type("Handler", (_CutOff,), {"pack": make_pack(tmp_path).read_bytes()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/basis.okpack"
    url_config = replace(config, values={**config.values, "pack_url": url})
    try:
        for _ in range(2):  # nothing of the broken download is kept: the next check tries again
            before = content_folder(config)
            with pytest.raises(PackError, match="De download is afgebroken"):
                install_from_url(url_config)
            assert content_folder(config) == before and content_store(config).staged() is None
            assert not list((tmp_path / "data" / "download").glob("*.okpack*"))
    finally:
        server.shutdown()
        server.server_close()


INSTALL = """
import sys
from pathlib import Path
from kiosk.config import load_config
from kiosk.packs.service import content_store, install_file
config = load_config(Path(sys.argv[1]))
install_file(config, Path(sys.argv[2]))
print("staged", flush=True)
content_store(config).activate_staged()
print("active", flush=True)
"""


def test_kills_during_install_leave_the_old_or_the_new_content_never_a_mix(tmp_path):
    settings = tmp_path / "config.toml"
    data = tmp_path / "data"
    settings.write_text(f'data_dir = "{data}"\npack_public_keys = ["{PUBLIC}"]\n')
    config = load_config(settings, environ={})
    (tmp_path / "oud").mkdir()
    old_pack = make_pack(tmp_path / "oud", version="2026.1")
    install_file(config, old_pack)
    content_store(config).activate_staged()
    old_title = title_played(config)
    new_pack = make_pack(tmp_path, version="2026.2",
                         folder=new_title_folder(tmp_path / "n", "Nieuwe titel"))  # fmt: skip

    def install_in_a_child() -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", INSTALL, str(settings), str(new_pack)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    began = time.monotonic()
    assert install_in_a_child().wait(60) == 0
    whole = time.monotonic() - began
    content_store(config).rollback()
    # kills spread evenly over the whole install and after it: before, during and after
    # each step, wherever the machine's speed puts them (up to twice the measured time: a
    # busy machine can make a later install slower than the one measured)
    moments = [whole * step / 10 for step in range(21)]
    random.Random(19).shuffle(moments)
    outcomes = set()
    for moment in moments:
        child = install_in_a_child()
        time.sleep(moment)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        played = load_library(content_folder(config))
        assert not played.broken_files
        title = played.scenario("nep-sms").title.nl
        assert title in (old_title, "Nieuwe titel")
        current = content_store(config).current()
        assert current.version == ("2026.1" if title == old_title else "2026.2"), "no mix"
        outcomes.add(title)
        if title == "Nieuwe titel":  # back to the old one for the next try
            content_store(config).rollback()
            (data / "content" / "staged").unlink(missing_ok=True)
    assert outcomes == {old_title, "Nieuwe titel"}, "kills came before and after the switch"
    install_file(config, new_pack)  # an install after the kills cleans up what they left
    assert not list((data / "content" / "versions").glob(".nieuw-*"))


def test_the_terminal_commands(tmp_path, capsys):
    from kiosk.cli import main

    key = tmp_path / "sleutel.key"
    assert main(["pack", "keygen", str(key)]) == 0
    public = capsys.readouterr().out.strip().splitlines()[-1]
    assert key.stat().st_mode & 0o777 == 0o600
    pack = tmp_path / "basis.okpack"
    folder = new_title_folder(tmp_path)
    args = ["pack", "build", str(folder), "-o", str(pack), "--name", "basis", "--version", "2026.2"]
    assert main(args) == 0
    settings = tmp_path / "config.toml"
    settings.write_text(f'data_dir = "{tmp_path / "data"}"\npack_public_keys = ["{public}"]\n')
    assert main(["pack", "verify", str(pack), "--config", str(settings)]) == 1
    assert "niet ondertekend" in capsys.readouterr().err
    assert main(["pack", "sign", str(pack), "--key", str(key)]) == 0
    assert main(["pack", "verify", str(pack), "--config", str(settings)]) == 0
    assert main(["pack", "install", str(pack), "--now", "--config", str(settings)]) == 0
    assert main(["pack", "list", "--config", str(settings)]) == 0
    assert "Nu: basis 2026.2" in capsys.readouterr().out
    assert main(["pack", "rollback", "--config", str(settings)]) == 0
    assert "ingebouwde oefeningen" in capsys.readouterr().out


def test_pack_list_prints_each_packs_date_and_when_it_was_installed(tmp_path, capsys, monkeypatch):
    import datetime as dt
    from types import SimpleNamespace

    from kiosk.cli import main
    from kiosk.progress.store import minute

    def made_on(day: dt.date) -> None:
        class Day(dt.date):
            @classmethod
            def today(cls):
                return day

        monkeypatch.setattr("kiosk.packs.archive.dt", SimpleNamespace(date=Day))

    def as_staff_read(moment: float) -> str:
        return time.strftime("%d-%m-%Y %H:%M", time.localtime(moment))

    settings = tmp_path / "config.toml"
    settings.write_text(f'data_dir = "{tmp_path / "data"}"\npack_public_keys = ["{PUBLIC}"]\n')
    config = load_config(settings, environ={})
    made_on(dt.date(2026, 11, 3))
    first = make_pack(tmp_path, version="2026.1")
    made_on(dt.date(2026, 11, 24))
    second = make_pack(tmp_path, version="2026.2")
    before = time.time()
    install_file(config, first)
    content_store(config).activate_staged()
    install_file(config, second)
    after = time.time()
    installed = {f"geïnstalleerd {as_staff_read(moment)})" for moment in (before, after)}

    def listed() -> dict[str, str]:
        assert main(["pack", "list", "--config", str(settings)]) == 0
        lines = capsys.readouterr().out.strip().splitlines()
        return dict(line.split(": ", 1) for line in lines)

    lines = listed()
    assert lines["Nu"].startswith("basis 2026.1 (van 03-11-2026, ")
    assert lines["Klaar voor het volgende welkom"].startswith("basis 2026.2 (van 24-11-2026, ")
    assert lines["Vorige"] == "-"
    for line in (lines["Nu"], lines["Klaar voor het volgende welkom"]):
        assert any(line.endswith(text) for text in installed), (line, installed)
        assert minute(before)[:4] in line and "T" not in line.split("geïnstalleerd")[1]

    content_store(config).activate_staged()
    lines = listed()
    assert lines["Nu"].startswith("basis 2026.2 (van 24-11-2026, ")
    assert lines["Vorige"].startswith("basis 2026.1 (van 03-11-2026, ")
    assert lines["Klaar voor het volgende welkom"] == "-"


def test_recorded_clips_come_with_the_pack_and_the_shipped_ones_stay(tmp_path, monkeypatch):
    home = tmp_path / "kiosk"
    shutil.copytree(SHIPPED, home / "scenarios")
    (home / "assets" / "audio" / "so").mkdir(parents=True)
    shutil.copy(SHIPPED.parent / "assets" / "pictograms.yaml", home / "assets")
    (home / "assets" / "audio" / "so" / "welkom.wav").write_bytes(b"RIFF-ingebouwd")
    monkeypatch.setenv("OEFENKIOSK_HOME", str(home))
    config = load_config(
        tmp_path / "geen.toml",
        environ={
            "OEFENKIOSK_DATA_DIR": str(tmp_path / "data"),
            "OEFENKIOSK_PACK_PUBLIC_KEYS": PUBLIC,
        },
    )
    from kiosk.packs.service import clips_folder

    assert clips_folder(config) == home / "assets" / "audio"
    folder = new_title_folder(tmp_path)
    (folder / "audio" / "so").mkdir(parents=True)
    (folder / "audio" / "so" / "sms-code.wav").write_bytes(b"RIFF-uit-het-pakket")
    install_file(config, make_pack(tmp_path, folder=folder))
    content_store(config).activate_staged()
    clips = clips_folder(config)
    assert clips.parent == content_store(config).current().folder
    assert (clips / "so" / "sms-code.wav").read_bytes() == b"RIFF-uit-het-pakket"
    assert (clips / "so" / "welkom.wav").read_bytes() == b"RIFF-ingebouwd"


def test_a_pack_brings_its_own_pictograms_as_new_names_for_the_kiosks_icons(tmp_path, config):
    from kiosk.scenario.pictograms import load_pictograms, with_additions

    folder = new_title_folder(tmp_path)
    data = yaml.safe_load((folder / "nep-sms.yaml").read_text())
    data["steps"][0]["pictogram"] = "huisarts"
    (folder / "nep-sms.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    refused(config, make_pack(tmp_path, folder=folder), "onbekend pictogram 'huisarts'")

    (folder / "pictograms.yaml").write_text(
        "huisarts: {icon: doctor, codepoint: F0A42, label: Huisarts}\n"
        "tap: {icon: alert, codepoint: F0026, label: Niet deze}\n"
    )
    install_file(config, make_pack(tmp_path, folder=folder, version="2026.3"))
    content_store(config).activate_staged()
    registry = with_additions(load_pictograms(), content_folder(config))
    assert registry["huisarts"].codepoint == 0xF0A42
    assert registry["tap"] == load_pictograms()["tap"], "a kiosk's own name keeps its picture"
    played = load_library(content_folder(config))
    assert not played.broken_files and "pictograms" not in {s.id for s in played.scenarios}
