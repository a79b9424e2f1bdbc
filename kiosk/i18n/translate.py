"""UI strings in the help languages (the Dutch text is the message id)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
_reported: set[tuple[str, str]] = set()


def gettext(msgid: str, language: str) -> str:
    """The translation of a UI string, or the Dutch text itself when there is none."""
    if language == "nl":
        return msgid
    from kiosk.i18n.catalogs import translations  # Babel loads on first help-language use

    catalog = translations(language)
    if msgid not in catalog and catalog and (language, msgid) not in _reported:
        _reported.add((language, msgid))  # once: shown in Dutch only, and said in the log
        log.warning("no %s translation for the UI string %r", language, msgid)
    return catalog.get(msgid, msgid)


def ngettext(singular: str, plural: str, n: int, language: str) -> str:
    """The form of a counted UI string that fits `n` in the language's grammar (Arabic has
    six); the Dutch (one form for 1, the other for the rest) when there is no translation."""
    dutch = singular if n == 1 else plural
    if language == "nl":
        return dutch
    from kiosk.i18n.catalogs import plural_translations

    catalog = plural_translations(language)
    translated = catalog.get(singular, n)
    if translated is None and (language, singular) not in _reported:
        _reported.add((language, singular))
        log.warning("no %s translation for the counted UI string %r", language, singular)
    return translated or dutch
