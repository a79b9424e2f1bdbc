"""The oefenbewijs: its PDF, QR code, printing through CUPS and the copies kept for staff."""

from __future__ import annotations

import errno
import io
import logging
import os
import re
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

import arabic_reshaper
import pytest
import segno
from PIL import Image
from pypdf import PdfReader

from conftest import SHIPPED
from kiosk.certificate import store, texts
from kiosk.certificate.model import Certificate, PractisedExercise, certificate_for
from kiosk.certificate.pdf import PdfUnavailable, certificate_pdf, receipt_pdf
from kiosk.certificate.printing import available_printer, print_pdf
from kiosk.certificate.qr import QUIET_ZONE, certificate_text, qr_code, qr_png
from kiosk.cli import main
from kiosk.i18n.catalogs import HELP_LANGUAGES
from kiosk.i18n.translate import gettext
from kiosk.scenario.library import load_library

DAY = date(2026, 12, 1)
REFERRAL = (
    "Cursus Digisterker: dinsdag 8 december, 10:00 tot 12:00. Informatiepunt: ma-vr 13-17 uur."
)
LIBRARY_NAME = "Bibliotheek Oost"
FINISHED_ID, STARTED_ID = "digid-aanvragen", "bank-helpdesk-fraude"


@pytest.fixture(scope="module")
def library():
    return load_library(SHIPPED)


def _certificate(library, language: str, name: str = "") -> Certificate:
    cert = certificate_for(
        library, [FINISHED_ID], [STARTED_ID], language, DAY, LIBRARY_NAME, REFERRAL
    )
    return Certificate(cert.library, cert.day, cert.language, cert.exercises, cert.referral, name)


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def _text_by_font(pdf: bytes) -> dict[str, str]:
    """The text drawn with each embedded font, by the font's name without its subset tag."""
    drawn: dict[str, str] = {}

    def visit(text, _cm, _tm, font, _size):
        if font and text.strip():
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            drawn[name] = drawn.get(name, "") + text

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return drawn


# --- what is on it ----------------------------------------------------------------------


def test_certificate_for_takes_titles_and_pictograms_from_the_scenarios(library):
    cert = certificate_for(
        library,
        [FINISHED_ID],
        [STARTED_ID, FINISHED_ID, "bestaat-niet"],
        "uk",
        DAY,
        LIBRARY_NAME,
        f"  {REFERRAL}\n",
    )
    finished, started = library.scenario(FINISHED_ID), library.scenario(STARTED_ID)
    assert cert.exercises == (
        PractisedExercise(
            FINISHED_ID, finished.title.nl, finished.title.uk, f"theme-{finished.theme}", True
        ),
        PractisedExercise(
            STARTED_ID, started.title.nl, started.title.uk, f"theme-{started.theme}", False
        ),
    )
    assert (cert.library, cert.day, cert.referral, cert.name) == (LIBRARY_NAME, DAY, REFERRAL, "")
    dutch = certificate_for(library, [FINISHED_ID], [], "nl", DAY, LIBRARY_NAME, "")
    assert dutch.exercises[0].title_help == ""


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_pdf_says_what_was_practised_in_dutch_and_the_visitors_language(library, language):
    pdf = certificate_pdf(_certificate(library, language))
    text = _text(pdf)
    finished, started = library.scenario(FINISHED_ID), library.scenario(STARTED_ID)
    for expected in (
        "Oefenbewijs",
        gettext("Oefenbewijs", language),
        LIBRARY_NAME,
        "1 december 2026",
        "Dit heeft u geoefend op de Oefenkiosk:",
        finished.title.nl,
        finished.title.get(language),
        started.title.nl,
        started.title.get(language),
        "geoefend, nog niet klaar",
        gettext("geoefend, nog niet klaar", language),
        REFERRAL,
        "geen BSN",
    ):
        assert " ".join(expected.split()) in text, expected
    assert gettext("Oefenbewijs", language) != "Oefenbewijs"
    assert "Naam" not in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_a_name_is_on_the_pdf_only_when_given(library):
    text = _text(certificate_pdf(_certificate(library, "en", name="Amina Yusuf")))
    assert "Naam: Amina Yusuf" in text
    assert gettext("Naam:", "en") in text


