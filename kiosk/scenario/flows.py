"""Shared flows: steps written once (the DigiD login, logging out) and used by many scenarios.

A flow lives in `scenarios/flows/<name>.yaml` with its own pages, phones,
codes and steps. A scenario uses it with one line in its steps:

    - {use: digid-inloggen-sms, id: login, with: {service: DUO, return: uitloggen}}

Before the scenario is converted, the loader puts the flow's steps in place of
that line: every step and page of the flow gets the use's id in front
(`login-wachtwoord`), `{param.x}` becomes the given value, and `next: return`
goes to `with.return`, or else to the step after the use line. Everything
happens on the parsed YAML, so the rest of the kiosk only ever sees ordinary steps.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from kiosk.scenario.problems import ContentError, Problem

FLOWS_DIR = "flows"
RETURN = "return"
"""The `next` inside a flow that leaves the flow."""

_PARAM = re.compile(r"\{param\.([A-Za-z0-9_\-]+)\}")
_VIEW_KINDS = (("page", "pages"), ("phone", "phones"), ("letter", "letters"))


def is_use(item: Any) -> bool:
    return isinstance(item, dict) and "use" in item


def flow_path(scenarios_folder: Path, name: str) -> Path:
    return scenarios_folder / FLOWS_DIR / f"{name}.yaml"


def _substitute(value: Any, params: dict[str, str]) -> Any:
    """A deep copy of `value` with `{param.x}` replaced in every string (lines kept)."""
    if isinstance(value, str):
        return _PARAM.sub(lambda m: params.get(m[1], m[0]), value)
    if isinstance(value, dict):
        result = copy.copy(value)  # keeps the line numbers of a LineMap
        result.clear()
        for key, item in value.items():
            result[key] = _substitute(item, params)
        return result
    if isinstance(value, list):
        result = copy.copy(value)
        result.clear()
        result.extend(_substitute(item, params) for item in value)
        return result
    return value


class FlowExpander:
    """Expands the `use` lines of one scenario's parsed YAML."""

    def __init__(self, file: str, folder: Path | None, read: Any) -> None:
        self.file = file
        self.folder = folder
        self.read = read  # path -> parsed YAML (raises ContentError)
        self.problems: list[Problem] = []

    def fail(self, line: int | None, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, where, message))

    def expand(self, data: dict) -> dict:
        steps = data.get("steps")
        if not isinstance(steps, list) or not any(is_use(item) for item in steps):
            return data
        item_lines = getattr(steps, "item_lines", [])
        expanded: list[Any] = []
        lines: list[int] = []
        first_of: dict[str, str] = {}
        pending: list[tuple[int, dict, int | None]] = []
        for index, item in enumerate(steps):
            line = item_lines[index] if index < len(item_lines) else None
            if is_use(item):
                pending.append((len(expanded), item, line))
                flow_steps = self._flow_steps(item, line, data)
                if flow_steps:
                    first_of[str(item.get("id"))] = flow_steps[0]["id"]
                expanded += flow_steps
                lines += [line or 0] * len(flow_steps)
            else:
                expanded.append(item)
                lines.append(line or 0)
        self._connect_returns(expanded, steps, first_of)
        self._point_at_first_steps(data, expanded, first_of)
        new_steps = copy.copy(steps)
        new_steps.clear()
        new_steps.extend(expanded)
        if hasattr(new_steps, "item_lines"):
            new_steps.item_lines = lines
        data["steps"] = new_steps
        return data

    # --- one use line -------------------------------------------------------------------

    def _flow_steps(self, use: dict, line: int | None, data: dict) -> list[dict]:
        name, prefix = use.get("use"), use.get("id")
        given = use.get("with") or {}
        where = f"steps[{prefix or name}]"
        if not isinstance(name, str) or not isinstance(prefix, str):
            self.fail(line, where, "een 'use' heeft een 'use' (de naam van de flow) en een 'id'")
            return []
        unknown = set(use) - {"use", "id", "with"}
        if unknown:
            self.fail(line, where, f"onbekend veld bij 'use': {', '.join(sorted(unknown))}")
        if not isinstance(given, dict):
            self.fail(line, f"{where}.with", "'with' is een blok met 'naam: waarde'-regels")
            return []
        if self.folder is None:
            self.fail(line, where, "gedeelde flows werken alleen in een bestand in een map")
            return []
        path = flow_path(self.folder, name)
        if not path.is_file():
            known = sorted(p.stem for p in (self.folder / FLOWS_DIR).glob("*.yaml"))
            self.fail(
                line,
                f"{where}.use",
                f"er is geen gedeelde flow {name!r} (in {FLOWS_DIR}/); "
                f"wel: {', '.join(known) or 'geen'}",
            )
            return []
        try:
            flow = self.read(path)
        except ContentError as error:
            for problem in error.problems:
                self.fail(line, where, f"de flow {name!r} is kapot: {problem}")
            return []
        if not isinstance(flow, dict) or not isinstance(flow.get("steps"), list):
            self.fail(line, where, f"de flow {name!r} heeft geen stappen ('steps')")
            return []
        params = self._params(flow, given, name, line, where)
        flow = _substitute(flow, params)
        return self._inline(flow, prefix, given, line, data)

    def _params(
        self, flow: dict, given: dict, name: str, line: int | None, where: str
    ) -> dict[str, str]:
        declared = flow.get("params") or {}
        values: dict[str, str] = {}
        for key, default in declared.items():
            if key in given:
                values[key] = str(given[key])
            elif default is None or default == "":
                self.fail(line, f"{where}.with", f"de flow {name!r} heeft '{key}' nodig")
            else:
                values[key] = str(default)
        for key in given:
            if key not in declared and key != RETURN:
                self.fail(
                    line,
                    f"{where}.with.{key}",
                    f"de flow {name!r} kent geen '{key}'; wel: {', '.join(declared) or 'niets'}",
                )
        return values

    def _inline(
        self, flow: dict, prefix: str, given: dict, line: int | None, data: dict
    ) -> list[dict]:
        own = {kind: set((flow.get(table) or {}).keys()) for kind, table in _VIEW_KINDS}
        step_ids = {s.get("id") for s in flow["steps"] if isinstance(s, dict)}
        for _kind, table in _VIEW_KINDS:
            views = flow.get(table) or {}
            if views:
                target = data.setdefault(table, {})
                if target is None:
                    target = data[table] = {}
                for view_id, view in views.items():
                    target[f"{prefix}-{view_id}"] = view
        codes = flow.get("codes") or {}
        if codes:
            target = data.get("codes") or {}
            data["codes"] = target
            for code, value in codes.items():
                target.setdefault(code, value)  # the scenario's own code wins
        dates = flow.get("dates") or {}
        if dates:
            target = data.get("dates") or {}
            data["dates"] = target
            for name, value in dates.items():
                target.setdefault(name, value)
        result = []
        for step in flow["steps"]:
            if not isinstance(step, dict):
                continue
            step = copy.copy(step)
            step["id"] = f"{prefix}-{step.get('id')}"
            for kind, _ in _VIEW_KINDS:
                if step.get(kind) in own[kind]:
                    step[kind] = f"{prefix}-{step[kind]}"
            if step.get("next") in step_ids:
                step["next"] = f"{prefix}-{step['next']}"
            branches = step.get("branches")
            if isinstance(branches, list):
                new = copy.copy(branches)
                new.clear()
                for branch in branches:
                    if isinstance(branch, dict) and branch.get("next") in step_ids:
                        branch = copy.copy(branch)
                        branch["next"] = f"{prefix}-{branch['next']}"
                    new.append(branch)
                step["branches"] = new
            step["__return__"] = given.get(RETURN)
            step["__use__"] = prefix
            result.append(step)
        if result and "next" not in result[-1]:
            result[-1]["next"] = RETURN
        return result

    # --- joining it up ------------------------------------------------------------------

    def _connect_returns(self, expanded: list, original: list, first_of: dict[str, str]) -> None:
        """`next: return` leaves the flow: to `with.return`, or to the step after the use."""
        following = [
            self._following_id(expanded, index) if isinstance(step, dict) else "end"
            for index, step in enumerate(expanded)
        ]
        for index, step in enumerate(expanded):
            if not isinstance(step, dict) or "__return__" not in step:
                continue
            explicit = step.pop("__return__")
            step.pop("__use__")
            after = following[index]
            target = explicit if explicit is not None else after
            target = first_of.get(str(target), target)
            if step.get("next") == RETURN:
                step["next"] = target
            for branch in step.get("branches") or []:
                if isinstance(branch, dict) and branch.get("next") == RETURN:
                    branch["next"] = target

    @staticmethod
    def _following_id(expanded: list, index: int) -> str:
        """The id of the first step after the flow that `expanded[index]` belongs to."""
        use = expanded[index].get("__use__")
        for step in expanded[index + 1 :]:
            if isinstance(step, dict) and use is not None and step.get("__use__") == use:
                continue
            return str(step.get("id", "end")) if isinstance(step, dict) else "end"
        return "end"

    @staticmethod
    def _point_at_first_steps(data: dict, expanded: list, first_of: dict[str, str]) -> None:
        """`next: login` (a use's id) goes to the first step of that flow."""
        if data.get("start") in first_of:
            data["start"] = first_of[data["start"]]
        for step in expanded:
            if not isinstance(step, dict):
                continue
            if step.get("next") in first_of:
                step["next"] = first_of[step["next"]]
            for branch in step.get("branches") or []:
                if isinstance(branch, dict) and branch.get("next") in first_of:
                    branch["next"] = first_of[branch["next"]]
