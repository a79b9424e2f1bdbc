"""Two short, soft sounds: one for a right action, one for 'try again'.

Made with the standard library the first time they are needed, so no binary
file has to live in the repository.
"""

from __future__ import annotations

import logging
import math
import struct
from pathlib import Path

from kiosk.speech.audiofile import wav_problem
from kiosk.speech.cache import write_atomic

log = logging.getLogger(__name__)

SAMPLE_RATE = 22050

# (frequency in Hz, seconds) per note: a rising major third for 'good',
# one low, short note for 'try again' (gentle, never a buzzer).
TUNES: dict[str, tuple[tuple[float, float], ...]] = {
    "correct": ((659.3, 0.11), (830.6, 0.20)),
    "try-again": ((392.0, 0.22),),
}
VOLUME = 0.22


def _tone(frequency: float, seconds: float) -> list[int]:
    count = int(SAMPLE_RATE * seconds)
    samples = []
    for i in range(count):
        # a soft attack and a long fade, so nothing clicks
        envelope = min(1.0, i / (0.012 * SAMPLE_RATE)) * (1 - i / count) ** 2
        value = math.sin(2 * math.pi * frequency * i / SAMPLE_RATE) * envelope * VOLUME
        samples.append(int(value * 32767))
    return samples


def sound_file(name: str, folder: Path) -> Path:
    """The WAV for a named sound, made once in `folder` (and again when it is damaged).

    Raises OSError when it cannot be written (a full or read-only disk)."""
    path = folder / f"sound-{name}.wav"
    if path.is_file():
        problem = wav_problem(path)
        if problem is None:
            return path
        log.warning("sound %s is damaged (%s): made again", path, problem)
    samples: list[int] = []
    for frequency, seconds in TUNES[name]:
        samples += _tone(frequency, seconds)
    frames = struct.pack(f"<{len(samples)}h", *samples)
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + len(frames),
        b"WAVE",
        b"fmt ",
        16,
        1,
        1,
        SAMPLE_RATE,
        SAMPLE_RATE * 2,
        2,
        16,
        b"data",
        len(frames),
    )
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(path, header + frames)
    return path
