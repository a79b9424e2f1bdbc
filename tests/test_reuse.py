"""Widgets used again (kiosk.ui.reuse), without a window: element widgets from one step to
the next, and the catalogue's lists and buttons by what they show."""

from __future__ import annotations

import pytest

from kiosk.ui.reuse import ElementShelf, KeptBuilds

pytestmark = pytest.mark.timeout(10)


class Listener:
    def __init__(self) -> None:
        self.targets: dict[str, object] = {}

    def register(self, target_id: str, widget: object) -> None:
        self.targets[target_id] = widget

    def tap(self, target_id: str) -> str:
        return f"tapped {target_id}"


class Builder:
    """Builds a fresh object per view; an element with an id registers it as a target."""

    def __init__(self) -> None:
        self.built: list[str] = []

    def __call__(self, view: tuple[str, str], listener) -> dict:
        self.built.append(view[0])
        widget = {"view": view, "tap": listener.tap}
        if view[0].startswith("#"):
            listener.register(view[0], widget)
        return widget


def test_the_same_views_keep_their_widgets_and_register_their_targets_again():
    shelf, build = ElementShelf(), Builder()
    views = [("kop", "Inloggen"), ("#naam", ""), ("#volgende", "Volgende")]
    first_listener = Listener()
    first = shelf.widgets(views, first_listener, build)
    assert build.built == ["kop", "#naam", "#volgende"] and shelf.reused == 0
    listener = Listener()
    again = shelf.widgets(views, listener, build)
    assert all(a is b for a, b in zip(again, first, strict=True))
    assert build.built == ["kop", "#naam", "#volgende"] and shelf.reused == 3
    assert listener.targets == {"#naam": first[1], "#volgende": first[2]}
    # a kept widget's touches still reach the listener through what it was built with
    assert again[1]["tap"]("#naam") == "tapped #naam"


def test_only_a_changed_or_new_element_is_built():
    shelf, build = ElementShelf(), Builder()
    first = shelf.widgets([("kop", "A"), ("#naam", ""), ("#volgende", "")], Listener(), build)
    build.built.clear()
    second = shelf.widgets(
        [("fout", "Vul uw naam in"), ("kop", "A"), ("#naam", "Amal"), ("#volgende", "")],
        Listener(),
        build,
    )
    assert build.built == ["fout", "#naam"] and shelf.reused == 2
    assert second[1] is first[0] and second[3] is first[2]
    assert second[2] is not first[1]


def test_two_equal_elements_on_one_page_get_a_widget_each():
    shelf, build = ElementShelf(), Builder()
    views = [("lijn", ""), ("lijn", "")]
    first = shelf.widgets(views, Listener(), build)
    assert first[0] is not first[1]
    again = shelf.widgets(views, Listener(), build)
    assert {id(w) for w in again} == {id(w) for w in first}


def test_a_widget_changed_in_place_is_built_anew():
    shelf, build = ElementShelf(), Builder()
    views = [("kop", "A"), ("#naam", "")]
    first = shelf.widgets(views, Listener(), build)
    shelf.forget(first[1])  # typed in: it no longer shows its view
    again = shelf.widgets(views, Listener(), build)
    assert again[0] is first[0] and again[1] is not first[1]
    shelf.forget()  # an error shown in place somewhere: nothing is kept
    third = shelf.widgets(views, Listener(), build)
    assert not any(a is b for a, b in zip(third, again, strict=True))


def test_an_element_left_out_is_not_kept_for_later():
    shelf, build = ElementShelf(), Builder()
    first = shelf.widgets([("kop", "A"), ("melding", "Gelukt")], Listener(), build)
    shelf.widgets([("kop", "A")], Listener(), build)
    again = shelf.widgets([("kop", "A"), ("melding", "Gelukt")], Listener(), build)
    assert again[1] is not first[1]


def test_a_kept_build_is_used_again_for_the_same_key():
    kept = KeptBuilds(limit=3)
    first = kept.get(("nep-sms", False), object)
    assert kept.get(("nep-sms", False), object) is first
    assert kept.get(("nep-sms", True), object) is not first  # done now: shows a tick
    assert kept.built == 2


def test_the_least_recently_used_build_is_let_go_first():
    kept = KeptBuilds(limit=2)
    a = kept.get("a", object)
    kept.get("b", object)
    kept.get("a", object)  # used again: now the most recent
    kept.get("c", object)  # one too many: "b" goes
    assert kept.get("a", object) is a
    built = kept.built
    kept.get("b", object)
    assert kept.built == built + 1


def test_keep_only_lets_go_of_the_rest():
    kept = KeptBuilds(limit=10)
    dutch = kept.get(("nep-sms", ""), object)
    kept.get(("nep-sms", "ar"), object)
    kept.keep_only(lambda key: key[1] == "")
    assert kept.get(("nep-sms", ""), object) is dutch
    built = kept.built
    kept.get(("nep-sms", "ar"), object)
    assert kept.built == built + 1
