"""The koppelcode goes the real way round: the app shows it, the visitor types it on the website.

Logging in on a computer with the DigiD app [field guide 2.4; sources 7, 9]: the app
shows 4 letters, the visitor types them on the website, the website then shows a QR
code and the app scans it. Teaching the opposite order sends visitors the wrong way
on the real service, so every exercise whose right path uses the koppelcode is walked
and the order checked.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import SHIPPED
from kiosk.scenario import model
from kiosk.scenario.engine import ScenarioRun, Tap, Type, container_of
from kiosk.scenario.library import load_library
from kiosk.scenario.persona import fill, resolve
from kiosk.scenario.solve import solve

APP_LOGIN = "digid-app-inloggen"
LIBRARY = load_library(SHIPPED)


@dataclass(frozen=True)
class Sighting:
    """Where on the right path something about the koppelcode happens."""

    position: int  # index of the move in the solved path
    where: str  # 'page:x' or 'phone:x'


def _views(scenario, step):
    """The page and the phone screen a step shows, as ('page:x', Page) pairs."""
    if step.page:
        yield f"page:{step.page}", scenario.pages[step.page]
    if step.phone:
        yield f"phone:{step.phone}", scenario.phones[step.phone]


def koppelcode_path(scenario, persona):
    """Walk the right path; note where the koppelcode is shown, typed, and the QR used."""
    code = resolve("code.koppel", persona, scenario.codes)
    run = ScenarioRun(scenario, persona)
    shown, typed, qr_shown, scanned = [], [], [], []
    for position, move in enumerate(solve(scenario, persona)):
        assert run.step_id == move.step_id
        step = scenario.step(move.step_id)
        for where, view in _views(scenario, step):
            for element in view.elements:
                is_code = isinstance(element, model.CodeDisplay)
                if is_code and fill(element.value, persona, scenario.codes) == code:
                    shown.append(Sighting(position, where))
                if isinstance(element, model.QrCode):
                    qr_shown.append(Sighting(position, where))
        action = move.action
        if isinstance(action, Type) and action.text == code:
            where, _element = container_of(scenario, step, action.field)
            typed.append(Sighting(position, where))
        if isinstance(action, Tap):
            where, element = container_of(scenario, step, action.element)
            if isinstance(element, model.QrScan):
                scanned.append(Sighting(position, where))
        assert run.act(action).result == "correct"
    assert run.finished
    return shown, typed, qr_shown, scanned


def assert_real_koppelcode_order(scenario, persona):
    shown, typed, qr_shown, scanned = koppelcode_path(scenario, persona)
    assert shown, "the koppelcode is never shown on the right path"
    assert typed, "the koppelcode is never typed on the right path"
    assert all(s.where.startswith("phone:") for s in shown), (
        f"the koppelcode is shown on a web page, not in the app: {shown}"
    )
    assert all(t.where.startswith("page:") for t in typed), (
        f"the koppelcode is typed in the app, not on the website: {typed}"
    )
    assert all(q.where.startswith("page:") for q in qr_shown), (
        f"the QR code belongs on the website: {qr_shown}"
    )
    assert all(s.where.startswith("phone:") for s in scanned), (
        f"the QR code is scanned with the app on the phone: {scanned}"
    )
    first_typed = typed[0].position
    assert shown[0].position <= first_typed, "the code is typed before the app shows it"
    if scanned:  # an exercise about a wrong koppelcode may stop before the scan
        assert scanned[0].position > first_typed, "the QR code is scanned before the koppelcode"
        assert any(first_typed < q.position <= scanned[0].position for q in qr_shown), (
            "the website shows the QR code to scan only after the koppelcode is typed"
        )


def _on_a_website(scenario) -> bool:
    """Does a web page show or take the koppelcode on the right path?

    Activating a new phone from an old one passes a koppelcode between two apps;
    that route has no website and is not what this file checks.
    """
    shown, typed, _qr, _scanned = koppelcode_path(scenario, LIBRARY.persona_for(scenario))
    return any(s.where.startswith("page:") for s in shown + typed)


WITH_KOPPELCODE = [s.id for s in LIBRARY.scenarios if "koppel" in s.codes and _on_a_website(s)]


def test_the_app_login_exercise_is_shipped_and_uses_the_koppelcode():
    assert APP_LOGIN in [s.id for s in LIBRARY.scenarios], "the exercise is missing or broken"
    assert APP_LOGIN in WITH_KOPPELCODE
    scenario = LIBRARY.scenario(APP_LOGIN)  # the whole login: koppelcode, QR code, scan
    _shown, _typed, qr_shown, scanned = koppelcode_path(scenario, LIBRARY.persona_for(scenario))
    assert qr_shown and scanned, "logging in with the app shows and scans a QR code"


@pytest.mark.parametrize("scenario_id", WITH_KOPPELCODE)
def test_the_app_shows_the_koppelcode_and_the_website_takes_it(scenario_id):
    scenario = LIBRARY.scenario(scenario_id)
    assert_real_koppelcode_order(scenario, LIBRARY.persona_for(scenario))
