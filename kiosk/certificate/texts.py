"""The words on an oefenbewijs: Dutch first, each a UI string translated in the catalogs."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from kiosk.i18n.catalogs import BABEL_LOCALE
from kiosk.i18n.translate import gettext
from kiosk.scenario.catalog import N_

TITLE = N_("Oefenbewijs")
INTRO = N_("Dit heeft u geoefend op de Oefenkiosk:")
FINISHED = N_("klaar")
NOT_FINISHED = N_("geoefend, nog niet klaar")
NAME = N_("Naam:")
NOTHING_PRACTISED = N_("U heeft nog geen oefening gedaan.")
FOOTER = N_(
    "Oefenkiosk: oefenen met de digitale overheid. Het was oefenen: er is niets echt "
    "aangevraagd of verstuurd. Op dit bewijs staat geen BSN en geen wachtwoord."
)


def dutch_date(day: date) -> str:
    """Like "1 december 2026"."""
    return format_date(day, format="long", locale="nl")


def local_date(day: date, language: str) -> str:
    """The date as the visitor's language writes it; "" for Dutch or a language Babel lacks."""
    if language == "nl":
        return ""
    try:
        return format_date(day, format="long", locale=BABEL_LOCALE.get(language, language))
    except Exception:  # Babel raises its own UnknownLocaleError and ValueError
        return ""


def translated(msgid: str, language: str) -> str:
    """The help language's version of a UI string; "" when Dutch or not translated."""
    if language == "nl":
        return ""
    text = gettext(msgid, language)
    return "" if text == msgid else text
