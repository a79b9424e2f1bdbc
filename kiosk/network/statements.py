"""A session's anonymous events as xAPI 1.0.3 statements, and back again.

The actor is an `account` on the network's home page named by the session's
random id: never a name, never anything typed (the practice log holds
nothing typed, so nothing typed can get here). Activities are IRIs under a
base the network chooses; verbs come from the ADL vocabulary.

Each statement's id is a UUID derived from the session and the event's place
in the log, so building the statements of a session twice gives the same ids
and an LRS never counts a resent statement twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

XAPI_VERSION = "1.0.3"

VERBS: dict[str, str] = {
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "terminated": "http://adlnet.gov/expapi/verbs/terminated",
    # a volunteer skipped the step for the visitor (cmi5 uses 'waived' the same way)
    "waived": "https://w3id.org/xapi/adl/verbs/waived",
    "exited": "http://adlnet.gov/expapi/verbs/exited",
}
VERB_NAMES = {iri: name for name, iri in VERBS.items()}

ACTIVITY_TYPES = {
    "kiosk": "http://activitystrea.ms/schema/1.0/application",
    "scenario": "http://adlnet.gov/expapi/activities/simulation",
    "step": "http://adlnet.gov/expapi/activities/interaction",
}

# One namespace for every statement and registration id the kiosk makes.
_NAMESPACE = uuid.UUID("0b4b7a8e-5f0c-4d41-9a0e-6f6b1f0e7a11")


@dataclass(frozen=True)
class Network:
    """Where the statements are about: the network's home page and activity base."""

    home_page: str
    activity_base: str

    def extension(self, name: str) -> str:
        return f"{self.activity_base}/extensions/{name}"

    def kiosk_activity(self) -> dict:
        return _activity(self.activity_base, "kiosk", "Oefenkiosk")

    def scenario_activity(self, scenario: str) -> dict:
        return _activity(f"{self.activity_base}/scenarios/{scenario}", "scenario", scenario)

    def step_activity(self, scenario: str, step: str) -> dict:
        iri = f"{self.activity_base}/scenarios/{scenario}/steps/{step}"
        return _activity(iri, "step", f"{scenario} / {step}")


def _activity(iri: str, kind: str, name: str) -> dict:
    return {
        "objectType": "Activity",
        "id": iri,
        "definition": {"type": ACTIVITY_TYPES[kind], "name": {"nl-NL": name}},
    }


def statement_id(session: str, seq: int) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"statement/{session}/{seq}"))


def registration(session: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"session/{session}"))


def timestamp(minute: str) -> str:
    """The event's minute (local time, no finer on purpose) with the kiosk's UTC offset."""
    local = dt.datetime.strptime(minute, "%Y-%m-%dT%H:%M").astimezone()
    return local.isoformat(timespec="seconds")


def duration(seconds: int) -> str:
    return f"PT{int(seconds)}S"


def seconds_of(value: str) -> int:
    """'PT95S' or 'PT1M35S' → 95 (the forms the kiosk and most LRSs write)."""
    text = value.upper().removeprefix("PT")
    total, number = 0.0, ""
    for char in text:
        if char.isdigit() or char == ".":
            number += char
            continue
        total += float(number or 0) * {"H": 3600, "M": 60, "S": 1}.get(char, 0)
        number = ""
    return round(total)


@dataclass
class _StepCounts:
    wrong: Counter
    hints: int = 0
    show_me: int = 0

    def result_extensions(self, network: Network) -> dict:
        extensions = {
            network.extension("wrong-tries"): self.wrong.total(),
            network.extension("hints"): self.hints,
            network.extension("show-me"): self.show_me,
        }
        if self.wrong:
            extensions[network.extension("wrong-elements")] = dict(sorted(self.wrong.items()))
        return extensions


def session_statements(events: Iterable[dict], network: Network) -> list[dict]:
    """The statements for one session's events (rows of the practice log, in order)."""
    return list(_statements(sorted(events, key=lambda e: e["seq"]), network))


