"""Settings: one spec, a TOML file, the environment, and never a crash."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import SETTINGS, load_config

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_defaults_without_a_file(tmp_path):
    config = load_config(tmp_path / "missing.toml", environ={})
    assert config.idle_timeout == 120 and config.idle_countdown == 30
    assert config.problems == ()


def test_file_then_environment(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('idle_timeout = 60\nkiosk_name = "Taalhuis"\n')
    config = load_config(path, environ={"OEFENKIOSK_IDLE_TIMEOUT": "45"})
    assert config.idle_timeout == 45 and config.kiosk_name == "Taalhuis"


def test_bad_values_are_reported_and_defaults_used(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('idle_timeout = "soms"\nidle_countdown = 2\nkleur = "rood"\n')
    config = load_config(path, environ={})
    assert config.idle_timeout == 120 and config.idle_countdown == 30
    joined = "\n".join(config.problems)
    assert "idle_timeout must be a whole number" in joined
    assert "idle_countdown must be at least 5" in joined
    assert "unknown setting 'kleur'" in joined


def test_a_broken_file_still_starts_the_kiosk(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("idle_timeout = = 3")
    config = load_config(path, environ={})
    assert config.idle_timeout == 120 and "cannot read" in config.problems[0]


def test_every_setting_is_documented_in_the_readme():
    assert [s.name for s in SETTINGS if f"`{s.name}`" not in README] == []
