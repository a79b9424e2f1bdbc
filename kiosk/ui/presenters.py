"""View-models: what each screen draws, computed from the engine and the content.

Pure Python, tested without a window. Screens turn these into widgets and
turn touches into engine actions; nothing here or there decides right or wrong.

The welcome screen is drawn from this module before the scenario machinery is
imported (that costs a tenth of a second at start-up); the practice functions
import it when they first run.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kiosk.i18n.languages import LANGUAGES, language
from kiosk.i18n.translate import gettext, ngettext
from kiosk.scenario.catalog import N_, ORGANISATIONS, THEMES, TRANSLATED_ORGANISATIONS
from kiosk.speech.clips import ui_clip

if TYPE_CHECKING:
    from kiosk.scenario import model
    from kiosk.scenario.engine import Hint, Outcome, ScenarioRun
    from kiosk.scenario.library import Library

HIDDEN_KINDS = ("password", "pin")
MASK = "\u2022"  # •


@dataclass(frozen=True)
class Words:
    """A visitor-facing text: the Dutch, and the help language's version when it has one."""

    nl: str
    help: str | None = None
    help_language: str | None = None
    help_rtl: bool = False
    clip_nl: str | None = None
    """A recorded clip that reads the Dutch (assets/audio/nl/...)."""
    clip_help: str | None = None
    """A recorded clip that reads the help text (assets/audio/<help language>/...)."""


def words(text: model.Text | None, lang: str) -> Words:
    if text is None:
        return Words("")
    clip_nl = text.audio.get("nl")
    if lang == "nl":
        return Words(text.nl, clip_nl=clip_nl)
    translated = text.get(lang)
    if not translated:
        return Words(text.nl, clip_nl=clip_nl)
    return Words(text.nl, translated, lang, language(lang).rtl, clip_nl, text.audio.get(lang))


def ui(msgid: str, lang: str) -> Words:
    """A UI string: Dutch, plus the help language's version when it is translated."""
    clip_nl = ui_clip(msgid, "nl")
    if lang == "nl":
        return Words(msgid, clip_nl=clip_nl)
    translated = gettext(msgid, lang)
    if translated == msgid:
        return Words(msgid, clip_nl=clip_nl)
    return Words(msgid, translated, lang, language(lang).rtl, clip_nl, ui_clip(msgid, lang))


NO_BREAK = "\u00a0"
_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_KEEP_TOGETHER = re.compile(
    "|".join(
        (
            r"\b\d{4} [A-Z]{2}\b",  # postcode: 1234 AB
            rf"\b\d{{1,2}} (?:{_MONTHS}) \d{{4}}\b",  # date: 12 maart 2026
            rf"\b\d{{1,2}} (?:{_MONTHS})\b",  # date without a year: 30 november
            r"€ \d[\d.]*(?:,(?:\d{2}|-))?",  # amount: € 1.234,56
            r"\b\d{1,2}[.:]\d{2} uur\b",  # time: 10.30 uur
        )
    )
)


def keep_together(text: str) -> str:
    """No-break spaces inside postcodes, dates, amounts and times, so a line never ends
    in the middle of one: a visitor copies and checks them as one thing (`1234 AB`, not
    `1234` at a line's end and `AB` on the next). Same length as the text: positions of
    spoken words stay right."""
    return _KEEP_TOGETHER.sub(lambda m: m.group(0).replace(" ", NO_BREAK), text)


def spoken_span(text: str, start: int, length: int) -> tuple[int, int]:
    """The part of `text` to light up while the word at `start` is read: the whole run
    between two ordinary spaces. A colour tag inside a run would let the line break
    there: in 'e-mailadres' after the 'e', in '1 november 2026' (kept together with
    no-break spaces) before 'november'. So the whole run is lit, and stays on its line."""
    begin = text.rfind(" ", 0, start) + 1
    end = text.find(" ", start + length)
    return begin, len(text) if end == -1 else end


def is_portrait(width: float, height: float) -> bool:
    """A screen taller than wide (the Raspberry Pi Touch Display 2 stands 720x1280): the
    kiosk stacks what it shows side by side on a landscape screen."""
    return height > width


