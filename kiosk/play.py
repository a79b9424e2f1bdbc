"""`oefenkiosk play`: a scenario in the terminal, proof that the engine needs no window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from kiosk.scenario import model
from kiosk.scenario.engine import Action, Answer, Choose, Outcome, ScenarioRun, Tap, Type
from kiosk.scenario.persona import card_lines, fill_in
from kiosk.scenario.solve import solve


class TextPlayer:
    def __init__(
        self, run: ScenarioRun, out: TextIO, read: Callable[[str], str], language: str = "nl"
    ) -> None:
        self.run = run
        self.out = out
        self.read = read
        self.language = language

    def say(self, line: str = "") -> None:
        print(line, file=self.out)

    def text(self, text: model.Text | None) -> str:
        if text is None:
            return ""
        return self.fill(text.get(self.language) or text.nl)

    def fill(self, text: str) -> str:
        """Placeholders filled in, earlier answers of this run included."""
        return fill_in(text, self.run.context)

    # --- drawing -----------------------------------------------------------------------

    def show_title(self) -> None:
        scenario = self.run.scenario
        self.say(f"== {self.text(scenario.title)} ==")
        self.say(f"Oefenkaart: {self.run.persona.full_name}")

    def show_step(self) -> None:
        view = self.run.view()
        self.say()
        self.say(f"--- Stap {view.position} van {view.total} ---")
        if view.page:
            self.say(f"[{view.page.service}]  {view.page.address}")
            for element in view.page.elements:
                self.say("  " + self.fill(describe(element)))
        if view.phone:
            self.say(f"[Telefoon: {view.phone.app}]")
            if view.phone.notification:
                note = view.phone.notification
                self.say(f"  (melding {note.app}) {self.fill(note.text)}")
            for element in view.phone.elements:
                self.say("  " + self.fill(describe(element)))
        if view.letter:
            letter = view.letter
            self.say(f"[Brief van {letter.sender}, {letter.date}]")
            self.say(f"  Onderwerp: {self.fill(letter.subject)}")
            for block in letter.body:
                self.say("  " + self.fill(block.text))
        if view.question:
            self.say(f"? {self.text(view.question.text)}")
        self.say(f">> {self.text(view.step.instruction)}")

    # --- playing by hand ---------------------------------------------------------------

    def choices(self) -> list[tuple[str, Callable[[], Action | None]]]:
        view = self.run.view()
        options: list[tuple[str, Callable[[], Action | None]]] = []
        elements = list(view.page.elements if view.page else ())
        if view.phone:
            elements += view.phone.elements
            note = view.phone.notification
            if note and note.id:
                options.append((f"tik op de melding van {note.app}", lambda n=note: Tap(n.id)))
        for element in elements:
            options += self._element_choices(element)
        if view.letter:
            for block in view.letter.body:
                if block.id:
                    short = self.fill(block.text)[:50]
                    options.append((f"tik op '{short}...'", lambda b=block: Tap(b.id)))
        if view.question:
            for choice in view.question.options:
                options.append(
                    (f"antwoord: {self.text(choice.text)}", lambda c=choice: Answer(c.id))
                )
        return options

    def _element_choices(self, element) -> list:
        if isinstance(element, model.Input):
            return [(f"typ in '{element.label}'", lambda e=element: Type(e.id, self.read("typ: ")))]
        if isinstance(element, model.Radio | model.Select):
            return [(f"kies bij '{element.label}'", lambda e=element: self._pick(e))]
        if isinstance(element, model.Sms):
            options = []
            if element.id:
                options.append((f"tik op de sms van {element.sender}", lambda e=element: Tap(e.id)))
            if element.link:
                options.append(("tik op de link in de sms", lambda e=element: Tap(e.link)))
            return options
        if isinstance(element, model.TAPPABLE) and getattr(element, "id", None):
            label = (
                getattr(element, "text", None) or getattr(element, "subject", None) or element.id
            )
            return [(f"tik op '{self.fill(label)}'", lambda e=element: Tap(e.id))]
        return []

    def _pick(self, element: model.Radio | model.Select) -> Action | None:
        for number, option in enumerate(element.options, start=1):
            self.say(f"    {number}) {option.text}")
        answer = self.read("kies: ").strip()
        if answer.isdigit() and 1 <= int(answer) <= len(element.options):
            return Choose(element.id, element.options[int(answer) - 1].id)
        return None

    def play(self) -> int:
        self.show_title()
        drawn = None
        while not self.run.finished:
            if drawn != self.run.step_id:
                self.show_step()
                drawn = self.run.step_id
            options = self.choices()
            for number, (label, _) in enumerate(options, start=1):
                self.say(f"  {number}) {label}")
            self.say("  h) hint   k) oefenkaart   q) stoppen")
            answer = self.read("keuze: ").strip().lower()
            if answer == "q":
                self.say("Gestopt.")
                return 1
            if answer == "h":
                hint = self.run.hint()
                extra = f" (kijk naar: {hint.show_me})" if hint.show_me else ""
                self.say(f"Hint: {self.text(hint.text)}{extra}")
                continue
            if answer == "k":
                self.show_card()
                continue
            if not answer.isdigit() or not 1 <= int(answer) <= len(options):
                self.say("Kies een nummer uit de lijst.")
                continue
            action = options[int(answer) - 1][1]()
            if action is not None:
                self.report(self.run.act(action))
        self.say()
        self.say(f"Klaar! {self.text(self.run.scenario.summary)}")
        return 0

    def report(self, outcome: Outcome) -> None:
        sign = {
            "correct": "Goed!",
            "branched": "",
            "skipped": "Overgeslagen.",
            "wrong": "Nog niet goed.",
            "refused": "Let op!",
        }[outcome.result]
        words = " ".join(part for part in (sign, self.text(outcome.feedback)) if part)
        if words:
            self.say(words)

    def show_card(self) -> None:
        card = self.run.persona
        self.say("Oefenkaart:")
        for label, value in card_lines(card):
            self.say(f"  {label}: {value}")

    # --- solving -------------------------------------------------------------------------

    def solve(self) -> int:
        """Play the right path, found by the engine from the file, and print it."""
        self.show_title()
        for move in solve(self.run.scenario, self.run.persona, self.run.today):
            step = self.run.step
            self.say(
                f"{self.run.position:>2}/{self.run.total_steps} {step.id}: "
                f"{self.text(step.instruction)}"
            )
            outcome = self.run.act(move.action)
            self.say(f"      -> {describe_action(move.action)}: {outcome.result}")
            if outcome.result != "correct":
                return 1
        self.say(f"Klaar in {len(self.run.summary().steps)} stappen.")
        return 0 if self.run.finished else 1


def describe(element) -> str:
    """One line of text for an element, as the terminal shows it."""
    match element:
        case model.Heading(text=text):
            return f"# {text}"
        case model.Paragraph(text=text):
            return text
        case model.Bullets(items=items):
            return "  ".join(f"* {item}" for item in items)
        case model.InfoBox(text=text, title=title):
            return f"(i) {title + ': ' if title else ''}{text}"
        case model.Link(text=text):
            return f"<{text}>"
        case model.Button(text=text):
            return f"[{text}]"
        case model.Input(label=label):
            return f"{label}: [________]"
        case model.Radio(label=label, options=options) | model.Select(label=label, options=options):
            return f"{label}: " + " / ".join(o.text for o in options)
        case model.Checkbox(text=text):
            return f"[ ] {text}"
        case model.QrCode():
            return "[QR-code]"
        case model.QrScan(text=text):
            return f"[camera: {text}]"
        case model.CodeDisplay(label=label, value=value):
            return f"{label}: {value}"
        case model.InboxItem(sender=sender, subject=subject, date=date, unread=unread):
            return f"{'* ' if unread else ''}{sender} - {subject} ({date})"
        case model.Sms(sender=sender, text=text, time=time):
            return f"sms van {sender} {time}: {text}"
    return ""


def describe_action(action: Action) -> str:
    match action:
        case Tap(element=element):
            return f"tik op {element}"
        case Type(field=field):
            return f"typ in {field}: {action.text}"
        case Choose(field=field, option=option):
            return f"kies {option} bij {field}"
        case Answer(option=option):
            return f"antwoord {option}"
    return ""
