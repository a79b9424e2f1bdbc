"""A kiosk installed without its pictogram registry or icon font still offers every exercise."""

from __future__ import annotations

import shutil

import pytest

from conftest import SHIPPED
from kiosk.paths import assets_dir
from kiosk.scenario.library import load_library
from kiosk.scenario.pictograms import glyph, load_pictograms


@pytest.fixture
def home_without(tmp_path, monkeypatch):
    """A copy of the shipped content (found through OEFENKIOSK_HOME) lacking one asset."""

    def make(missing: str):
        home = tmp_path / "home"
        shutil.copytree(assets_dir(), home / "assets")
        (home / "scenarios").symlink_to(SHIPPED)
        (home / "assets" / missing).unlink()
        monkeypatch.setenv("OEFENKIOSK_HOME", str(home))
        return home

    return make


def test_without_the_pictogram_registry_every_scenario_still_loads(home_without):
    complete = load_library(SHIPPED)
    home_without("pictograms.yaml")
    library = load_library(SHIPPED)
    assert library.broken_files == ()
    assert [s.id for s in library.scenarios] == [s.id for s in complete.scenarios]
    warnings = [str(p) for p in library.problems if "pictograms.yaml" in p.file]
    assert warnings and "let op: " in warnings[0]


def test_an_unknown_pictogram_is_still_an_error_when_the_registry_is_there(tmp_path):
    from conftest import check, messages, minimal

    data = minimal()
    data["steps"][0]["pictogram"] = "bestaat-niet"
    report = check(tmp_path, data)
    assert not report.ok
    assert any("onbekend pictogram 'bestaat-niet'" in m for m in messages(report))


def test_a_pictogram_that_cannot_be_drawn_has_no_glyph():
    registry = load_pictograms()
    assert glyph(registry, "sms", font_ok=True) == chr(0xF08D3)
    assert glyph(registry, "sms", font_ok=False) is None  # no icon font: no empty box
    assert glyph(registry, "bestaat-niet", font_ok=True) is None
    assert glyph({}, "sms", font_ok=True) is None


def test_signs_that_stand_in_for_pictograms_are_in_the_text_fonts():
    from fontTools.ttLib import TTFont

    from kiosk.scenario.pictograms import FALLBACK_TEXT

    registry = load_pictograms()
    assert set(FALLBACK_TEXT) <= set(registry)
    for font in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        covered = TTFont(assets_dir() / "fonts" / font).getBestCmap()
        missing = {c for text in FALLBACK_TEXT.values() for c in text if ord(c) not in covered}
        assert not missing, f"{font} lacks {missing}: they would show as empty boxes"
