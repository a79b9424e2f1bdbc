"""What the volunteer and staff screens show, as plain data (testable without a window).

These screens are for Dutch-speaking volunteers and library staff: their texts
are Dutch only, not translated into the visitor's help languages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.config import SETTINGS, Config, Setting
from kiosk.i18n.languages import LANGUAGES
from kiosk.progress.recorder import RunStory, SessionRecorder
from kiosk.scenario.describe import element_name, expected_action, step_name
from kiosk.scenario.engine import ScenarioRun
from kiosk.scenario.model import Scenario
from kiosk.scenario.problems import Problem
from kiosk.speech.voices import no_voice_anywhere

if TYPE_CHECKING:
    from kiosk.network.outbox import OutboxState
    from kiosk.packs.store import Installed

# --- volunteer: this step -----------------------------------------------------------------


@dataclass(frozen=True)
class StepGuide:
    scenario: str
    position: str
    step: str
    expected: str
    notes: str
    tries: str
    about: str = ""
    """What the whole exercise imitates, and its sources."""


def _times(count: int) -> str:
    return "1 keer" if count == 1 else f"{count} keer"


def step_guide(run: ScenarioRun) -> StepGuide:
    scenario, step = run.scenario, run.step
    view = run.view()
    tries = []
    if view.wrong_tries:
        tries.append(f"{_times(view.wrong_tries)} fout")
    if view.hints_given:
        tries.append(f"{_times(view.hints_given)} hulp gevraagd")
    return StepGuide(
        scenario=scenario.title.nl,
        position=f"Stap {view.position} van {view.total}",
        step=step_name(scenario, step.id),
        expected=expected_action(scenario, run.persona, step),
        notes=step.notes.nl if step.notes else "Geen notities bij deze stap.",
        tries=("Bij deze stap: " + ", ".join(tries) + ".") if tries else "",
        about=f"Deze oefening bootst na: {scenario.about}" if scenario.about else "",
    )


# --- volunteer: the session so far ------------------------------------------------------------


@dataclass(frozen=True)
class SessionLine:
    title: str
    status: str
    done: str
    trouble: tuple[str, ...]


ENDINGS = {
    "": "Bezig",
    "finished": "Klaar",
    "idle": "Gestopt: te lang niets gedaan",
    "back": "Gestopt door de bezoeker",
    "other_scenario": "Gestopt: andere oefening gekozen",
    "restart": "Opnieuw begonnen",
    "reset": "Gestopt door een medewerker",
}


def session_line(story: RunStory, scenario: Scenario | None) -> SessionLine:
    title = scenario.title.nl if scenario else story.scenario
    total = len(scenario.steps) if scenario else 0
    done = f"{len(story.correct)} stappen goed"
    if total:
        done = f"{len(story.correct)} van {total} stappen goed"
    if story.skipped:
        done += f", {len(story.skipped)} overgeslagen"
    per_step: dict[str, list[tuple[str, int]]] = {}
    for (step, element), count in story.wrong.items():
        per_step.setdefault(step, []).append((element, count))
    trouble = []
    for step, elements in sorted(per_step.items(), key=lambda item: -sum(c for _, c in item[1])):
        wrong = sum(count for _, count in elements)
        step_obj = next((s for s in scenario.steps if s.id == step), None) if scenario else None
        name = step_name(scenario, step) if scenario else step
        touched = ", ".join(
            f"‘{element_name(scenario, e, step_obj) if scenario else e}’ {c}×"
            for e, c in sorted(elements, key=lambda item: -item[1])[:2]
        )
        hints = story.hints.get(step, 0)
        extra = f"; {_times(hints)} hulp" if hints else ""
        trouble.append(f"{name}: {wrong}× fout ({touched}){extra}")
    return SessionLine(title, ENDINGS.get(story.ended, story.ended), done, tuple(trouble))


def session_lines(
    recorder: SessionRecorder, scenarios: dict[str, Scenario]
) -> tuple[SessionLine, ...]:
    """Newest first: the volunteer wants to see the current scenario at the top."""
    return tuple(session_line(s, scenarios.get(s.scenario)) for s in reversed(recorder.runs))


# --- staff: settings ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceView:
    value: str
    label: str


@dataclass(frozen=True)
class SettingView:
    name: str
    label: str
    description: str
    kind: str  # 'number', 'switch', 'choice', 'several', 'text'
    value: object
    choices: tuple[ChoiceView, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    step: int = 1
    fixed: bool = False
    """Set by an environment variable: a change here does not win."""


CHOICE_LABELS = {
    "slow": "Langzaam",
    "normal": "Gewoon",
    "large": "Groot",
}
DESCRIPTIONS = {
    "kiosk_name": "Zo heet de kiosk in de statistiek en in exports.",
    "idle_timeout": "Na deze tijd zonder aanraking vraagt de kiosk: 'Bent u er nog?'",
    "enabled_languages": "De talen die een bezoeker kan kiezen. Niets gekozen: alle talen. "
    + " ".join(
        f"{x.dutch_name}: geen computerstem, alleen opnames."
        for x in LANGUAGES
        if x.code in no_voice_anywhere()
    ),
    "enabled_scenarios": "De oefeningen die bezoekers zien. Niets gekozen: alle oefeningen.",
    "speech_speed": "Hoe snel de kiosk voorleest aan het begin van een sessie.",
    "volume": "Hoe hard spraak en geluidjes klinken (0 tot 100).",
    "sounds": "Een zacht geluidje bij een goede stap en bij 'probeer opnieuw'.",
    "text_size": "De lettergrootte aan het begin van een sessie.",
    "retention_days": "Zo lang blijven losse gebeurtenissen bewaard; daarna alleen tellingen "
    "per dag.",
    "referral_text": "Staat op het oefenbewijs, onder de oefeningen: bijvoorbeeld de data van "
    "de cursus Digisterker of de openingstijden van het Informatiepunt.",
    "resume_code_weeks": "Zo lang kan een bezoeker met een oefencode verder waar hij stopte. "
    "Een code werkt alleen op deze kiosk.",
    "xapi_enabled": "Na elke sessie gaan anonieme gegevens (welke oefening, welke stap ging "
    "fout) naar het netwerk van bibliotheken. Nooit iets wat een bezoeker typte. Het adres "
    "van het netwerk staat in het instellingenbestand (lrs_url).",
}


TEXT_LENGTH = 60
"""The most characters staff can type into a text setting (a kiosk's name)."""
LONGER_TEXTS = {"referral_text": 300}


def typed(name: str, value: str, text: str) -> str:
    """A text setting's value after staff typed `text`, cut at the setting's length."""
    return (value + text)[: LONGER_TEXTS.get(name, TEXT_LENGTH)]


def _kind(setting: Setting) -> str:
    if setting.type is bool:
        return "switch"
    if setting.type is int:
        return "number"
    if setting.type is tuple:
        return "several"
    return "choice" if setting.choices else "text"


def setting_views(config: Config, scenarios: dict[str, Scenario]) -> tuple[SettingView, ...]:
    views = []
    for setting in SETTINGS:
        if not setting.label:
            continue
        choices: tuple[ChoiceView, ...] = ()
        if setting.name == "enabled_languages":
            choices = tuple(ChoiceView(x.code, x.dutch_name) for x in LANGUAGES if x.code != "nl")
        elif setting.name == "enabled_scenarios":
            choices = tuple(ChoiceView(i, s.title.nl) for i, s in scenarios.items())
        elif setting.choices:
            choices = tuple(ChoiceView(c, CHOICE_LABELS.get(c, c)) for c in setting.choices)
        views.append(
            SettingView(
                name=setting.name,
                label=setting.label,
                description=DESCRIPTIONS.get(setting.name, setting.description),
                kind=_kind(setting),
                value=config.values[setting.name],
                choices=choices,
                minimum=setting.minimum,
                maximum=setting.maximum,
                step=setting.step,
                fixed=setting.name in config.from_environment,
            )
        )
    return tuple(views)


def stepped(view: SettingView, value: int, direction: int) -> int:
    """A number one step up or down, kept within its limits."""
    new = value + direction * view.step
    if view.minimum is not None:
        new = max(view.minimum, new)
    if view.maximum is not None:
        new = min(view.maximum, new)
    return new


def toggled(values: tuple[str, ...], value: str, order: tuple[str, ...]) -> tuple[str, ...]:
    """Tick or untick one of several, keeping the order of the list on screen."""
    chosen = set(values) ^ {value}
    return tuple(item for item in order if item in chosen)


def network_lines(enabled: bool, lrs_url: str, state: OutboxState | None) -> tuple[str, ...]:
    """The network box on the statistics page: on/off, waiting, last send, last problem."""
    if not enabled and not lrs_url:
        return ("Versturen naar het netwerk: uit (geen LRS ingesteld).",)
    lines = [f"Versturen naar het netwerk: {'aan' if enabled else 'uit'} ({lrs_url or '-'})"]
    if state is None:
        lines.append("Wachtend: onbekend (het logboek kan niet gelezen worden).")
        return tuple(lines)
    lines.append(f"Wachtend om te versturen: {state.waiting}")
    lines.append(f"Laatst gelukt: {_when(state.last_success) or 'nog nooit'}")
    if state.last_error:
        lines.append(f"Laatste probleem: {state.last_error}")
    return tuple(lines)


def _when(minute: str) -> str:
    """'2026-11-30T14:05' → '30-11-2026 14:05', as staff read dates."""
    if len(minute) < 16:
        return minute
    return f"{minute[8:10]}-{minute[5:7]}-{minute[0:4]} {minute[11:16]}"


def content_lines(
    current: Installed | None, staged: Installed | None, previous: Installed | None, message: str
) -> tuple[str, ...]:
    """The content page: what is played now, what waits for the next welcome, what went before."""

    lines = [f"Nu: {current.described if current else 'de ingebouwde oefeningen'}"]
    if staged is not None:
        lines.append(f"Gaat aan bij het volgende welkom: {staged.described}")
    if previous is not None:
        lines.append(f"Vorige versie: {previous.described}")
    if message:
        lines.append(message)
    return tuple(lines)


# --- PINs that cannot be trusted ------------------------------------------------------------


def damaged_pins_text(command: str) -> str:
    """The PIN file is damaged: both modes stay shut; how staff recover at the computer."""
    return (
        "Het bestand met de pincodes is beschadigd. Daarom blijven de modus voor "
        "vrijwilligers en de modus voor medewerkers dicht.\n"
        f"Een medewerker typt op deze computer in een terminal (op één regel):\n{command}\n"
        "Daarmee kiest u een nieuwe pincode. Het oude bestand blijft bewaard."
    )


def lockout_unavailable_text(folder: str) -> str:
    """Wrong tries cannot be stored (full or read-only disk): no PIN is checked."""
    return (
        "De kiosk kan nu niets opslaan: de schijf is vol of alleen-lezen. Daarom werkt de "
        "pincode nu niet.\n"
        f"Een medewerker maakt op deze computer ruimte vrij (map {folder}) of herstelt de "
        "schijf. Daarna werkt de pincode weer."
    )


# --- staff: what needs attention ------------------------------------------------------------


@dataclass(frozen=True)
class StaffProblem:
    what: str
    """What is wrong, naming the file."""
    todo: str = ""
    """What staff can do about it ('' when nothing is needed: a report of what happened)."""

    @property
    def text(self) -> str:
        return f"{self.what} Wat te doen: {self.todo}" if self.todo else self.what


REINSTALL = "zet het bestand terug, of installeer de kiosk opnieuw met deploy_kiosk.sh."
ASSET_PROBLEMS = {
    "pictograms.yaml": "De lijst met pictogrammen ontbreekt of is onleesbaar "
    "(assets/pictograms.yaml): de kiosk toont rondjes in plaats van pictogrammen. "
    "De oefeningen werken wel.",
    "fonts/materialdesignicons-webfont.ttf": "Het lettertype met de pictogrammen ontbreekt "
    "(assets/fonts/materialdesignicons-webfont.ttf): de kiosk toont rondjes in plaats van "
    "pictogrammen. De oefeningen werken wel.",
}
AUDIO_PROBLEMS = {
    "no-sound-card": StaffProblem(
        "De kiosk is stil: er is geen geluidskaart gevonden.",
        "sluit luidsprekers aan, zet het geluid aan en start de computer opnieuw.",
    ),
    "cannot-write": StaffProblem(
        "De kiosk is stil: de geluiden kunnen niet op de schijf worden gezet.",
        "maak ruimte vrij op de schijf en start de kiosk opnieuw.",
    ),
    "no-speech-engine": StaffProblem(
        "De kiosk leest niets voor: het spraakprogramma (espeak-ng) werkt niet.",
        "installeer de kiosk opnieuw met deploy_kiosk.sh en start de computer opnieuw.",
    ),
}


def _broken_file(file: str, problems: Sequence[Problem]) -> StaffProblem:
    errors = [p for p in problems if p.file == file and p.severity == "error"]
    reason = ""
    if errors:
        first = errors[0]
        where = f"regel {first.line}" if first.line is not None else ""
        where += (", " if where and first.field else "") + (first.field or "")
        reason = f" ({where}: {first.message})" if where else f" ({first.message})"
        if len(errors) > 1:
            reason += f" en nog {len(errors) - 1} {'fout' if len(errors) == 2 else 'fouten'}"
    return StaffProblem(
        f"De oefening {file} wordt niet getoond: het bestand heeft een fout{reason}. "
        "De andere oefeningen werken gewoon.",
        f"laat het bestand verbeteren; 'oefenkiosk validate' toont alle fouten in {file}.",
    )


def staff_problems(
    *,
    log_problem: str = "",
    log_notices: Sequence[str] = (),
    broken_files: Sequence[str] = (),
    content_problems: Sequence[Problem] = (),
    missing_assets: Sequence[str] = (),
    audio_problems: Sequence[str] = (),
    damaged_clips: Sequence[str] = (),
) -> tuple[StaffProblem, ...]:
    """What staff must know, most urgent first, in plain Dutch: each says which file, what is
    wrong and what to do. Every problem is named once."""
    problems = []
    if log_problem:
        problems.append(
            StaffProblem(
                f"Let op: {log_problem}.",
                "kijk of de schijf vol is of alleen gelezen kan worden. De kiosk werkt door "
                "en houdt de nieuwste gebeurtenissen vast tot het weer lukt.",
            )
        )
    # reports of what happened to the log: the newest few keep the list short
    problems += [StaffProblem(notice) for notice in list(dict.fromkeys(log_notices))[-2:]]
    problems += [_broken_file(file, content_problems) for file in dict.fromkeys(broken_files)]
    for asset in dict.fromkeys(missing_assets):
        what = ASSET_PROBLEMS.get(
            asset,
            f"Het lettertype assets/{asset} ontbreekt: teksten krijgen een gewone letter, "
            "Arabisch, Dari en Tigrinya zijn dan misschien niet te lezen.",
        )
        problems.append(StaffProblem(what, REINSTALL))
    problems += [AUDIO_PROBLEMS[kind] for kind in dict.fromkeys(audio_problems)]
    problems += [
        StaffProblem(
            f"De opname assets/audio/{clip} is beschadigd en wordt niet afgespeeld; "
            "de computerstem leest die tekst voor.",
            "neem de tekst opnieuw op, of haal het bestand weg.",
        )
        for clip in dict.fromkeys(damaged_clips)
    ]
    return tuple(problems)
