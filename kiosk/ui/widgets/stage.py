"""The simulation on the stage: a browser page, a phone, a letter, a question."""

from __future__ import annotations

from kivy.animation import Animation
from kivy.properties import (
    BooleanProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.relativelayout import RelativeLayout
from kivy.uix.widget import Widget

from kiosk.ui.presenters import LetterView, PageView, PhoneView, QuestionView
from kiosk.ui.reuse import ElementShelf
from kiosk.ui.theme import PALETTE
from kiosk.ui.widgets import load_widget_kv
from kiosk.ui.widgets.common import Pressable, SpokenLabel, scroll_to_top
from kiosk.ui.widgets.elements import StageListener, build_element
from kiosk.ui.widgets.forms import letter_widgets


class SimPage(BoxLayout):
    """A web page in a browser frame: address bar, service header, scrolling content."""

    address = StringProperty("")
    service = StringProperty("")
    header = StringProperty(PALETTE.page_header)
    header_text = StringProperty(PALETTE.page_header_text)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.shelf = ElementShelf()

    def show(self, view: PageView, listener: StageListener) -> None:
        self.address = view.address
        self.service = view.service
        # the organisation's own look: its header colour, never a logo
        self.header = view.header or PALETTE.page_header
        self.header_text = view.header_text or PALETTE.page_header_text
        show_elements(self.ids.content, self.shelf, view.elements, listener)
        scroll_to_top(self.ids.scroll)


def show_elements(content: Widget, shelf: ElementShelf, views, listener, compact=False) -> None:
    """The elements in `content`, each element's widget kept from the last step when its
    view did not change."""
    widgets = shelf.widgets(views, listener, lambda v, noting: build_element(v, noting, compact))
    if list(reversed(content.children)) == widgets:
        return  # the same widgets in the same order: no new layout
    content.clear_widgets()
    for widget in widgets:
        content.add_widget(widget)


class NotificationBanner(ButtonBehavior, BoxLayout):
    app_name = StringProperty("")
    title = StringProperty("")
    text = StringProperty("")


class SimPhone(RelativeLayout):
    """A phone: status bar, app bar, the app's screen, and notifications on top."""

    app_name = StringProperty("")
    title = StringProperty("")
    screen = StringProperty("app")
    notification = ObjectProperty(None, allownone=True)
    typing = BooleanProperty(False)
    """The visitor types in a field of the phone: its notification makes room."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.shelf = ElementShelf()

    def show(self, view: PhoneView, listener: StageListener) -> None:
        self.app_name = view.app
        self.title = view.title or view.app
        self.screen = view.screen
        show_elements(self.ids.content, self.shelf, view.elements, listener, compact=True)
        scroll_to_top(self.ids.scroll)
        self._show_notification(view, listener)

    def _show_notification(self, view: PhoneView, listener: StageListener) -> None:
        holder = self.ids.notification_holder
        holder.clear_widgets()
        note = view.notification
        if note is None:
            return
        banner = NotificationBanner(app_name=note.app, title=note.title or "", text=note.text)
        if note.id:
            banner.bind(on_release=lambda *_: listener.tap(note.id))
            listener.register(note.id, banner)
        holder.add_widget(banner)
        # It arrives: a short slide from above, so the visitor notices it.
        banner.opacity = 0
        Animation(opacity=1, duration=0.35, t="out_quad").start(banner)


class LetterBlockView(ButtonBehavior, SpokenLabel):
    tappable = BooleanProperty(False)


class LetterSheet(BoxLayout):
    """A letter on paper, or a PDF in a viewer."""

    pdf = BooleanProperty(False)
    file_name = StringProperty("")

    def show(self, view: LetterView, listener: StageListener) -> None:
        letter = view.letter
        self.pdf = letter.format == "pdf"
        self.file_name = f"Brief {letter.sender}.pdf"
        ids = self.ids
        ids.sender.text = f"[b]{letter.sender}[/b]" + (
            f"\n{letter.sender_address}" if letter.sender_address else ""
        )
        ids.recipient.text = "\n".join(view.recipient)
        meta = [f"Datum: {letter.date}"]
        if letter.reference:
            meta.append(f"Ons kenmerk: {letter.reference}")
        ids.meta.text = "\n".join(meta)
        ids.subject.text = f"[b]Onderwerp: {letter.subject}[/b]"
        body = ids.body
        body.clear_widgets()

        def block_widget(block) -> Widget:
            widget = LetterBlockView(
                text=block.text, bold=block.bold, tappable=block.id is not None
            )
            if block.id:
                widget.bind(on_release=lambda *_, b=block: listener.tap(b.id))
                listener.register(block.id, widget)
            return widget

        for widget in letter_widgets(letter, block_widget):
            body.add_widget(widget)
        ids.closing.text = letter.closing or ""
        scroll_to_top(ids.scroll)


class AnswerButton(Pressable):
    text = StringProperty("")
    icon = StringProperty("")
    help_text = StringProperty("")
    help_language = StringProperty("")


class QuestionPanel(BoxLayout):
    question = StringProperty("")
    question_help = StringProperty("")
    help_language = StringProperty("")
    spoken = StringProperty("")

    def show(self, view: QuestionView, listener: StageListener) -> None:
        self.question = view.text.nl
        self.question_help = view.text.help or ""
        self.help_language = view.text.help_language or ""
        self.spoken = view.spoken
        scroll_to_top(self.ids.scroll)
        options = self.ids.options
        options.clear_widgets()
        for choice in view.options:
            button = AnswerButton(
                text=choice.text.nl,
                icon=choice.pictogram or "",
                help_text=choice.text.help or "",
                help_language=choice.text.help_language or "",
            )
            button.bind(on_release=lambda *_, c=choice: listener.answer(c.id))
            listener.register(choice.id, button)
            options.add_widget(button)


class Stage(BoxLayout):
    """Lays out the panes of a step side by side; the phone gets a phone's width."""

    badge_x = NumericProperty(0)
    """Where the 'Goed!' badge stands: over the middle of the first pane that is not the
    question, so it covers an address bar or a title for a moment, never the words of the
    question beside it; over the stage's middle when there is only a question."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._phone: Widget | None = None
        self._alone = False
        self._panes: tuple[str, ...] = ()
        self._widgets: dict[str, Widget] = {}
        self.bind(size=self._fit)

    def do_layout(self, *args) -> None:
        super().do_layout(*args)
        beside = [name for name in self._panes if name != "question"]
        pane = self._widgets.get(beside[0]) if beside else None
        self.badge_x = pane.center_x if pane is not None else self.center_x

    def show(self, panes: tuple[str, ...], widgets: dict[str, Widget]) -> None:
        if panes == self._panes and all(widgets[name].parent is self for name in panes):
            return  # the same panes as the last step: no new layout of the stage
        self._panes = panes
        self._widgets = {name: widgets[name] for name in panes}
        self.clear_widgets()
        self._phone = widgets["phone"] if "phone" in panes else None
        self._alone = panes == ("phone",)
        for name in panes:
            widget = widgets[name]
            if widget.parent is not None:
                widget.parent.remove_widget(widget)
            widget.size_hint_x = None if name == "phone" else 1
        if self._alone:
            self.add_widget(Widget())
            self.add_widget(widgets["phone"])
            self.add_widget(Widget())
        else:
            for name in panes:
                self.add_widget(widgets[name])
        self._fit()

    def _fit(self, *_args) -> None:
        if self._phone is None:
            return
        height = self.height - self.padding[1] - self.padding[3]
        if self._alone:
            self._phone.width = max(170, min(height * 0.72, self.width * 0.8))
        else:
            self._phone.width = max(170, min(height * 0.58, self.width * 0.42))


load_widget_kv(__file__)
