"""The kiosk's voice: plays what the speech service prepared, one text at a time.

Never blocks the screen: synthesis runs in the worker process; this player
only loads and plays finished files, polled from the Clock. With no sound
card or no speech engine the kiosk stays silent and the speaker buttons say
so. While a text plays, the word being spoken is highlighted from the word
timings espeak-ng reported; a text without timings is not highlighted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kivy.clock import Clock
from kivy.core.audio import SoundLoader
from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty, OptionProperty, StringProperty

from kiosk.speech.audiofile import wav_problem
from kiosk.speech.cache import CachedAudio
from kiosk.speech.engines import WordTiming
from kiosk.speech.playback import Playback
from kiosk.speech.service import Pending, Ready, SpeechService, Unavailable
from kiosk.speech.sounds import sound_file

log = logging.getLogger(__name__)

PLAY_AFTER_S = 0.02
"""A sound that is ready starts this long after it was asked for: after the next frame."""


class Highlightable(Protocol):
    def show_spoken_word(self, start: int, length: int) -> None: ...

    def clear_spoken_word(self) -> None: ...


@dataclass
class _Speaking:
    source: str
    highlight: Highlightable | None
    text: str = ""
    language: str = "nl"
    clip: str | None = None
    retried: bool = False
    """Asked once more after its file could not be played: never a second time."""


class KioskSpeaker(EventDispatcher):
    """Speech and sounds for the screens; its properties drive the speaker buttons."""

    speaking = StringProperty("")
    """The source now speaking (or waiting for its audio), '' when quiet."""
    audio_on = BooleanProperty(True)
    """False with no sound card or no speech engine: the buttons show it."""
    auto_read = BooleanProperty(True)
    speed = OptionProperty("slow", options=["slow", "normal"])
    sounds_on = BooleanProperty(True)
    volume = NumericProperty(0.8)
    voices_known = BooleanProperty(False)

    def __init__(self, service: SpeechService | None, sounds_folder: Path, **kwargs) -> None:
        super().__init__(**kwargs)
        self.service = service
        self.sounds_folder = sounds_folder
        self.on_heard: Callable[[str], None] | None = None
        """Told the language of each text a visitor chose to hear (the practice log)."""
        self.playback = Playback()
        self._sound = None
        self._speaking: _Speaking | None = None
        self._tickets: dict[int, _Speaking] = {}
        self._words: tuple[WordTiming, ...] = ()
        self._started = 0.0
        self._effects: dict[str, object] = {}
        self.audio_problem = ""
        """Why the kiosk is silent, for staff: '', 'no-sound-card' or 'cannot-write'."""
        self.sound_card = self._probe_sound_card()
        self.audio_on = self.sound_card and service is not None
        if service is not None:
            service.start()
        Clock.schedule_interval(self._tick, 0.04)

    # --- what the screens call --------------------------------------------------------

    def can_speak(self, language: str, clip: str | None = None) -> bool:
        return bool(self.audio_on and self.service and self.service.hearable(language, clip))

    def press(
        self,
        source: str,
        text: str,
        language: str,
        clip: str | None = None,
        highlight: Highlightable | None = None,
    ) -> None:
        """A speaker button: speak, or stop when this very text is speaking."""
        if self.playback.source == source and self.playback.speaking:
            self.stop()
        else:
            if self.on_heard is not None:
                self.on_heard(language)
            self.say(source, text, language, clip, highlight)

    def say(
        self,
        source: str,
        text: str,
        language: str,
        clip: str | None = None,
        highlight: Highlightable | None = None,
    ) -> None:
        """Speak a text; whatever was speaking stops first."""
        self.stop()
        if not self.audio_on or self.service is None or not text.strip():
            return
        self._ask(_Speaking(source, highlight, text, language, clip))

    def _ask(self, speaking: _Speaking) -> None:
        self.playback.start(speaking.source)
        self._speaking = speaking
        self.speaking = speaking.source
        answer = self.service.request(speaking.text, speaking.language, self.speed, speaking.clip)
        if isinstance(answer, Ready):
            # loading the sound takes a few milliseconds: the screen the touch asked for
            # is drawn first, the voice starts a frame later
            Clock.schedule_once(lambda *_: self._play(speaking, answer.audio), PLAY_AFTER_S)
        elif isinstance(answer, Pending):
            self._tickets[answer.ticket] = speaking
        else:
            self._refused(answer)

    def stop(self) -> None:
        """Silence now: a new text, leaving a screen, the end of a session."""
        self._tickets.clear()
        sound, self._sound = self._sound, None
        if sound is not None:
            sound.unbind(on_stop=self._sound_ended)
            sound.stop()
            sound.unload()
        self._clear_highlight()
        self._speaking = None
        self._words = ()
        self.playback.stop()
        self.speaking = ""

    def play_effect(self, name: str) -> None:
        """'correct' or 'try-again': a short soft sound, when staff left sounds on."""
        if not (self.sounds_on and self.sound_card):
            return
        sound = self._effects.get(name)
        if sound is None:
            try:
                sound = SoundLoader.load(str(sound_file(name, self.sounds_folder)))
            except OSError as error:
                log.warning("cannot make the %s sound: %s", name, error)
                return
            self._effects[name] = sound
        if sound is not None:
            sound.volume = self.volume * 0.7
            sound.stop()
            sound.play()

    def shutdown(self) -> None:
        self.stop()
        if self.service is not None:
            self.service.stop()

    # --- inside -----------------------------------------------------------------------

    def _probe_sound_card(self) -> bool:
        """A sound that loads with no length means SDL opened no audio device."""
        try:
            # a damaged sound file is made again here: it must not pass for a missing card
            path = sound_file("correct", self.sounds_folder)
        except OSError as error:
            log.warning("audio is off: cannot write the sounds (%s)", error)
            self.audio_problem = "cannot-write"
            return False
        probe = SoundLoader.load(str(path))
        if probe is None or not probe.length:
            log.warning("audio is off: no sound card (the kiosk stays silent)")
            self.audio_problem = "no-sound-card"
            return False
        self._effects["correct"] = probe
        return True

    def _play(self, speaking: _Speaking, audio: CachedAudio) -> None:
        if speaking is not self._speaking or not self.playback.ready(speaking.source):
            return
        sound = SoundLoader.load(str(audio.wav))
        if sound is None or not sound.length:
            self._unplayable(speaking, audio)
            return
        sound.volume = self.volume
        sound.bind(on_stop=self._sound_ended)
        self._sound = sound
        self._words = audio.words
        self._started = time.monotonic()
        sound.play()

    def _unplayable(self, speaking: _Speaking, audio: CachedAudio) -> None:
        """The player could not load a file: say why, and try once more without it (a
        new rendering, or the voice instead of a recording)."""
        service = self.service
        problem = wav_problem(audio.wav) if audio.wav.suffix == ".wav" else None
        recorded = service is not None and not service.cache.holds(audio.wav)
        if service is None or (problem is None and not recorded):
            log.warning("cannot play %s: the sound player refused a whole file", audio.wav.name)
            self.stop()
            return
        service.unplayable(audio, problem or "the sound player refused it")
        if speaking.retried:
            self.stop()
            return
        self._tickets.clear()
        speaking.retried = True
        self._ask(speaking)

    def _refused(self, answer: Unavailable) -> None:
        self.stop()
        if answer.reason == "off":
            self.audio_on = False

    def _sound_ended(self, sound) -> None:
        if sound is self._sound:
            self.stop()

    def _tick(self, _dt: float) -> None:
        service = self.service
        if service is not None:
            for ticket, answer in service.poll():
                speaking = self._tickets.pop(ticket, None)
                if speaking is None:
                    continue
                if isinstance(answer, Ready):
                    self._play(speaking, answer.audio)
                else:
                    self._refused(answer)
            if service.state == "off" and self.audio_on:
                self.audio_on = False
            self.voices_known = service.state == "ready"
        self._follow_words()

    def _follow_words(self) -> None:
        speaking = self._speaking
        if not self._words or speaking is None or speaking.highlight is None:
            return
        elapsed_ms = (time.monotonic() - self._started) * 1000
        current = None
        for word in self._words:
            if word.start_ms <= elapsed_ms:
                current = word
            else:
                break
        if current is not None:
            speaking.highlight.show_spoken_word(current.char_start, current.char_length)

    def _clear_highlight(self) -> None:
        if self._speaking is not None and self._speaking.highlight is not None:
            self._speaking.highlight.clear_spoken_word()
