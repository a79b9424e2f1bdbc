"""What the visitor sees of a visit as a whole, as plain data (testable without a window):
coming back with an oefencode, the end of a visit with the code, the oefenbewijs.

The visit's progress (kiosk.progress.codes.Progress) holds exercise ids and a step id
only; the titles shown here come from the loaded exercises.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel.dates import format_date

from kiosk.certificate.model import Certificate
from kiosk.progress.codes import LookUp, Progress, shown
from kiosk.scenario.library import Library
from kiosk.scenario.solve import NoSolution, solve
from kiosk.ui.presenters import Words, joined, ui, ui_count, words

log = logging.getLogger(__name__)

CODE_LENGTH = 8


def ui_format(msgid: str, lang: str, **values: str) -> Words:
    """A UI string with `{name}` places filled in, in Dutch and in the help language."""
    text = ui(msgid, lang)
    return dataclasses.replace(
        text,
        nl=text.nl.format(**values),
        help=text.help.format(**values) if text.help else text.help,
    )


# --- typing the code on the welcome screen --------------------------------------------------


@dataclass(frozen=True)
class ResumeView:
    title: Words
    explain: Words
    go_on: Words
    back: Words


def resume_view(lang: str) -> ResumeView:
    return ResumeView(
        title=ui("Typ uw oefencode", lang),
        explain=ui("De code heeft 8 cijfers. U kreeg de code bij uw vorige bezoek.", lang),
        go_on=ui("Verder", lang),
        back=ui("Terug", lang),
    )


def typed_code(digits: str) -> str:
    """The digits typed so far, in the two groups of four the code is shown in, with a
    place for each digit still to come: '4821 09__'."""
    padded = (digits + "_" * CODE_LENGTH)[:CODE_LENGTH]
    return f"{padded[:4]} {padded[4:]}"


def look_up_message(result: LookUp, lang: str) -> Words:
    """What a visitor reads when a code does not bring their progress back: calm, and
    always a way on (a code that does not work never stops anyone from practising)."""
    if result.status == "malformed":
        return ui("Typ alle 8 cijfers van de code.", lang)
    if result.status == "unknown":
        return ui(
            "Deze code kennen we niet. Kijk goed naar de cijfers en probeer het opnieuw.", lang
        )
    if result.status == "expired":
        return ui("Deze code is te oud. U kunt gewoon opnieuw beginnen.", lang)
    if result.status == "wait":
        seconds = max(1, round(result.seconds_left))
        return ui_count(
            "Te vaak een verkeerde code. Wacht {n} seconde.",
            "Te vaak een verkeerde code. Wacht {n} seconden.",
            seconds,
            lang,
        )
    return ui("De oefencode werkt nu niet. Vraag het aan een medewerker.", lang)


# --- back in the catalogue with a code --------------------------------------------------------


@dataclass(frozen=True)
class WelcomeBack:
    title: Words
    done: Words
    go_on: Words | None
    """'Verder met: <exercise>' when an exercise was left unfinished and is still there."""
    go_on_id: str


def welcome_back(progress: Progress, library: Library, lang: str) -> WelcomeBack:
    known = {s.id for s in library.scenarios}
    finished = [sid for sid in progress.finished if sid in known]
    if finished:
        done = ui_count(
            "U heeft {n} oefening klaar.", "U heeft {n} oefeningen klaar.", len(finished), lang
        )
    else:
        done = ui("Ga verder waar u was.", lang)
    go_on, go_on_id = None, ""
    if progress.stopped_in in known:
        title = words(library.scenario(progress.stopped_in).title, lang)
        go_on = joined(ui("Verder met:", lang), title)
        go_on_id = progress.stopped_in
    return WelcomeBack(ui("Welkom terug!", lang), done, go_on, go_on_id)


# --- the end of a visit -------------------------------------------------------------------------


@dataclass(frozen=True)
class GoodbyeView:
    title: Words
    code: str
    """The code as it is shown: '4821 0937'; empty when there is none to give."""
    lines: tuple[Words, ...]
    certificate: Words | None
    """The way to the oefenbewijs, when something was practised."""
    bye: Words


def goodbye_view(code: str, practised: bool, weeks: int, lang: str, problem: bool) -> GoodbyeView:
    certificate = ui("Oefenbewijs", lang) if practised else None
    bye = ui("Tot ziens", lang)
    if not practised:
        lines = (ui("U heeft nog niets geoefend. Kom gerust terug.", lang),)
        return GoodbyeView(ui("Tot ziens!", lang), "", lines, None, bye)
    if problem or not code:
        lines = (
            ui("De oefencode kan nu niet worden bewaard. Vraag het aan een medewerker.", lang),
        )
        return GoodbyeView(ui("Goed gedaan!", lang), "", lines, certificate, bye)
    lines = (
        ui("Maak een foto van deze code. Of schrijf de code op.", lang),
        ui("Kom terug en typ de code. Dan gaat u verder waar u was.", lang),
        ui_count(
            "De code werkt {n} week, op deze kiosk.",
            "De code werkt {n} weken, op deze kiosk.",
            weeks,
            lang,
        ),
    )
    return GoodbyeView(ui("Uw oefencode", lang), shown(code), lines, certificate, bye)


def code_qr_text(code: str, kiosk_name: str) -> str:
    """What the QR code beside the oefencode holds: the code, for a phone's camera; nothing
    else of the visit."""
    return f"Oefencode {shown(code)} - {kiosk_name}"


# --- for the volunteer: where a returning visitor left off ----------------------------------------


def returning_lines(progress: Progress | None, library: Library) -> tuple[str, ...]:
    """Dutch lines for the volunteer's session tab (volunteers read Dutch)."""
    if progress is None:
        return ()
    titles = {s.id: s.title.nl for s in library.scenarios}
    lines = ["Deze bezoeker kwam terug met een oefencode."]
    finished = [titles[sid] for sid in progress.finished if sid in titles]
    lines.append("Al klaar: " + ", ".join(finished) + "." if finished else "Nog niets klaar.")
    if progress.stopped_in in titles:
        where = titles[progress.stopped_in]
        place = step_place(library, progress.stopped_in, progress.stopped_at)
        lines.append(f"Gestopt bij: {where}" + (f", {place}." if place else "."))
    return tuple(lines)