def _statements(events: list[dict], network: Network) -> Iterator[dict]:
    language, mode, kiosk = "nl", "visitor", ""
    steps: dict[tuple[str, str], _StepCounts] = {}

    def counts(event: dict) -> _StepCounts:
        key = (event.get("scenario") or "", event.get("step") or "")
        return steps.setdefault(key, _StepCounts(Counter()))

    def make(event: dict, verb: str, obj: dict, result: dict | None = None, parent=None) -> dict:
        extensions = {network.extension("kiosk"): kiosk, network.extension("mode"): mode}
        for field in ("scenario", "step", "content"):
            if event.get(field):
                extensions[network.extension(field)] = event[field]
        context: dict[str, Any] = {
            "registration": registration(event["session"]),
            "platform": "Oefenkiosk",
            "language": language,
            "extensions": extensions,
            "contextActivities": {"grouping": [{"id": network.activity_base}]},
        }
        if parent:
            context["contextActivities"]["parent"] = [{"id": parent}]
        statement = {
            "id": statement_id(event["session"], event["seq"]),
            "actor": {
                "objectType": "Agent",
                "account": {"homePage": network.home_page, "name": event["session"]},
            },
            "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
            "object": obj,
            "context": context,
            "timestamp": timestamp(event["minute"]),
            "version": XAPI_VERSION,
        }
        if result is not None:
            statement["result"] = result
        return statement

    for event in events:
        kind = event["kind"]
        scenario = event.get("scenario") or ""
        if kind == "session_started":
            language = event.get("language") or language
            mode = event.get("mode") or mode
            kiosk = event.get("kiosk") or kiosk
            yield make(event, "launched", network.kiosk_activity())
        elif kind == "mode_changed":
            mode = event.get("mode") or mode
        elif kind == "scenario_started":
            language = event.get("language") or language
            yield make(event, "attempted", network.scenario_activity(scenario))
        elif kind == "wrong_action":
            counts(event).wrong[event.get("element") or ""] += 1
        elif kind == "hint_shown":
            counts(event).hints += 1
        elif kind == "show_me":
            counts(event).show_me += 1
        elif kind in ("step_correct", "step_skipped"):
            step = counts(event)
            steps.pop((scenario, event.get("step") or ""), None)
            result = {"extensions": step.result_extensions(network)}
            verb = "answered" if kind == "step_correct" else "waived"
            if verb == "answered":
                result["success"] = True
            obj = network.step_activity(scenario, event.get("step") or "")
            parent = network.scenario_activity(scenario)["id"]
            yield make(event, verb, obj, result, parent)
        elif kind == "scenario_finished":
            result = {
                "completion": True,
                "duration": duration(event.get("seconds") or 0),
                "extensions": {
                    network.extension("wrong-tries"): event.get("wrong") or 0,
                    network.extension("hints"): event.get("hints") or 0,
                },
            }
            yield make(event, "completed", network.scenario_activity(scenario), result)
        elif kind == "scenario_left":
            # the step where the visitor stopped keeps its wrong tries: that is where it was hard
            step = steps.pop((scenario, event.get("step") or ""), _StepCounts(Counter()))
            extensions = step.result_extensions(network)
            extensions[network.extension("reason")] = event.get("reason") or ""
            result = {"completion": False, "extensions": extensions}
            yield make(event, "terminated", network.scenario_activity(scenario), result)
        elif kind == "session_ended":
            result = {"extensions": {network.extension("reason"): event.get("reason") or ""}}
            yield make(event, "exited", network.kiosk_activity(), result)


def events_from_statement(statement: dict, network: Network) -> Iterator[dict]:
    """What the practice log of the kiosk held, as far as the statistics need it.

    Used to read a network's statements back into the same statistics as one kiosk's.
    """
    verb = VERB_NAMES.get(statement.get("verb", {}).get("id", ""))
    context = statement.get("context") or {}
    extensions = context.get("extensions") or {}
    result = statement.get("result") or {}
    result_extensions = result.get("extensions") or {}
    base = {
        "session": (statement.get("actor", {}).get("account") or {}).get("name", ""),
        "minute": _minute(statement.get("timestamp", "")),
        "kiosk": extensions.get(network.extension("kiosk"), ""),
        "scenario": extensions.get(network.extension("scenario"), ""),
        "step": extensions.get(network.extension("step"), ""),
        # only `attempted` names the content version; the statistics find it by session
        "content": extensions.get(network.extension("content")) or None,
    }
    if verb == "attempted":
        yield {**base, "kind": "scenario_started"}
    elif verb == "completed":
        seconds = seconds_of(result.get("duration", "PT0S"))
        yield {**base, "kind": "scenario_finished", "seconds": seconds}
    wrong_elements = result_extensions.get(network.extension("wrong-elements")) or {}
    for element, count in wrong_elements.items():
        for _ in range(int(count)):
            yield {**base, "kind": "wrong_action", "element": element}


def _minute(value: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()  # the reader's local time, as `oefenkiosk stats` counts days
    return moment.strftime("%Y-%m-%dT%H:%M")
