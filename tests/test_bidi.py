"""Right-to-left text: shaped, in visual order, wrapped in the right line order."""

from __future__ import annotations

import arabic_reshaper
import yaml
from bidi import get_display

from kiosk.i18n.bidi import display_text, has_rtl, visual_line, wrap_lines
from kiosk.paths import PROJECT_ROOT

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


# --- Mirroring (rule L4 of the Unicode bidi algorithm) ---------------------------------
# A bracket that resolves to right-to-left is drawn as its mirror image, so on a
# left-to-right renderer the character itself must be swapped: "(koppelcode)" inside
# Arabic must reach Kivy as "(koppelcode)", never ")koppelcode(".

MIRROR_PAIRS = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "<": ">", ">": "<"}
MIRROR_PAIRS |= {"«": "»", "»": "«"}


def test_brackets_around_a_latin_word_inside_arabic_open_towards_it():
    shown = visual_line("تنقل رمز الربط (koppelcode) من الكمبيوتر")
    assert "(koppelcode)" in shown
    assert ")koppelcode(" not in shown


def test_brackets_around_arabic_point_inwards():
    # Logical "(مرحبا)": the opening bracket is at the right end of what the eye reads,
    # so in the left-to-right string it must be the last character and look like "(".
    shown = visual_line("قل (مرحبا) الآن")
    word = get_display(arabic_reshaper.reshape("مرحبا"), base_dir="R")
    assert f"({word})" in shown
    assert f"){word}(" not in shown


def test_a_bracket_explaining_a_latin_word_after_a_latin_word():
    # "QR (QR-code)": the brackets belong to the left-to-right run and are not mirrored.
    shown = visual_line("امسح رمز QR (QR-code) بالهاتف")
    assert "QR (QR-code)" in shown


def test_quoted_dutch_label_with_an_arabic_explanation_in_brackets():
    shown = visual_line("اضغط على 'Inloggen' (تسجيل الدخول) في التطبيق.")
    explanation = get_display(arabic_reshaper.reshape("تسجيل الدخول"), base_dir="R")
    assert f"({explanation})" in shown
    assert "'Inloggen'" in shown


def test_dari_quotes_and_every_mirrored_pair_read_inwards():
    shown = visual_line("کود را «اینجا» [کوتاه] {کد} <مهم> بنویسید")
    # On screen every pair looks as in left-to-right text: the opening glyph on the left.
    for left, right in ("«»", "[]", "{}", "<>"):
        assert shown.count(left) == shown.count(right) == 1
        assert shown.index(left) < shown.index(right), (left, right, shown)


def test_latin_only_lines_are_never_changed():
    for line in ("Tik op 'Inloggen' (de blauwe knop).", "a < b > c [d] {e} «f»", "QR (QR-code)"):
        assert visual_line(line) == line


def shipped_right_to_left_lines() -> list[tuple[str, str]]:
    lines = []
    for lang in ("ar", "prs"):
        for path in sorted((PROJECT_ROOT / "scenarios" / "translations" / lang).glob("*.yaml")):
            texts = yaml.safe_load(path.read_text(encoding="utf-8"))["texts"]
            lines += [
                (path.name, line) for text in texts.values() for line in str(text).split("\n")
            ]
    return lines


def test_mirroring_only_swaps_brackets_the_order_stays_python_bidis():
    for name, line in shipped_right_to_left_lines():
        if not has_rtl(line):
            continue  # a line of Latin only ("12 december 2026") is drawn as it is
        shown = visual_line(line)
        plain = get_display(arabic_reshaper.reshape(line), base_dir="R")
        assert len(shown) == len(plain), (name, line)
        for drawn, ordered in zip(shown, plain, strict=True):
            assert drawn == ordered or MIRROR_PAIRS.get(ordered) == drawn, (name, line)


def test_no_bracket_points_outwards_in_any_shipped_right_to_left_text():
    with_brackets = 0
    for name, line in shipped_right_to_left_lines():
        shown = visual_line(line)
        depth = 0
        for char in shown:  # left to right, as the eye meets the glyphs on screen
            depth += {"(": 1, ")": -1}.get(char, 0)
            assert depth >= 0, (name, line, shown)
        assert depth == 0, (name, line, shown)
        with_brackets += "(" in line
    assert with_brackets > 80  # 47 Arabic and 42 Dari texts have brackets


def test_a_bracket_pair_split_over_two_lines_still_encloses_the_words():
    text = "اكتب الرقم (الرقم السري المكوّن من 5 أرقام) هنا"
    top, bottom = display_text(text, 25, width).split("\n")[:2]
    # The opening bracket stands at the right of the top line's last word: drawn ")" there.
    assert "(" in text and ")" in top and "(" not in top
    assert "(" in bottom and ")" not in bottom


def test_unreadable_levels_give_the_unmirrored_order_not_a_crash(monkeypatch, caplog):
    import kiosk.i18n.bidi as bidi_module

    monkeypatch.setattr(bidi_module, "_warned", False)
    monkeypatch.setattr(
        bidi_module,
        "get_display",
        lambda text, base_dir, debug=False: (
            "no levels here" if debug else get_display(text, base_dir=base_dir)
        ),
    )
    line = "اضغط على 'Inloggen' (تسجيل الدخول)"
    assert visual_line(line) == get_display(arabic_reshaper.reshape(line), base_dir="R")
    assert "not mirrored" in caplog.text
