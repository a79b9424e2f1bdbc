"""Nothing a visitor types reaches the disk: random text, names, phone numbers and
valid-looking BSNs are typed through every shipped scenario, then the practice
log's file bytes are searched for them."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest

from conftest import SHIPPED
from kiosk.progress.recorder import SessionRecorder
from kiosk.progress.store import EventLog
from kiosk.scenario import model
from kiosk.scenario.engine import ScenarioRun, Tap, Type
from kiosk.scenario.library import load_library
from kiosk.scenario.persona import passes_eleven_check
from kiosk.scenario.solve import example_action

NAMES = (
    "Fatima Yilmaz",
    "Mohammed al-Rashid",
    "Oksana Kovalenko",
    "Tesfaye Gebremedhin",
    "Hodan Warsame",
    "Jan de Vries",
)


def valid_bsn(rng: random.Random) -> str:
    """A random 9-digit number that passes the eleven-check, as a real BSN does."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        for last in range(10):
            if (total - last) % 11 == 0:
                number = "".join(map(str, digits)) + str(last)
                if passes_eleven_check(number) and number != "000000000":
                    return number


def secrets_to_type(rng: random.Random) -> list[str]:
    texts = [*NAMES]
    texts += [valid_bsn(rng) for _ in range(4)]
    texts += [
        "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(12))
        for _ in range(4)
    ]
    texts += [
        f"06{rng.randint(10_000_000, 99_999_999)}",
        f"{rng.randint(1000, 9999)} AB",
        f"naam{rng.randint(100, 999)}@voorbeeld.nl",
        "Mijn geheime wachtwoord!",
    ]
    return texts


def fields_and_buttons(run: ScenarioRun) -> tuple[list[str], list[str]]:
    view = run.view()
    elements = []
    if view.page:
        elements += view.page.elements
    if view.phone:
        elements += view.phone.elements
    fields = [e.id for e in elements if isinstance(e, model.Input)]
    buttons = [e.id for e in elements if isinstance(e, model.Button | model.Link)]
    return fields, buttons


@pytest.fixture(scope="module")
def library():
    return load_library(SHIPPED)


def play_noisy_session(log: EventLog, library, rng: random.Random) -> set[str]:
    """Every scenario played to the end through the engine, with names, BSNs, codes and
    passwords typed into every field on the way; returns what was typed."""
    recorder = SessionRecorder(log, "Bibliotheek Oefendorp")
    typed: set[str] = set()
    recorder.begin("ar")
    for scenario in library.scenarios:
        persona = library.persona_for(scenario)
        run = ScenarioRun(scenario, persona)
        recorder.started(scenario.id)
        noisy: set[str] = set()
        for _ in range(200):
            if run.finished:
                break
            step = run.step
            # wrong tries once per step: a wrong password can lead round a detour
            fields, buttons = fields_and_buttons(run) if step.id not in noisy else ([], [])
            noisy.add(step.id)
            for field in fields:  # wrong texts first, into every field of the step
                for text in rng.sample(secrets_to_type(rng), 4):
                    outcome = run.act(Type(field, text))
                    recorder.outcome(outcome)
                    typed.add(text)
                    if outcome.moved:
                        break
                if run.step_id != step.id:
                    break
            right = example_action(scenario, persona, step, 0)
            for button in buttons[:1]:
                if run.step_id == step.id and button != getattr(right, "element", None):
                    recorder.outcome(run.act(Tap(button)))
            if run.step_id != step.id or run.finished:
                continue  # the noise took a branch: go on from where the visitor is
            recorder.hint(step.id)
            if isinstance(right, Type):
                typed.add(right.text)  # the card's values count as typed too
            outcome = run.act(right)
            recorder.outcome(outcome)
            if outcome.finished:
                recorder.finished(run.summary())
        assert run.finished, scenario.id
    recorder.end("idle")
    return typed


