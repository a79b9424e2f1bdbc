"""Practice: the banner, the simulation, the coach panel and the keyboard.

Touches become engine actions; the engine's outcome decides what is shown.
What the visitor is typing lives only in this screen's memory until the
engine accepts it, and is dropped on every wipe.
"""

from __future__ import annotations

from kivy.animation import Animation
from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.i18n.languages import language
from kiosk.scenario import model
from kiosk.scenario.engine import Action, Answer, Choose, Outcome, ScenarioRun, Tap, Type
from kiosk.ui.presenters import (
    HIDDEN_KINDS,
    MASK,
    ElementView,
    FeedbackView,
    Words,
    card_view,
    feedback_view,
    hint_view,
    is_portrait,
    practice_view,
    ui,
    untranslated_notice,
)
from kiosk.ui.screens import load_screen_kv
from kiosk.ui.widgets.coach import ConfirmDialog, PracticeCard
from kiosk.ui.widgets.common import Pressable, reveal, scroll_parent, scroll_to_top
from kiosk.ui.widgets.elements import ElInput
from kiosk.ui.widgets.forms import set_field_error
from kiosk.ui.widgets.keyboard import OnScreenKeyboard  # noqa: F401 - used in practice.kv
from kiosk.ui.widgets.language import LanguageChoice  # noqa: F401 - used in practice.kv
from kiosk.ui.widgets.stage import LetterSheet, QuestionPanel, SimPage, SimPhone

load_screen_kv(__file__)

AUTO_SUBMIT_KINDS = ("pin", "code")
"""Fields that move on by themselves once full, as apps do for a pincode."""


class BannerToggle(Pressable):
    icon = StringProperty("")
    text = StringProperty("")
    active = BooleanProperty(False)
    compact = BooleanProperty(False)


