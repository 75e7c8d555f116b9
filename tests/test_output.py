"""The output stage: files appear whole or not at all, under names Windows accepts."""

from __future__ import annotations

import ast
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from annual_report.output import atomic_path, file_name, stand_in_fonts


def test_file_name_is_the_title_without_characters_windows_refuses() -> None:
    assert file_name("街道办2022年总结和2023年工作计划") == "街道办2022年总结和2023年工作计划.docx"
    assert file_name('a/b:c*d?"e"<f>|g') == "a_b_c_d__e__f__g.docx"


def test_a_long_title_still_makes_a_file_name(tmp_path: Path) -> None:
    name = file_name("街道办" * 100)
    assert len(name.encode()) <= 255 and name.startswith("街道办") and name.endswith(".docx")
    (tmp_path / name).write_bytes(b"")  # the file system takes it


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "summary.docx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.docx"]


def test_a_finished_write_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "new" / "summary.docx"
    with atomic_path(target) as temporary:
        temporary.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["summary.docx"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask  # not mkstemp's private 0600


def test_a_rewrite_keeps_the_file_permissions(tmp_path: Path) -> None:
    target = tmp_path / "summary.docx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    with atomic_path(target) as temporary:
        temporary.write_bytes(b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig's fc-list not installed")
def test_stand_in_fonts_only_where_the_font_is_missing(tmp_path: Path) -> None:
    mapping = tmp_path / "fonts.conf"
    assert stand_in_fonts("No Such Font 仿宋_GB2312 x", mapping) == mapping
    installed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    if not installed.strip():
        pytest.skip("no fonts installed at all")
    some_family = installed.splitlines()[0].split(",")[0]
    assert stand_in_fonts(some_family, mapping) is None


BENCH = Path(__file__).resolve().parent.parent / "bench" / "bench.py"


def _bench_run_once(code: str) -> subprocess.CompletedProcess[str]:
    """bench.run_once on a Python one-liner, in a child process so a deadlock is a timeout."""
    driver = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('bench', {str(BENCH)!r})\n"
        "bench = importlib.util.module_from_spec(spec); spec.loader.exec_module(bench)\n"
        f"print(bench.run_once([sys.executable, '-c', {code!r}]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", driver], capture_output=True, text=True, timeout=60
    )


def test_bench_survives_a_command_that_writes_much_to_stderr() -> None:
    done = _bench_run_once("import sys; sys.stderr.write('x' * 1_000_000)")
    assert done.returncode == 0, done.stderr
    seconds, mib = ast.literal_eval(done.stdout)  # (wall seconds, peak RSS in MiB)
    assert seconds > 0 and mib > 0


def test_bench_shows_what_a_failed_command_said() -> None:
    done = _bench_run_once("import sys; sys.stderr.write('boom ' * 20_000); sys.exit(3)")
    assert done.returncode == 1
    assert "failed (3)" in done.stderr and done.stderr.count("boom ") >= 20_000
