"""Colours and sizes of the kiosk, as plain data (tested for contrast without a window).

The practice banner uses violet and yellow: no Dutch government service uses
them, so it can never be mistaken for the real thing. The simulated pages use
a neutral slate and blue: a look-alike of a plain government site, not a copy.
"""

from __future__ import annotations

from dataclasses import dataclass


def rgba(hex_colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    """'#RRGGBB' → (r, g, b, a) with channels from 0 to 1, as Kivy wants them."""
    value = hex_colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, alpha)


@dataclass(frozen=True)
class Palette:
    # the kiosk around the simulation
    background: str = "#F4F1EA"
    surface: str = "#FFFFFF"
    text: str = "#1D1D1B"
    text_muted: str = "#4A4A46"
    line: str = "#8A857A"
    action: str = "#00574B"  # big kiosk buttons: deep teal
    action_text: str = "#FFFFFF"
    action_pressed: str = "#003D35"
    quiet: str = "#E6E1D6"  # secondary kiosk buttons
    quiet_pressed: str = "#CFC8B8"
    disabled_text: str = "#5E5A52"
    help_text: str = "#0D4F6B"  # the visitor's own language, beneath the Dutch
    # the practice banner
    banner: str = "#4A1A6B"
    banner_text: str = "#FFE066"
    # feedback: an icon and words as well as colour
    correct: str = "#1B5E20"
    correct_bg: str = "#E3F2E1"
    wrong: str = "#6D3F00"
    wrong_bg: str = "#FFF0D9"
    refused: str = "#8E1B1B"
    refused_bg: str = "#FDE7E7"
    hint_bg: str = "#FFF8D6"
    highlight: str = "#D81B60"
    # the simulated government page and phone
    page_bg: str = "#FFFFFF"
    page_text: str = "#1B1B1B"
    page_header: str = "#2F3F4F"
    page_header_text: str = "#FFFFFF"
    page_link: str = "#0B4F8A"
    page_button: str = "#0B4F8A"
    page_button_text: str = "#FFFFFF"
    page_button_pressed: str = "#073861"
    page_field_line: str = "#5C6670"
    browser_chrome: str = "#DADCE0"
    address_bg: str = "#FFFFFF"
    address_text: str = "#3C4043"
    info_bg: str = "#E8F1FA"
    warning_bg: str = "#FFF4CE"
    error_bg: str = "#FBE3E3"
    error_text: str = "#8A1010"
    success_bg: str = "#E4F3E6"
    phone_body: str = "#202124"
    phone_screen: str = "#FFFFFF"
    phone_bar: str = "#F1F3F4"
    phone_bar_text: str = "#202124"
    sms_bubble: str = "#ECEFF1"
    notification_bg: str = "#FFFFFF"
    letter_paper: str = "#FFFFFE"
    letter_desk: str = "#B9B4A8"
    pdf_toolbar: str = "#3C4043"
    pdf_toolbar_text: str = "#FFFFFF"
    card_bg: str = "#FFF6D5"
    card_header: str = "#4A1A6B"
    card_header_text: str = "#FFE066"
    overlay: str = "#000000"


PALETTE = Palette()

# Text and background pairs the screens use; the contrast test walks this list.
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("text", "background"),
    ("text", "surface"),
    ("text_muted", "background"),
    ("text_muted", "surface"),
    ("help_text", "surface"),
    ("help_text", "background"),
    ("help_text", "hint_bg"),
    ("help_text", "quiet"),
    ("highlight", "surface"),
    ("highlight", "page_bg"),
    ("action_text", "action"),
    ("action_text", "action_pressed"),
    ("text", "quiet"),
    ("text", "quiet_pressed"),
    ("disabled_text", "quiet"),
    ("banner_text", "banner"),
    ("correct", "correct_bg"),
    ("wrong", "wrong_bg"),
    ("refused", "refused_bg"),
    ("text", "hint_bg"),
    ("page_text", "page_bg"),
    ("page_link", "page_bg"),
    ("page_header_text", "page_header"),
    ("page_button_text", "page_button"),
    ("page_button_text", "page_button_pressed"),
    ("address_text", "address_bg"),
    ("page_text", "info_bg"),
    ("page_text", "warning_bg"),
    ("error_text", "error_bg"),
    ("page_text", "success_bg"),
    ("phone_bar_text", "phone_bar"),
    ("page_text", "sms_bubble"),
    ("page_link", "sms_bubble"),
    ("page_text", "notification_bg"),
    ("page_text", "letter_paper"),
    ("pdf_toolbar_text", "pdf_toolbar"),
    ("text", "card_bg"),
    ("card_header_text", "card_header"),
)

# Controls and their surroundings (WCAG non-text contrast, 3:1).
CONTROL_PAIRS: tuple[tuple[str, str], ...] = (
    ("action", "background"),
    ("line", "surface"),
    ("page_field_line", "page_bg"),
    ("page_button", "page_bg"),
    ("highlight", "page_bg"),
    ("highlight", "background"),
    ("banner", "background"),
)


@dataclass(frozen=True)
class Sizes:
    """Sizes in dp (layout) and sp (text)."""

    touch: int = 56  # the smallest kiosk target; WCAG and Android ask for 48
    page_touch: int = 48  # targets on the simulated page
    instruction: int = 24  # the instruction in the coach panel (at least 22)
    body: int = 18
    page_body: int = 16
    title: int = 30
    banner: int = 20
    gap: int = 12


SIZES = Sizes()
