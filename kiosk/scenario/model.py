"""The scenario format as plain, frozen data.

The type hints of these classes are the format: the loader reads YAML into
them and `schema.py` writes `scenarios/schema.json` from them, so the two can
never disagree. A field's `doc` becomes the description an editor shows.

Texts on simulated pages, phones and letters are plain strings: they are the
Dutch of the real services. Texts that teach the visitor (instructions,
hints, feedback, questions) are `Text`: Dutch plus optional help languages.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

SCHEMA_VERSION = 2
"""The format this kiosk writes; older versions are upgraded by `migrate.py`."""

# Dutch first; then the help languages (issue order: en ar ti prs uk tr so).
LANGUAGES: tuple[str, ...] = ("nl", "en", "ar", "ti", "prs", "uk", "tr", "so")

END = "end"
"""The `next` that finishes a scenario."""


def doc(text: str, **kwargs: Any) -> Any:
    """A dataclass field with a description for the JSON Schema."""
    return field(metadata={"doc": text}, **kwargs)


@dataclass(frozen=True)
class Text:
    """A visitor-facing text: Dutch is required, help languages are optional."""

    nl: str = doc("Simple Dutch (B1): short sentences, one action.")
    en: str | None = doc("English", default=None)
    ar: str | None = doc("Arabic", default=None)
    ti: str | None = doc("Tigrinya", default=None)
    prs: str | None = doc("Dari", default=None)
    uk: str | None = doc("Ukrainian", default=None)
    tr: str | None = doc("Turkish", default=None)
    so: str | None = doc("Somali", default=None)
    audio: dict[str, str] = doc(
        "Recorded clips that replace synthetic speech, per language: "
        "{so: stap1.ogg} plays assets/audio/so/stap1.ogg.",
        default_factory=dict,
        hash=False,
    )

    def get(self, language: str) -> str | None:
        """The text in `language`, or None when it is not written yet."""
        if language not in LANGUAGES:
            return None
        return getattr(self, language)


# --- Elements: what a simulated web page or phone app shows -----------------


@dataclass(frozen=True)
class Option:
    id: str = doc("Short id, used in `expect` and feedback rules.")
    text: str = doc("The option as the page shows it.")


@dataclass(frozen=True)
class Heading:
    TYPE: ClassVar[str] = "heading"
    text: str = doc("The heading.")
    level: Literal[1, 2, 3] = doc("1 is the page title, 2 and 3 are smaller.", default=1)
    id: str | None = doc("Optional id.", default=None)


@dataclass(frozen=True)
class Paragraph:
    TYPE: ClassVar[str] = "text"
    text: str = doc("A paragraph of the page.")
    id: str | None = doc("Optional id; makes the text tappable.", default=None)


@dataclass(frozen=True)
class Bullets:
    TYPE: ClassVar[str] = "list"
    items: tuple[str, ...] = doc("The points of a bulleted list.")
    id: str | None = doc("Optional id.", default=None)


@dataclass(frozen=True)
class InfoBox:
    TYPE: ClassVar[str] = "info"
    text: str = doc("The message in the box.")
    title: str | None = doc("Optional bold first line.", default=None)
    tone: Literal["info", "warning", "error", "success"] = doc(
        "How the box looks: info, warning, error or success.", default="info"
    )
    id: str | None = doc("Optional id.", default=None)


@dataclass(frozen=True)
class Link:
    TYPE: ClassVar[str] = "link"
    id: str = doc("Id of the link.")
    text: str = doc("The link text.")


@dataclass(frozen=True)
class Button:
    TYPE: ClassVar[str] = "button"
    id: str = doc("Id of the button.")
    text: str = doc("The button text.")
    style: Literal["primary", "secondary"] = doc(
        "primary is the main action, secondary a plain one.", default="primary"
    )


@dataclass(frozen=True)
class Input:
    TYPE: ClassVar[str] = "input"
    id: str = doc("Id of the field.")
    label: str = doc("The label above the field.")
    input: Literal[
        "text",
        "password",
        "number",
        "date",
        "code",
        "pin",
        "postcode",
        "amount",
        "iban",
        "phone",
        "email",
    ] = doc(
        "Kind of field, which also decides how a typed answer is compared: text (case and "
        "spaces do not matter), password (exact), number, date (12-01-2027, 12 januari 2027), "
        "code (letters and digits, like a koppelcode), pin (hidden digits), postcode "
        "(1234AB = 1234 ab), amount (23400 = 23.400 = € 23.400,00), iban (spaces do not "
        "matter), phone (06-12345678 = +31 6 1234 5678), email.",
        default="text",
    )
    help: str | None = doc("Small help text under the field.", default=None)
    prefill: str | None = doc(
        "A practice-card value already in the field, like `card.digid_username`.", default=None
    )
    length: int | None = doc("Exact number of characters, e.g. 5 for a pincode.", default=None)
    error: str | None = doc(
        "The page's own error message, shown in red under the field after a wrong answer, "
        "as real forms do: 'Dit is geen geldige postcode'.",
        default=None,
    )


@dataclass(frozen=True)
class Radio:
    TYPE: ClassVar[str] = "radio"
    id: str = doc("Id of the group.")
    label: str = doc("The question above the choices.")
    options: tuple[Option, ...] = doc("The choices.")


@dataclass(frozen=True)
class Select:
    TYPE: ClassVar[str] = "select"
    id: str = doc("Id of the list.")
    label: str = doc("The label above the list.")
    options: tuple[Option, ...] = doc("The choices in the list.")


@dataclass(frozen=True)
class Checkbox:
    TYPE: ClassVar[str] = "checkbox"
    id: str = doc("Id of the checkbox; tapping it ticks it.")
    text: str = doc("The text beside the box.")


@dataclass(frozen=True)
class QrCode:
    TYPE: ClassVar[str] = "qr"
    caption: str | None = doc("Text under the QR code.", default=None)
    id: str | None = doc("Optional id; makes the code tappable.", default=None)


@dataclass(frozen=True)
class QrScan:
    TYPE: ClassVar[str] = "qr_scan"
    id: str = doc("Id of the camera view; tapping it 'scans' the QR code.")
    text: str = doc("Text over the camera view.", default="Richt de camera op de QR-code")


@dataclass(frozen=True)
class CodeDisplay:
    TYPE: ClassVar[str] = "code"
    label: str = doc("What the code is, e.g. 'Koppelcode'.")
    value: str = doc("The code, usually a reference like `{code.koppel}`.")
    id: str | None = doc("Optional id.", default=None)


@dataclass(frozen=True)
class InboxItem:
    TYPE: ClassVar[str] = "inbox_item"
    id: str = doc("Id of the message in the list.")
    sender: str = doc("Who sent it.")
    subject: str = doc("The subject line.")
    date: str = doc("The date as the list shows it.")
    unread: bool = doc("Shown in bold as new.", default=False)


@dataclass(frozen=True)
class Sms:
    TYPE: ClassVar[str] = "sms"
    sender: str = doc("Who sent the sms (a name or a phone number).")
    text: str = doc("The message.")
    time: str = doc("When it arrived, e.g. '14:02'.", default="")
    id: str | None = doc("Optional id; makes the message tappable.", default=None)
    link: str | None = doc(
        "Id of a link inside the message (the part in the text between [ and ]).",
        default=None,
    )


@dataclass(frozen=True)
class SummaryRow:
    label: str = doc("What the row is, e.g. 'Postcode'.")
    value: str = doc("The value, usually `{form.postcode}` or `{card.iban}`.")
    id: str | None = doc("Id of the row's 'Wijzigen' link; left out: no link.", default=None)


@dataclass(frozen=True)
class SummaryTable:
    TYPE: ClassVar[str] = "summary"
    rows: tuple[SummaryRow, ...] = doc("The rows of a check page, each with 'Wijzigen'.")
    title: str | None = doc("Optional title above the table.", default=None)
    id: str | None = doc("Optional id.", default=None)


@dataclass(frozen=True)
class Reference:
    TYPE: ClassVar[str] = "reference"
    label: str = doc("What the number is, e.g. 'Uw aanvraagnummer'.")
    value: str = doc("A long number or code; it is never cut off, on any screen.")
    id: str | None = doc("Optional id; makes the number tappable.", default=None)


@dataclass(frozen=True)
class Upload:
    TYPE: ClassVar[str] = "upload"
    id: str = doc("Id of the upload button; tapping it 'chooses' the practice file.")
    label: str = doc("The label above the button, e.g. 'Huurcontract'.")
    file_name: str = doc("The practice file that is 'chosen'.", default="document.pdf")
    help: str | None = doc("Small help text, e.g. 'PDF of foto, maximaal 5 MB'.", default=None)
    note: str = doc(
        "What the kiosk says about uploading, shown beside the button.",
        default="Een bestand uploaden oefent u hier niet. Tik op de knop: dan kiest de "
        "kiosk een oefenbestand voor u.",
    )


Element = (
    Heading
    | Paragraph
    | Bullets
    | InfoBox
    | Link
    | Button
    | Input
    | Radio
    | Select
    | Checkbox
    | QrCode
    | QrScan
    | CodeDisplay
    | InboxItem
    | Sms
    | SummaryTable
    | Reference
    | Upload
)
ELEMENT_TYPES: dict[str, type] = {
    cls.TYPE: cls
    for cls in (
        Heading,
        Paragraph,
        Bullets,
        InfoBox,
        Link,
        Button,
        Input,
        Radio,
        Select,
        Checkbox,
        QrCode,
        QrScan,
        CodeDisplay,
        InboxItem,
        Sms,
        SummaryTable,
        Reference,
        Upload,
    )
}
TAPPABLE = (Link, Button, Checkbox, QrCode, QrScan, InboxItem, Sms, Paragraph, Reference, Upload)
TYPEABLE = (Input,)
CHOOSABLE = (Radio, Select)


# --- What a step shows --------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A web page of a service, shown in a browser frame."""

    service: str = doc("The service's name in the header, e.g. 'DigiD (oefenen)'.")
    address: str = doc("The practice address in the address bar; it contains 'oefen'.")
    elements: tuple[Element, ...] = doc("What is on the page, top to bottom.")
    look: str | None = doc(
        "The organisation whose look the page has (header colour and name, never a real "
        "logo), e.g. `toeslagen`; left out: the scenario's organisation.",
        default=None,
    )


