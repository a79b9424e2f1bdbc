"""The oefenbewijs: what the visitor practised, to take home on paper, or as a QR code
and a copy kept at the desk where the kiosk has no printer.

A name typed here lives in this screen only: it goes into the printout, on its way to
the printer, and is forgotten when the screen is left. It is never saved: where there
is no printer the name field is not offered at all.
"""

from __future__ import annotations

from kivy.app import App
from kivy.metrics import sp
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kiosk.ui.screens import load_screen_kv
from kiosk.ui.screens.goodbye import qr_texture
from kiosk.ui.theme import SIZES
from kiosk.ui.visit_views import CertificateView
from kiosk.ui.widgets.common import HelpLabel, Pictogram, WrapLabel
from kiosk.ui.widgets.keyboard import OnScreenKeyboard  # noqa: F401 - used in certificate.kv

load_screen_kv(__file__)

NAME_LENGTH = 40


class CertificateScreen(Screen):
    title = StringProperty("")
    title_help = StringProperty("")
    heading = StringProperty("")
    practised = StringProperty("")
    practised_help = StringProperty("")
    referral = StringProperty("")
    name_label = StringProperty("")
    name_label_help = StringProperty("")
    name_note = StringProperty("")
    print_text = StringProperty("")
    print_help = StringProperty("")
    save_text = StringProperty("")
    save_help = StringProperty("")
    scan_text = StringProperty("")
    scan_help = StringProperty("")
    back_text = StringProperty("")
    back_help = StringProperty("")
    help_language = StringProperty("")
    visitor_name = StringProperty("")
    """The name typed for the printout (never stored). (`name` is the screen's own.)"""
    printer = StringProperty("")
    """The CUPS printer to use; empty: none found (yet)."""
    busy = BooleanProperty(False)
    message = StringProperty("")
    message_help = StringProperty("")
    qr = ObjectProperty(None, allownone=True)
    typing = BooleanProperty(False)

    def on_kv_post(self, base_widget) -> None:
        # ids hold weak references: the screen keeps the keyboard while it is hidden
        self.keyboard = self.ids.keyboard.__self__
        self._hide_keyboard()

    def show(self, view: CertificateView, printer: str, qr_png: bytes | None) -> None:
        self.title, self.title_help = view.title.nl, view.title.help or ""
        self.heading = view.heading
        self.practised, self.practised_help = view.practised.nl, view.practised.help or ""
        self.referral = view.referral
        self.name_label, self.name_label_help = view.name_label.nl, view.name_label.help or ""
        self.name_note = view.name_note.nl
        self.print_text, self.print_help = view.print_label.nl, view.print_label.help or ""
        self.save_text, self.save_help = view.save_label.nl, view.save_label.help or ""
        self.scan_text, self.scan_help = view.scan_label.nl, view.scan_label.help or ""
        self.back_text, self.back_help = view.back.nl, view.back.help or ""
        self.help_language = view.title.help_language or ""
        self.printer = printer
        self.qr = qr_texture(qr_png) if qr_png else None
        rows = self.ids.rows
        rows.clear_widgets()
        for row in view.rows:
            rows.add_widget(self._row(row))

    def _row(self, row) -> BoxLayout:
        line = BoxLayout(size_hint_y=None, spacing=sp(10))
        icon = Pictogram(name=row.pictogram, font_size=sp(30), size_hint_x=None, width=sp(40))
        texts = BoxLayout(orientation="vertical", size_hint_y=None, spacing=sp(2))
        texts.add_widget(WrapLabel(text=row.title, bold=True, font_size=sp(SIZES.body)))
        if row.title_help:
            texts.add_widget(HelpLabel(logical_text=row.title_help, language=self.help_language))
        texts.add_widget(WrapLabel(text=row.status.nl, font_size=sp(SIZES.body - 2)))
        if row.status.help:  # its own label: the help language has its own script and font
            texts.add_widget(HelpLabel(logical_text=row.status.help, language=self.help_language))
        texts.bind(minimum_height=texts.setter("height"))
        texts.bind(height=line.setter("height"))
        line.add_widget(icon)
        line.add_widget(texts)
        return line

    def refresh_language(self) -> None:
        App.get_running_app().show_certificate(keep_name=True)

    def say(self, words) -> None:
        self.message = words.nl if words is not None else ""
        self.message_help = (words.help or "") if words is not None else ""

    # --- the name, typed on the on-screen keyboard --------------------------------------------

    def edit_name(self) -> None:
        self.keyboard.open_for("text")
        self.keyboard.shift = not self.visitor_name  # a name starts with a capital
        if self.keyboard.parent is None:
            self.ids.keyboard_place.add_widget(self.keyboard)
        self.typing = True

    def type_text(self, text: str) -> None:
        if len(self.visitor_name) < NAME_LENGTH:
            self.visitor_name += text
        if self.keyboard.shift:
            self.keyboard.shift = False

    def backspace(self) -> None:
        self.visitor_name = self.visitor_name[:-1]

    def _hide_keyboard(self, *_args) -> None:
        if self.keyboard.parent is not None:
            self.keyboard.parent.remove_widget(self.keyboard)
        self.typing = False

    def done_typing(self) -> None:
        self._hide_keyboard()

    # --- the ways out -------------------------------------------------------------------------

    def print_it(self) -> None:
        self._hide_keyboard()
        App.get_running_app().print_certificate(self.visitor_name)

    def save_it(self) -> None:
        self._hide_keyboard()
        App.get_running_app().save_certificate()

    def back(self) -> None:
        self.wipe()
        App.get_running_app().show_goodbye()

    def on_leave(self, *_args) -> None:
        self.wipe()

    def wipe(self) -> None:
        """Forget the name and the message: nothing of this visitor is drawn again."""
        self.visitor_name = ""
        self.message = ""
        self.message_help = ""
        self._hide_keyboard()
