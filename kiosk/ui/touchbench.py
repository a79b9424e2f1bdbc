"""Touch benchmarks for `oefenkiosk bench`: the real kiosk driven by touches, in one process.

    python -m kiosk.ui.touchbench interaction   step, screen and feedback latencies
    python -m kiosk.ui.touchbench soak N        N sessions; PSS and the longest frame per 50

Each prints JSON lines on stdout. Run under a display (kiosk.bench starts Xvfb).
Latencies are measured from the touch reaching the kiosk to the end of the first
frame drawn after it (the buffer swap), the way a visitor sees it.
"""

from __future__ import annotations

import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.heap import heap_kib
from kiosk.ui.probe import pss_by_kind_kib, pss_kib

FRAME_WARN_MS = 100.0
LANGUAGES = ("nl", "ar", "en", "ti", "uk", "prs", "tr", "so")


@dataclass(frozen=True)
class Latency:
    wall: float
    """ms on the clock: what a visitor waits"""
    cpu: float
    """ms of the UI thread's own CPU time: the work, without waiting for a busy machine"""


class Driver:
    """Touches and frames on the running kiosk, with a clock on every frame."""

    def __init__(self, app) -> None:
        from kivy.base import EventLoop
        from kivy.core.window import Window

        self.app = app
        self.loop = EventLoop
        self.window = Window
        self.longest_frame_ms = 0.0
        self.lost_taps = 0
        self.stuck = 0
        self.gc_pauses_ms: list[float] = []
        """Full collections while a visitor is there."""
        self.settle_pauses_ms: list[float] = []
        """Full collections between visitors (the kiosk tidying up after a wipe)."""
        self.between_visitors = False
        self.measuring = False
        """The benchmark's own counting (its collections are not the kiosk's)."""
        self.doing = ""
        """What the visitor is doing (for the soak's report of the longest frame)."""
        self.longest_frame_doing = ""
        self._gc_started = 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict) -> None:
        if self.measuring:
            return
        if phase == "start":
            self._gc_started = time.perf_counter()
        elif info.get("generation") == 2:
            pauses = self.settle_pauses_ms if self.between_visitors else self.gc_pauses_ms
            pauses.append((time.perf_counter() - self._gc_started) * 1000)

    def frame(self) -> float:
        """Run one frame; returns the time it ended (after the buffer swap)."""
        started = time.perf_counter()
        self.loop.idle()
        ended = time.perf_counter()
        took = (ended - started) * 1000
        if not self.between_visitors and took > self.longest_frame_ms:
            self.longest_frame_ms, self.longest_frame_doing = took, self.doing
        return ended

    def frames(self, count: int) -> None:
        for _ in range(count):
            self.frame()

    def wait(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.frame()

    def tap(self, widget, at: tuple[float, float] | None = None) -> tuple[Latency, Latency]:
        """A finger on `widget`: the latency from touch-down and from touch-up, each to
        the end of the next frame."""
        from kivy.tests.common import UnitTestTouch

        self._settle()
        self._into_view(widget)
        x, y = at if at is not None else widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        down = self._timed(touch.touch_down)
        up = self._timed(touch.touch_up)
        if up.wall > self.longest_frame_ms:
            self.longest_frame_ms, self.longest_frame_doing = up.wall, self.doing
        return down, up

    def _settle(self, limit: float = 2.0) -> None:
        """A visitor taps once a screen change is over: the screen manager ignores touches
        until then."""
        end = time.monotonic() + limit
        while self.app.root.transition.is_active and time.monotonic() < end:
            self.frame()

    def _timed(self, event) -> Latency:
        started, cpu = time.perf_counter(), time.thread_time()
        event()
        ended = self.frame()
        return Latency((ended - started) * 1000, (time.thread_time() - cpu) * 1000)

    def _into_view(self, widget) -> None:
        """Swipe the pane that holds `widget` until its middle can be touched, as a
        visitor does (a scroll set in code is undone by the pane's scroll effect)."""
        from kivy.tests.common import UnitTestTouch

        from kiosk.ui.widgets.common import scroll_parent

        pane = scroll_parent(widget)
        if pane is None:
            return
        self.frames(2)  # a list just filled is laid out first: a visitor sees it whole
        for _ in range(40):
            _, wy = widget.to_window(*widget.center)
            px, py = pane.to_window(*pane.center)
            bottom, top = py - pane.height / 2 + 10, py + pane.height / 2 - 10
            if bottom <= wy <= top:
                return
            step = min(pane.height / 3, 120) * (1 if wy < bottom else -1)
            touch = UnitTestTouch(px, py)
            touch.touch_down()
            for i in range(1, 6):  # the whole swipe between two frames: no tap underneath
                touch.touch_move(px, py + step * i / 5)
            touch.touch_up()
            pane.effect_y.velocity = 0  # a finger that stops before it lifts: no fling
            self.frames(3)
        raise LookupError(f"could not swipe {type(widget).__name__} into view")

    def type_text(self, text: str) -> None:
        """Characters from a physical keyboard (quick; the field itself is tapped)."""
        for character in text:
            self.window.dispatch("on_textinput", character)
        self.frame()

    def find(self, class_name: str, **attrs):
        for child in list(self.window.children):
            for widget in child.walk(restrict=True):
                if type(widget).__name__ == class_name and all(
                    getattr(widget, k, None) == v for k, v in attrs.items()
                ):
                    return widget
        raise LookupError(f"no {class_name} with {attrs} on {self.app.root.current}")


def start_kiosk(size: tuple[int, int]):
    """The kiosk in a window on the current display, as the UI tests run it."""
    os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-home-"))
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from kiosk.ui.launch import WindowOptions, configure_kivy

    configure_kivy(WindowOptions(windowed=True, size=size))
    from kiosk.config import load_config
    from kiosk.paths import scenarios_dir
    from kiosk.scenario.library import load_library
    from kiosk.ui.app import KioskApp

    settings = load_config(
        Path("/nonexistent/config.toml"),
        environ={
            "OEFENKIOSK_AUDIO_CACHE_DIR": tempfile.mkdtemp(prefix="kiosk-audio-"),
            "OEFENKIOSK_DATA_DIR": tempfile.mkdtemp(prefix="kiosk-data-"),
        },
    )
    app = KioskApp(settings, load_library(scenarios_dir()), windowed=True)
    app._run_prepare()
    driver = Driver(app)
    driver.wait(1.5)  # the first frame and the warm-up after it
    return app, driver


# --- playing by touch -------------------------------------------------------------------


class Timings:
    def __init__(self) -> None:
        self.samples: dict[str, list[Latency]] = {}

    def add(self, name: str, latency: Latency) -> None:
        self.samples.setdefault(name, []).append(latency)


def open_scenario(driver: Driver, scenario, timings: Timings | None = None) -> None:
    screen = driver.app.root.get_screen
    start = screen("welcome").ids.start
    _, ms = driver.tap(start)
    if driver.app.root.current == "welcome":  # seen after an idle wipe: counted, tapped again
        driver.lost_taps += 1
        driver.wait(0.5)
        _, ms = driver.tap(start)
    if driver.app.root.current == "intake":  # the intake's questions: skipped
        _record(timings, "screen", ms)
        _, ms = driver.tap(screen("intake").ids.skip)
    _record(timings, "screen", ms)
    _, ms = driver.tap(driver.find("ThemeTileButton", theme_id=scenario.theme))
    _record(timings, "screen", ms)
    _, ms = driver.tap(driver.find("ScenarioButton", scenario_id=scenario.id))
    if driver.app.root.current == "catalogue":  # a long list still settling: counted, again
        driver.lost_taps += 1
        driver.wait(0.5)
        _, ms = driver.tap(driver.find("ScenarioButton", scenario_id=scenario.id))
    _record(timings, "open", ms)
    assert driver.app.root.current == "practice", f"{scenario.id}: {driver.app.root.current}"


def _record(timings: Timings | None, name: str, ms: Latency) -> None:
    if timings is not None:
        timings.add(name, ms)


def perform(driver: Driver, action, timings: Timings | None = None) -> None:
    """One engine action the way a visitor does it: by touch (typing on a keyboard)."""
    from kiosk.scenario.engine import Answer, Choose, Tap, Type

    practice = driver.app.root.get_screen("practice")
    targets = practice._targets
    before = practice.run.step_id if practice.run is not None else None
    if isinstance(action, Type):
        box = targets[action.field].ids.box
        down, _ = driver.tap(box)
        _record(timings, "feedback", down)
        for _ in range(len(box.shown)):
            driver.window.dispatch("on_key_down", 8, 0, None, [])
        driver.type_text(action.text)
        keyboard = practice.keyboard
        if keyboard.parent is not None:
            down, up = driver.tap(keyboard.key_for("{done}"))
            _record(timings, "feedback", down)
            _record(timings, "step" if _moved(practice, before) else "same", up)
        return
    if isinstance(action, Tap):
        widget = targets[action.element]
        at = _ref_point(widget, action.element) if type(widget).__name__ == "ElSms" else None
        down, up = driver.tap(widget, at)
    elif isinstance(action, Choose):
        group = targets[action.field]
        run = practice.run
        from kiosk.scenario.engine import container_of

        element = container_of(run.scenario, run.step, action.field)[1]
        option = next(o for o in element.options if o.id == action.option)
        rows = [w for w in group.walk() if type(w).__name__ in ("OptionRow", "SelectBox")]
        if type(rows[0]).__name__ == "SelectBox":
            driver.tap(rows[0])
            down, up = driver.tap(driver.find("SelectRow", text=option.text))
        else:
            down, up = driver.tap(next(r for r in rows if r.text == option.text))
    elif isinstance(action, Answer):
        down, up = driver.tap(targets[action.option])
    else:
        raise TypeError(action)
    _record(timings, "feedback", down)
    if driver.app.root.current == "finished":
        _record(timings, "screen", up)
    else:
        _record(timings, "step" if _moved(practice, before) else "same", up)


def _moved(practice, before) -> bool:
    return practice.run is not None and not practice.run.finished and practice.run.step_id != before


def _ref_point(widget, ref: str):
    label = widget.ids.text
    if ref not in label.refs:
        return None
    x1, y1, x2, y2 = label.refs[ref][0]
    tx = label.center_x - label.texture_size[0] / 2
    ty = label.center_y + label.texture_size[1] / 2
    return label.to_window(tx + (x1 + x2) / 2, ty - (y1 + y2) / 2)


def wrong_action(run):
    """An action the step's first 'wrong' rule catches, when there is one."""
    from kiosk.scenario.solve import example_action

    step = run.step
    if not step.wrong:
        return None
    try:
        return example_action(run.scenario, run.persona, step, len(step.branches) + 1)
    except Exception:  # a rule with no example a touch can make
        return None


def between_visitors(driver: Driver) -> None:
    """The time between one visitor's wipe and the next visitor's first tap, in which
    the kiosk tidies its memory (a few seconds at least, in a library)."""
    from kiosk.ui.app import SETTLE_AFTER_WIPE_S

    driver.between_visitors = True
    driver.wait(SETTLE_AFTER_WIPE_S + 0.5)
    driver.between_visitors = False


def choose_language(driver: Driver, code: str) -> None:
    screen = driver.app.root.current_screen
    for _ in range(2):  # a tap while a popup was still closing: the visitor taps again
        driver.tap(screen.ids.language)
        ended = time.monotonic() + 2.0  # the picker opens and lays out its buttons
        while time.monotonic() < ended:
            driver.frame()
            try:
                button = driver.find("LanguageButton", code=code)
            except LookupError:
                continue
            driver.tap(button)
            driver.frames(2)
            return
    raise LookupError(f"the language picker did not open on {driver.app.root.current}")


def hide_keyboard(driver: Driver) -> None:
    keyboard = driver.app.root.get_screen("practice").keyboard
    if keyboard.parent is not None:
        driver.tap(keyboard.key_for("{hide}"))


# --- the interaction benchmark ----------------------------------------------------------


def interaction(size: tuple[int, int], rounds: int) -> dict:
    """Every scenario played to the end by touch, `rounds` times; latencies in ms."""
    from kiosk.scenario.solve import solve

    app, driver = start_kiosk(size)
    app.speaker.auto_read = False  # speech runs in its own process; keep the figure stable
    timings = Timings()
    scenarios = list(app.library.scenarios)
    for _ in range(rounds):
        for scenario in scenarios:
            open_scenario(driver, scenario, timings)
            run = app.run_state
            for move in solve(run.scenario, run.persona, run.today):
                perform(driver, move.action, timings)
            if app.root.current == "finished":
                _, ms = driver.tap(app.root.get_screen("finished").ids.other)
                timings.add("screen", ms)
            app.end_session()
            between_visitors(driver)
    for name, latency in floor(driver):
        timings.add(name, latency)
    app.stop()
    return {
        name: {
            "wall": _summary([v.wall for v in values]),
            "cpu": _summary([v.cpu for v in values]),
        }
        for name, values in timings.samples.items()
    }


def floor(driver: Driver, frames: int = 60):
    """What a frame costs before the kiosk does anything: one with nothing to draw, and
    one that draws the whole screen again unchanged (every visible change costs that)."""
    for name in ("idle frame", "redraw"):
        for _ in range(frames):
            started, cpu = time.perf_counter(), time.thread_time()
            if name == "redraw":
                driver.window.canvas.ask_update()
            ended = driver.frame()
            yield name, Latency((ended - started) * 1000, (time.thread_time() - cpu) * 1000)


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "n": len(values),
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "max": ordered[-1],
    }


