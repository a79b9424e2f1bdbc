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
    "bank": N_("Bank"),
    "huisarts": N_("Huisarts"),
    "school": N_("School"),
    "bibliotheek": N_("Bibliotheek"),
    "justis": "Justis",
    "veilig-online": N_("Veilig online"),
}

# Organisation names that are words, not names: these are translated (the rest,
# like DigiD or UWV, are names and stay as they are in every language).
TRANSLATED_ORGANISATIONS = frozenset(
    {"gemeente", "zorgverzekeraar", "bank", "huisarts", "school", "bibliotheek", "veilig-online"}
)


@dataclass(frozen=True)
class Look:
    """How a practice page of an organisation looks: a header colour and a name, no logo.

    The colours are muted and none is the house colour of the real organisation, so a
    practice page is never mistaken for the real site.
    """

    header: str
    header_text: str
    name: str


LOOKS: dict[str, Look] = {
    "digid": Look("#4a4f57", "#ffffff", "DigiD"),
    "mijnoverheid": Look("#2f5d62", "#ffffff", "MijnOverheid"),
    "belastingdienst": Look("#3d4e7a", "#ffffff", "Belastingdienst"),
    "toeslagen": Look("#5b4a7a", "#ffffff", "Dienst Toeslagen"),
    "uwv": Look("#2e6b4f", "#ffffff", "UWV"),
    "gemeente": Look("#6b4f2e", "#ffffff", "Gemeente Oefendorp"),
    "duo": Look("#5c5c2e", "#ffffff", "DUO"),
    "svb": Look("#6b2e4f", "#ffffff", "SVB"),
    "zorgverzekeraar": Look("#2e5f6b", "#ffffff", "Zorgverzekeraar Oefenzorg"),
    "bank": Look("#3b5b3b", "#ffffff", "Oefenbank"),
    "huisarts": Look("#2e6b6b", "#ffffff", "Huisartsenpraktijk Oefendorp"),
    "school": Look("#6b5a2e", "#ffffff", "Basisschool De Oefenboom"),
    "bibliotheek": Look("#7a3d3d", "#ffffff", "Bibliotheek Oefendorp"),
    "justis": Look("#3d3d6b", "#ffffff", "Justis"),
    "veilig-online": Look("#444444", "#ffffff", "Veilig online"),
}
