"""The kiosk application: screens, the kiosk window, the idle timer, keys.

Import this only after `launch.configure_kivy` has run: the window is created
when Kivy's window module is imported.
"""

from __future__ import annotations

import datetime
import gc
import importlib
import logging
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.metrics import Metrics
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.dropdown import DropDown
from kivy.uix.modalview import ModalView
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.admin.control import EXIT_TO_DESKTOP, RESET_SIGNAL, remove_pid, write_pid
from kiosk.config import Config, cache_dir, data_dir
from kiosk.heap import return_free_heap
from kiosk.paths import assets_dir
from kiosk.progress.codes import CodeBook
from kiosk.progress.recorder import SessionRecorder, kiosk_id
from kiosk.progress.store import LOG_FILE, EventLog
from kiosk.progress.visit import VisitState
from kiosk.scenario.library import EMPTY_LIBRARY, load_or_empty
from kiosk.scenario.pictograms import REGISTRY_FILE, load_pictograms
from kiosk.signals import StopRequest
from kiosk.ui.fonts import missing_fonts, register_fonts
from kiosk.ui.idle import IdleTimer
from kiosk.ui.visit_views import printed_words, saved_words
from kiosk.watchdog import Notifier

if TYPE_CHECKING:
    from kiosk.scenario.engine import Outcome, ScenarioRun
    from kiosk.scenario.library import Library
    from kiosk.ui.audio import KioskSpeaker

log = logging.getLogger(__name__)

KEY_ESCAPE, KEY_BACKSPACE, KEY_ENTER, KEY_KP_ENTER = 27, 8, 13, 271

# Screens are built on first use (and warmed up one per frame after the welcome
# screen is drawn), so a visitor sees the kiosk as soon as possible.
SCREENS: dict[str, tuple[str, str]] = {
    "welcome": ("kiosk.ui.screens.welcome", "WelcomeScreen"),
    "intake": ("kiosk.ui.screens.intake", "IntakeScreen"),
    "catalogue": ("kiosk.ui.screens.catalogue", "CatalogueScreen"),
    "practice": ("kiosk.ui.screens.practice", "PracticeScreen"),
    "finished": ("kiosk.ui.screens.finished", "FinishedScreen"),
    "staff": ("kiosk.ui.screens.staff", "StaffScreen"),
    "resume": ("kiosk.ui.screens.resume", "ResumeScreen"),
    "goodbye": ("kiosk.ui.screens.goodbye", "GoodbyeScreen"),
    "certificate": ("kiosk.ui.screens.certificate", "CertificateScreen"),
}
VISITOR_SCREENS = ("welcome", "intake", "catalogue", "practice", "finished")
RETENTION_EVERY = 6 * 3600
"""Seconds between two runs of the log's retention (also once at start)."""


def density_for(width: int, height: int) -> float:
    """dp per pixel: 1 on the 7-inch Raspberry Pi screen, more on a large library screen."""
    return round(max(1.0, min(width / 1000, height / 620)), 2)


def release_widgets(roots: list) -> None:
    """Let discarded widget trees be freed.

    Kivy keeps each widget's kv bindings in a module-level table until the widget
    is freed. A rule that looks through `self.ids` holds the ids dict, and with it
    the widget and its whole tree, from that table: a cycle the garbage collector
    cannot break. Unbinding the rules first breaks it.
    """
    for root in roots:
        for widget in root.walk(restrict=True):
            Builder.unbind_widget(widget.uid)


