"""Text to speech, run only inside the speech worker process.

Two ways to synthesise, best first:

- `EspeakEngine`: libespeak-ng in its synchronous mode, through pyttsx3's ctypes
  binding of it. One call returns the samples and the audio position of every
  word, which the kiosk uses to highlight the word being spoken. It works the
  same with espeak-ng 1.51 (Debian 12) and 1.52 (Debian 13).
- `Pyttsx3Engine`: pyttsx3's Engine API for the platforms where pyttsx3 has
  its own driver (SAPI5 on Windows, NSSS/AVSpeech on macOS): a WAV file, no
  word timings. Never with pyttsx3's *espeak* driver: that one renders in
  espeak-ng's asynchronous mode, and `runAndWait` can return before espeak-ng's
  own thread has written the file. With espeak-ng 1.52 it always does: the
  WAV is written after the caller gave up on it ("Error saving WAV file"), the
  exception is lost in the C callback and the next `runAndWait` never ends. On
  Linux `EspeakEngine` drives the same library without that race.

pyttsx3's traps, and how they are handled: one engine per process (each
worker process opens exactly one); one utterance per run (one save per
`runAndWait`); an unknown voice silently keeping the previous one (the voice
is read back after setting it, and a mismatch is refused); a save that wrote
nothing (refused, never cached as silence); a run loop stuck after an
exception (the worker process is killed and started again by
`worker.SynthWorker`).
"""

from __future__ import annotations

import ctypes
import io
import tempfile
import wave
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


class VoiceMissing(Exception):
    """The engine has no voice for this language."""


class EngineUnsuitable(Exception):
    """This engine cannot render speech to a file reliably here."""


@dataclass(frozen=True)
class WordTiming:
    start_ms: int
    char_start: int
    """0-based character index of the word in the spoken text."""
    char_length: int


@dataclass(frozen=True)
class Synthesis:
    wav: bytes
    """A complete WAV file."""
    words: tuple[WordTiming, ...]


class Engine(Protocol):
    name: str

    def has_voice(self, voice: str) -> bool: ...

    def synthesize(self, text: str, voice: str, words_per_minute: int) -> Synthesis: ...


def _wav_bytes(samples: bytes, sample_rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(samples)
    return buffer.getvalue()


def espeak_voice_names(voices: Iterable[tuple[bytes | None, bytes | None]]) -> frozenset[str]:
    """The names the installed espeak-ng voices answer to, from (identifier, languages) pairs.

    An identifier such as b"sem/ti" gives "sem/ti" and "ti"; the languages field
    (a priority byte, then the language, e.g. b"\\x05ti") gives "ti".
    """
    names: set[str] = set()
    for identifier, languages in voices:
        if identifier:
            name = identifier.decode(errors="ignore").lower()
            names.update((name, name.rsplit("/", 1)[-1]))
        if languages and len(languages) > 1:
            names.add(languages[1:].decode(errors="ignore").lower())
    return frozenset(names)


class EspeakEngine:
    """libespeak-ng in synchronous mode: samples and word events in one call."""

    name = "espeak-ng"

    def __init__(self) -> None:
        from pyttsx3.drivers import _espeak  # raises when libespeak-ng is missing

        self._espeak = _espeak
        self.sample_rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 500, None, 0)
        if self.sample_rate <= 0:
            raise RuntimeError("espeak-ng did not initialise")
        self._samples: list[bytes] = []
        self._words: list[WordTiming] = []
        _espeak.SetSynthCallback(self._collect)
        # Asked once, at run time: which voices this espeak-ng has (1.52 has Tigrinya).
        self.voices = espeak_voice_names(
            (v.identifier, v.languages) for v in _espeak.ListVoices(None)
        )

    def _collect(self, wav, count: int, events) -> int:
        index = 0
        while True:
            event = events[index]
            if event.type == self._espeak.EVENT_LIST_TERMINATED:
                break
            if event.type == self._espeak.EVENT_WORD:
                self._words.append(
                    WordTiming(event.audio_position, event.text_position - 1, event.length)
                )
            index += 1
        if count > 0:
            self._samples.append(ctypes.string_at(wav, count * 2))
        return 0

    def has_voice(self, voice: str) -> bool:
        return voice.lower() in self.voices

    def synthesize(self, text: str, voice: str, words_per_minute: int) -> Synthesis:
        espeak = self._espeak
        if not self.has_voice(voice) or espeak.SetVoiceByName(voice.encode()) != espeak.EE_OK:
            raise VoiceMissing(voice)
        espeak.SetParameter(espeak.RATE, words_per_minute, 0)
        self._samples, self._words = [], []
        result = espeak.Synth(text, flags=espeak.CHARS_UTF8 | espeak.ENDPAUSE)
        if result != espeak.EE_OK:
            raise RuntimeError(f"espeak-ng could not speak this text (error {result})")
        return Synthesis(_wav_bytes(b"".join(self._samples), self.sample_rate), tuple(self._words))


