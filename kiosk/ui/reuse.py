"""Element widgets used again from one step to the next.

Most steps change a page only a little: a field now shows what was typed, a new
message appears above the same form. Building a widget with its kv rules and
drawing its texts costs a few milliseconds per element, so a pane keeps the
widgets of the elements it showed and, at the next step, uses again the widget
of every element whose view is exactly the same. Only new or changed elements
are built. The catalogue keeps its lists and exercise buttons the same way, by
what they show. No Kivy here: the shelves work with any widget and any builder.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol


class Registrar(Protocol):
    def register(self, target_id: str, widget: Any) -> None: ...


@dataclass(frozen=True)
class _Built:
    view: object
    widget: Any
    targets: tuple[tuple[str, Any], ...]
    """The touch targets the widget registered when it was built, to register again."""


class _NotingListener:
    """Passes everything on to the listener, and notes the targets a build registers."""

    def __init__(self, listener: Registrar) -> None:
        self._listener = listener
        self.targets: list[tuple[str, Any]] = []

    def register(self, target_id: str, widget: Any) -> None:
        self.targets.append((target_id, widget))
        self._listener.register(target_id, widget)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._listener, name)


class ElementShelf:
    """The widgets a pane showed last, by the view each one was built for."""

    def __init__(self) -> None:
        self._built: list[_Built] = []
        self.reused = 0
        """How many widgets the last `widgets` call took from the shelf."""

    def widgets(
        self,
        views: Iterable[object],
        listener: Registrar,
        build: Callable[[object, Registrar], Any],
    ) -> list[Any]:
        """A widget for each view: the shelf's own for a view seen at the last step (its
        targets registered with `listener` again), else a new one from `build`."""
        left = list(self._built)
        built: list[_Built] = []
        self.reused = 0
        for view in views:
            index = next((i for i, b in enumerate(left) if b.view == view), None)
            if index is None:
                noting = _NotingListener(listener)
                widget = build(view, noting)
                entry = _Built(view, widget, tuple(noting.targets))
            else:
                entry = left.pop(index)
                self.reused += 1
                for target_id, target in entry.targets:
                    listener.register(target_id, target)
            built.append(entry)
        self._built = built
        return [b.widget for b in built]

    def forget(self, widget: Any = None) -> None:
        """A widget was changed in place (typed in, an error shown under it): it no longer
        matches its view, so it is never used again. Without a widget: forget them all."""
        if widget is None:
            self._built = []
        else:
            self._built = [b for b in self._built if b.widget is not widget]


class KeptBuilds:
    """Things built for a key (a list of tiles, one exercise's button), the most recently
    used kept: at most `limit`, the least recently used let go first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self.built = 0
        """How many `get` calls had to build (for tests and benchmarks)."""

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        kept = self._kept.pop(key, _MISSING)
        if kept is _MISSING:
            kept = build()
            self.built += 1
        self._kept[key] = kept
        while len(self._kept) > self.limit:
            self._kept.popitem(last=False)
        return kept

    def keep_only(self, wanted: Callable[[Hashable], bool]) -> None:
        """Let go of every build whose key is not `wanted`."""
        for key in [key for key in self._kept if not wanted(key)]:
            del self._kept[key]


_MISSING = object()