# --- the soak benchmark -----------------------------------------------------------------


def soak(sessions: int, size: tuple[int, int], every: int = 50) -> None:
    """Play `sessions` visitor sessions over every scenario by touch; report every `every`."""
    from kiosk.scenario.solve import example_action, solve

    app, driver = start_kiosk(size)
    app.speaker.auto_read = False
    rng = random.Random(13)
    scenarios = list(app.library.scenarios)
    started = time.monotonic()
    pss_samples: list[float] = []
    for number in range(1, sessions + 1):
        scenario = scenarios[(number - 1) % len(scenarios)]
        if number % 3 == 0:  # a visitor who chooses a language on the welcome screen
            driver.tap(driver.find("LanguageButton", code=rng.choice(LANGUAGES[1:])))
        driver.doing = "opening an exercise"
        open_scenario(driver, scenario)
        run = app.run_state
        planned = len(solve(run.scenario, run.persona, run.today))
        wipe_at = rng.randrange(planned) if number % 5 == 0 else None
        # the next right action is found from the step the visitor is on: a wrong action
        # may have led to a detour, which has its own way back
        for index in range(2 * planned + 10):
            run = app.run_state
            if index == wipe_at or run is None or run.finished or app.root.current != "practice":
                break
            roll = rng.random()
            if roll < 0.15:
                driver.doing = "Grote letters"
                driver.tap(app.root.get_screen("practice").ids.text_size)
            elif roll < 0.3:
                driver.doing = "a language chosen"
                choose_language(driver, rng.choice(LANGUAGES))
            elif roll < 0.45:
                driver.doing = "a wrong action"
                wrong = wrong_action(run)
                if wrong is not None:
                    perform(driver, wrong)
                    hide_keyboard(driver)
            elif roll < 0.55:
                driver.doing = "a hint"
                driver.tap(app.root.get_screen("practice").ids.coach.ids.hint)
            driver.wait(0.15)  # a visitor looks before the next tap; popups close meanwhile
            action = example_action(run.scenario, run.persona, run.step, 0, run.today)
            driver.doing = f"a step ({type(action).__name__})"
            try:
                perform(driver, action)
            except (KeyError, LookupError):  # the right action is not on screen: walk away
                driver.stuck += 1
                break
        if app.root.current == "finished":
            driver.tap(app.root.get_screen("finished").ids.other)
        # walking away: the idle countdown runs out and the session is wiped
        app.idle.last_touch -= app.idle.timeout + app.idle.countdown + 1
        ended = time.monotonic() + 10  # the idle check runs on a timer: on a busy machine late
        while app.root.current != "welcome" and time.monotonic() < ended:
            driver.wait(0.1)
        assert app.root.current == "welcome", f"session {number} not wiped: {app.root.current}"
        between_visitors(driver)
        # after every session, once tidied: one sample says little (what a visitor left
        # in caches comes and goes), the median of many shows a trend
        pss_samples.append(pss_kib() / 1024)
        if number % every == 0:
            driver.measuring = True
            kept = kept_alive()
            driver.measuring = False
            report = {
                "sessions": number,
                "pss_mib": round(pss_samples[-1], 1),
                "pss_median_mib": round(statistics.median(pss_samples), 1),
                "pss_least_mib": round(min(pss_samples), 1),
                "pss_most_mib": round(max(pss_samples), 1),
                **kept,
                "longest_frame_ms": round(driver.longest_frame_ms, 1),
                "longest_frame_doing": driver.longest_frame_doing,
                "longest_gc_ms": round(max(driver.gc_pauses_ms, default=0.0), 1),
                "full_collections": len(driver.gc_pauses_ms),
                "longest_settle_ms": round(max(driver.settle_pauses_ms, default=0.0), 1),
                "lost_taps": driver.lost_taps,
                "stuck": driver.stuck,
                "minutes": round((time.monotonic() - started) / 60, 1),
            }
            print(json.dumps(report), flush=True)
            pss_samples.clear()
            driver.longest_frame_ms = 0.0
            driver.gc_pauses_ms.clear()
            driver.settle_pauses_ms.clear()
    app.stop()