def settle_memory() -> None:
    """After start-up, new screens and each session: collect everything, then freeze
    what is left.

    Frozen objects are skipped by every later collection, so the full collections
    during a session only walk what the session made: pauses of a few milliseconds
    instead of a scan of every widget and kv rule. Everything is unfrozen first, so
    what a session left alive and a later session dropped (a catalogue list built
    again) is collected too, and memory stays flat over a day. The C heap's free pages
    go back to the system last (textures and Kivy's C objects live there).
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return_free_heap()


FREEZE_EVERY_S = 2.0
"""During a session, what has lived this long is frozen too (a constant-time move), so
a full collection while a visitor taps walks only the last seconds' objects: a few
milliseconds, not the 100,000 objects a session's screens and pages are made of. The
few cycles of garbage frozen this way are collected between visitors."""

SETTLE_AFTER_WIPE_S = 1.0
"""Seconds after a session ends before its garbage is collected: the welcome screen has
slid in by then, and the next visitor has not yet come up to the screen."""

LARGE_TEXT_SCALE = 1.25
"""'Grote letters': every text a quarter larger (Kivy's font scale)."""


class InstantTransition(NoTransition):
    """A screen change that is over when it starts.

    A ScreenManager ignores every touch while its transition is active, and Kivy's
    NoTransition stays active until the next frame: a visitor's tap in that frame (the
    next visitor tapping 'start' just after the idle wipe) was lost.
    """

    def start(self, manager) -> None:
        super().start(manager)
        self._anim.cancel(self)
        self._on_complete()


class KioskApp(App):
    language = StringProperty("nl")
    large_text = BooleanProperty(False)

    def __init__(
        self,
        settings: Config,
        library: Library,
        windowed: bool = False,
        speech: bool = True,
        on_first_frame: Callable[[], None] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.stop_request = StopRequest()
        self._stopping = False
        self.settings = settings
        self._library = None if callable(library) else library
        self._load_library = library if callable(library) else None
        self._library_loading = False
        self.windowed = windowed
        self.speech = speech
        self._speaker: KioskSpeaker | None = None
        self.pictograms: dict = {}
        self.icons_ok = False
        self.missing_assets: tuple[str, ...] = ()
        """Files of assets/ that are not there (paths inside assets/), for staff."""
        self.run_state: ScenarioRun | None = None
        self.intake_answers: dict[str, str] = {}
        """The visitor's answers to the intake: in memory only, wiped with the session."""
        self.idle = IdleTimer(settings.idle_timeout, settings.idle_countdown, time.monotonic())
        self._finger_at = 0.0
        """When a finger last touched the screen (the idle timer also counts other events)."""
        self.idle_overlay = None
        self._first_frame_callback = on_first_frame
        self._density = 1.0
        self.notifier = Notifier.from_environ()
        self.exit_code = 0
        self.data_folder = data_dir(settings)
        # started after the first frame: opening and checking the log can wait a moment
        self.event_log = EventLog(self.data_folder / LOG_FILE, start=False)
        self.recorder = SessionRecorder(self.event_log, settings.kiosk_name)
        from kiosk.packs.service import content_label

        self.recorder.content = content_label(settings)
        self.sender = None  # the xAPI sender, when this kiosk is in a network
        self.pack_message = ""  # why the last pack was refused, for staff
        self.modes = None
        self.large_text = settings.text_size == "large"
        self.visit = VisitState()
        self._code_book = None

    # --- building ---------------------------------------------------------------------

    def build(self) -> ScreenManager:
        self.title = "Oefenkiosk"
        # The staff settings page nests wrapping labels in rows in a scrolling column; each
        # pass of Kivy's layout settles one level, more than the default 20 in one frame.
        Clock.max_iteration = 60
        self.load_assets()
        self._density = density_for(*Window.size)
        Metrics.density = self._density
        root = ScreenManager(transition=InstantTransition())
        self.root = root
        self.screen("welcome")
        root.bind(current=self._on_screen_change)
        from kiosk.ui.modes import Modes

        self.modes = Modes(self)
        Window.bind(
            on_request_close=self._on_request_close,
            on_key_down=self._on_key_down,
            on_textinput=self._on_textinput,
            on_touch_down=self._on_touch_down,
            on_touch_move=lambda _w, touch: self.modes.touch_move(touch),
            on_touch_up=lambda _w, touch: self.modes.touch_up(touch),
            size=self._on_resize,
        )
        Window.clearcolor = (0.96, 0.95, 0.92, 1)
        Clock.schedule_interval(self._check_idle, 0.25)
        Window.bind(on_flip=self._first_flip)
        # SIGTERM (systemd) or Ctrl+C: the handler only takes note (kiosk/signals.py)
        self.stop_request.install()
        Clock.schedule_interval(self._stop_when_asked, 0.1)
        # `oefenkiosk reset` at a terminal: end and wipe the session at the next frame
        signal.signal(
            RESET_SIGNAL, lambda *_: Clock.schedule_once(lambda *_: self.reset_session("reset"), 0)
        )
        write_pid(self.data_folder)
        Clock.schedule_interval(lambda *_: self.keep_log_tidy(), RETENTION_EVERY)
        Clock.schedule_interval(lambda *_: self.check_for_packs(), 24 * 3600)
        if self.notifier.interval:
            # fed from the main loop: a frozen screen stops feeding and systemd restarts it
            Clock.schedule_interval(self.notifier.watchdog, self.notifier.interval)
        return root

    def _stop_when_asked(self, _dt: float) -> None:
        if self.stop_request.signal_name and not self._stopping:
            self._stopping = True
            log.info("stopping on signal %s", self.stop_request.signal_name)
            self.stop()

    def _pictograms(self) -> dict:
        """The kiosk's pictograms and those the content played now adds."""
        from kiosk.packs.service import content_folder
        from kiosk.scenario.pictograms import with_additions

        return with_additions(load_pictograms(), content_folder(self.settings))

    def load_assets(self) -> None:
        """Fonts and pictograms; without them the screens draw plain shapes, and staff are told."""
        fonts = assets_dir() / "fonts"
        self.icons_ok = register_fonts(fonts)
        self.pictograms = self._pictograms()
        missing = tuple(f"fonts/{name}" for name in missing_fonts(fonts))
        if not self.pictograms:
            log.warning("no pictograms: assets/%s is missing or unreadable", REGISTRY_FILE)
            missing = (REGISTRY_FILE, *missing)
        self.missing_assets = missing

    @property
    def library(self) -> Library:
        """The scenarios visitors see (staff can switch some off)."""
        full = self.full_library
        enabled = self.settings.enabled_scenarios
        if not enabled:
            return full
        shown = getattr(self, "_shown_library", None)
        if shown is None or shown[0] is not enabled or shown[1] is not full:
            self._shown_library = (enabled, full, full.only(enabled))
        return self._shown_library[2]

    @property
    def full_library(self) -> Library:
        """Every scenario that loads; empty until the worker thread has loaded them."""
        if self._library is None:
            self.load_library_in_background()
            return EMPTY_LIBRARY
        return self._library

    @library.setter
    def library(self, library: Library) -> None:
        self._library = library

    def load_library_in_background(self) -> None:
        """Load the scenarios on a worker thread: the screen keeps answering meanwhile."""
        if self._library is not None or self._library_loading:
            return
        self._library_loading = True
        threading.Thread(target=self._load_library_worker, name="scenarios", daemon=True).start()

    def _load_library_worker(self) -> None:
        library = load_or_empty(self._load_library)
        Clock.schedule_once(lambda *_: self._library_loaded(library), 0)

    def _library_loaded(self, library: Library) -> None:
        """On the UI thread: the scenarios are there; show them where they are missing."""
        self._library = library
        self._library_loading = False
        for problem in library.problems:
            log.warning("scenario problem: %s", problem)
        if library.broken_files:
            log.warning("skipped broken scenario files: %s", ", ".join(library.broken_files))
        log.info("%d scenarios loaded", len(library.scenarios))
        if self.root is not None and self.root.has_screen("catalogue"):
            self.screen("catalogue").refresh()

    @property
    def speaker(self) -> KioskSpeaker:
        """Speech and sounds; made just after the first frame (the worker starts then)."""
        if self._speaker is None:
            from kiosk.speech.service import SpeechService
            from kiosk.ui.audio import KioskSpeaker

            settings = self.settings
            folder = Path(settings.audio_cache_dir) if settings.audio_cache_dir else cache_dir()
            service = None
            if self.speech:
                from kiosk.packs.service import clips_folder

                service = SpeechService(folder / "speech", clips_folder(settings))
            self._speaker = KioskSpeaker(service, folder / "sounds")
            self._speaker.on_heard = self.on_heard
            self.reset_speaker()
        return self._speaker

    def reset_speaker(self) -> None:
        """The session's audio choices back to the kiosk's settings."""
        speaker = self.speaker
        speaker.stop()
        speaker.auto_read = self.settings.auto_read
        speaker.speed = self.settings.speech_speed
        speaker.sounds_on = self.settings.sounds
        speaker.volume = self.settings.volume / 100

    def on_stop(self) -> None:
        self.notifier.stopping()
        self.recorder.end("stopped")
        if self.sender is not None:
            self.sender.stop()
        if self._speaker is not None:
            self._speaker.shutdown()
        self.event_log.close()
        remove_pid(self.data_folder)

    def exit_to_desktop(self) -> None:
        """Staff leave the kiosk (only from staff mode)."""
        log.info("staff closed the kiosk")
        self.exit_code = EXIT_TO_DESKTOP
        self.stop()

    def keep_log_tidy(self) -> None:
        """Fold events older than the retention period into daily counts (writer thread)."""
        from kiosk.network.outbox import prune
        from kiosk.progress.codes import purge_expired
        from kiosk.progress.stats import fold

        days = self.settings.retention_days
        self.event_log.submit(lambda db: fold(db, days))
        self.event_log.submit(lambda db: prune(db, days))
        self.event_log.submit(purge_expired)  # oefencodes past their weeks

    def start_network(self) -> None:
        """Send finished sessions to the network's LRS in the background, when staff want it."""
        from kiosk.network.sender import Sender, xapi_settings

        if self.sender is not None:
            self.sender.stop(timeout=0)
        settings = xapi_settings(self.settings, self.data_folder)
        self.sender = Sender(self.event_log, settings) if settings.enabled else None
        if self.sender is not None:
            self.sender.start()

    def network_status(self) -> tuple[str, ...]:
        from kiosk.network.sender import read_state
        from kiosk.ui.staff_views import network_lines

        enabled = self.sender is not None
        state = read_state(self.event_log) if (enabled or self.settings.lrs_url) else None
        return network_lines(enabled, self.settings.lrs_url, state)

    def apply_settings(self, settings: Config) -> None:
        """Staff saved new settings: use them now, without a restart."""
        self.settings = settings
        self.idle.timeout = settings.idle_timeout
        self.recorder.kiosk = kiosk_id(settings.kiosk_name)
        if self._speaker is not None:
            self.reset_speaker()
        if self.root.has_screen("welcome"):
            self.screen("welcome").refresh_language()
        if self.root.has_screen("catalogue"):
            self.screen("catalogue").theme = ""
        self.keep_log_tidy()
        self.start_network()

    def staff_notices(self) -> list[str]:
        """What staff must know: the log, broken scenario files, missing assets, silence,
        no PINs."""
        from kiosk.ui.staff_views import staff_problems

        status, library, speaker = self.event_log.status, self.full_library, self._speaker
        audio = []
        if speaker is not None and speaker.audio_problem:
            audio.append(speaker.audio_problem)
        service = speaker.service if speaker is not None else None
        if service is not None and service.state == "off":
            audio.append("no-speech-engine")
        problems = staff_problems(
            log_problem="" if status.ok else status.problem,
            log_notices=self.event_log.notices,
            broken_files=library.broken_files,
            content_problems=library.problems,
            missing_assets=self.missing_assets,
            audio_problems=audio,
            damaged_clips=service.damaged_clips if service is not None else (),
        )
        notices = [problem.text for problem in problems]
        if self.modes is not None and "volunteer" in self.modes.pins.missing():
            notices.append("Er is nog geen pincode voor vrijwilligers (zie Pincodes).")
        return notices

    def toggle_large_text(self) -> None:
        self.large_text = not self.large_text

    def on_large_text(self, *_args) -> None:
        # Every text size in the kv rules is bound to Metrics.sp: the widgets that exist
        # grow in place, so nothing is built again and nothing is left behind.
        Metrics.fontscale = LARGE_TEXT_SCALE if self.large_text else 1.0

    def on_language(self, *_args) -> None:
        """Every visible text changes at once, without a restart."""
        self.recorder.set_language(self.language)
        if self.root is None:
            return
        screen = self.root.current_screen
        if screen is not None and hasattr(screen, "refresh_language"):
            screen.refresh_language()

    def _on_screen_change(self, *_args) -> None:
        if self._speaker is not None:
            self._speaker.stop()  # leaving a screen stops speech

    def show_screen(self, name: str) -> None:
        """Go to a screen, building it first if it is not there (yet, or since a rebuild)."""
        if name == "welcome":
            # a staged pack goes on here, between two visitors; not on a rebuild's way through
            self.switch_content()
        self.screen(name)
        self.root.current = name

    def screen(self, name: str):
        """A screen by name, built the first time it is needed."""
        if not self.root.has_screen(name):
            module_name, class_name = SCREENS[name]
            screen_class = getattr(importlib.import_module(module_name), class_name)
            self.root.add_widget(screen_class(name=name))
        return self.root.get_screen(name)

    def _first_flip(self, *_args) -> None:
        Window.unbind(on_flip=self._first_flip)
        log.info("welcome screen is up")
        self.notifier.ready()
        if self._first_frame_callback is not None:
            self._first_frame_callback()
        self.load_library_in_background()
        tasks = [
            self.event_log.start,
            lambda: self.speaker,
            *(lambda n=n: self.screen(n) for n in VISITOR_SCREENS),
            self.keep_log_tidy,
            self.start_network,
            self.check_for_packs,
            settle_memory,
            lambda: Clock.schedule_interval(lambda *_: gc.freeze(), FREEZE_EVERY_S),
        ]
        Clock.schedule_once(lambda *_: self._warm_up(tasks), 0.3)

    def _warm_up(self, tasks: list[Callable[[], object]]) -> None:
        """Build what the next screens need, one piece per frame, while the visitor looks."""
        if tasks:
            tasks[0]()
            Clock.schedule_once(lambda *_: self._warm_up(tasks[1:]), 0)

    # --- where the visitor goes --------------------------------------------------------------

    def go_welcome(self) -> None:
        self.show_screen("welcome")

    def switch_content(self) -> None:
        """A pack installed since the last visitor goes on here: never in the middle of one."""
        if self.settings.scenarios_dir:
            return
        from kiosk.packs.service import content_store

        try:
            switched = content_store(self.settings).activate_staged()
        except OSError as error:
            log.error("could not switch to the new content: %s", error)
            self.pack_message = f"Het nieuwe pakket kon niet aangezet worden: {error}"
            return
        if switched is not None:
            log.info("content %s is on", switched.label)
            self.content_switched()

    def content_switched(self) -> None:
        """Another content version is played from now on: load it, and say so in the log."""
        from kiosk.packs.service import content_label

        self.recorder.content = content_label(self.settings)
        self.pictograms = self._pictograms()
        if self._speaker is not None and self._speaker.service is not None:
            from kiosk.packs.service import clips_folder

            self._speaker.service.clips_folder = clips_folder(self.settings)
        if self._load_library is None:  # a kiosk started with a fixed library (tests, bench)
            from kiosk.packs.service import content_folder
            from kiosk.scenario.library import load_library

            self._load_library = lambda: load_library(content_folder(self.settings))
        self._library = None
        self._shown_library = None
        self.load_library_in_background()

    def check_for_packs(self) -> None:
        """The network's pack URL, once a day, in a thread: the screen never waits for it."""
        if not self.settings.pack_url or self.settings.scenarios_dir:
            return

        def check() -> None:
            from kiosk.packs.archive import PackError
            from kiosk.packs.service import install_from_url

            try:
                installed = install_from_url(self.settings)
                message = ""
                if installed is not None:
                    log.info("pack %s installed from %s", installed.label, self.settings.pack_url)
            except (PackError, OSError) as error:
                log.warning("pack from %s refused: %s", self.settings.pack_url, error)
                message = f"Nieuwe oefeningen niet geïnstalleerd: {error}"
            self.pack_message = message

        threading.Thread(target=check, name="oefenkiosk-packs", daemon=True).start()

    def begin_visit(self) -> None:
        """'Beginnen': the intake's questions when there are route rules, else the catalogue."""
        self.intake_answers = {}
        if self.library.route is None:
            self.go_catalogue()
            return
        self.recorder.begin(self.language)
        self.show_screen("intake")

    def answer_intake(self, answers: dict[str, str]) -> None:
        """The intake's answers so far; when none is left to ask, the catalogue with the route."""
        from kiosk.scenario.route import next_question

        self.intake_answers = answers
        if next_question(answers) is None:
            self.go_catalogue()
        else:
            self.screen("intake").refresh()

    def skip_intake(self) -> None:
        """'Overslaan': no route, the catalogue as it is without the intake."""
        self.intake_answers = {}
        self.go_catalogue()

    def route(self) -> tuple[str, ...]:
        """The exercises the intake's answers put first (none without answers)."""
        from kiosk.scenario.route import route_for

        if not self.intake_answers:
            return ()
        library = self.library
        return route_for(self.intake_answers, library.route, library)

    def go_catalogue(self, theme: str = "") -> None:
        self.recorder.begin(self.language)
        catalogue = self.screen("catalogue")
        catalogue.theme = theme
        self.show_screen("catalogue")
        catalogue.refresh()

    def start_practice(self, scenario_id: str) -> None:
        from kiosk.scenario.engine import ScenarioRun

        # any scenario that loads: a volunteer may pick one staff did not put in the catalogue
        scenario = self.full_library.scenario(scenario_id)
        persona = self.full_library.persona_for(scenario)
        # the engine has no clock: relative dates count from the day the kiosk is used
        self._practise(ScenarioRun(scenario, persona, datetime.date.today()))

    def _practise(self, run: ScenarioRun) -> None:
        self.run_state = run
        scenario_id = run.scenario.id
        practice = self.screen("practice")
        self.show_screen("practice")
        self.recorder.started(scenario_id)
        self.visit.started(scenario_id, run.step_id)
        practice.start(self.run_state)
        log.info("scenario started: %s", scenario_id)
        if self.modes is not None:
            self.modes.refresh_volunteer()

    def resume_practice(self) -> None:
        """Back in the exercise a returning visitor left, at the step where they stopped."""
        from kiosk.scenario.resume import resumed_run

        progress = self.visit.progress
        library = self.full_library
        if progress.stopped_in not in {s.id for s in library.scenarios}:
            self.go_catalogue()
            return
        scenario = library.scenario(progress.stopped_in)
        persona = library.persona_for(scenario)
        today = datetime.date.today()
        self._practise(resumed_run(scenario, persona, progress.stopped_at, today))

    def on_outcome(self, outcome: Outcome) -> None:
        """Every engine outcome passes here: sounds, and the anonymous practice log."""
        log.debug("outcome %s on %s/%s", outcome.result, outcome.step_id, outcome.target)
        self.recorder.outcome(outcome)
        if self.run_state is not None:
            self.visit.moved(self.run_state.scenario.id, self.run_state.step_id, outcome.finished)
        if outcome.finished and self.run_state is not None:
            self.recorder.finished(self.run_state.summary())
        if outcome.result == "correct":
            self.speaker.play_effect("correct")
        elif outcome.result in ("wrong", "refused"):
            self.speaker.play_effect("try-again")
        if self.modes is not None:
            self.modes.refresh_volunteer()

    def on_help(self, step_id: str, show_me: bool) -> None:
        """The visitor asked for a hint or 'show me'."""
        self.recorder.hint(step_id, show_me)
        if self.modes is not None:
            self.modes.refresh_volunteer()

    def on_heard(self, language: str) -> None:
        """The visitor tapped a speaker."""
        step = self.run_state.step_id if self.run_state and not self.run_state.finished else None
        self.recorder.audio(step, language)

    def volunteer_skip(self) -> None:
        if self.run_state is not None and not self.run_state.finished:
            self.screen("practice").apply(self.run_state.skip())

    def volunteer_restart(self) -> None:
        if self.run_state is not None:
            self.start_practice(self.run_state.scenario.id)

    def show_finished(self) -> None:
        from kiosk.ui.presenters import finished_facts

        practice = self.screen("practice")
        finished = self.screen("finished")
        finished.show(finished_facts(self.run_state, practice.last_explain))
        self.show_screen("finished")

    def practise_again(self) -> None:
        self.start_practice(self.run_state.scenario.id)

    def _theme_to_return_to(self) -> str:
        """The theme page a finished or left exercise came from; the route's are on top."""
        run = self.run_state
        if run is None or run.scenario.id in self.route():
            return ""
        return run.scenario.theme

    def choose_other(self) -> None:
        theme = self._theme_to_return_to()
        self._forget_run()
        self.go_catalogue(theme)

    def leave_practice(self) -> None:
        theme = self._theme_to_return_to()
        self.recorder.left("back", self._current_step())
        self.screen("practice").wipe()
        self._forget_run()
        self.go_catalogue(theme)

    def _forget_run(self) -> None:
        if self.run_state is not None:
            self.run_state.wipe()
        self.run_state = None

    def _current_step(self) -> str | None:
        run = self.run_state
        return run.step_id if run is not None and not run.finished else None

    # --- a visit as a whole: the oefencode and the oefenbewijs ---------------------------------

    @property
    def code_book(self) -> CodeBook:
        if self._code_book is None:
            self._code_book = CodeBook(self.event_log.run_locked)
        return self._code_book

    def go_resume(self) -> None:
        self.show_screen("resume")

    def resume_with_code(self, digits: str) -> None:
        """The visitor typed an oefencode: bring back what it holds, or say why not."""
        from kiosk.ui.visit_views import look_up_message

        result = self.code_book.look_up(digits, time.time())
        if result.status != "found" or result.progress is None:
            self.screen("resume").say(look_up_message(result, self.language))
            return
        self.visit.came_back(digits, result.progress)
        log.info("a visitor came back with an oefencode")
        self.go_catalogue()
        if self.modes is not None:
            self.modes.refresh_volunteer()

    def show_goodbye(self) -> None:
        """The end of a visit: the oefencode (saved now), the way to the oefenbewijs."""
        from kiosk.certificate.qr import qr_png
        from kiosk.progress.codes import CodeUnavailable
        from kiosk.ui.visit_views import code_qr_text, goodbye_view

        if self.run_state is not None and not self.run_state.finished:
            self.visit.moved(self.run_state.scenario.id, self.run_state.step_id, False)
        weeks = self.settings.resume_code_weeks
        problem = False
        if not self.visit.progress.empty and self.visit.unsaved:
            try:
                code = self.code_book.save(
                    self.visit.progress, time.time(), weeks, code=self.visit.code
                )
                self.visit.saved(code)
            except CodeUnavailable as error:
                log.error("oefencode not saved: %s", error)
                problem = True
        code = self.visit.code
        view = goodbye_view(code, not self.visit.progress.empty, weeks, self.language, problem)
        png = qr_png(code_qr_text(code, self.settings.kiosk_name)) if view.code else None
        self.screen("goodbye").show(view, png)
        self.show_screen("goodbye")

    def certificate(self, name: str = ""):
        from kiosk.certificate.model import certificate_for

        return certificate_for(
            self.full_library,
            self.visit.progress.finished,
            self.visit.practised,
            self.language,
            datetime.date.today(),
            self.settings.kiosk_name,
            self.settings.referral_text,
        )

    def show_certificate(self, keep_name: bool = False) -> None:
        """The oefenbewijs on screen; whether a printer is there is asked off the UI thread."""
        from kiosk.certificate.qr import certificate_text, qr_png
        from kiosk.ui.visit_views import certificate_view

        cert = self.certificate()
        screen = self.screen("certificate")
        name = screen.visitor_name if keep_name else ""
        png = qr_png(certificate_text(cert))
        screen.show(certificate_view(cert, self.language), screen.printer, png)
        self.show_screen("certificate")
        screen.visitor_name = name
        threading.Thread(target=self._find_printer, name="oefenkiosk-printer", daemon=True).start()

    def _find_printer(self) -> None:
        from kiosk.certificate.printing import available_printer

        printer = available_printer(self.settings.printer) or ""

        def show(*_args) -> None:
            if self.root.has_screen("certificate"):
                self.screen("certificate").printer = printer

        Clock.schedule_once(show, 0)

    def print_certificate(self, name: str) -> None:
        """On paper, with the name typed for it: the name goes to the printer, nowhere else."""
        import dataclasses

        screen = self.screen("certificate")
        cert = dataclasses.replace(self.certificate(), name=name.strip())
        printer, lang = screen.printer, self.language
        screen.busy = True

        def work() -> None:
            words = printed_words(cert, printer, lang)

            def done(*_args) -> None:
                screen.busy = False
                screen.say(words)

            Clock.schedule_once(done, 0)

        threading.Thread(target=work, name="oefenkiosk-print", daemon=True).start()

    def save_certificate(self) -> None:
        """No printer: a copy without a name, kept for staff to print; the visitor gets its
        number."""
        self.screen("certificate").say(
            saved_words(self.certificate(), self.data_folder, time.time(), self.language)
        )

    def end_session(self) -> None:
        """Idle: wipe every trace of the visitor and show the welcome screen."""
        self.reset_session("idle")

    def reset_session(self, reason: str) -> None:
        """End the session (idle, or staff's reset): wipe every trace, back to welcome."""
        self.recorder.end(reason, self._current_step())
        if self.sender is not None:
            self.sender.wake()  # the session is over: its statements can go
        if self.modes is not None:
            self.modes.close_volunteer(reason)
        self.reset_speaker()
        self._close_popups()
        for screen in self.root.screens:
            if hasattr(screen, "wipe"):  # practice, finished: nothing of the run is redrawn
                screen.wipe()
        self._forget_run()
        self.visit = VisitState()  # the oefencode, what it brought back, what was practised
        self.intake_answers = {}
        if self.root.has_screen("catalogue"):
            self.screen("catalogue").theme = ""
        self.language = "nl"
        self.large_text = self.settings.text_size == "large"
        if not (reason == "reset" and self.root.current == "staff"):
            self.go_welcome()  # also closes a staff screen left open
        self.idle.touch(time.monotonic())
        # the session's garbage goes now, between visitors, not in a pause while someone
        # taps; what is left is frozen, so the collections during the next session only
        # walk what that session makes
        wiped_at = time.monotonic()
        Clock.schedule_once(lambda *_: self._settle_between_visitors(wiped_at), SETTLE_AFTER_WIPE_S)
        log.info("session ended: %s", reason)

    def _settle_between_visitors(self, wiped_at: float) -> None:
        # a visitor who began right after the wipe is not kept waiting by the tidy-up (a
        # second on a Pi): what that session leaves is tidied after the next wipe
        if self._finger_at > wiped_at:
            log.info("memory not tidied: a visitor began right after the wipe")
            return
        settle_memory()

    def _close_popups(self) -> None:
        for child in list(Window.children):
            if isinstance(child, ModalView):
                child.dismiss(animation=False)
            elif isinstance(child, DropDown):
                child.dismiss()
        if self.idle_overlay is not None:
            self.idle_overlay.dismiss(animation=False)
            self.idle_overlay = None

    # --- idle ----------------------------------------------------------------------------

    def _on_activity(self, *_args) -> None:
        self.idle.touch(time.monotonic())

    def _on_touch_down(self, _window, touch) -> None:
        self._finger_at = time.monotonic()
        self._on_activity()
        if self.modes is not None:
            self.modes.touch_down(touch)

    def _check_idle(self, *_args) -> None:
        now = time.monotonic()
        if self.root.current == "welcome":
            self.idle.touch(now)  # nothing to protect on the attract screen
        state = self.idle.state(now)
        if state.phase == "active":
            if self.idle_overlay is not None:
                self.idle_overlay.dismiss(animation=False)
                self.idle_overlay = None
        elif state.phase == "warning":
            if self.idle_overlay is None:
                self._open_idle_overlay()
            self.idle_overlay.seconds_left = state.seconds_left
        else:
            self.end_session()

    def _open_idle_overlay(self) -> None:
        from kiosk.ui.screens.idle import IdleOverlay

        overlay = IdleOverlay()
        overlay.fill(self.language)
        overlay.bind(on_still_here=lambda *_: self._on_activity())
        overlay.open(animation=False)
        self.idle_overlay = overlay
        question = overlay.words
        heard = question.help if question.help and self.speaker.can_speak(self.language) else None
        self.speaker.say("idle", heard or question.nl, self.language if heard else "nl")
        log.info("idle: asking 'Bent u er nog?'")

    # --- keys and the window ---------------------------------------------------------------

    def _on_request_close(self, *_args, **_kwargs) -> bool:
        # Only a developer's window may be closed; the kiosk is left through staff mode.
        return not self.windowed

    def _on_key_down(self, _window, key: int, _scancode, _codepoint, _modifiers) -> bool:
        self._on_activity()
        if key == KEY_ESCAPE:
            return True
        if self.root.current != "practice":
            return False
        practice = self.screen("practice")
        if key == KEY_BACKSPACE:
            practice.backspace()
            return True
        if key in (KEY_ENTER, KEY_KP_ENTER):
            practice.submit_typing()
            return True
        return False

    def _on_textinput(self, _window, text: str) -> None:
        if self.root.current == "practice":
            self.screen("practice").type_text(text)

    def _on_resize(self, _window, size) -> None:
        density = density_for(*size)
        if density != self._density:
            Clock.unschedule(self._rebuild)
            Clock.schedule_once(self._rebuild, 0.1)

    def _rebuild(self, *_args) -> None:
        """A new density (the window was resized): build the screens again, keep the session."""
        self._density = density_for(*Window.size)
        Metrics.density = self._density
        current = self.root.current
        finished_state = None
        if current == "finished":
            finished_state = self.screen("practice").last_explain
        theme = self.screen("catalogue").theme
        staff_page = self.screen("staff").page if current == "staff" else ""
        panel = self.modes.volunteer if self.modes is not None else None
        volunteer_tab = panel.tab if panel is not None else ""
        self._close_popups()
        old_screens = list(self.root.screens)
        self.root.clear_widgets()
        release_widgets(old_screens)
        gc.unfreeze()  # the old screens may have been frozen with the start-up objects
        Clock.schedule_once(lambda *_: settle_memory(), SETTLE_AFTER_WIPE_S)
        self.screen(current)
        if volunteer_tab:  # the panel's sizes were fixed at the old density too
            self.modes.close_volunteer("resized")
            self.modes.open_volunteer()
            self.modes.volunteer.show_tab(volunteer_tab)
        if current == "staff":
            staff = self.screen("staff")
            staff.open(first_run="staff" in self.modes.pins.missing())
            staff.show_page(staff_page)
        elif current == "practice" and self.run_state is not None:
            self.screen("practice").run = self.run_state
            self.screen("practice").render()
        elif current == "finished" and self.run_state is not None:
            self.screen("practice").last_explain = finished_state
            self.show_finished()
        elif current == "catalogue":
            self.screen("catalogue").theme = theme
        self.show_screen(current)
        # the last switch's outgoing screen would be an old one, and keep it alive
        self.root.transition.screen_out = self.root.current_screen
        # the visitor's next screens are ready before they are needed, one per frame
        # not frozen again: an old screen still held for a moment by a pending callback
        # would stay frozen, and alive, until the next rebuild
        tasks = [lambda n=n: self.screen(n) for n in VISITOR_SCREENS]
        Clock.schedule_once(lambda *_: self._warm_up(tasks), 0)
