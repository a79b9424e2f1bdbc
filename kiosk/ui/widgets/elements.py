"""One widget per element type of the scenario format, shared by page and phone.

`build_element` turns an ElementView into a widget and wires its touches to
the stage's listener, which turns them into engine actions.
"""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

from kivy.core.text import Label as CoreLabel
from kivy.graphics.texture import Texture
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.dropdown import DropDown
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget
from kivy.utils import escape_markup

from kiosk.scenario import model
from kiosk.ui.presenters import ElementView, code_groups, spoken_text
from kiosk.ui.theme import PALETTE, rgba
from kiosk.ui.widgets import load_widget_kv
from kiosk.ui.widgets.common import Pressable, SpokenLabel, WrapLabel
from kiosk.ui.widgets.forms import (
    build_reference,
    build_summary,
    build_upload,
    set_field_error,
)


class StageListener(Protocol):
    """What the practice screen does with touches on the simulation."""

    def tap(self, element_id: str) -> None: ...
    def focus_field(self, view: ElementView, widget: Widget) -> None: ...
    def choose(self, field_id: str, option_id: str) -> None: ...
    def answer(self, option_id: str) -> None: ...
    def register(self, target_id: str, widget: Widget) -> None: ...
    def read(self, source: str, text: str, target: Widget | None = None) -> None: ...


# --- Element widgets (their looks are in simulation.kv) --------------------------------


class ElHeading(ButtonBehavior, SpokenLabel):
    """A heading; tapping it reads it aloud."""

    level = NumericProperty(1)
    compact = BooleanProperty(False)


class ElText(ButtonBehavior, SpokenLabel):
    """A paragraph that is not part of the task; tapping it reads it aloud."""


class ElTapText(ButtonBehavior, WrapLabel):
    pass


class ElInfo(ButtonBehavior, BoxLayout):
    text = StringProperty("")
    title = StringProperty("")
    tone = StringProperty("info")
    icon = StringProperty("info-filled")
    bg = ColorProperty(rgba(PALETTE.info_bg))
    stripe = ColorProperty(rgba(PALETTE.page_link))


class ElLink(ButtonBehavior, WrapLabel):
    pass


class ElButton(ButtonBehavior, Label):
    primary = BooleanProperty(True)
    compact = BooleanProperty(False)
    natural_width = NumericProperty(0)
    max_width = NumericProperty(300)

    def on_text(self, *_args) -> None:
        self._measure()

    def on_font_size(self, *_args) -> None:
        self._measure()

    def _measure(self) -> None:
        """The text's width on one line: the button is that wide, if the page allows."""
        measure = CoreLabel(text=self.text, font_size=self.font_size, bold=True)
        measure.refresh()
        self.natural_width = measure.texture.size[0] if measure.texture else 0


class FieldBox(ButtonBehavior, Label):
    """The box of an input field: shows the value, and a caret while typing."""

    focused = BooleanProperty(False)
    shown = StringProperty("")
    placeholder = StringProperty("")


class ElInput(BoxLayout):
    label = StringProperty("")
    help = StringProperty("")
    view = ObjectProperty(None, allownone=True)


class OptionRow(ButtonBehavior, BoxLayout):
    text = StringProperty("")
    selected = BooleanProperty(False)
    icon_on = StringProperty("radio-on")
    icon_off = StringProperty("radio-off")


class ElChoiceGroup(BoxLayout):
    label = StringProperty("")


class SelectBox(ButtonBehavior, BoxLayout):
    text = StringProperty("")
    has_choice = BooleanProperty(False)


class SelectRow(ButtonBehavior, Label):
    pass


class ElInboxItem(ButtonBehavior, BoxLayout):
    sender = StringProperty("")
    subject = StringProperty("")
    date = StringProperty("")
    unread = BooleanProperty(False)


class ElSms(BoxLayout):
    sender = StringProperty("")
    time = StringProperty("")
    markup_text = StringProperty("")
    tappable = BooleanProperty(False)


class SmsText(ButtonBehavior, WrapLabel):
    pass


class QrPattern(Widget):
    """A QR-like square: finder patterns and modules derived from a seed (not a real code)."""

    seed = StringProperty("oefenen")
    texture = ObjectProperty(None, allownone=True)

    def on_seed(self, *_args) -> None:
        self.texture = qr_texture(self.seed)


class ElQr(ButtonBehavior, BoxLayout):
    caption = StringProperty("")
    seed = StringProperty("")


