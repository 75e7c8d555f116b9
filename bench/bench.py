"""Speed and memory figures, printed beside their targets rather than asserted: each a fresh
process, as a user runs it, measured in the same run as the floor they are compared with.

The floor is ``../shared/bench/floor.py`` from the repository root (``BENCH_FLOOR`` overrides):
the stack's imports and python-docx writing the seed's paragraphs, nothing of ours. It runs from
its own folder, by the same Python, with the same method: every command runs once to warm up
(the first run after an install compiles bytecode), then RUNS times; the median wall time and
the largest peak RSS are reported.

The growth cases (issue 8: 10× the data may cost at most 12× the time) run each command on
generated data at three sizes — none, N and 10·N — and compare what the data adds above the
start-up: (t(10·N) − t(0)) / (t(N) − t(0)), in CPU seconds (on a shared machine the wall time
varies more than the work does).
"""

from __future__ import annotations

import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "2022"
CLI = str(Path(sys.executable).with_name("annual-report"))
FLOOR = Path(os.environ.get("BENCH_FLOOR", ROOT.parent / "shared" / "bench" / "floor.py"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
HEAVY_RUNS = int(os.environ.get("BENCH_HEAVY_RUNS", "3"))
"""For the commands that take seconds (100 years, the growth cases)."""
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "120"))
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""As on a user's machine: the warm-up run writes bytecode that the measured runs then use
(some sandboxes and CI images set PYTHONDONTWRITEBYTECODE, which would time the compiler)."""
YEARS = 100
GROWTH = 12.0
NOISE = 0.02
"""CPU seconds below which two medians of the same command are not told apart."""


class Figure(NamedTuple):
    median: float
    fastest: float
    peak_mb: float
    cpu: float
    """Median CPU seconds (user + system, the process and the workers it waited for): what
    the command costs, however busy the machine is."""


class TooSlow(Exception):
    """A command that ran past TIMEOUT: reported as such, the rest of the bench goes on."""


def run_once(
    command: list[str], cwd: Path = ROOT, codes: tuple[int, ...] = (0,)
) -> tuple[float, float]:
    """Wall seconds and peak RSS in MB of one fresh process."""
    elapsed, _, peak = run_with_usage(command, cwd, codes)
    return elapsed, peak


def run_with_usage(
    command: list[str], cwd: Path = ROOT, codes: tuple[int, ...] = (0,)
) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS in MB of one fresh process (its own rusage,
    from wait4).

    stderr goes to a temporary file, not a pipe: nobody reads a pipe while wait4 waits, so a
    command writing more than the pipe holds (64 KiB) would block forever.
    """
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=errors
        )
        while (done := os.wait4(process.pid, os.WNOHANG))[0] == 0:
            if time.perf_counter() - start > TIMEOUT:
                process.kill()
                os.wait4(process.pid, 0)
                process.returncode = -9
                raise TooSlow
            time.sleep(0.002)
        elapsed = time.perf_counter() - start
        _, status, usage = done
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
        if process.returncode not in codes:
            errors.seek(0)
            said = errors.read().decode(errors="replace")
            raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{said}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024 / 1e6


def measure(
    command: list[str], *, runs: int = RUNS, cwd: Path = ROOT, codes: tuple[int, ...] = (0,)
) -> Figure:
    run_with_usage(command, cwd, codes)
    samples = [run_with_usage(command, cwd, codes) for _ in range(runs)]
    return Figure(
        statistics.median(wall for wall, _, _ in samples),
        min(wall for wall, _, _ in samples),
        max(peak for _, _, peak in samples),
        statistics.median(cpu for _, cpu, _ in samples),
    )


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def line(name: str, figure: Figure | None, goal: str = "") -> None:
    if figure is None:
        print(f"{name:<44} > {TIMEOUT:.0f} s (stopped)  {goal}".rstrip())
        return
    said = (
        f"{figure.median:7.3f} s (min {figure.fastest:6.3f}, CPU {figure.cpu:6.3f})"
        f"  {figure.peak_mb:5.1f} MB"
    )
    print(f"{name:<44} {said}  {goal}".rstrip())


def timed(command: list[str], **kwargs: object) -> Figure | None:
    try:
        return measure(command, **kwargs)  # type: ignore[arg-type]
    except TooSlow:
        return None


