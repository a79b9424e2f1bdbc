"""`oefenkiosk oefenbewijzen`: the oefenbewijzen saved for staff, and printing one."""

from __future__ import annotations

import time
from datetime import datetime
from typing import TextIO

from kiosk.certificate import store
from kiosk.certificate.printing import available_printer, print_pdf
from kiosk.config import Config, data_dir


def list_saved(config: Config, out: TextIO) -> int:
    folder = data_dir(config)
    store.purge(folder, time.time())
    found = store.saved(folder)
    if not found:
        print("Er zijn geen bewaarde oefenbewijzen.", file=out)
        return 0
    print("nummer  bewaard op", file=out)
    for saved in found:
        when = datetime.fromtimestamp(saved.saved_at).strftime("%d-%m-%Y %H:%M")
        print(f"{saved.number:>6}  {when}", file=out)
    return 0


def print_saved(config: Config, number: str, out: TextIO) -> int:
    saved = store.find(data_dir(config), number)
    if saved is None:
        print(f"Er is geen oefenbewijs met nummer {number}.", file=out)
        return 1
    printer = available_printer(config.printer)
    if printer is None:
        print(f"Er is geen printer. Het bestand staat hier: {saved.path}", file=out)
        return 1
    try:
        pdf = saved.path.read_bytes()
    except OSError as problem:
        print(f"Het oefenbewijs is niet te lezen: {problem}", file=out)
        return 1
    result = print_pdf(pdf, printer)
    print(result.message, file=out)
    return 0 if result.ok else 1
