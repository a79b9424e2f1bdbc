"""Basic kiosk widgets: wrapping labels, pictograms, buttons with a pressed state."""

from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    DictProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget
from kivy.utils import escape_markup

from kiosk.i18n.bidi import display_text, visual_line
from kiosk.i18n.fonts import font_for_script
from kiosk.i18n.languages import language
from kiosk.scenario.pictograms import FALLBACK_TEXT, glyph
from kiosk.ui.presenters import keep_together, spoken_span
from kiosk.ui.theme import PALETTE, rgba
from kiosk.ui.widgets import load_widget_kv


class ScrollPane(ScrollView):
    """A ScrollView that keeps one binding for its bar's colour, not one per scroll.

    Kivy (2.3 and its main branch) binds the bar's colour on every scroll or resize and
    unbinds it once, half a second after the last one. A pane that scrolls or is laid out
    many times within that half second keeps the extra bindings for as long as it lives,
    which for the kiosk's panes is all day: about 80 a visitor.
    """

    def update_from_scroll(self, *largs) -> None:
        self.funbind("bar_color", self._change_bar_color)
        super().update_from_scroll(*largs)


def scroll_parent(widget: Widget) -> ScrollView | None:
    """The nearest ScrollView holding `widget` (the window is its own parent: stop there)."""
    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        if isinstance(parent, ScrollView):
            return parent
        parent = parent.parent
    return None


def scroll_to_top(view: ScrollView) -> None:
    """Show the top of a new pane: stop a swipe still gliding or springing back, now
    and once the new content has its size."""

    def reset(*_args) -> None:
        for effect in (view.effect_x, view.effect_y):
            if effect is not None:
                effect.velocity = 0
                if hasattr(effect, "overscroll"):
                    effect.overscroll = 0
        view.scroll_y = 1

    reset()
    Clock.schedule_once(reset, 0)


def reveal(pane: ScrollView, widget: Widget, padding: float = 10) -> None:
    """Scroll `pane` the least that shows `widget` whole (with `padding` around it where
    there is room). Measured inside the pane's content, so it holds wherever the pane was
    scrolled and however the content moved within the frame."""
    if not pane.children:
        return
    content = pane.children[0]
    room = pane.height
    spare = content.height - room
    if spare <= 0:
        pane.scroll_y = 1
        return
    bottom = widget.to_window(widget.x, widget.y)[1] - content.to_window(content.x, content.y)[1]
    top = bottom + widget.height
    padding = max(0.0, min(padding, (room - widget.height) / 2))
    low = spare * pane.scroll_y  # the content's lowest point in sight
    if bottom - padding < low:
        low = bottom - padding
    elif top + padding > low + room:
        low = top + padding - room
    else:
        return
    for effect in (pane.effect_x, pane.effect_y):
        if effect is not None:
            effect.velocity = 0
    pane.scroll_y = min(1.0, max(0.0, low / spare))


def lit_markup(text: str, start: int, length: int) -> str | None:
    """`text` as markup with the word being read lit (colour and underline); None when the
    word is not in it. Dates and amounts are kept together before the colour goes in (same
    length: a space becomes a no-break space), then the whole run around the word is lit."""
    text = keep_together(text)
    if not 0 <= start < start + length <= len(text):
        return None
    start, end = spoken_span(text, start, length)
    colour = PALETTE.highlight.lstrip("#")
    return (
        escape_markup(text[:start])
        + f"[color={colour}][u]"
        + escape_markup(text[start:end])
        + "[/u][/color]"
        + escape_markup(text[end:])
    )


class WrapLabel(Label):
    """A label that wraps to its width and is as tall as its text; postcodes, dates,
    amounts and times are never broken over two lines."""

    min_height = NumericProperty(0)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # Bound after Label's own observer: Label hands the value it is given to its text
        # renderer, so a change made before it (in on_text) would be drawn as the old text.
        self.fbind("text", self._keep_together)
        self._keep_together()

    def _keep_together(self, *_args) -> None:
        kept = keep_together(self.text)
        if kept != self.text:
            self.text = kept


class SpokenLabel(WrapLabel):
    """A wrapping label whose spoken word can be highlighted (colour and underline, so the
    line never re-wraps while it is read). Set `plain_text`, not `text`."""

    plain_text = StringProperty("")

    def on_plain_text(self, *_args) -> None:
        self.markup = True
        self.text = escape_markup(self.plain_text)

    def show_spoken_word(self, start: int, length: int) -> None:
        lit = lit_markup(self.plain_text, start, length)
        if lit is not None:
            self.text = lit

    def clear_spoken_word(self) -> None:
        self.text = escape_markup(self.plain_text)


