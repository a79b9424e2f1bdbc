"""The validated scenario library, kept between start-ups.

Parsing and checking hundreds of scenarios with their translations takes
seconds (more on a Raspberry Pi); doing it once per change of the content is
enough. The cache holds the validated library under a key made of the
fingerprint of every file it was built from (scenarios, translations,
practice cards, pictograms, recorded clips) and of the code that checks them,
so any change of content or kiosk rebuilds it.

The cache file is never trusted blindly: a file that is damaged, from another
kiosk version, for other content, or holding anything but scenario data is
ignored and rebuilt. Its checksum finds damage; the unpickler builds only the
scenario model's own classes, so a planted file cannot run code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import io
import logging
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from kiosk import __version__
from kiosk.paths import assets_dir
from kiosk.scenario import model
from kiosk.scenario.flows import FLOWS_DIR
from kiosk.scenario.library import Library, load_library
from kiosk.scenario.problems import Problem
from kiosk.scenario.route import ROUTE_FILE, AnswerRule, RouteRules
from kiosk.scenario.translations import TRANSLATIONS_DIR
from kiosk.scenario.validate import personas_path_for, scenario_files

log = logging.getLogger(__name__)

CACHE_FILE = "scenario-library.cache"
_MAGIC = b"oefenkiosk scenario library 2\n"
_CODE = Path(__file__).resolve().parent  # the loader and validator: kiosk/scenario


def load_library_cached(folder: Path, cache_folder: Path) -> Library:
    """The library of `folder`, from the cache when nothing changed, else built and kept."""
    key = content_key(folder)
    path = cache_folder / CACHE_FILE
    library = read_cache(path, key)
    if library is not None:
        return library
    library = load_library(folder)
    write_cache(path, key, library)
    return library


def content_key(folder: Path) -> str:
    """A fingerprint of everything the validated library depends on."""
    digest = hashlib.sha256()
    digest.update(f"{__version__} {sys.version_info[:2]}\n".encode())
    for label, path in _inputs(folder):
        digest.update(f"\0{label}\0".encode())
        digest.update(_contents(path))
    for name in _clip_names():
        digest.update(f"\0clip\0{name}".encode())
    return digest.hexdigest()


def _inputs(folder: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(_CODE.glob("*.py")):
        yield f"code/{path.name}", path
    for path in scenario_files([folder]):
        yield f"scenario/{path.name}", path
    yield "personas", personas_path_for([folder])
    yield "route", folder / ROUTE_FILE
    for name in _names(folder / FLOWS_DIR):  # shared flows become steps of the scenarios
        if name.endswith(".yaml"):
            yield f"flow/{name}", folder / FLOWS_DIR / name
    yield "pictograms", assets_dir() / "pictograms.yaml"
    yield "pictogram-additions", folder / "pictograms.yaml"  # a pack's own
    translations = folder / TRANSLATIONS_DIR
    for language in _names(translations):
        for name in _names(translations / language):
            if name.endswith(".yaml"):
                yield f"translation/{language}/{name}", translations / language / name


def _names(folder: Path) -> list[str]:
    """The names in a folder, sorted (as text: sorting thousands of Paths is slow)."""
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


def _clip_names() -> list[str]:
    """Recorded clips change the validator's warnings: their names count, not their sound."""
    audio = assets_dir() / "audio"
    names = []
    for root, _dirs, files in os.walk(audio):
        names += [str(Path(root, name).relative_to(audio)) for name in files]
    return sorted(names)


