"""The validated library kept between start-ups: right, fresh, and never trusted blindly."""

from __future__ import annotations

import hashlib
import logging
import pickle
import shutil
import time

import pytest

from conftest import SHIPPED, minimal, write_scenario
from kiosk.bench import write_many_scenarios
from kiosk.scenario import library_cache
from kiosk.scenario.library import load_library
from kiosk.scenario.library_cache import CACHE_FILE, content_key, load_library_cached


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "scenarios"
    shutil.copytree(SHIPPED, folder)
    return folder


def _titles(library) -> dict[str, str]:
    return {s.id: s.title.nl for s in library.scenarios}


def test_the_cached_library_is_the_library(content, tmp_path, monkeypatch):
    built = load_library_cached(content, tmp_path / "cache")
    assert (tmp_path / "cache" / CACHE_FILE).is_file()
    monkeypatch.setattr(library_cache, "load_library", lambda _f: pytest.fail("built again"))
    cached = load_library_cached(content, tmp_path / "cache")
    assert cached == built == load_library(content)


def test_a_changed_scenario_rebuilds_the_cache(content, tmp_path):
    load_library_cached(content, tmp_path / "cache")
    path = content / "nep-sms.yaml"
    text = path.read_text(encoding="utf-8")
    title = load_library(content).scenario("nep-sms").title.nl
    path.write_text(text.replace(title, "Een nieuwe titel", 1), encoding="utf-8")
    library = load_library_cached(content, tmp_path / "cache")
    assert _titles(library)["nep-sms"] == "Een nieuwe titel"


def test_a_changed_translation_rebuilds_the_cache(content, tmp_path):
    load_library_cached(content, tmp_path / "cache")
    path = content / "translations" / "en" / "nep-sms.yaml"
    text = path.read_text(encoding="utf-8")
    english = load_library(content).scenario("nep-sms").title.en
    path.write_text(text.replace(english, "A new title", 1), encoding="utf-8")
    library = load_library_cached(content, tmp_path / "cache")
    assert library.scenario("nep-sms").title.en == "A new title"


def test_a_changed_shared_flow_rebuilds_the_cache(content, tmp_path):
    load_library_cached(content, tmp_path / "cache")
    path = content / "flows" / "uitloggen.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Kijk onder aan de pagina.", "Kijk rechts.", 1), encoding="utf-8")
    library = load_library_cached(content, tmp_path / "cache")
    step = library.scenario("digid-inloggen-sms").step("uit-uitloggen")
    assert step.hints[0].nl == "Kijk rechts."


def test_a_new_and_a_removed_file_rebuild_the_cache(content, tmp_path):
    load_library_cached(content, tmp_path / "cache")
    write_scenario(content, minimal(), "mini.yaml")
    assert "mini" in _titles(load_library_cached(content, tmp_path / "cache"))
    (content / "mini.yaml").unlink()
    assert "mini" not in _titles(load_library_cached(content, tmp_path / "cache"))


def test_the_key_depends_on_every_input(content):
    key = content_key(content)
    (content / "translations" / "ar" / "nep-sms.yaml").write_text("texts: {}\n")
    assert content_key(content) != key


def test_a_damaged_cache_is_ignored_and_rebuilt(content, tmp_path, caplog):
    cache = tmp_path / "cache"
    load_library_cached(content, cache)
    path = cache / CACHE_FILE
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    path.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING):
        library = load_library_cached(content, cache)
    assert library == load_library(content)
    assert "damaged" in caplog.text
    assert path.read_bytes() != bytes(data)  # rebuilt


@pytest.mark.parametrize("garbage", [b"", b"\x00" * 100, b"oefenkiosk scenario library 2\n"])
def test_a_cache_of_nonsense_is_ignored(content, tmp_path, garbage):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / CACHE_FILE).write_bytes(garbage)
    assert load_library_cached(content, cache) == load_library(content)


def _planted(payload: bytes, key: str) -> bytes:
    """A cache file with a right key and checksum around any pickle."""
    checksum = hashlib.sha256(payload).hexdigest().encode()
    return library_cache._MAGIC + key.encode() + b"\n" + checksum + b"\n" + payload


class _RunsCode:
    def __init__(self, marker) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_planted_cache_cannot_run_code(content, tmp_path, caplog):
    cache = tmp_path / "cache"
    cache.mkdir()
    marker = tmp_path / "ran"
    payload = pickle.dumps(_RunsCode(marker))
    (cache / CACHE_FILE).write_bytes(_planted(payload, content_key(content)))
    with caplog.at_level(logging.WARNING):
        library = load_library_cached(content, cache)
    assert not marker.exists()
    assert library == load_library(content)
    assert "not scenario data" in caplog.text


def test_a_cache_that_holds_something_else_is_ignored(content, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    payload = pickle.dumps({"scenarios": ()})
    (cache / CACHE_FILE).write_bytes(_planted(payload, content_key(content)))
    assert load_library_cached(content, cache) == load_library(content)


def test_a_read_only_cache_folder_costs_only_time(content, tmp_path, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(library_cache.tempfile, "NamedTemporaryFile", refuse)
    assert load_library_cached(content, tmp_path / "cache") == load_library(content)
    assert not (tmp_path / "cache" / CACHE_FILE).exists()


def test_five_hundred_scenarios_load_from_the_cache_within_a_second(tmp_path):
    folder = tmp_path / "scenarios"
    write_many_scenarios(folder, 500)
    first = load_library_cached(folder, tmp_path / "cache")
    assert len(first.scenarios) == 500 and not first.broken_files
    assert {len(s.title.en or "") > 0 for s in first.scenarios} == {True}
    seconds = []
    for _ in range(3):
        # processor time: the machine the tests run on is shared, the wall clock is not ours
        started = time.process_time()
        library = load_library_cached(folder, tmp_path / "cache")
        seconds.append(time.process_time() - started)
    assert len(library.scenarios) == 500
    assert min(seconds) <= 1.0, seconds
