"""Stopping on SIGTERM (systemd) and SIGINT (Ctrl+C): the handler only takes note."""

from __future__ import annotations

import io
import logging
import os
import signal

from kiosk.signals import StopRequest


class InterruptedStream(io.StringIO):
    """A log stream that a signal interrupts in the middle of a write, as a pipe can."""

    def __init__(self, on_write) -> None:
        super().__init__()
        self.on_write = on_write
        self.writing = False

    def write(self, text: str) -> int:
        if self.writing:
            raise RuntimeError("reentrant call inside <_io.BufferedWriter name='<stderr>'>")
        self.writing = True
        try:
            self.on_write()
            return super().write(text)
        finally:
            self.writing = False


def test_a_signal_that_lands_during_a_log_write_is_only_noted():
    stop = StopRequest()
    stream = InterruptedStream(lambda: stop.handle(signal.SIGTERM, None))
    log = logging.getLogger("test-signal-during-write")
    log.propagate = False
    log.addHandler(logging.StreamHandler(stream))
    log.setLevel(logging.INFO)
    errors = io.StringIO()
    saved, logging.raiseExceptions = logging.raiseExceptions, True
    try:
        import contextlib

        with contextlib.redirect_stderr(errors):
            log.info("the kiosk writes a log line")
    finally:
        logging.raiseExceptions = saved
    assert stop.signal_name == "SIGTERM"
    assert stream.getvalue() == "the kiosk writes a log line\n"
    assert errors.getvalue() == ""  # no 'reentrant call', no 'Logging error'


def test_both_stop_signals_are_caught_and_given_back():
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    stop = StopRequest()
    stop.install()
    try:
        assert stop.signal_name is None
        os.kill(os.getpid(), signal.SIGINT)
        assert stop.signal_name == "SIGINT"
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.signal_name == "SIGTERM"
    finally:
        stop.uninstall()
    assert {s: signal.getsignal(s) for s in before} == before