class ElQrScan(ButtonBehavior, FloatLayout):
    text = StringProperty("")


class CodeGroup(Label):
    """One group of a code (`2026-`), its characters spaced apart to copy them one by one."""


class ElCode(ButtonBehavior, BoxLayout):
    """A code to copy, as big as the page allows: a long one (`ZT-2026-0048-1193`) flows
    onto more lines between its groups, never cut off and never split inside a group."""

    label = StringProperty("")
    code = StringProperty("")
    letters = ListProperty([])
    natural_width = NumericProperty(0)

    def on_kv_post(self, base_widget) -> None:
        self.on_code()

    def on_code(self, *_args) -> None:
        box = self.ids.get("groups")
        if box is None:
            return  # set before the kv rules: drawn in on_kv_post
        box.clear_widgets()
        widths = []
        for group in code_groups(self.code):
            part = CodeGroup(text="  ".join(group))
            part.texture_update()
            widths.append(part.texture_size[0])
            box.add_widget(part)
        padding = box.padding[0] + box.padding[2]
        self.natural_width = sum(widths) + box.spacing[0] * max(len(widths) - 1, 0) + padding


class TapFrame(Pressable):
    """A pressable wrapper for an element that has its own layout."""


QR_SIZE = 25


def qr_texture(seed: str) -> Texture:
    """A 25x25 black-and-white texture that looks like a QR code."""
    digest = hashlib.sha256(seed.encode()).digest() * 20
    pixels = bytearray()
    for y in range(QR_SIZE):
        for x in range(QR_SIZE):
            dark = digest[(y * QR_SIZE + x) % len(digest)] & 1
            for fx, fy in ((0, 0), (QR_SIZE - 7, 0), (0, QR_SIZE - 7)):
                if fx <= x < fx + 7 and fy <= y < fy + 7:
                    dx, dy = x - fx, y - fy
                    ring = min(dx, dy, 6 - dx, 6 - dy)
                    dark = ring != 1
            value = 20 if dark else 255
            pixels += bytes((value, value, value))
    texture = Texture.create(size=(QR_SIZE, QR_SIZE), colorfmt="rgb")
    texture.mag_filter = "nearest"
    texture.min_filter = "nearest"
    texture.blit_buffer(bytes(pixels), colorfmt="rgb", bufferfmt="ubyte")
    return texture


# --- Building -------------------------------------------------------------------------------


def _sms_markup(text: str, link_id: str | None) -> str:
    """Sms text with the part between [ and ] as a tappable, underlined link."""
    colour = PALETTE.page_link.lstrip("#")

    def link(match: re.Match) -> str:
        inner = escape_markup(match.group(1))
        if link_id:
            return f"[ref={link_id}][color={colour}][u]{inner}[/u][/color][/ref]"
        return f"[color={colour}][u]{inner}[/u][/color]"

    parts = re.split(r"(\[[^\]]+\])", text)
    return "".join(
        link(re.match(r"\[([^\]]+)\]", p)) if re.fullmatch(r"\[[^\]]+\]", p) else escape_markup(p)
        for p in parts
    )


def build_element(view: ElementView, listener: StageListener, compact: bool = False) -> Widget:
    """The widget for one element; touches go to `listener`."""
    element = view.element
    widget = _build(view, element, listener, compact)
    if view.id:
        listener.register(view.id, widget)
    if isinstance(element, model.Sms) and element.link:
        listener.register(element.link, widget)
    return widget


def _readable(widget: Widget, element, listener: StageListener, highlight: bool = True) -> Widget:
    """Tapping the widget reads the element aloud (in Dutch, as the page shows it)."""
    text = spoken_text(element)
    if text:
        source = f"read:{id(widget)}"
        target = widget if highlight else None
        widget.bind(on_release=lambda *_: listener.read(source, text, target))
    return widget


