"""The on-screen keyboard: big keys, Dutch QWERTY for text, a number pad for codes and dates."""

from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, OptionProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.widgets import load_widget_kv

# A key is a character, or one of the special keys below. Weights make a key wider.
BACKSPACE, SHIFT, SYMBOLS, LETTERS, SPACE, DONE, HIDE = (
    "{backspace}",
    "{shift}",
    "{symbols}",
    "{letters}",
    "{space}",
    "{done}",
    "{hide}",
)

TEXT_ROWS = (
    tuple("qwertyuiop"),
    (*"asdfghjkl", BACKSPACE),
    (SHIFT, *"zxcvbnm", ".", "-"),
    (SYMBOLS, "@", SPACE, "_", DONE, HIDE),
)
SYMBOL_ROWS = (
    tuple("1234567890"),
    (*"!?#€&()/:", BACKSPACE),
    (*",;+=%*'\"~", "$"),
    (LETTERS, "@", SPACE, ".", DONE, HIDE),
)
NUMBER_ROWS = (
    ("1", "2", "3", BACKSPACE),
    ("4", "5", "6", "-"),
    ("7", "8", "9", HIDE),
    ("/", "0", DONE),
)
DIGIT_ROWS = (
    ("1", "2", "3"),
    ("4", "5", "6"),
    ("7", "8", "9"),
    (BACKSPACE, "0", DONE),
)
"""For a code of digits only (the oefencode): nothing else to press by mistake."""
WEIGHTS = {SPACE: 3.0, DONE: 2.0, SYMBOLS: 1.4, LETTERS: 1.4, SHIFT: 1.0}
ICONS = {BACKSPACE: "backspace", SHIFT: "shift", HIDE: "keyboard-close", DONE: "enter"}
LABELS = {SYMBOLS: "123", LETTERS: "ABC", SPACE: "spatie", DONE: "Klaar"}


class Key(ButtonBehavior, BoxLayout):
    value = StringProperty("")
    label = StringProperty("")
    icon = StringProperty("")
    special = BooleanProperty(False)
    done = BooleanProperty(False)
    weight = NumericProperty(1.0)


class OnScreenKeyboard(BoxLayout):
    """Emits on_character(text), on_backspace(), on_done() and on_hide()."""

    layout = OptionProperty("text", options=["text", "number", "digits"])
    shift = BooleanProperty(False)
    caps = BooleanProperty(False)
    symbols = BooleanProperty(False)
    __events__ = ("on_character", "on_backspace", "on_done", "on_hide")

    def __init__(self, **kwargs) -> None:
        self._built: dict[tuple[tuple[str, ...], ...], list[BoxLayout]] = {}
        super().__init__(**kwargs)
        self.bind(
            layout=self.rebuild, symbols=self.rebuild, shift=self._relabel, caps=self._relabel
        )
        self.rebuild()

    def open_for(self, kind: str) -> None:
        """Show the keys that fit a field: numbers for codes, dates and pins; else letters."""
        self.layout = "number" if kind in ("number", "pin", "date") else "text"
        self.symbols = False
        self.caps = kind == "code"
        self.shift = False

    def rows(self) -> tuple[tuple[str, ...], ...]:
        if self.layout == "number":
            return NUMBER_ROWS
        if self.layout == "digits":
            return DIGIT_ROWS
        return SYMBOL_ROWS if self.symbols else TEXT_ROWS

    def rebuild(self, *_args) -> None:
        """Show the keys of the current layout. Each set of keys is built once and kept:
        a tap on '123' or 'ABC' swaps the rows in the same frame instead of building about
        forty keys again (a quarter of a second on a Raspberry Pi)."""
        grid = self.ids.get("rows") if self.ids else None
        if grid is None:
            return
        rows = self.rows()
        lines = self._built.get(rows)
        if lines is None:
            lines = [self._line(row, grid.spacing) for row in rows]
            self._built[rows] = lines
        grid.clear_widgets()
        for line in lines:
            grid.add_widget(line)
        self._relabel()

    def _line(self, row: tuple[str, ...], spacing: float) -> BoxLayout:
        line = BoxLayout(spacing=spacing)
        for value in row:
            line.add_widget(self._key(value))
        return line

    def on_kv_post(self, base_widget) -> None:
        self.rebuild()

    def _key(self, value: str) -> Key:
        special = value.startswith("{") and len(value) > 1
        key = Key(
            value=value,
            special=special,
            done=value == DONE,
            weight=WEIGHTS.get(value, 1.0),
            icon=ICONS.get(value, ""),
            label=LABELS.get(value, "" if special else value),
        )
        key.bind(on_release=self._pressed)
        return key

    def _relabel(self, *_args) -> None:
        upper = self.shift or self.caps
        for line in self.ids.rows.children:
            for key in line.children:
                if not key.special and len(key.value) == 1 and key.value.isalpha():
                    key.label = key.value.upper() if upper else key.value
                if key.value == SHIFT:
                    key.icon = "caps" if self.caps else "shift"

    def _pressed(self, key: Key) -> None:
        value = key.value
        if value == BACKSPACE:
            self.dispatch("on_backspace")
        elif value == SHIFT:
            # one tap: one capital; a tap while shifted: capitals until tapped again
            if self.caps:
                self.caps = False
            elif self.shift:
                self.shift, self.caps = False, True
            else:
                self.shift = True
        elif value == SYMBOLS:
            self.symbols = True
        elif value == LETTERS:
            self.symbols = False
        elif value == SPACE:
            self.dispatch("on_character", " ")
        elif value == DONE:
            self.dispatch("on_done")
        elif value == HIDE:
            self.dispatch("on_hide")
        else:
            upper = self.shift or self.caps
            self.dispatch("on_character", value.upper() if upper else value)
            self.shift = False

    def key_for(self, character: str) -> Key | None:
        """The key that types `character` in the current layout (for tests and hints)."""
        for line in self.ids.rows.children:
            for key in line.children:
                if key.value == character:
                    return key
        return None

    def on_character(self, text: str) -> None:
        pass

    def on_backspace(self) -> None:
        pass

    def on_done(self) -> None:
        pass

    def on_hide(self) -> None:
        pass


load_widget_kv(__file__)
