"""Metric references in prose: written the way Chinese writes quantities, and nothing else runs."""

from __future__ import annotations

import inspect
from decimal import Decimal

import pytest

from annual_report import diff, followup, numbers
from annual_report import prose as prose_module
from annual_report.model import Metric
from annual_report.numbers import (
    as_decimal,
    chinese_numeral,
    format_metric,
    format_number,
    round_tenth,
)
from annual_report.prose import REFERENCE, ProseError, plainly_spelled, references, render


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
        ({"value": 1000, "unit": "人", "approx": "余", "numerals": "chinese"}, "千余人"),
        ({"value": 10000, "unit": "人", "approx": "多", "numerals": "chinese"}, "万多人"),
        ({"value": 10, "unit": "场", "approx": "余", "numerals": "chinese"}, "十余场"),
        ({"value": 1200, "unit": "人", "approx": "余", "numerals": "chinese"}, "一千二百余人"),
        ({"value": 150, "unit": "处", "approx": "多", "numerals": "chinese"}, "一百五十多处"),
        ({"value": 12000, "unit": "人", "approx": "余", "numerals": "chinese"}, "一万二千余人"),
        ({"value": 100, "unit": "处", "approx": "近", "numerals": "chinese"}, "近一百处"),
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
        "{% raw %}{{ m.x }}{% endraw %}",
        "{% raw %}{% for x in y %}{% endraw %}",
        "前{{- m.x -}}后",
        "前{{- m.x }}后",
        "前{{ m.x -}}后",
        "前{{+ m.x }}后",
        "{{ m.x + 1 }}",
        "{{ m.x ~ '' }}",
        "{{ (m.x) }}",
        "{{ m.x.value.value }}",
        "{{ m.x | yoy(1) }}",
    ],
)
def test_anything_but_a_reference_is_refused(text: str) -> None:
    with pytest.raises(ProseError):
        references(text)


def test_a_value_still_to_fill_in_reads_as_such() -> None:
    metric = Metric(label="应急演练", value=None, unit="场", approx="余")
    assert format_metric(metric) == "待填"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (1354, "1354"),
        (98.5, "98.5"),
        (0.3, "0.3"),
        (1354.0, "1354.0"),
        (0.0001, "0.0001"),
        (1e-7, "0.0000001"),
        (1.0e15, "1000000000000000.0"),
        (10**15, "1000000000000000"),
        (-0.0, "0.0"),
    ],
)
def test_numbers_print_as_typed_never_with_an_exponent(value: int | float, written: str) -> None:
    assert format_number(value) == written
    assert "e" not in format_metric(Metric(label="x", value=value, unit="个")).lower()


def test_as_decimal_is_the_number_as_typed() -> None:
    assert as_decimal(0.1) == Decimal("0.1")
    assert as_decimal(98.5) + as_decimal(0.1) == Decimal("98.6")
    assert as_decimal(1354) == Decimal(1354)


def test_one_rounding_rule_half_up_to_a_tenth() -> None:
    assert round_tenth(Decimal("12.25")) == Decimal("12.3")
    assert round_tenth(Decimal("-3.04")) == Decimal("-3.0")
    assert round_tenth(Decimal("0.05")) == Decimal("0.1")


def test_yoy_on_the_largest_values_is_exact() -> None:
    big = 10**15
    assert numbers.yoy_percent(1, big) == Decimal(big - 1) * 100
    assert numbers.yoy_percent(1e-300, big) is not None  # 10**317 % still rounds to a tenth
    with pytest.raises(numbers.YoyError, match="yoy_too_large"):  # never printed: refused
        numbers.yoy_phrase(
            Metric(label="x", value=big, unit="个"), Metric(label="x", value=1, unit="个")
        )
    assert (
        numbers.yoy_phrase(
            Metric(label="x", value=10_001, unit="个"), Metric(label="x", value=1, unit="个")
        )
        == "同比增长1000000.0%"  # the largest said, in positional notation
    )
    assert (
        numbers.yoy_phrase(
            Metric(label="x", value=0.1, unit="%"), Metric(label="x", value=1e-300, unit="%")
        )
        == "同比提高0.1个百分点"
    )


def test_target_rate_uses_the_same_rule() -> None:
    target = Metric(label="x", value=3, unit="个")
    check = followup._target("x", target, Metric(label="x", value=2, unit="个"))
    assert check.rate == Decimal("66.7")
    assert followup._target("x", Metric(label="x", value=0, unit="个"), target).rate is None


def test_the_rounding_and_the_exact_number_are_written_once() -> None:
    for module in (numbers, followup, diff):
        source = inspect.getsource(module)
        assert source.count(".quantize(") == (1 if module is numbers else 0), module.__name__
        assert (
            "Decimal(format_number" not in source and "Decimal(numbers.format_number" not in source
        )
    assert not hasattr(followup, "as_decimal") or followup.as_decimal is as_decimal


@pytest.mark.parametrize(
    "prose",
    [
        "{{ m.x }}",
        "{{m.x}}",
        "{{ m.x.value }}",
        "{{ m.x | yoy }}",
        "{{ m.x|yoy }}",
        "前{{ m.a }}，{{ m.b.value }}，{{ m.c | yoy }}后",
        "{{ m.value }}",
        "{{ m.x.value | yoy }}",
        "{{ m.x }}}",
        "{{ m.x.valuex }}",
        "{{- m.x }}",
        "{{ m.x -}}",
        "{{ m.x | yoyo }}",
    ],
)
def test_the_fast_path_agrees_with_jinja(prose: str) -> None:
    """The regular expression takes only what Jinja's parser reads the same way."""
    try:
        slow: list[tuple[str, str]] | str = prose_module._jinja_references(prose)
    except ProseError as exc:
        slow = exc.code
    try:
        fast: list[tuple[str, str]] | str = prose_module.parse_references(prose)
    except ProseError as exc:
        fast = exc.code
    assert fast == slow
    for match in filter(plainly_spelled, REFERENCE.finditer(prose)):
        assert "-" not in match.group(0) and "+" not in match.group(0)


def test_plain_references_render_as_jinja_renders_them() -> None:
    """The regular-expression path prints what the sandboxed template prints, line breaks and
    a trailing newline included (Jinja drops one)."""
    from annual_report.prose import MetricView, _render_plain, environment

    metrics = {
        "a": Metric(label="甲", value=1354, unit="个"),
        "b": Metric(label="乙", value=12.5, unit="%"),
        "c": Metric(label="丙", value=None, unit="项"),
    }
    prior = {
        "a": Metric(label="甲", value=1000, unit="个"),
        "b": Metric(label="乙", value=10, unit="%"),
    }
    views = {key: MetricView(metric, prior.get(key)) for key, metric in metrics.items()}
    for text in (
        "达{{ m.a }}，同比{{ m.a | yoy }}。",
        "{{m.b.value}}\r\n{{ m.b|yoy }}\n",
        "{{ m.c }}与{{ m.c.value }}\n\n",
    ):
        fast = _render_plain(text, metrics, prior)
        assert fast is not None
        assert fast == environment().from_string(text).render(m=views)
    assert _render_plain("{{ m.items }}", {"items": metrics["a"]}, {}) is None
    assert _render_plain("{{ m . a }}", metrics, prior) is None
