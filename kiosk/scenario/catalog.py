"""The catalogue: themes, organisations, and the scenarios that load."""

from __future__ import annotations

from dataclasses import dataclass

N_ = str
"""Marks a UI string for translation where it is defined (gettext_noop): `N_("Wonen")`."""


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    pictogram: str


# The 7 themes of 'maatschappelijke begeleiding', in the order libraries use.
THEMES: tuple[Theme, ...] = (
    Theme("wonen", N_("Wonen"), "theme-wonen"),
    Theme("financien", N_("Financiën & administratie"), "theme-financien"),
    Theme("gezondheid", N_("Gezondheid"), "theme-gezondheid"),
    Theme("inburgering", N_("Inburgering"), "theme-inburgering"),
    Theme("gezin", N_("Gezin & familie"), "theme-gezin"),
    Theme("sociaal", N_("Sociaal netwerk"), "theme-sociaal"),
    Theme("werk", N_("Werk & participatie"), "theme-werk"),
)
THEME_IDS = frozenset(t.id for t in THEMES)

# The organisations a scenario can be about, with the name the catalogue shows.
ORGANISATIONS: dict[str, str] = {
    "digid": "DigiD",
    "mijnoverheid": "MijnOverheid",
    "belastingdienst": "Belastingdienst",
    "toeslagen": "Dienst Toeslagen",
    "uwv": "UWV",
    "gemeente": N_("Gemeente"),
    "duo": "DUO",
    "svb": "SVB",
    "zorgverzekeraar": N_("Zorgverzekeraar"),
    "veilig-online": N_("Veilig online"),
}

# Organisation names that are words, not names: these are translated (the rest,
# like DigiD or UWV, are names and stay as they are in every language).
TRANSLATED_ORGANISATIONS = frozenset({"gemeente", "zorgverzekeraar", "veilig-online"})
