"""The way into volunteer and staff mode, and the work those modes hand off.

A 3-second press on the top-left corner (the practice banner's corner) opens
the PIN dialog; the PIN decides the mode. PINs are checked in a thread
(scrypt takes a noticeable moment on a Raspberry Pi), so the screen stays
alive. Statistics, export and erasing the log also run off the UI thread.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.graphics import Color, Line
from kivy.metrics import dp
from kivy.uix.widget import Widget

from kiosk.admin.lockout import Lockout, LockoutUnavailable
from kiosk.admin.pins import PinError, PinFile, PinFileDamaged, recovery_command
from kiosk.config import data_dir
from kiosk.ui.corner_hold import CornerHold
from kiosk.ui.theme import PALETTE, rgba

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp
    from kiosk.ui.screens.volunteer import VolunteerPanel
    from kiosk.ui.widgets.pinpad import PinDialog
    from kiosk.ui.widgets.statistics import StatsView

log = logging.getLogger(__name__)

CORNER = 72
"""Size of the corner (in dp) that opens the PIN dialog when held."""
SHOW_RING_AFTER = 0.6
"""Seconds of holding before the ring shows: a tap shows nothing."""

# Statistics, export and erasing are imported where they are used: the kiosk's first
# frame does not wait for what only staff and volunteers need.


def in_background(work: Callable[[], object], done: Callable[[object], None]) -> None:
    """Run `work` in a thread; `done(result or exception)` runs on the UI thread."""

    def run() -> None:
        try:
            result = work()
        except Exception as error:
            log.exception("background work failed")
            result = error
        Clock.schedule_once(lambda *_: done(result), 0)

    threading.Thread(target=run, name="oefenkiosk-staff", daemon=True).start()


class HoldRing(Widget):
    """A ring that fills while the corner is held, so staff know to keep pressing."""

    def show(self, progress: float) -> None:
        self.canvas.clear()
        size = dp(44)
        x, y = dp(10), Window.height - dp(10) - size
        with self.canvas:
            Color(*rgba(PALETTE.banner_text))
            Line(circle=(x + size / 2, y + size / 2, size / 2), width=dp(2))
            Color(*rgba(PALETTE.action))
            Line(
                circle=(x + size / 2, y + size / 2, size / 2 - dp(4), 0, 360 * progress),
                width=dp(5),
            )


class Modes:
    def __init__(self, app: KioskApp) -> None:
        self.app = app
        self.hold = CornerHold()
        self.pins = PinFile.in_folder(data_dir(app.settings))
        self.volunteer: VolunteerPanel | None = None
        self.dialog: PinDialog | None = None
        self._lockout: Lockout | None = None
        self._ring = HoldRing()
        self._tick = None

    # --- the gesture ------------------------------------------------------------------------

    def touch_down(self, touch) -> None:
        x, y = touch.pos
        if self.dialog is None and CornerHold.in_corner(x, y, *Window.size, dp(CORNER)):
            self.hold.down(touch, x, y, time.monotonic())
            if self._tick is None:
                self._tick = Clock.schedule_interval(self._check_hold, 1 / 20)

    def touch_move(self, touch) -> None:
        self.hold.move(touch, *touch.pos)

    def touch_up(self, touch) -> None:
        self.hold.up(touch)

    def _check_hold(self, _dt) -> bool | None:
        now = time.monotonic()
        if self.hold.done(now):
            self._hide_ring()
            self.open_pin_dialog()
            return self._stop_tick()
        if not self.hold.holding:
            self._hide_ring()
            return self._stop_tick()
        held = self.hold.progress(now) * self.hold.seconds
        if held >= SHOW_RING_AFTER:
            if self._ring.parent is None:
                Window.add_widget(self._ring)
            self._ring.show(self.hold.progress(now))
        return None

    def _stop_tick(self) -> bool:
        self._tick = None
        return False

    def _hide_ring(self) -> None:
        if self._ring.parent is not None:
            Window.remove_widget(self._ring)

    # --- the PIN dialog -----------------------------------------------------------------------

    @property
    def lockout(self) -> Lockout:
        if self._lockout is None:
            self._lockout = Lockout(self.app.event_log.run_locked)
        return self._lockout

    def open_pin_dialog(self) -> None:
        from kiosk.ui.widgets.pinpad import PinDialog

        pins = self.pins.read()
        if pins.never_set:  # only a kiosk that never had a PIN file: see PinFile
            log.info("no PIN file yet: staff mode opens to set the PINs")
            self.open_staff(first_run=True)
            return
        dialog = PinDialog(title="Pincode voor vrijwilliger of medewerker")
        dialog.bind(on_pin=self._check_pin, on_dismiss=self._dialog_closed)
        self.dialog = dialog
        dialog.open(animation=False)
        if pins.damage:
            self._show_damaged(dialog, pins.damage)
            return
        dialog.say("Typ uw pincode en tik op OK.")
        self.lockout.refresh()  # `set-pin` at a terminal may have ended the wait
        self._show_lockout()

    def _show_damaged(self, dialog: PinDialog, damage: str) -> None:
        from kiosk.ui.staff_views import damaged_pins_text

        log.error("%s is damaged (%s): staff and volunteer mode stay shut", self.pins.path, damage)
        dialog.shut = True
        dialog.title = "De pincodes zijn beschadigd"
        dialog.say(damaged_pins_text(recovery_command(data_dir(self.app.settings))), problem=True)

    def _dialog_closed(self, *_args) -> None:
        self.dialog = None

    def _show_lockout(self, *_args) -> bool | None:
        dialog = self.dialog
        if dialog is None or dialog.shut:
            return False
        if self.lockout.problem:
            from kiosk.ui.staff_views import lockout_unavailable_text

            dialog.shut = True  # no key is of use until the disk takes writes again
            dialog.title = "De pincode werkt nu niet"
            dialog.say(lockout_unavailable_text(str(data_dir(self.app.settings))), problem=True)
            return None
        left = self.lockout.seconds_left(time.time())
        dialog.locked = left > 0
        if left > 0:
            minutes, seconds = divmod(int(left + 0.999), 60)
            dialog.say(
                f"Te vaak een verkeerde pincode. Probeer het over {minutes}:{seconds:02d} opnieuw.",
                problem=True,
            )
            Clock.schedule_once(self._show_lockout, 1)
        elif dialog.problem and "Te vaak" in dialog.message:
            dialog.say("Typ uw pincode en tik op OK.")
        return None

    def _check_pin(self, dialog: PinDialog, pin: str) -> None:
        # the try is stored as a wrong one before the PIN is checked (see lockout.py)
        try:
            wait = self.lockout.count_try(time.time())  # the 5th wrong PIN is checked too
        except LockoutUnavailable:
            self._show_lockout()
            return
        if wait > 0:
            self._show_lockout()
            return
        dialog.busy = True
        dialog.say("Even controleren\u2026")
        in_background(lambda: self.pins.role_of(pin), lambda role: self._pin_checked(dialog, role))

    def _pin_checked(self, dialog: PinDialog, role: object) -> None:
        dialog.busy = False
        if isinstance(role, PinFileDamaged):  # damaged since the dialog opened
            self._show_damaged(dialog, role.reason)
            return
        if isinstance(role, str):
            self.lockout.succeeded()
            dialog.dismiss(animation=False)
            log.info("%s mode opened", role)
            if role == "staff":
                self.open_staff()
            else:
                self.open_volunteer()
            return
        log.warning("wrong PIN (%d in a row)", self.lockout.state.failures)
        dialog.say("Deze pincode klopt niet.", problem=True)
        if self.lockout.seconds_left(time.time()) > 0:
            self._show_lockout()

    def ask_new_pin(self, role: str, done: Callable[[str], None]) -> None:
        """Staff set a PIN: typed twice, then stored as a scrypt hash."""
        from kiosk.ui.widgets.pinpad import PinDialog

        who = "medewerkers" if role == "staff" else "vrijwilligers"
        dialog = PinDialog(title=f"Nieuwe pincode voor {who}")
        dialog.say("Kies minstens 6 cijfers en tik op OK.")
        first: list[str] = []

        def entered(_dialog, pin: str) -> None:
            if not first:
                first.append(pin)
                dialog.say("Typ dezelfde pincode nog een keer.")
                return
            if pin != first[0]:
                first.clear()
                dialog.say("De twee pincodes zijn niet gelijk. Begin opnieuw.", problem=True)
                return
            dialog.busy = True
            dialog.say("Even opslaan\u2026")
            in_background(lambda: self.pins.set_pin(role, pin), stored)

        def stored(result: object) -> None:
            dialog.busy = False
            first.clear()
            if isinstance(result, PinError):
                dialog.say(str(result), problem=True)
            elif isinstance(result, PinFileDamaged):
                self._show_damaged(dialog, result.reason)
            elif isinstance(result, Exception):
                dialog.say(f"Niet opgeslagen: {result}", problem=True)
            else:
                dialog.dismiss(animation=False)
                done(role)

        dialog.bind(on_pin=entered, on_dismiss=self._dialog_closed)
        self.dialog = dialog
        dialog.open(animation=False)

    # --- volunteer mode -------------------------------------------------------------------------

    def open_volunteer(self) -> None:
        from kiosk.ui.screens.volunteer import VolunteerPanel

        if self.volunteer is None:
            self.volunteer = VolunteerPanel()
            Window.add_widget(self.volunteer)
        self.volunteer.last_touch = time.monotonic()
        self.volunteer.show_tab("step" if self.app.root.current == "practice" else "choose")
        self.app.recorder.set_mode("volunteer")

    def close_volunteer(self, why: str = "closed") -> None:
        panel, self.volunteer = self.volunteer, None
        if panel is not None:
            panel.stop_clock()
            Window.remove_widget(panel)
            log.info("volunteer mode closed (%s)", why)

    def refresh_volunteer(self) -> None:
        if self.volunteer is not None:
            self.volunteer.refresh()

    # --- staff mode -------------------------------------------------------------------------------

    def open_staff(self, first_run: bool = False) -> None:
        self.close_volunteer("staff")
        app = self.app
        if app.root.current != "staff":
            self._back_to = app.root.current
        app.speaker.stop()
        staff = app.screen("staff")
        app.show_screen("staff")
        staff.open(first_run=first_run)

    def close_staff(self) -> None:
        back = getattr(self, "_back_to", "welcome")
        if back == "practice" and self.app.run_state is None:
            back = "welcome"
        self.app.show_screen(back if back != "staff" else "welcome")

    # --- work for both --------------------------------------------------------------------------

    def load_statistics(self, view: StatsView, days: int) -> None:
        from kiosk.admin.report import stats_rows
        from kiosk.progress.stats import period_stats

        view.status = "Even laden\u2026"
        app = self.app
        scenarios = {s.id: s for s in app.full_library.scenarios}

        def work():
            db = app.event_log.reader()
            try:
                return stats_rows(period_stats(db, days), scenarios)
            finally:
                db.close()

        def done(result: object) -> None:
            if isinstance(result, sqlite3.Error | OSError):
                view.status = f"De statistiek is niet te lezen ({result})."
            elif isinstance(result, Exception):
                view.status = "De statistiek is niet te lezen."
            elif view.days == days:
                view.show(result)

        in_background(work, done)

    def export(self, target: Path, raw: bool, say: Callable[..., None]) -> None:
        from kiosk.admin.export import export

        app = self.app
        say("Bezig met exporteren\u2026")

        def work():
            db = app.event_log.reader()
            try:
                return export(db, target, app.settings.kiosk_name, raw=raw)
            finally:
                db.close()

        def done(result: object) -> None:
            if isinstance(result, Exception):
                say(f"Export mislukt: {getattr(result, 'strerror', None) or result}", problem=True)
                return
            names = ", ".join(f.name for f in result.files)
            say(f"Geschreven naar {result.folder}: {names}.")

        in_background(work, done)

    def reset(self, erase_log: bool, say: Callable[..., None]) -> None:
        from kiosk.progress.store import erase

        self.app.reset_session("reset")
        self._back_to = "welcome"
        if not erase_log:
            say("De sessie is gestopt en gewist.")
            return
        say("Bezig met wissen\u2026")

        def done(result: object) -> None:
            if isinstance(result, Exception):
                say(f"Het logboek is niet gewist: {result}", problem=True)
            else:
                log.info("practice log erased by staff")
                say("De sessie is gestopt en gewist. Het logboek is gewist.")

        in_background(lambda: self.app.event_log.run_locked(erase), done)