@dataclass(frozen=True)
class Notification:
    """A push notification at the top of the phone screen."""

    app: str = doc("The app that sends it, e.g. 'Berichten' or 'DigiD'.")
    text: str = doc("The notification text.")
    title: str | None = doc("Optional bold first line.", default=None)
    id: str | None = doc("Optional id; makes the notification tappable.", default=None)


@dataclass(frozen=True)
class Phone:
    """What the simulated phone shows."""

    app: str = doc("The app on the screen, e.g. 'DigiD' or 'Berichten'.")
    screen: Literal["app", "sms", "home"] = doc(
        "app: an app with elements; sms: the messages app; home: the home screen.",
        default="app",
    )
    title: str | None = doc("Title bar of the app.", default=None)
    elements: tuple[Element, ...] = doc("What is on the screen.", default=())
    notification: Notification | None = doc("A notification on top.", default=None)


@dataclass(frozen=True)
class LetterBlock:
    text: str = doc("A paragraph of the letter.")
    id: str | None = doc("Optional id; makes the paragraph tappable.", default=None)
    bold: bool = doc("Print the paragraph in bold.", default=False)
    new_page: bool = doc("Start a new page of the letter with this paragraph.", default=False)


@dataclass(frozen=True)
class Attachment:
    """A bijlage after the letter, such as a calculation or a form."""

    title: str = doc("The title of the attachment, e.g. 'Berekening zorgtoeslag'.")
    body: tuple[LetterBlock, ...] = doc("The paragraphs of the attachment.")


