"""Drives the real kiosk in one process under a virtual X display: touches, keys, screenshots.

Kivy can open one window per process, so the UI tests share one app and
bring it back to the welcome screen between tests.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from kiosk.display import start_xvfb

ROOT = Path(__file__).resolve().parent.parent
SIZES = [(800, 480), (1280, 800), (720, 1280)]
"""Every supported screen: the 7-inch Pi display, a library screen, and the Raspberry Pi
Touch Display 2 standing up (portrait)."""
XVFB_SCREEN = (1920, 1280)
"""Large enough for a window of every size above."""
SCREENSHOTS = ROOT / "screenshots"


def ensure_display() -> subprocess.Popen | None:
    """Start an Xvfb server for the tests, unless a test display is given."""
    if os.environ.get("OEFENKIOSK_TEST_DISPLAY"):
        os.environ["DISPLAY"] = os.environ["OEFENKIOSK_TEST_DISPLAY"]
        return None
    return start_xvfb(*XVFB_SCREEN)


class KioskDriver:
    """Touches, keys and screenshots on the running kiosk."""

    def __init__(self, app) -> None:
        from kivy.base import EventLoop
        from kivy.core.window import Window

        self.app = app
        self.loop = EventLoop
        self.window = Window
        self.size_name = "800x480"

    # --- time -------------------------------------------------------------------------

    def pump(self, frames: int = 3) -> None:
        for _ in range(frames):
            self.loop.idle()

    def wait(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.loop.idle()

    def settle(self, limit: float = 2.0) -> None:
        """Let a screen change finish: the screen manager ignores touches until then."""
        end = time.monotonic() + limit
        while self.app.root.transition.is_active and time.monotonic() < end:
            self.loop.idle()

    # --- touches --------------------------------------------------------------------------

    def tap(self, widget) -> None:
        """A finger on the middle of `widget`, as the screen's touch driver would send it."""
        from kivy.tests.common import UnitTestTouch

        self.settle()
        assert widget.get_root_window() is not None, f"{widget!r} is not on screen"
        self.swipe_into_view(widget)
        x, y = widget.to_window(*widget.center)
        assert 0 <= x <= self.window.width and 0 <= y <= self.window.height, (
            f"{widget!r} is outside the window at {(x, y)}"
        )
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.pump(1)
        touch.touch_up()
        self.pump(2)

    def tap_key(self, key) -> None:
        """A quick tap on a key of the on-screen keyboard: down and up between two frames,
        as a typing finger does. The keyboard never scrolls, so nothing to swipe first;
        one frame afterwards lets what the key scheduled happen."""
        from kivy.tests.common import UnitTestTouch

        assert key.get_root_window() is not None, f"{key!r} is not on screen"
        x, y = key.to_window(*key.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
        self.pump(1)

    def swipe_into_view(self, widget) -> None:
        """Swipe the scrolling pane that holds `widget` until its middle can be touched."""
        from kivy.tests.common import UnitTestTouch

        from kiosk.ui.widgets.common import scroll_parent

        pane = scroll_parent(widget)
        if pane is None:
            return
        for _ in range(60):  # a long staff page (every exercise listed) takes many swipes
            _, wy = widget.to_window(*widget.center)
            px, py = pane.to_window(*pane.center)
            bottom = py - pane.height / 2 + 10
            top = py + pane.height / 2 - 10
            if bottom <= wy <= top:
                return
            step = min(pane.height / 3, 120) * (1 if wy < bottom else -1)
            # The whole swipe happens between two frames: a ScrollView hands a touch that has
            # not moved far within its scroll_timeout to the button beneath, and on a busy
            # machine a few frames can take that long.
            touch = UnitTestTouch(px, py)
            touch.touch_down()
            for i in range(1, 6):
                time.sleep(0.01)
                touch.touch_move(px, py + step * i / 5)
            touch.touch_up()
            # a finger that stops before it lifts: no fling that overshoots the target
            pane.effect_y.velocity = 0
            self.wait(0.25)
        raise AssertionError(f"could not swipe {widget!r} into view")

    def press(self, key: int, text: str | None = None) -> None:
        """A key of a physical keyboard."""
        self.window.dispatch("on_key_down", key, 0, text, [])
        if text:
            self.window.dispatch("on_textinput", text)
        self.window.dispatch("on_key_up", key, 0)
        self.pump(1)

    # --- the screens ----------------------------------------------------------------------

    @property
    def current(self) -> str:
        return self.app.root.current

    def screen(self, name: str | None = None):
        return self.app.root.get_screen(name or self.current)

    def practice(self):
        return self.app.root.get_screen("practice")

    def begin(self) -> None:
        """Tap 'Beginnen' on the welcome screen and, when the intake asks its questions,
        'Overslaan': the catalogue as it is without the intake."""
        self.tap(self.screen("welcome").ids.start)
        if self.current == "intake":
            self.tap(self.screen("intake").ids.skip)

    def type_on_screen_keyboard(self, text: str, keyboard=None) -> None:
        """Tap each character on the on-screen keyboard (the practice screen's unless another
        is given), with shift and 123 as needed."""
        from kiosk.ui.widgets.keyboard import LETTERS, SHIFT, SPACE, SYMBOLS, TEXT_ROWS

        keyboard = keyboard or self.practice().keyboard
        assert keyboard.parent is not None, "the on-screen keyboard is not shown"
        for character in text:
            value = SPACE if character == " " else character
            if keyboard.layout == "text":
                in_letters = any(value.lower() in row for row in TEXT_ROWS)
                if keyboard.symbols == in_letters:
                    self.tap_key(keyboard.key_for(LETTERS if keyboard.symbols else SYMBOLS))
                if character.isalpha():
                    upper = keyboard.shift or keyboard.caps
                    if character.isupper() != upper:
                        self.tap_key(keyboard.key_for(SHIFT))  # shift on, or caps off
                    value = character.lower()
            key = keyboard.key_for(value)
            assert key is not None, f"no key for {character!r} on the {keyboard.layout} keys"
            self.tap_key(key)

    # --- screenshots ----------------------------------------------------------------------

    def settle_for_picture(self, least: float = 0.08, most: float = 0.4) -> None:
        """Let fades and slides finish, so a picture (and the checks after it) shows the
        settled screen: at least `least` seconds (the practice screen scrolls a field into
        view again 0.05 s after a touch), then only while a short animation still runs.
        Endless pulses and the slow 'Goed!' fade are not waited for."""
        from kivy.animation import Animation

        start = time.monotonic()
        self.wait(least)
        while time.monotonic() - start < most and any(
            not getattr(a, "repeat", False) and a.duration <= most
            for a in list(Animation._instances)
        ):
            self.loop.idle()

    def screenshot(self, name: str) -> Path:
        """Save the window as screenshots/<size>/<name>.png (git ignores the folder)."""
        self.settle_for_picture()
        folder = SCREENSHOTS / self.size_name
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{name}.png"
        with tempfile.TemporaryDirectory() as tmp:
            written = self.window.screenshot(name=str(Path(tmp) / "shot.png"))
            shutil.move(written, target)
        return target

    def resize(self, width: int, height: int) -> None:
        """A new window size. The kiosk builds its screens again for a new density, a moment
        later; until then a widget found on screen may be replaced before it is touched, so
        wait for the rebuild itself, not for a time a slow machine may overrun."""
        from kivy.metrics import Metrics

        from kiosk.ui.app import density_for

        self.window.size = (width, height)
        self.size_name = f"{width}x{height}"
        end = time.monotonic() + 10
        while Metrics.density != density_for(width, height) and time.monotonic() < end:
            self.loop.idle()
        assert Metrics.density == density_for(width, height), "the kiosk did not rebuild"
        self.wait(0.3)  # the visitor's other screens are built one per frame after it

    # --- finding widgets ----------------------------------------------------------------

    def walk(self):
        """Every widget on the window: screens and popups."""
        for child in list(self.window.children):
            yield from child.walk(restrict=True)

    def texts(self) -> list[str]:
        return [w.text for w in self.walk() if isinstance(getattr(w, "text", None), str)]


def tap_ref(driver: KioskDriver, label, ref: str) -> None:
    """Tap the part of a markup label marked [ref=...] (a link inside an sms)."""
    from kivy.tests.common import UnitTestTouch

    x1, y1, x2, y2 = label.refs[ref][0]
    # refs are in texture coordinates (origin top left); the texture fills the label
    tx = label.center_x - label.texture_size[0] / 2
    ty = label.center_y + label.texture_size[1] / 2
    x, y = label.to_window(tx + (x1 + x2) / 2, ty - (y1 + y2) / 2)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    driver.pump(1)
    touch.touch_up()
    driver.pump(2)


def _window_rect(widget) -> tuple[float, float, float, float]:
    x, y = widget.to_window(widget.x, widget.y)
    return x, y, x + widget.width, y + widget.height


def hidden_part(widget, covering=()) -> str | None:
    """Why `widget` cannot be seen whole: cut off by a scrolling pane or the window, or
    under one of the `covering` widgets (the on-screen keyboard). None when it is seen."""
    from kivy.core.window import Window
    from kivy.uix.scrollview import ScrollView

    widget = getattr(widget, "__self__", widget)  # a kv id is a weak proxy
    x1, y1, x2, y2 = _window_rect(widget)
    name = type(widget).__name__
    frames = [("the window", (0, 0, Window.width, Window.height))]
    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        if isinstance(parent, ScrollView):
            frames.append((f"its {type(parent.parent).__name__} pane", _window_rect(parent)))
        parent = parent.parent
    for frame_name, (fx1, fy1, fx2, fy2) in frames:
        if x1 < fx1 - 1.5 or y1 < fy1 - 1.5 or x2 > fx2 + 1.5 or y2 > fy2 + 1.5:
            where = f"y {y1:.0f}..{y2:.0f}, {frame_name} {fy1:.0f}..{fy2:.0f}"
            return f"{name} is cut off by {frame_name} ({where})"
    for cover in covering:
        if cover is None or cover.get_root_window() is None:
            continue
        cx1, cy1, cx2, cy2 = _window_rect(cover)
        if min(x2, cx2) - max(x1, cx1) > 1.5 and min(y2, cy2) - max(y1, cy1) > 1.5:
            return f"{name} at y {y1:.0f}..{y2:.0f} is under the {type(cover).__name__}"
    return None


# Tokens a reader takes in at once; a line break inside one makes it hard to copy or check.
TOGETHER = [
    re.compile(r"\b\d{4}[ \u00a0]?[A-Z]{2}\b"),  # postcode
    re.compile(
        r"\b\d{1,2}[ \u00a0](?:januari|februari|maart|april|mei|juni|juli|augustus"
        r"|september|oktober|november|december)[ \u00a0]\d{4}\b"
    ),
    re.compile(r"€[ \u00a0]?\d[\d.]*(?:,(?:\d{2}|-))?"),  # amount
    re.compile(r"\b\d{1,2}[.:]\d{2}[ \u00a0]uur\b"),  # time
]


def _in_simulation(widget) -> bool:
    """Part of the practice page, phone or letter (which may be covered, as real ones are)."""
    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        if type(parent).__name__ == "Stage":
            return True
        parent = parent.parent
    return False


def _shown(widget) -> bool:
    return widget.opacity > 0.02 and widget.width > 1 and widget.height > 1


def _seen(widget) -> bool:
    """Drawn where a visitor can see it: neither it nor anything holding it is hidden
    (a shut PIN pad keeps its keys, at no width and no opacity)."""
    while widget is not None and widget is not widget.parent:
        if not _shown(widget):
            return False
        widget = widget.parent
    return True


def _broken_tokens(label) -> list[str]:
    """Postcodes, dates, amounts and times that a wrapped label splits over two lines."""
    core = getattr(label, "_label", None)
    lines = getattr(core, "_cached_lines", None) or []
    if len(lines) < 2 or getattr(label, "rtl", False):
        return []
    shown = ["".join(word.text for word in line.words) for line in lines]
    plain = " ".join(shown)
    broken = []
    for pattern in TOGETHER:
        for match in pattern.finditer(plain):
            if not any(match.group(0) in line for line in shown):
                broken.append(match.group(0))
    return broken


def _start_hidden(pane) -> str | None:
    """A pane of the kiosk's own words scrolled so the start of its first text is hidden."""
    from kivy.uix.label import Label

    texts = [
        w
        for w in pane.walk(restrict=True)
        if isinstance(w, Label)
        and type(w).__name__ != "Pictogram"
        and w.text.strip()
        and _shown(w)
        and w is not pane
    ]
    if not texts:
        return None
    first = max(texts, key=lambda w: _window_rect(w)[3])
    top = _window_rect(pane)[3]
    if _window_rect(first)[3] > top + 2:
        return f"the start of {first.text[:30]!r} is scrolled out of sight"
    return None


def _covered_texts(layout) -> list[str]:
    """Floating badges in a float layout that cover the kiosk's own words beneath them."""
    from kivy.uix.label import Label

    problems = []
    children = list(reversed(layout.children))  # drawing order
    for i, badge in enumerate(children[1:], start=1):
        if not _shown(badge):
            continue
        bx1, by1, bx2, by2 = _window_rect(badge)
        for below in children[:i]:
            for text in below.walk(restrict=True):
                if not (isinstance(text, Label) and text.text.strip() and _shown(text)):
                    continue
                if _in_simulation(text):
                    continue
                tx1, ty1, tx2, ty2 = _window_rect(text)
                if min(bx2, tx2) - max(bx1, tx1) > 1.5 and min(by2, ty2) - max(by1, ty1) > 1.5:
                    problems.append(
                        f"{type(badge).__name__} covers {type(text).__name__} {text.text[:30]!r}"
                    )
    return problems


def layout_problems(root) -> list[str]:
    """What a visitor would see as broken:

    - overlapping siblings in box and grid layouts (float and relative layouts overlap on
      purpose: a notification over the phone's screen, the 'show me' frame);
    - anything reaching outside the window, or sideways outside a pane that only scrolls
      up and down (a long code cut off);
    - text cut off by its label, or wider than a label that does not wrap it;
    - a postcode, date, amount or time broken over two lines;
    - a floating badge over the kiosk's own words (the simulation may be covered);
    - a pane of the kiosk's own words scrolled so the start of its text is hidden.
    """
    from kivy.core.window import Window
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.floatlayout import FloatLayout
    from kivy.uix.gridlayout import GridLayout
    from kivy.uix.label import Label
    from kivy.uix.scrollview import ScrollView

    from kiosk.ui.widgets.common import scroll_parent

    problems = []
    for widget in root.walk(restrict=True):
        on_screen = _seen(widget) and widget.get_root_window() is not None
        pane = scroll_parent(widget)
        if on_screen:
            x1, y1, x2, y2 = _window_rect(widget)
            left, right = 0, Window.width
            if pane is not None and not pane.do_scroll_x:
                left, right = _window_rect(pane)[0], _window_rect(pane)[2]
            if pane is None and (y1 < -1.5 or y2 > Window.height + 1.5):
                problems.append(
                    f"{type(widget).__name__} reaches outside the window ({y1:.0f}..{y2:.0f})"
                )
            if x1 < left - 1.5 or x2 > right + 1.5:
                problems.append(
                    f"{type(widget).__name__} reaches outside sideways "
                    f"({x1:.0f}..{x2:.0f} in {left:.0f}..{right:.0f})"
                )
        if isinstance(widget, BoxLayout | GridLayout):
            shown = [c for c in widget.children if c.opacity > 0 and c.width > 1 and c.height > 1]
            for i, a in enumerate(shown):
                for b in shown[i + 1 :]:
                    dx = min(a.right, b.right) - max(a.x, b.x)
                    dy = min(a.top, b.top) - max(a.y, b.y)
                    if dx > 1.5 and dy > 1.5:
                        problems.append(
                            f"{type(a).__name__} overlaps {type(b).__name__} "
                            f"in {type(widget).__name__}"
                        )
        if isinstance(widget, FloatLayout) and on_screen:
            problems.extend(_covered_texts(widget))
        if isinstance(widget, ScrollView) and on_screen and not _in_simulation(widget):
            hidden = _start_hidden(widget)
            if hidden:
                problems.append(hidden)
        if isinstance(widget, Label) and widget.text and not widget.shorten and _seen(widget):
            if widget.text_size[0] and widget.texture_size[1] > widget.height + 2:
                problems.append(f"text cut off in {type(widget).__name__}: {widget.text[:40]!r}")
            if not widget.text_size[0] and widget.texture_size[0] > widget.width + 2:
                problems.append(
                    f"text wider than its {type(widget).__name__}: {widget.text[:40]!r}"
                )
            if widget.text_size[0] and on_screen:
                problems.extend(
                    f"{token!r} broken over two lines in {type(widget).__name__} "
                    f"{widget.text[:60]!r} ({widget.width:.0f} wide)"
                    for token in _broken_tokens(widget)
                )
    return problems


@contextlib.contextmanager
def assets_without(driver: KioskDriver, home: Path, missing: str):
    """The running kiosk as if installed without one file of assets/: a copy of the
    assets lacking it, found the way the kiosk finds them (OEFENKIOSK_HOME). The fonts,
    pictograms, scenarios and screens are loaded again, and put back afterwards."""
    from kiosk.paths import assets_dir, scenarios_dir
    from kiosk.scenario.library import load_library

    shutil.copytree(assets_dir(), home / "assets")
    (home / "scenarios").symlink_to(scenarios_dir())
    (home / "assets" / missing).unlink()
    app = driver.app
    saved_home, saved_library = os.environ.get("OEFENKIOSK_HOME"), app.full_library

    def reload() -> None:
        app.load_assets()
        app.library = load_library(scenarios_dir())
        app._rebuild()
        driver.wait(0.4)  # the new screens get their sizes

    os.environ["OEFENKIOSK_HOME"] = str(home)
    try:
        reload()
        yield
    finally:
        if saved_home is None:
            os.environ.pop("OEFENKIOSK_HOME", None)
        else:
            os.environ["OEFENKIOSK_HOME"] = saved_home
        reload()
        app.library = saved_library
