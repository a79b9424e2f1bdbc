"""Synthesis in a worker process: the screen never waits for it, and a stuck engine is killed.

The worker opens one engine, says which voices exist, then renders jobs into
the cache one at a time. The manager in the kiosk's process hands out jobs,
collects results without blocking, and replaces a worker that crashed or did
not answer in time (pyttsx3's run loop can hang after an error). A worker
that never says which voices exist (its engine hung or crashed while opening)
is reported as "no engine": the kiosk goes quiet instead of waiting forever.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.speech.cache import AudioCache
from kiosk.speech.engines import VoiceMissing, open_engine
from kiosk.speech.voices import heard_languages

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    ticket: int
    text: str
    voice: str
    words_per_minute: int
    key: str


def worker_main(jobs: Any, results: Any, cache_folder: str) -> None:
    """The worker process: one engine, jobs in, ('done'|'failed', ticket, detail) out."""
    engine = open_engine()
    voices = list(heard_languages(engine.has_voice)) if engine is not None else []
    results.put(("hello", engine.name if engine else None, voices))
    cache = AudioCache(Path(cache_folder))
    while True:
        job = jobs.get()
        if job is None:
            return
        try:
            synthesis = engine.synthesize(job.text, job.voice, job.words_per_minute)
            cache.put(job.key, synthesis)
            results.put(("done", job.ticket, ""))
        except VoiceMissing:
            results.put(("failed", job.ticket, f"no voice {job.voice!r}"))
        except OSError as error:
            results.put(("failed", job.ticket, f"cannot write the audio cache: {error}"))
        except Exception as error:
            results.put(("failed", job.ticket, repr(error)))
            return  # a fresh process gets a fresh engine


@dataclass(frozen=True)
class Hello:
    engine: str | None
    voices: tuple[str, ...]


@dataclass(frozen=True)
class Finished:
    ticket: int
    ok: bool
    detail: str = ""


class SynthWorker:
    """Runs `worker_main` in a separate process; never blocks the caller."""

    def __init__(
        self,
        cache_folder: Path,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        target: Callable[..., None] = worker_main,
        start_timeout: float = 60.0,
    ) -> None:
        self.cache_folder = cache_folder
        self.timeout = timeout
        # A fresh interpreter imports and opens the engine first: slow on a busy Raspberry Pi.
        self.start_timeout = start_timeout
        self._started_at: float | None = None
        self._greeted = False
        self.clock = clock
        self.target = target
        self.process: Any = None
        self._jobs: Any = None
        self._results: Any = None
        self._open: deque[Job] = deque()
        self._busy_since: float | None = None
        self.restarts = 0

    def start(self) -> None:
        # 'spawn': a clean interpreter without the kiosk's window, threads or audio
        context = multiprocessing.get_context("spawn")
        self._jobs, self._results = context.Queue(), context.Queue()
        self.process = context.Process(
            target=self.target,
            args=(self._jobs, self._results, str(self.cache_folder)),
            name="oefenkiosk-speech",
            daemon=True,
        )
        self.process.start()
        self._started_at, self._greeted = self.clock(), False

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.is_alive()

    def submit(self, job: Job) -> None:
        if self.process is None:
            self.start()
        if not self._open:
            self._busy_since = self.clock()
        self._open.append(job)
        self._jobs.put(job)

    def poll(self) -> list[Hello | Finished]:
        """Messages from the worker so far, and failures for jobs it cannot finish."""
        messages: list[Hello | Finished] = []
        if self._results is None:
            return messages
        while True:
            try:
                message = self._results.get_nowait()
            except queue.Empty:
                break
            except (EOFError, OSError):
                break
            messages.append(self._message(message))
        if not self._greeted and self._never_opened():
            log.warning("the speech engine did not start; the kiosk stays silent")
            self.stop(wait=False)
            return [*messages, Hello(None, ())]
        if self._open and self._stuck():
            messages += self._restart("the speech engine did not answer; started it again")
        return messages

    def _message(self, message: tuple) -> Hello | Finished:
        kind = message[0]
        if kind == "hello":
            self._greeted = True
            return Hello(message[1], tuple(message[2]))
        ticket = message[1]
        self._open = deque(j for j in self._open if j.ticket != ticket)
        self._busy_since = self.clock() if self._open else None
        return Finished(ticket, kind == "done", message[2])

    def _never_opened(self) -> bool:
        if self._started_at is None:
            return False
        return not self.alive or self.clock() - self._started_at > self.start_timeout

    def _stuck(self) -> bool:
        if not self.alive:
            return True
        return self._busy_since is not None and self.clock() - self._busy_since > self.timeout

    def _restart(self, reason: str) -> list[Finished]:
        log.warning("%s", reason)
        failed = [Finished(job.ticket, False, reason) for job in self._open]
        self._open.clear()
        self._busy_since = None
        self.stop(wait=False)
        self.restarts += 1
        return failed

    def stop(self, wait: bool = True) -> None:
        if self.process is None:
            return
        if wait and self.alive:
            try:
                self._jobs.put(None)
                self.process.join(timeout=2)
            except (OSError, ValueError):
                pass
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=2)
        self.process = None
        self._jobs = self._results = None
        self._started_at = None