def _contents(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return b"missing"
    except OSError as error:
        return f"unreadable {error.errno}".encode()
    return len(data).to_bytes(8, "big") + data


# --- the cache file -------------------------------------------------------------------


def read_cache(path: Path, key: str) -> Library | None:
    """The cached library when it is sound and made for exactly this content, else None."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("scenario cache %s cannot be read (%s); rebuilding it", path, error)
        return None
    try:
        return _decode(data, key)
    except _Stale:
        log.info("scenario content changed since the cache was made; rebuilding it")
    except Exception as error:  # whatever is wrong with the file: rebuild, never crash
        log.warning("scenario cache %s is not usable (%s); rebuilding it", path, error)
    return None


def write_cache(path: Path, key: str, library: Library) -> None:
    """Keep the library for the next start; a full or read-only disk only costs time."""
    payload = _encode(library)
    header = _MAGIC + key.encode() + b"\n" + hashlib.sha256(payload).hexdigest().encode() + b"\n"
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".library-", delete=False) as out:
            temporary = out.name
            out.write(header + payload)
        os.replace(temporary, path)
    except OSError as error:
        log.warning("scenario cache %s cannot be written (%s)", path, error)
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


class _Stale(Exception):
    """The cache was made for other content or another kiosk version."""


def _encode(library: Library) -> bytes:
    """The library without its scenarios, then each scenario on its own (see _decode)."""
    scenarios = [pickle.dumps(s, protocol=pickle.HIGHEST_PROTOCOL) for s in library.scenarios]
    rest = dataclasses.replace(library, scenarios=())
    return pickle.dumps((rest, scenarios), protocol=pickle.HIGHEST_PROTOCOL)


def _decode(data: bytes, key: str) -> Library:
    if not data.startswith(_MAGIC):
        raise ValueError("not a scenario cache of this kiosk")
    cache_key, checksum, payload = data[len(_MAGIC) :].split(b"\n", 2)
    if cache_key.decode() != key:
        raise _Stale()
    if hashlib.sha256(payload).hexdigest() != checksum.decode():
        raise ValueError("checksum does not match: the file is damaged")
    with _collector_paused():
        rest, scenarios = _unpickle(payload)
        if not isinstance(rest, Library) or not isinstance(scenarios, list):
            raise ValueError("it does not hold a scenario library")
        if not all(isinstance(blob, bytes) for blob in scenarios):
            raise ValueError("it does not hold a scenario library")
        library = dataclasses.replace(rest, scenarios=tuple(_each_unpickled(scenarios)))
    if not _is_library(library):
        raise ValueError("it does not hold a scenario library")
    return library


def _each_unpickled(blobs: list[bytes]) -> Iterator[object]:
    """One scenario at a time, letting the UI thread run in between: unpickling holds
    Python's global lock, and the whole library at once would freeze the screen."""
    for blob in blobs:
        yield _unpickle(blob)
        time.sleep(0)


def _unpickle(data: bytes) -> object:
    return _ModelUnpickler(io.BytesIO(data)).load()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Unpickling makes a great many objects; the garbage collector would walk them all
    again and again as the library grows (half the time of loading), and none of them
    is garbage yet."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _is_library(value: object) -> bool:
    return (
        isinstance(value, Library)
        and isinstance(value.scenarios, tuple)
        and all(isinstance(s, model.Scenario) for s in value.scenarios)
        and isinstance(value.personas, dict)
        and all(isinstance(p, model.Persona) for p in value.personas.values())
        and all(isinstance(p, Problem) for p in value.problems)
        and all(isinstance(f, str) for f in value.broken_files)
        and (value.route is None or isinstance(value.route, RouteRules))
    )


_OTHER_CLASSES = {
    (cls.__module__, cls.__name__): cls for cls in (Library, Problem, RouteRules, AnswerRule)
}


class _ModelUnpickler(pickle.Unpickler):
    """Builds the scenario model's data classes and nothing else."""

    def find_class(self, module: str, name: str) -> type:
        allowed = _OTHER_CLASSES.get((module, name))
        if allowed is not None:
            return allowed
        if module == model.__name__:
            value = getattr(model, name, None)
            if isinstance(value, type) and value.__module__ == model.__name__:
                return value
        raise pickle.UnpicklingError(f"{module}.{name} is not scenario data")
