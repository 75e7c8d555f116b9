"""同比 in prose: ``{{ m.key | yoy }}``, its wording, its rounding, and the errors instead of a
made-up figure (prior 0, no prior year, no prior metric, a changed unit)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import yoy_factory as f
from annual_report import numbers
from annual_report import prose as prose_module
from annual_report.dataset import check_year
from annual_report.model import Metric
from annual_report.outline import outline_context


def m(value: int | float | None, unit: str = "个", **extra: object) -> Metric:
    return Metric(label="充电桩", value=value, unit=unit, **extra)


@pytest.mark.parametrize(
    ("old", "new", "phrase"),
    [
        (800, 900, "同比增长12.5%"),
        (100, 97, "同比下降3.0%"),
        (1354, 1354, "与上年持平"),
        (0, 0, "与上年持平"),
        (5, 0, "同比下降100.0%"),
        (2000, 2001, "同比增长0.1%"),  # 0.05 rounds half up, not to even
        (10000, 10004, "与上年基本持平"),  # 0.04 rounds to 0.0
        (3, 4.5, "同比增长50.0%"),
        (1354, 1500, "同比增长10.8%"),
    ],
)
def test_wording_and_rounding(old: float, new: float, phrase: str) -> None:
    assert numbers.yoy_phrase(m(new), m(old)) == phrase


def test_percent_unit_compares_in_points() -> None:
    assert numbers.yoy_phrase(m(99, "%"), m(98.5, "%")) == "同比提高0.5个百分点"
    assert numbers.yoy_phrase(m(97.3, "%"), m(98.5, "%")) == "同比降低1.2个百分点"


def test_yoy_percent_is_decimal_half_up() -> None:
    assert numbers.yoy_percent(2000, 2001) == Decimal("0.1")
    assert numbers.yoy_percent(3, 2) == Decimal("-33.3")
    assert numbers.yoy_percent(0, 5) is None


@pytest.mark.parametrize(
    ("new", "old", "code"),
    [
        (m(5), m(0), "yoy_from_zero"),
        (m(5), None, "yoy_missing_key"),
        (m(5), m(None), "yoy_prior_null"),
        (m(5, "万个"), m(5), "yoy_unit"),
    ],
)
def test_no_made_up_figure(new: Metric, old: Metric | None, code: str) -> None:
    assert numbers.yoy_problem(new, old) == code
    with pytest.raises(numbers.YoyError):
        numbers.yoy_phrase(new, old)


def test_references_accept_exactly_the_yoy_filter() -> None:
    prose = "充电桩{{ m.piles }}，{{ m.piles | yoy }}，共{{ m.piles.value }}"
    assert prose_module.references(prose) == ["piles", "piles", "piles"]
    assert prose_module.yoy_references(prose) == ["piles"]
    for bad in ("{{ m.piles | upper }}", "{{ m.piles | yoy(1) }}", "{{ m.piles.value | yoy }}"):
        with pytest.raises(prose_module.ProseError):
            prose_module.references(bad)


def test_render_with_prior_metrics() -> None:
    out = prose_module.render("充电桩{{ m.p }}，{{ m.p | yoy }}。", {"p": m(900)}, {"p": m(800)})
    assert out == "充电桩900个，同比增长12.5%。"
    assert prose_module.render("充电桩{{ m.p }}。", {"p": m(900)}) == "充电桩900个。"  # as before


def _with_yoy(root: Path, year: int, body: str) -> None:
    sections = f.default_sections()
    sections["economy"]["items"][0]["body"] = body
    f.set_value(sections, "charging_piles", 900)
    f.write_year(root, year, sections=sections)


def test_validate_and_build_context_with_prior_year(tmp_path: Path) -> None:
    f.write_year(tmp_path, 2022)
    _with_yoy(tmp_path, 2023, "充电桩{{ m.charging_piles }}，{{ m.charging_piles | yoy }}。")
    checked = check_year(tmp_path, 2023)
    assert checked.errors == [], [str(p) for p in checked.errors]
    assert checked.data is not None
    assert checked.prior is not None  # read once, for the checks and for rendering
    context = outline_context(checked.data, checked.prior)
    body = context["sections"][0].items[0].body
    assert body == "充电桩900个，同比增长12.5%。"


def test_missing_prior_year_is_an_error_at_its_line(tmp_path: Path) -> None:
    _with_yoy(tmp_path, 2023, "{{ m.charging_piles | yoy }}")
    checked = check_year(tmp_path, 2023)
    codes = [(p.code, p.file.endswith("economy.yaml"), p.line) for p in checked.errors]
    assert codes and codes[0][0] == "yoy_no_prior" and codes[0][1] and codes[0][2] > 1
    assert "2022" in checked.errors[0].message


def test_prior_zero_and_missing_key_are_errors(tmp_path: Path) -> None:
    sections = f.default_sections()
    f.set_value(sections, "charging_piles", 0)
    del sections["economy"]["items"][1]["metrics"]["key_projects"]
    sections["economy"]["items"][1]["body"] = "推进城建重点工程。"
    f.write_year(tmp_path, 2022, sections=sections)
    _with_yoy(
        tmp_path,
        2023,
        "{{ m.charging_piles }}{{ m.charging_piles | yoy }}{{ m.key_projects | yoy }}",
    )
    codes = {p.code for p in check_year(tmp_path, 2023).errors}
    assert {"yoy_from_zero", "yoy_missing_key"} <= codes


def test_approximate_numbers_warn(tmp_path: Path) -> None:
    f.write_year(tmp_path, 2022)
    sections = f.default_sections()
    sections["safety"]["items"][0]["body"] = "组织演练{{ m.drills }}，{{ m.drills | yoy }}。"
    f.write_year(tmp_path, 2023, sections=sections)
    checked = check_year(tmp_path, 2023)
    assert checked.errors == []
    assert "yoy_approx" in {p.code for p in checked.warnings}
