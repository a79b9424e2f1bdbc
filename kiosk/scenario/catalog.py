"""The catalogue: themes, organisations, and the scenarios that load."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    pictogram: str


# The 7 themes of 'maatschappelijke begeleiding', in the order libraries use.
THEMES: tuple[Theme, ...] = (
    Theme("wonen", "Wonen", "theme-wonen"),
    Theme("financien", "Financiën & administratie", "theme-financien"),
    Theme("gezondheid", "Gezondheid", "theme-gezondheid"),
    Theme("inburgering", "Inburgering", "theme-inburgering"),
    Theme("gezin", "Gezin & familie", "theme-gezin"),
    Theme("sociaal", "Sociaal netwerk", "theme-sociaal"),
    Theme("werk", "Werk & participatie", "theme-werk"),
)
THEME_IDS = frozenset(t.id for t in THEMES)

# The organisations a scenario can be about, with the name the catalogue shows.
ORGANISATIONS: dict[str, str] = {
    "digid": "DigiD",
    "mijnoverheid": "MijnOverheid",
    "belastingdienst": "Belastingdienst",
    "toeslagen": "Dienst Toeslagen",
    "uwv": "UWV",
    "gemeente": "Gemeente",
    "duo": "DUO",
    "svb": "SVB",
    "zorgverzekeraar": "Zorgverzekeraar",
    "veilig-online": "Veilig online",
}
