"""Dari help texts use Afghan words, not the Iranian Farsi ones (visitors are from Afghanistan)."""

from __future__ import annotations

import re

import pytest
import yaml
from babel.messages.pofile import read_po

from kiosk.i18n.catalogs import po_path
from kiosk.paths import PROJECT_ROOT

# Iranian word → the Afghan word for it.
IRANIAN_WORDS = {
    "دکمه": "تکمه",  # button
    "شماره": "نمبر",  # number
    "تقویم": "جنتری",  # calendar
    "کامپیوتر": "کمپیوتر",  # computer
    "تلفن": "تیلفون",  # telephone
    "موبایل": "مبایل",  # mobile phone
    "گوشی": "تیلفون",  # handset
    "پیامک": "اس‌ام‌اس",  # text message
    "اطلاعات": "معلومات",  # information, data
    "راهنمایی": "رهنمایی",  # guidance, hint
    "اینترنت": "انترنت",  # internet
    "شهرداری": "شاروالی",  # municipality
    "بیمارستان": "شفاخانه",  # hospital
    "بله": "بلی",  # yes
}
FOUND = re.compile(r"\b(" + "|".join(IRANIAN_WORDS) + r")\b")


def dari_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted((PROJECT_ROOT / "scenarios" / "translations" / "prs").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts += [(f"{path.name}: {key}", str(text)) for key, text in data["texts"].items()]
    with po_path("prs").open("rb") as handle:
        for message in read_po(handle, locale="fa_AF"):
            forms = message.string if message.pluralizable else (message.string,)
            texts += [(f"oefenkiosk.po: {message.id}", form) for form in forms if message.id]
    return texts


def test_there_are_dari_texts_to_check():
    assert len(dari_texts()) > 250


@pytest.mark.parametrize("word", sorted(IRANIAN_WORDS))
def test_no_iranian_word_in_dari(word):
    found = [where for where, text in dari_texts() if word in FOUND.findall(text)]
    assert found == [], f"'{word}' is Iranian; Afghan Dari says '{IRANIAN_WORDS[word]}': {found}"


def test_the_check_sees_a_word_followed_by_a_zero_width_non_joiner():
    assert FOUND.findall("تکمه‌ای دکمه‌ای را لمس کنید") == ["دکمه"]
