"""UI strings as gettext catalogs: extracted from the code, one .po file per help language.

The Dutch text is the message id: every UI string is written in Dutch in the
code as `ui("...", lang)`. `oefenkiosk i18n-update` extracts them into
assets/locale/oefenkiosk.pot and merges new ones into each language's .po,
which a translator fills in. The kiosk reads the .po files with Babel at
start-up (no compile step to forget).
"""

from __future__ import annotations

import functools
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
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
        keywords={"ui": None, "N_": None},
        comment_tags=("Translators:",),
    ):
        template.add(
            message, None, [(f"kiosk/{filename}", lineno)], auto_comments=comments, context=context
        )
    return template


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
def translations(language: str) -> dict[str, str]:
    """msgid → translation for one language (empty when the catalog is missing)."""
    path = po_path(language)
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=BABEL_LOCALE.get(language, language))
    except (OSError, ValueError):
        return {}
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
