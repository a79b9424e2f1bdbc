"""The end of a visit: the oefencode to take home (digits and a QR code), the way to
the oefenbewijs, and 'Tot ziens', which wipes the session."""

from __future__ import annotations

import io

from kivy.app import App
from kivy.core.image import Image as CoreImage
from kivy.metrics import sp
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.ui.screens import load_screen_kv
from kiosk.ui.theme import SIZES
from kiosk.ui.visit_views import GoodbyeView
from kiosk.ui.widgets.common import HelpLabel, WrapLabel  # SpeakButton in goodbye.kv

load_screen_kv(__file__)


def qr_texture(png: bytes):
    """A QR code as a texture drawn with hard pixel edges, so a phone's camera reads it."""
    texture = CoreImage(io.BytesIO(png), ext="png").texture
    texture.mag_filter = "nearest"
    texture.min_filter = "nearest"
    return texture


class GoodbyeScreen(Screen):
    title = StringProperty("")
    title_help = StringProperty("")
    code = StringProperty("")
    certificate_text = StringProperty("")
    certificate_help = StringProperty("")
    bye_text = StringProperty("")
    bye_help = StringProperty("")
    help_language = StringProperty("")
    qr = ObjectProperty(None, allownone=True)
    spoken = StringProperty("")
    """What the speaker beside the title reads: the title and the lines, not the code
    (others stand near a library kiosk)."""

    def show(self, view: GoodbyeView, qr_png: bytes | None) -> None:
        self.title, self.title_help = view.title.nl, view.title.help or ""
        self.code = view.code
        self.qr = qr_texture(qr_png) if qr_png else None
        cert = view.certificate
        self.certificate_text = cert.nl if cert else ""
        self.certificate_help = (cert.help or "") if cert else ""
        self.bye_text, self.bye_help = view.bye.nl, view.bye.help or ""
        self.help_language = view.title.help_language or ""
        self.spoken = " ".join([view.title.nl, *(line.nl for line in view.lines)])
        box = self.ids.lines
        box.clear_widgets()
        for line in view.lines:
            box.add_widget(WrapLabel(text=line.nl, font_size=sp(SIZES.body + 1)))
            if line.help:
                box.add_widget(HelpLabel(logical_text=line.help, language=self.help_language))

    def refresh_language(self) -> None:
        App.get_running_app().show_goodbye()

    def wipe(self) -> None:
        """The session ended: the code is not drawn again."""
        self.code = ""
        self.qr = None
        self.ids.lines.clear_widgets()

    def certificate(self) -> None:
        App.get_running_app().show_certificate()

    def bye(self) -> None:
        App.get_running_app().reset_session("goodbye")
