"""The oefenbewijs as a QR code, for a visitor to photograph when there is no printer."""

from __future__ import annotations

import io

import segno

from kiosk.certificate.model import Certificate
from kiosk.certificate.texts import dutch_date

QUIET_ZONE = 4
"""Modules of white around the code: the size the QR standard asks, so phones read it."""


def certificate_text(cert: Certificate) -> str:
    """Short plain Dutch text, one line each: library, date, the exercises. Never the name."""
    lines = ["Oefenbewijs Oefenkiosk", cert.library, dutch_date(cert.day)]
    for exercise in cert.exercises:
        mark = "✓" if exercise.finished else "–"
        suffix = "" if exercise.finished else " (nog niet klaar)"
        lines.append(f"{mark} {exercise.title}{suffix}")
    return "\n".join(line for line in lines if line)


def qr_code(text: str) -> segno.QRCode:
    """The QR code of a text, with error correction M (readable with a fold or a smudge)."""
    return segno.make_qr(text, error="m", boost_error=False)


def qr_png(text: str, scale: int = 8) -> bytes:
    """The QR code as PNG bytes: black on white, quiet zone kept, `scale` pixels a module."""
    out = io.BytesIO()
    qr_code(text).save(out, kind="png", scale=scale, border=QUIET_ZONE)
    return out.getvalue()