def test_typed_text_names_and_bsns_never_reach_the_log_file(tmp_path, library):
    rng = random.Random(6)
    path = tmp_path / "oefenkiosk.db"
    log = EventLog(path)
    typed = play_noisy_session(log, library, rng)
    assert log.flush()
    kinds = {
        row[0]: row[1]
        for row in log.reader().execute("SELECT kind, count(*) FROM events GROUP BY kind")
    }
    log.close()

    # the walk was a real session: every scenario finished, with wrong tries on the way
    assert kinds["scenario_finished"] == len(library.scenarios)
    assert kinds["wrong_action"] > 50
    files = [p for p in tmp_path.iterdir() if p.name.startswith("oefenkiosk.db")]
    data = b"".join(p.read_bytes() for p in files)
    ids = {s.id for s in library.scenarios} | {st.id for s in library.scenarios for st in s.steps}
    searched = [t for t in typed if len(t) >= 4 and t not in ids]
    assert len(searched) > 30
    found = [t for t in searched if t.encode() in data or t.lower().encode() in data]
    assert found == []


def test_the_search_finds_text_that_is_stored(tmp_path):
    """The byte search can fail: an id that is stored is found in the file."""
    log = EventLog(tmp_path / "oefenkiosk.db")
    log.log("wrong_action", "s", scenario="digid", step="naam", element="gebruikersnaam-veld")
    assert log.flush()
    log.close()
    data = b"".join(p.read_bytes() for p in Path(tmp_path).iterdir())
    assert b"gebruikersnaam-veld" in data


def test_carried_forward_values_live_in_memory_only_and_never_reach_the_log(tmp_path):
    """A typed answer shown again on a check page and in a letter is in the run's memory,
    never in the practice log's file, and gone after a wipe."""
    from conftest import check, minimal
    from kiosk.ui.presenters import practice_view

    data = minimal()
    data["pages"]["login"]["elements"].append(
        {"type": "input", "id": "opmerking", "label": "Opmerking"}
    )
    data["pages"]["check"] = {
        "service": "DigiD (oefenen)",
        "address": "https://oefenen.digid.nl/controle",
        "elements": [
            {"type": "summary", "rows": [{"label": "Opmerking", "value": "{form.opmerking}"}]},
            {"type": "button", "id": "klaar", "text": "Klaar"},
        ],
    }
    data["letters"] = {
        "brief": {
            "sender": "DigiD",
            "date": "{date.today}",
            "subject": "Uw opmerking",
            "body": [{"text": "U schreef: {form.opmerking}", "id": "zin"}],
        }
    }
    data["steps"] = [
        {
            "id": "opmerking",
            "page": "login",
            "pictogram": "user",
            "instruction": {"nl": "Typ een opmerking."},
            "expect": {"type": "opmerking", "value": "card.city"},
            "branches": [{"when": {"type": "opmerking"}, "next": "controle"}],
        },
        {
            "id": "controle",
            "page": "check",
            "pictogram": "tap",
            "instruction": {"nl": "Tik op Klaar."},
            "expect": {"tap": "klaar"},
        },
        {
            "id": "brief",
            "letter": "brief",
            "pictogram": "letter",
            "instruction": {"nl": "Tik op de zin."},
            "expect": {"tap": "zin"},
            "next": "end",
        },
    ]
    report = check(tmp_path / "content", data)
    assert report.ok, [str(p) for p in report.problems]
    scenario = report.files[0].scenario
    rng = random.Random(14)
    log = EventLog(tmp_path / "oefenkiosk.db")
    recorder = SessionRecorder(log, "Bibliotheek Oefendorp")
    recorder.begin("nl")
    carried = []
    for _ in range(6):
        secret = f"{rng.choice(NAMES)} {valid_bsn(rng)} geheim{rng.randint(1000, 9999)}"
        secret = secret.replace(secret.split()[-2], "")  # the guard refuses a real BSN
        run = ScenarioRun(scenario, report.personas["amal"])
        recorder.started(scenario.id)
        recorder.outcome(run.act(Type("opmerking", secret)))
        shown = practice_view(run, "nl").page.elements[0].element.rows[0].value
        assert shown == secret  # carried forward to the check page, from memory
        recorder.outcome(run.act(Tap("klaar")))
        letter = practice_view(run, "nl").letter.letter
        assert secret in letter.body[0].text  # and into the letter
        run.wipe()
        assert secret not in repr(run.context) and run.context.form == {}
        assert secret not in str(practice_view(run, "nl"))
        carried.append(secret)
    recorder.end("idle")
    assert log.flush()
    log.close()
    data_bytes = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    found = [s for s in carried if s.strip().encode() in data_bytes]
    assert found == []
    assert all(part.encode() not in data_bytes for s in carried for part in s.split()[-1:])
