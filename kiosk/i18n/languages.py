"""The visitor's languages: Dutch plus the help languages, each named in its own script."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    dutch_name: str
    script: str  # 'latin', 'arabic' or 'ethiopic': picks the font
    rtl: bool = False


LANGUAGES: tuple[Language, ...] = (
    Language("nl", "Nederlands", "Nederlands", "latin"),
    Language("en", "English", "Engels", "latin"),
    Language("ar", "العربية", "Arabisch", "arabic", rtl=True),
    Language("ti", "ትግርኛ", "Tigrinya", "ethiopic"),
    Language("prs", "دری", "Dari", "arabic", rtl=True),
    Language("uk", "Українська", "Oekraïens", "latin"),
    Language("tr", "Türkçe", "Turks", "latin"),
    Language("so", "Soomaali", "Somalisch", "latin"),
)
BY_CODE: dict[str, Language] = {lang.code: lang for lang in LANGUAGES}


def language(code: str) -> Language:
    """The language with this code; Dutch for an unknown code."""
    return BY_CODE.get(code, BY_CODE["nl"])
