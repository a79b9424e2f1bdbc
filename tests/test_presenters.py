"""View-models for every screen, computed without a window."""

from __future__ import annotations

import pytest

from conftest import SHIPPED
from kiosk.scenario.engine import ScenarioRun, Tap, Type
from kiosk.scenario.library import load_library
from kiosk.scenario.solve import solve
from kiosk.ui import presenters as p


@pytest.fixture(scope="module")
def library():
    return load_library(SHIPPED)


def _run(library, scenario_id):
    scenario = library.scenario(scenario_id)
    return ScenarioRun(scenario, library.persona_for(scenario))


def test_welcome_offers_every_language_in_its_own_script():
    view = p.welcome_view("nl")
    assert view.title.nl == "Oefenen met de digitale overheid"
    assert [c.code for c in view.languages] == ["nl", "en", "ar", "ti", "prs", "uk", "tr", "so"]
    arabic = next(c for c in view.languages if c.code == "ar")
    assert arabic.native_name == "العربية" and arabic.rtl and arabic.script == "arabic"
    assert next(c for c in view.languages if c.code == "ti").script == "ethiopic"
    assert [c.code for c in view.languages if c.selected] == ["nl"]


def test_theme_tiles_count_scenarios_and_say_soon(library):
    tiles = {t.id: t for t in p.theme_tiles(library, "nl")}
    assert len(tiles) == 7
    inburgering = sum(1 for s in library.scenarios if s.theme == "inburgering")
    assert inburgering >= 2
    assert tiles["inburgering"].count == inburgering
    assert tiles["inburgering"].label.nl == f"{inburgering} oefeningen"
    for theme_id, tile in tiles.items():
        count = sum(1 for s in library.scenarios if s.theme == theme_id)
        assert tile.count == count and tile.available == (count > 0)


def test_a_theme_without_exercises_says_soon(library):
    from dataclasses import replace

    without_wonen = replace(
        library, scenarios=tuple(s for s in library.scenarios if s.theme != "wonen")
    )
    tiles = {t.id: t for t in p.theme_tiles(without_wonen, "nl")}
    assert tiles["wonen"].count == 0 and not tiles["wonen"].available
    assert tiles["wonen"].label.nl == "Binnenkort"


def test_scenario_cards_show_title_organisation_minutes_and_level(library):
    cards = p.scenario_cards(library, "inburgering", "nl")
    first = cards[0]
    assert first.title.nl == "Inloggen met DigiD en sms-controle"
    assert first.organisation.nl == "DigiD"
    assert first.minutes.nl == "Ongeveer 6 minuten"
    assert first.level_label.nl == "Makkelijk"
    assert [c.level for c in cards] == sorted(c.level for c in cards)


def test_practice_view_of_a_page_step(library):
    run = _run(library, "digid-inloggen-sms")
    view = p.practice_view(run, "nl")
    assert view.panes == ("page",)
    steps = len(solve(run.scenario, run.persona, run.today))
    assert view.progress_label.nl == f"Stap 1 van {steps}"
    assert view.progress == pytest.approx(1 / steps)
    assert view.page.service == "DUO (oefenen)" and "oefen" in view.page.address
    assert [e.kind for e in view.page.elements][:3] == ["heading", "text", "info"]
    assert view.instruction.nl == "Tik op de knop 'Inloggen met DigiD'."
    assert view.pictogram == "login"


def test_practice_view_fills_in_the_card_and_codes(library):
    run = _run(library, "digid-inloggen-sms")
    for action in (
        Tap("digid"),
        Tap("wachtwoord"),
        Type("gebruikersnaam", "amal.oefen"),
        Type("wachtwoord", "Tulpen2026"),
        Tap("inloggen"),
    ):
        run.act(action)
    view = p.practice_view(run, "nl")
    assert view.panes == ("page", "phone")
    texts = [e.element.text for e in view.page.elements if hasattr(e.element, "text")]
    assert any("eindigt op 78" in t for t in texts)
    (sms,) = view.phone.elements
    assert "482913" in sms.element.text and "{code" not in sms.element.text


def test_accepted_values_show_and_passwords_are_dots(library):
    run = _run(library, "digid-inloggen-sms")
    for action in (
        Tap("digid"),
        Tap("wachtwoord"),
        Type("gebruikersnaam", "amal.oefen"),
        Type("wachtwoord", "Tulpen2026"),
    ):
        run.act(action)
    fields = {e.id: e for e in p.practice_view(run, "nl").page.elements if e.kind == "input"}
    assert fields["gebruikersnaam"].value == "amal.oefen"
    assert fields["wachtwoord"].value == p.MASK * len("Tulpen2026")


