"""YAML content files → model objects, with problems that name file, line and field.

YAML is read with a `yaml.SafeLoader` subclass whose only addition is that it
remembers line numbers; content can never construct Python objects. The type
hints of `model.py` drive the conversion, so every field, its type and its
allowed values are checked in one place.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

import yaml

from kiosk.scenario import model
from kiosk.scenario.flows import FlowExpander
from kiosk.scenario.migrate import upgrade
from kiosk.scenario.problems import ContentError, Problem

MAX_FILE_BYTES = 1_000_000

# What one content file may make the parser build. YAML's references (an anchor
# `&name` and its aliases `*name`, also behind merge keys `<<: *name`) let a few
# kilobytes stand for billions of nodes; a kiosk must refuse such a file before
# building anything. The shipped scenarios use no references, about 1,300 nodes
# and 7 levels: these limits leave authors ample room.
MAX_ALIASES = 100
MAX_NODES = 100_000
MAX_DEPTH = 50


class LineMap(dict):
    """A YAML mapping that knows its line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]
    duplicate_keys: list[tuple[Any, int]]


class LineList(list):
    """A YAML sequence that knows its line and the line of each item."""

    line: int = 0
    item_lines: list[int]


# libyaml's parser when PyYAML has it (10x faster), the pure-Python one otherwise;
# both with PyYAML's safe constructors only.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):  # type: ignore[misc, valid-type]
    pass


def _construct_map(loader: _LineLoader, node: yaml.MappingNode):
    data = LineMap()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    data.duplicate_keys = []
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, typing.Hashable):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word", key_node.start_mark
            )
        line = key_node.start_mark.line + 1
        if key in data:
            data.duplicate_keys.append((key, line))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line


def _construct_list(loader: _LineLoader, node: yaml.SequenceNode):
    data = LineList()
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_list)


