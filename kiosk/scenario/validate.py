"""Meaning checks on loaded scenarios: references, the step graph, content rules.

The loader checks shape (fields, types, allowed values); this module checks
what the shape cannot: that steps, elements, practice-card fields, codes and
pictograms exist, that every step can be reached and can reach the end, that
every feedback rule can really be shown, and that practice pages say so.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.paths import assets_dir, scenarios_dir
from kiosk.scenario import model
from kiosk.scenario.catalog import LOOKS, ORGANISATIONS, THEME_IDS
from kiosk.scenario.dates import DateError, resolve_date
from kiosk.scenario.engine import container_of
from kiosk.scenario.ids import scenario_id_problem
from kiosk.scenario.loader import (
    LineIndex,
    lines_only_libyaml_reads,
    load_personas,
    load_scenario_file,
)
from kiosk.scenario.model import END, ActionRule, Scenario, Step
from kiosk.scenario.persona import (
    DATE_FIELDS,
    REFERENCE,
    REFERENCE_DAY,
    contains_real_bsn,
    iban_passes_check,
    passes_eleven_check,
    real_looking_mobile,
)
from kiosk.scenario.pictograms import REGISTRY_FILE as PICTOGRAM_REGISTRY
from kiosk.scenario.pictograms import load_pictograms, with_additions
from kiosk.scenario.plain_dutch import MAX_WORDS, actions, long_sentences, officialese
from kiosk.scenario.problems import Problem
from kiosk.scenario.route import ROUTE_FILE, RouteRules, load_route
from kiosk.scenario.solve import NoSolution, example_action, rules_in_order, solve
from kiosk.scenario.texts import scenario_texts
from kiosk.scenario.translations import (
    HELP_LANGUAGES,
    apply_translations,
    missing_label_message,
    missing_labels,
    missing_translations,
)

PERSONAS_FILE = "personas.yaml"
_KIND_NL = {"page": "pagina", "phone": "telefoon", "letter": "brief"}
_NO_PICTOGRAMS = Problem(
    f"assets/{PICTOGRAM_REGISTRY}",
    None,
    "",
    "ontbreekt of is onleesbaar: pictogrammen worden niet gecontroleerd, de kiosk toont "
    "eenvoudige vormen",
    "warning",
)
_ANY_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\.([A-Za-z0-9_\-]+)\}")
_UNCLOSED = re.compile(r"\{(card|code|date|form|param)\.[A-Za-z0-9_\-]*(?![A-Za-z0-9_\-]*\})")


class _Checker:
    def __init__(
        self,
        scenario: Scenario,
        lines: LineIndex,
        file: str,
        personas: dict[str, model.Persona],
        pictograms: set[str] | None,
        clip_folders: tuple[Path, ...] = (),
    ) -> None:
        self.clip_folders = (*clip_folders, assets_dir() / "audio")
        """Where recorded clips may be: a pack's own audio/ folder, then the kiosk's."""
        self.scenario = scenario
        self.lines = lines
        self.file = file
        self.personas = personas
        self.pictograms = pictograms
        """None without a registry: pictograms cannot be checked (see validate_paths)."""
        self.problems: list[Problem] = []
        self.step_ids = {s.id for s in scenario.steps}

    def error(self, obj: Any, field: str, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.lines.of(obj, field), where, message))

    def _check_pictograms_do_not_point_at_the_answer(self, step: Step, where: str) -> None:
        """A picture on only some answers marks them out: a visitor who cannot read the
        answers well learns to tap the one with the picture, not to think."""
        options = step.question.options
        marked = [c for c in options if c.pictogram is not None]
        if marked and len(marked) < len(options):
            self.warn(
                marked[0],
                "pictogram",
                f"{where}.question.{marked[0].id}",
                "alleen een deel van de antwoorden heeft een plaatje; zo wijst het plaatje "
                "het antwoord aan. Geef elk antwoord een plaatje, of geen enkel",
            )

    def warn(self, obj: Any, field: str, where: str, message: str) -> None:
        self.problems.append(
            Problem(self.file, self.lines.of(obj, field), where, message, "warning")
        )

    # --- the whole scenario -----------------------------------------------------------

    def run(self) -> list[Problem]:
        s = self.scenario
        self._check_scenario_id()
        if s.theme not in THEME_IDS:
            self.error(
                s,
                "theme",
                "theme",
                f"onbekend thema {s.theme!r}; bekend: {', '.join(sorted(THEME_IDS))}",
            )
        if s.organisation not in ORGANISATIONS:
            self.error(
                s,
                "organisation",
                "organisation",
                f"onbekende organisatie {s.organisation!r}; "
                f"bekend: {', '.join(sorted(ORGANISATIONS))}",
            )
        if s.persona not in self.personas:
            self.error(
                s,
                "persona",
                "persona",
                f"onbekende oefenkaart {s.persona!r} (niet in {PERSONAS_FILE})",
            )
        if not 1 <= s.minutes <= 60:
            self.error(s, "minutes", "minutes", "moet tussen 1 en 60 liggen")
        if not s.steps:
            self.error(s, "steps", "steps", "een oefening heeft minstens één stap nodig")
            return self.problems
        if s.start is not None and s.start not in self.step_ids:
            self.error(s, "start", "start", f"onbekende stap {s.start!r}")
        self._check_duplicate_steps()
        self._check_views()
        for step in s.steps:
            self._check_step(step)
        self._check_dates()
        self._check_placeholders()
        self._check_real_data()
        self._check_simple_dutch()
        self._check_inline_labels()
        self._check_clips()
        self._check_graph()
        self._check_right_path()
        self._check_solvable()
        self._check_unused()
        return self.problems

    def _check_scenario_id(self) -> None:
        problem = scenario_id_problem(self.scenario.id)
        if problem is not None:
            self.error(self.scenario, "id", "id", problem)

    def _check_duplicate_steps(self) -> None:
        seen: set[str] = set()
        for step in self.scenario.steps:
            if step.id in seen:
                self.error(step, "id", f"step '{step.id}'", "deze stap-id staat er twee keer")
            if step.id == END:
                self.error(
                    step, "id", f"step '{step.id}'", f"'{END}' mag geen id van een stap zijn"
                )
            seen.add(step.id)

    def _check_views(self) -> None:
        for page_id, page in self.scenario.pages.items():
            where = f"pages.{page_id}"
            if "oefen" not in page.address.lower():
                self.error(
                    page,
                    "address",
                    f"{where}.address",
                    "in een oefenadres staat 'oefen', zodat niemand het voor de echte "
                    "dienst aanziet",
                )
            if "oefen" not in page.service.lower():
                self.error(
                    page,
                    "service",
                    f"{where}.service",
                    "de naam bovenaan zegt dat het oefenen is, zoals 'DigiD (oefenen)'",
                )
            if page.look is not None and page.look not in LOOKS:
                self.error(
                    page,
                    "look",
                    f"{where}.look",
                    f"onbekende look {page.look!r}{_suggestion(page.look, LOOKS)}; "
                    f"kies uit: {', '.join(sorted(LOOKS))}",
                )
            self._check_elements(page.elements, where)
        for phone_id, phone in self.scenario.phones.items():
            self._check_elements(phone.elements, f"phones.{phone_id}")
            for element in phone.elements:
                link_text = re.search(r"\[[^\]]+\]", getattr(element, "text", ""))
                if isinstance(element, model.Sms) and element.link and not link_text:
                    self.error(
                        element,
                        "link",
                        f"phones.{phone_id}",
                        "een sms met een link heeft de linktekst tussen [ en ] nodig",
                    )
        for letter_id, letter in self.scenario.letters.items():
            self._check_unique_ids([b.id for b in letter.body], letter, f"letters.{letter_id}")

    def _check_elements(self, elements: tuple, where: str) -> None:
        self._check_unique_ids([i for e in elements for i in _element_ids(e)], elements, where)
        for element in elements:
            if isinstance(element, model.Radio | model.Select):
                self._check_unique_ids(
                    [o.id for o in element.options], element, f"{where}.{element.id}"
                )
                if not element.options:
                    self.error(element, "options", f"{where}.{element.id}", "heeft geen opties")
            if isinstance(element, model.Input) and element.prefill is not None:
                self._check_reference(
                    element,
                    "prefill",
                    f"{where}.{element.id}.prefill",
                    element.prefill,
                    card_only=True,
                )

    def _check_unique_ids(self, ids: list[str | None], obj: Any, where: str) -> None:
        seen: set[str] = set()
        for element_id in ids:
            if element_id in seen:
                self.error(obj, "", where, f"de id {element_id!r} staat er twee keer")
            if element_id is not None:
                seen.add(element_id)

    # --- one step ----------------------------------------------------------------------

    def _check_step(self, step: Step) -> None:
        where = f"step '{step.id}'"
        s = self.scenario
        for kind, table in (("page", s.pages), ("phone", s.phones), ("letter", s.letters)):
            ref = getattr(step, kind)
            if ref is not None and ref not in table:
                self.error(
                    step,
                    kind,
                    f"{where}.{kind}",
                    f"onbekende {_KIND_NL[kind]} {ref!r}{_suggestion(ref, table)}",
                )
        if not any((step.page, step.phone, step.letter, step.question)):
            self.error(
                step, "", where, "laat niets zien: geef de stap een page, phone, letter of question"
            )
        if self.pictograms is not None and step.pictogram not in self.pictograms:
            self.error(
                step,
                "pictogram",
                f"{where}.pictogram",
                f"onbekend pictogram {step.pictogram!r} (zie assets/pictograms.yaml)",
            )
        if step.question is not None:
            self._check_unique_ids(
                [c.id for c in step.question.options], step.question, f"{where}.question"
            )
            for choice in step.question.options:
                if (
                    self.pictograms is not None
                    and choice.pictogram is not None
                    and choice.pictogram not in self.pictograms
                ):
                    self.error(
                        choice,
                        "pictogram",
                        f"{where}.question.{choice.id}",
                        f"onbekend pictogram {choice.pictogram!r}",
                    )
            self._check_pictograms_do_not_point_at_the_answer(step, where)
        ids = self._view_ids(step)
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            self.error(
                step,
                "",
                where,
                f"deze id's staan twee keer in deze stap (page, phone, letter): {', '.join(dupes)}",
            )
        self._check_next(step, step.next, step, "next", f"{where}.next")
        if step.only_if is not None:
            self._check_condition(step, step.only_if, f"{where}.only_if")
        self._check_rule(step, step.expect, f"{where}.expect", expected=True)
        for number, branch in enumerate(step.branches, start=1):
            self._check_rule(step, branch.when, f"{where}.branches[{number}].when")
            self._check_next(step, branch.next, branch, "next", f"{where}.branches[{number}].next")
        for number, rule in enumerate(step.wrong, start=1):
            self._check_rule(step, rule.when, f"{where}.wrong[{number}].when")
        for text_field in ("instruction", "feedback", "explain", "notes"):
            text = getattr(step, text_field)
            if text is not None and not text.nl.strip():
                self.error(
                    step, text_field, f"{where}.{text_field}", "de Nederlandse tekst is leeg"
                )
        if not self.problems_for(step):
            self._check_rules_reachable(step, where)

    def problems_for(self, step: Step) -> bool:
        return any(p.field.startswith(f"step '{step.id}'") for p in self.problems)

    def _view_ids(self, step: Step) -> list[str]:
        s = self.scenario
        ids: list[str] = []
        if step.page in s.pages:
            for element in s.pages[step.page].elements:
                ids += _element_ids(element)
        if step.phone in s.phones:
            phone = s.phones[step.phone]
            for element in phone.elements:
                ids += _element_ids(element)
            if phone.notification and phone.notification.id:
                ids.append(phone.notification.id)
        if step.letter in s.letters:
            ids += [b.id for b in s.letters[step.letter].body if b.id]
        if step.question:
            ids += [c.id for c in step.question.options]
        return ids

    def _check_next(self, step: Step, target: str | None, obj: Any, field: str, where: str) -> None:
        if target is not None and target != END and target not in self.step_ids:
            self.error(
                obj,
                field,
                where,
                f"stap '{step.id}' gaat naar de onbekende stap {target!r}"
                f"{_suggestion(target, self.step_ids)}",
            )

    def _check_condition(self, step: Step, condition: model.Condition, where: str) -> None:
        if (condition.card is None) == (condition.form is None):
            self.error(condition, "", where, "'only_if' heeft precies één van 'card' of 'form'")
        elif condition.card is not None and condition.card not in model.PERSONA_FIELDS:
            self.error(
                condition,
                "card",
                f"{where}.card",
                f"onbekend veld van de oefenkaart {condition.card!r}"
                f"{_suggestion(condition.card, model.PERSONA_FIELDS)}",
            )
        elif condition.form is not None and condition.form not in self._form_ids():
            self.error(
                condition,
                "form",
                f"{where}.form",
                f"er is geen invulvak of keuze met id {condition.form!r}"
                f"{_suggestion(condition.form, self._form_ids())}",
            )
        if condition.option is not None and condition.form is None:
            self.error(condition, "option", f"{where}.option", "'option' hoort bij 'form'")

    def _check_rule(self, step: Step, rule: ActionRule, where: str, expected: bool = False) -> None:
        kinds = [k for k in ("tap", "type", "choose", "answer") if getattr(rule, k) is not None]
        if len(kinds) != 1:
            self.error(
                rule,
                "",
                where,
                "heeft precies één van tap, type, choose of answer nodig"
                + (f" (gevonden: {', '.join(kinds)})" if kinds else ""),
            )
            return
        kind = kinds[0]
        if rule.value is not None and kind != "type":
            self.error(rule, "value", f"{where}.value", "'value' hoort bij 'type'")
        if rule.option is not None and kind != "choose":
            self.error(rule, "option", f"{where}.option", "'option' hoort bij 'choose'")
        target = rule.target
        if kind == "answer":
            choices = [c.id for c in step.question.options] if step.question else []
            if target not in choices:
                self.error(
                    rule,
                    kind,
                    f"{where}.{kind}",
                    f"{target!r} is geen antwoord op de vraag van deze stap",
                )
            return
        _, element = container_of(self.scenario, step, target)
        if element is None:
            self.error(
                rule,
                kind,
                f"{where}.{kind}",
                f"{target!r} staat niet op de pagina, telefoon of brief van deze stap"
                f"{_suggestion(target, self._view_ids(step))}",
            )
            return
        if kind == "tap" and not _tappable(element, target):
            self.error(rule, kind, f"{where}.tap", f"op {target!r} kan de bezoeker niet tikken")
        elif kind == "type":
            if not isinstance(element, model.Input):
                self.error(rule, kind, f"{where}.type", f"{target!r} is geen invulvak")
            if rule.value is not None:
                self._check_reference(rule, "value", f"{where}.value", rule.value)
            elif expected:
                self.error(rule, "", where, "'expect' met 'type' heeft een 'value' nodig")
        elif kind == "choose":
            if not isinstance(element, model.Radio | model.Select):
                self.error(rule, kind, f"{where}.choose", f"{target!r} is geen radio of select")
            elif rule.option is not None and rule.option not in [o.id for o in element.options]:
                self.error(
                    rule,
                    "option",
                    f"{where}.option",
                    f"{rule.option!r} is geen optie van {target!r}",
                )
            elif rule.option is None and expected:
                self.error(rule, "", where, "'expect' met 'choose' heeft een 'option' nodig")

    def _check_reference(
        self, obj: Any, field: str, where: str, reference: str, card_only: bool = False
    ) -> None:
        match = REFERENCE.match(reference)
        if not match or (card_only and match[1] != "card"):
            allowed = (
                "card.<veld>" if card_only else "card.<veld>, code.<naam>, date.<naam> of form.<id>"
            )
            self.error(
                obj,
                field,
                where,
                f"{reference!r} moet een waarde noemen als {allowed}; waarden worden "
                "verwezen, nooit overgetypt",
            )
            return
        self._check_name(obj, field, where, match[1], match[2])

    def _form_ids(self) -> set[str]:
        """Ids of every field and choice a visitor can fill in, on any page or phone."""
        views = [*self.scenario.pages.values(), *self.scenario.phones.values()]
        return {
            e.id
            for view in views
            for e in view.elements
            if isinstance(e, model.Input | model.Radio | model.Select)
        }

    def _check_name(self, obj: Any, field: str, where: str, namespace: str, name: str) -> None:
        if namespace == "date":
            if name != "today" and name not in self.scenario.dates:
                self.error(
                    obj,
                    field,
                    where,
                    f"onbekende datum {name!r}{_suggestion(name, self.scenario.dates)}; "
                    "zet hem onder 'dates', bijvoorbeeld 'termijn: today + 6 weeks'",
                )
        elif namespace == "form":
            if name not in self._form_ids():
                self.error(
                    obj,
                    field,
                    where,
                    f"{{form.{name}}}: er is geen invulvak of keuze met id {name!r}"
                    f"{_suggestion(name, self._form_ids())}",
                )
        elif namespace == "card" and name not in model.PERSONA_FIELDS:
            self.error(
                obj,
                field,
                where,
                f"onbekend veld van de oefenkaart {name!r}"
                f"{_suggestion(name, model.PERSONA_FIELDS)}; bekend: "
                f"{', '.join(model.PERSONA_FIELDS)}",
            )
        elif namespace == "code" and name not in self.scenario.codes:
            self.error(obj, field, where, f"onbekende code {name!r}; zet hem onder 'codes'")
        elif namespace not in ("card", "code"):
            self.error(
                obj,
                field,
                where,
                f"onbekende verwijzing {{{namespace}.{name}}}; gebruik card.<veld>, code.<naam>, "
                "date.<naam> of form.<id>",
            )

    def _check_rules_reachable(self, step: Step, where: str) -> None:
        persona = self.personas.get(self.scenario.persona)
        if persona is None:
            return
        rules = rules_in_order(step)
        labels = (
            ["expect"]
            + [f"branches[{n}]" for n in range(1, len(step.branches) + 1)]
            + [f"wrong[{n}]" for n in range(1, len(step.wrong) + 1)]
        )
        for index, (rule, label) in enumerate(zip(rules, labels, strict=True)):
            if example_action(self.scenario, persona, step, index) is None:
                why = (
                    "geen enkele actie past erbij"
                    if index == 0
                    else "een eerdere regel neemt elke actie die hij beschrijft al"
                )
                self.error(rule, "", f"{where}.{label}", f"kan nooit gebeuren: {why}")

    # --- texts, graph, leftovers -----------------------------------------------------

    def _check_dates(self) -> None:
        for name, expression in self.scenario.dates.items():
            try:
                resolve_date(expression, REFERENCE_DAY)
            except DateError as error:
                self.error(self.scenario, "dates", f"dates.{name}", str(error))

    def _check_real_data(self) -> None:
        """Content never holds what could be a real person's BSN or mobile number, and a
        `{card.` is always closed."""
        for obj, field, text in _strings(self.scenario):
            where = field or "text"
            if contains_real_bsn(text, ""):
                self.error(
                    obj,
                    field,
                    where,
                    "hier staat een nummer van 9 cijfers dat door de elfproef komt: het kan "
                    "het BSN van een echt persoon zijn. Gebruik {card.bsn}",
                )
            mobile = real_looking_mobile(text)
            if mobile:
                self.error(
                    obj,
                    field,
                    where,
                    f"{mobile!r} kan een echt mobiel nummer zijn. Gebruik {{card.phone}} of een "
                    "nummer dat met 06-0 begint (die worden nooit uitgegeven)",
                )
            unclosed = _UNCLOSED.search(text)
            if unclosed:
                self.error(
                    obj,
                    field,
                    where,
                    f"'{unclosed.group()}' is niet afgesloten: zet er een '}}' achter",
                )

    def _check_placeholders(self) -> None:
        for obj, field, text in _strings(self.scenario):
            for match in _ANY_PLACEHOLDER.finditer(text):
                self._check_name(obj, field, field or "text", match[1], match[2])

    def _check_simple_dutch(self) -> None:
        """Warnings where the visitor's Dutch is not simple: long sentences, two actions in
        one instruction, officialese."""
        for key, text in scenario_texts(self.scenario):
            for sentence in long_sentences(text.nl):
                self.warn(
                    text,
                    "nl",
                    key,
                    f"zin van meer dan {MAX_WORDS} woorden: {sentence!r}; maak er korte zinnen van",
                )
            for word, simple in officialese(text.nl):
                self.warn(text, "nl", key, f"{word!r} is ambtelijke taal; schrijf {simple!r}")
            if key.endswith(".instruction"):
                verbs = actions(text.nl)
                if len(verbs) > 1:
                    self.warn(
                        text,
                        "nl",
                        key,
                        f"meer dan één handeling ({', '.join(verbs)}); "
                        "vraag in één instructie om één handeling",
                    )

    def _check_inline_labels(self) -> None:
        """Translations written in the scenario file itself keep the quoted Dutch labels."""
        for key, text in scenario_texts(self.scenario):
            for language in HELP_LANGUAGES:
                translated = text.get(language)
                for label in missing_labels(text.nl, translated) if translated else ():
                    self.error(
                        text, language, f"{key}.{language}", missing_label_message(language, label)
                    )

    def _check_clips(self) -> None:
        """Recorded clips named by texts: known languages, files that exist."""
        for key, text in scenario_texts(self.scenario):
            for language, name in text.audio.items():
                if language not in model.LANGUAGES:
                    self.error(
                        text,
                        "audio",
                        f"{key}.audio",
                        f"onbekende taal {language!r} voor een opname; "
                        f"kies uit: {', '.join(model.LANGUAGES)}",
                    )
                elif not _is_clip_name(name):
                    self.error(
                        text,
                        "audio",
                        f"{key}.audio.{language}",
                        "De naam van een opname is een gewone bestandsnaam in de map van de "
                        "taal: letters, cijfers, - en _, hoogstens 100 tekens, eindigend op "
                        ".ogg of .wav, zoals 'start.ogg' of 'digid-inloggen/start.ogg'.",
                    )
                elif not any(_exists(folder / language / name) for folder in self.clip_folders):
                    self.warn(
                        text,
                        "audio",
                        f"{key}.audio.{language}",
                        f"de opname assets/audio/{language}/{name} is er nog niet; "
                        "tot die er is, spreekt de kiosk met een computerstem",
                    )

    def _check_graph(self) -> None:
        s = self.scenario
        if s.first_step not in self.step_ids:
            return
        targets = [t for st in s.steps for t in (st.next, *(b.next for b in st.branches))]
        if any(t is not None and t != END and t not in self.step_ids for t in targets):
            return  # one root cause, reported once: the misspelt 'next' itself
        out: dict[str, set[str]] = {}
        for step in s.steps:
            out[step.id] = {s.step_after(step), *(b.next for b in step.branches)}
        for step in s.steps:  # a step shown only sometimes can be passed over
            if step.only_if is not None:
                for targets in out.values():
                    if step.id in targets:
                        targets.add(s.step_after(step))
        reachable = _closure({s.first_step}, out)
        reverse: dict[str, set[str]] = {step.id: set() for step in s.steps}
        reverse[END] = set()
        for source, targets in out.items():
            for target in targets:
                reverse.setdefault(target, set()).add(source)
        reaches_end = _closure({END}, reverse)
        for step in s.steps:
            if step.id not in reachable:
                self.error(step, "id", f"step '{step.id}'", "geen enkele weg leidt naar deze stap")
            elif step.id not in reaches_end:
                self.error(
                    step,
                    "id",
                    f"step '{step.id}'",
                    "vanaf deze stap komt de bezoeker nooit aan het einde",
                )

    def _check_right_path(self) -> None:
        """Whoever does the right thing at every step must come to the end.

        Branches may lead elsewhere (a help page) and back, but the `expect` of
        each step leads on; a chain of `next` that comes back on itself would
        keep a visitor who does everything right going round for ever.
        """
        s = self.scenario
        if s.first_step not in self.step_ids:
            return
        right_next = {step.id: s.step_after(step) for step in s.steps}
        reported: set[str] = set()
        for step in s.steps:
            circle = _circle_from(step.id, right_next)
            if circle and not reported & set(circle):
                reported |= set(circle)
                closing = s.step(circle[-1])
                shown = " → ".join((*circle, circle[0]))
                self.error(
                    closing,
                    "next",
                    f"step '{closing.id}'",
                    f"De goede actie van deze stap gaat terug naar stap '{circle[0]}'. Zo "
                    f"komt wie alles goed doet nooit aan het einde (rondje: {shown}). "
                    "Laat 'next' naar een latere stap of naar 'end' gaan.",
                )

    def _check_solvable(self) -> None:
        """Valid means solvable: the right path is played from the start to the end."""
        persona = self.personas.get(self.scenario.persona)
        if persona is None or any(p.severity == "error" for p in self.problems):
            return
        try:
            solve(self.scenario, persona)
        except NoSolution as unsolvable:
            self.error(
                self.scenario,
                "steps",
                "steps",
                f"Deze oefening kan niet worden afgemaakt: {unsolvable.dutch}",
            )

    def _check_unused(self) -> None:
        s = self.scenario
        used = {
            kind: {getattr(step, kind) for step in s.steps} for kind in ("page", "phone", "letter")
        }
        for kind, table in (("page", s.pages), ("phone", s.phones), ("letter", s.letters)):
            for key, value in table.items():
                if key not in used[kind]:
                    self.warn(
                        value,
                        "",
                        f"{kind}s.{key}",
                        f"deze {_KIND_NL[kind]} wordt in geen enkele stap getoond",
                    )
        texts = " ".join(text for _, _, text in _strings(s))
        rules = [r for step in s.steps for r in rules_in_order(step)]
        for code in s.codes:
            mentioned = f"{{code.{code}}}" in texts or any(r.value == f"code.{code}" for r in rules)
            if not mentioned:
                self.warn(s, "codes", f"codes.{code}", "deze code wordt nergens gebruikt")


def _element_ids(element: Any) -> list[str]:
    ids = [element.id] if getattr(element, "id", None) else []
    ids += [row.id for row in getattr(element, "rows", ()) if row.id]
    if isinstance(element, model.Sms) and element.link:
        ids.append(element.link)
    return ids


def _tappable(element: Any, target: str) -> bool:
    if isinstance(element, model.Sms) and element.link == target:
        return True
    return isinstance(
        element, (*model.TAPPABLE, model.Notification, model.LetterBlock, model.SummaryRow)
    )


def _circle_from(start: str, right_next: dict[str, str]) -> tuple[str, ...]:
    """The circle that following `next` from `start` ends in; () when it reaches the end."""
    path: list[str] = []
    current = start
    while current in right_next and current not in path:
        path.append(current)
        current = right_next[current]
    return tuple(path[path.index(current) :]) if current in path else ()


_CLIP_NAME = re.compile(r"([A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.(ogg|wav)")


def _is_clip_name(name: str) -> bool:
    """A clip is named by a plain file name inside its language's folder, never a path
    out of it, and short enough for any file system."""
    return len(name) <= 100 and ".." not in name and _CLIP_NAME.fullmatch(name) is not None


def _exists(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # no content may crash the checks
        return False


def _closure(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    seen = set(start)
    todo = list(start)
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _strings(obj: Any, field: str = "", parent: Any = None) -> Iterator[tuple[Any, str, str]]:
    """Every string in a model object: (object holding it, field name, text)."""
    if isinstance(obj, str):
        yield parent, field, obj
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from _strings(getattr(obj, f.name), f.name, obj)
    elif isinstance(obj, tuple | list):
        for item in obj:
            yield from _strings(item, field, parent)
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _strings(value, field, parent)


def _suggestion(word: str, known: Any) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (bedoelt u {close[0]!r}?)" if close else ""


# --- Files and folders ---------------------------------------------------------------


@dataclass(frozen=True)
class FileReport:
    file: str
    scenario: Scenario | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not any(p.severity == "error" for p in self.problems)


@dataclass(frozen=True)
class Report:
    files: tuple[FileReport, ...]
    personas: dict[str, model.Persona]
    persona_problems: tuple[Problem, ...]
    asset_problems: tuple[Problem, ...] = ()
    route: RouteRules | None = None
    """The intake's route rules (route.yaml); None without the file or when it is broken."""
    route_problems: tuple[Problem, ...] = ()

    @property
    def problems(self) -> tuple[Problem, ...]:
        files = tuple(p for f in self.files for p in f.problems)
        return self.asset_problems + self.persona_problems + files + self.route_problems

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def _missing_translation_warnings(scenario: Scenario, file: str) -> list[Problem]:
    """One warning per help language that still lacks texts, naming the first few."""
    warnings = []
    total = sum(1 for _ in scenario_texts(scenario))
    for language, keys in missing_translations(scenario).items():
        if keys:
            shown = ", ".join(keys[:3]) + (", ..." if len(keys) > 3 else "")
            warnings.append(
                Problem(
                    file,
                    None,
                    f"translations/{language}",
                    f"{len(keys)} van de {total} teksten nog niet vertaald: {shown}",
                    "warning",
                )
            )
    return warnings