@dataclass(frozen=True)
class Letter:
    """A paper letter, or a PDF opened from the Berichtenbox."""

    sender: str = doc("The organisation that sends it.")
    date: str = doc("The date of the letter, as printed.")
    subject: str = doc("The subject ('Onderwerp').")
    body: tuple[LetterBlock, ...] = doc("The paragraphs of the letter.")
    format: Literal["paper", "pdf"] = doc("paper: a letter; pdf: a PDF on screen.", default="paper")
    sender_address: str | None = doc("Return address under the sender.", default=None)
    reference: str | None = doc("Reference ('Ons kenmerk').", default=None)
    closing: str | None = doc("Greeting and signature at the end.", default=None)
    to: tuple[str, ...] = doc(
        "The addressee's lines; left out: the card's name and address. For a letter to the "
        "partner: ['{card.partner_name}', '{card.street}', '{card.postcode}  {card.city}'].",
        default=(),
    )
    attachments: tuple[Attachment, ...] = doc("Attachments after the letter.", default=())


@dataclass(frozen=True)
class Choice:
    id: str = doc("Id of the answer, used in `expect: {answer: ...}`.")
    text: Text = doc("The answer as the visitor reads it.")
    pictogram: str | None = doc("Optional pictogram beside the answer.", default=None)


@dataclass(frozen=True)
class Question:
    """A question to the visitor, e.g. 'Is this sms real or fake?'."""

    text: Text = doc("The question.")
    options: tuple[Choice, ...] = doc("The possible answers.")


# --- What the visitor does ----------------------------------------------------