class _TooBig(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.line = mark.line + 1 if mark else None
        self.message = message


def check_yaml_budget(text: str, file: str) -> None:
    """Refuse YAML whose references, size or nesting go beyond the budget.

    Reads only the parser's event stream, counting how many nodes the document
    would have once every alias is filled in, so nothing is built and a
    reference bomb is refused after at most MAX_ALIASES aliases.
    """
    try:
        _count_events(yaml.parse(text, Loader=_SafeBase))
    except _TooBig as refused:
        raise ContentError([Problem(file, refused.line, "", refused.message)]) from None


def _count_events(events: typing.Iterable[yaml.Event]) -> None:
    anchored: dict[str, int] = {}  # anchor → nodes it stands for
    open_anchors: set[str] = set()
    open_nodes: list[tuple[int, str | None]] = []  # (nodes counted before it, anchor)
    nodes = aliases = 0
    for event in events:
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _TooBig(
                    event.start_mark,
                    f"Dit bestand gebruikt te veel verwijzingen (&/*): meer dan {MAX_ALIASES}. "
                    "Schrijf de tekst gewoon uit, zonder & en *.",
                )
            if event.anchor in open_anchors:
                raise _TooBig(
                    event.start_mark,
                    f"De verwijzing *{event.anchor} staat binnen het blok &{event.anchor} "
                    "zelf; zo wordt het blok nooit af. Haal de verwijzing weg.",
                )
            nodes += anchored.get(event.anchor, 0)  # an unknown anchor: the parser says so
        elif isinstance(event, yaml.ScalarEvent):
            nodes += 1
            if event.anchor:
                anchored[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            nodes += 1
            open_nodes.append((nodes - 1, event.anchor))
            if event.anchor:
                open_anchors.add(event.anchor)
            if len(open_nodes) > MAX_DEPTH:
                raise _TooBig(
                    event.start_mark,
                    f"Dit bestand is te diep genest: meer dan {MAX_DEPTH} niveaus in elkaar. "
                    "Maak het minder diep.",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            before, anchor = open_nodes.pop()
            if anchor:
                anchored[anchor] = nodes - before
                open_anchors.discard(anchor)
        if nodes > MAX_NODES:
            limit = f"{MAX_NODES:,}".replace(",", ".")  # Dutch digit grouping
            raise _TooBig(
                event.start_mark,
                f"Dit bestand wordt te groot: met alle verwijzingen (&/*) ingevuld zijn het "
                f"meer dan {limit} onderdelen. Gebruik minder verwijzingen of maak het "
                "bestand kleiner.",
            )


def read_yaml(text: str, file: str) -> Any:
    """Parse YAML safely; raise ContentError naming the line on a syntax error.

    Files beyond the budget (see check_yaml_budget) are refused before parsing.
    """
    try:
        check_yaml_budget(text, file)
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise ContentError([Problem(file, line, "", yaml_advice(message, text, line))]) from None
    except RecursionError:
        message = "het bestand is te diep genest (blokken in blokken in blokken); maak het platter"
        raise ContentError([Problem(file, None, "", message)]) from None
    except (yaml.YAMLError, ValueError, TypeError):
        message = "dit is geen geldige YAML; kijk naar inspringen, aanhalingstekens en { }"
        raise ContentError([Problem(file, None, "", message)]) from None


def lines_only_libyaml_reads(text: str) -> list[int]:
    """Line numbers of one-line { } blocks that libyaml reads but PyYAML's own parser
    refuses: a plain text with a '?' inside { } (YAML 1.1 makes '?' a key sign there).
    The kiosk reads them, but an editor, a test or a machine without libyaml would not.
    Only lines with both signs are parsed again, so the check stays cheap."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        part = line.strip()
        if part.startswith("- "):
            part = part[2:].lstrip()
        if not (part.startswith("{") and "?" in part) or part.count("{") != part.count("}"):
            continue
        try:
            yaml.load(part, Loader=_SafeBase)
        except yaml.YAMLError:
            continue  # broken for libyaml too: the ordinary message covers it
        try:
            yaml.load(part, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            found.append(number)
    return found


def yaml_advice(problem: str, text: str, line: int | None) -> str:
    """What a YAML syntax error means, in plain Dutch, with the fix for the usual cause."""
    source = text.splitlines()[line - 1] if line and 0 < line <= len(text.splitlines()) else ""
    if "\t" in source or "tab" in problem:
        return (
            "er staat een tab in deze regel. Spring in met spaties (2 per niveau), nooit met "
            "de Tab-toets"
        )
    if "quoted scalar" in problem:
        return (
            "een tekst begint met een aanhalingsteken (\" of ') maar wordt niet gesloten; "
            "zet aan het eind van de tekst hetzelfde aanhalingsteken"
        )
    if "flow mapping" in problem or "flow sequence" in problem:
        return (
            "een '{' of '[' wordt niet goed gesloten. Ontbreekt er een '}' of ']'? Of staat er "
            "een ':' of '?' in een tekst tussen { }? Zet zo'n tekst dan tussen aanhalingstekens"
        )
    if "mapping values are not allowed" in problem:
        return (
            "er staat een ':' waar de computer die niet verwacht. Staat er een ':' in een "
            "tekst? Zet de tekst dan tussen aanhalingstekens. Anders klopt het inspringen niet"
        )
    if "block end" in problem or "expected key" in problem or "indentation" in problem:
        return (
            "het inspringen klopt niet: deze regel staat verder of minder ver in dan de "
            "regels eromheen. Gebruik 2 spaties per niveau"
        )
    if "alias" in problem or "anchor" in problem:
        return "een verwijzing met & of * klopt niet; gebruik geen & en * in een oefening"
    return "dit is geen geldige YAML; kijk naar inspringen, aanhalingstekens en { }"


def read_file(path: Path) -> Any:
    """Read a YAML file; any failure becomes a ContentError naming the file."""
    name = path.name
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ContentError([Problem(name, None, "", "het bestand is groter dan 1 MB")])
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        message = "het bestand is geen UTF-8-tekst; sla het op als UTF-8"
        raise ContentError([Problem(name, None, "", message)]) from None
    except OSError as error:
        message = f"kan het bestand niet lezen: {error.strerror}"
        raise ContentError([Problem(name, None, "", message)]) from None
    return read_yaml(text, name)


class LineIndex:
    """Where each model object (and each of its fields) came from in the file."""

    def __init__(self) -> None:
        self._lines: dict[tuple[int, str], int] = {}
        self._keep: list[Any] = []  # ids are only unique while the objects live

    def record(self, obj: Any, line: int | None, field: str = "") -> None:
        if line is not None:
            self._lines[(id(obj), field)] = line
            self._keep.append(obj)

    def of(self, obj: Any, field: str = "") -> int | None:
        line = self._lines.get((id(obj), field))
        return line if line is not None else self._lines.get((id(obj), ""))


_INVALID = object()


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "ja/nee (yes/no)"
    if isinstance(value, int | float):
        return "een getal"
    if isinstance(value, datetime.date):
        return "een datum"
    if isinstance(value, dict):
        return "een blok met velden"
    if isinstance(value, list):
        return "een lijst"
    if value is None:
        return "niets"
    return "tekst"


class _Converter:
    """Turns parsed YAML into model objects, collecting every problem on the way."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.lines = LineIndex()

    def fail(self, line: int | None, path: str, message: str) -> object:
        self.problems.append(Problem(self.file, line, path, message))
        return _INVALID

    def convert(self, hint: Any, raw: Any, path: str, line: int | None) -> Any:
        origin = get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            return self._union(hint, raw, path, line)
        if origin is Literal:
            allowed = get_args(hint)
            if raw in allowed and type(raw) is type(allowed[0]):
                return raw
            shown = ", ".join(str(a) for a in allowed)
            return self.fail(line, path, f"moet een van deze zijn: {shown} (gevonden: {raw!r})")
        if origin is tuple:
            return self._list(get_args(hint)[0], raw, path, line)
        if origin is dict:
            return self._dict(get_args(hint)[1], raw, path, line)
        if hint is model.Text and isinstance(raw, str):
            return self._record(model.Text(nl=raw), line)
        if dataclasses.is_dataclass(hint):
            return self._dataclass(hint, raw, path, line)
        if hint is str:
            if isinstance(raw, str):
                return raw
            if isinstance(raw, datetime.date):
                return self.fail(
                    line,
                    path,
                    "moet tekst zijn, maar hier staat een datum zonder aanhalingstekens; "
                    'zet hem tussen aanhalingstekens, zoals "12-12-2026"',
                )
            hint_quotes = " (zet het tussen aanhalingstekens)" if raw is not None else ""
            return self.fail(
                line, path, f"moet tekst zijn, gevonden: {_describe(raw)}{hint_quotes}"
            )
        if hint is int:
            if isinstance(raw, int) and not isinstance(raw, bool):
                return raw
            return self.fail(line, path, f"moet een heel getal zijn, gevonden: {_describe(raw)}")
        if hint is bool:
            if isinstance(raw, bool):
                return raw
            return self.fail(line, path, f"moet yes of no zijn, gevonden: {_describe(raw)}")
        raise TypeError(f"the format uses a type the loader does not know: {hint!r}")

    def _record(self, obj: Any, line: int | None) -> Any:
        self.lines.record(obj, line)
        return obj

    def _union(self, hint: Any, raw: Any, path: str, line: int | None) -> Any:
        options = [a for a in get_args(hint) if a is not type(None)]
        if raw is None and len(options) < len(get_args(hint)):
            return None
        if len(options) == 1:
            return self.convert(options[0], raw, path, line)
        return self._element(raw, path, line)

    def _element(self, raw: Any, path: str, line: int | None) -> Any:
        if not isinstance(raw, dict):
            return self.fail(
                line, path, f"een onderdeel is een blok met velden, gevonden: {_describe(raw)}"
            )
        kind = raw.get("type")
        if kind is None:
            return self.fail(line, path, "dit onderdeel heeft geen 'type'")
        cls = model.ELEMENT_TYPES.get(kind) if isinstance(kind, str) else None
        if cls is None:
            known = ", ".join(sorted(model.ELEMENT_TYPES))
            return self.fail(
                _key_line(raw, "type", line),
                f"{path}.type",
                f"onbekend type {kind!r}{_suggest(kind, model.ELEMENT_TYPES)}; "
                f"bekende types: {known}",
            )
        fields = {k: v for k, v in raw.items() if k != "type"}
        return self._dataclass(cls, _with_lines(fields, raw), path, line)

    def _list(self, item_hint: Any, raw: Any, path: str, line: int | None) -> Any:
        if not isinstance(raw, list):
            return self.fail(line, path, f"moet een lijst zijn, gevonden: {_describe(raw)}")
        item_lines = getattr(raw, "item_lines", [])
        items = []
        for index, item in enumerate(raw):
            item_line = item_lines[index] if index < len(item_lines) else line
            label = _item_label(path, index, item)
            value = self.convert(item_hint, item, label, item_line)
            if value is not _INVALID:
                items.append(value)
        return tuple(items)

    def _dict(self, value_hint: Any, raw: Any, path: str, line: int | None) -> Any:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            return self.fail(
                line,
                path,
                f"moet een blok met 'naam: waarde'-regels zijn, gevonden: {_describe(raw)}",
            )
        _report_duplicates(self, raw, path)
        result = {}
        for key, value in raw.items():
            key_line = _key_line(raw, key, line)
            if not isinstance(key, str):
                self.fail(key_line, path, f"de naam {key!r} moet tekst zijn")
                continue
            converted = self.convert(value_hint, value, f"{path}.{key}", key_line)
            if converted is not _INVALID:
                result[key] = converted
        return result

    def _dataclass(self, cls: type, raw: Any, path: str, line: int | None) -> Any:
        label = path or cls.__name__
        if not isinstance(raw, dict):
            return self.fail(
                line, label, f"moet een blok met velden zijn, gevonden: {_describe(raw)}"
            )
        line = getattr(raw, "line", line) or line
        _report_duplicates(self, raw, path)
        hints, fields = _fields_of(cls)
        ok = True
        for key in raw:
            if key not in fields:
                where = f"{path}.{key}" if path else str(key)
                self.fail(
                    _key_line(raw, key, line),
                    where,
                    f"onbekend veld{_suggest(key, fields)}; toegestaan: {', '.join(fields)}",
                )
                ok = False
        values: dict[str, Any] = {}
        for name, spec in fields.items():
            where = f"{path}.{name}" if path else name
            if name not in raw:
                required = (
                    spec.default is dataclasses.MISSING
                    and spec.default_factory is dataclasses.MISSING
                )
                if required:
                    self.fail(line, where, "ontbreekt")
                    ok = False
                continue
            value = self.convert(hints[name], raw[name], where, _key_line(raw, name, line))
            if value is _INVALID:
                ok = False
            else:
                values[name] = value
        if not ok:
            return _INVALID
        obj = cls(**values)
        self.lines.record(obj, line)
        for name in values:
            self.lines.record(obj, _key_line(raw, name, None), name)
        return obj


@functools.cache
def _fields_of(cls: type) -> tuple[dict[str, Any], dict[str, dataclasses.Field]]:
    """Type hints and fields of a model class (resolving hints is slow: once per class)."""
    return get_type_hints(cls), {f.name: f for f in dataclasses.fields(cls)}


def _with_lines(fields: dict, source: Any) -> LineMap:
    copy = LineMap(fields)
    copy.line = getattr(source, "line", 0)
    copy.key_lines = getattr(source, "key_lines", {})
    copy.duplicate_keys = []
    return copy


def _key_line(raw: Any, key: Any, default: int | None) -> int | None:
    return getattr(raw, "key_lines", {}).get(key, default)


def _report_duplicates(converter: _Converter, raw: Any, path: str) -> None:
    for key, line in getattr(raw, "duplicate_keys", []):
        where = f"{path}.{key}" if path else str(key)
        converter.fail(line, where, "staat er twee keer; de tweede zou stil winnen")
    if hasattr(raw, "duplicate_keys"):
        raw.duplicate_keys = []


def _item_label(path: str, index: int, item: Any) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"{path}[{item['id']}]"
    return f"{path}[{index + 1}]"


def _suggest(word: Any, known: Any) -> str:
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (bedoelt u {close[0]!r}?)" if close else ""


# --- Public API -----------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """A content file as loaded: the object, or None, and every problem."""

    file: str
    value: Any
    problems: tuple[Problem, ...]
    lines: LineIndex

    @property
    def ok(self) -> bool:
        return self.value is not None and not any(p.severity == "error" for p in self.problems)


def convert_document(cls: type, data: Any, file: str) -> Loaded:
    """Convert parsed YAML `data` into an instance of the model class `cls`."""
    converter = _Converter(file)
    if data is None:
        converter.fail(None, "", "het bestand is leeg")
        value = _INVALID
    else:
        value = converter.convert(cls, data, "", getattr(data, "line", 1))
    result = None if value is _INVALID else value
    return Loaded(file, result, tuple(converter.problems), converter.lines)


def load_scenario_text(text: str, file: str = "<text>", folder: Path | None = None) -> Loaded:
    """Load a scenario from YAML text (structure only; see validate for meaning).

    `folder`: where its shared flows are (`folder/flows/`); None: no flows.
    """
    try:
        data = read_yaml(text, file)
    except ContentError as error:
        return Loaded(file, None, tuple(error.problems), LineIndex())
    return _scenario_from(data, file, folder)


def load_scenario_file(path: Path) -> Loaded:
    """Load one scenario file; never raises for bad content."""
    try:
        data = read_file(path)
    except ContentError as error:
        return Loaded(path.name, None, tuple(error.problems), LineIndex())
    return _scenario_from(data, path.name, path.parent)


def _scenario_from(data: Any, file: str, folder: Path | None = None) -> Loaded:
    if isinstance(data, dict):
        version = data.get("schema_version")
        if version is None:
            problem = Problem(file, getattr(data, "line", 1), "schema_version", "ontbreekt")
            return Loaded(file, None, (problem,), LineIndex())
        data, _ = upgrade(data)
        if data.get("schema_version") != model.SCHEMA_VERSION:
            problem = Problem(
                file,
                _key_line(data, "schema_version", 1),
                "schema_version",
                f"versie {version!r} is onbekend; deze kiosk leest versie 1 tot en met "
                f"{model.SCHEMA_VERSION}",
            )
            return Loaded(file, None, (problem,), LineIndex())
        expander = FlowExpander(file, folder, read_file)
        data = expander.expand(data)
        if expander.problems:
            return Loaded(file, None, tuple(expander.problems), LineIndex())
    return convert_document(model.Scenario, data, file)


@dataclass(frozen=True)
class PersonaFile:
    schema_version: Literal[1, 2] = model.doc(
        "Version of the format: 2 (1 still loads; the card fields of 2 are optional)."
    )
    personas: tuple[model.Persona, ...] = model.doc("The practice cards.")


def load_personas(path: Path) -> Loaded:
    """Load personas.yaml; `value` is a dict id → Persona when it loads."""
    try:
        data = read_file(path)
    except ContentError as error:
        return Loaded(path.name, None, tuple(error.problems), LineIndex())
    loaded = convert_document(PersonaFile, data, path.name)
    if loaded.value is None:
        return loaded
    cards = {p.id: p for p in loaded.value.personas}
    return Loaded(loaded.file, cards, loaded.problems, loaded.lines)
