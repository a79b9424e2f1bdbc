"""`oefenkiosk bench`: how fast the kiosk starts and what it costs; measured, not a timed test.

Runs under a virtual display. Each figure is the median of several fresh
processes, printed beside the floor: a minimal Kivy app showing one label,
measured in the same run.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kiosk.display import start_xvfb, stop_xvfb


def _probe(mode: str, module: str = "kiosk.ui.probe", **extra_env: str) -> dict:
    env = dict(
        os.environ, OEFENKIOSK_BENCH_T0=repr(time.time()), KIVY_NO_CONSOLELOG="1", **extra_env
    )
    result = subprocess.run(
        [sys.executable, "-m", module, mode],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"the {mode} probe printed no figures:\n{result.stderr[-2000:]}")


def startup(runs: int = 5) -> dict[str, dict[str, float]]:
    """Median start-up seconds and PSS (MiB) of the kiosk and of the minimal app."""
    samples: dict[str, list[dict]] = {"kiosk": [], "minimal": []}
    _probe("minimal")  # warm the file cache, so the first measured run is not the odd one
    for _ in range(runs):
        for mode in ("minimal", "kiosk"):
            samples[mode].append(_probe(mode))
    return {
        mode: {
            "seconds": statistics.median(s["seconds"] for s in values),
            "pss_mib": statistics.median(s["pss_kib"] for s in values) / 1024,
        }
        for mode, values in samples.items()
    }


def validate_time(runs: int = 20) -> float:
    """Median seconds to load and check every shipped scenario, in process."""
    from kiosk.paths import scenarios_dir
    from kiosk.scenario.validate import validate_paths

    validate_paths([scenarios_dir()])
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        validate_paths([scenarios_dir()])
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def write_many_scenarios(folder: Path, count: int) -> None:
    """`count` scenarios with all their translations: the shipped ones, copied under new ids."""
    import re
    import shutil

    from kiosk.paths import scenarios_dir
    from kiosk.scenario.flows import FLOWS_DIR
    from kiosk.scenario.translations import TRANSLATIONS_DIR
    from kiosk.scenario.validate import PERSONAS_FILE, scenario_files

    shipped = scenarios_dir()
    originals = scenario_files([shipped])
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(shipped / PERSONAS_FILE, folder / PERSONAS_FILE)
    shutil.copytree(shipped / FLOWS_DIR, folder / FLOWS_DIR, dirs_exist_ok=True)
    for number in range(count):
        original = originals[number % len(originals)]
        new_id = f"{original.stem}-{number}"
        text = original.read_text(encoding="utf-8")
        text = re.sub(r"^id: .*$", f"id: {new_id}", text, count=1, flags=re.MULTILINE)
        (folder / f"{new_id}.yaml").write_text(text, encoding="utf-8")
        for translation in sorted((shipped / TRANSLATIONS_DIR).glob(f"*/{original.name}")):
            target = folder / TRANSLATIONS_DIR / translation.parent.name / f"{new_id}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(translation, target)


def library_load_times(count: int = 500, runs: int = 3) -> dict[str, float]:
    """Seconds to load `count` scenarios with their translations: without the cache (as
    before), building the cache, and from the cache (best of `runs`)."""
    import tempfile

    from kiosk.scenario.library import load_library
    from kiosk.scenario.library_cache import load_library_cached

    with tempfile.TemporaryDirectory() as temporary:
        folder, cache = Path(temporary) / "scenarios", Path(temporary) / "cache"
        write_many_scenarios(folder, count)
        started = time.perf_counter()
        uncached = load_library(folder)
        times = {"uncached": time.perf_counter() - started}
        started = time.perf_counter()
        load_library_cached(folder, cache)
        times["cache_built"] = time.perf_counter() - started
        warm = []
        for _ in range(runs):
            started = time.perf_counter()
            cached = load_library_cached(folder, cache)
            warm.append(time.perf_counter() - started)
        times["cached"] = min(warm)
        if len(cached.scenarios) != len(uncached.scenarios) or len(cached.scenarios) != count:
            raise RuntimeError("the cached library differs from the uncached one")
    return times


def library_startup(count: int = 500) -> dict[str, dict]:
    """The kiosk started on `count` scenarios: loaded on the UI thread without a cache (as
    before), on the worker thread building the cache, and from the cache; and on the
    shipped scenarios, for start-up that does not depend on the number of scenarios."""
    import tempfile

    from kiosk.paths import scenarios_dir

    results = {}
    with tempfile.TemporaryDirectory() as temporary:
        many = Path(temporary) / "scenarios"
        write_many_scenarios(many, count)
        runs = [
            ("before", "ui-thread", many, "before"),
            ("first start", "worker", many, "after"),
            ("later starts", "worker", many, "after"),
            ("shipped, later starts", "worker", scenarios_dir(), "shipped"),
        ]
        for label, mode, folder, data in [("warm-up", "worker", scenarios_dir(), "shipped"), *runs]:
            results[label] = _probe(
                mode,
                module="kiosk.ui.library_probe",
                OEFENKIOSK_SCENARIOS_DIR=str(folder),
                OEFENKIOSK_DATA_DIR=str(Path(temporary) / data),
            )
    del results["warm-up"]
    return results


def audio_figures() -> tuple[dict, float, str]:
    """Playback and synthesis times, and a full `audio build` into an empty cache."""
    import tempfile

    from kiosk.audio_build import build
    from kiosk.paths import assets_dir, scenarios_dir
    from kiosk.scenario.library import load_library
    from kiosk.speech.service import SpeechService

    with tempfile.TemporaryDirectory() as folder:
        # SDL's dummy device stands in for a sound card where there is none (Xvfb, CI)
        playback = _probe(
            "audio",
            OEFENKIOSK_BENCH_DIR=folder,
            SDL_AUDIODRIVER=os.environ.get("SDL_AUDIODRIVER", "dummy"),
        )
        service = SpeechService(Path(folder) / "build", assets_dir() / "audio")
        try:
            with open(os.devnull, "w") as quiet:
                summary = build(load_library(scenarios_dir()), service, ("slow",), out=quiet)
        finally:
            service.stop()
        size = sum(p.stat().st_size for p in (Path(folder) / "build").rglob("*.wav"))
    described = (
        f"{summary.texts} texts, {summary.rendered} rendered, {summary.silent} without "
        f"a voice, {size / 2**20:.0f} MiB"
    )
    return playback, summary.seconds, described


def run_bench(runs: int = 5) -> int:
    server = None if os.environ.get("DISPLAY") else start_xvfb()
    try:
        figures = startup(runs)
        library = library_startup()
        playback, build_seconds, build_described = audio_figures()
        interaction_figures()
    finally:
        stop_xvfb(server)
    kiosk, floor = figures["kiosk"], figures["minimal"]
    print(f"start-up to the first screen fully drawn, median of {runs} fresh processes (800x480):")
    print(
        f"  minimal Kivy app (one label): {floor['seconds']:.2f} s  {floor['pss_mib']:.1f} MiB PSS"
    )
    print(
        f"  Oefenkiosk welcome screen:    {kiosk['seconds']:.2f} s  {kiosk['pss_mib']:.1f} MiB PSS"
    )
    print(
        f"  ratio:                        {kiosk['seconds'] / floor['seconds']:.2f}x time, "
        f"{kiosk['pss_mib'] / floor['pss_mib']:.2f}x memory (aim: at most 1.5x)"
    )
    print(f"validate all shipped scenarios: {validate_time() * 1000:.1f} ms (in process)")
    print_library_figures()
    print_library_startup(library)
    print("speech:")
    print(
        f"  tap to start of playback, cached text: {playback['tap_to_play_ms']:.1f} ms "
        f"(median of {playback['plays']}; aim: under 100 ms)"
    )
    print(
        f"  synthesis of a new sentence:           {playback['synth_ms']:.1f} ms "
        "(median, worker process; aim: under 500 ms)"
    )
    print(f"  audio build, all shipped texts:        {build_seconds:.1f} s ({build_described})")
    print_log_figures()
    return 0


def print_library_figures(count: int = 500) -> None:
    times = library_load_times(count)
    print(f"loading {count} scenarios with their translations (off the UI thread):")
    print(f"  parsed and checked, no cache (before): {times['uncached']:.2f} s")
    print(f"  parsed, checked and cached (first start): {times['cache_built']:.2f} s")
    print(f"  from the cache (every later start):   {times['cached']:.2f} s (aim: under 1 s)")


def print_library_startup(results: dict[str, dict]) -> None:
    print("the kiosk starting with many scenarios (800x480; the UI thread's longest pause")
    print("between the first frame and the scenarios being there):")
    for label, figures in results.items():
        print(
            f"  {label + ':':<24}{figures['scenarios']:>4} scenarios, first frame "
            f"{figures['first_frame']:.2f} s, scenarios there {figures['loaded']:.2f} s, "
            f"longest pause {figures['longest_pause_ms']:.0f} ms"
        )


def print_log_figures() -> None:
    from kiosk.progress.bench import measure

    figures = measure()
    print("practice log and PINs:")
    print(f"  logging one event, on the UI thread:   {figures.log_call_us:.1f} µs (median)")
    print(
        f"  writer thread, events stored:          {figures.writes_per_second:,.0f} per second "
        "(batches, each committed with a full sync)"
    )
    print(
        f"  statistics 7 and 30 days over {figures.stats_events:,} events: "
        f"{figures.stats_ms:.0f} ms (median; aim: under 300 ms)"
    )
    print(
        f"  folding {figures.folded:,} events older than 90 days into daily counts: "
        f"{figures.fold_ms:.0f} ms (once)"
    )
    print(f"  checking a PIN (scrypt, the stored parameters): {pin_check_ms():.0f} ms (median)")


def pin_check_ms(runs: int = 5) -> float:
    """Median milliseconds to check one PIN against its stored hash."""
    from kiosk.admin.pins import hash_pin, verify_pin

    stored = hash_pin("582913")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        verify_pin("582913", stored)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


# --- touch benchmarks: the real kiosk driven by touches -----------------------------------

PI_CLASS_QUOTA = 0.33
"""'Pi-class': the kiosk limited to a third of one CPU (a fixed Python task runs 2.5–3.4x
slower, as on a Raspberry Pi 4)."""
STEP_BUDGET_MS = {"here": 100.0, "pi-class": 250.0}
SCREEN_BUDGET_MS = 300.0


class CpuLimit:
    """A cgroup that holds a process to a share of one CPU; cgroup v2 `cpu.max`, else v1.

    Needs root (or a delegated cgroup). `problem` says why none could be made.
    """

    def __init__(self, share: float, name: str = "oefenkiosk-bench") -> None:
        self.share = share
        self.procs: str | None = None
        self.folder: str | None = None
        self.how = ""
        self.problem = ""
        # A short period: the process gets its share in slices of a few milliseconds,
        # as a slower CPU would run it. With the usual 100 ms period a busy process is
        # stopped for up to 67 ms at a time, which no Pi does.
        period = 10_000
        quota = int(period * share)
        attempts = (
            ("/sys/fs/cgroup", "cpu.max", f"{quota} {period}"),
            ("/sys/fs/cgroup/unified", "cpu.max", f"{quota} {period}"),
            ("/sys/fs/cgroup/cpu", "cpu.cfs_quota_us", str(quota)),
        )
        problems = []
        for root, control, value in attempts:
            if not os.path.exists(os.path.join(root, "cgroup.procs")):
                continue
            folder = os.path.join(root, name)
            try:
                os.makedirs(folder, exist_ok=True)
                if not os.path.exists(os.path.join(folder, control)):
                    problems.append(f"{root}: no cpu controller")
                    os.rmdir(folder)
                    continue
                if control == "cpu.cfs_quota_us":
                    with open(os.path.join(folder, "cpu.cfs_period_us"), "w") as f:
                        f.write(str(period))
                with open(os.path.join(folder, control), "w") as f:
                    f.write(value)
            except OSError as error:
                problems.append(f"{root}: {error.strerror}")
                continue
            self.folder, self.procs = folder, os.path.join(folder, "cgroup.procs")
            version = "v2" if control == "cpu.max" else "v1"
            self.how = f"cgroup {version} {folder}/{control} = {value}"
            return
        self.problem = "; ".join(problems) or "no cgroup file system"

    def enter(self) -> None:
        """Run in the child before exec: it and its children are limited."""
        with open(self.procs, "w") as f:
            f.write(str(os.getpid()))

    def remove(self) -> None:
        if self.folder is not None:
            with contextlib.suppress(OSError):  # a process still in it; removed next time
                os.rmdir(self.folder)


TOUCH_PROBE = (sys.executable, "-m", "kiosk.ui.touchbench")


def touch_probe(args: list[str], size: str, limit: CpuLimit | None = None, echo=None) -> list:
    """Run `kiosk.ui.touchbench` in a fresh process; its JSON lines, each passed to `echo`."""
    env = dict(os.environ, KIVY_NO_CONSOLELOG="1", OEFENKIOSK_BENCH_SIZE=size)
    env.setdefault("SDL_AUDIODRIVER", "dummy")
    # The kiosk's log goes to a file, not a pipe: a long run logs more than a pipe holds,
    # and a pipe nobody reads until the end stops the benchmark when it is full.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log_file:
        process = subprocess.Popen(
            [*TOUCH_PROBE, *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
            preexec_fn=limit.enter if limit is not None and limit.procs else None,
        )
        lines = []
        for line in process.stdout:
            if line.startswith("{"):
                lines.append(json.loads(line))
                if echo is not None:
                    echo(lines[-1])
        if process.wait() != 0 or not lines:
            log_file.seek(0)
            raise RuntimeError(f"the touch benchmark failed:\n{log_file.read()[-3000:]}")
    return lines


def run_interaction(rounds: int = 1) -> int:
    """`bench --interaction`: only the touch latencies (to compare two versions quickly)."""
    server = None if os.environ.get("DISPLAY") else start_xvfb()
    try:
        interaction_figures(rounds)
    finally:
        stop_xvfb(server)
    return 0


def interaction_figures(rounds: int = 1) -> None:
    """Latency of touches on the real kiosk, at two sizes and Pi-class, beside the budget."""
    print("interaction, every scenario played to the end by touch (ms, median / p95 / max):")
    print("  touch-down to the end of the next frame = visible feedback; touch-up to the end")
    print("  of the next frame for the next step, a new screen and an opened scenario;")
    print("  'cpu' is the UI thread's own time for the same span (the work, without the wait")
    print("  for a busy machine's CPU); the floor is a frame that changes nothing, and one")
    print("  that draws the same screen again (software GL here; a Pi's GPU draws instead)")
    limit = CpuLimit(PI_CLASS_QUOTA)
    runs = [("here", "1280x800", None), ("here", "800x480", None)]
    if limit.procs:
        runs.append(("pi-class", "800x480", limit))
    try:
        for where, size, cpu in runs:
            figures = touch_probe(["interaction", str(rounds)], size, cpu)[0]
            print(f"  {size} {where}:")
            budgets = {
                "feedback": "one frame",
                "step": f"{STEP_BUDGET_MS[where]:.0f}",
                "same": f"{STEP_BUDGET_MS[where]:.0f}",
                "screen": f"{SCREEN_BUDGET_MS:.0f}",
                "open": f"{SCREEN_BUDGET_MS:.0f}",
            }
            names = {
                "feedback": "visible feedback",
                "step": "next step drawn",
                "same": "feedback, same step",
                "screen": "screen change",
                "open": "scenario opened",
            }
            for name in ("idle frame", "redraw"):
                wall, cpu = figures[name]["wall"], figures[name]["cpu"]
                print(f"    floor: {name:<14} {_three(wall)}   cpu {_three(cpu)}")
            for name in ("feedback", "step", "same", "screen", "open"):
                if name in figures:
                    wall, cpu = figures[name]["wall"], figures[name]["cpu"]
                    print(
                        f"    {names[name]:<21} {_three(wall)}   cpu {_three(cpu)}   "
                        f"(n={wall['n']}, budget {budgets[name]})"
                    )
    finally:
        limit.remove()
    if limit.procs:
        print(f"  pi-class: {limit.how}")
    else:
        print(f"  pi-class: not measured, no CPU limit possible here ({limit.problem})")


def _three(figures: dict) -> str:
    return f"{figures['median']:6.1f} / {figures['p95']:6.1f} / {figures['max']:6.1f}"


def run_soak(sessions: int, size: str = "800x480", every: int = 50) -> int:
    """`bench --soak`: hundreds of sessions by touch; PSS and the longest frame per 50."""
    server = None if os.environ.get("DISPLAY") else start_xvfb()
    print(f"soak: {sessions} sessions by touch at {size} (every scenario in turn; languages,")
    print(f"  text size, wrong taps, hints, idle wipes); per {every} sessions: memory (PSS")
    print(f"  once tidied after each session: the last, and the median and range of {every}), the")
    print("  longest frame and full collection while a visitor is there, and the longest")
    print("  collection between visitors (after a wipe, before the next first tap)")

    def echo(report: dict) -> None:
        print(
            f"  {report['sessions']:5d} sessions  PSS {report['pss_mib']:7.1f} MiB "
            f"(median {report['pss_median_mib']:.1f}, {report['pss_least_mib']:.1f}-"
            f"{report['pss_most_mib']:.1f} over the last {every})  "
            f"longest frame {report['longest_frame_ms']:7.1f} ms "
            f"({report.get('longest_frame_doing') or '?'})  "
            f"longest full collection {report['longest_gc_ms']:6.1f} ms "
            f"({report['full_collections']}x)  between visitors "
            f"{report['longest_settle_ms']:6.1f} ms  {report['minutes']:.1f} min"
            + (f"  {report['lost_taps']} taps lost" if report.get("lost_taps") else "")
            + (f"  {report['stuck']} sessions left early" if report.get("stuck") else "")
            + f"\n        kept: heap {report['heap_used_mib']:.1f} MiB used, "
            f"{report['heap_free_mib']:.1f} MiB free; {report['python_objects']} objects, "
            f"{report['widgets']} widgets, {report['kv_bindings']} of them with kv bindings, "
            f"{report['bindings']} bindings, "
            f"{report['cached']} cached\n        PSS: main heap {report['pss_heap_mib']:.1f}, "
            f"other private {report['pss_anonymous_mib']:.1f}, "
            f"files {report['pss_files_mib']:.1f} MiB",
            flush=True,
        )

    try:
        touch_probe(["soak", str(sessions), str(every)], size, echo=echo)
    finally:
        stop_xvfb(server)
    return 0
