"""The PIN dialog: big number keys, dots for the digits, a calm message line.

It only collects digits; checking them (scrypt, lockout) is the caller's job,
done off the UI thread. What is typed lives in this widget until it is
handed over or the dialog closes, and is never shown.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.modalview import ModalView

from kiosk.admin.pins import MIN_LENGTH
from kiosk.ui.widgets import load_widget_kv
from kiosk.ui.widgets.keyboard import Key  # noqa: F401 - used in pinpad.kv

MAX_LENGTH = 12


class PinDialog(ModalView):
    title = StringProperty("")
    message = StringProperty("")
    problem = BooleanProperty(False)
    """The message is a problem (wrong PIN, lockout), shown in the warning colour."""
    length = NumericProperty(0)
    locked = BooleanProperty(False)
    shut = BooleanProperty(False)
    """No PIN can be checked at all (a damaged PIN file): no keys, only the message."""
    busy = BooleanProperty(False)
    __events__ = ("on_pin", "on_cancel")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._digits = ""

    def press(self, digit: str) -> None:
        if self.locked or self.busy or self.shut or len(self._digits) >= MAX_LENGTH:
            return
        self._digits += digit
        self.length = len(self._digits)
        self.problem = False

    def backspace(self) -> None:
        if not self.busy:
            self._digits = self._digits[:-1]
            self.length = len(self._digits)

    def submit(self) -> None:
        if self.locked or self.busy or self.shut or len(self._digits) < MIN_LENGTH:
            return
        pin, self._digits = self._digits, ""
        self.length = 0
        self.dispatch("on_pin", pin)

    def clear(self) -> None:
        self._digits = ""
        self.length = 0

    def say(self, message: str, problem: bool = False) -> None:
        self.message, self.problem = message, problem

    def cancel(self) -> None:
        self.clear()
        self.dispatch("on_cancel")
        self.dismiss()

    def on_dismiss(self) -> None:
        self.clear()

    def on_pin(self, pin: str) -> None:
        pass

    def on_cancel(self) -> None:
        pass


load_widget_kv(__file__)
