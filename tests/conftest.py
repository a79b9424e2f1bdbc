"""Shared helpers: the shipped content, and tiny scenarios built in code."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from kiosk.paths import scenarios_dir
from kiosk.scenario.validate import Report, scenario_files, validate_paths

SHIPPED = scenarios_dir()

# A small but complete scenario: a page with a field and a button, a phone,
# a branch, feedback rules and hints. Tests change one thing and check.
MINIMAL = {
    "schema_version": 1,
    "id": "mini",
    "title": {"nl": "Mini"},
    "summary": {"nl": "Een kleine oefening."},
    "theme": "financien",
    "organisation": "digid",
    "minutes": 2,
    "level": 1,
    "persona": "amal",
    "codes": {"sms": "123456"},
    "pages": {
        "login": {
            "service": "DigiD (oefenen)",
            "address": "https://oefenen.digid.nl/inloggen",
            "elements": [
                {"type": "heading", "text": "Inloggen"},
                {"type": "input", "id": "naam", "label": "Gebruikersnaam"},
                {"type": "input", "id": "bsn", "label": "BSN", "input": "number"},
                {"type": "button", "id": "ok", "text": "Inloggen"},
                {"type": "link", "id": "hulp", "text": "Hulp"},
                {"type": "checkbox", "id": "akkoord", "text": "Akkoord"},
                {
                    "type": "select",
                    "id": "keuze",
                    "label": "Keuze",
                    "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}],
                },
            ],
        },
        "fout": {
            "service": "DigiD (oefenen)",
            "address": "https://oefenen.digid.nl/fout",
            "elements": [{"type": "button", "id": "terug", "text": "Opnieuw"}],
        },
    },
    "steps": [
        {
            "id": "naam",
            "page": "login",
            "pictogram": "user",
            "instruction": {"nl": "Typ uw gebruikersnaam."},
            "expect": {"type": "naam", "value": "card.digid_username"},
            "wrong": [
                {"when": {"tap": "ok"}, "feedback": {"nl": "Typ eerst uw naam."}},
                {"when": {"type": "naam"}, "feedback": {"nl": "Niet de naam van de kaart."}},
            ],
            "hints": [{"nl": "Kijk naar het vak."}, {"nl": "Typ de naam van de kaart."}],
        },
        {
            "id": "knop",
            "page": "login",
            "pictogram": "tap",
            "instruction": {"nl": "Tik op Inloggen."},
            "expect": {"tap": "ok"},
            "next": "end",
            "branches": [{"when": {"tap": "hulp"}, "next": "hulp"}],
            "feedback": {"nl": "Tik op de knop Inloggen."},
        },
        {
            "id": "hulp",
            "page": "fout",
            "pictogram": "tap",
            "instruction": {"nl": "Tik op Opnieuw."},
            "expect": {"tap": "terug"},
            "next": "knop",
        },
    ],
}


def minimal() -> dict:
    """A fresh deep copy of the minimal scenario, to change in a test."""
    return copy.deepcopy(MINIMAL)


def write_scenario(folder: Path, data: dict | str, name: str = "mini.yaml") -> Path:
    """Write a scenario (dict or raw text) beside a copy of the shipped personas."""
    folder.mkdir(parents=True, exist_ok=True)
    personas = folder / "personas.yaml"
    if not personas.exists():
        personas.write_text((SHIPPED / "personas.yaml").read_text(encoding="utf-8"))
    path = folder / name
    text = (
        data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    )
    path.write_text(text, encoding="utf-8")
    return path


def check(tmp_path: Path, data: dict | str) -> Report:
    return validate_paths([write_scenario(tmp_path, data)])


def messages(report: Report) -> list[str]:
    return [str(p) for p in report.problems]


@pytest.fixture(autouse=True, scope="session")
def _private_data_home(tmp_path_factory):
    """Nothing a test does reads or writes the real user's kiosk data folder."""
    import os

    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("data-home"))


@pytest.fixture(scope="session")
def shipped_report() -> Report:
    return validate_paths([SHIPPED])


def shipped_files() -> list[Path]:
    return scenario_files([SHIPPED])


@pytest.fixture(scope="session")
def kiosk():
    """The running kiosk in a window on a virtual display, driven by touches."""
    import os
    import tempfile

    from kiosk.display import stop_xvfb
    from kiosk_driver import KioskDriver, ensure_display

    server = ensure_display()
    os.environ["KIVY_HOME"] = tempfile.mkdtemp(prefix="kivy-home-")
    # no sound card here: SDL's dummy device plays silently, so the audio path runs
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from kiosk.ui.launch import WindowOptions, configure_kivy

    configure_kivy(WindowOptions(windowed=True, size=(800, 480)))
    import kiosk.ui.app as kiosk_app
    from kiosk.config import load_config
    from kiosk.scenario.library import load_library
    from kiosk.ui.app import KioskApp

    # The tidy-up after a wipe walks every object (a few hundred ms): tests end a session
    # in their setup, so it runs there, on the next frame, not in the middle of a test.
    kiosk_app.SETTLE_AFTER_WIPE_S = 0
    audio_cache = tempfile.mkdtemp(prefix="kiosk-audio-")
    data = tempfile.mkdtemp(prefix="kiosk-data-")
    settings = load_config(
        Path("/nonexistent/config.toml"),
        environ={"OEFENKIOSK_AUDIO_CACHE_DIR": audio_cache, "OEFENKIOSK_DATA_DIR": data},
    )
    app = KioskApp(settings, load_library(SHIPPED), windowed=True)
    app._run_prepare()
    driver = KioskDriver(app)
    driver.pump(5)
    yield driver
    app.stop()
    stop_xvfb(server)


def reference_bomb(per_level: int = 200) -> str:
    """A valid scenario of a few KB whose aliases nest pages x elements x options.

    Filled in, it would hold per_level**3 options: the file that froze the kiosk.
    """
    options = ",".join(["&o {id: a, text: A}"] + ["*o"] * (per_level - 1))
    elements = ",".join(
        [f"&e {{type: select, id: keuze, label: K, options: [{options}]}}"]
        + ["*e"] * (per_level - 1)
    )
    pages = ",".join(
        [f"p0: &p {{service: DigiD (oefenen), address: oefenen.nl, elements: [{elements}]}}"]
        + [f"p{i}: *p" for i in range(1, per_level)]
    )
    return (
        "schema_version: 1\nid: bom\ntitle: {nl: Bom}\nsummary: {nl: Bom}\n"
        "theme: financien\norganisation: digid\nminutes: 2\nlevel: 1\npersona: amal\n"
        f"pages: {{{pages}}}\n"
        "steps: [{id: a, page: p0, pictogram: tap, instruction: {nl: Tik.}, "
        "expect: {choose: keuze, option: a}}]\n"
    )