def check_personas(path: Path) -> tuple[dict[str, model.Persona], tuple[Problem, ...]]:
    """Load the practice cards; a card whose BSN could be real is refused."""
    loaded = load_personas(path)
    problems = list(loaded.problems)
    cards: dict[str, model.Persona] = {}
    for card_id, card in (loaded.value or {}).items():
        where = f"personas[{card_id}]"
        line = loaded.lines.of(card, "bsn")
        if passes_eleven_check(card.bsn):
            problems.append(
                Problem(
                    path.name,
                    line,
                    f"{where}.bsn",
                    "dit BSN komt door de elfproef en kan van een echt persoon zijn; "
                    "een oefen-BSN komt er expres niet door",
                )
            )
            continue
        if len(card.bsn) != 9 or not card.bsn.isdigit():
            problems.append(Problem(path.name, line, f"{where}.bsn", "een BSN heeft 9 cijfers"))
            continue
        fake_problem = _real_looking_card_data(card)
        if fake_problem:
            field_name, message = fake_problem
            problems.append(
                Problem(
                    path.name, loaded.lines.of(card, field_name), f"{where}.{field_name}", message
                )
            )
            continue
        if len(card.app_pincode) != 5 or not card.app_pincode.isdigit():
            problems.append(
                Problem(
                    path.name,
                    loaded.lines.of(card, "app_pincode"),
                    f"{where}.app_pincode",
                    "een pincode heeft 5 cijfers",
                )
            )
            continue
        cards[card_id] = card
    return cards, tuple(problems)


