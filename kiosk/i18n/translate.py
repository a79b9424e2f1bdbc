"""UI strings in the help languages.

The Dutch text is the message id. Until the gettext catalogs exist every
string stays Dutch, which `presenters.ui` shows as Dutch only.
"""

from __future__ import annotations


def gettext(msgid: str, language: str) -> str:
    """The translation of a UI string, or the Dutch text itself."""
    return msgid