def _build(view: ElementView, element, listener: StageListener, compact: bool) -> Widget:
    match element:
        case model.Heading():
            widget = ElHeading(plain_text=element.text, level=element.level, compact=compact)
            return _readable(widget, element, listener)
        case model.Paragraph(id=None):
            return _readable(ElText(plain_text=element.text), element, listener)
        case model.Paragraph():
            widget = ElTapText(text=element.text)
            widget.bind(on_release=lambda *_: listener.tap(element.id))
            return widget
        case model.Bullets():
            text = "\n".join(f"\u2022  {item}" for item in element.items)
            return _readable(ElText(plain_text=text), element, listener, highlight=False)
        case model.InfoBox():
            icons = {
                "info": "info-filled",
                "warning": "warning",
                "error": "error",
                "success": "success",
            }
            widget = ElInfo(
                text=element.text,
                title=element.title or "",
                tone=element.tone,
                icon=icons[element.tone],
            )
            return _readable(widget, element, listener, highlight=False)
        case model.Link():
            widget = ElLink(text=f"[u]{escape_markup(element.text)}[/u]")
            widget.bind(on_release=lambda *_: listener.tap(element.id))
            return widget
        case model.Button():
            widget = ElButton(
                text=element.text, primary=element.style == "primary", compact=compact
            )
            widget.bind(on_release=lambda *_: listener.tap(element.id))
            return widget
        case model.Input():
            widget = ElInput(label=element.label, help=element.help or "", view=view)
            widget.ids.box.shown = view.value
            widget.ids.box.bind(on_release=lambda box: listener.focus_field(view, widget))
            set_field_error(widget, view.error)  # the page's own message, as real forms do
            return widget
        case model.Radio():
            return _radio(view, element, listener)
        case model.Select():
            return _select(view, element, listener)
        case model.Checkbox():
            widget = OptionRow(
                text=element.text, selected=view.checked, icon_on="check-on", icon_off="check-off"
            )
            widget.bind(on_release=lambda *_: listener.tap(element.id))
            return widget
        case model.QrCode():
            widget = ElQr(caption=element.caption or "", seed=element.id or element.caption or "qr")
            if element.id:
                widget.bind(on_release=lambda *_: listener.tap(element.id))
            return widget
        case model.QrScan():
            widget = ElQrScan(text=element.text)
            widget.bind(on_release=lambda *_: listener.tap(element.id))
            return widget
        case model.CodeDisplay():
            widget = ElCode(label=element.label, code=element.value, letters=list(element.value))
            return _readable(widget, element, listener, highlight=False)
        case model.InboxItem():
            widget = ElInboxItem(
                sender=element.sender,
                subject=element.subject,
                date=element.date,
                unread=element.unread,
            )
            widget.bind(on_release=lambda *_: listener.tap(element.id))
            return widget
        case model.Sms():
            return _sms(element, listener)
        case model.SummaryTable():
            return build_summary(element, listener.tap, listener.register)
        case model.Reference():
            return build_reference(element, listener.tap)
        case model.Upload():
            return build_upload(element, view.checked, listener.tap, listener.register)
    return ElText(plain_text="")


def _radio(view: ElementView, element: model.Radio, listener: StageListener) -> Widget:
    group = ElChoiceGroup(label=element.label)
    for option in element.options:
        row = OptionRow(text=option.text, selected=view.chosen == option.id)
        row.bind(on_release=lambda *_, o=option: listener.choose(element.id, o.id))
        group.ids.rows.add_widget(row)
    return group


def _select(view: ElementView, element: model.Select, listener: StageListener) -> Widget:
    group = ElChoiceGroup(label=element.label)
    chosen = next((o.text for o in element.options if o.id == view.chosen), None)
    box = SelectBox(text=chosen or "Maak een keuze", has_choice=chosen is not None)

    def open_list(*_args) -> None:
        dropdown = DropDown(auto_width=True, max_height=box.height * 6)
        for option in element.options:
            row = SelectRow(text=option.text)
            row.bind(
                on_release=lambda _row, o=option: (
                    dropdown.dismiss(),
                    listener.choose(element.id, o.id),
                )
            )
            dropdown.add_widget(row)
        dropdown.open(box)

    box.bind(on_release=open_list)
    group.ids.rows.add_widget(box)
    return group


def _sms(element: model.Sms, listener: StageListener) -> Widget:
    widget = ElSms(
        sender=element.sender,
        time=element.time,
        markup_text=_sms_markup(element.text, element.link),
        tappable=element.id is not None,
    )
    text = widget.ids.text
    # A touch on the link is taken by the label's ref (no release follows);
    # a touch anywhere else on the text is a tap on the message.
    if element.link:
        text.bind(on_ref_press=lambda _label, ref: listener.tap(ref))
    if element.id:
        text.bind(on_release=lambda *_: listener.tap(element.id))
    else:
        _readable(text, element, listener, highlight=False)
    return widget


load_widget_kv(__file__)