class PracticeScreen(Screen):
    run: ScenarioRun | None = None
    banner_text = StringProperty("")
    correct_text = StringProperty("")
    auto_read = BooleanProperty(True)
    slow = BooleanProperty(True)
    auto_read_text = StringProperty("")
    speed_text = StringProperty("")
    banner_help = StringProperty("")
    help_language = StringProperty("")
    language_name = StringProperty("")
    language_code = StringProperty("")
    language_script = StringProperty("latin")
    text_size_text = StringProperty("")
    card_popup = ObjectProperty(None, allownone=True)
    portrait = BooleanProperty(False)
    """A tall screen: the coach panel goes below the page instead of beside it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.run = None
        self._panes: dict[str, Widget] = {}
        # per pane: the view it shows and the targets it registered, so that the next step
        # keeps a pane whose view did not change instead of building it again
        self._shown: dict[str, tuple[object, dict[str, Widget]]] = {}
        self.drawn_anew: set[str] = set()
        """The panes the last step drew anew (the others were kept as they were)."""
        self._targets: dict[str, Widget] = {}
        self._buffers: dict[str, str] = {}
        self._focused: ElementView | None = None
        self._focused_widget: ElInput | None = None
        self.last_explain: model.Text | None = None
        self._instruction = Words("")
        self._keep_focused_seen = Clock.create_trigger(self._show_focused_field, 0)
        self._frames_to_settle = 0
        self._watched: list[tuple[Widget, str]] = []

    def on_size(self, *_args) -> None:
        self.portrait = is_portrait(self.width, self.height)

    def on_kv_post(self, base_widget) -> None:
        speaker = App.get_running_app().speaker
        speaker.bind(
            auto_read=self._audio_choices,
            speed=self._audio_choices,
            speaking=self._speak_tile,
            audio_on=self._speak_tile,
        )
        self._audio_choices()
        # Declared in the kv file, shown only while a field is in use. ids hold weak
        # references, so the screen keeps its own while the keyboard is detached.
        self.keyboard = self.ids.keyboard.__self__
        self._hide_keyboard()

    # --- session ------------------------------------------------------------------------

    def start(self, run: ScenarioRun) -> None:
        self.wipe()
        self.run = run
        # told before the first step: this exercise has no translation in the chosen language
        self.render(untranslated_notice(run.scenario, self.lang))

    def wipe(self) -> None:
        """Forget everything typed here and the run itself: buffers, the focused field,
        popups. Nothing of a wiped run is drawn again (a language change redraws only a
        run that is still here)."""
        self._buffers.clear()
        self._forget_shown()
        self._unfocus()
        self._hide_keyboard()
        if self.run is not None:
            self.run.wipe()
        self.run = None
        if self.card_popup is not None:
            self.card_popup.dismiss()
        self.ids.highlight.clear()
        self.last_explain = None

    def on_leave(self, *_args) -> None:
        self.ids.highlight.clear()
        self._hide_keyboard()
        App.get_running_app().speaker.stop()

    def refresh_language(self) -> None:
        if self.run is not None and not self.run.finished:
            self.render()

    @property
    def lang(self) -> str:
        return App.get_running_app().language

    # --- drawing ------------------------------------------------------------------------

    def render(self, feedback: FeedbackView | None = None, reuse: bool = False) -> None:
        """Draw the run's step. With `reuse` (the next step of the same run) a pane whose
        view is the same as before is kept as it is: less work per step, and a page does
        not jump back to its top when the visitor acted on the phone."""
        view = practice_view(self.run, self.lang)
        self.banner_text = ui("OEFENEN \u2014 dit is niet echt", self.lang).nl
        coach = self.ids.coach
        lang = self.lang
        self.correct_text = ui("Goed!", lang).nl
        for name, words in (
            ("stop", ui("Stoppen", lang)),
            ("hint", ui("Hint", lang)),
            ("show_me", ui("Laat zien", lang)),
            ("card", ui("Oefenkaart", lang)),
        ):
            setattr(coach, f"{name}_text", words.nl)
            setattr(coach, f"{name}_help", words.help or "")
        banner = ui("OEFENEN \u2014 dit is niet echt", lang)
        self.banner_help = banner.help or ""
        self.help_language = lang if lang != "nl" else ""
        current = language(lang)
        self.language_name, self.language_script = current.native_name, current.script
        self.language_code = current.code.upper()
        self.text_size_text = ui("Grote letters", lang).nl
        coach.help_language = self.help_language
        coach.instruction_help = view.instruction.help or ""
        coach.help_clip = view.instruction.clip_help
        coach.instruction = view.instruction.nl
        self._instruction = view.instruction
        self._audio_choices()
        coach.pictogram = view.pictogram
        coach.progress_label = view.progress_label.nl
        coach.progress = view.progress
        scroll_to_top(coach.ids.scroll)
        self.show_feedback(feedback)
        self._targets = {}
        self._unfocus()
        self._hide_keyboard()
        self.ids.highlight.clear()
        self.drawn_anew = set()
        widgets: dict[str, Widget] = {}
        for name, value in (
            ("page", view.page),
            ("phone", view.phone),
            ("letter", view.letter),
            ("question", view.question),
        ):
            if value is not None:
                widget = self._pane(name)
                self._show_pane(name, widget, value, reuse)
                widgets[name] = widget
        self.ids.stage.show(view.panes, widgets)
        if App.get_running_app().speaker.auto_read:
            self.read_instruction(auto=True)

    def _show_pane(self, name: str, widget: Widget, value: object, reuse: bool) -> None:
        shown = self._shown.get(name)
        if reuse and shown is not None and shown[0] == value:
            self._targets.update(shown[1])
            return
        before = set(self._targets)
        widget.show(value, self)
        self.drawn_anew.add(name)
        added = {key: target for key, target in self._targets.items() if key not in before}
        self._shown[name] = (value, added)

    def _forget_shown(self) -> None:
        """Every pane and element widget may have been changed in place: none is kept."""
        self._shown.clear()
        for pane in self._panes.values():
            shelf = getattr(pane, "shelf", None)
            if shelf is not None:
                shelf.forget()

    def _pane(self, name: str) -> Widget:
        if name not in self._panes:
            factory = {
                "page": SimPage,
                "phone": SimPhone,
                "letter": LetterSheet,
                "question": QuestionPanel,
            }[name]
            self._panes[name] = factory()
        return self._panes[name]

    def show_feedback(self, feedback: FeedbackView | None) -> None:
        coach = self.ids.coach
        coach.ids.feedback.show(feedback)
        scroll_to_top(coach.ids.feedback_scroll)  # new words are read from their start

    def flash_correct(self) -> None:
        toast = self.ids.toast
        Animation.cancel_all(toast)
        toast.opacity = 1
        Animation(opacity=0, duration=0.9, t="in_quad").start(toast)

    # --- the StageListener protocol: touches on the simulation ------------------------------

    def register(self, target_id: str, widget: Widget) -> None:
        self._targets[target_id] = widget

    def tap(self, element_id: str) -> None:
        if self._commit_typing():
            self.act(Tap(element_id))

    def choose(self, field_id: str, option_id: str) -> None:
        if self._commit_typing():
            self.act(Choose(field_id, option_id))

    def answer(self, option_id: str) -> None:
        self.act(Answer(option_id))

    def focus_field(self, view: ElementView, widget: Widget) -> None:
        if self._focused is not None and self._focused.id != view.id:
            if not self._commit_typing():
                return
            if view.id not in self._targets:
                return  # the step moved on and the field is no longer shown
            widget = self._targets[view.id]
            view = widget.view
        self._unfocus()
        # typing changes the field in place: its pane and its widget are drawn anew at the
        # next step (the pane's other elements are kept)
        pane = view.container.split(":")[0]
        self._shown.pop(pane, None)
        shelf = getattr(self._panes.get(pane), "shelf", None)
        if shelf is not None:
            shelf.forget(widget)
        self._focused = view
        self._focused_widget = widget
        kind = view.element.input
        if kind in HIDDEN_KINDS:
            self._buffers[view.id] = ""  # a hidden field is typed afresh, as on real sites
        self._buffers.setdefault(view.id, view.value)
        widget.ids.box.focused = True
        self._show_buffer()
        keyboard = self.keyboard
        keyboard.open_for(kind)
        self._show_keyboard()
        phone = self._panes.get("phone")
        if phone is not None:
            phone.typing = view.container.startswith("phone:")
        self._watch_focused_field(widget)

    # --- typing ---------------------------------------------------------------------------

    def type_text(self, text: str) -> None:
        """Characters from the on-screen or a physical keyboard."""
        view = self._focused
        if view is None:
            return
        buffer = self._buffers.get(view.id, "") + text
        length = view.element.length
        if length is not None:
            buffer = buffer[:length]
        self._buffers[view.id] = buffer
        self._show_buffer()
        if length is not None and len(buffer) == length and view.element.input in AUTO_SUBMIT_KINDS:
            self.submit_typing()

    def backspace(self) -> None:
        view = self._focused
        if view is not None:
            self._buffers[view.id] = self._buffers.get(view.id, "")[:-1]
            self._show_buffer()

    def submit_typing(self) -> None:
        """'Klaar' or Enter: hand what was typed to the engine."""
        self._commit_typing(explicit=True)

    def hide_keyboard(self) -> None:
        self._unfocus()
        self._hide_keyboard()

    def _show_buffer(self) -> None:
        view, widget = self._focused, self._focused_widget
        if view is None or widget is None:
            return
        text = self._buffers.get(view.id, "")
        widget.ids.box.shown = MASK * len(text) if view.element.input in HIDDEN_KINDS else text

    def _commit_typing(self, explicit: bool = False) -> bool:
        """Send the focused field's text to the engine; False when it was not accepted."""
        view = self._focused
        if view is None:
            return True
        text = self._buffers.get(view.id, "")
        unchanged = text == view.value and view.element.input not in HIDDEN_KINDS
        if (not text or unchanged) and not explicit:
            self.hide_keyboard()
            return True
        outcome = self.act(Type(view.id, text))
        if outcome.result == "refused":
            self._buffers[view.id] = ""
            self._show_buffer()
        if outcome.moved:
            self._buffers.pop(view.id, None)
            return True
        return False

    def _watch_focused_field(self, widget: Widget) -> None:
        """Keep the field being typed in seen whole above the keyboard: the keyboard takes
        room from the page a frame later, and a page can grow or the window turn, so the
        pane scrolls again whenever its size or its content's height changes."""
        pane = scroll_parent(widget)
        if pane is None:
            return
        watched = [(pane, "size"), (pane, "pos")]
        if pane.children:
            watched.append((pane.children[0], "height"))
        for source, name in watched:
            source.fbind(name, self._layout_changed)
        self._watched = watched
        self._layout_changed()

    def _layout_changed(self, *_args) -> None:
        # A layout settles over a few frames (the pane, then its content's children): look
        # again on each of the next few, once the positions are final.
        self._frames_to_settle = 4
        self._keep_focused_seen()

    def _show_focused_field(self, *_args) -> None:
        widget = self._focused_widget
        pane = scroll_parent(widget) if widget is not None else None
        if pane is None:
            return
        if self._frames_to_settle > 0:
            self._frames_to_settle -= 1
            self._keep_focused_seen()
        if widget.height + 20 <= pane.height:
            reveal(pane, widget)  # the field with its label
        else:  # a small screen with the keys open: at least the box itself
            reveal(pane, widget.ids.box)

    def _unwatch_focused_field(self) -> None:
        for source, name in self._watched:
            source.funbind(name, self._layout_changed)
        self._watched = []
        self._keep_focused_seen.cancel()

    def _unfocus(self) -> None:
        self._unwatch_focused_field()
        if self._focused_widget is not None:
            self._focused_widget.ids.box.focused = False
            if self._focused is not None:
                self._focused_widget.ids.box.shown = self._focused.value
        self._focused = None
        self._focused_widget = None
        phone = self._panes.get("phone")
        if phone is not None:
            phone.typing = False

    def _show_keyboard(self) -> None:
        keyboard = self.keyboard
        if keyboard.parent is None:
            self.ids.stage_column.add_widget(keyboard)

    def _hide_keyboard(self) -> None:
        keyboard = self.keyboard
        if keyboard.parent is not None:
            keyboard.parent.remove_widget(keyboard)

    # --- the engine -------------------------------------------------------------------------

    def act(self, action: Action) -> Outcome:
        return self.apply(self.run.act(action))

    def apply(self, outcome: Outcome) -> Outcome:
        """Show what the engine decided (an action of the visitor, or a volunteer's skip)."""
        app = App.get_running_app()
        app.on_outcome(outcome)
        if outcome.finished:
            self.last_explain = outcome.feedback
            self._unfocus()
            self._hide_keyboard()
            app.show_finished()
            return outcome
        feedback = feedback_view(outcome, self.lang)
        if outcome.moved:
            shown = feedback if feedback and feedback.kind != "correct" else None
            self.render(shown, reuse=True)
            if outcome.result == "correct":
                self.flash_correct()
        else:
            self._forget_shown()  # a wrong choice or field error changed the pane in place
            self.show_feedback(feedback)
            self._show_field_errors()
            if outcome.offer_show_me:
                self._point(self.run.show_me_target().element)
        return outcome

    def _show_field_errors(self) -> None:
        """A wrong answer in a field: the page shows its own error under it, in place."""
        view = practice_view(self.run, self.lang)
        for pane in (view.page, view.phone):
            for element in pane.elements if pane else ():
                widget = self._targets.get(element.id or "")
                if isinstance(widget, ElInput):
                    set_field_error(widget, element.error)

    # --- coach buttons ----------------------------------------------------------------------

    def hint(self) -> None:
        App.get_running_app().on_help(self.run.step_id, show_me=False)
        hint = self.run.hint()
        self.show_feedback(hint_view(hint, self.lang))
        if hint.show_me:
            self._point(hint.show_me)

    def show_me(self) -> None:
        App.get_running_app().on_help(self.run.step_id, show_me=True)
        self._point(self.run.show_me().element)

    def speak(self) -> None:
        """The coach's speaker tile: the instruction in Dutch, or stop it."""
        speaker = App.get_running_app().speaker
        if speaker.speaking == "instruction":
            speaker.stop()
        else:
            App.get_running_app().on_heard("nl")
            self.read_instruction()

    def read_instruction(self, auto: bool = False) -> None:
        """Read the instruction; read by itself, it is in the visitor's language when
        that language can be heard, and in Dutch otherwise."""
        speaker = App.get_running_app().speaker
        words = self._instruction
        coach = self.ids.coach
        if auto and words.help and speaker.can_speak(words.help_language, words.clip_help):
            speaker.say(
                "instruction",
                words.help,
                words.help_language,
                words.clip_help,
                coach.ids.get("help_instruction"),
            )
        else:
            speaker.say("instruction", words.nl, "nl", words.clip_nl, coach.ids.instruction)

    def read(self, source: str, text: str, target=None) -> None:
        """A text block of the page or letter was tapped: read it (in Dutch, as shown)."""
        App.get_running_app().speaker.press(source, text, "nl", None, target)

    def toggle_auto_read(self) -> None:
        speaker = App.get_running_app().speaker
        speaker.auto_read = not speaker.auto_read
        if not speaker.auto_read:
            speaker.stop()

    def toggle_speed(self) -> None:
        speaker = App.get_running_app().speaker
        speaker.speed = "normal" if speaker.speed == "slow" else "slow"

    def _audio_choices(self, *_args) -> None:
        speaker = App.get_running_app().speaker
        lang = self.lang
        self.auto_read = speaker.auto_read
        self.slow = speaker.speed == "slow"
        auto_read = ui("Voorlezen aan", lang) if speaker.auto_read else ui("Voorlezen uit", lang)
        self.auto_read_text = auto_read.nl
        self.speed_text = (ui("Langzaam", lang) if self.slow else ui("Gewoon", lang)).nl
        self._speak_tile()

    def _speak_tile(self, *_args) -> None:
        speaker = App.get_running_app().speaker
        coach = self.ids.coach
        lang = self.lang
        if not speaker.audio_on:
            words, icon = ui("Geen geluid", lang), "speaker-off"
        elif speaker.speaking == "instruction":
            words, icon = ui("Stop", lang), "stop"
        else:
            words, icon = ui("Voorlezen", lang), "speaker"
        coach.speak_text, coach.speak_help, coach.speak_icon = words.nl, words.help or "", icon
        no_voice = (
            speaker.audio_on
            and coach.instruction_help
            and not speaker.can_speak(lang, coach.help_clip)
        )
        note = ui("Geen geluid in deze taal", lang)
        coach.no_sound_text = (note.help or note.nl) if no_voice else ""

    def open_card(self) -> None:
        if self.card_popup is None:
            self.card_popup = PracticeCard()
        self.card_popup.fill(card_view(self.run.persona, self.lang, self.run.today))
        self.card_popup.open()

    def ask_stop(self) -> None:
        lang = self.lang
        question = ui("Wilt u stoppen met deze oefening?", lang)
        yes, no = ui("Ja, stoppen", lang), ui("Nee, verder", lang)
        dialog = ConfirmDialog(
            question=question.nl,
            question_help=question.help or "",
            yes_text=yes.nl,
            yes_help=yes.help or "",
            no_text=no.nl,
            no_help=no.help or "",
            help_language=lang if lang != "nl" else "",
        )
        dialog.bind(on_yes=lambda *_: App.get_running_app().leave_practice())
        dialog.open()

    def _point(self, element_id: str) -> None:
        widget = self._targets.get(element_id)
        if widget is None:
            return
        self._scroll_into_view(widget)
        self.ids.highlight.point_at(widget)

    def _scroll_into_view(self, widget: Widget) -> None:
        """Scroll the pane so `widget` is visible, once the layout has settled."""

        def scroll(*_args) -> None:
            pane = scroll_parent(widget)
            if pane is not None and pane.children and pane.height < pane.children[0].height:
                pane.scroll_to(widget, padding=10, animate=False)

        Clock.schedule_once(scroll, 0)
        Clock.schedule_once(scroll, 0.05)
