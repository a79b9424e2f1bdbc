"""scenarios/schema.json matches the loader, so editors autocomplete the real format."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from conftest import SHIPPED, minimal, shipped_files
from kiosk.scenario.schema import schema_json

SCHEMA = json.loads((SHIPPED / "schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_schema_file_is_up_to_date():
    assert (SHIPPED / "schema.json").read_text(encoding="utf-8") == schema_json(), (
        "run: oefenkiosk schema --write"
    )


def test_schema_is_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: p.stem)
def test_shipped_scenarios_fit_the_schema(path):
    errors = list(VALIDATOR.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert errors == []


def test_schema_rejects_what_the_loader_rejects():
    data = minimal()
    data["steps"][0]["instructoin"] = data["steps"][0].pop("instruction")
    assert list(VALIDATOR.iter_errors(data))
    data = minimal()
    data["pages"]["login"]["elements"][0]["type"] = "buton"
    assert list(VALIDATOR.iter_errors(data))
    assert list(VALIDATOR.iter_errors(minimal())) == []


def test_the_guides_complete_example_fits_the_schema():
    """The authoring guide's example uses every format-2 feature; an editor with the
    schema must accept what the guide tells volunteers to copy."""
    import re

    guide = (SHIPPED / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## Een compleet voorbeeld.*?```yaml\n(.*?)```", guide, re.S)
    assert example, "the guide needs its complete example"
    errors = [e.message for e in VALIDATOR.iter_errors(yaml.safe_load(example.group(1)))]
    assert errors == []
