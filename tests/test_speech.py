"""Speech: voices per language, real synthesis, the cache, the worker, playback rules."""

from __future__ import annotations

import array
import io
import math
import multiprocessing
import os
import re
import subprocess
import time
import wave
from pathlib import Path

import pytest

from kiosk.speech.audiofile import wav_problem
from kiosk.speech.cache import AudioCache, cache_key
from kiosk.speech.engines import (
    EngineUnsuitable,
    EspeakEngine,
    Pyttsx3Engine,
    Synthesis,
    VoiceMissing,
    espeak_voice_names,
    open_engine,
)
from kiosk.speech.playback import Playback
from kiosk.speech.service import Pending, Ready, SpeechService, Unavailable
from kiosk.speech.voices import VOICES, WORDS_PER_MINUTE, heard_languages, voice_for
from kiosk.speech.worker import Finished, Hello, SynthWorker

SENTENCES = {
    "nl": "Typ de code uit de sms in het vak.",
    "en": "Type the code from the text message in the box.",
    "ar": "اكتب الرمز من الرسالة في الخانة.",
    "prs": "کود را از پیام در خانه بنویسید.",
    "uk": "Введіть код із SMS у поле.",
    "tr": "SMS'teki kodu kutuya yazın.",
}


def rms(wav_bytes: bytes) -> float:
    with wave.open(io.BytesIO(wav_bytes)) as wav:
        samples = array.array("h", wav.readframes(wav.getnframes()))
    return math.sqrt(sum(s * s for s in samples) / max(len(samples), 1))


@pytest.fixture(scope="module")
def espeak():
    return EspeakEngine()  # one engine for this test process, as in a worker


def espeak_ng_lists(language: str) -> bool:
    """Does the espeak-ng command line list a voice for this language? (A second opinion.)"""
    listed = subprocess.run(
        ["espeak-ng", f"--voices={language}"], capture_output=True, text=True, timeout=30
    ).stdout.splitlines()[1:]
    return any(line.split()[1] == language for line in listed if len(line.split()) > 1)


def espeak_ng_version() -> tuple[int, ...]:
    words = subprocess.run(
        ["espeak-ng", "--version"], capture_output=True, text=True, timeout=30
    ).stdout.split()
    return tuple(int(part) for part in words[words.index("text-to-speech:") + 1].split(".")[:2])


