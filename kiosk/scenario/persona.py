"""Practice-card values, placeholders in content, and the BSN guard."""

from __future__ import annotations

import re

from kiosk.scenario.catalog import N_
from kiosk.scenario.model import PERSONA_FIELDS, Persona

PLACEHOLDER = re.compile(r"\{(card|code)\.([A-Za-z0-9_]+)\}")
"""`{card.digid_username}` or `{code.sms}` inside a text."""

REFERENCE = re.compile(r"^(card|code)\.([A-Za-z0-9_]+)$")
"""`card.digid_username` or `code.sms` as a value to type."""

BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)

REAL_BSN_MESSAGE = "Typ nooit uw echte BSN. Gebruik het BSN van de oefenkaart."


def passes_eleven_check(number: str) -> bool:
    """True for a 9-digit number that could be a real BSN (the 'elfproef')."""
    if len(number) != 9 or not number.isascii() or not number.isdigit():
        return False
    if set(number) == {"0"}:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number, BSN_WEIGHTS, strict=True))
    return total % 11 == 0


_NINE_DIGITS = re.compile(r"(?<![0-9])[0-9](?:[ .]?[0-9]){8}(?![0-9])")


def contains_real_bsn(text: str, card_bsn: str) -> bool:
    """True when `text` holds a number that may be someone's real BSN.

    A 9-digit number (spaces or dots between the digits allowed, as people
    write a BSN) that passes the eleven-check and is not the card's own BSN.
    """
    for match in _NINE_DIGITS.finditer(text):
        digits = re.sub(r"[ .]", "", match.group())
        if passes_eleven_check(digits) and digits != card_bsn:
            return True
    return False


def card_value(persona: Persona, name: str) -> str:
    """A practice-card field by name, including the derived ones."""
    if name not in PERSONA_FIELDS:
        raise KeyError(name)
    return str(getattr(persona, name))


def resolve(reference: str, persona: Persona, codes: dict[str, str]) -> str:
    """The value of `card.x` or `code.x`."""
    match = REFERENCE.match(reference)
    if not match:
        raise KeyError(reference)
    namespace, name = match.groups()
    return card_value(persona, name) if namespace == "card" else codes[name]


def fill(text: str, persona: Persona, codes: dict[str, str]) -> str:
    """Replace every `{card.x}` and `{code.x}` in a content text."""
    return PLACEHOLDER.sub(lambda m: resolve(f"{m[1]}.{m[2]}", persona, codes), text)


CARD_LABELS: tuple[tuple[str, str], ...] = (
    (N_("Naam"), "full_name"),
    (N_("Geboortedatum"), "birth_date"),
    (N_("Adres"), "street"),
    (N_("Postcode"), "postcode"),
    (N_("Woonplaats"), "city"),
    (N_("BSN"), "bsn"),
    (N_("DigiD gebruikersnaam"), "digid_username"),
    (N_("DigiD wachtwoord"), "digid_password"),
    (N_("Pincode DigiD app"), "app_pincode"),
    (N_("Telefoon"), "phone"),
    (N_("E-mail"), "email"),
    (N_("Rekeningnummer (IBAN)"), "iban"),
)


def card_lines(card: Persona) -> list[tuple[str, str]]:
    """The practice card as (label, value) lines."""
    return [(label, str(getattr(card, name))) for label, name in CARD_LABELS]
