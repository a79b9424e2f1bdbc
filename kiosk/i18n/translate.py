"""UI strings in the help languages (the Dutch text is the message id)."""

from __future__ import annotations


def gettext(msgid: str, language: str) -> str:
    """The translation of a UI string, or the Dutch text itself when there is none."""
    if language == "nl":
        return msgid
    from kiosk.i18n.catalogs import translations  # Babel loads on first help-language use

    return translations(language).get(msgid, msgid)