@dataclass(frozen=True)
class ActionRule:
    """One kind of action: exactly one of tap, type, choose or answer."""

    tap: str | None = doc("Tap the element with this id.", default=None)
    type: str | None = doc("Type into the field with this id.", default=None)
    value: str | None = doc(
        "With `type`: the value to type, named from the practice card or the codes "
        "(`card.digid_username`, `code.sms`). Left out in a feedback rule: any text.",
        default=None,
    )
    choose: str | None = doc("Choose in the radio group or select list with this id.", default=None)
    option: str | None = doc(
        "With `choose`: the option id. Left out in a feedback rule: any option.", default=None
    )
    answer: str | None = doc("Answer the step's question with this choice id.", default=None)

    @property
    def kind(self) -> str:
        """'tap', 'type', 'choose' or 'answer' (the loader ensures exactly one)."""
        for name in ("tap", "type", "choose", "answer"):
            if getattr(self, name) is not None:
                return name
        return ""

    @property
    def target(self) -> str:
        """The element, field or answer id the rule is about."""
        return getattr(self, self.kind) or ""


@dataclass(frozen=True)
class Branch:
    """Another action that is accepted and leads to another step."""

    when: ActionRule = doc("The action.")
    next: str = doc("The step it leads to, or `end`.")
    feedback: Text | None = doc("Optional words to say on the way.", default=None)


@dataclass(frozen=True)
class Feedback:
    """Words for one specific wrong action; the visitor stays on the step."""

    when: ActionRule = doc("The wrong action.")
    feedback: Text = doc("What the visitor is told, gently.")


@dataclass(frozen=True)
class Condition:
    """When a step is shown: a card field that is filled in, or an earlier answer."""

    card: str | None = doc(
        "Show the step only when this card field is filled in, e.g. `partner_name`.", default=None
    )
    form: str | None = doc("A field or choice the visitor filled in earlier, by id.", default=None)
    option: str | None = doc(
        "With `form`: only when that option was chosen (or that value typed).", default=None
    )
    negate: bool = doc("yes: show the step only when the condition is NOT met.", default=False)


@dataclass(frozen=True)
class Step:
    id: str = doc("Short unique id of the step.")
    instruction: Text = doc("What to do: simple Dutch, one action.")
    pictogram: str = doc("Name of a pictogram from assets/pictograms.yaml.")
    expect: ActionRule = doc("The right action.")
    page: str | None = doc("Id of the web page shown (from `pages`).", default=None)
    phone: str | None = doc("Id of the phone screen shown (from `phones`).", default=None)
    letter: str | None = doc("Id of the letter shown (from `letters`).", default=None)
    question: Question | None = doc("A question to the visitor.", default=None)
    next: str | None = doc(
        "The step after the right action; `end` finishes. Left out: the next step in the list.",
        default=None,
    )
    branches: tuple[Branch, ...] = doc("Other actions that lead elsewhere.", default=())
    wrong: tuple[Feedback, ...] = doc("Feedback for specific wrong actions.", default=())
    feedback: Text | None = doc("Feedback for any other wrong action.", default=None)
    hints: tuple[Text, ...] = doc(
        "Hints, one per tap on 'Hint': first where to look, then what to do.", default=()
    )
    explain: Text | None = doc("Shown after the right action: why it was right.", default=None)
    notes: Text | None = doc("Notes for a volunteer who guides the visitor.", default=None)
    only_if: Condition | None = doc(
        "Show this step only when the condition holds; otherwise the visitor goes straight "
        "to the step after it.",
        default=None,
    )


@dataclass(frozen=True)
class Scenario:
    schema_version: Literal[2] = doc(
        "Version of the scenario format: 2 (files with 1 still load; "
        "`oefenkiosk migrate FILE` rewrites them)."
    )
    id: str = doc("Unique id of the scenario, e.g. 'digid-inloggen-sms'.")
    title: Text = doc("The title in the catalogue.")
    summary: Text = doc("What the visitor practises, in one or two sentences.")
    theme: str = doc(
        "Theme of the catalogue: wonen, financien, gezondheid, inburgering, gezin, sociaal or werk."
    )
    organisation: str = doc("The organisation, e.g. digid, mijnoverheid, belastingdienst.")
    minutes: int = doc("About how many minutes it takes.")
    level: Literal[1, 2, 3] = doc("1 easy, 2 medium, 3 harder.")
    persona: str = doc("Id of the practice card in personas.yaml.")
    steps: tuple[Step, ...] = doc("The steps, in order.")
    start: str | None = doc("Id of the first step; left out: the first in the list.", default=None)
    codes: dict[str, str] = doc(
        "Codes the scenario uses (sms code, koppelcode), referenced as `code.<name>`.",
        default_factory=dict,
    )
    dates: dict[str, str] = doc(
        "Dates relative to the day the exercise is played, referenced as `date.<name>`: "
        "`termijn: today + 6 weeks` (also: days, months, years; `vandaag + 6 weken`).",
        default_factory=dict,
    )
    pages: dict[str, Page] = doc("Web pages, by id.", default_factory=dict)
    phones: dict[str, Phone] = doc("Phone screens, by id.", default_factory=dict)
    letters: dict[str, Letter] = doc("Letters, by id.", default_factory=dict)
    about: str | None = doc(
        "For the volunteer (Dutch, not translated): what the exercise imitates (service, "
        "screens, year) and the field guide's sections and sources, and choices made where "
        "the guide is unsure. Shown in the volunteer panel.",
        default=None,
    )

    @property
    def first_step(self) -> str:
        return self.start or (self.steps[0].id if self.steps else "")

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def step_after(self, step: Step) -> str:
        """Where the right action on `step` leads."""
        if step.next is not None:
            return step.next
        # by id: comparing whole steps field by field is slow, and ids are unique
        index = next(i for i, candidate in enumerate(self.steps) if candidate.id == step.id)
        return self.steps[index + 1].id if index + 1 < len(self.steps) else END


