"""The `oefenkiosk` command."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk import __version__
from kiosk.paths import scenarios_dir


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


Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oefenkiosk",
        description="Oefenkiosk: practise Dutch digital government in a safe simulation.",
    )
    parser.add_argument("--version", action="version", version=f"oefenkiosk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

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
