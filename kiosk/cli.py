"""The `oefenkiosk` command."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk import __version__
from kiosk.paths import scenarios_dir


def cmd_run(args: argparse.Namespace) -> int:
    import logging

    from kiosk.ui.launch import WindowOptions, parse_size, run_kiosk

    try:
        size = parse_size(args.size) if args.size else (800, 480)
    except ValueError:
        print(f"--size: expected WIDTHxHEIGHT, like 800x480 (got {args.size!r})", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    options = WindowOptions(windowed=args.windowed or args.size is not None, size=size)
    return run_kiosk(options, Path(args.config) if args.config else None)


def cmd_validate(args: argparse.Namespace) -> int:
    from kiosk.scenario.validate import validate_paths

    started = time.perf_counter()
    paths = [Path(p) for p in args.paths] or [scenarios_dir()]
    missing = [p for p in paths if not p.exists()]
    if missing:
        for path in missing:
            print(f"{path}: no such file or folder", file=sys.stderr)
        return 2
    report = validate_paths(paths)
    for problem in report.problems:
        print(problem)
    broken = [f.file for f in report.files if not f.ok]
    warnings = sum(p.severity == "warning" for p in report.problems)
    elapsed = time.perf_counter() - started
    print(
        f"{len(report.files)} scenario files: {len(report.files) - len(broken)} ok, "
        f"{len(broken)} broken, {warnings} warnings ({elapsed:.2f} s)"
    )
    return 0 if report.ok else 1


def cmd_play(args: argparse.Namespace) -> int:
    from kiosk.play import TextPlayer
    from kiosk.scenario.engine import ScenarioRun
    from kiosk.scenario.validate import validate_paths

    path = Path(args.file)
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    report = validate_paths([path])
    scenario_report = report.files[0]
    if not report.ok or scenario_report.scenario is None:
        for problem in report.problems:
            print(problem, file=sys.stderr)
        return 2
    scenario = scenario_report.scenario
    run = ScenarioRun(scenario, report.personas[scenario.persona])

    def read(prompt: str) -> str:
        try:
            return input(prompt)
        except EOFError:
            return "q"

    player = TextPlayer(run, sys.stdout, read, language=args.lang)
    return player.solve() if args.solve else player.play()


def cmd_bench(args: argparse.Namespace) -> int:
    from kiosk.bench import run_bench, run_soak

    if args.soak:
        return run_soak(args.soak)
    return run_bench(args.runs)


def cmd_i18n_update(args: argparse.Namespace) -> int:
    from kiosk.i18n.catalogs import HELP_LANGUAGES, update_catalogs
    from kiosk.scenario.translations import read_translation, template, translation_path
    from kiosk.scenario.validate import validate_paths

    for path in update_catalogs():
        print(f"wrote {path}")
    folder = scenarios_dir()
    report = validate_paths([folder])
    for file_report in report.files:
        scenario = file_report.scenario
        if scenario is None:
            print(f"skipped {file_report.file}: it does not load", file=sys.stderr)
            continue
        for language in HELP_LANGUAGES:
            path = translation_path(folder, language, scenario.id)
            existing = read_translation(path, language)[0] if path.exists() else None
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                template(scenario, language, existing.texts if existing else None), encoding="utf-8"
            )
            print(f"wrote {path}")
    return 0


def cmd_audio(args: argparse.Namespace) -> int:
    from kiosk.audio_build import run_build
    from kiosk.config import cache_dir, load_config
    from kiosk.paths import assets_dir
    from kiosk.scenario.library import load_library

    config = load_config(Path(args.config) if args.config else None)
    folder = Path(config.audio_cache_dir) if config.audio_cache_dir else cache_dir()
    scenarios = Path(config.scenarios_dir) if config.scenarios_dir else scenarios_dir()
    speeds = ("slow", "normal") if args.all_speeds else (config.speech_speed,)
    return run_build(load_library(scenarios), folder / "speech", assets_dir() / "audio", speeds)


def cmd_i18n_report(args: argparse.Namespace) -> int:
    from kiosk.coverage import coverage, report
    from kiosk.scenario.library import load_library
    from kiosk.speech.engines import open_engine
    from kiosk.speech.voices import VOICES

    engine = open_engine()
    voices = {
        lang
        for lang, voice in VOICES.items()
        if voice and engine is not None and engine.has_voice(voice)
    }
    rows = coverage(load_library(scenarios_dir()), voices)
    print(report(rows))
    if engine is None:
        print("no speech engine here: only recordings can be heard (is espeak-ng installed?)")
    complete = all(
        r.scenario_translated == r.scenario_texts and r.ui_translated == r.ui_strings for r in rows
    )
    return 0 if complete else 1


def cmd_schema(args: argparse.Namespace) -> int:
    from kiosk.scenario.schema import schema_json

    text = schema_json()
    if args.write:
        target = scenarios_dir() / "schema.json"
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")
    else:
        sys.stdout.write(text)
    return 0


def _config(args: argparse.Namespace):
    from kiosk.config import load_config

    return load_config(Path(args.config) if args.config else None)


def cmd_stats(args: argparse.Namespace) -> int:
    from kiosk.admin.commands import stats

    return stats(_config(args), sys.stdout)


def cmd_export(args: argparse.Namespace) -> int:
    from kiosk.admin.commands import export_command

    return export_command(_config(args), Path(args.folder), args.raw, sys.stdout)


def cmd_reset(args: argparse.Namespace) -> int:
    from kiosk.admin.commands import reset

    return reset(_config(args), args.erase_log, args.yes, sys.stdout)


def cmd_set_pin(args: argparse.Namespace) -> int:
    from kiosk.admin.commands import set_pin

    return set_pin(_config(args), args.role, sys.stdout)


Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oefenkiosk",
        description="Oefenkiosk: practise Dutch digital government in a safe simulation.",
    )
    parser.add_argument("--version", action="version", version=f"oefenkiosk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # every command that reads the kiosk's settings takes the same --config
    with_config = argparse.ArgumentParser(add_help=False)
    with_config.add_argument("--config", metavar="PATH", help="settings file (default: see README)")

    run = commands.add_parser(
        "run",
        parents=[with_config],
        help="start the kiosk (fullscreen)",
        description="Start the kiosk: fullscreen, no cursor; Escape and closing do nothing.",
    )
    run.add_argument(
        "--windowed", action="store_true", help="a normal window, for development and testing"
    )
    run.add_argument("--size", metavar="WxH", help="window size, e.g. 800x480 (implies --windowed)")
    run.set_defaults(handler=cmd_run)

    validate = commands.add_parser(
        "validate",
        help="check scenario files and report every problem",
        description="Check scenario files; exits non-zero when any file is broken.",
    )
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="scenario files or folders (default: the shipped scenarios)",
    )
    validate.set_defaults(handler=cmd_validate)

    play = commands.add_parser(
        "play",
        help="play a scenario in the terminal",
        description="Play a scenario in the terminal, or let the engine solve it.",
    )
    play.add_argument("file", metavar="FILE", help="a scenario file")
    play.add_argument(
        "--solve", action="store_true", help="play the right path automatically and print it"
    )
    play.add_argument("--lang", default="nl", help="language of instructions (default: nl)")
    play.set_defaults(handler=cmd_play)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the scenario format",
        description="Print the JSON Schema of the scenario format (scenarios/schema.json).",
    )
    schema.add_argument("--write", action="store_true", help="write scenarios/schema.json")
    schema.set_defaults(handler=cmd_schema)

    audio = commands.add_parser(
        "audio",
        parents=[with_config],
        help="pre-render spoken texts ('audio build')",
        description="Speech for the kiosk. 'build' renders every text of every scenario and "
        "the UI in every language that has a voice, into the audio cache.",
    )
    audio.add_argument("action", choices=["build"], help="what to do")
    audio.add_argument(
        "--all-speeds",
        action="store_true",
        help="both reading speeds (default: the kiosk's speech_speed only; the "
        "other speed is rendered when a visitor chooses it)",
    )
    audio.set_defaults(handler=cmd_audio)

    i18n_update = commands.add_parser(
        "i18n-update",
        help="extract UI strings and update every translation file",
        description="Write assets/locale/oefenkiosk.pot, merge it into each language's .po, "
        "and write each scenario's translation file with the Dutch above every line.",
    )
    i18n_update.set_defaults(handler=cmd_i18n_update)

    i18n_report = commands.add_parser(
        "i18n-report",
        help="per language: how much is translated and can be heard",
        description="A table per language: scenario texts and UI strings translated, and how "
        "many texts can be heard (a voice, or recordings). Exits 1 when anything is missing.",
    )
    i18n_report.set_defaults(handler=cmd_i18n_report)

    stats = commands.add_parser(
        "stats",
        parents=[with_config],
        help="statistics of the practice log (last 7 and 30 days)",
        description="Per scenario, for the last 7 and 30 days: started, finished, finish "
        "rate, median time, the steps where people go wrong most and the most-chosen wrong "
        "element. Counts below 5 are shown as '< 5'.",
    )
    stats.set_defaults(handler=cmd_stats)

    export = commands.add_parser(
        "export",
        parents=[with_config],
        help="write the statistics (and raw events) as CSV and JSON",
        description="Write the statistics as CSV and JSON into a new folder inside FOLDER "
        "(e.g. a USB stick); --raw adds the anonymous events.",
    )
    export.add_argument("folder", metavar="FOLDER", help="where to write, e.g. /media/usb")
    export.add_argument("--raw", action="store_true", help="also the raw anonymous events")
    export.set_defaults(handler=cmd_export)

    reset = commands.add_parser(
        "reset",
        parents=[with_config],
        help="end and wipe the running kiosk's session; --erase-log erases the log",
        description="Ask the running kiosk to end the visitor's session and wipe it. "
        "--erase-log also erases the whole practice log (asks you to type WISSEN).",
    )
    reset.add_argument("--erase-log", action="store_true", help="also erase the practice log")
    reset.add_argument("--yes", action="store_true", help="erase without asking (scripts)")
    reset.set_defaults(handler=cmd_reset)

    set_pin = commands.add_parser(
        "set-pin",
        parents=[with_config],
        help="set the volunteer or staff PIN",
        description="Set a PIN (at least 6 digits). It is read from standard input when "
        "that is not a terminal, else asked twice without showing it.",
    )
    set_pin.add_argument("role", choices=["volunteer", "staff"], help="whose PIN")
    set_pin.set_defaults(handler=cmd_set_pin)

    bench = commands.add_parser(
        "bench",
        help="measure start-up time, memory and other figures",
        description="Measure the kiosk under a virtual display and print the figures.",
    )
    bench.add_argument("--runs", type=int, default=5, help="fresh processes per figure")
    bench.add_argument(
        "--soak",
        type=int,
        nargs="?",
        const=300,
        default=0,
        metavar="SESSIONS",
        help="instead: play SESSIONS (300) visitor sessions by touch; memory and frames per 50",
    )
    bench.set_defaults(handler=cmd_bench)
    return parser


def command_names() -> list[str]:
    """Every sub-command, for the test that keeps the README complete."""
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return sorted(action.choices)
    return []


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Command | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