def test_prefilled_field_shows_the_card_value(library):
    run = _run(library, "digid-inloggen-sms")
    for action in (
        Tap("digid"),
        Tap("wachtwoord"),
        Type("gebruikersnaam", "amal.oefen"),
        Type("wachtwoord", "verkeerd"),
        Tap("inloggen"),
    ):
        run.act(action)
    view = p.practice_view(run, "nl")
    fields = {e.id: e for e in view.page.elements if e.kind == "input"}
    assert fields["gebruikersnaam"].value == "amal.oefen"
    assert fields["wachtwoord"].value == ""
    assert any(e.kind == "info" and e.element.tone == "error" for e in view.page.elements)


def test_letter_and_question_views(library):
    run = _run(library, "berichtenbox-brief")
    persona = run.persona
    letters = questions = 0
    for move in solve(run.scenario, run.persona):
        view = p.practice_view(run, "nl")
        if view.letter is not None:  # addressed to the card's person, at the card's address
            letters += 1
            assert view.letter.recipient == (
                f"{persona.first_name} {persona.last_name}",
                persona.street,
                f"{persona.postcode}  {persona.city}",
            )
        if view.question is not None:  # the step's own answers, in the order written
            questions += 1
            assert "question" in view.panes
            assert [c.id for c in view.question.options] == [
                o.id for o in run.step.question.options
            ]
        run.act(move.action)
    assert letters and questions


def test_feedback_views_carry_an_icon_and_words(library):
    run = _run(library, "nep-sms")
    wrong = p.feedback_view(run.act(Tap("gemeente")), "nl")
    assert (wrong.kind, wrong.icon, wrong.title.nl) == (
        "wrong",
        "try-again",
        "Probeer het nog eens",
    )
    assert wrong.text.nl.startswith("Deze sms is echt.")
    right = p.feedback_view(run.act(Tap("nep")), "nl")
    assert right.kind == "explain" and right.icon == "correct"
    assert right.text.nl == "Goed gezien. Deze sms is nep."
    hint = p.hint_view(run.hint(), "nl")
    assert hint.kind == "hint" and hint.icon == "hint"


def test_a_refused_bsn_gets_a_warning(library, tmp_path):
    from conftest import minimal, write_scenario
    from kiosk.scenario.validate import validate_paths

    report = validate_paths([write_scenario(tmp_path, minimal())])
    run = ScenarioRun(report.files[0].scenario, report.personas["amal"])
    view = p.feedback_view(run.act(Type("bsn", "111222333")), "nl")
    assert view.kind == "refused" and "Typ nooit uw echte BSN" in view.text.nl


def test_card_view_lists_the_personas_data(library):
    card = p.card_view(library.personas["olena"], "nl")
    lines = {label.nl: value for label, value in card.lines}
    assert lines["Naam"] == "Olena Kovalenko"
    assert lines["BSN"] == "456123780"
    assert "geen echte gegevens" in card.note.nl


def test_finished_view_summarises(library):
    run = _run(library, "nep-sms")
    run.hint()
    moves = solve(run.scenario, run.persona, run.today)
    for move in moves:
        outcome = run.act(move.action)
    assert outcome.finished
    last_explain = run.scenario.step(moves[-1].step_id).explain
    facts = p.finished_facts(run, outcome.feedback)
    run.wipe()  # the session ends: the screen still draws from what it kept
    view = p.finished_view(facts, "nl")
    assert view.summary.nl == run.scenario.summary.nl
    assert view.stats.nl == f"U deed {len(moves)} stappen. U gebruikte 1 keer een hint."
    assert view.explain.nl == last_explain.nl  # what the last step explains stays on screen
    assert view.again.nl == "Nog een keer"
    english = p.finished_view(facts, "en")
    assert english.stats.help_language == "en" and str(len(moves)) in english.stats.help


def test_words_fall_back_to_dutch_when_a_translation_is_missing():
    from kiosk.scenario.model import Text

    text = Text(nl="Tik op de knop.", en="Tap the button.")
    assert p.words(text, "en") == p.Words("Tik op de knop.", "Tap the button.", "en", False)
    assert p.words(text, "so") == p.Words("Tik op de knop.")
    assert p.words(Text(nl="x", ar="س"), "ar").help_rtl


def test_postcodes_dates_amounts_and_times_are_kept_on_one_line():
    nb = p.NO_BREAK
    text = (
        "Op 12 maart 2026 om 10.30 uur betaalt u € 1.234,56 voor 1234 GH, of € 5,- tot 30 november."
    )
    kept = p.keep_together(text)
    assert f"12{nb}maart{nb}2026" in kept and f"10.30{nb}uur" in kept
    assert f"€{nb}1.234,56" in kept and f"1234{nb}GH" in kept and f"€{nb}5,-" in kept
    assert f"30{nb}november" in kept
    assert len(kept) == len(text)  # spoken-word positions stay right
    assert "Op 12" in kept and "betaalt u €" in kept  # ordinary words still wrap
    assert p.keep_together(kept) == kept
    assert p.keep_together("Tik op de knop.") == "Tik op de knop."


