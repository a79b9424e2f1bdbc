"""Drives the real kiosk in one process under a virtual X display: touches, keys, screenshots.

Kivy can open one window per process, so the UI tests share one app and
bring it back to the welcome screen between tests.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from kiosk.display import start_xvfb

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "screenshots"


def ensure_display() -> subprocess.Popen | None:
    """Start an Xvfb server for the tests, unless a test display is given."""
    if os.environ.get("OEFENKIOSK_TEST_DISPLAY"):
        os.environ["DISPLAY"] = os.environ["OEFENKIOSK_TEST_DISPLAY"]
        return None
    return start_xvfb()


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

    def swipe_into_view(self, widget) -> None:
        """Swipe the scrolling pane that holds `widget` until its middle can be touched."""
        from kivy.tests.common import UnitTestTouch

        from kiosk.ui.widgets.common import scroll_parent

        pane = scroll_parent(widget)
        if pane is None:
            return
        for _ in range(20):
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

    def type_on_screen_keyboard(self, text: str) -> None:
        """Tap each character on the on-screen keyboard, with shift and 123 as needed."""
        from kiosk.ui.widgets.keyboard import LETTERS, SHIFT, SPACE, SYMBOLS, TEXT_ROWS

        keyboard = self.practice().keyboard
        assert keyboard.parent is not None, "the on-screen keyboard is not shown"
        for character in text:
            value = SPACE if character == " " else character
            if keyboard.layout == "text":
                in_letters = any(value.lower() in row for row in TEXT_ROWS)
                if keyboard.symbols == in_letters:
                    self.tap(keyboard.key_for(LETTERS if keyboard.symbols else SYMBOLS))
                if character.isalpha():
                    upper = keyboard.shift or keyboard.caps
                    if character.isupper() != upper:
                        self.tap(keyboard.key_for(SHIFT))  # shift on, or caps off
                    value = character.lower()
            key = keyboard.key_for(value)
            assert key is not None, f"no key for {character!r} on the {keyboard.layout} keys"
            self.tap(key)

    # --- screenshots ----------------------------------------------------------------------

    def screenshot(self, name: str) -> Path:
        """Save the window as screenshots/<size>/<name>.png (git ignores the folder)."""
        self.wait(0.4)  # let fades and slides finish: the picture shows the settled screen
        folder = SCREENSHOTS / self.size_name
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{name}.png"
        with tempfile.TemporaryDirectory() as tmp:
            written = self.window.screenshot(name=str(Path(tmp) / "shot.png"))
            shutil.move(written, target)
        return target

    def resize(self, width: int, height: int) -> None:
        self.window.size = (width, height)
        self.size_name = f"{width}x{height}"
        self.wait(0.4)  # the kiosk rebuilds its screens for the new density

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


def layout_problems(root) -> list[str]:
    """Overlapping siblings in box and grid layouts, and wrapped text cut off by its label.

    Float and relative layouts overlap on purpose (a notification over the phone's
    screen, the 'show me' frame), so only box and grid layouts are checked.
    """
    from kivy.core.window import Window
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.gridlayout import GridLayout
    from kivy.uix.label import Label

    from kiosk.ui.widgets.common import scroll_parent

    problems = []
    for widget in root.walk(restrict=True):
        if (
            widget.opacity > 0
            and widget.width > 1
            and widget.height > 1
            and widget.get_root_window() is not None
            and scroll_parent(widget) is None
        ):
            _x, y = widget.to_window(widget.x, widget.y)
            if y < -1.5 or y + widget.height > Window.height + 1.5:
                problems.append(
                    f"{type(widget).__name__} reaches outside the window "
                    f"({y:.0f}..{y + widget.height:.0f})"
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
        if (
            isinstance(widget, Label)
            and widget.opacity > 0
            and widget.text
            and widget.text_size[0]
            and not widget.shorten
            and widget.texture_size[1] > widget.height + 2
        ):
            problems.append(f"text cut off in {type(widget).__name__}: {widget.text[:40]!r}")
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
