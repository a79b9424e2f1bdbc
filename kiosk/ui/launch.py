"""Starting Kivy the kiosk way: settings that must be in place before the window exists."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WindowOptions:
    windowed: bool = False
    size: tuple[int, int] = (800, 480)


def configure_kivy(options: WindowOptions) -> None:
    """Set Kivy's environment and Config; call before anything imports kivy.core.window."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")  # our own command line, not Kivy's
    os.environ.setdefault("KIVY_NO_FILELOG", "1")  # logs go to stdout / the journal
    # One handler prints every journal line: the kiosk's own (logging.basicConfig). In its
    # default mode Kivy adds a second console handler to the root logger, which printed
    # every line twice, and reroutes stderr through its logger.
    os.environ["KIVY_LOG_MODE"] = "PYTHON"
    # SDL would turn SIGTERM into a window-close request, which a kiosk refuses; the
    # app handles the signals itself, so systemd and Ctrl+C can always stop it.
    os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "pause_on_minimize", "0")
    # A right click must not leave red multitouch dots on the screen.
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("graphics", "multisamples", "0")
    if options.windowed:
        width, height = options.size
        Config.set("graphics", "fullscreen", "0")
        Config.set("graphics", "borderless", "0")
        Config.set("graphics", "show_cursor", "1")
        Config.set("graphics", "width", str(width))
        Config.set("graphics", "height", str(height))
    else:
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "borderless", "1")
        Config.set("graphics", "show_cursor", "0")


def parse_size(text: str) -> tuple[int, int]:
    """'800x480' → (800, 480)."""
    width, _, height = text.lower().partition("x")
    size = (int(width), int(height))
    if min(size) < 200:
        raise ValueError("a window needs at least 200x200 pixels")
    return size


def run_kiosk(
    options: WindowOptions,
    config_path: Path | None = None,
    on_first_frame: Callable[[], None] | None = None,
) -> int:
    """Configure Kivy, read the settings and run the kiosk until it is stopped.

    Returns the exit status: 0, or EXIT_TO_DESKTOP when staff closed the kiosk.
    """
    configure_kivy(options)
    from kiosk.config import load_config

    config = load_config(config_path)

    def load():  # on a worker thread, after the first frame
        from kiosk.config import data_dir
        from kiosk.packs.service import content_folder
        from kiosk.scenario.library_cache import load_library_cached

        # asked each time: a content pack may have been switched on since the last load
        return load_library_cached(content_folder(config), data_dir(config) / "cache")

    from kiosk.ui.app import KioskApp

    app = KioskApp(config, load, windowed=options.windowed, on_first_frame=on_first_frame)
    app.run()
    return app.exit_code
