"""The coach panel beside the simulation, the practice card, and the 'show me' frame."""

from __future__ import annotations

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.modalview import ModalView
from kivy.uix.widget import Widget

from kiosk.ui.presenters import CardView, FeedbackView
from kiosk.ui.theme import PALETTE, rgba
from kiosk.ui.widgets import load_widget_kv

FEEDBACK_COLOURS = {
    "correct": (PALETTE.correct, PALETTE.correct_bg),
    "explain": (PALETTE.correct, PALETTE.correct_bg),
    "wrong": (PALETTE.wrong, PALETTE.wrong_bg),
    "refused": (PALETTE.refused, PALETTE.refused_bg),
    "hint": (PALETTE.text, PALETTE.hint_bg),
}


class FeedbackBox(BoxLayout):
    """Feedback with an icon and words, never colour alone."""

    kind = StringProperty("")
    icon = StringProperty("")
    title = StringProperty("")
    text = StringProperty("")
    help_text = StringProperty("")
    help_language = StringProperty("")
    fg = ColorProperty(rgba(PALETTE.text))
    bg = ColorProperty(rgba(PALETTE.hint_bg))

    def show(self, view: FeedbackView | None) -> None:
        Animation.cancel_all(self)  # a fade still running must not bring a hidden box back
        if view is None:
            self.kind = ""
            self.opacity = 0
            self.title = self.text = self.help_text = ""
            return
        fg, bg = FEEDBACK_COLOURS[view.kind]
        self.fg, self.bg = rgba(fg), rgba(bg)
        self.icon = view.icon
        # 'why it was right' starts with its own praise; a second 'Goed!' above it is noise
        self.title = "" if view.kind == "explain" else view.title.nl
        self.text = view.text.nl
        self.help_text = view.text.help or ""
        self.help_language = view.text.help_language or ""
        self.kind = view.kind
        self.opacity = 0
        Animation(opacity=1, duration=0.2).start(self)


class CoachPanel(BoxLayout):
    instruction = StringProperty("")
    instruction_help = StringProperty("")
    help_language = StringProperty("")
    help_clip = StringProperty("", allownone=True)
    no_sound_text = StringProperty("")
    stop_help = StringProperty("")
    hint_help = StringProperty("")
    show_me_help = StringProperty("")
    speak_help = StringProperty("")
    card_help = StringProperty("")
    pictogram = StringProperty("")
    progress_label = StringProperty("")
    progress = NumericProperty(0)
    stop_text = StringProperty("")
    hint_text = StringProperty("")
    show_me_text = StringProperty("")
    speak_text = StringProperty("")
    speak_icon = StringProperty("speaker")
    card_text = StringProperty("")
    portrait = BooleanProperty(False)
    """Below the page on a tall screen: a line on top, the four tiles in one row."""
    text_room = NumericProperty(0)
    """The height the instruction and the feedback share (the rest of the panel is fixed)."""
    __events__ = ("on_hint", "on_show_me", "on_speak", "on_card", "on_stop")

    def on_hint(self) -> None:
        pass

    def on_show_me(self) -> None:
        pass

    def on_speak(self) -> None:
        pass

    def on_card(self) -> None:
        pass

    def on_stop(self) -> None:
        pass


class PracticeCard(ModalView):
    """The 'oefenkaart': the persona's made-up data, one tap away."""

    title = StringProperty("")
    note = StringProperty("")
    close_text = StringProperty("")
    note_help = StringProperty("")
    close_help = StringProperty("")
    help_language = StringProperty("")
    lines = ListProperty([])

    def fill(self, view: CardView) -> None:
        self.title = view.title.nl
        self.note = view.note.nl
        self.close_text = view.close.nl
        self.note_help = view.note.help or ""
        self.close_help = view.close.help or ""
        self.help_language = view.note.help_language or ""
        grid = self.ids.grid
        grid.clear_widgets()
        for (label, value), spoken in zip(view.lines, view.spoken_lines, strict=True):
            grid.add_widget(
                CardField(
                    label=label.nl,
                    value=value,
                    spoken=spoken,
                    label_help=label.help or "",
                    help_language=label.help_language or "",
                )
            )


class CardField(BoxLayout):
    """One line of the practice card: a small label above a large value."""

    label = StringProperty("")
    value = StringProperty("")
    spoken = StringProperty("")
    label_help = StringProperty("")
    help_language = StringProperty("")


class ConfirmDialog(ModalView):
    question = StringProperty("")
    yes_text = StringProperty("")
    no_text = StringProperty("")
    question_help = StringProperty("")
    yes_help = StringProperty("")
    no_help = StringProperty("")
    help_language = StringProperty("")
    __events__ = ("on_yes",)

    def on_yes(self) -> None:
        pass


class HighlightFrame(Widget):
    """A pulsing frame around the element to tap ('Laat zien'); follows scrolling."""

    target = ObjectProperty(None, allownone=True)
    frame = ListProperty([0, 0, 0, 0])
    line_width = NumericProperty(3)
    active = BooleanProperty(False)

    def point_at(self, widget: Widget, seconds: float = 10.0) -> None:
        self.target = widget
        self.active = True
        self._follow()
        Clock.unschedule(self._follow)
        Clock.schedule_interval(self._follow, 1 / 30)
        Animation.cancel_all(self, "line_width")
        pulse = Animation(line_width=7, duration=0.45, t="in_out_sine") + Animation(
            line_width=3, duration=0.45, t="in_out_sine"
        )
        pulse.repeat = True
        pulse.start(self)
        Clock.unschedule(self.clear)
        Clock.schedule_once(self.clear, seconds)

    def clear(self, *_args) -> None:
        self.active = False
        self.target = None
        Clock.unschedule(self._follow)
        Animation.cancel_all(self, "line_width")

    def _follow(self, *_args) -> None:
        target = self.target
        if target is None or target.get_root_window() is None:
            self.clear()
            return
        x, y = target.to_window(target.x, target.y)
        x, y = self.to_widget(x, y)
        margin = 6
        self.frame = [x - margin, y - margin, target.width + 2 * margin, target.height + 2 * margin]


load_widget_kv(__file__)