class HelpLabel(Label):
    """The visitor's language beneath the Dutch: the font of its script, and right-to-left
    text wrapped first, then shaped and reordered line by line (see kiosk.i18n.bidi)."""

    logical_text = StringProperty("")
    language = StringProperty("")
    rtl = BooleanProperty(False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._trigger = Clock.create_trigger(self._refresh, -1)
        self.bind(
            logical_text=self._trigger,
            language=self._trigger,
            width=self._trigger,
            font_size=self._trigger,
        )
        self._trigger()

    def _refresh(self, *_args) -> None:
        lang = language(self.language)
        self.font_name = font_for_script(lang.script)
        self.rtl = lang.rtl
        self.halign = "right" if self.rtl else "left"
        text = keep_together(self.logical_text) if self.language else ""
        if not text or not self.rtl or self.width < 20:
            self.text = text
            return
        measurer = CoreLabel(font_name=self.font_name, font_size=self.font_size, bold=self.bold)
        self.text = display_text(text, self.width - 4, lambda line: measurer.get_extents(line)[0])

    def show_spoken_word(self, start: int, length: int) -> None:
        """Shaped right-to-left text has no reliable word positions: no highlight, never a
        wrong one (left-to-right help text is highlighted like the Dutch)."""
        if self.rtl or not self.logical_text:
            return
        lit = lit_markup(self.logical_text, start, length)
        if lit is not None:
            self.markup = True
            self.text = lit

    def clear_spoken_word(self) -> None:
        self.markup = False
        self._refresh()


class ScriptLabel(Label):
    """One line in any script: the right font, and right-to-left text in visual order."""

    logical_text = StringProperty("")
    script = StringProperty("latin")

    def on_logical_text(self, *_args) -> None:
        self.text = visual_line(self.logical_text)

    def on_script(self, *_args) -> None:
        self.font_name = font_for_script(self.script)


def _glyph(name: str) -> str | None:
    app = App.get_running_app()
    if app is None:
        return None
    return glyph(getattr(app, "pictograms", {}), name, getattr(app, "icons_ok", False))


class Pictogram(Label):
    """A named pictogram from assets/pictograms.yaml; one that cannot be drawn (an unknown
    name, a missing registry or icon font) shows a sign from the text font where the
    button needs one (see FALLBACK_TEXT), else a plain ring of the same size."""

    name = StringProperty("")
    known = BooleanProperty(False)

    def on_name(self, *_args) -> None:
        character = _glyph(self.name)
        self.known = character is not None
        self.text = character or FALLBACK_TEXT.get(self.name, "")


class Pressable(ButtonBehavior, BoxLayout):
    """A box that reacts to a tap, with a pressed colour on the very next frame."""

    bg_color = ColorProperty(rgba(PALETTE.quiet))
    pressed_color = ColorProperty(rgba(PALETTE.quiet_pressed))
    radius = NumericProperty(12)


class KioskButton(Pressable):
    """A big kiosk button: a pictogram and a text."""

    text = StringProperty("")
    icon = StringProperty("")
    text_color = ColorProperty(rgba(PALETTE.text))
    font_size = NumericProperty(20)
    style = StringProperty("quiet")
    halign = StringProperty("left")
    help_text = StringProperty("")
    help_language = StringProperty("")

    def on_style(self, *_args) -> None:
        if self.style == "action":
            self.bg_color = rgba(PALETTE.action)
            self.pressed_color = rgba(PALETTE.action_pressed)
            self.text_color = rgba(PALETTE.action_text)
        else:
            self.bg_color = rgba(PALETTE.quiet)
            self.pressed_color = rgba(PALETTE.quiet_pressed)
            self.text_color = rgba(PALETTE.text)


class TileButton(KioskButton):
    """A compact button: the pictogram above a short label."""


class SpeakButton(ButtonBehavior, Label):
    """A speaker beside a text: speaks it, or stops it while it speaks.

    Shows a crossed-out speaker when this text cannot be heard (no sound, or
    no voice and no recording for its language).
    """

    source = StringProperty("")
    speak_text = StringProperty("")
    language = StringProperty("nl")
    clip = StringProperty("", allownone=True)
    target = ObjectProperty(None, allownone=True)
    hearable = BooleanProperty(True)
    active = BooleanProperty(False)
    glyphs = DictProperty({})
    known = BooleanProperty(True)
    """False without the icon font or registry: a speaker is drawn from plain shapes."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        speaker = App.get_running_app().speaker
        speaker.bind(speaking=self._update, audio_on=self._update, voices_known=self._update)
        self.bind(source=self._update, language=self._update, clip=self._update)
        self._update()

    def _update(self, *_args) -> None:
        speaker = App.get_running_app().speaker
        self.hearable = speaker.can_speak(self.language, self.clip or None)
        self.active = bool(self.source) and speaker.speaking == self.source
        name = "stop" if self.active else ("speaker" if self.hearable else "speaker-off")
        character = _glyph(name)
        self.known = character is not None
        self.text = character or ""

    def on_release(self) -> None:
        if self.hearable:
            App.get_running_app().speaker.press(
                self.source, self.speak_text, self.language, self.clip or None, self.target
            )


load_widget_kv(__file__)
