"""build --all makes the same files and says the same things whether the years are built one
by one or by worker processes, a failing year included (it stops the rest in both)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from annual_report import pipeline
from annual_report.errors import DataError, Problem

ROOT = Path(__file__).resolve().parent.parent


def _years(tmp_path: Path, count: int) -> Path:
    data = tmp_path / "data"
    for n in range(count):
        year = 2022 + n
        folder = data / str(year)
        shutil.copytree(ROOT / "data" / "2022", folder)
        for path in folder.glob("*.yaml"):
            text = path.read_text(encoding="utf-8").replace("2023", str(year + 1))
            path.write_text(text.replace("2022", str(year)), encoding="utf-8")
    return data


def _build(data: Path, out: Path) -> tuple[list[tuple[int, str]], list[Problem], str | None]:
    said: list[Problem] = []
    built: list[tuple[int, str]] = []
    try:
        years = sorted(int(p.name) for p in data.iterdir())
        for year, path in pipeline.build_years(
            years, pipeline.BuildOptions(data, out), said.extend
        ):
            built.append((year, path.relative_to(out).as_posix()))
    except DataError as exc:
        return built, said, str(exc)
    return built, said, None


def _documents(out: Path) -> dict[str, dict[str, bytes]]:
    """Every part of every document, by file: the zip's dates aside, the documents whole."""
    found = {}
    for path in sorted(out.rglob("*.docx")):
        with zipfile.ZipFile(path) as package:
            parts = {name: package.read(name) for name in package.namelist()}
        found[path.relative_to(out).as_posix()] = parts
    return found


@pytest.mark.parametrize("broken", [None, 2026])
def test_workers_build_what_one_process_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: int | None
) -> None:
    data = _years(tmp_path, 9)
    if broken:
        report = data / str(broken) / "report.yaml"
        report.write_text(report.read_text(encoding="utf-8").replace(f"year: {broken}", "year: x"))
    pooled = _build(data, tmp_path / "pooled")
    monkeypatch.setattr(pipeline, "POOL_FROM", 10**6)
    alone = _build(data, tmp_path / "alone")
    assert pooled == alone
    assert _documents(tmp_path / "pooled") == _documents(tmp_path / "alone")
    assert len(alone[0]) == (broken - 2022 if broken else 9)
    assert (alone[2] is not None) == bool(broken)


def test_a_batch_builds_each_year_as_a_single_build_does(tmp_path: Path) -> None:
    """The batch opens blank pages made once; a single build sets them up itself."""
    data = _years(tmp_path, 2)
    _build(data, tmp_path / "batch")
    for year in (2022, 2023):
        list(
            pipeline.build_year(
                year, pipeline.BuildOptions(data, tmp_path / "single" / str(year)), lambda _: None
            )
        )
    assert _documents(tmp_path / "batch") == _documents(tmp_path / "single")
