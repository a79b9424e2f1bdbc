"""Spoken texts as WAV files on disk, named by a hash of text, voice, speed and engine.

Only texts of the kiosk itself are ever spoken (scenario and UI texts), never
what a visitor typed, so the cache holds nothing personal. Files are written
whole or not at all: a power cut never leaves half a WAV behind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kiosk.speech.audiofile import wav_problem
from kiosk.speech.engines import Synthesis, WordTiming

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CachedAudio:
    wav: Path
    words: tuple[WordTiming, ...]


def cache_key(text: str, voice: str, words_per_minute: int, engine: str) -> str:
    material = "\n".join((engine, voice, str(words_per_minute), text))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


class AudioCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _paths(self, key: str) -> tuple[Path, Path]:
        base = self.folder / key[:2] / key
        return base.with_suffix(".wav"), base.with_suffix(".json")

    def get(self, key: str) -> CachedAudio | None:
        """The stored audio, or None: not there yet, or damaged (then removed, to be
        rendered again; a damaged file kept would stay silent for ever)."""
        wav, words = self._paths(key)
        if not wav.is_file():
            return None
        problem = wav_problem(wav)
        if problem is not None:
            self.discard(wav, problem)
            return None
        try:
            timings = json.loads(words.read_text(encoding="utf-8")) if words.is_file() else []
            return CachedAudio(wav, tuple(WordTiming(*t) for t in timings))
        except (OSError, ValueError, TypeError):
            return CachedAudio(wav, ())  # no timings: no highlight, never a wrong one

    def holds(self, wav: Path) -> bool:
        """Is this file one of the cache's own (not a recorded clip)?"""
        return wav.parent.parent == self.folder and wav.suffix == ".wav"

    def discard(self, wav: Path, problem: str) -> None:
        """Remove a damaged file and its word timings, so the text is rendered again."""
        log.warning("speech: cached file %s is damaged (%s): removed, rendered again", wav, problem)
        for path in (wav, wav.with_suffix(".json")):
            try:
                path.unlink(missing_ok=True)
            except OSError as error:
                log.warning("speech: cannot remove %s: %s", path, error)

    def put(self, key: str, synthesis: Synthesis) -> CachedAudio:
        """Store atomically; raises OSError when the disk is full or read-only."""
        wav, words = self._paths(key)
        wav.parent.mkdir(parents=True, exist_ok=True)
        timings = [[w.start_ms, w.char_start, w.char_length] for w in synthesis.words]
        write_atomic(words, json.dumps(timings).encode("utf-8"))
        write_atomic(wav, synthesis.wav)
        return CachedAudio(wav, synthesis.words)


def write_atomic(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