def ui_count(singular: str, plural: str, n: int, lang: str, **values: Any) -> Words:
    """A UI string with a count `{n}` in it, in the form each language's grammar needs for
    that count ("1 oefening", "2 oefeningen"; Arabic has six forms)."""
    dutch = ngettext(singular, plural, n, "nl").format(n=n, **values)
    if lang == "nl":
        return Words(dutch)
    translated = ngettext(singular, plural, n, lang)
    if translated in (singular, plural):
        return Words(dutch)
    return Words(dutch, translated.format(n=n, **values), lang, language(lang).rtl)


# --- Welcome --------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    native_name: str
    script: str
    rtl: bool
    selected: bool


@dataclass(frozen=True)
class WelcomeView:
    title: Words
    subtitle: Words
    start: Words
    choose_language: Words
    languages: tuple[LanguageChoice, ...]


def offered_languages(enabled: tuple[str, ...]) -> tuple:
    """Dutch and the help languages staff switched on (none switched off: all of them)."""
    if not enabled:
        return LANGUAGES
    return tuple(x for x in LANGUAGES if x.code == "nl" or x.code in enabled)


def welcome_view(lang: str, enabled: tuple[str, ...] = ()) -> WelcomeView:
    return WelcomeView(
        title=ui("Oefenen met de digitale overheid", lang),
        subtitle=ui(
            "Oefen hier veilig met DigiD, MijnOverheid en brieven. "
            "Niets is echt. Niets wordt bewaard.",
            lang,
        ),
        start=ui("Beginnen", lang),
        choose_language=ui("Kies uw taal", lang),
        languages=tuple(
            LanguageChoice(x.code, x.native_name, x.script, x.rtl, x.code == lang)
            for x in offered_languages(enabled)
        ),
    )


# --- Catalogue ------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeTile:
    id: str
    name: Words
    pictogram: str
    count: int
    label: Words

    @property
    def available(self) -> bool:
        return self.count > 0


def theme_tiles(library: Library, lang: str) -> tuple[ThemeTile, ...]:
    tiles = []
    for theme in THEMES:
        count = len(library.in_theme(theme.id))
        if count == 0:
            label = ui("Binnenkort", lang)
        else:
            label = ui_count("{n} oefening", "{n} oefeningen", count, lang)
        tiles.append(ThemeTile(theme.id, ui(theme.name, lang), theme.pictogram, count, label))
    return tuple(tiles)


LEVEL_LABELS = {1: N_("Makkelijk"), 2: N_("Gemiddeld"), 3: N_("Moeilijker")}


@dataclass(frozen=True)
class ScenarioCard:
    id: str
    title: Words
    organisation: Words
    minutes: Words
    level: int
    level_label: Words
    pictogram: str


def scenario_cards(library: Library, theme_id: str, lang: str) -> tuple[ScenarioCard, ...]:
    scenarios = sorted(library.in_theme(theme_id), key=lambda s: (s.level, s.minutes))
    return tuple(_scenario_card(s, lang) for s in scenarios)


def route_cards(library: Library, route: tuple[str, ...], lang: str) -> tuple[ScenarioCard, ...]:
    """The intake's route: the same cards as a theme's, in the route's order."""
    return tuple(_scenario_card(library.scenario(scenario_id), lang) for scenario_id in route)


def _scenario_card(s: model.Scenario, lang: str) -> ScenarioCard:
    return ScenarioCard(
        id=s.id,
        title=words(s.title, lang),
        organisation=_organisation(s.organisation, lang),
        minutes=ui_count("Ongeveer {n} minuut", "Ongeveer {n} minuten", s.minutes, lang),
        level=s.level,
        level_label=ui(LEVEL_LABELS[s.level], lang),
        pictogram=next(t.pictogram for t in THEMES if t.id == s.theme),
    )


def _organisation(organisation: str, lang: str) -> Words:
    name = ORGANISATIONS.get(organisation, organisation)
    return ui(name, lang) if organisation in TRANSLATED_ORGANISATIONS else Words(name)


def theme_title(theme_id: str, lang: str) -> Words:
    return ui(next(t.name for t in THEMES if t.id == theme_id), lang)


# --- Intake ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeChoiceView:
    id: str
    text: Words
    pictogram: str


