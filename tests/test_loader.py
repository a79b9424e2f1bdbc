"""The loader: YAML in, model out, and every problem named by file, line and field."""

from __future__ import annotations

import string
import time
import tracemalloc

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import check, messages, minimal, reference_bomb, write_scenario
from kiosk.scenario.loader import load_scenario_text
from kiosk.scenario.problems import ContentError


def _text(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_the_minimal_scenario_loads(tmp_path):
    report = check(tmp_path, minimal())
    assert report.ok, messages(report)


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    text = _text(minimal()).replace("minutes: 2", "minutes: [2")
    report = check(tmp_path, text)
    (problem,) = report.problems
    assert problem.file == "mini.yaml" and problem.line is not None
    assert "{" in problem.message


def test_unquoted_colon_in_a_flow_mapping_gets_a_tip():
    loaded = load_scenario_text("a: {text: Let op: dit}\n", "x.yaml")
    assert "tussen aanhalingstekens" in loaded.problems[0].message
    loaded = load_scenario_text("a: Let op: dit\n", "x.yaml")
    assert "tussen aanhalingstekens" in loaded.problems[0].message


def test_unknown_field_is_named_with_its_line_and_a_suggestion(tmp_path):
    text = _text(minimal()).replace(
        "  instruction:\n    nl: Tik op Inloggen.", "  instructoin:\n    nl: Tik op Inloggen."
    )
    report = check(tmp_path, text)
    lines = text.splitlines()
    expected_line = next(i for i, line in enumerate(lines, 1) if "instructoin" in line)
    found = [p for p in report.problems if "instructoin" in p.field]
    assert found and found[0].line == expected_line
    assert "bedoelt u 'instruction'" in found[0].message
    assert found[0].field == "steps[knop].instructoin"


def test_unknown_element_type(tmp_path):
    data = minimal()
    data["pages"]["login"]["elements"].append({"type": "buton", "id": "x", "text": "X"})
    (line,) = [m for m in messages(check(tmp_path, data)) if "onbekend type" in m]
    assert "'buton'" in line and "bedoelt u 'button'" in line and "mini.yaml:" in line


def test_missing_required_field(tmp_path):
    data = minimal()
    del data["steps"][0]["pictogram"]
    assert any("steps[naam].pictogram: ontbreekt" in m for m in messages(check(tmp_path, data)))


def test_missing_dutch_text(tmp_path):
    data = minimal()
    data["steps"][0]["instruction"] = {"en": "Type your user name."}
    assert any("instruction.nl: ontbreekt" in m for m in messages(check(tmp_path, data)))


def test_empty_dutch_text(tmp_path):
    data = minimal()
    data["steps"][0]["instruction"] = {"nl": " "}
    assert any("de Nederlandse tekst is leeg" in m for m in messages(check(tmp_path, data)))


def test_unknown_language_in_a_text(tmp_path):
    data = minimal()
    data["steps"][0]["instruction"] = {"nl": "Typ.", "fr": "Tapez."}
    assert any("instruction.fr: onbekend veld" in m for m in messages(check(tmp_path, data)))


def test_a_plain_string_is_dutch(tmp_path):
    data = minimal()
    data["steps"][0]["instruction"] = "Typ uw gebruikersnaam."
    report = check(tmp_path, data)
    assert report.ok
    assert report.files[0].scenario.steps[0].instruction.nl == "Typ uw gebruikersnaam."


def test_wrong_types_say_what_was_found(tmp_path):
    data = minimal()
    data["minutes"] = "vijf"
    data["level"] = 7
    data["codes"]["sms"] = 123456
    found = messages(check(tmp_path, data))
    assert any("minutes: moet een heel getal zijn, gevonden: tekst" in m for m in found)
    assert any("level: moet een van deze zijn: 1, 2, 3 (gevonden: 7)" in m for m in found)
    assert any(
        "codes.sms: moet tekst zijn, gevonden: een getal (zet het tussen aanhalingstekens)" in m
        for m in found
    )


def test_a_time_without_quotes_is_caught_not_silently_turned_into_a_number():
    loaded = load_scenario_text(
        _text(minimal()).replace(
            "    elements:\n    - type: heading",
            "    elements:\n    - type: sms\n      sender: DigiD\n      time: 14:02\n"
            "      text: hoi\n    - type: heading",
            1,
        ),
        "t.yaml",
    )
    assert any(
        p.field.endswith(".time") and "moet tekst zijn, gevonden: een getal" in p.message
        for p in loaded.problems
    )


def test_duplicate_keys_are_reported(tmp_path):
    text = _text(minimal()).replace("minutes: 2", "minutes: 2\nminutes: 3")
    assert any("twee keer" in m for m in messages(check(tmp_path, text)))


def test_unknown_schema_version(tmp_path):
    data = minimal()
    data["schema_version"] = 3
    (problem,) = check(tmp_path, data).problems
    assert "versie 3 is onbekend" in problem.message and problem.line == 1


def test_python_tags_are_refused_not_executed(tmp_path):
    text = "schema_version: 1\nid: !!python/object/apply:os.system ['echo hacked']\n"
    report = check(tmp_path, text)
    assert not report.ok
    assert "YAML" in report.problems[0].message


def test_an_empty_file(tmp_path):
    assert "het bestand is leeg" in messages(check(tmp_path, ""))[0]


def test_a_non_utf8_file(tmp_path):
    path = tmp_path / "latin.yaml"
    (tmp_path / "personas.yaml").write_text("")
    path.write_bytes("title: caf\xe9".encode("latin-1"))
    from kiosk.scenario.loader import load_scenario_file

    assert "geen UTF-8" in load_scenario_file(path).problems[0].message


def test_content_error_lists_every_problem():
    from kiosk.scenario.problems import Problem

    error = ContentError([Problem("a.yaml", 3, "x", "one"), Problem("a.yaml", None, "", "two")])
    assert str(error) == "a.yaml:3: x: one\na.yaml: two"


# --- Property tests: nothing crashes the loader ----------------------------------------

yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(alphabet=string.printable, max_size=12),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.text(alphabet=string.ascii_lowercase + "_", max_size=10), children, max_size=4
        ),
    ),
    max_leaves=20,
)


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))


