"""JSON Schema of the scenario format, written from the model's type hints.

`scenarios/schema.json` is this output; a test keeps the file up to date, so
an editor's autocompletion always matches what the loader accepts.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any, Literal, get_args, get_origin, get_type_hints

from kiosk.scenario import model

SCHEMA_ID = "https://oefenkiosk.example/schema/scenario-2.json"


def _name(cls: type) -> str:
    return cls.__name__


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def type_schema(self, hint: Any) -> dict[str, Any]:
        origin = get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in get_args(hint) if a is not type(None)]
            if len(options) == 1:
                return self.type_schema(options[0])
            return {"oneOf": [self.type_schema(o) for o in options]}
        if origin is Literal:
            return {"enum": list(get_args(hint))}
        if origin is tuple:
            return {"type": "array", "items": self.type_schema(get_args(hint)[0])}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.type_schema(get_args(hint)[1])}
        if hint is model.Text:
            self.dataclass_def(hint)
            return {"oneOf": [{"type": "string"}, {"$ref": "#/$defs/Text"}]}
        if dataclasses.is_dataclass(hint):
            self.dataclass_def(hint)
            return {"$ref": f"#/$defs/{_name(hint)}"}
        simple = {str: "string", int: "integer", bool: "boolean"}
        return {"type": simple[hint]}

    def dataclass_def(self, cls: type) -> None:
        name = _name(cls)
        if name in self.defs:
            return
        self.defs[name] = {}  # placeholder against recursion
        hints = get_type_hints(cls)
        properties: dict[str, Any] = {}
        required = []
        element_type = getattr(cls, "TYPE", None)
        if element_type is not None:
            properties["type"] = {"const": element_type}
            required.append("type")
        for f in dataclasses.fields(cls):
            schema = self.type_schema(hints[f.name])
            if "doc" in f.metadata:
                schema = {**schema, "description": f.metadata["doc"]}
            properties[f.name] = schema
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                required.append(f.name)
        definition: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        if cls.__doc__ and not cls.__doc__.startswith(f"{name}("):
            definition["description"] = cls.__doc__.strip().splitlines()[0]
        self.defs[name] = definition


FLOW_USE: dict[str, Any] = {
    "type": "object",
    "description": "A shared flow (scenarios/flows/<name>.yaml) used as steps, with one line.",
    "properties": {
        "use": {"type": "string", "description": "Name of the shared flow."},
        "id": {
            "type": "string",
            "description": "Short id; the flow's steps get it in front ('login-wachtwoord').",
        },
        "with": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "The flow's parameters, and `return`: the step after the flow.",
        },
    },
    "required": ["use", "id"],
    "additionalProperties": False,
}


def scenario_schema() -> dict[str, Any]:
    builder = _Builder()
    builder.dataclass_def(model.Scenario)
    root = builder.defs.pop("Scenario")
    # a step is an ordinary step or one line that uses a shared flow
    builder.defs["FlowUse"] = FLOW_USE
    root["properties"]["steps"]["items"] = {
        "oneOf": [{"$ref": "#/$defs/Step"}, {"$ref": "#/$defs/FlowUse"}]
    }
    # version-1 files still load (the loader upgrades them)
    root["properties"]["schema_version"]["enum"] = [1, 2]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Oefenkiosk scenario",
        **root,
        "$defs": dict(sorted(builder.defs.items())),
    }


def schema_json() -> str:
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"