@dataclass(frozen=True)
class IntakeView:
    question_id: str
    question: Words
    choices: tuple[IntakeChoiceView, ...]
    back: Words
    skip: Words


def intake_view(answers: Mapping[str, str], lang: str) -> IntakeView | None:
    """The intake's next question with its answer buttons; None when all are answered."""
    from kiosk.scenario.route import next_question

    question = next_question(answers)
    if question is None:
        return None
    return IntakeView(
        question_id=question.id,
        question=ui(question.text, lang),
        choices=tuple(
            IntakeChoiceView(c.id, ui(c.text, lang), c.pictogram) for c in question.choices
        ),
        back=ui("Terug", lang),
        skip=ui("Overslaan", lang),
    )


# --- Practice -------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementView:
    """An element with its texts filled in from the practice card, and its state."""

    element: Any
    container: str
    value: str = ""
    """What an input shows (dots for a password or pin)."""
    checked: bool = False
    chosen: str | None = None
    error: str = ""
    """The page's own error message under a field whose last answer was wrong."""

    @property
    def id(self) -> str | None:
        return getattr(self.element, "id", None)

    @property
    def kind(self) -> str:
        return type(self.element).TYPE


@dataclass(frozen=True)
class PageView:
    service: str
    address: str
    elements: tuple[ElementView, ...]
    header: str | None = None
    """Header colour (#rrggbb) of the organisation's look; None: the plain practice look."""
    header_text: str | None = None


@dataclass(frozen=True)
class PhoneView:
    app: str
    screen: str
    title: str | None
    elements: tuple[ElementView, ...]
    notification: model.Notification | None


@dataclass(frozen=True)
class LetterView:
    letter: model.Letter
    recipient: tuple[str, ...]


@dataclass(frozen=True)
class ChoiceView:
    id: str
    text: Words
    pictogram: str | None


@dataclass(frozen=True)
class QuestionView:
    text: Words
    options: tuple[ChoiceView, ...]

    @property
    def spoken(self) -> str:
        """The question and its answers, numbered, as the speaker reads them (Dutch)."""
        answers = " ".join(f"{n}. {c.text.nl}" for n, c in enumerate(self.options, start=1))
        return f"{self.text.nl} {answers}"


def spoken_text(element: Any) -> str | None:
    """What tapping a text block of a page, phone or letter reads aloud (None: not read).

    Elements with an id are part of the task: tapping them is an action, not reading.
    """
    from kiosk.scenario import model

    if getattr(element, "id", None) and not isinstance(element, model.Heading):
        return None
    match element:
        case model.Heading() | model.Paragraph() | model.LetterBlock():
            return element.text
        case model.Bullets():
            return ". ".join(element.items)
        case model.InfoBox():
            return f"{element.title}. {element.text}" if element.title else element.text
        case model.CodeDisplay():
            return f"{element.label}: {', '.join(element.value)}"
        case model.Sms():
            return f"{element.sender}. {element.text.replace('[', '').replace(']', '')}"
    return None


def code_groups(code: str) -> list[str]:
    """`ZT-2026-0048-1193` -> `ZT-`, `2026-`, `0048-`, `1193`: where a long code may wrap
    onto the next line; a short code (`KTFW`) is one group."""
    return re.findall(r"[^\s-]+-?|-", code) or [code]


@dataclass(frozen=True)
class PracticeView:
    scenario_id: str
    step_id: str
    title: Words
    instruction: Words
    pictogram: str
    progress_label: Words
    progress: float
    panes: tuple[str, ...]
    """What the stage shows, left to right: 'page', 'letter', 'question', 'phone'."""
    page: PageView | None
    phone: PhoneView | None
    letter: LetterView | None
    question: QuestionView | None
    has_notes: bool


def _filled(obj: Any, fill_text: Callable[[str], str]) -> Any:
    """A copy of a content object with every `{card.x}` / `{code.x}` filled in."""
    from kiosk.scenario.model import Text

    changes = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, str):
            changes[f.name] = fill_text(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], str):
            changes[f.name] = tuple(fill_text(v) for v in value)
        elif isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            changes[f.name] = tuple(_filled(v, fill_text) for v in value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, Text):
            changes[f.name] = _filled(value, fill_text)
    return dataclasses.replace(obj, **changes)


