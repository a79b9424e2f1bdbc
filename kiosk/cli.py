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
    from kiosk.scenario.solve import NoSolution
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
    if not args.solve:
        return player.play()
    try:
        return player.solve()
    except NoSolution as unsolvable:  # the validator should have said so; never a traceback
        print(f"{path.name}: Deze oefening kan niet worden afgemaakt: {unsolvable.dutch}")
        return 1


def cmd_migrate(args: argparse.Namespace) -> int:
    from kiosk.scenario.loader import read_file
    from kiosk.scenario.migrate import upgrade_text
    from kiosk.scenario.model import SCHEMA_VERSION
    from kiosk.scenario.problems import ContentError

    path = Path(args.file)
    try:
        data = read_file(path)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 2
    version = data.get("schema_version") if isinstance(data, dict) else None
    if not isinstance(version, int) or not 1 <= version <= SCHEMA_VERSION:
        print(f"{path}: schema_version {version!r} is onbekend", file=sys.stderr)
        return 2
    if version == SCHEMA_VERSION:
        print(f"{path}: al versie {SCHEMA_VERSION}")
        return 0
    text = upgrade_text(path.read_text(encoding="utf-8"), version)
    path.write_text(text, encoding="utf-8")
    print(f"{path}: van versie {version} naar versie {SCHEMA_VERSION}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from kiosk.bench import run_bench, run_interaction, run_soak

    if args.soak:
        return run_soak(args.soak)
    if args.interaction:
        return run_interaction(args.interaction)
    return run_bench(args.runs)


def cmd_i18n_update(args: argparse.Namespace) -> int:
    from kiosk.i18n.catalogs import HELP_LANGUAGES, update_catalogs
    from kiosk.scenario.ids import is_valid_scenario_id
    from kiosk.scenario.translations import (
        read_translation,
        template,
        translation_memory,
        translation_path,
    )
    from kiosk.scenario.validate import validate_paths

    for path in update_catalogs():
        print(f"wrote {path}")
    folder = scenarios_dir()
    memory = {language: translation_memory(folder, language) for language in HELP_LANGUAGES}
    report = validate_paths([folder])
    for file_report in report.files:
        scenario = file_report.scenario
        if scenario is None:
            print(f"skipped {file_report.file}: it does not load", file=sys.stderr)
            continue
        if not is_valid_scenario_id(scenario.id):
            print(f"skipped {file_report.file}: its id breaks the id rule", file=sys.stderr)
            continue
        for language in HELP_LANGUAGES:
            path = translation_path(folder, language, scenario.id)
            existing = read_translation(path, language)[0] if path.exists() else None
            path.parent.mkdir(parents=True, exist_ok=True)
            text = template(
                scenario, language, existing.texts if existing else None, memory[language]
            )
            path.write_text(text, encoding="utf-8")
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
    from kiosk.coverage import coverage, missing_by_scenario, report
    from kiosk.packs.service import content_folder
    from kiosk.scenario.library import load_library
    from kiosk.speech.engines import open_engine
    from kiosk.speech.voices import heard_languages

    config = _config(args)
    folder = content_folder(config)  # scenarios_dir, else the installed packs, else shipped
    engine = open_engine()  # which voices this machine's espeak-ng really has
    voices = set(heard_languages(engine.has_voice)) if engine is not None else set()
    library = load_library(folder)
    rows = coverage(library, voices)
    print(f"scenarios: {folder}")
    print(report(rows))
    gaps = missing_by_scenario(library)
    for scenario_id, language, count in gaps:
        print(f"missing: {scenario_id} [{language}]: {count} texts not translated")
    if engine is None:
        print("no speech engine here: only recordings can be heard (is espeak-ng installed?)")
    complete = all(
        r.scenario_translated == r.scenario_texts and r.ui_translated == r.ui_strings for r in rows
    )
    return 0 if complete and not gaps else 1


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


def cmd_xapi(args: argparse.Namespace) -> int:
    from kiosk.network import commands

    config = _config(args)
    if args.action == "status":
        return commands.status(config, sys.stdout)
    if args.action == "send":
        return commands.send(config, sys.stdout)
    return commands.set_credentials(config, sys.stdout)


def cmd_network_stats(args: argparse.Namespace) -> int:
    from kiosk.network.commands import network_stats_command

    credentials = Path(args.credentials) if args.credentials else None
    return network_stats_command(_config(args), args.lrs, credentials, sys.stdout)


def cmd_pack(args: argparse.Namespace) -> int:
    from kiosk.packs import commands

    out = sys.stdout
    if args.action == "keygen":
        return commands.keygen(Path(args.key), out)
    if args.action == "build":
        target = Path(args.output)
        return commands.build(
            Path(args.folder), target, args.name, args.version, args.min_kiosk, out
        )
    if args.action == "sign":
        return commands.sign(Path(args.pack), Path(args.key), out)
    config = _config(args)
    if args.action == "verify":
        return commands.verify(config, Path(args.pack), tuple(args.public_key or ()), out)
    if args.action == "install":
        return commands.install(config, args.source, args.now, out)
    if args.action == "list":
        return commands.list_packs(config, out)
    return commands.rollback(config, out)


Command = Callable[[argparse.Namespace], int]


def cmd_oefenbewijzen(args: argparse.Namespace) -> int:
    from kiosk.certificate.commands import list_saved, print_saved

    if args.action == "print":
        return print_saved(_config(args), args.number, sys.stdout)
    return list_saved(_config(args), sys.stdout)


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

    migrate = commands.add_parser(
        "migrate",
        help="rewrite a scenario file in the newest format version",
        description="Rewrite a scenario file written for an older schema_version in the "
        "newest one; comments and layout stay as they are.",
    )
    migrate.add_argument("file", metavar="FILE", help="a scenario file")
    migrate.set_defaults(handler=cmd_migrate)

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
        parents=[with_config],
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
        "that is not a terminal, else asked twice without showing it. The staff PIN comes "
        "first; a damaged PIN file is kept aside and a new one begun.",
    )
    set_pin.add_argument("role", choices=["volunteer", "staff"], help="whose PIN")
    set_pin.set_defaults(handler=cmd_set_pin)

    xapi = commands.add_parser(
        "xapi",
        parents=[with_config],
        help="the anonymous statements for the network's LRS: status, send, credentials",
        description="status: on/off, statements waiting, last send and last problem. "
        "send: collect finished sessions and send what waits now. credentials: store the "
        "LRS user name and password (asked, or two lines on standard input) in a file only "
        "the kiosk's user can read.",
    )
    xapi.add_argument("action", choices=["status", "send", "credentials"])
    xapi.set_defaults(handler=cmd_xapi)

    network_stats = commands.add_parser(
        "network-stats",
        parents=[with_config],
        help="the statistics of every kiosk of the network, read from the LRS",
        description="Read the network's statements back from the LRS and print the same "
        "table as 'stats', for all kiosks together and per kiosk (counts below 5 as '< 5').",
    )
    network_stats.add_argument("--lrs", required=True, metavar="URL", help="the LRS's xAPI URL")
    network_stats.add_argument(
        "--credentials", metavar="FILE", help="LRS login file (default: the kiosk's)"
    )
    network_stats.set_defaults(handler=cmd_network_stats)

    pack = commands.add_parser(
        "pack",
        help="content packs: build, sign, verify, install, list, rollback",
        description="New and corrected exercises as one signed file. A kiosk installs only "
        "packs signed with a key in its pack_public_keys setting.",
    )
    actions = pack.add_subparsers(dest="action", metavar="ACTION", required=True)
    keygen = actions.add_parser("keygen", help="make a signing key (keep it secret)")
    keygen.add_argument("key", metavar="KEYFILE")
    pack_build = actions.add_parser("build", help="pack a folder of scenarios (unsigned)")
    pack_build.add_argument("folder", metavar="FOLDER")
    pack_build.add_argument("-o", "--output", required=True, metavar="FILE.okpack")
    pack_build.add_argument("--name", required=True, help="e.g. basis")
    pack_build.add_argument("--version", required=True, help="e.g. 2026.2")
    pack_build.add_argument("--min-kiosk", default="", help="oldest kiosk version it needs")
    pack_sign = actions.add_parser("sign", help="sign a pack with a key file")
    pack_sign.add_argument("pack", metavar="FILE.okpack")
    pack_sign.add_argument("--key", required=True, metavar="KEYFILE")
    pack_verify = actions.add_parser(
        "verify", parents=[with_config], help="check signature, hashes and kiosk version"
    )
    pack_verify.add_argument("pack", metavar="FILE.okpack")
    pack_verify.add_argument("--public-key", action="append", help="instead of the settings'")
    pack_install = actions.add_parser(
        "install", parents=[with_config], help="check and install from a file or a URL"
    )
    pack_install.add_argument("source", metavar="FILE.okpack|URL")
    pack_install.add_argument("--now", action="store_true", help="switch on now, not at welcome")
    actions.add_parser("list", parents=[with_config], help="what is installed")
    actions.add_parser("rollback", parents=[with_config], help="back to the previous version")
    pack.set_defaults(handler=cmd_pack)

    oefenbewijzen = commands.add_parser(
        "oefenbewijzen",
        parents=[with_config],
        help="the oefenbewijzen saved for staff (when the kiosk could not print)",
    )
    certificate_actions = oefenbewijzen.add_subparsers(dest="action", metavar="ACTION")
    print_one = certificate_actions.add_parser(
        "print", parents=[with_config], help="print one saved oefenbewijs"
    )
    print_one.add_argument("number", metavar="NUMMER")
    oefenbewijzen.set_defaults(handler=cmd_oefenbewijzen, action=None)

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
    bench.add_argument(
        "--interaction",
        type=int,
        nargs="?",
        const=1,
        default=0,
        metavar="ROUNDS",
        help="instead: only the touch latencies, every scenario played ROUNDS (1) times",
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
