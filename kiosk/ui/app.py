"""The kiosk application: screens, the kiosk window, the idle timer, keys.

Import this only after `launch.configure_kivy` has run: the window is created
when Kivy's window module is imported.
"""

from __future__ import annotations

import gc
import importlib
import logging
import signal
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
from kiosk.paths import assets_dir
from kiosk.progress.recorder import SessionRecorder, kiosk_id
from kiosk.progress.store import LOG_FILE, EventLog
from kiosk.scenario.pictograms import load_pictograms
from kiosk.ui.fonts import register_fonts
from kiosk.ui.idle import IdleTimer
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
    "catalogue": ("kiosk.ui.screens.catalogue", "CatalogueScreen"),
    "practice": ("kiosk.ui.screens.practice", "PracticeScreen"),
    "finished": ("kiosk.ui.screens.finished", "FinishedScreen"),
    "staff": ("kiosk.ui.screens.staff", "StaffScreen"),
}
VISITOR_SCREENS = ("welcome", "catalogue", "practice", "finished")
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
    """After start-up (or new screens): collect, then freeze what is left.

    Frozen objects are skipped by every later collection, so the full collections
    during a session only walk what the session made: pauses of a few milliseconds
    instead of a scan of every widget and kv rule.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


LARGE_TEXT_SCALE = 1.25
"""'Grote letters': every text a quarter larger (Kivy's font scale)."""


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
        self.settings = settings
        self._library = None if callable(library) else library
        self._load_library = library if callable(library) else None
        self.windowed = windowed
        self.speech = speech
        self._speaker: KioskSpeaker | None = None
        self.pictograms: dict = {}
        self.icons_ok = False
        self.run_state: ScenarioRun | None = None
        self.idle = IdleTimer(settings.idle_timeout, settings.idle_countdown, time.monotonic())
        self.idle_overlay = None
        self._first_frame_callback = on_first_frame
        self._density = 1.0
        self.notifier = Notifier.from_environ()
        self.exit_code = 0
        self.data_folder = data_dir(settings)
        # started after the first frame: opening and checking the log can wait a moment
        self.event_log = EventLog(self.data_folder / LOG_FILE, start=False)
        self.recorder = SessionRecorder(self.event_log, settings.kiosk_name)
        self.modes = None
        self.large_text = settings.text_size == "large"

    # --- building ---------------------------------------------------------------------

    def build(self) -> ScreenManager:
        self.title = "Oefenkiosk"
        # The staff settings page nests wrapping labels in rows in a scrolling column; each
        # pass of Kivy's layout settles one level, more than the default 20 in one frame.
        Clock.max_iteration = 60
        self.icons_ok = register_fonts(assets_dir() / "fonts")
        self.pictograms = load_pictograms()
        if not self.pictograms:
            log.warning("no pictograms: assets/pictograms.yaml is missing or unreadable")
        self._density = density_for(*Window.size)
        Metrics.density = self._density
        root = ScreenManager(transition=NoTransition())
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
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signal_number, self._on_signal)
        # `oefenkiosk reset` at a terminal: end and wipe the session at the next frame
        signal.signal(
            RESET_SIGNAL, lambda *_: Clock.schedule_once(lambda *_: self.reset_session("reset"), 0)
        )
        write_pid(self.data_folder)
        Clock.schedule_interval(lambda *_: self.keep_log_tidy(), RETENTION_EVERY)
        if self.notifier.interval:
            # fed from the main loop: a frozen screen stops feeding and systemd restarts it
            Clock.schedule_interval(self.notifier.watchdog, self.notifier.interval)
        return root

    def _on_signal(self, signal_number: int, _frame) -> None:
        """SIGTERM (systemd) or Ctrl+C: stop cleanly at the next frame."""
        log.info("stopping on signal %s", signal.Signals(signal_number).name)
        Clock.schedule_once(lambda *_: self.stop(), 0)

    @property
    def library(self) -> Library:
        """The scenarios visitors see (staff can switch some off)."""
        full = self.full_library
        enabled = self.settings.enabled_scenarios
        if not enabled:
            return full
        if getattr(self, "_shown_library", (None, None))[0] is not enabled:
            self._shown_library = (enabled, full.only(enabled))
        return self._shown_library[1]

    @property
    def full_library(self) -> Library:
        """Every scenario that loads; loaded on first use, or just after the first frame."""
        if self._library is None:
            self._library = self._load_library()
            for problem in self._library.problems:
                log.warning("scenario problem: %s", problem)
            if self._library.broken_files:
                log.warning(
                    "skipped broken scenario files: %s", ", ".join(self._library.broken_files)
                )
        return self._library

    @library.setter
    def library(self, library: Library) -> None:
        self._library = library

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
                service = SpeechService(folder / "speech", assets_dir() / "audio")
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
        from kiosk.progress.stats import fold

        days = self.settings.retention_days
        self.event_log.submit(lambda db: fold(db, days))

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

    def staff_notices(self) -> list[str]:
        """What staff must know: the log not saving, a damaged log moved aside, no PINs."""
        notices = []
        if not self.event_log.status.ok:
            notices.append(f"Let op: {self.event_log.status.problem}.")
        notices.extend(self.event_log.notices)
        if self.modes is not None and "volunteer" in self.modes.pins.missing():
            notices.append("Er is nog geen pincode voor vrijwilligers (zie Pincodes).")
        return notices

    def toggle_large_text(self) -> None:
        self.large_text = not self.large_text

    def on_large_text(self, *_args) -> None:
        Metrics.fontscale = LARGE_TEXT_SCALE if self.large_text else 1.0
        if self.root is not None:
            self._rebuild()  # sizes in sp are fixed when a widget is built

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
        tasks = [
            self.event_log.start,
            lambda: self.library,
            lambda: self.speaker,
            *(lambda n=n: self.screen(n) for n in VISITOR_SCREENS),
            self.keep_log_tidy,
            settle_memory,
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
        self.run_state = ScenarioRun(scenario, self.full_library.persona_for(scenario))
        practice = self.screen("practice")
        self.show_screen("practice")
        self.recorder.started(scenario_id)
        practice.start(self.run_state)
        log.info("scenario started: %s", scenario_id)
        if self.modes is not None:
            self.modes.refresh_volunteer()

    def on_outcome(self, outcome: Outcome) -> None:
        """Every engine outcome passes here: sounds, and the anonymous practice log."""
        log.debug("outcome %s on %s/%s", outcome.result, outcome.step_id, outcome.target)
        self.recorder.outcome(outcome)
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
        from kiosk.ui.presenters import finished_view

        practice = self.screen("practice")
        finished = self.screen("finished")
        finished.show(finished_view(self.run_state, self.language, practice.last_explain))
        self.show_screen("finished")

    def practise_again(self) -> None:
        self.start_practice(self.run_state.scenario.id)

    def choose_other(self) -> None:
        theme = self.run_state.scenario.theme if self.run_state else ""
        self._forget_run()
        self.go_catalogue(theme)

    def leave_practice(self) -> None:
        theme = self.run_state.scenario.theme if self.run_state else ""
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

    def end_session(self) -> None:
        """Idle: wipe every trace of the visitor and show the welcome screen."""
        self.reset_session("idle")

    def reset_session(self, reason: str) -> None:
        """End the session (idle, or staff's reset): wipe every trace, back to welcome."""
        self.recorder.end(reason, self._current_step())
        if self.modes is not None:
            self.modes.close_volunteer(reason)
        self.reset_speaker()
        self._close_popups()
        if self.root.has_screen("practice"):
            self.screen("practice").wipe()
        self._forget_run()
        if self.root.has_screen("catalogue"):
            self.screen("catalogue").theme = ""
        self.language = "nl"
        self.large_text = self.settings.text_size == "large"
        if not (reason == "reset" and self.root.current == "staff"):
            self.go_welcome()  # also closes a staff screen left open
        self.idle.touch(time.monotonic())
        # the session's garbage goes now, between visitors, not in a pause while someone taps
        Clock.schedule_once(lambda *_: gc.collect(), 0.5)
        log.info("session ended: %s", reason)

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