def _element_views(
    elements: tuple, container: str, run: ScenarioRun, fill_text: Callable[[str], str]
) -> tuple[ElementView, ...]:
    from kiosk.scenario.model import Input
    from kiosk.scenario.persona import resolve_in

    state = run.view()
    views = []
    for element in elements:
        filled = _filled(element, fill_text)
        key = (container, getattr(element, "id", None))
        value = error = ""
        if isinstance(element, Input):
            value = state.values.get(key, "")
            if not value and element.prefill:
                value = resolve_in(element.prefill, run.context)
            if element.input in HIDDEN_KINDS:
                value = MASK * len(value)
            if key in state.field_errors and element.error:
                error = filled.error or ""
        views.append(
            ElementView(
                filled, container, value, key in state.checked, state.chosen.get(key), error
            )
        )
    return tuple(views)


def _with_context(text: Words, fill_text: Callable[[str], str]) -> Words:
    """Visitor words with earlier answers (`{form.x}`) filled in."""
    return dataclasses.replace(
        text, nl=fill_text(text.nl), help=fill_text(text.help) if text.help else None
    )


def practice_view(run: ScenarioRun, lang: str) -> PracticeView:
    from kiosk.scenario.catalog import LOOKS
    from kiosk.scenario.persona import fill_in

    state = run.view()
    step = state.step
    context = run.context

    def fill_text(text: str) -> str:
        return fill_in(text, context)

    page = phone = letter = question = None
    if state.page is not None:
        container = f"page:{state.page_id}"
        look = LOOKS.get(state.page.look) if state.page.look else None
        page = PageView(
            fill_text(state.page.service),
            fill_text(state.page.address),
            _element_views(state.page.elements, container, run, fill_text),
            look.header if look else None,
            look.header_text if look else None,
        )
    if state.phone is not None:
        container = f"phone:{state.phone_id}"
        note = state.phone.notification
        phone = PhoneView(
            state.phone.app,
            state.phone.screen,
            fill_text(state.phone.title) if state.phone.title else None,
            _element_views(state.phone.elements, container, run, fill_text),
            _filled(note, fill_text) if note else None,
        )
    if state.letter is not None:
        card = run.persona
        filled_letter = _filled(state.letter, fill_text)
        letter = LetterView(
            filled_letter,
            filled_letter.to or (card.full_name, card.street, f"{card.postcode}  {card.city}"),
        )
    if state.question is not None:
        question = QuestionView(
            words(state.question.text, lang),
            tuple(
                ChoiceView(c.id, words(c.text, lang), c.pictogram) for c in state.question.options
            ),
        )
    panes = tuple(
        name
        for name, view in (
            ("page", page),
            ("letter", letter),
            ("question", question),
            ("phone", phone),
        )
        if view
    )
    return PracticeView(
        scenario_id=run.scenario.id,
        step_id=step.id,
        title=words(run.scenario.title, lang),
        instruction=_with_context(words(step.instruction, lang), fill_text),
        pictogram=step.pictogram,
        progress_label=_format(
            ui("Stap {n} van {total}", lang), n=state.position, total=state.total
        ),
        progress=state.position / state.total if state.total else 0.0,
        panes=panes,
        page=page,
        phone=phone,
        letter=letter,
        question=question,
        has_notes=step.notes is not None,
    )


@dataclass(frozen=True)
class FeedbackView:
    kind: str
    """'correct', 'wrong', 'refused', 'hint' or 'explain': picks colour and icon."""
    icon: str
    title: Words
    text: Words


FEEDBACK_LOOK = {
    "correct": ("correct", N_("Goed!")),
    "explain": ("correct", N_("Goed!")),
    "wrong": ("try-again", N_("Probeer het nog eens")),
    "refused": ("warning", N_("Let op")),
    "hint": ("hint", N_("Hint")),
}


def _feedback(kind: str, text: model.Text | None, lang: str) -> FeedbackView:
    icon, title = FEEDBACK_LOOK[kind]
    return FeedbackView(kind, icon, ui(title, lang), words(text, lang))