class Pyttsx3Engine:
    """pyttsx3's Engine API: works with every pyttsx3 driver; no word timings."""

    name = "pyttsx3"

    def __init__(self, engine: Any = None) -> None:
        if engine is None:
            import pyttsx3

            engine = pyttsx3.init()
        if _driver_name(engine) == "espeak":
            raise EngineUnsuitable(
                "pyttsx3's espeak driver cannot save speech to a file reliably "
                "(espeak-ng 1.52); EspeakEngine drives espeak-ng instead"
            )
        self._engine = engine
        self._voices = {v.id: v for v in self._engine.getProperty("voices")}

    def _voice_id(self, voice: str) -> str | None:
        """The engine's voice id for a language code ('nl' finds 'gmw/nl' or a Dutch SAPI voice)."""
        for voice_id, info in self._voices.items():
            languages = [
                lang.decode(errors="ignore") if isinstance(lang, bytes) else str(lang)
                for lang in (info.languages or [])
            ]
            names = [voice_id.lower(), str(info.name).lower()]
            if any(lang.lstrip("\x05").lower().split("-")[0] == voice for lang in languages):
                return voice_id
            if any(n == voice or n.endswith("/" + voice) for n in names):
                return voice_id
        return None

    def has_voice(self, voice: str) -> bool:
        return self._voice_id(voice) is not None

    def synthesize(self, text: str, voice: str, words_per_minute: int) -> Synthesis:
        voice_id = self._voice_id(voice)
        if voice_id is None:
            raise VoiceMissing(voice)
        self._engine.setProperty("voice", voice_id)
        self._engine.setProperty("rate", words_per_minute)
        self._engine.runAndWait()  # property changes are queued until a run: apply them now
        current = self._engine.getProperty("voice") or ""
        if str(current).lower() != voice_id.lower():
            # pyttsx3 keeps the previous voice when it cannot set the new one
            raise VoiceMissing(voice)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "speech.wav"
            self._engine.save_to_file(text, str(path))
            self._engine.runAndWait()
            wav = path.read_bytes() if path.is_file() else b""
        if not _has_frames(wav):
            raise RuntimeError("pyttsx3 wrote no audio for this text")
        return Synthesis(wav, ())


def _driver_name(engine: Any) -> str:
    """pyttsx3's driver behind an engine: 'espeak', 'sapi5', 'nsss', ..."""
    name = getattr(engine, "driver_name", None)  # pyttsx3 2.99
    if not name:
        module = getattr(getattr(engine, "proxy", None), "_module", None)
        name = getattr(module, "__name__", "").rsplit(".", 1)[-1]
    return str(name or "")


def _has_frames(wav: bytes) -> bool:
    try:
        with wave.open(io.BytesIO(wav)) as reader:
            return reader.getnframes() > 0
    except (wave.Error, EOFError):
        return False


def open_engine() -> Engine | None:
    """The best engine this machine has, or None (the kiosk is then silent)."""
    for factory in (EspeakEngine, Pyttsx3Engine):
        try:
            return factory()
        except Exception:
            continue
    return None