def wait_for(service: SpeechService, ticket: int, seconds: float = 30.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for got, answer in service.poll():
            if got == ticket:
                return answer
        time.sleep(0.01)
    raise AssertionError("no answer from the speech worker")


# --- Voices ----------------------------------------------------------------------------


def test_the_voice_table_covers_every_language_and_never_borrows():
    assert set(VOICES) == {"nl", "en", "ar", "ti", "prs", "uk", "tr", "so"}
    assert voice_for("nl") == "nl" and voice_for("prs") == "fa" and voice_for("ti") == "ti"
    assert voice_for("so") is None  # no offline Somali voice exists
    assert voice_for("xx") is None


def test_the_slow_speed_suits_learners():
    assert 130 <= WORDS_PER_MINUTE["slow"] <= 140 < WORDS_PER_MINUTE["normal"]


# --- Real synthesis with espeak-ng --------------------------------------------------------


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_synthesis_is_not_silent(espeak, language):
    voice = voice_for(language)
    assert espeak.has_voice(voice), f"espeak-ng has no {voice} voice here"
    synthesis = espeak.synthesize(SENTENCES[language], voice, WORDS_PER_MINUTE["slow"])
    assert synthesis.wav[:4] == b"RIFF"
    assert rms(synthesis.wav) > 500


def test_tigrinya_is_spoken_exactly_where_espeak_ng_has_a_tigrinya_voice(espeak):
    listed = espeak_ng_lists("ti")
    if espeak_ng_version() >= (1, 52):
        assert listed, "espeak-ng 1.52 (Debian 13) has a Tigrinya voice"
    assert espeak.has_voice("ti") == listed
    assert ("ti" in heard_languages(espeak.has_voice)) == listed
    if listed:
        synthesis = espeak.synthesize("ሰላም፣ ኮድ ኣብቲ ሳጹን ጽሓፍ።", "ti", 135)
        assert rms(synthesis.wav) > 500 and synthesis.words
    else:
        with pytest.raises(VoiceMissing):
            espeak.synthesize("Selam", "ti", 135)


def test_somali_is_never_read_with_a_voice(espeak):
    assert not espeak.has_voice("so") and "so" not in heard_languages(espeak.has_voice)
    with pytest.raises(VoiceMissing):
        espeak.synthesize("Riix badhanka.", "so", 135)


def test_the_installed_voices_are_read_from_espeak_ng_s_own_list():
    names = espeak_voice_names([(b"sem/ti", b"\x05ti"), (b"gmw/en", b"\x02en-gb"), (None, None)])
    assert {"ti", "sem/ti", "en", "en-gb"} <= names and "so" not in names
    assert heard_languages(lambda voice: voice in names) == ("en", "ti")


def test_slow_speech_is_longer_than_normal(espeak):
    slow = espeak.synthesize(SENTENCES["nl"], "nl", WORDS_PER_MINUTE["slow"])
    normal = espeak.synthesize(SENTENCES["nl"], "nl", WORDS_PER_MINUTE["normal"])
    assert len(slow.wav) > len(normal.wav) * 1.15


def test_word_timings_match_the_words_of_a_dutch_sentence(espeak):
    text = "Typ de code uit de sms in het vak, onderaan de pagina."
    synthesis = espeak.synthesize(text, "nl", 135)
    spoken = [text[w.char_start : w.char_start + w.char_length] for w in synthesis.words]
    assert spoken == re.findall(r"\w+", text)
    starts = [w.start_ms for w in synthesis.words]
    assert starts == sorted(starts) and starts[-1] > 1000


def test_word_spans_stay_inside_the_words_they_belong_to(espeak):
    text = "Tik op 'Inloggen met DigiD' en typ één wéék-code."
    words = [(m.start(), m.end()) for m in re.finditer(r"[\w-]+", text)]
    synthesis = espeak.synthesize(text, "nl", 135)
    assert len(synthesis.words) >= len(words)
    for timing in synthesis.words:  # espeak may split 'DigiD' in 'Digi' and 'D': still inside
        end = timing.char_start + timing.char_length
        assert any(s <= timing.char_start and end <= e for s, e in words), timing


def _engines_in_a_fresh_process() -> tuple[str, str | None]:
    try:
        Pyttsx3Engine()
        pyttsx3_answer = "opened"
    except EngineUnsuitable as error:
        pyttsx3_answer = f"refused: {error}"
    engine = open_engine()
    return pyttsx3_answer, engine.name if engine else None


def test_pyttsx3_s_espeak_driver_is_never_used_to_save_speech():
    # One engine per process (pyttsx3's first trap), and a time limit: this driver hangs.
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        pyttsx3_answer, best = pool.apply_async(_engines_in_a_fresh_process).get(timeout=60)
    assert pyttsx3_answer.startswith("refused: pyttsx3's espeak driver cannot save")
    assert best == "espeak-ng"


class FakePyttsx3:
    """pyttsx3's Engine API as SAPI5 behaves: an unknown voice keeps the previous one."""

    driver_name = "sapi5"

    def __init__(self, writes_audio: bool = True) -> None:
        from pyttsx3.voice import Voice

        self.voices = [Voice("nl-voice", "Dutch", ["nl-NL"]), Voice("en-voice", "English", ["en"])]
        self.properties = {"voice": "en-voice", "rate": 200, "voices": self.voices}
        self.queued: dict = {}
        self.saves: list = []
        self.writes_audio = writes_audio

    def getProperty(self, name):
        return self.properties[name]

    def setProperty(self, name, value):
        self.queued[name] = value

    def save_to_file(self, text, path):
        self.saves.append((text, path))

    def runAndWait(self):
        for name, value in self.queued.items():
            if name != "voice" or value in {v.id for v in self.voices}:
                self.properties[name] = value
        self.queued = {}
        for _, path in self.saves:
            if self.writes_audio:
                Path(path).write_bytes(_tone_wav())
        self.saves = []


def _tone_wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(22050)
        wav.writeframes(array.array("h", [3000, -3000] * 2000).tobytes())
    return buffer.getvalue()


def test_pyttsx3_refuses_an_unknown_voice_instead_of_keeping_the_last_one():
    engine = Pyttsx3Engine(FakePyttsx3())
    assert engine.has_voice("nl") and not engine.has_voice("ti")
    with pytest.raises(VoiceMissing):
        engine.synthesize("Hallo", "ti", 135)
    synthesis = engine.synthesize("Hallo", "nl", 135)
    assert rms(synthesis.wav) > 500


def test_a_pyttsx3_save_that_wrote_nothing_is_an_error_not_silence():
    engine = Pyttsx3Engine(FakePyttsx3(writes_audio=False))
    with pytest.raises(RuntimeError, match="wrote no audio"):
        engine.synthesize("Hallo", "nl", 135)


# --- The cache ------------------------------------------------------------------------------


def test_cache_keys_depend_on_text_voice_speed_and_engine():
    base = cache_key("Tik op Start.", "nl", 135, "espeak-ng")
    assert base == cache_key("Tik op Start.", "nl", 135, "espeak-ng")
    assert (
        len(
            {
                base,
                cache_key("Tik op Stop.", "nl", 135, "espeak-ng"),
                cache_key("Tik op Start.", "en", 135, "espeak-ng"),
                cache_key("Tik op Start.", "nl", 175, "espeak-ng"),
                cache_key("Tik op Start.", "nl", 135, "pyttsx3"),
            }
        )
        == 5
    )


def test_cache_round_trip_and_no_half_files(tmp_path, espeak):
    cache = AudioCache(tmp_path)
    synthesis = espeak.synthesize("Goed gedaan.", "nl", 135)
    stored = cache.put("abc123", synthesis)
    again = cache.get("abc123")
    assert again.wav == stored.wav and again.words == synthesis.words
    assert not list(tmp_path.rglob(".part-*"))
    assert cache.get("missing") is None


def test_a_disk_that_cannot_be_written_raises_for_the_worker_to_report(tmp_path):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder should be")
    with pytest.raises(OSError):
        AudioCache(not_a_folder).put("ab" + "c" * 30, Synthesis(b"RIFF", ()))


# --- The service with the real worker process ------------------------------------------------


def test_dutch_is_rendered_once_then_comes_from_the_cache(tmp_path):
    service = SpeechService(tmp_path / "cache", tmp_path / "clips")
    try:
        first = service.request(SENTENCES["nl"], "nl", "slow")
        assert isinstance(first, Pending)
        answer = wait_for(service, first.ticket)
        assert isinstance(answer, Ready) and answer.rendered and answer.audio.words
        assert rms(answer.audio.wav.read_bytes()) > 500
        assert service.engine == "espeak-ng" and "nl" in service.voices
        assert ("ti" in service.voices) == espeak_ng_lists("ti") and "so" not in service.voices
        restarts = service.worker.restarts
        second = service.request(SENTENCES["nl"], "nl", "slow")
        assert isinstance(second, Ready) and not second.rendered
        assert second.audio.wav == answer.audio.wav and service.worker.restarts == restarts
    finally:
        service.stop()


# --- Voice choice and fallbacks, with a stand-in worker -------------------------------------


class FakeWorker:
    """Answers like the worker would, without a process."""

    def __init__(self, engine: str | None = "espeak-ng", voices=("nl", "en", "ar")) -> None:
        self.engine, self.voices = engine, voices
        self.jobs = []
        self.started = False
        self.restarts = 0

    def start(self):
        self.started = True

    def stop(self, wait=True):
        pass

    def submit(self, job):
        self.jobs.append(job)

    def poll(self):
        messages = []
        if self.started:
            messages.append(Hello(self.engine, tuple(self.voices)))
            self.started = False
        messages += [Finished(job.ticket, False, "not rendered here") for job in self.jobs]
        return messages


def test_dutch_text_gets_the_dutch_voice(tmp_path):
    worker = FakeWorker()
    service = SpeechService(tmp_path, tmp_path, worker)
    service.request("Tik op Start.", "nl", "slow")
    service.poll()
    assert [job.voice for job in worker.jobs] == ["nl"]
    assert worker.jobs[0].words_per_minute == WORDS_PER_MINUTE["slow"]


def test_a_language_without_a_voice_is_never_read_with_another_voice(tmp_path):
    worker = FakeWorker(voices=("nl", "en", "ar", "fa", "uk", "tr"))
    service = SpeechService(tmp_path, tmp_path, worker)
    service.start()
    service.poll()
    for language in ("ti", "so"):
        assert service.request("ሰላም", language, "slow") == Unavailable("no-voice")
        assert not service.hearable(language)
    assert worker.jobs == []


def test_a_voice_espeak_lacks_here_is_refused_too(tmp_path):
    worker = FakeWorker(voices=("nl",))
    service = SpeechService(tmp_path, tmp_path, worker)
    service.start()
    service.poll()
    assert service.request("Hello", "en", "slow") == Unavailable("no-voice")
    assert not service.hearable("en") and service.hearable("nl")


def test_a_recorded_clip_wins_also_for_a_language_without_a_voice(tmp_path):
    clip = tmp_path / "so" / "start.ogg"
    clip.parent.mkdir()
    clip.write_bytes(b"OggS")
    service = SpeechService(tmp_path / "cache", tmp_path, FakeWorker())
    answer = service.request("Riix 'Start'.", "so", "slow", clip="start.ogg")
    assert isinstance(answer, Ready) and answer.recorded and answer.audio.wav == clip
    assert service.hearable("so", "start.ogg") and not service.hearable("so", "other.ogg")


def test_no_engine_means_silent_with_one_clear_log_line(tmp_path, caplog):
    service = SpeechService(tmp_path, tmp_path, FakeWorker(engine=None, voices=()))
    pending = service.request("Tik op Start.", "nl", "slow")
    with caplog.at_level("WARNING"):
        answers = service.poll()
    assert answers == [(pending.ticket, Unavailable("off"))]
    assert service.state == "off" and not service.hearable("nl")
    assert service.request("Nog een.", "nl", "slow") == Unavailable("off")
    assert [r.message for r in caplog.records] == [
        "speech is off: no speech engine (is espeak-ng installed?); the kiosk stays silent"
    ]


def _hang(jobs, results, folder):
    results.put(("hello", "espeak-ng", ["nl"]))
    jobs.get()
    time.sleep(60)  # the run loop is stuck


def test_a_stuck_worker_is_killed_and_the_job_fails_quickly(tmp_path):
    worker = SynthWorker(tmp_path, timeout=1.0, target=_hang)
    service = SpeechService(tmp_path, tmp_path, worker)
    try:
        ticket = service.request("Tik op Start.", "nl", "slow").ticket
        started = time.monotonic()
        answer = wait_for(service, ticket, seconds=20)
        assert answer == Unavailable("failed")
        assert time.monotonic() - started < 10
        assert worker.restarts == 1 and not worker.alive
    finally:
        worker.stop()


def _never_says_hello(jobs, results, folder):
    time.sleep(60)  # the engine hangs while it opens


def _dies_before_hello(jobs, results, folder):
    raise SystemExit(3)  # the engine crashes while it opens


@pytest.mark.parametrize("target", [_never_says_hello, _dies_before_hello])
def test_a_worker_whose_engine_never_opens_leaves_the_kiosk_silent_not_waiting(tmp_path, target):
    worker = SynthWorker(tmp_path, start_timeout=2.0, target=target)
    service = SpeechService(tmp_path, tmp_path, worker)
    try:
        ticket = service.request("Tik op Start.", "nl", "slow").ticket
        started = time.monotonic()
        answer = wait_for(service, ticket, seconds=20)
        assert answer == Unavailable("off")
        assert time.monotonic() - started < 10
        assert service.state == "off" and not worker.alive
    finally:
        worker.stop()


# --- Playback: one text at a time --------------------------------------------------------------


def test_a_second_request_replaces_the_first():
    playback = Playback()
    assert playback.press("instruction") == "start"
    assert playback.ready("instruction")
    playback.start("feedback")
    assert playback.source == "feedback" and playback.state == "waiting"
    assert not playback.ready("instruction")  # late audio of the old text never plays
    assert playback.ready("feedback")


def test_pressing_the_speaking_text_again_stops_it():
    playback = Playback()
    playback.press("instruction")
    playback.ready("instruction")
    assert playback.press("instruction") == "stop"
    assert not playback.speaking and playback.source is None


def test_finished_only_ends_the_text_that_finished():
    playback = Playback()
    playback.press("a")
    playback.ready("a")
    playback.finished("b")
    assert playback.speaking
    playback.finished("a")
    assert not playback.speaking


def test_never_two_at_once():
    playback = Playback()
    for source in ("a", "b", "c"):
        playback.press(source)
    assert playback.source == "c"
    assert [playback.ready(s) for s in ("a", "b", "c")] == [False, False, True]


def test_the_feedback_sounds_are_made_and_soft(tmp_path):
    from kiosk.speech.sounds import sound_file

    for name in ("correct", "try-again"):
        path = sound_file(name, tmp_path)
        level = rms(Path(path).read_bytes())
        assert 300 < level < 8000  # audible, never loud
        assert sound_file(name, tmp_path) == path  # made once


# --- Damaged audio files ------------------------------------------------------------------


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    damaged = {
        "garbage": b"\x00garbage" * 64,
        "empty": b"",
        "cut-in-the-header": data[:30],
        "header-only": data[:44],
    }
    path.write_bytes(damaged[how])


def test_a_whole_wav_has_no_problem_also_when_streamed(tmp_path, espeak):
    whole = tmp_path / "whole.wav"
    whole.write_bytes(espeak.synthesize("Goed gedaan.", "nl", 135).wav)
    assert wav_problem(whole) is None
    # espeak-ng --stdout cannot fill in the sizes: a placeholder, read to the end
    streamed = bytearray(whole.read_bytes())
    streamed[4:8] = (0x7FFFF024).to_bytes(4, "little")
    streamed[40:44] = (0x7FFFF000).to_bytes(4, "little")
    (tmp_path / "streamed.wav").write_bytes(bytes(streamed))
    assert wav_problem(tmp_path / "streamed.wav") is None


@pytest.mark.parametrize("how", ["garbage", "empty", "cut-in-the-header", "header-only"])
def test_a_damaged_wav_is_named_as_such(tmp_path, espeak, how):
    path = tmp_path / "speech.wav"
    path.write_bytes(espeak.synthesize("Goed gedaan.", "nl", 135).wav)
    _damage(path, how)
    assert wav_problem(path)


def test_a_wav_cut_short_is_named_as_such(tmp_path, espeak):
    path = tmp_path / "speech.wav"
    path.write_bytes(espeak.synthesize("Goed gedaan.", "nl", 135).wav[:-2000])
    assert "cut short" in wav_problem(path)


def test_a_damaged_cached_speech_file_is_removed_and_rendered_again(tmp_path, caplog):
    service = SpeechService(tmp_path / "cache", tmp_path / "clips")
    try:
        first = service.request(SENTENCES["nl"], "nl", "slow")
        rendered = wait_for(service, first.ticket)
        assert isinstance(rendered, Ready)
        _damage(rendered.audio.wav, "garbage")
        again = service.request(SENTENCES["nl"], "nl", "slow")
        assert isinstance(again, Pending)  # not the damaged file: a new rendering
        answer = wait_for(service, again.ticket)
        assert isinstance(answer, Ready) and answer.rendered
        assert rms(answer.audio.wav.read_bytes()) > 500
        assert "damaged" in caplog.text and rendered.audio.wav.name in caplog.text
    finally:
        service.stop()


def test_a_cached_file_the_player_cannot_load_is_rendered_again(tmp_path):
    service = SpeechService(tmp_path / "cache", tmp_path / "clips", FakeWorker())
    service.start()
    service.poll()
    key = cache_key("Tik op Start.", "nl", WORDS_PER_MINUTE["slow"], "espeak-ng")
    stored = service.cache.put(key, Synthesis(_wav_of_silence(), ()))
    answer = service.request("Tik op Start.", "nl", "slow")
    assert isinstance(answer, Ready)
    service.unplayable(answer.audio, "the player refused it")
    assert not stored.wav.exists()
    assert isinstance(service.request("Tik op Start.", "nl", "slow"), Pending)


def test_a_damaged_recorded_clip_is_reported_and_synthesis_speaks_instead(tmp_path, caplog):
    clip = tmp_path / "clips" / "nl" / "start.wav"
    clip.parent.mkdir(parents=True)
    clip.write_bytes(b"RIFF\x00\x00")
    service = SpeechService(tmp_path / "cache", tmp_path / "clips", FakeWorker())
    service.start()
    service.poll()
    answer = service.request("Tik op Start.", "nl", "slow", clip="start.wav")
    assert isinstance(answer, Pending)  # the voice, not the damaged recording
    assert clip.exists()  # a volunteer's recording is never deleted
    assert "start.wav" in caplog.text and "damaged" in caplog.text
    assert service.damaged_clips == ("nl/start.wav",)
    # a volunteer records it again: it is played, and no longer reported
    clip.write_bytes(_wav_of_silence())
    os.utime(clip, ns=(time.time_ns(), time.time_ns() + 10**9))
    answer = service.request("Tik op Start.", "nl", "slow", clip="start.wav")
    assert isinstance(answer, Ready) and answer.recorded
    assert service.damaged_clips == ()


def test_damaged_clips_of_another_content_version_are_not_reported(tmp_path):
    clip = tmp_path / "oud" / "nl" / "start.wav"
    clip.parent.mkdir(parents=True)
    clip.write_bytes(b"RIFF\x00\x00")
    service = SpeechService(tmp_path / "cache", tmp_path / "oud", FakeWorker())
    service.start()
    service.poll()
    service.request("Tik op Start.", "nl", "slow", clip="start.wav")
    assert service.damaged_clips == ("nl/start.wav",)
    service.clips_folder = tmp_path / "nieuw"  # a content pack was switched on
    assert service.damaged_clips == ()


@pytest.mark.parametrize("how", ["garbage", "empty", "header-only"])
def test_a_damaged_feedback_sound_is_made_again(tmp_path, how, caplog):
    from kiosk.speech.sounds import sound_file

    path = sound_file("correct", tmp_path)
    _damage(path, how)
    assert sound_file("correct", tmp_path) == path
    assert wav_problem(path) is None and rms(path.read_bytes()) > 300
    assert "damaged" in caplog.text


def _wav_of_silence() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(22050)
        wav.writeframes(b"\x00\x00" * 2205)
    return buffer.getvalue()