def feedback_view(outcome: Outcome, lang: str) -> FeedbackView | None:
    """What the coach panel says after an action (None: nothing to say)."""
    if outcome.result in ("wrong", "refused"):
        return _feedback(outcome.result, outcome.feedback, lang)
    if outcome.result == "correct":
        return _feedback("explain" if outcome.feedback else "correct", outcome.feedback, lang)
    if outcome.result == "branched" and outcome.feedback:
        return _feedback("hint", outcome.feedback, lang)
    return None


def hint_view(hint: Hint, lang: str) -> FeedbackView:
    return _feedback("hint", hint.text, lang)


UNTRANSLATED = N_("Deze oefening is nog niet vertaald in uw taal. De uitleg is in het Nederlands.")


def untranslated_notice(scenario: model.Scenario, lang: str) -> FeedbackView | None:
    """Said before an exercise starts when it lacks texts in the visitor's language."""
    from kiosk.scenario.texts import scenario_texts

    if lang == "nl" or all(text.get(lang) for _, text in scenario_texts(scenario)):
        return None
    return FeedbackView("hint", "warning", ui("Let op", lang), ui(UNTRANSLATED, lang))


@dataclass(frozen=True)
class CardView:
    title: Words
    note: Words
    close: Words
    lines: tuple[tuple[Words, str], ...]

    @property
    def spoken_lines(self) -> tuple[str, ...]:
        """Each line as its speaker reads it: 'DigiD wachtwoord: Tulpen2026'."""
        return tuple(f"{label.nl}: {value}" for label, value in self.lines)


def card_view(persona: model.Persona, lang: str, today: date | None = None) -> CardView:
    from kiosk.scenario.persona import REFERENCE_DAY, card_lines

    return CardView(
        title=ui("Oefenkaart", lang),
        note=ui("Dit zijn geen echte gegevens. Gebruik ze alleen om te oefenen.", lang),
        close=ui("Sluiten", lang),
        lines=tuple(
            (ui(label, lang), value) for label, value in card_lines(persona, today or REFERENCE_DAY)
        ),
    )


@dataclass(frozen=True)
class FinishedFacts:
    """What the finished screen tells about a finished run: enough to draw it again in
    another language after the run itself is wiped (no typed values, only counts)."""

    summary: model.Text
    steps: int
    hints: int
    explain: model.Text | None


def finished_facts(run: ScenarioRun, last_explain: model.Text | None) -> FinishedFacts:
    summary = run.summary()
    return FinishedFacts(run.scenario.summary, len(summary.steps), summary.hints, last_explain)


@dataclass(frozen=True)
class FinishedView:
    title: Words
    practised: Words
    summary: Words
    explain: Words | None
    stats: Words
    again: Words
    other: Words

    @property
    def spoken(self) -> str:
        """What the finished screen's speaker reads: the praise, then what was practised."""
        return f"{self.title.nl} {self.summary.nl}"


def finished_view(facts: FinishedFacts, lang: str) -> FinishedView:
    steps, hints = facts.steps, facts.hints
    if hints == 0:
        stats = ui_count(
            "U deed {n} stap, zonder hints.", "U deed {n} stappen, zonder hints.", steps, lang
        )
    else:
        stats = joined(
            ui_count("U deed {n} stap.", "U deed {n} stappen.", steps, lang),
            ui_count(
                "U gebruikte {n} keer een hint.", "U gebruikte {n} keer een hint.", hints, lang
            ),
        )
    return FinishedView(
        title=ui("Goed gedaan!", lang),
        practised=ui("Dit heeft u geoefend:", lang),
        summary=words(facts.summary, lang),
        explain=words(facts.explain, lang) if facts.explain else None,
        stats=stats,
        again=ui("Nog een keer", lang),
        other=ui("Kies een andere oefening", lang),
    )


def joined(first: Words, second: Words) -> Words:
    """Two texts as one (two sentences; a label and a title); in the help language only
    when both are translated."""
    both = first.help is not None and second.help is not None
    return dataclasses.replace(
        first,
        nl=f"{first.nl} {second.nl}",
        help=f"{first.help} {second.help}" if both else None,
        help_language=first.help_language if both else None,
        help_rtl=first.help_rtl if both else False,
    )


def _format(text: Words, **values: Any) -> Words:
    return dataclasses.replace(
        text,
        nl=text.nl.format(**values),
        help=text.help.format(**values) if text.help else None,
    )
