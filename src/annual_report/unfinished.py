"""What `init` leaves to do: the 【待更新】 marker, the plan text it copies, the null values.

The marker and the rule are the data's (validate refuses a year that still holds them), so they
live here, below both: scaffold writes them, validate, followup and diff read them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from annual_report.errors import Problem
from annual_report.load.source import Loc, Source

MARKER = "【待更新】"
"""At the start of a text `init` carried over from last year, until it is rewritten."""
PLAN_ORIGINAL = "（{year}年计划原文）"
"""What `init` writes before a plan's own words in plan_review.yaml (after the marker): the clerk
may delete the marker and forget the rest, so a text that still starts with it is unfinished."""
PLAN_ORIGINAL_START = re.compile(r"（\d{4}年计划原文）")
FILL_IN = "【待填：{label}】"
"""How a value still to fill in reads in a draft (``build --draft``), where the clerk sees it."""
MARKS = re.compile(r"【待更新】|【待填：[^】]*】")
"""What a draft highlights: the texts and values still to do."""
CODES = ("unfinished_value", "unfinished_text", "unfinished_plan_text")
"""The problems of a year in progress: what diff compares anyway and a draft is built with."""
METRIC_MAPS = ("metrics", "targets")


def plan_original(year: int) -> str:
    """``（2022年计划原文）``: the note before a plan's text that `init` copies into plan_review."""
    return PLAN_ORIGINAL.format(year=year)


def strip_marker(text: str) -> str:
    return text[len(MARKER) :] if text.startswith(MARKER) else text


def walk(node: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """Every leaf value of a loaded tree with its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*loc, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*loc, index))
    else:
        yield loc, node


def is_metric_value(loc: Loc) -> bool:
    return len(loc) >= 3 and loc[-1] == "value" and loc[-3] in METRIC_MAPS


def problems(sources: dict[str, Source]) -> list[Problem]:
    """Every value still to fill in (a null metric value), every text still marked 【待更新】 and
    every plan text still as init copied it (``（2022年计划原文）…``), each an error at its line:
    what keeps a scaffolded year from being handed in."""
    found: list[Problem] = []
    for source in sources.values():
        for loc, value in walk(source.tree):
            if value is None and is_metric_value(loc):
                metric = _at(source.tree, loc[:-1])
                label = metric.get("label", loc[-2]) if isinstance(metric, dict) else loc[-2]
                found.append(
                    source.problem(
                        loc,
                        "unfinished_value",
                        "value still to fill in",
                        label=label,
                        key=loc[-2],
                    )
                )
            elif isinstance(value, str) and MARKER in value:
                found.append(source.problem(loc, "unfinished_text", f"text still marked {MARKER}"))
            elif isinstance(value, str) and (quoted := PLAN_ORIGINAL_START.match(value)):
                found.append(
                    source.problem(
                        loc,
                        "unfinished_plan_text",
                        "still last year's plan, copied by init",
                        note=quoted.group(),
                    )
                )
    return found


def _at(tree: Any, loc: Loc) -> Any:
    for part in loc:
        tree = tree[part]
    return tree
