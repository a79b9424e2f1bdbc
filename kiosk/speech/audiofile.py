"""Is a WAV file whole? A damaged file is a file problem, never a missing sound card.

Checked with the standard library's `wave` module from the header alone, so it
is cheap enough to run before every play: the header must parse, name a sane
format, and the sound it promises must really be in the file.
"""

from __future__ import annotations

import wave
from pathlib import Path

STREAMED_SIZE = 0x7FFF0000
"""A data size this large is a placeholder: espeak-ng --stdout and other streaming
writers cannot go back to fill in the real size, and players read to the end."""


def wav_problem(path: Path) -> str | None:
    """None for a WAV that can be played; otherwise what is wrong with it, in a few words."""
    try:
        size = path.stat().st_size
        with path.open("rb") as stream, wave.open(stream) as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            promised = wav.getnframes() * channels * width
            # wave stops reading right after the data chunk's header: the sound starts here
            present = size - stream.tell()
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    except (wave.Error, EOFError, ValueError) as error:
        return f"not a WAV file ({str(error) or 'it ends inside the header'})"
    if not (1 <= channels <= 8 and 1 <= width <= 4 and 1000 <= rate <= 384_000):
        return f"an impossible format ({channels} channels, {width * 8} bit, {rate} Hz)"
    if present < channels * width:
        return "no sound in it (empty)"
    if promised < STREAMED_SIZE and present < promised:
        return f"cut short ({present} of {promised} bytes of sound)"
    return None