@dataclass(frozen=True)
class Member:
    """Someone else in the household on a practice card."""

    name: str = doc("Full name.")
    relation: Literal["partner", "kind", "ouder", "medebewoner"] = doc(
        "partner, kind (child), ouder (parent) or medebewoner (someone else living there)."
    )
    birth_date: str = doc("Geboortedatum, dd-mm-jjjj.")


@dataclass(frozen=True)
class Persona:
    """A practice card: fake personal data that every page refers to.

    The fields after `app_pincode` came with format 2; a card without them still loads.
    """

    id: str = doc("Id of the card.")
    first_name: str = doc("Voornaam.")
    last_name: str = doc("Achternaam.")
    birth_date: str = doc("Geboortedatum, dd-mm-jjjj.")
    street: str = doc("Straat en huisnummer.")
    postcode: str = doc("Postcode.")
    city: str = doc("Woonplaats.")
    bsn: str = doc("BSN: 9 digits that fail the eleven-check on purpose.")
    digid_username: str = doc("DigiD gebruikersnaam.")
    digid_password: str = doc("DigiD wachtwoord.")
    phone: str = doc("Mobiel nummer, in the 06-0 range that is never given out.")
    email: str = doc("E-mailadres.")
    iban: str = doc("Rekeningnummer (IBAN) that fails the IBAN check on purpose.")
    app_pincode: str = doc("Pincode of the DigiD app: 5 digits.")
    income: str = doc("Inkomen per jaar in euro, digits only: '23400'.", default="")
    partner_name: str = doc("Name of the partner; empty: no partner.", default="")
    partner_birth_date: str = doc("Geboortedatum of the partner.", default="")
    partner_bsn: str = doc("BSN of the partner: fails the eleven-check too.", default="")
    household: tuple[Member, ...] = doc("Others in the household (children, ...).", default=())
    new_street: str = doc("New street and number (for a move).", default="")
    new_postcode: str = doc("New postcode.", default="")
    new_city: str = doc("New city.", default="")
    moving_date: str = doc(
        "Moving date, relative to the day played: 'today + 3 weeks'.", default=""
    )
    permit_type: str = doc("Kind of residence permit, e.g. 'Asiel bepaald'.", default="")
    permit_number: str = doc("Document number of the residence permit (made up).", default="")
    health_insurer: str = doc("Zorgverzekeraar (a made-up name).", default="")
    policy_number: str = doc("Polisnummer (made up).", default="")
    rent: str = doc("Kale huur per maand in euro: '712,50'.", default="")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def phone_end(self) -> str:
        """The last two digits, as services show them ('eindigt op 78')."""
        digits = [c for c in self.phone if c.isdigit()]
        return "".join(digits[-2:])

    @property
    def children(self) -> str:
        """The children's names, 'Sara en Adam' (empty: no children)."""
        names = [m.name for m in self.household if m.relation == "kind"]
        return " en ".join(filter(None, [", ".join(names[:-1]), names[-1] if names else ""]))

    @property
    def children_count(self) -> str:
        return str(sum(m.relation == "kind" for m in self.household))

    @property
    def household_size(self) -> str:
        """Everyone living at the address, the card's person included."""
        return str(1 + bool(self.partner_name) + len(self.household))


DERIVED_FIELDS: tuple[str, ...] = (
    "full_name",
    "phone_end",
    "children",
    "children_count",
    "household_size",
)
PERSONA_FIELDS: tuple[str, ...] = (
    *(f.name for f in dataclasses.fields(Persona) if f.name not in ("id", "household")),
    *DERIVED_FIELDS,
)