def test_twelve_exercises_fit_on_one_a4_page(library):
    ids = [s.id for s in library.scenarios[:12]]
    cert = certificate_for(library, ids[:6], ids[6:], "ar", DAY, LIBRARY_NAME, REFERRAL)
    assert len(cert.exercises) == 12
    assert len(PdfReader(io.BytesIO(certificate_pdf(cert))).pages) == 1


def _missing_glyphs(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "missing the following glyphs" in r.msg]


@pytest.mark.parametrize("language", ["nl", *HELP_LANGUAGES])
def test_every_language_is_drawn_without_missing_glyphs(library, language, caplog):
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        certificate_pdf(_certificate(library, language, name="Amina"))
        receipt_pdf(_certificate(library, language))
    assert _missing_glyphs(caplog) == []


def test_a_missing_glyph_is_noticed(library, caplog):
    """The check above can fail: a character no kiosk font has is reported."""
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        certificate_pdf(_certificate(library, "en", name="Amina \U0001f600"))
    assert len(_missing_glyphs(caplog)) == 1


@pytest.mark.parametrize("language", ["ar", "prs", "ti"])
def test_arabic_dari_and_tigrinya_use_the_kiosks_fonts_and_render(library, language, tmp_path):
    pdf = certificate_pdf(_certificate(library, language))
    drawn = _text_by_font(pdf)
    script_font = "OefenkioskEthiopic" if language == "ti" else "OefenkioskArabic"
    help_title = gettext("Oefenbewijs", language)
    assert _shaped(help_title) in drawn.get(script_font, "")
    assert "Oefenbewijs" in drawn["NotoSansBold"]
    assert chr(0xF0132) in drawn["MaterialDesignIcons"]  # the tick box of a finished one
    (tmp_path / "bewijs.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(tmp_path / "bewijs.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    page = Image.open(tmp_path / "page-1.png").convert("L")
    assert page.getextrema()[0] < 80  # ink on the page, not a blank or failed render


def _shaped(text: str) -> str:
    """Joined letter forms, as drawn: without the zero-width non-joiner (see pdf._drawn)."""
    return arabic_reshaper.reshape(text).replace("\u200c", "")


@pytest.mark.parametrize("language", ["ar", "prs"])
def test_arabic_and_dari_letters_are_joined(library, language):
    text = _text(certificate_pdf(_certificate(library, language)))
    title = gettext("Oefenbewijs", language)
    joined = _shaped(title)
    assert joined != title
    # pypdf puts right-to-left text back in reading order, so it reads the joined forms
    assert joined in text and title not in text
    # the zero-width non-joiner did its work in the shaping; drawn, it would be a bar
    assert "\u200c" not in text


def test_the_receipt_is_80_mm_wide_and_holds_the_same_text(library):
    pdf = receipt_pdf(_certificate(library, "en"))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1
    width, length = (float(size) / 72 * 25.4 for size in pages[0].mediabox.upper_right)
    assert round(width) == 80
    assert 60 < length < 200  # cut to its content: a roll is not an A4 page
    text = _text(pdf)
    assert library.scenario(FINISHED_ID).title.en in text and "geen BSN" in text


# --- QR code ----------------------------------------------------------------------------


def test_the_qr_text_names_library_date_and_exercises_but_never_the_name(library):
    cert = _certificate(library, "ar", name="Amina Yusuf")
    text = certificate_text(cert)
    finished, started = library.scenario(FINISHED_ID), library.scenario(STARTED_ID)
    assert text.splitlines() == [
        "Oefenbewijs Oefenkiosk",
        LIBRARY_NAME,
        "1 december 2026",
        f"✓ {finished.title.nl}",
        f"– {started.title.nl} (nog niet klaar)",
    ]
    assert "Amina" not in text


def test_the_qr_png_decodes_back_to_the_text(library, tmp_path):
    text = certificate_text(_certificate(library, "en"))
    png = qr_png(text, scale=4)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    code = qr_code(text)
    assert code.error == "M"
    assert image.size == (code.symbol_size(scale=4, border=QUIET_ZONE))
    (tmp_path / "qr.png").write_bytes(png)
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sbinary", str(tmp_path / "qr.png")],
        capture_output=True,
        check=True,
        timeout=60,
    )
    assert decoded.stdout.decode("utf-8").rstrip("\n") == text


