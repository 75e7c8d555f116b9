"""`build YEAR --draft` (issue 11 part 1): a year just made by `init` can be read and printed,
with what is still to do marked; every other error still stops it; without --draft nothing
changes. Through the real CLI on a year this test makes."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from typer.testing import CliRunner

from annual_report.cli import app
from annual_report.layout.profile import load_profile
from factory import write_scaffolded, write_year

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
PROFILE = load_profile(ROOT / "templates" / "gbt9704.yaml")
TITLE = "街道办2023年总结和2024年工作计划"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_scaffolded(tmp_path)


def build(data: Path, out: Path, *extra: str):
    return runner.invoke(app, ["build", "2023", "-d", str(data), "-o", str(out), *extra])


def runs(document: docx.document.Document) -> list[tuple[str, object]]:
    return [(r.text, r.font.highlight_color) for p in document.paragraphs for r in p.runs]


def test_an_unfinished_year_is_refused_without_draft(data: Path, tmp_path: Path) -> None:
    result = build(data, tmp_path / "out")
    assert result.exit_code == 1
    assert "尚未填写" in result.output
    assert "请用 annual-report build 2023 --draft 生成草稿" in result.output  # the way out
    assert not (tmp_path / "out").exists()


def test_draft_of_a_year_just_made_by_init(data: Path, tmp_path: Path) -> None:
    result = build(data, tmp_path / "out", "--draft")
    assert result.exit_code == 0, result.output
    target = tmp_path / "out" / f"{TITLE}（草稿）.docx"
    assert str(target) in result.output
    # what is left to do is said, as warnings
    assert "警告 warning" in result.output and "尚未填写" in result.output
    document = docx.Document(str(target))
    section = document.sections[0]
    for header in (section.header, section.even_page_header):
        assert header.paragraphs[0].text == PROFILE.draft_look().header
    assert document.settings.odd_and_even_pages_header_footer
    found = runs(document)
    highlight = getattr(WD_COLOR_INDEX, PROFILE.draft_look().highlight.upper())
    assert ("【待填：充电桩】", highlight) in found
    assert ("【待填：停车泊位】", highlight) in found
    assert ("【待更新】", highlight) in found
    assert all(color is None for text, color in found if "【" not in text)
    body = "".join(text for text, _ in found)
    assert "（2022年计划原文）" in body  # the plan to report on, as init copied it


def test_draft_to_a_named_file(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "看看.docx"
    result = build(data, target, "--draft")
    assert result.exit_code == 0, result.output
    assert target.is_file()


def test_draft_still_stops_on_a_real_error(data: Path, tmp_path: Path) -> None:
    economy = data / "2023" / "economy.yaml"
    text = economy.read_text(encoding="utf-8")
    economy.write_text(text.replace("value: null", "value: 一千", 1), encoding="utf-8")
    result = build(data, tmp_path / "out", "--draft")
    assert result.exit_code == 1
    assert "一千" in result.output
    assert "尚未填写" not in result.output  # only what stops it is said
    assert "--draft 生成草稿" not in result.output  # a draft would not help
    assert not (tmp_path / "out").exists()


def test_without_draft_a_finished_year_has_no_header(tmp_path: Path) -> None:
    data = write_year(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "2022", "-d", str(data), "-o", str(out)])
    assert result.exit_code == 0, result.output
    (target,) = out.iterdir()
    assert "草稿" not in target.name
    document = docx.Document(str(target))
    section = document.sections[0]
    assert section.header.is_linked_to_previous  # no header part written
    assert all(color is None for _, color in runs(document))


def test_a_profile_written_before_draft_still_builds_one(data: Path, tmp_path: Path) -> None:
    """An office's own profile from before --draft has no draft: entry; it is not refused, the
    draft takes the page number's size in the heading font, 草稿 on the right, marks in yellow."""
    profile = (ROOT / "templates" / "gbt9704.yaml").read_text(encoding="utf-8")
    assert "\ndraft:" in profile
    older = tmp_path / "office.yaml"
    older.write_text(profile.split("\ndraft:")[0] + "\n", encoding="utf-8")
    assert load_profile(older).draft is None
    result = build(data, tmp_path / "out", "--draft", "--profile", str(older))
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "out" / f"{TITLE}（草稿）.docx"))
    header = document.sections[0].even_page_header.paragraphs[0]
    assert header.text == "草稿"
    assert ("【待填：充电桩】", WD_COLOR_INDEX.YELLOW) in runs(document)
