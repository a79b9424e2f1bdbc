"""Staff mode: settings, statistics, export, reset, PINs and leaving the kiosk.

Opened with the staff PIN (or, on a kiosk without PINs, to set them). Its
texts are Dutch only: it is for library staff, not for visitors.
"""

from __future__ import annotations

import threading
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, DictProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kiosk.admin.commands import CONFIRM_WORD
from kiosk.admin.export import export_targets
from kiosk.admin.pins import recovery_command
from kiosk.admin.settings import SettingError, save_staff_settings, staff_file
from kiosk.config import data_dir
from kiosk.packs.service import content_store
from kiosk.ui.screens import load_screen_kv
from kiosk.ui.staff_views import (
    SettingView,
    damaged_pins_text,
    setting_views,
    stepped,
    toggled,
    typed,
)
from kiosk.ui.widgets.common import KioskButton, WrapLabel
from kiosk.ui.widgets.keyboard import OnScreenKeyboard  # noqa: F401 - used in staff.kv
from kiosk.ui.widgets.statistics import StatsView  # noqa: F401 - used in staff.kv

load_screen_kv(__file__)

PAGES = ("settings", "statistics", "export", "content", "reset", "pins", "exit")


class SettingRow(BoxLayout):
    """One setting: its name, what it does, and big controls to change it."""

    name = StringProperty("")
    label = StringProperty("")
    description = StringProperty("")
    fixed_text = StringProperty("")

    def __init__(self, view: SettingView, screen: StaffScreen, **kwargs) -> None:
        super().__init__(**kwargs)
        self.view = view
        self.screen = screen
        self.name, self.label, self.description = view.name, view.label, view.description
        if view.fixed:
            self.fixed_text = (
                f"Vastgezet door OEFENKIOSK_{view.name.upper()}: een wijziging hier telt niet."
            )
        self.build_controls()

    def value(self):
        return self.screen.pending.get(self.name, self.view.value)

    def build_controls(self) -> None:
        box = self.ids.controls
        box.clear_widgets()
        view, value = self.view, self.value()
        if view.kind == "number":
            line = BoxLayout(size_hint_y=None, height="56dp", spacing="10dp")
            minus = KioskButton(icon="minus", size_hint_x=None, width="72dp", halign="center")
            plus = KioskButton(icon="plus", size_hint_x=None, width="72dp", halign="center")
            minus.bind(on_release=lambda *_: self.change(stepped(view, self.value(), -1)))
            plus.bind(on_release=lambda *_: self.change(stepped(view, self.value(), 1)))
            shown = WrapLabel(
                text=str(value),
                font_size="22sp",
                bold=True,
                halign="center",
                size_hint_x=None,
                width="110dp",
            )
            shown.min_height = 56
            line.add_widget(minus)
            line.add_widget(shown)
            line.add_widget(plus)
            line.add_widget(BoxLayout())
            box.add_widget(line)
            self.ids["number"] = shown.proxy_ref
            self.ids["minus"], self.ids["plus"] = minus.proxy_ref, plus.proxy_ref
        elif view.kind in ("switch", "choice"):
            options = (
                ((True, "Aan"), (False, "Uit"))
                if view.kind == "switch"
                else tuple((c.value, c.label) for c in view.choices)
            )
            line = BoxLayout(size_hint_y=None, height="56dp", spacing="8dp")
            for option, text in options:
                button = KioskButton(
                    text=text,
                    halign="center",
                    font_size=17,
                    style="action" if option == value else "quiet",
                    icon="check-on" if option == value else "",
                )
                button.bind(on_release=lambda _b, o=option: self.change(o))
                line.add_widget(button)
            box.add_widget(line)
        elif view.kind == "several":
            order = tuple(c.value for c in view.choices)
            ticked = set(value) & set(order) if value else set(order)
            for choice in view.choices:
                on = choice.value in ticked
                button = KioskButton(
                    text=choice.label, font_size=17, icon="check-on" if on else "check-off"
                )
                button.bind(on_release=lambda _b, c=choice.value: self.tick(c))
                box.add_widget(button)
        else:
            field = KioskButton(text=str(value) or " ", icon="type", font_size=18)
            field.bind(on_release=lambda *_: self.screen.type_into(self))
            box.add_widget(field)
            self.ids["field"] = field.proxy_ref

    def change(self, value) -> None:
        self.screen.stage(self.name, value)
        self.build_controls()

    def tick(self, choice: str) -> None:
        view = self.view
        order = tuple(c.value for c in view.choices)
        current = self.value() or order  # empty means: all of them
        chosen = toggled(tuple(current), choice, order)
        if view.name == "enabled_scenarios" and not chosen:
            self.screen.say("Kies minstens één oefening.", problem=True)
            return
        if view.name == "enabled_languages" and not chosen:
            chosen = ("nl",)  # Dutch only
        self.change(() if chosen == order else chosen)


