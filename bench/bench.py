"""Speed and memory figures, printed rather than asserted: each a fresh process, as a user runs it.

Every command runs once to warm up (the first run after an install compiles bytecode), then
RUNS times; the median wall time and the largest peak RSS are reported.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).with_name("annual-report"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""As on a user's machine: the warm-up run writes bytecode that the measured runs then use
(some sandboxes and CI images set PYTHONDONTWRITEBYTECODE, which would time the compiler)."""


def run_once(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS in MiB of one fresh process (its own rusage, from wait4).

    stderr goes to a temporary file, not a pipe: nobody reads a pipe while wait4 waits, so a
    command writing more than the pipe holds (64 KiB) would block forever.
    """
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
        if process.returncode != 0:
            errors.seek(0)
            said = errors.read().decode(errors="replace")
            raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{said}")
    return elapsed, usage.ru_maxrss / 1024


def measure(name: str, command: list[str], target: float | None) -> None:
    run_once(command)
    samples = [run_once(command) for _ in range(RUNS)]
    median = statistics.median(s for s, _ in samples)
    fastest = min(s for s, _ in samples)
    peak = max(m for _, m in samples)
    verdict = "ok" if target and median <= target else "MISSED"
    goal = f"  (target ≤ {target:.2f} s: {verdict})" if target else ""
    print(f"{name:<32} median {median:6.3f} s (min {fastest:5.3f})  peak RSS {peak:5.1f} MiB{goal}")


def main() -> None:
    cores, python = os.cpu_count(), platform.python_version()
    print(f"machine: {platform.machine()}, {cores} cores, Python {python}")
    print(f"runs: {RUNS} after one warm-up, each a fresh process\n")
    with tempfile.TemporaryDirectory() as out:
        measure("annual-report --help", [CLI, "--help"], 0.1)
        measure("annual-report validate 2022", [CLI, "validate", "2022"], 0.2)
        measure("  … --templates (as CI runs it)", [CLI, "validate", "2022", "--templates"], None)
        measure(
            "annual-report build 2022 (cold)",
            [CLI, "build", "2022", "--output", f"{out}/summary.docx"],
            None,
        )


if __name__ == "__main__":
    main()