def test_a_tall_screen_is_portrait():
    assert p.is_portrait(720, 1280)
    assert not p.is_portrait(800, 480) and not p.is_portrait(1280, 800)


def test_a_long_code_wraps_only_between_its_groups():
    assert p.code_groups("ZT-2026-0048-1193") == ["ZT-", "2026-", "0048-", "1193"]
    assert p.code_groups("KTFW") == ["KTFW"]
    assert p.code_groups("AB 12") == ["AB", "12"]


def test_a_visitor_is_told_in_their_language_when_an_exercise_has_no_translation(tmp_path):
    from conftest import check, minimal
    from kiosk.ui.presenters import untranslated_notice

    scenario = check(tmp_path, minimal()).files[0].scenario
    notice = untranslated_notice(scenario, "ar")
    assert notice is not None and notice.kind == "hint"
    assert notice.text.help_language == "ar" and notice.text.help and notice.text.help_rtl
    assert "nog niet vertaald" in notice.text.nl
    assert untranslated_notice(scenario, "nl") is None


def test_a_translated_exercise_starts_without_the_notice(library):
    from kiosk.ui.presenters import untranslated_notice

    for scenario in library.scenarios:
        for code in ("en", "ar", "ti", "prs", "uk", "tr", "so"):
            assert untranslated_notice(scenario, code) is None, (scenario.id, code)


# --- the staff's problems list ----------------------------------------------------------------


def test_staff_problems_name_the_file_what_is_wrong_and_what_to_do(tmp_path):
    from conftest import minimal, write_scenario
    from kiosk.ui.staff_views import staff_problems

    broken = minimal()
    broken["steps"][0]["pictogram"] = "bestaat-niet"
    write_scenario(tmp_path, broken, "kapot.yaml")
    library = load_library(tmp_path)
    assert library.broken_files == ("kapot.yaml",)
    problems = staff_problems(
        broken_files=library.broken_files,
        content_problems=library.problems,
        missing_assets=("pictograms.yaml", "fonts/NotoSansArabic-Regular.ttf"),
        audio_problems=("no-sound-card",),
        damaged_clips=("so/start.wav",),
    )
    texts = [problem.text for problem in problems]
    assert len(texts) == 5
    assert "kapot.yaml" in texts[0] and "regel " in texts[0] and "bestaat-niet" in texts[0]
    assert "oefenkiosk validate" in texts[0]
    assert "assets/pictograms.yaml" in texts[1] and "rondjes" in texts[1]
    assert "assets/fonts/NotoSansArabic-Regular.ttf" in texts[2]
    assert "geluidskaart" in texts[3]
    assert "assets/audio/so/start.wav" in texts[4]
    assert all("Wat te doen:" in text for text in texts)


def test_a_log_that_is_not_saved_is_named_once_and_first():
    from kiosk.progress.store import NOT_SAVED
    from kiosk.ui.staff_views import staff_problems

    problems = staff_problems(
        log_problem=f"{NOT_SAVED} (disk I/O error)",
        log_notices=["Het logboek kon van 20-11 12:00 tot 20-11 12:20 niet worden opgeslagen."],
        broken_files=("kapot.yaml",),
    )
    texts = [problem.text for problem in problems]
    assert sum(text.count(NOT_SAVED) for text in texts) == 1
    assert texts[0].startswith("Let op: voortgang wordt niet opgeslagen (disk I/O error).")
    assert "12:00" in texts[1] and "kapot.yaml" in texts[2]


def test_only_the_newest_reports_about_the_log_are_listed():
    from kiosk.ui.staff_views import staff_problems

    notices = [f"Het logboek kon op 20-11 van 1{i}:00 tot 1{i}:05 niet ..." for i in range(5)]
    texts = [problem.text for problem in staff_problems(log_notices=notices)]
    assert texts == notices[-2:]


def test_no_problems_means_an_empty_list():
    from kiosk.ui.staff_views import staff_problems

    assert staff_problems() == ()


def test_the_lit_part_of_a_spoken_word_is_the_whole_run_between_spaces():
    text = "Typ uw e-mailadres in. Kom op 1\u00a0november\u00a02026."
    start = text.index("mailadres")
    assert text[slice(*p.spoken_span(text, start, 9))] == "e-mailadres"
    start = text.index("november")
    assert text[slice(*p.spoken_span(text, start, 8))] == "1\u00a0november\u00a02026."
    assert text[slice(*p.spoken_span(text, 0, 3))] == "Typ"