def step_place(library: Library, scenario_id: str, step_id: str) -> str:
    """'stap 4 van 9': where a step lies on the exercise's right path."""
    scenario = library.scenario(scenario_id)
    try:
        path = [move.step_id for move in solve(scenario, library.persona_for(scenario))]
    except NoSolution:
        return ""
    if step_id not in path:
        return ""
    return f"stap {path.index(step_id) + 1} van {len(path)}"


# --- the oefenbewijs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateRow:
    pictogram: str
    title: str
    title_help: str
    status: Words


@dataclass(frozen=True)
class CertificateView:
    title: Words
    heading: str
    """The library's name and the day, as on the paper."""
    practised: Words
    rows: tuple[CertificateRow, ...]
    referral: str
    name_label: Words
    name_note: Words
    print_label: Words
    save_label: Words
    scan_label: Words
    back: Words


def certificate_view(cert: Certificate, lang: str) -> CertificateView:
    done, not_yet = ui("klaar", lang), ui("geoefend, nog niet klaar", lang)
    rows = tuple(
        CertificateRow(e.pictogram, e.title, e.title_help, done if e.finished else not_yet)
        for e in cert.exercises
    )
    return CertificateView(
        title=ui("Oefenbewijs", lang),
        heading=f"{cert.library} \u00b7 {dutch_day(cert.day)}",
        practised=ui("Dit heeft u geoefend:", lang),
        rows=rows,
        referral=cert.referral,
        name_label=ui("Uw naam op het papier (dat hoeft niet)", lang),
        name_note=ui("De kiosk bewaart uw naam niet.", lang),
        print_label=ui("Afdrukken", lang),
        save_label=ui("Bewaar voor de balie", lang),
        scan_label=ui("Of scan deze QR-code met uw telefoon.", lang),
        back=ui("Terug", lang),
    )


def dutch_day(day: date) -> str:
    return format_date(day, format="long", locale="nl")


def saved_words(cert: Certificate, data_dir: Path, now: float, lang: str) -> Words:
    """Keep a copy (never with a name) for staff to print; what the visitor reads then."""
    from kiosk.certificate.pdf import PdfUnavailable, certificate_pdf
    from kiosk.certificate.store import NotSaved, save_for_staff

    try:
        pdf = certificate_pdf(cert)
    except PdfUnavailable as problem:
        log.error("oefenbewijs not made: %s", problem)
        return ui("Het oefenbewijs kan nu niet worden gemaakt. Vraag het aan een medewerker.", lang)
    try:
        number = save_for_staff(pdf, data_dir, now)
    except (NotSaved, ValueError) as problem:
        log.error("oefenbewijs not kept: %s", problem)
        return ui("Het oefenbewijs kan nu niet worden bewaard. Vraag het aan een medewerker.", lang)
    return ui_format("Vraag aan de balie naar oefenbewijs nummer {number}.", lang, number=number)


def printed_words(cert: Certificate, printer: str, lang: str) -> Words:
    """Print the oefenbewijs (off the UI thread: CUPS may take seconds); what the visitor
    reads then. A problem is told in Dutch, for the volunteer or staff who will help."""
    from kiosk.certificate.pdf import PdfUnavailable, certificate_pdf
    from kiosk.certificate.printing import print_pdf

    try:
        result = print_pdf(certificate_pdf(cert), printer)
    except PdfUnavailable as problem:
        log.error("oefenbewijs not made: %s", problem)
        return ui("Het oefenbewijs kan nu niet worden gemaakt. Vraag het aan een medewerker.", lang)
    if result.ok:
        return ui("Het oefenbewijs komt uit de printer.", lang)
    return Words(result.message)
