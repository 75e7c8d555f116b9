"""Metric references in prose: written the way Chinese writes quantities, and nothing else runs."""

from __future__ import annotations

import pytest

from annual_report.model import Metric
from annual_report.text import ProseError, chinese_numeral, format_metric, references, render


@pytest.mark.parametrize(
    ("number", "written"),
    [
        (1, "一"),
        (4, "四"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (101, "一百零一"),
        (1010, "一千零一十"),
    ],
)
def test_chinese_numerals(number: int, written: str) -> None:
    assert chinese_numeral(number) == written


@pytest.mark.parametrize(
    ("metric", "written"),
    [
        ({"value": 1354, "unit": "个"}, "1354个"),
        ({"value": 20, "unit": "万人次", "approx": "近"}, "近20万人次"),
        ({"value": 20, "unit": "场", "approx": "余"}, "20余场"),
        ({"value": 98.5, "unit": "%", "approx": "以上"}, "98.5%以上"),
        ({"value": 100, "unit": "处", "approx": "余", "numerals": "chinese"}, "百余处"),
        ({"value": 17, "unit": "个", "numerals": "chinese"}, "十七个"),
    ],
)
def test_metric_is_written_as_chinese_text_writes_it(metric: dict, written: str) -> None:
    assert format_metric(Metric(label="x", **metric)) == written


def test_reference_and_bare_value() -> None:
    metrics = {"piles": Metric(label="充电桩", value=1354, unit="个")}
    text = "充电桩{{ m.piles }}，即{{ m.piles.value }}"
    assert references(text) == ["piles", "piles"]
    assert render(text, metrics) == "充电桩1354个，即1354"


def test_text_without_jinja_is_returned_as_is() -> None:
    assert (
        render("坚持招大引强，*龙湖“天街”TOD综合体落子*。", {})
        == "坚持招大引强，*龙湖“天街”TOD综合体落子*。"
    )


@pytest.mark.parametrize(
    "text",
    [
        "{{ ''.__class__.__mro__ }}",
        "{% for x in range(10) %}x{% endfor %}",
        "{{ m.x.__class__ }}",
        "{{ m['x'] }}",
        "{{ m.x | upper }}",
        "{{ lipsum() }}",
        "{# note #}",
        "{{ m.x",
    ],
)
def test_anything_but_a_reference_is_refused(text: str) -> None:
    with pytest.raises(ProseError):
        references(text)


def test_a_value_still_to_fill_in_reads_as_such() -> None:
    metric = Metric(label="应急演练", value=None, unit="场", approx="余")
    assert format_metric(metric) == "待填"
