"""What the screens ask for: 'this text, in this language, at this speed' → a file to play.

A recorded clip wins over synthesis. A cached synthesis is answered at once;
a new one is rendered by the worker and answered by a later `poll()`. A
language without a voice or a clip is refused, never read with another voice.
No engine at all leaves the kiosk silent, with one clear line in the log.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kiosk.speech.audiofile import wav_problem
from kiosk.speech.cache import AudioCache, CachedAudio, cache_key
from kiosk.speech.voices import VOICES, WORDS_PER_MINUTE, voice_for
from kiosk.speech.worker import Finished, Hello, Job, SynthWorker

log = logging.getLogger(__name__)

CLIP_SUFFIXES = (".wav", ".ogg")


def _changed(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


@dataclass(frozen=True)
class Ready:
    audio: CachedAudio
    recorded: bool = False
    """A volunteer's recording, not synthetic speech."""
    rendered: bool = False
    """Synthesised just now (not found in the cache)."""


@dataclass(frozen=True)
class Pending:
    ticket: int


@dataclass(frozen=True)
class Unavailable:
    reason: Literal["no-voice", "off", "failed"]


Answer = Ready | Pending | Unavailable


@dataclass
class _Request:
    ticket: int
    text: str
    language: str
    words_per_minute: int


class SpeechService:
    def __init__(
        self, cache_folder: Path, clips_folder: Path, worker: SynthWorker | None = None
    ) -> None:
        self.cache = AudioCache(cache_folder)
        self.clips_folder = clips_folder
        self.worker = worker if worker is not None else SynthWorker(cache_folder)
        self.engine: str | None = None
        self.voices: frozenset[str] = frozenset()
        self.state: Literal["idle", "starting", "ready", "off"] = "idle"
        self._tickets = itertools.count(1)
        self._held: list[_Request] = []
        self._pending: dict[int, str] = {}
        self._clip_problems: dict[Path, tuple[int, str | None]] = {}
        """Recorded clip → (when it last changed, what is wrong with it or None)."""

    # --- life -------------------------------------------------------------------------

    def start(self) -> None:
        if self.state != "idle":
            return
        self.state = "starting"
        try:
            self.worker.start()
        except OSError as error:
            self._switch_off(f"the speech worker cannot start ({error})")

    def stop(self) -> None:
        self.worker.stop()

    def _switch_off(self, reason: str) -> None:
        self.state = "off"
        log.warning("speech is off: %s; the kiosk stays silent", reason)

    # --- asking -----------------------------------------------------------------------

    def clip(self, language: str, name: str | None) -> Path | None:
        """A recorded clip assets/audio/<language>/<name>, if it exists."""
        if not name:
            return None
        path = self.clips_folder / language / name
        if path.suffix not in CLIP_SUFFIXES or not path.is_file():
            return None
        return None if self._damaged_clip(path) else path

    def _damaged_clip(self, path: Path) -> bool:
        """A damaged recording is skipped (the voice reads the text) and kept for staff to
        replace: it is a volunteer's work, never deleted. Checked again once it changes."""
        changed = _changed(path)
        known = self._clip_problems.get(path)
        if known is not None and known[0] == changed:
            return known[1] is not None
        if path.suffix != ".wav":
            return False  # only the player can tell (see unplayable)
        problem = wav_problem(path)
        self._clip_problems[path] = (changed, problem)
        if problem is not None:
            log.warning("speech: recorded clip %s is damaged (%s): not played", path, problem)
        return problem is not None

    @property
    def damaged_clips(self) -> tuple[str, ...]:
        """Recorded clips that cannot be played, as language/file (for staff). Only those of
        the clips folder in use: another content version brings its own."""
        return tuple(
            path.relative_to(self.clips_folder).as_posix()
            for path, (changed, problem) in self._clip_problems.items()
            if problem is not None
            and path.is_relative_to(self.clips_folder)
            and changed == _changed(path)
        )

    def unplayable(self, audio: CachedAudio, problem: str) -> None:
        """The player could not load this file: a cached one is rendered again next time,
        a recorded clip is skipped until it is replaced."""
        if self.cache.holds(audio.wav):
            self.cache.discard(audio.wav, problem)
        else:
            log.warning("speech: recorded clip %s cannot be played (%s)", audio.wav, problem)
            self._clip_problems[audio.wav] = (_changed(audio.wav), problem)

    def hearable(self, language: str, clip: str | None = None) -> bool:
        """Can this language be heard: a recorded clip, or a voice that really exists?"""
        if self.clip(language, clip) is not None:
            return True
        if self.state in ("off",) or voice_for(language) is None:
            return False
        return self.state != "ready" or language in self.voices

    def request(
        self, text: str, language: str, speed: str = "slow", clip: str | None = None
    ) -> Answer:
        recorded = self.clip(language, clip)
        if recorded is not None:
            return Ready(CachedAudio(recorded, ()), recorded=True)
        if voice_for(language) is None:
            return Unavailable("no-voice")
        if self.state == "off":
            return Unavailable("off")
        wpm = WORDS_PER_MINUTE.get(speed, WORDS_PER_MINUTE["slow"])
        request = _Request(next(self._tickets), text, language, wpm)
        if self.state != "ready":
            self.start()
            self._held.append(request)
            return Pending(request.ticket)
        return self._ask(request)

    def _ask(self, request: _Request) -> Answer:
        if request.language not in self.voices:
            return Unavailable("no-voice")
        voice = VOICES[request.language]
        key = cache_key(request.text, voice, request.words_per_minute, self.engine or "")
        cached = self.cache.get(key)
        if cached is not None:
            return Ready(cached)
        self._pending[request.ticket] = key
        self.worker.submit(Job(request.ticket, request.text, voice, request.words_per_minute, key))
        return Pending(request.ticket)

    def poll(self) -> list[tuple[int, Ready | Unavailable]]:
        """Answers to earlier Pending requests (call often; it never blocks)."""
        answers: list[tuple[int, Ready | Unavailable]] = []
        if self.state in ("idle", "off"):
            return answers
        for message in self.worker.poll():
            if isinstance(message, Hello):
                answers += self._hello(message)
            else:
                answers += self._finished(message)
        return answers

    def _hello(self, hello: Hello) -> list[tuple[int, Ready | Unavailable]]:
        self.engine = hello.engine
        self.voices = frozenset(hello.voices)
        if hello.engine is None:
            self._switch_off("no speech engine (is espeak-ng installed?)")
            held, self._held = self._held, []
            return [(r.ticket, Unavailable("off")) for r in held]
        self.state = "ready"
        silent = sorted(lang for lang in VOICES if lang not in self.voices)
        log.info(
            "speech: %s voices for %s; none for %s (recorded clips only)",
            hello.engine,
            ", ".join(sorted(self.voices)) or "no language",
            ", ".join(silent),
        )
        answers: list[tuple[int, Ready | Unavailable]] = []
        held, self._held = self._held, []
        for request in held:
            answer = self._ask(request)
            if not isinstance(answer, Pending):
                answers.append((request.ticket, answer))
        return answers

    def _finished(self, finished: Finished) -> list[tuple[int, Ready | Unavailable]]:
        key = self._pending.pop(finished.ticket, None)
        if key is None:
            return []
        cached = self.cache.get(key) if finished.ok else None
        if cached is None:
            log.warning("speech: could not render a text: %s", finished.detail)
            return [(finished.ticket, Unavailable("failed"))]
        return [(finished.ticket, Ready(cached, rendered=True))]
