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
        for year, path in pipeline.build_years(
            sorted(int(p.name) for p in data.iterdir()), data, out, None, None, False, said.extend
        ):
            built.append((year, path.relative_to(out).as_posix()))
    except DataError as exc:
        return built, said, str(exc)
    return built, said, None


def _documents(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): zipfile.ZipFile(p).read("word/document.xml")
        for p in sorted(out.rglob("*.docx"))
    }


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
