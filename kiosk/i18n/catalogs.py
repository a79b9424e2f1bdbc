"""UI strings as gettext catalogs: extracted from the code, one .po file per help language.

The Dutch text is the message id: every UI string is written in Dutch in the
code as `ui("...", lang)`, and a string with a count in it as
`ui_count("{n} oefening", "{n} oefeningen", n, lang)`, which each language
translates in as many forms as its grammar has (Arabic six, Ukrainian three);
a string with a name or number to fill in as `ui_format("... {number}.", lang, number=...)`.
`oefenkiosk i18n-update` extracts them into assets/locale/oefenkiosk.pot and
merges new ones into each language's .po, which a translator fills in. The
kiosk reads the .po files with Babel at start-up (no compile step to forget).
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from kiosk.paths import PROJECT_ROOT, assets_dir

DOMAIN = "oefenkiosk"
HELP_LANGUAGES = ("en", "ar", "ti", "prs", "uk", "tr", "so")
# Babel's name for a language, where it differs from ours (Dari is Afghan Persian).
BABEL_LOCALE = {"prs": "fa_AF"}
REVIEW_NOTE = "review: needed (written by the Oefenkiosk team; a native speaker checks it)"


def locale_dir() -> Path:
    return assets_dir() / "locale"


def po_path(language: str) -> Path:
    return locale_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract_template() -> Catalog:
    """Every `ui("...")` string in the kiosk's code, as a template catalog."""
    template = Catalog(project="Oefenkiosk", msgid_bugs_address="", charset="utf-8")
    source = PROJECT_ROOT / "kiosk"
    for filename, lineno, message, comments, context in extract_from_dir(
        str(source),
        method_map=[("**.py", "python")],
        keywords={"ui": None, "ui_format": None, "N_": None, "ui_count": (1, 2)},
        comment_tags=("Translators:",),
    ):
        template.add(
            message, None, [(f"kiosk/{filename}", lineno)], auto_comments=comments, context=context
        )
    return template


def plural_forms(language: str) -> str:
    """The Plural-Forms header for a language: CLDR's rule, as Babel gives it for gettext
    (Arabic: zero, one, two, few, many, other; Ukrainian: one, few, many; Dari, Tigrinya:
    one for 0 and 1; English, Turkish, Somali: one for 1)."""
    rule = get_plural(BABEL_LOCALE.get(language, language))
    return f"nplurals={rule.num_plurals}; plural={rule.plural_expr};"


def update_catalogs() -> list[Path]:
    """Write the template and merge it into each language's catalog; returns written files."""
    template = extract_template()
    written = []
    pot = locale_dir() / f"{DOMAIN}.pot"
    pot.parent.mkdir(parents=True, exist_ok=True)
    with pot.open("wb") as handle:
        write_po(
            handle, template, omit_header=False, sort_output=True, width=100, include_lineno=False
        )
    written.append(pot)
    for language in HELP_LANGUAGES:
        path = po_path(language)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=BABEL_LOCALE.get(language, language))
        else:
            catalog = Catalog(locale=BABEL_LOCALE.get(language, language), project="Oefenkiosk")
        # Set before merging: a new counted string gets as many empty forms as the rule has.
        catalog.mime_headers = [
            (name, value) for name, value in catalog.mime_headers if name != "Plural-Forms"
        ] + [("Plural-Forms", plural_forms(language))]
        catalog.update(template, no_fuzzy_matching=True)
        catalog.header_comment = f"# Oefenkiosk UI strings: {language}\n# {REVIEW_NOTE}"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(
                handle,
                catalog,
                sort_output=True,
                width=100,
                ignore_obsolete=True,
                include_lineno=False,
            )
        written.append(path)
    return written


@functools.cache
def _read_catalog(language: str) -> Catalog | None:
    path = po_path(language)
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=BABEL_LOCALE.get(language, language))
    except (OSError, ValueError):
        return None


@functools.cache
def translations(language: str) -> dict[str, str]:
    """msgid → translation for one language (empty when the catalog is missing)."""
    catalog = _read_catalog(language)
    if catalog is None:
        return {}
    return {
        m.id: m.string
        for m in catalog
        if isinstance(m.id, str) and m.id and m.string and not m.fuzzy
    }


@dataclass(frozen=True)
class PluralCatalog:
    """A language's counted strings: every form, and the rule that picks one for a count."""

    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The Dutch singular msgid → the translated forms, in the order of the Plural-Forms rule."""
    form_index: Callable[[int], int] = field(default=lambda n: int(n != 1))

    def get(self, singular: str, n: int) -> str | None:
        forms = self.forms.get(singular)
        if forms is None:
            return None
        index = self.form_index(n)
        return forms[index] if 0 <= index < len(forms) else None


@functools.cache
def plural_translations(language: str) -> PluralCatalog:
    """The counted strings of one language; a string missing any of its forms is left out
    (it is shown in Dutch, never as an empty line)."""
    catalog = _read_catalog(language)
    if catalog is None:
        return PluralCatalog()
    forms = {
        m.id[0]: tuple(m.string)
        for m in catalog
        if m.pluralizable and not m.fuzzy and len(m.string) == catalog.num_plurals and all(m.string)
    }
    # The stdlib's own compiler for a Plural-Forms expression, as gettext.GNUTranslations uses.
    return PluralCatalog(forms, gettext.c2py(catalog.plural_expr))
