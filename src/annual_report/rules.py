"""The rules no single file can know, over a whole year and the year before.

Plans for year + 1, metric keys unique in the year, references that resolve (with last year's
label for a deleted key), template syntax only in prose, metrics that are never told; and from
the year before: values and texts ``init`` left to fill in, ``| yoy`` that cannot be computed,
plans nobody reports on and unknown plan ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from annual_report import naming, numbers, prose, quantities, unfinished
from annual_report.errors import Problem, chinese, closest
from annual_report.followup import follow_through
from annual_report.load.source import Loc, Source
from annual_report.model import (
    METRIC_KEY,
    Heading,
    Item,
    Metric,
    Paragraph,
    Plan,
    TableEntry,
    YearData,
    node_prose,
)

ARABIC_DIGIT = re.compile(r"[0-9０-９]")
MAX_LEVEL = 4
"""（1）: the deepest heading level GB/T 9704 numbers."""
METRIC_TYPO = 0.8
"""How alike a metric key must be to one the year defines to be suggested as its typo: a deleted
``parking_spaces`` is not ``charging_piles`` (0.64), ``charging_pile`` is (0.96)."""


def cross_check(
    data: YearData, sources: dict[str, Source], prior: YearData | None
) -> list[Problem]:
    """What no single file can know: plan year, unique metric keys, references that resolve,
    metrics that are never told; ``prior`` is the year before, if usable."""
    problems: list[Problem] = []
    problems += _plans_year(data, sources)
    metrics = _unique_metrics(data, sources, problems)
    used: set[str] = set()
    problems += _references(data, sources, metrics, used, prior)
    problems += _tables(data, sources, metrics, used)
    problems += _levels(data, sources)
    problems += _templates_outside_prose(data, sources)
    problems += _unused_metrics(data, sources, used)
    problems += _typed_quantities(data, sources, metrics)
    problems += followup_problems(data, sources, prior)  # init leftovers, yoy, plans
    return problems


def _typed_quantities(
    data: YearData, sources: dict[str, Source], metrics: dict[str, Metric]
) -> list[Problem]:
    """新建红色物业小区6个: an Arabic number with its unit typed into prose is never checked nor
    compared with last year. A warning at its first character (an error under --strict), with
    the metric to add; a Chinese-numeral word (两个, 一是) is no count and is left alone."""
    problems = []
    taken = set(metrics)
    for stem, loc, text in data.prose():
        masked = prose.masked(text)  # a reference's 〇 are no digits anyone typed
        if not ARABIC_DIGIT.search(masked):
            continue  # the common case, decided without the recogniser
        for found in quantities.find(masked):
            if found.numerals != "arabic" or found.sign is not None:
                continue
            label = naming.label(masked, found.start, found.end)
            key = naming.key_for(label, taken)
            taken.add(key)
            approx = f", approx: {found.approx}" if found.approx else ""
            problems.append(
                sources[stem].problem(
                    loc,
                    "typed_quantity",
                    f"number typed in prose: {found.text}",
                    offset=found.start,
                    severity="warning",
                    text=found.text,
                    key=key,
                    metric=f"{{label: {label}, value: {found.number}, unit: {found.unit}{approx}}}",
                )
            )
    return problems


def _tables(
    data: YearData, sources: dict[str, Source], metrics: dict[str, Metric], used: set[str]
) -> list[Problem]:
    """A metric table's rows name metrics the year defines (its 同比 column is checked with
    ``| yoy``, in ``_yoy_problems``)."""
    problems = []
    for stem, loc, node in data.nodes():
        keys = node.table.metrics if isinstance(node, TableEntry) else None
        for i, key in enumerate(keys or []):
            used.add(key)
            if key not in metrics:
                guess = closest(key, list(metrics), METRIC_TYPO)
                problems.append(
                    sources[stem].problem(
                        (*loc, "table", "metrics", i),
                        "table_metric",
                        f"undefined metric '{key}' in a table",
                        key=key,
                        hint=f"，您是否想写 '{guess}'?" if guess else "",
                    )
                )
    return problems


def _levels(data: YearData, sources: dict[str, Source]) -> list[Problem]:
    """GB/T 9704 numbers four levels (一、（一） 1. （1））: a heading nested deeper has none."""
    return [
        sources[stem].problem((*loc, "heading"), "too_deep_heading", "nested too deep")
        for stem, loc, _, level in data.headings()
        if level > MAX_LEVEL
    ]


def _templates_outside_prose(data: YearData, sources: dict[str, Source]) -> list[Problem]:
    """Only prose may name metrics; template syntax in a title, heading or label is refused
    (it would never run, but it would be printed, and it is never what the office meant)."""
    texts = {(stem, loc) for stem, loc, _ in data.prose()}
    problems = []
    for stem, source in sources.items():
        for loc, scalar in source.scalars.items():
            found = prose.JINJA_START.search(scalar.value)
            if found and (stem, loc) not in texts:
                problems.append(
                    source.problem(
                        loc,
                        "jinja_outside_prose",
                        "template syntax outside prose",
                        offset=found.start(),
                        detail=found.group(),
                    )
                )
    return problems


def _plans_year(data: YearData, sources: dict[str, Source]) -> list[Problem]:
    stem = data.report.plans_stem()
    if data.plans is None or stem is None or data.plans.year == data.year + 1:
        return []
    return [
        sources[stem].problem(
            ("year",),
            "plans_year",
            "plans must be for year + 1",
            expected=data.year + 1,
            input=data.plans.year,
        )
    ]


def _references(
    data: YearData,
    sources: dict[str, Source],
    metrics: dict[str, Metric],
    used: set[str],
    prior: YearData | None,
) -> list[Problem]:
    """Prose may name defined metrics and hold no other Jinja; said at the ``{{`` when the text
    is on one line. A key that is no typo is named by last year's label, if it had one."""
    problems = []
    before = prior.metrics() if prior else {}
    for stem, loc, text in data.prose():
        source = sources[stem]
        try:
            keys = prose.references(text)
        except prose.ProseError as exc:
            used.update(k for k in metrics if f"m.{k}" in text)  # refused, not unused: one error
            offset = prose.forbidden_offset(text)
            problems.append(
                source.problem(loc, exc.code, exc.detail, offset=offset, detail=exc.detail)
            )
            continue
        for key in keys:
            used.add(key)
            if key not in metrics:
                guess = closest(key, list(metrics), METRIC_TYPO)
                if not re.match(METRIC_KEY, key):
                    hint = _label_hint(key, metrics)
                elif guess:
                    hint = f"，您是否想写 '{guess}'?"
                else:
                    label = before[key].label if key in before else None
                    hint = (
                        chinese("undefined_metric_deleted_label", key=key, label=label)
                        if label
                        else chinese("undefined_metric_deleted", key=key)
                    )
                problems.append(
                    source.problem(
                        loc,
                        "undefined_metric",
                        f"undefined metric '{key}'",
                        offset=prose.reference_offset(text, key),
                        key=key,
                        hint=hint,
                    )
                )
    return problems


def _label_hint(name: str, metrics: dict[str, Metric]) -> str:
    """``{{ m.充电桩 }}`` names a metric by its label: the key that has it, or else a key that is
    valid to add."""
    labels = {metric.label: key for key, metric in metrics.items()}
    if name in labels:
        return chinese("metric_label_used", label=name, key=labels[name])
    return chinese("metric_label_new", label=name, key=naming.key_for(name, set(metrics)))


def _unused_metrics(data: YearData, sources: dict[str, Source], used: set[str]) -> list[Problem]:
    return [
        sources[stem].problem(
            loc, "unused_metric", f"metric '{key}' never referenced", severity="warning", key=key
        )
        for stem, loc, key, _ in data.metric_places()
        if key not in used
    ]


def _unique_metrics(
    data: YearData, sources: dict[str, Source], problems: list[Problem]
) -> dict[str, Metric]:
    owners: dict[str, str] = {}
    for stem, loc, key, _ in data.metric_places():
        if key in owners:
            problems.append(
                sources[stem].problem(
                    loc,
                    "duplicate_metric",
                    f"metric '{key}' defined twice",
                    at_key=True,
                    key=key,
                    other=owners[key],
                )
            )
        owners.setdefault(key, sources[stem].name)
    return data.metrics()


def followup_problems(
    data: YearData, sources: dict[str, Any], prior: YearData | None
) -> list[Problem]:
    """What validate adds for year over year: values and texts still to fill in after ``init``
    (errors), ``| yoy`` that cannot be computed (errors), plan follow-through (warnings)."""
    problems = unfinished.problems(sources)
    folder = sources["report"].path.parent
    prior_year = data.year - 1
    problems += _yoy_problems(data, sources, prior, prior_year, folder.parent)
    if prior is not None and prior.plans is not None and prior.plans.year == data.year:
        problems += _plan_problems(data, sources, prior)
    if prior is not None:
        problems += _unchanged(data, sources, prior)
    return problems


def _paragraphs(data: YearData) -> list[tuple[str, Loc, tuple[str, ...], bool]]:
    """(file stem, place, its texts, marked unchanged) of every paragraph, heading and plan that
    has a text of its own (a standalone heading's words are its title, not news)."""
    found: list[tuple[str, Loc, tuple[str, ...], bool]] = []
    for stem, loc, node in data.nodes():
        if isinstance(node, Item | Paragraph | Heading | Plan):
            texts = node_prose(node)
            if texts and not (isinstance(node, Heading) and node.body is None):
                place = (*loc, texts[-1][0][0])
                found.append((stem, place, tuple(t for _, t in texts), node.unchanged))
    return found


def _unchanged(data: YearData, sources: dict[str, Any], prior: YearData) -> list[Problem]:
    """A paragraph or plan word for word last year's: the lazy update that deleting 【待更新】
    hides (a warning, so --strict and CI catch it); ``unchanged: true`` says it is on purpose."""
    before = {text for _, _, text, _ in _paragraphs(prior)}
    return [
        sources[stem].problem(
            loc,
            "unchanged_text",
            f"word for word as in {prior.year}",
            severity="warning",
            prior=prior.year,
        )
        for stem, loc, text, on_purpose in _paragraphs(data)
        if text in before and not on_purpose and stem in sources
    ]


def _yoy_uses(data: YearData) -> Iterator[tuple[str, Loc, list[str]]]:
    """Where the year compares metrics with last year: ``| yoy`` in prose, a table's 同比
    column (each row at its key)."""
    for stem, loc, text in data.prose():
        try:
            yield stem, loc, prose.yoy_references(text)
        except prose.ProseError:
            continue  # cross_check reports it
    for stem, loc, node in data.nodes():
        if isinstance(node, TableEntry) and node.table.yoy:
            for i, key in enumerate(node.table.metrics or []):
                yield stem, (*loc, "table", "metrics", i), [key]


def _yoy_problems(
    data: YearData,
    sources: dict[str, Any],
    prior: YearData | None,
    prior_year: int,
    data_dir: Path,
) -> list[Problem]:
    problems: list[Problem] = []
    metrics = data.metrics()
    before = prior.metrics() if prior is not None else {}
    for stem, loc, keys in _yoy_uses(data):
        for key in keys:
            current = metrics.get(key)
            if current is None:
                continue  # undefined_metric, reported by cross_check
            source = sources[stem]
            if prior is None:
                folder = data_dir / str(prior_year)
                reason = "找不到上年数据目录" if not folder.is_dir() else "上年数据有错误"
                problems.append(
                    source.problem(
                        loc,
                        _said_for(loc, "yoy_no_prior"),
                        f"| yoy needs {prior_year}'s data",
                        key=key,
                        prior=prior_year,
                        reason=f"{reason}（请先运行 annual-report validate {prior_year}）",
                    )
                )
                continue
            old = before.get(key)
            code = numbers.yoy_problem(current, old)
            if code is not None:
                problems.append(
                    source.problem(
                        loc,
                        _said_for(loc, code),
                        f"cannot compute 同比 for '{key}' ({code})",
                        key=key,
                        prior=prior_year,
                        old=old.unit if old else "",
                        new=current.unit,
                    )
                )
            elif old is not None and (old.approx or current.approx):
                warning = source.problem(
                    loc,
                    "yoy_approx",
                    f"同比 of an approximate number '{key}'",
                    key=key,
                    old=numbers.format_metric(old),
                    new=numbers.format_metric(current),
                )
                problems.append(replace(warning, severity="warning"))
    return problems


TABLE_YOY = {"yoy_no_prior": "table_yoy_no_prior", "yoy_missing_key": "table_yoy_missing_key"}
"""The | yoy messages that tell the fix in prose, said the table's way for a 同比 column."""


def _said_for(loc: Loc, code: str) -> str:
    return TABLE_YOY.get(code, code) if "table" in loc else code


def _plan_problems(data: YearData, sources: dict[str, Any], prior: YearData) -> list[Problem]:
    checks, unknown = follow_through(prior, data)
    problems: list[Problem] = []
    report = sources["report"]
    where = ("sections",) if data.report.parts is None else ("parts",)
    for check in checks:
        if check.status == "missing":
            problem = report.problem(
                where,
                "plan_unreported",
                f"no item reports on last year's plan '{check.plan or check.heading}'",
                plan=check.plan or "（无 id）",
                heading=check.heading,
            )
            problems.append(replace(problem, severity="warning"))
    ids = [plan.id for plan in prior.plans.items if plan.id] if prior.plans else []
    for place, plan_id in unknown:
        guess = closest(plan_id, ids)
        problem = sources[place.stem].problem(
            (*place.loc, "plan"),
            "plan_unknown",
            f"plan '{plan_id}' is not among {prior.year}'s plans",
            plan=plan_id,
            prior=prior.year,
            hint=f"，您是否想写 '{guess}'?" if guess else f"（可用：{'、'.join(ids) or '无'}）",
        )
        problems.append(replace(problem, severity="warning"))
    return problems