ALL_PATHS = [p for p in _paths(minimal()) if p]


def _replace(data, path, value):
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def _loads_or_reports(text: str) -> None:
    loaded = load_scenario_text(text, "fuzz.yaml")
    assert loaded.value is not None or loaded.problems
    for problem in loaded.problems:
        assert problem.file == "fuzz.yaml" and problem.message


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(path=st.sampled_from(ALL_PATHS), value=yaml_values)
def test_mutated_scenarios_load_or_report(path, value):
    _loads_or_reports(_text(_replace(minimal(), path, value)))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.printable + "äéëïö€{}[]:-?&*!|>'\"#%@`", max_size=200))
def test_random_text_loads_or_reports(text):
    _loads_or_reports(text)


@settings(max_examples=200, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(_text(MINIMAL := minimal()))))
def test_truncated_files_load_or_report(cut):
    _loads_or_reports(_text(MINIMAL)[:cut])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(ALL_PATHS), value=yaml_values)
def test_mutated_scenarios_never_crash_the_validator(tmp_path_factory, path, value):
    folder = tmp_path_factory.mktemp("fuzz")
    report = check(folder, _replace(minimal(), path, value))
    assert report.files


def _refused(text: str, name: str = "bom.yaml") -> tuple[str, float, int]:
    """Load `text`; the one problem, the seconds taken and the peak of Python memory."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        loaded = load_scenario_text(text, name)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert loaded.value is None
    (problem,) = loaded.problems
    assert problem.file == name
    return problem.message, seconds, peak


def test_a_reference_bomb_is_refused_at_once_with_little_memory():
    # 60 aliases per level stand for 216,000 options: seconds and hundreds of MB before
    message, seconds, peak = _refused(reference_bomb(60))
    assert message.startswith("Dit bestand gebruikt te veel verwijzingen (&/*)")
    assert seconds < 1.0 and peak < 20 * 2**20, (seconds, peak)


def test_the_four_kilobyte_bomb_of_the_report_is_refused_within_a_second():
    text = reference_bomb(200)
    assert len(text.encode()) < 4096
    message, seconds, peak = _refused(text)
    assert "te veel verwijzingen" in message
    assert seconds < 1.0 and peak < 20 * 2**20, (seconds, peak)


def test_few_references_that_stand_for_very_many_nodes_are_refused():
    # nine aliases per level, nine levels: 10**9 nodes from under 100 aliases
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    message, seconds, peak = _refused("\n".join(lines) + "\n")
    assert message.startswith("Dit bestand wordt te groot")
    assert "100.000 onderdelen" in message
    assert seconds < 1.0 and peak < 20 * 2**20, (seconds, peak)


def test_nesting_beyond_the_budget_is_refused_in_plain_dutch():
    message, _, _ = _refused("a: " + "[" * 60 + "]" * 60 + "\n")
    assert message.startswith("Dit bestand is te diep genest")


def test_an_alias_inside_its_own_anchor_is_refused():
    message, _, _ = _refused("a: &lus [1, *lus]\n")
    assert "*lus" in message and "nooit af" in message


def test_a_few_references_still_load(tmp_path):
    text = _text(minimal()).replace(
        "service: DigiD (oefenen)", "service: &dienst DigiD (oefenen)", 1
    )
    text = text.replace("service: DigiD (oefenen)", "service: *dienst")
    assert "*dienst" in text
    report = check(tmp_path, text)
    assert report.ok, messages(report)


def test_a_bomb_among_good_files_leaves_the_good_ones_loaded(tmp_path):
    from kiosk.scenario.library import load_library

    write_scenario(tmp_path, minimal(), "mini.yaml")
    write_scenario(tmp_path, reference_bomb(200), "bom.yaml")
    started = time.perf_counter()
    library = load_library(tmp_path)
    assert time.perf_counter() - started < 5
    assert [s.id for s in library.scenarios] == ["mini"]
    assert library.broken_files == ("bom.yaml",)
    assert any("te veel verwijzingen" in p.message for p in library.problems)