def test_the_qr_png_has_its_quiet_zone(library):
    png = qr_png("Oefenbewijs", scale=2)
    image = Image.open(io.BytesIO(png)).convert("L")
    width, _ = image.size
    border = QUIET_ZONE * 2
    assert all(image.getpixel((x, y)) == 255 for x in range(width) for y in range(border))
    assert segno.make_qr("Oefenbewijs", error="m").symbol_size(scale=2) == image.size


# --- printing ---------------------------------------------------------------------------


def _fake_command(folder: Path, name: str, script: str) -> None:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


@pytest.fixture
def fake_cups(tmp_path, monkeypatch):
    """lp and lpstat that record what they get, in a folder first on PATH."""
    bin_dir = tmp_path / "bin"
    record = tmp_path / "record"
    record.mkdir()
    _fake_command(
        bin_dir,
        "lp",
        f'echo "$@" > {record}/args\ncat > {record}/stdin\nexit "${{LP_EXIT:-0}}"',
    )
    _fake_command(
        bin_dir,
        "lpstat",
        'case "$1" in -e) printf "kantoor\\noefen\\n";; '
        '-d) echo "${LPSTAT_DEFAULT:-no system default destination}";; esac',
    )
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    return record


def test_print_pdf_sends_the_pdf_on_standard_input_not_as_a_file(library, fake_cups):
    pdf = certificate_pdf(_certificate(library, "en", name="Amina Yusuf"))
    result = print_pdf(pdf, "oefen")
    assert result.ok, result.message
    assert (fake_cups / "args").read_text().split() == ["-d", "oefen", "-t", "Oefenbewijs"]
    assert (fake_cups / "stdin").read_bytes() == pdf


def test_a_failing_printer_gets_a_dutch_message(fake_cups, monkeypatch):
    monkeypatch.setenv("LP_EXIT", "1")
    result = print_pdf(b"%PDF-1.4", "oefen")
    assert not result.ok and "Vraag een medewerker" in result.message


