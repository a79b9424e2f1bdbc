"""Widgets for the form features of scenario format 2: a check page's summary table,
a long reference number, a practice upload, a field's own error line, and the
pages and attachments of a letter."""

from __future__ import annotations

from collections.abc import Callable

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget
from kivy.utils import escape_markup

from kiosk.scenario import model
from kiosk.ui.widgets import load_widget_kv
from kiosk.ui.widgets.common import WrapLabel

Tap = Callable[[str], None]
Register = Callable[[str, Widget], None]


class ErrorLine(WrapLabel):
    """The page's own red error message under a field, as real forms show it."""


def set_field_error(field: Widget, text: str) -> None:
    """Show (or, with no text, take away) the page's own error under an input field."""
    for child in list(field.children):
        if isinstance(child, ErrorLine):
            field.remove_widget(child)
    if text:
        field.add_widget(ErrorLine(text=text), index=0)


class ElSummary(BoxLayout):
    title = StringProperty("")


class SummaryRowView(BoxLayout):
    label = StringProperty("")
    value = StringProperty("")
    has_link = BooleanProperty(False)


class ChangeLink(ButtonBehavior, WrapLabel):
    """'Wijzigen' beside a row of the summary table."""


class ElReference(ButtonBehavior, BoxLayout):
    label = StringProperty("")
    value = StringProperty("")


class ReferenceValue(WrapLabel):
    """A long number: it wraps rather than being cut (never `shorten`)."""


class ElUpload(BoxLayout):
    label = StringProperty("")
    help = StringProperty("")
    note = StringProperty("")
    file_name = StringProperty("")
    chosen = BooleanProperty(False)


class UploadButton(ButtonBehavior, WrapLabel):
    pass


class LetterPageBreak(WrapLabel):
    """Where a new page of the letter starts: 'Pagina 2 van 3'."""


class AttachmentTitle(WrapLabel):
    pass


def build_summary(element: model.SummaryTable, tap: Tap, register: Register) -> Widget:
    table = ElSummary(title=element.title or "")
    for row in element.rows:
        view = SummaryRowView(label=row.label, value=row.value, has_link=row.id is not None)
        if row.id:
            link = ChangeLink(text="[u]Wijzigen[/u]")
            link.bind(on_release=lambda *_, r=row: tap(r.id))
            view.ids.link_holder.add_widget(link)
            register(row.id, link)
        table.ids.rows.add_widget(view)
    return table


def build_reference(element: model.Reference, tap: Tap) -> Widget:
    # a label with a width wraps a word that is too long between two characters:
    # the number goes on the next line, it is never cut off
    widget = ElReference(label=element.label, value=element.value)
    if element.id:
        widget.bind(on_release=lambda *_: tap(element.id))
    return widget


def build_upload(element: model.Upload, chosen: bool, tap: Tap, register: Register) -> Widget:
    widget = ElUpload(
        label=element.label,
        help=element.help or "",
        note=element.note,
        file_name=element.file_name,
        chosen=chosen,
    )
    button = widget.ids.button
    button.bind(on_release=lambda *_: tap(element.id))
    register(element.id, button)
    return widget


def letter_widgets(
    letter: model.Letter, block_widget: Callable[[model.LetterBlock], Widget]
) -> list[Widget]:
    """The letter's paragraphs with its page breaks, then its attachments."""
    pages = 1 + sum(block.new_page for block in letter.body)
    widgets: list[Widget] = []
    page = 1
    for block in letter.body:
        if block.new_page:
            page += 1
            widgets.append(LetterPageBreak(text=f"Pagina {page} van {pages}"))
        widgets.append(block_widget(block))
    for number, attachment in enumerate(letter.attachments, start=1):
        title = escape_markup(attachment.title)
        widgets.append(AttachmentTitle(text=f"[b]Bijlage {number}: {title}[/b]"))
        widgets += [block_widget(block) for block in attachment.body]
    return widgets


load_widget_kv(__file__)
