"""Every text and background pair of the theme meets WCAG 2.2 AA contrast."""

from __future__ import annotations

import pytest

from kiosk.scenario.catalog import LOOKS, ORGANISATIONS
from kiosk.ui.theme import CONTROL_PAIRS, PALETTE, TEXT_PAIRS


def luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_formula_matches_known_values():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(("fg", "bg"), TEXT_PAIRS, ids=lambda name: name)
def test_text_contrast_is_at_least_4_5(fg, bg):
    assert contrast(getattr(PALETTE, fg), getattr(PALETTE, bg)) >= 4.5


@pytest.mark.parametrize(("fg", "bg"), CONTROL_PAIRS, ids=lambda name: name)
def test_controls_contrast_is_at_least_3(fg, bg):
    assert contrast(getattr(PALETTE, fg), getattr(PALETTE, bg)) >= 3.0


@pytest.mark.parametrize("name", sorted(LOOKS))
def test_every_organisation_look_has_readable_header_text(name):
    look = LOOKS[name]
    assert contrast(look.header_text, look.header) >= 4.5


def test_every_organisation_has_a_look_of_its_own():
    assert set(ORGANISATIONS) == set(LOOKS)
    headers = [look.header for look in LOOKS.values()]
    assert len(set(headers)) == len(headers)