def test_no_cups_means_no_printer_and_no_exception(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # neither lpstat nor lp
    assert available_printer("kantoor") is None
    assert available_printer("") is None
    result = print_pdf(b"%PDF-1.4", "kantoor")
    assert not result.ok and "niet afdrukken" in result.message


def test_the_configured_printer_else_the_default(fake_cups, monkeypatch):
    assert available_printer("kantoor") == "kantoor"
    assert available_printer("weg") is None
    monkeypatch.setenv("LPSTAT_DEFAULT", "system default destination: oefen")
    assert available_printer("weg") == "oefen"
    assert available_printer("") == "oefen"


# --- kept for staff ---------------------------------------------------------------------


NOW = 1_796_100_000.0


def test_saved_under_short_numbers_and_kept_seven_days(library, tmp_path):
    pdf = certificate_pdf(_certificate(library, "en"))
    assert store.save_for_staff(pdf, tmp_path, NOW) == "1"
    assert store.save_for_staff(pdf, tmp_path, NOW + 60) == "2"
    saved = store.saved(tmp_path)
    assert [(s.number, s.saved_at) for s in saved] == [("1", NOW), ("2", NOW + 60)]
    assert saved[0].path.read_bytes() == pdf
    assert sorted(p.name for p in (tmp_path / "oefenbewijzen").iterdir()) == [
        f"1-{int(NOW)}.pdf",
        f"2-{int(NOW + 60)}.pdf",
    ]  # no temporary file left
    assert store.purge(tmp_path, NOW + 7 * 86400 + 30) == 1
    assert [s.number for s in store.saved(tmp_path)] == ["2"]
    assert store.save_for_staff(pdf, tmp_path, NOW + 8 * 86400) == "1"  # the old one is gone


def test_a_pdf_with_a_name_is_never_saved(library, tmp_path):
    pdf = certificate_pdf(_certificate(library, "en", name="Amina Yusuf"))
    with pytest.raises(ValueError, match="naam"):
        store.save_for_staff(pdf, tmp_path, NOW)
    with pytest.raises(ValueError):
        store.save_for_staff(b"%PDF-1.4 not made by the kiosk", tmp_path, NOW)
    assert list(tmp_path.rglob("*")) == []


def test_a_full_disk_gives_a_dutch_message_and_leaves_nothing(library, tmp_path, monkeypatch):
    pdf = certificate_pdf(_certificate(library, "en"))

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(store.NotSaved, match="schijf van de kiosk is vol"):
        store.save_for_staff(pdf, tmp_path, NOW)
    assert list((tmp_path / "oefenbewijzen").iterdir()) == []


def test_an_unwritable_data_folder_gives_a_dutch_message(library, tmp_path):
    pdf = certificate_pdf(_certificate(library, "en"))
    (tmp_path / "oefenbewijzen").write_text("geen map")
    with pytest.raises(store.NotSaved, match="niet bewaard"):
        store.save_for_staff(pdf, tmp_path, NOW)


def test_the_cli_lists_and_prints_saved_certificates(library, tmp_path, fake_cups, capsys):
    config = tmp_path / "config.toml"
    config.write_text(f'data_dir = "{tmp_path / "data"}"\nprinter = "kantoor"\n')
    pdf = certificate_pdf(_certificate(library, "en"))
    number = store.save_for_staff(pdf, tmp_path / "data", time.time())
    assert main(["oefenbewijzen", "--config", str(config)]) == 0
    assert re.search(rf"^\s+{number}\s+\d\d-\d\d-\d{{4}} \d\d:\d\d$", capsys.readouterr().out, re.M)
    assert main(["oefenbewijzen", "print", number, "--config", str(config)]) == 0
    assert "afgedrukt" in capsys.readouterr().out
    assert (fake_cups / "stdin").read_bytes() == pdf
    assert (fake_cups / "args").read_text().split()[:2] == ["-d", "kantoor"]
    assert main(["oefenbewijzen", "print", "404", "--config", str(config)]) == 1
    assert "geen oefenbewijs met nummer 404" in capsys.readouterr().out


def test_the_texts_are_ui_strings():
    assert texts.translated(texts.FINISHED, "en") == gettext("klaar", "en") != "klaar"
    assert texts.translated(texts.FINISHED, "nl") == ""


# --- missing assets -----------------------------------------------------------------------


def _assets_without(tmp_path: Path, font: str) -> Path:
    from kiosk.paths import assets_dir

    copy = tmp_path / "assets"
    shutil.copytree(assets_dir() / "fonts", copy / "fonts", ignore=shutil.ignore_patterns(font))
    return copy


def test_without_the_icon_font_the_pdf_has_rings_for_pictograms(library, tmp_path, monkeypatch):
    import kiosk.certificate.pdf as pdf_module

    assets = _assets_without(tmp_path, "materialdesignicons-webfont.ttf")
    monkeypatch.setattr(pdf_module, "assets_dir", lambda: assets)
    pdf = certificate_pdf(_certificate(library, "en"))
    drawn = _text_by_font(pdf)
    assert "MaterialDesignIcons" not in drawn
    assert library.scenario(FINISHED_ID).title.en in _text(pdf)


def test_without_a_text_font_no_pdf_is_made_and_the_reason_is_given(library, tmp_path, monkeypatch):
    import kiosk.certificate.pdf as pdf_module

    assets = _assets_without(tmp_path, "KioskEthiopic-Bold.ttf")
    monkeypatch.setattr(pdf_module, "assets_dir", lambda: assets)
    with pytest.raises(PdfUnavailable, match=r"KioskEthiopic-Bold\.ttf"):
        certificate_pdf(_certificate(library, "ti"))


def test_reading_the_fonts_leaves_the_log_quiet(library, caplog):
    with caplog.at_level(logging.DEBUG):
        certificate_pdf(_certificate(library, "ar"))
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