class StaffScreen(Screen):
    page = StringProperty("settings")
    kiosk_name = StringProperty("")
    message = StringProperty("")
    problem = BooleanProperty(False)
    notices = ListProperty([])
    network_lines = ListProperty([])
    content_lines = ListProperty([])
    busy = BooleanProperty(False)  # a pack is being checked or fetched
    pack_url = StringProperty("")
    can_roll_back = BooleanProperty(False)
    problems_title = StringProperty("")
    pending = DictProperty({})
    first_run = BooleanProperty(False)
    erase_log = BooleanProperty(False)
    confirm_text = StringProperty("")
    typing = BooleanProperty(False)  # the on-screen keyboard is up
    reset_blocked = BooleanProperty(False)  # erasing the log waits for the typed confirmation
    raw_export = BooleanProperty(False)
    export_target = StringProperty("")
    pin_status = StringProperty("")

    def on_kv_post(self, base_widget) -> None:
        self.keyboard = self.ids.keyboard.__self__
        self._hide_keyboard()
        self._typing: SettingRow | str | None = None
        self._pages = {name: self.ids[f"page_{name}"].__self__ for name in PAGES}
        self._confirm_box = self.ids.confirm_box.__self__
        self._confirm_box.parent.remove_widget(self._confirm_box)

    # --- opening and pages ---------------------------------------------------------------

    def open(self, first_run: bool = False) -> None:
        app = App.get_running_app()
        self.first_run = first_run
        self.kiosk_name = app.settings.kiosk_name
        self.pending = {}
        self.erase_log = False
        self.confirm_text = ""
        self.raw_export = False
        self.say("")
        self.refresh_notices()
        self.show_page("pins" if first_run else "settings")

    def refresh_notices(self) -> None:
        app = App.get_running_app()
        self.notices = list(app.staff_notices())
        count = len(self.notices)
        titles = {0: "", 1: "Dit vraagt aandacht:"}
        self.problems_title = titles.get(count, f"{count} dingen vragen aandacht:")

    def show_page(self, page: str) -> None:
        if self.first_run and page != "pins":
            self.say("Stel eerst de pincode voor medewerkers in.", problem=True)
            return
        self._stop_typing()
        self.page = page
        holder = self.ids.page_holder
        holder.clear_widgets()
        holder.add_widget(self._pages[page])
        self.ids.scroll.scroll_y = 1
        self.say("")
        getattr(self, f"_fill_{page}")()

    def say(self, message: str, problem: bool = False) -> None:
        self.message, self.problem = message, problem

    def leave(self) -> None:
        # also allowed before the PINs are set: the kiosk must never trap anyone here
        self._stop_typing()
        App.get_running_app().modes.close_staff()

    # --- settings ---------------------------------------------------------------

    def _fill_settings(self) -> None:
        app = App.get_running_app()
        box = self.ids.settings_rows
        box.clear_widgets()
        scenarios = {s.id: s for s in app.full_library.scenarios}
        for view in setting_views(app.settings, scenarios):
            row = SettingRow(view, self)
            box.add_widget(row)
            self.ids[f"setting_{view.name}"] = row.proxy_ref
        self.ids.settings_file.text = f"Wordt bewaard in {staff_file(app.settings)}"

    def stage(self, name: str, value) -> None:
        self.pending[name] = value
        self.say("Nog niet opgeslagen.")

    def save_settings(self) -> None:
        app = App.get_running_app()
        self._stop_typing()
        if not self.pending:
            self.say("Er is niets gewijzigd.")
            return
        try:
            config = save_staff_settings(app.settings, dict(self.pending))
        except SettingError as error:
            self.say(str(error), problem=True)
            return
        except OSError as error:
            self.say(f"Niet opgeslagen: {error.strerror or error}", problem=True)
            return
        app.apply_settings(config)
        self.pending = {}
        self.kiosk_name = config.kiosk_name
        self._fill_settings()
        self.say(f"Opgeslagen in {staff_file(config)}.")

    def undo_settings(self) -> None:
        self.pending = {}
        self._fill_settings()
        self.say("Wijzigingen teruggezet.")

    # --- typing a text (kiosk name, the erase confirmation) -----------------------------------

    def type_into(self, target: SettingRow | str) -> None:
        self._typing = target
        self.typing = True
        self.keyboard.open_for("text")
        if self.keyboard.parent is None:
            self.ids.body.add_widget(self.keyboard)
        field = self.ids.confirm if target == "confirm" else target.ids.field
        # once the keyboard has taken its room, keep what is typed in sight
        Clock.schedule_once(lambda *_: self._keep_in_view(field), 0.1)

    def _keep_in_view(self, field) -> None:
        if self.typing and field.get_root_window() is not None:
            self.ids.scroll.scroll_to(field, padding=dp(12), animate=False)

    def type_text(self, text: str) -> None:
        target = self._typing
        name = target.name if isinstance(target, SettingRow) else ""
        self._edit(lambda value: typed(name, value, text))

    def backspace(self) -> None:
        self._edit(lambda value: value[:-1])

    def _edit(self, change) -> None:
        target = self._typing
        if target == "confirm":
            self.confirm_text = change(self.confirm_text)
        elif isinstance(target, SettingRow):
            target.screen.pending[target.name] = change(str(target.value()))
            target.build_controls()
            self.say("Nog niet opgeslagen.")

    def _stop_typing(self) -> None:
        self._typing = None
        self._hide_keyboard()

    def _hide_keyboard(self) -> None:
        self.typing = False
        if self.keyboard.parent is not None:
            self.keyboard.parent.remove_widget(self.keyboard)

    def hide_keyboard(self) -> None:
        self._stop_typing()

    # --- statistics ---------------------------------------------------------------

    def _fill_statistics(self) -> None:
        app = App.get_running_app()
        app.modes.load_statistics(self.ids.stats, self.ids.stats.days)
        self.network_lines = list(app.network_status())

    # --- content packs -----------------------------------------------------------

    def _fill_content(self) -> None:
        from kiosk.ui.staff_views import content_lines

        app = App.get_running_app()
        store = content_store(app.settings)
        self.content_lines = list(
            content_lines(store.current(), store.staged(), store.previous(), app.pack_message)
        )
        self.pack_url = app.settings.pack_url
        self.can_roll_back = store.current() is not None
        self.ids.usb_packs.clear_widgets()

    def find_usb_packs(self) -> None:
        from kiosk.packs.service import usb_packs

        box = self.ids.usb_packs
        box.clear_widgets()
        found = usb_packs(tuple(export_targets()))
        if not found:
            self.say("Geen pakket (.okpack) gevonden. Staat het bovenaan op de stick?", True)
            return
        for path in found:
            button = KioskButton(
                text=f"Installeren: {path.name}", icon="check-on", font_size=sp(17),
                size_hint_y=None, height=dp(56),
            )  # fmt: skip
            button.bind(on_release=lambda _b, path=path: self._install(path))
            box.add_widget(button)

    def fetch_packs(self) -> None:
        self._install(None)

    def _install(self, path: Path | None) -> None:
        """Check and install in a thread: the validator takes a while on a Raspberry Pi."""
        app = App.get_running_app()
        self.busy = True
        self.say("Het pakket wordt gecontroleerd …")
        threading.Thread(target=self._install_in_thread, args=(app, path), daemon=True).start()

    def _install_in_thread(self, app, path: Path | None) -> None:
        from kiosk.packs.archive import PackError
        from kiosk.packs.service import install_file, install_from_url

        try:
            installed = install_file(app.settings, path) if path else install_from_url(app.settings)
            if installed is None:
                text, problem = "Er zijn geen nieuwe oefeningen.", False
            else:
                text = f"{installed.label} is geïnstalleerd. Het gaat aan bij het volgende welkom."
                problem = False
        except (PackError, OSError) as error:
            text, problem = f"Niet geïnstalleerd: {error}", True
        Clock.schedule_once(lambda *_: self._installed(app, text, problem), 0)

    def _installed(self, app, text: str, problem: bool) -> None:
        app.pack_message = text if problem else ""
        self.busy = False
        self._fill_content()
        self.say(text, problem)

    def roll_back(self) -> None:
        from kiosk.packs.archive import PackError

        app = App.get_running_app()
        try:
            back = content_store(app.settings).rollback()
        except (PackError, OSError) as error:
            self.say(str(error), problem=True)
            return
        app.content_switched()
        self._fill_content()
        self.say(f"Terug naar {back.label if back else 'de ingebouwde oefeningen'}.")

    # --- export ---------------------------------------------------------------

    def _fill_export(self) -> None:
        app = App.get_running_app()
        targets = export_targets(extra=(data_dir(app.settings) / "export",))
        if self.export_target not in {str(t) for t in targets}:
            self.export_target = str(targets[0]) if targets else ""
        box = self.ids.export_targets
        box.clear_widgets()
        for target in targets:
            chosen = str(target) == self.export_target
            button = KioskButton(
                text=_target_label(target),
                icon="radio-on" if chosen else "radio-off",
                font_size=17,
                style="action" if chosen else "quiet",
            )
            button.bind(on_release=lambda _b, t=str(target): self._choose_target(t))
            box.add_widget(button)

    def _choose_target(self, target: str) -> None:
        self.export_target = target
        self._fill_export()

    def export(self) -> None:
        if not self.export_target:
            self.say("Geen map om naar te schrijven.", problem=True)
            return
        App.get_running_app().modes.export(Path(self.export_target), self.raw_export, self.say)

    # --- reset ---------------------------------------------------------------

    def _fill_reset(self) -> None:
        if self.erase_log:
            self.toggle_erase_log()
        self.confirm_text = ""

    def toggle_erase_log(self) -> None:
        self.erase_log = not self.erase_log
        self.confirm_text = ""
        page = self._pages["reset"]
        if self.erase_log:
            page.add_widget(self._confirm_box, index=1)  # above the reset button
            self.type_into("confirm")
        else:
            page.remove_widget(self._confirm_box)
            self._stop_typing()

    def on_erase_log(self, *_args) -> None:
        self.reset_blocked = self.erase_log and not self.confirmed

    on_confirm_text = on_erase_log

    @property
    def confirmed(self) -> bool:
        return self.confirm_text.strip().upper() == CONFIRM_WORD

    def reset(self) -> None:
        if self.erase_log and not self.confirmed:
            self.say(f"Typ {CONFIRM_WORD} om ook het logboek te wissen.", problem=True)
            return
        self._stop_typing()
        App.get_running_app().modes.reset(self.erase_log, self.say)
        if self.erase_log:
            self.toggle_erase_log()

    # --- PINs ---------------------------------------------------------------

    def _fill_pins(self) -> None:
        app = App.get_running_app()
        pins = app.modes.pins.read()
        if pins.damage:  # damaged while staff mode was open
            self.pin_status = damaged_pins_text(recovery_command(data_dir(app.settings)))
            return
        missing = app.modes.pins.missing()
        lines = []
        for role, name in (("staff", "medewerkers"), ("volunteer", "vrijwilligers")):
            state = "nog niet ingesteld" if role in missing else "ingesteld"
            lines.append(f"Pincode voor {name}: {state}.")
        self.pin_status = "\n".join(lines)
        if self.first_run:
            self.say("Deze kiosk heeft nog geen pincodes. Stel ze nu in.", problem=True)

    def set_pin(self, role: str) -> None:
        App.get_running_app().modes.ask_new_pin(role, self._pin_was_set)

    def _pin_was_set(self, role: str) -> None:
        if role == "staff":
            self.first_run = False
        self._fill_pins()
        who = "medewerkers" if role == "staff" else "vrijwilligers"
        self.say(f"De pincode voor {who} is ingesteld.")

    # --- leaving the kiosk ---------------------------------------------------------------

    def _fill_exit(self) -> None:
        pass

    def exit_kiosk(self) -> None:
        App.get_running_app().exit_to_desktop()


def _target_label(target: Path) -> str:
    if str(target).startswith(("/media", "/run/media", "/mnt")):
        return f"USB-stick: {target.name}  ({target})"
    return str(target)
