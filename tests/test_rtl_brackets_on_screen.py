"""Brackets in Arabic and Dari help reach the screen pointing inwards."""

from __future__ import annotations

import pytest

from kiosk.i18n.bidi import has_rtl

pytestmark = pytest.mark.ui


def bracket_problems(texts: list[str]) -> list[str]:
    """Drawn texts in which a ')' comes before its '(' when read left to right."""
    problems = []
    for text in texts:
        for line in text.split("\n"):
            depth = 0
            for char in line:
                depth += {"(": 1, ")": -1}.get(char, 0)
                if depth < 0:
                    problems.append(line)
                    break
    return problems


@pytest.mark.parametrize("language", ["ar", "prs"])
@pytest.mark.parametrize("size", [(800, 480), (1280, 800)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_instruction_on_screen_has_its_brackets_the_right_way(kiosk, language, size):
    app = kiosk.app
    app.end_session()
    kiosk.pump(3)
    kiosk.resize(*size)
    app.language = language
    app.start_practice("digid-app-activeren")  # "'Start' (ابدأ)": a bracket in step one
    kiosk.wait(0.5)
    drawn = [text for text in kiosk.texts() if has_rtl(text)]
    with_brackets = [text for text in drawn if "(" in text]
    assert with_brackets, drawn
    assert bracket_problems(drawn) == []
    kiosk.screenshot(f"rtl-brackets-{language}")
    app.end_session()
    kiosk.pump(3)
