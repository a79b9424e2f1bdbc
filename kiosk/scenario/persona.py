"""Practice-card values, placeholders in content, and the BSN guard."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from kiosk.scenario.catalog import N_
from kiosk.scenario.dates import DateError, dutch_long, resolve_date
from kiosk.scenario.model import PERSONA_FIELDS, Persona

NAMESPACES = ("card", "code", "date", "form")
PLACEHOLDER = re.compile(r"\{(card|code|date|form)\.([A-Za-z0-9_\-]+)\}")
"""`{card.digid_username}`, `{code.sms}`, `{date.termijn}` or `{form.postcode}` in a text."""

REFERENCE = re.compile(r"^(card|code|date|form)\.([A-Za-z0-9_\-]+)$")
"""`card.digid_username`, `code.sms`, `date.termijn` or `form.postcode` as a value to type."""

REFERENCE_DAY = date(2026, 11, 30)
"""'Today' for checks and tests that play a scenario without a real day."""

DATE_FIELDS = ("moving_date",)
"""Card fields that hold a date expression ('today + 3 weeks') rather than a text."""


@dataclass(frozen=True)
class Context:
    """Everything a placeholder can name while a scenario is played.

    `form` holds what the visitor typed or chose earlier in this session: it
    lives in memory only, and goes when the run is wiped.
    """

    persona: Persona
    codes: Mapping[str, str]
    dates: Mapping[str, str] = field(default_factory=dict)
    today: date = REFERENCE_DAY
    form: Mapping[str, str] = field(default_factory=dict, repr=False)


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


def card_value(persona: Persona, name: str, today: date = REFERENCE_DAY) -> str:
    """A practice-card field by name, including the derived ones."""
    if name not in PERSONA_FIELDS:
        raise KeyError(name)
    value = str(getattr(persona, name))
    if name in DATE_FIELDS and value:
        try:
            return dutch_long(resolve_date(value, today))
        except DateError:
            return value
    return value


def resolve_in(reference: str, context: Context) -> str:
    """The value of `card.x`, `code.x`, `date.x` or `form.x` (KeyError when unknown)."""
    match = REFERENCE.match(reference)
    if not match:
        raise KeyError(reference)
    namespace, name = match.groups()
    if namespace == "card":
        return card_value(context.persona, name, context.today)
    if namespace == "code":
        return context.codes[name]
    if namespace == "date":
        if name == "today":
            return dutch_long(context.today)
        try:
            return dutch_long(resolve_date(context.dates[name], context.today))
        except DateError:
            raise KeyError(reference) from None
    return context.form.get(name, "")


def fill_in(text: str, context: Context) -> str:
    """Replace every placeholder in a content text; an unknown one stays as written."""

    def value(match: re.Match) -> str:
        try:
            return resolve_in(f"{match[1]}.{match[2]}", context)
        except KeyError:
            return match[0]

    return PLACEHOLDER.sub(value, text)


def resolve(reference: str, persona: Persona, codes: Mapping[str, str]) -> str:
    """The value of `card.x` or `code.x` (no dates, no earlier answers)."""
    return resolve_in(reference, Context(persona, codes))


def fill(text: str, persona: Persona, codes: Mapping[str, str]) -> str:
    """Replace every `{card.x}` and `{code.x}` in a content text."""
    return fill_in(text, Context(persona, codes))


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
    (N_("Inkomen per jaar"), "income"),
    (N_("Kale huur per maand"), "rent"),
    (N_("Partner"), "partner_name"),
    (N_("Kinderen"), "children"),
    (N_("Verblijfsvergunning"), "permit_type"),
    (N_("Documentnummer"), "permit_number"),
    (N_("Zorgverzekeraar"), "health_insurer"),
    (N_("Polisnummer"), "policy_number"),
    (N_("Nieuw adres"), "new_address"),
    (N_("Verhuisdatum"), "moving_date"),
)


def card_lines(card: Persona, today: date = REFERENCE_DAY) -> list[tuple[str, str]]:
    """The practice card as (label, value) lines; a field the card leaves empty is left out."""
    lines = []
    for label, name in CARD_LABELS:
        if name == "new_address":
            value = ", ".join(filter(None, (card.new_street, card.new_postcode, card.new_city)))
        else:
            value = card_value(card, name, today)
        if name in ("income", "rent") and value:
            value = f"€ {value}"
        if value:
            lines.append((label, value))
    return lines


# --- Content that looks like real personal data -----------------------------------------

_MOBILE = re.compile(r"(?<![0-9+])(?:\+31|0031|0)[\s\-()]*6(?:[\s\-]*[0-9]){8}(?![0-9])")


def real_looking_mobile(text: str) -> str | None:
    """A Dutch mobile number in `text` that could belong to someone, or None.

    Numbers starting 06-0 are never given out; practice content uses those only.
    """
    for match in _MOBILE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        subscriber = digits[-8:]
        if not subscriber.startswith("0"):
            return match.group()
    return None


def iban_passes_check(iban: str) -> bool:
    """True for an IBAN whose check digits are right (mod 97), as a real one's are."""
    compact = re.sub(r"\s", "", iban).upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{4,30}", compact):
        return False
    moved = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1