def _real_looking_card_data(card: model.Persona) -> tuple[str, str] | None:
    """(field, message) for card data that could be a real person's; None when all is made up."""
    if card.partner_bsn and (
        passes_eleven_check(card.partner_bsn)
        or len(card.partner_bsn) != 9
        or not card.partner_bsn.isdigit()
    ):
        return "partner_bsn", "het BSN van de partner heeft 9 cijfers en faalt de elfproef"
    if iban_passes_check(card.iban):
        return "iban", "dit IBAN klopt (mod 97) en kan echt zijn; een oefen-IBAN faalt de controle"
    if real_looking_mobile(card.phone):
        return "phone", "dit kan een echt mobiel nummer zijn; gebruik een 06-0-nummer"
    for name in DATE_FIELDS:
        value = getattr(card, name)
        if value:
            try:
                resolve_date(value, REFERENCE_DAY)
            except DateError as error:
                return name, str(error)
    return None


def scenario_files(paths: list[Path]) -> list[Path]:
    """The scenario files named by `paths` (folders give their *.yaml files)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            not_scenarios = (PERSONAS_FILE, PICTOGRAM_REGISTRY, ROUTE_FILE)
            files += sorted(p for p in path.glob("*.yaml") if p.name not in not_scenarios)
        else:
            files.append(path)
    return files


def personas_path_for(paths: list[Path]) -> Path:
    """personas.yaml beside the first scenario, else the shipped one."""
    for path in paths:
        folder = path if path.is_dir() else path.parent
        if (folder / PERSONAS_FILE).exists():
            return folder / PERSONAS_FILE
    return scenarios_dir() / PERSONAS_FILE


def _unquoted_question_marks(path: Path, file: str) -> list[Problem]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # the loader has said what is wrong with the file
    return [
        Problem(
            file,
            line,
            "",
            "een tekst met een vraagteken tussen { } moet tussen aanhalingstekens staan, "
            'zoals text: "Wat wilt u doen?" (de kiosk leest het wel, andere programma\'s niet)',
            "warning",
        )
        for line in lines_only_libyaml_reads(text)
    ]


def validate_paths(paths: list[Path]) -> Report:
    """Load and check every scenario file named; never raises for bad content."""
    personas, persona_problems = check_personas(personas_path_for(paths))
    # Without the pictogram registry (an asset missing from the installation) no name can
    # be checked: every scenario would fail and the kiosk would offer nothing. The
    # scenarios stay playable, the screens draw a plain shape, and the gap is reported.
    folders = [path if path.is_dir() else path.parent for path in paths]
    registry = load_pictograms()
    for folder in dict.fromkeys(folders):  # a pack's own additions
        registry = with_additions(registry, folder)
    pictograms = set(registry) if registry else None
    asset_problems = () if registry else (_NO_PICTOGRAMS,)
    reports: list[FileReport] = []
    seen_ids: dict[str, str] = {}
    for path in scenario_files(paths):
        loaded = load_scenario_file(path)
        problems = list(loaded.problems) + _unquoted_question_marks(path, loaded.file)
        scenario = loaded.value
        if scenario is not None and not problems:
            problems += _Checker(
                scenario, loaded.lines, loaded.file, personas, pictograms, (path.parent / "audio",)
            ).run()
            scenario, translation_problems = apply_translations(scenario, path.parent)
            problems += translation_problems
            problems += _missing_translation_warnings(scenario, loaded.file)
            if scenario.id in seen_ids:
                problems.append(
                    Problem(
                        loaded.file,
                        loaded.lines.of(scenario, "id"),
                        "id",
                        f"de id {scenario.id!r} staat ook in {seen_ids[scenario.id]}; "
                        "geef elke oefening een eigen id",
                    )
                )
            seen_ids.setdefault(scenario.id, loaded.file)
        reports.append(FileReport(loaded.file, scenario, tuple(problems)))
    route, route_problems = _route_of(paths, reports)
    return Report(tuple(reports), personas, persona_problems, asset_problems, route, route_problems)


def _route_of(paths: list[Path], reports: list[FileReport]) -> tuple[RouteRules | None, tuple]:
    """The route rules of the first folder named (a single file has none)."""
    folder = next((path for path in paths if path.is_dir()), None)
    if folder is None:
        return None, ()
    loaded_ids = {f.scenario.id for f in reports if f.scenario is not None}
    return load_route(folder, loaded_ids)