# ---------------------------------------------------------------------------------------------
# generated data


def copy_year(dst: Path, year: int, *, follow_plans: bool) -> None:
    """data/2022 as year ``year`` (2022 → year, 2023 → year + 1); with ``follow_plans`` each of
    last year's plans is taken up by an item, as a finished year does."""
    dst.mkdir(parents=True)
    for source in DATA.glob("*.yaml"):
        text = re.sub(r"202[23]", lambda m: str(year + int(m.group()) - 2022), source.read_text())
        text = text.replace("    body: ", f"    body: {year}年，")  # each year's own words
        if follow_plans:
            for item, plan in FOLLOW.items():
                text = text.replace(f"  - id: {item}\n", f"  - id: {item}\n    plan: {plan}\n")
        (dst / source.name).write_text(text, encoding="utf-8")


FOLLOW = {
    "industry_layout": "economy",
    "city_management": "two_creations",
    "epidemic_control": "epidemic",
    "governance_innovation": "party_governance",
}


def many_years(root: Path, count: int) -> Path:
    for n in range(count):
        copy_year(root / str(2022 + n), 2022 + n, follow_plans=n > 0)
    return root


def chinese(rng: random.Random, size: int) -> str:
    return "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(size))


def add_sections(year_dir: Path, paragraphs: list[tuple[str | None, str, str, bool]]) -> None:
    """Sections of at most 100 items (a file stays well under the 256 KB limit), appended to
    the report's sections; each item (id, lead, body, with a metric)."""
    report = year_dir / "report.yaml"
    stems = []
    for start in range(0, len(paragraphs), 100):
        stem = f"extra{start // 100:03d}"
        stems.append(stem)
        lines = [f"heading: 第{start // 100}组段落", "items:"]
        for n, (item_id, lead, body, metric) in enumerate(paragraphs[start : start + 100], start):
            if item_id:
                lines.append(f"  - id: {item_id}")
                lines.append(f"    lead: {lead}")
            else:
                lines.append(f"  - lead: {lead}")
            if metric:
                lines.append(f"    body: {body}完成{{{{ m.k{n} }}}}。")
                lines.append("    metrics:")
                lines.append(f"      k{n}: {{label: 指标{n}, value: {n + 1}, unit: 个}}")
            else:
                lines.append(f"    body: {body}。")
        (year_dir / f"{stem}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = report.read_text(encoding="utf-8")
    text = text.replace("party_building]", "party_building, " + ", ".join(stems) + "]")
    report.write_text(text, encoding="utf-8")


def spaces_case(root: Path, size: int) -> list[str]:
    """validate: a quoted text with a character followed by ``size`` spaces (past 20,000
    characters the text is refused as too long, after every check has run: exit 1)."""
    year = root / "2022"
    copy_year(year, 2022, follow_plans=False)
    report = year / "report.yaml"
    text = report.read_text(encoding="utf-8")
    text = re.sub(
        r"^preamble: (.*)$", lambda m: f'preamble: "{m[1]}{" " * size}"', text, count=1, flags=re.M
    )
    report.write_text(text, encoding="utf-8")
    return [CLI, "validate", "2022", "--data-dir", str(root)]


def diff_case(root: Path, size: int) -> list[str]:
    """diff: ``size`` paragraphs without ids, each rewritten (its lead and a fifth of its body)."""
    rng = random.Random(size)
    old, new = root / "2022", root / "2023"
    copy_year(old, 2022, follow_plans=False)
    copy_year(new, 2023, follow_plans=True)
    before, after = [], []
    for _ in range(size):
        body = chinese(rng, 80)
        rewritten = "".join(chinese(rng, 1) if n % 5 == 0 else c for n, c in enumerate(body))
        before.append((None, chinese(rng, 8) + "。", body, False))
        after.append((None, chinese(rng, 8) + "。", rewritten, False))
    if size:
        add_sections(old, before)
        add_sections(new, after)
    return [CLI, "diff", str(old), str(new)]


def build_case(root: Path, size: int) -> list[str]:
    """build: ``size`` more paragraphs, each with a metric it refers to."""
    rng = random.Random(size)
    year = root / "2022"
    copy_year(year, 2022, follow_plans=False)
    if size:
        paragraphs = [
            (f"p{n}", chinese(rng, 8) + "。", chinese(rng, 60), True) for n in range(size)
        ]
        add_sections(year, paragraphs)
    return [CLI, "build", "2022", "--data-dir", str(root), "--output", str(root / "s.docx")]


def growth(name: str, case: Callable[[Path, int], list[str]], size: int, codes: tuple[int, ...]):
    """The three sizes, and what the data adds above start-up, 10·N against N."""
    figures = []
    for n in (0, size, 10 * size):
        with tempfile.TemporaryDirectory() as tmp:
            figures.append(timed(case(Path(tmp), n), runs=HEAVY_RUNS, codes=codes))
    base, small, large = figures
    label = f"{name} ({size:,} / {10 * size:,})"
    if base is None or small is None or large is None:
        said = " / ".join("stopped" if f is None else f"{f.median:.3f} s" for f in figures)
        print(f"{label:<44} {said}  (target ≤ {GROWTH:.0f}×: MISSED)")
        return
    said = f"{label:<44} CPU {base.cpu:.3f} → {small.cpu:.3f} → {large.cpu:.3f} s"
    if large.cpu - base.cpu < NOISE:
        print(f"{said}  (the data adds nothing measurable: ok)")
        return
    ratio = (large.cpu - base.cpu) / max(small.cpu - base.cpu, NOISE)  # noise: no smaller
    print(f"{said}  ×{ratio:4.1f}  (target ≤ {GROWTH:.0f}×: {verdict(ratio <= GROWTH)})")


# ---------------------------------------------------------------------------------------------


def floor(out: Path) -> Figure | None:
    if not FLOOR.is_file():
        print(f"floor: {FLOOR} is missing — the ratio lines are skipped")
        return None
    figure = measure([sys.executable, str(FLOOR), str(out / "floor.docx")], cwd=FLOOR.parent)
    line(f"floor ({FLOOR.name}: imports + python-docx)", figure)
    return figure


def within(figure: Figure | None, seconds: float) -> str:
    ok = figure is not None and figure.median <= seconds
    return f"(target ≤ {seconds:.2f} s: {verdict(ok)})"


def against(figure: Figure | None, base: Figure | None, times: float) -> str:
    if figure is None:
        return f"(target ≤ {times:g}× floor: MISSED)"
    if base is None:
        return "(no floor)"
    ratio = figure.median / base.median
    cpu = figure.cpu / base.cpu
    return f"{ratio:5.2f}× floor, CPU {cpu:4.2f}× (target ≤ {times:g}×: {verdict(ratio <= times)})"


def main() -> None:
    cores, python = os.cpu_count(), platform.python_version()
    print(f"machine: {platform.machine()}, {cores} cores, Python {python}, {platform.platform()}")
    print(f"{RUNS} runs after one warm-up ({HEAVY_RUNS} for the long ones), each a fresh process\n")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        base = floor(out)
        start = timed([CLI, "--help"])
        line("annual-report --help", start, within(start, 0.1))
        check = timed([CLI, "validate", "2022"])
        line("annual-report validate 2022", check, within(check, 0.2))
        line("  … --templates (as CI runs it)", timed([CLI, "validate", "2022", "--templates"]))
        build = timed([CLI, "build", "2022", "--output", str(out / "summary.docx")])
        line("annual-report build 2022 (cold)", build, against(build, base, 1.25))
        if build is not None:
            ok = verdict(build.peak_mb <= 60)
            print(f"{'  peak RSS of one build':<44} {build.peak_mb:7.1f} MB (target ≤ 60 MB: {ok})")
        years = many_years(out / "years", YEARS)
        every = timed(
            [CLI, "build", "--all", "--data-dir", str(years), "--output", str(out / "all")],
            runs=HEAVY_RUNS,
        )
        line(f"annual-report build --all ({YEARS} years)", every, against(every, base, 15))
    print(
        f"\ngrowth: what 10× the data adds above start-up, in CPU seconds (a shared machine's"
        f" steadiest measure): t(0) → t(N) → t(10N), ≤ {GROWTH:.0f}×"
    )
    growth("validate: a char + spaces in a quoted text", spaces_case, 25_000, (0, 1))
    growth("diff: paragraphs rewritten, without ids", diff_case, 100, (0, 1))
    growth("build: paragraphs, each with a metric", build_case, 300, (0,))


if __name__ == "__main__":
    main()
