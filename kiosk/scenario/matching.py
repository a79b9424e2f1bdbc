"""Comparing what a visitor typed with the expected value, per kind of field.

A real form accepts `1234gh` for the postcode `1234 GH` and `23.400` for the
amount `23400`; so does the kiosk. Only a password must be exact.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from kiosk.scenario.dates import parse_typed_date

_SPACES_DOTS_DASHES = re.compile(r"[\s.\-]")


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _squashed(text: str) -> str:
    return _SPACES_DOTS_DASHES.sub("", text).casefold()


def parse_amount(text: str) -> Decimal | None:
    """An amount in euro as people type it: 23400, 23.400, € 23.400,00, 23400,-, 712.50."""
    cleaned = re.sub(r"(?i)eur(o)?|€|\s", "", text).removesuffix(",-").removesuffix(".-")
    if not cleaned or not re.fullmatch(r"[0-9.,]+", cleaned):
        return None
    if "," in cleaned:  # Dutch: a comma is the decimal point, dots group thousands
        whole, _, cents = cleaned.rpartition(",")
        if "," in whole or len(cents) > 2:
            return None
        cleaned = whole.replace(".", "") + "." + cents
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):  # 23.400: a thousands dot
        cleaned = cleaned.replace(".", "")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _phone_digits(text: str) -> str | None:
    if not re.fullmatch(r"[0-9+\s().\-]+", text.strip()):
        return None
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+"):
        return "0" + digits[2:] if digits.startswith("31") else "+" + digits
    if digits.startswith("0031"):
        return "0" + digits[4:]
    return digits


def same_value(kind: str, typed: str, expected: str) -> bool:
    """Does what the visitor typed count as the expected value for this kind of field?"""
    typed, expected = typed.strip(), expected.strip()
    if kind == "password":
        return typed == expected
    if kind == "date":
        parts = parse_typed_date(typed)
        return parts is not None and parts == parse_typed_date(expected)
    if kind == "amount":
        amount = parse_amount(typed)
        return amount is not None and amount == parse_amount(expected)
    if kind == "phone":
        digits = _phone_digits(typed)
        return digits is not None and digits == _phone_digits(expected)
    if kind in ("postcode", "iban"):
        return re.sub(r"\s", "", typed).casefold() == re.sub(r"\s", "", expected).casefold()
    if kind in ("number", "code", "pin"):
        return _squashed(typed) == _squashed(expected)
    return _words(typed) == _words(expected)
