"""Right-to-left text: shaped, in visual order, wrapped in the right line order."""

from __future__ import annotations

import arabic_reshaper
from bidi import get_display

from kiosk.i18n.bidi import display_text, has_rtl, visual_line, wrap_lines

ARABIC = "اضغط على زر تسجيل الدخول ثم اكتب اسم المستخدم وكلمة المرور من بطاقة التدريب"


def width(line: str) -> float:
    return len(line)  # one unit per character is enough to test the order of lines


def test_lines_keep_their_reading_order():
    lines = wrap_lines(ARABIC, 20, width)
    assert len(lines) > 2
    assert " ".join(lines) == ARABIC  # nothing moves from one line to another
    assert lines[0].startswith("اضغط")  # the first words are on the first line
    assert lines[-1].endswith("التدريب")
    assert all(width(visual_line(line)) <= 20 for line in lines if " " in line)


def test_each_line_is_shaped_and_reversed_on_its_own():
    shown = display_text(ARABIC, 20, width).split("\n")
    first_words = get_display(arabic_reshaper.reshape("اضغط على زر"), base_dir="R")
    assert first_words in shown[0]  # the top line on screen holds the first words


def test_reordering_the_whole_paragraph_first_gets_the_lines_wrong():
    whole = get_display(arabic_reshaper.reshape(ARABIC), base_dir="R")
    naive_top_line = whole[:20]  # what a renderer that wraps afterwards shows on top
    assert get_display(arabic_reshaper.reshape("اضغط"), base_dir="R") not in naive_top_line


def test_letters_are_joined():
    shaped = visual_line("سلام")
    assert shaped != "سلام"[::-1]  # presentation forms, not isolated letters
    assert all("\ufe70" <= c <= "\ufeff" or "\ufb50" <= c <= "\ufdff" for c in shaped)


def test_latin_words_digits_and_times_stay_readable_inside_arabic():
    shown = visual_line("سجّل الدخول بـ DigiD إلى MijnOverheid في الساعة 09:00 واكتب الرمز 123")
    for readable in ("DigiD", "MijnOverheid", "09:00", "123"):
        assert readable in shown
    for reversed_form in ("MijnOverheid"[::-1], "00:90", "321"):
        assert reversed_form not in shown


def test_dari_too():
    shown = visual_line("کود 482913 را در خانه بنویسید")
    assert "482913" in shown and has_rtl(shown)


def test_left_to_right_text_is_left_alone():
    assert visual_line("Typ de code in het vak.") == "Typ de code in het vak."
    assert wrap_lines("een twee drie", 100, width) == ["een twee drie"]


def test_a_word_wider_than_the_line_gets_its_own_line():
    assert wrap_lines("a bbbbbbbbbbbb c", 5, width) == ["a", "bbbbbbbbbbbb", "c"]
