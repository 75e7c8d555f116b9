"""The output stage: files appear whole or not at all, under names Windows accepts."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
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