def kept_alive() -> dict:
    """What lives on between visitors, to tell a leak (objects, widgets or kv bindings
    that grow) from a heap that is only fragmented (free heap that grows)."""
    from kivy.cache import Cache
    from kivy.lang import builder
    from kivy.uix import widget

    heap = heap_kib()
    pss = pss_by_kind_kib()
    return {
        "pss_heap_mib": round(pss["heap"] / 1024, 1),
        "pss_anonymous_mib": round(pss["anonymous"] / 1024, 1),
        "pss_files_mib": round(pss["files"] / 1024, 1),
        "heap_used_mib": round(heap.get("used", 0) / 1024, 1),
        "heap_free_mib": round(heap.get("free", 0) / 1024, 1),
        "python_objects": len(gc.get_objects()) + gc.get_freeze_count(),
        "widgets": len(widget._widget_destructors),
        "kv_bindings": len(builder._handlers),
        "bindings": bindings_alive(),
        "cached": sum(len(Cache._objects.get(name, ())) for name in Cache._categories),
    }


def bindings_alive() -> int:
    """Every binding on every Kivy object alive (to its properties and its events): what
    grows when something that lives all day is bound to again and again."""
    from kivy._event import EventDispatcher

    gc.unfreeze()
    gc.collect()
    # type(), not isinstance(): a weak proxy to a dead widget raises on isinstance
    alive = [o for o in gc.get_objects() if issubclass(type(o), EventDispatcher)]
    # Kivy makes a property's storage the first time it is asked for, and with it the
    # bindings of a combined property (pos to x and y): the first count makes them all.
    _count_observers(alive)
    total = _count_observers(alive)
    alive.clear()
    gc.freeze()
    return total


def _count_observers(dispatchers: list) -> int:
    return sum(
        len(o.get_property_observers(name))
        for o in dispatchers
        for name in (*o.properties(), *o.events())
    )


def main(argv: list[str]) -> None:
    mode = argv[0]
    size = tuple(int(v) for v in os.environ.get("OEFENKIOSK_BENCH_SIZE", "800x480").split("x"))
    if mode == "interaction":
        rounds = int(argv[1]) if len(argv) > 1 else 1
        print(json.dumps(interaction(size, rounds)), flush=True)
    elif mode == "soak":
        every = int(argv[2]) if len(argv) > 2 else 50
        soak(int(argv[1]) if len(argv) > 1 else 300, size, every)
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
