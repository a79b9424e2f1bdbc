"""oefenkiosk i18n-report: translated and audible texts per language."""

from __future__ import annotations

from conftest import SHIPPED, minimal, write_scenario
from kiosk.coverage import coverage, missing_by_scenario, report
from kiosk.scenario.library import load_library


def test_every_language_is_fully_translated_and_voices_make_it_audible():
    rows = {r.language: r for r in coverage(load_library(SHIPPED), {"nl", "en", "ar"})}
    assert set(rows) == {"nl", "en", "ar", "ti", "prs", "uk", "tr", "so"}
    for row in rows.values():
        assert row.scenario_translated == row.scenario_texts > 200
        assert row.ui_translated == row.ui_strings > 50
    total = rows["en"].scenario_texts + rows["en"].ui_strings
    assert rows["en"].heard == total and rows["en"].voice == "en"
    assert rows["ti"].heard == 0 and rows["ti"].voice is None  # recordings only, none yet
    assert rows["prs"].heard == 0  # the engine in this call has no Persian voice
    table = report(list(rows.values()))
    assert "so Soomaali" in table and "recordings only" in table


def test_a_missing_translation_shows_in_the_count(tmp_path):
    write_scenario(tmp_path, minimal())
    row = next(r for r in coverage(load_library(tmp_path), set()) if r.language == "tr")
    assert row.scenario_translated == 0 < row.scenario_texts


def test_i18n_report_follows_scenarios_dir_and_names_each_gap(tmp_path, capsys, monkeypatch):
    from kiosk.cli import main

    folder = tmp_path / "bieb"
    write_scenario(folder, minimal())
    config = tmp_path / "config.toml"
    config.write_text(f'scenarios_dir = "{folder}"\n', encoding="utf-8")
    assert main(["i18n-report", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert f"scenarios: {folder}" in out
    for code in ("en", "ar", "ti", "prs", "uk", "tr", "so"):
        assert f"missing: mini [{code}]: 10 texts not translated" in out


def test_the_shipped_scenarios_miss_no_translation():
    assert missing_by_scenario(load_library(SHIPPED)) == []
