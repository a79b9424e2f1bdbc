"""The benchmarks themselves: a long run must not stop because of its own log."""

from __future__ import annotations

import sys

import pytest

from kiosk import bench

# A probe that logs far more than a pipe holds (64 KiB) before it reports, as a soak run of
# hundreds of sessions does: the benchmark must read its figures, not wait for ever.
CHATTY_PROBE = (
    "import sys, json\n"
    "for n in range(20000):\n"
    "    print(f'INFO session ended: idle {n}', file=sys.stderr)\n"
    "print(json.dumps({'sessions': 1}))\n"
)


@pytest.mark.timeout(60)
def test_a_probe_that_logs_a_lot_still_reports(monkeypatch):
    monkeypatch.setattr(bench, "TOUCH_PROBE", (sys.executable, "-c", CHATTY_PROBE))
    seen = []
    assert bench.touch_probe([], "800x480", echo=seen.append) == [{"sessions": 1}]
    assert seen == [{"sessions": 1}]


@pytest.mark.timeout(60)
def test_a_probe_that_fails_shows_the_end_of_its_log(monkeypatch):
    failing = "import sys\nprint('the kiosk stopped: KeyError', file=sys.stderr)\nsys.exit(3)\n"
    monkeypatch.setattr(bench, "TOUCH_PROBE", (sys.executable, "-c", failing))
    with pytest.raises(RuntimeError, match="the kiosk stopped: KeyError"):
        bench.touch_probe([], "800x480")
