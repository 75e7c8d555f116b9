"""The models refuse each kind of wrong data, naming the field and its place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annual_report import dataset
from annual_report.errors import Problem

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def year(tmp_path: Path) -> Path:
    shutil.copytree(DATA / "2022", tmp_path / "2022")
    return tmp_path / "2022"


def edit(path: Path, old: str, new: str) -> int:
    """Replace one occurrence; return the 1-based line it is on."""
    text = path.read_text("utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), "utf-8")
    return line


def errors(year: Path) -> list[Problem]:
    return dataset.check_year(year.parent, 2022).errors


def test_the_2022_data_is_valid() -> None:
    checked = dataset.check_year(DATA, 2022)
    assert checked.errors == []
    assert checked.data is not None
    assert len(checked.data.sections) == 4
    assert checked.data.metrics()["charging_piles"].value == 1354


def test_missing_field(year: Path) -> None:
    line = edit(
        year / "economy.yaml",
        "  - id: industry_layout\n    lead:",
        "  - id: industry_layout\n    leed:",
    )
    found = errors(year)
    codes = {(p.code, p.path) for p in found}
    assert ("missing", "items[0].lead") in codes
    extra = next(p for p in found if p.code == "extra_forbidden")
    assert (extra.file.endswith("economy.yaml"), extra.line, extra.path) == (
        True,
        line + 1,
        "items[0].leed",
    )
    assert "'lead'" in extra.message  # the closest valid key is suggested


def test_wrong_type(year: Path) -> None:
    line = edit(year / "economy.yaml", "value: 1354", "value: 一千")
    [problem] = errors(year)
    assert problem.code == "number_type"  # a metric's value may be a decimal: 应为数字
    assert problem.path.endswith("metrics.charging_piles.value")
    assert problem.line == line
    assert "应为数字" in problem.message and '"一千"' in problem.message
    assert "请用阿拉伯数字，如 1000" in problem.message


def test_negative_count(year: Path) -> None:
    edit(year / "economy.yaml", "value: 1354", "value: -1")
    [problem] = errors(year)
    assert problem.code == "greater_than_equal"


def test_unknown_key(year: Path) -> None:
    line = edit(year / "report.yaml", "title:", "titel: x\ntitle:")
    [problem] = errors(year)
    assert (problem.code, problem.path, problem.line) == ("extra_forbidden", "titel", line)
    assert "'title'" in problem.message


def test_undefined_metric_reference(year: Path) -> None:
    line = edit(year / "economy.yaml", "{{ m.charging_piles }}", "{{ m.charging_pile }}")
    problem = next(p for p in errors(year) if p.code == "undefined_metric")
    assert problem.path.endswith(".body")
    assert problem.line == line
    assert "charging_pile" in problem.message and "charging_piles" in problem.message


def test_duplicate_metric_key_across_files(year: Path) -> None:
    edit(year / "safety.yaml", "emergency_drills:", "charging_piles:")
    assert any(p.code == "duplicate_metric" for p in errors(year))


def test_plans_must_be_for_the_next_year(year: Path) -> None:
    edit(year / "plans.yaml", "year: 2023", "year: 2022")
    [problem] = errors(year)
    assert (problem.code, problem.path) == ("plans_year", "year")


def test_title_lines_must_spell_the_title(year: Path) -> None:
    line = edit(
        year / "report.yaml",
        "preamble:",
        "title_lines: [街道办2022年总结, 和2024年工作计划]\npreamble:",
    )
    [problem] = errors(year)
    assert (problem.code, problem.path, problem.line) == ("title_lines", "title_lines", line)
    assert "街道办2022年总结和2023年工作计划" in problem.message


@pytest.mark.parametrize(
    ("file", "old", "new", "path"),
    [
        ("economy.yaml", "heading: 谋定快动", "heading: 谋定快动{{ m.charging_piles }}", "heading"),
        ("economy.yaml", "label: 充电桩,", "label: '充电桩{% if 1 %}x{% endif %}',", ".label"),
        ("report.yaml", "title: 街道办", "title: 街道办{{ 7*7 }}", "title"),
        ("economy.yaml", "unit: 项}", "unit: '{# x #}'}", ".unit"),
    ],
)
def test_template_syntax_outside_prose_is_refused(
    year: Path, file: str, old: str, new: str, path: str
) -> None:
    line = edit(year / file, old, new)
    [problem] = errors(year)
    assert problem.code == "jinja_outside_prose"
    assert problem.path.endswith(path) and problem.line == line


@pytest.mark.parametrize(
    ("value", "code", "said"),
    [
        (".inf", "number_form", "普通的数字"),  # never printed as inf
        (".nan", "number_form", "普通的数字"),
        ("1.0e+20", "number_form", "普通的数字"),
        ("1.5e3", "number_form", "普通的数字，如 1500"),
        ("1000000000000001", "less_than_equal", "不能大于"),
        ("1000000000000000000000000000000", "number_too_long", "太长"),
    ],
)
def test_value_must_be_plain_finite_and_bounded(
    year: Path, value: str, code: str, said: str
) -> None:
    line = edit(year / "economy.yaml", "value: 1354", f"value: {value}")
    [problem] = errors(year)
    assert (problem.code, problem.line) == (code, line)
    assert problem.path.endswith("metrics.charging_piles.value")
    assert said in problem.message


def test_the_largest_value_is_accepted(year: Path) -> None:
    edit(year / "economy.yaml", "value: 1354", "value: 1000000000000000")
    assert errors(year) == []


@pytest.mark.parametrize("value", ["100000000", "100.5", "100.0"])
def test_chinese_numerals_only_for_whole_numbers_below_yi(year: Path, value: str) -> None:
    line = edit(year / "livelihood.yaml", "value: 100, unit: 处", f"value: {value}, unit: 处")
    [problem] = errors(year)
    assert (problem.code, problem.line) == ("chinese_numerals", line)
    assert problem.path.endswith("metrics.rectified_sites.value")
    assert value in problem.message and "一亿" in problem.message


def test_chinese_numerals_up_to_the_largest(year: Path) -> None:
    edit(year / "livelihood.yaml", "value: 100, unit: 处", "value: 99999999, unit: 处")
    assert errors(year) == []
