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
