"""The 2022 data is the approved 2022 document: rebuilt from data/2022 it must match the seed
word for word, and every quantity it tells must be a metric, referenced where it is defined."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from annual_report.dataset import check_year
from annual_report.model import YearData
from annual_report.numbers import chinese_numeral
from annual_report.prose import references, render

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEED = ROOT / "tests" / "fixtures" / "seed_2022.txt"

# Digits that are not quantities: dates, a metro line's number, a service brand. Each must occur
# in the raw prose (so the list cannot rot), and nothing else with a digit may.
ALLOWED_DIGITS = ("2022年8月", "2022年", "2023年", "12号线", "“365”")
# A quantity hedged in Chinese numerals (百余处, 十多个) must be a metric with numerals: chinese.
CHINESE_APPROX = re.compile(r"[一二三四五六七八九十百千万两]+[余多](?=[个项处场次件人户类起栋天])")


@pytest.fixture(scope="module")
def data() -> YearData:
    checked = check_year(DATA, 2022)
    assert checked.data is not None, [p.as_dict() for p in checked.problems]
    return checked.data


def test_loads_without_errors_or_warnings() -> None:
    checked = check_year(DATA, 2022)
    assert [p.as_dict() for p in checked.problems] == []
    assert checked.data is not None


def rebuild(data: YearData) -> list[str]:
    """The document's paragraphs as the outline lays them out, with the template's own phrases."""
    m = data.metrics()
    lines = [data.report.title, "", render(data.report.preamble, m)]
    lines.append(f"一、{data.year}年工作总结")
    for n, section in enumerate(data.sections.values(), 1):
        lines.append(f"（{chinese_numeral(n)}）{section.heading}")
        if section.intro is not None:
            lines.append(render(section.intro, m))
        lines += [render(item.lead, m) + render(item.body, m) for item in section.items]
    lines.append(f"二、{data.plans.year}年工作安排")
    for n, plan in enumerate(data.plans.items, 1):
        lines.append(f"（{chinese_numeral(n)}）{render(plan.heading, m)}{render(plan.body, m)}")
    lines.append(render(data.report.closing, m))
    return lines


def test_rebuilds_the_seed_word_for_word(data: YearData) -> None:
    seed = SEED.read_text(encoding="utf-8").splitlines()
    rebuilt = rebuild(data)
    for number, (expected, actual) in enumerate(zip(seed, rebuilt, strict=False), 1):
        assert actual == expected, f"seed line {number}"
    assert len(rebuilt) == len(seed)


def test_lead_and_heading_are_the_first_sentence(data: YearData) -> None:
    firsts = [item.lead for s in data.sections.values() for item in s.items]
    firsts += [plan.heading for plan in data.plans.items]
    for first in firsts:
        assert first.endswith("。") and first.count("。") == 1, first


def test_every_quantity_is_a_metric(data: YearData) -> None:
    raw = [text for _stem, _loc, text in data.prose()]
    joined = "\n".join(raw)
    for allowed in ALLOWED_DIGITS:
        assert allowed in joined, f"allow-list entry {allowed!r} no longer in the prose"
    for text in raw:
        bare = re.sub(r"\{\{.*?\}\}", "", text)
        for allowed in ALLOWED_DIGITS:  # longest entries first, so 2022年8月 goes before 2022年
            bare = bare.replace(allowed, "")
        assert not re.search(r"[0-9０-９]", bare), bare
        assert not CHINESE_APPROX.search(bare), bare


def test_each_metric_is_referenced_once_where_it_is_defined(data: YearData) -> None:
    everywhere = Counter(key for _stem, _loc, text in data.prose() for key in references(text))
    for stem, section in data.sections.items():
        intro = references(section.intro) if section.intro is not None else []
        assert sorted(intro) == sorted(section.metrics), f"{stem} intro"
        for item in section.items:
            keys = references(item.lead) + references(item.body)
            assert sorted(keys) == sorted(item.metrics), f"{stem} {item.id}"
    assert set(everywhere) == set(data.metrics())
    assert all(count == 1 for count in everywhere.values()), everywhere
    # the report's own paragraphs and next year's plans tell no 2022 number
    for text in (data.report.preamble, data.report.closing):
        assert references(text) == []
    for plan in data.plans.items:
        assert references(plan.heading) + references(plan.body) == []


def test_ids_are_unique(data: YearData) -> None:
    ids = [item.id for s in data.sections.values() for item in s.items]
    plan_ids = [plan.id for plan in data.plans.items]
    assert None not in ids + plan_ids
    assert len(set(ids)) == len(ids) and len(set(plan_ids)) == len(plan_ids)


@pytest.mark.parametrize(
    "stem", ["report", "economy", "livelihood", "safety", "party_building", "plans"]
)
def test_files_start_with_schema_modeline(stem: str) -> None:
    kind = {"report": "report", "plans": "plans"}.get(stem, "section")
    lines = (DATA / "2022" / f"{stem}.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"# yaml-language-server: $schema=../../schema/{kind}.schema.json"
    assert lines[1].startswith("# ")
