"""The recogniser of quantities in prose: what offices type as a number of something, and what
only looks like one (dates, ordinals, years, thresholds, 两个/一是)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from annual_report.dataset import load_year
from annual_report.model import Metric
from annual_report.numbers import format_metric
from annual_report.prose import REFERENCE
from annual_report.quantities import Quantity, find

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed_2022.txt"

# (text, [(typed span, number as typed, value, unit, approx, sign, numerals)])
FOUND = [
    ("充电桩1354个", [("1354个", "1354", 1354, "个", None, None, "arabic")]),
    ("实现12.8亿元", [("12.8亿元", "12.8", Decimal("12.8"), "亿元", None, None, "arabic")]),
    ("同比增长25%", [("25%", "25", 25, "%", None, None, "arabic")]),
    (
        "同比分别-6.2%、-19.3%",
        [
            ("-6.2%", "6.2", Decimal("-6.2"), "%", None, "-", "arabic"),
            ("-19.3%", "19.3", Decimal("-19.3"), "%", None, "-", "arabic"),
        ],
    ),
    (
        "增幅+3.1个百分点",
        [("+3.1个百分点", "3.1", Decimal("3.1"), "个百分点", None, "+", "arabic")],
    ),
    ("服务4600余人", [("4600余人", "4600", 4600, "人", "余", None, "arabic")]),
    ("超2600个", [("超2600个", "2600", 2600, "个", "超", None, "arabic")]),
    ("超过300户", [("超过300户", "300", 300, "户", "超过", None, "arabic")]),
    ("逾50家", [("逾50家", "50", 50, "家", "逾", None, "arabic")]),
    ("约3000平方米", [("约3000平方米", "3000", 3000, "平方米", "约", None, "arabic")]),
    ("百余个", [("百余个", "百", 100, "个", "余", None, "chinese")]),
    ("千余人", [("千余人", "千", 1000, "人", "余", None, "chinese")]),
    ("两千余人", [("两千余人", "两千", 2000, "人", "余", None, "chinese")]),
    ("二十多个社区", [("二十多个", "二十", 20, "个", "多", None, "chinese")]),
    ("一千二百余处", [("一千二百余处", "一千二百", 1200, "处", "余", None, "chinese")]),
    ("一万零五百人", [("一万零五百人", "一万零五百", 10500, "人", None, None, "chinese")]),
    ("近20万人次", [("近20万人次", "20", 20, "万人次", "近", None, "arabic")]),
    ("达98.5%以上。", [("98.5%以上", "98.5", 98.5, "%", "以上", None, "arabic")]),
    ("50人左右", [("50人左右", "50", 50, "人", "左右", None, "arabic")]),
    ("控制在5%以内", [("5%以内", "5", 5, "%", "以内", None, "arabic")]),
    (
        "0再访，100%化解",
        [("0", "0", 0, "", None, None, "arabic"), ("100%", "100", 100, "%", None, None, "arabic")],
    ),
    ("实现0事故", [("0", "0", 0, "", None, None, "arabic")]),
    ("人口31万，", [("31万", "31", 31, "万", None, None, "arabic")]),
    ("用时3天", [("3天", "3", 3, "天", None, None, "arabic")]),
    ("连续3年", [("3年", "3", 3, "年", None, None, "arabic")]),
    ("最近3天", [("3天", "3", 3, "天", None, None, "arabic")]),  # 最近 is no 近
    ("节约3000元", [("3000元", "3000", 3000, "元", None, None, "arabic")]),  # nor 节约 约
    ("新增１２个", [("１２个", "１２", 12, "个", None, None, "arabic")]),  # full-width digits
    ("共1,523个", [("1,523个", "1,523", 1523, "个", None, None, "arabic")]),
    ("3个月", [("3个月", "3", 3, "个月", None, None, "arabic")]),
    ("三十万人", [("三十万人", "三十万", 300_000, "人", None, None, "chinese")]),
]


@pytest.mark.parametrize(("text", "expected"), FOUND, ids=[t for t, _ in FOUND])
def test_found(text: str, expected: list[tuple[object, ...]]) -> None:
    found = find(text)
    assert [_fields(q) for q in found] == expected
    for q in found:
        assert text[q.start : q.end] == q.text


def _fields(q: Quantity) -> tuple[object, ...]:
    return (q.text, q.number, q.value, q.unit, q.approx, q.sign, q.numerals)


NOT_QUANTITIES = [
    "1-11月",  # a period
    "1—11月累计",
    "4月26日",  # a date
    "2022年8月",  # a year and a month
    "2023年",  # a year
    "第六年",  # an ordinal
    "第4届",
    "12号线",  # a line number
    "60岁以上老人",  # a threshold in a phrase
    "60岁以上的老人",
    "1000万元以下项目",
    "80岁老人",  # an age before a noun
    "两个社区",  # 两 is a word
    "一是加强领导，二是",
    "三针接种",
    "五分钟课堂",
    "十八般武艺",
    "二十大精神",
    "百年建党",  # a bare place word without 余/多
    "千家万户",
    "十个指头",
    "汉广“365”恒温服务",  # a number with no unit
    "14:30",
    "10时0分",  # a time
    "2010年",
    "3-5个",  # a range is no single quantity
    "G20峰会",  # a code
    "二〇二二年",  # a year spelt out
    "综合执法中心+”模式",
]


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_not_quantities(text: str) -> None:
    assert find(text) == []


@pytest.mark.parametrize(
    "metric",
    [
        Metric(label="x", value=1354, unit="个"),
        Metric(label="x", value=20, unit="万人次", approx="近"),
        Metric(label="x", value=20, unit="场", approx="余"),
        Metric(label="x", value=98.5, unit="%", approx="以上"),
        Metric(label="x", value=100, unit="处", approx="余", numerals="chinese"),
        Metric(label="x", value=1200, unit="处", approx="余", numerals="chinese"),
        Metric(label="x", value=12.8, unit="亿元"),
        Metric(label="x", value=3, unit="个", approx="超过"),
    ],
    ids=format_metric,
)
def test_a_written_metric_reads_back(metric: Metric) -> None:
    """What build writes for a metric is found again as that metric (import's round trip)."""
    (q,) = find(f"全年{format_metric(metric)}，")
    assert (q.value, q.unit, q.approx, q.numerals) == (
        metric.value,
        metric.unit,
        metric.approx,
        metric.numerals,
    )


def test_the_seeds_metrics_are_the_seeds_quantities() -> None:
    """Scanning the seed finds its 32 metric quantities, each where it stands, and nothing else."""
    seed = SEED.read_text(encoding="utf-8")
    found = find(seed)
    metrics = load_year(ROOT / "data", 2022).data.metrics()
    assert len(metrics) == 32
    assert Counter(q.text for q in found) == Counter(format_metric(m) for m in metrics.values())
    assert all(seed[q.start : q.end] == q.text for q in found)
    assert [q.start for q in found] == sorted(q.start for q in found)


def test_the_seeds_prose_holds_no_typed_quantity() -> None:
    """Outside its metric references, the 2022 prose has no number a metric should hold (the
    check that warns about numbers typed into prose stays quiet on data/2022)."""
    data = load_year(ROOT / "data", 2022).data
    for _, _, prose in data.prose():
        assert find(REFERENCE.sub("", prose)) == [], prose
