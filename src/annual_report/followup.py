"""Across two years, for validate and build: last year's data read on its own, plan
follow-through, and the checks ``validate`` adds from the year before.

- ``read_year`` reads a year through the models alone (no cross-year checks, so checking 2023
  never cascades into 2021);
- ``follow_through``: each of the prior year's plans (for this year), the items that name it
  (``plan: <id>``; a plan without an id by its heading), and targets against achieved values;
- ``followup_problems``: values and texts ``init`` left to fill in (errors), ``| yoy`` that cannot
  be computed (errors), plans nobody reports on and unknown plan ids (warnings).

Kept apart from ``diff`` so ``validate`` does not load the comparison code.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from annual_report import numbers, prose, unfinished
from annual_report.errors import DataError, Problem, closest
from annual_report.model import Metric, PlansFile, ReportFile, SectionFile, YearData


def read_year(folder: Path) -> YearData | None:
    """A year's data from its folder through the models alone (no cross-year checks, so no
    recursion into the year before); None when a file is missing or invalid."""
    from pydantic import ValidationError

    from annual_report.load import load_file

    if not (folder / "report.yaml").is_file():
        return None
    try:
        report = ReportFile.model_validate(load_file(folder / "report.yaml").plain)
        sections = {
            stem: SectionFile.model_validate(load_file(folder / f"{stem}.yaml").plain)
            for stem in report.sections
        }
        plans = PlansFile.model_validate(load_file(folder / f"{report.plans}.yaml").plain)
    except (DataError, ValidationError):
        return None
    return YearData(report=report, sections=sections, plans=plans)


@dataclass(frozen=True)
class TargetCheck:
    key: str
    label: str
    unit: str
    target: int | float | None
    achieved: int | float | None
    rate: Decimal | None
    """achieved / target in per cent, one decimal half up; None without both numbers."""


@dataclass(frozen=True)
class FollowThrough:
    plan: str | None
    heading: str
    status: Literal["reported", "draft", "missing"]
    """reported: an item names it; draft: only items still marked 【待更新】; missing: none."""
    items: list[str]
    targets: list[TargetCheck]


# ---------------------------------------------------------------------------------------------
# plan follow-through


def follow_through(
    prior: YearData, current: YearData
) -> tuple[list[FollowThrough], list[tuple[str, str]]]:
    """Each of ``prior``'s plans (for ``current``'s year): the items reporting on it and its
    targets against what ``current`` achieved; and the items naming a plan that is not there."""
    ids = {plan.id for plan in prior.plans.items if plan.id}
    items = [
        (f"{stem}[{i}]", item)
        for stem, section in current.sections.items()
        for i, item in enumerate(section.items)
    ]
    achieved = current.metrics()
    out: list[FollowThrough] = []
    for plan in prior.plans.items:
        hits = [
            (place, item)
            for place, item in items
            if (plan.id is not None and item.plan == plan.id)
            or (plan.id is None and unfinished.strip_marker(item.lead) == plan.heading)
        ]
        done = [place for place, item in hits if not _draft(item.lead, item.body)]
        status: Literal["reported", "draft", "missing"] = (
            "reported" if done else "draft" if hits else "missing"
        )
        targets = [_target(key, target, achieved.get(key)) for key, target in plan.targets.items()]
        out.append(FollowThrough(plan.id, plan.heading, status, [p for p, _ in hits], targets))
    unknown = [(place, item.plan) for place, item in items if item.plan and item.plan not in ids]
    return out, unknown


def _draft(*texts: str) -> bool:
    return any(unfinished.MARKER in t for t in texts)


def _target(key: str, target: Metric, got: Metric | None) -> TargetCheck:
    achieved = got.value if got is not None else None
    rate = None
    if target.value is not None and achieved is not None:
        rate = numbers.percent(achieved, target.value)  # None for a target of 0
    return TargetCheck(key, target.label, target.unit, target.value, achieved, rate)


# ---------------------------------------------------------------------------------------------
# the same knowledge as checks on one year, for validate


def followup_problems(
    data: YearData, sources: dict[str, Any], prior: YearData | None
) -> list[Problem]:
    """What validate adds for year over year: values and texts still to fill in after ``init``
    (errors), ``| yoy`` that cannot be computed (errors), plan follow-through (warnings)."""
    problems = unfinished.problems(sources)
    folder = sources["report"].path.parent
    prior_year = data.year - 1
    problems += _yoy_problems(data, sources, prior, prior_year, folder.parent)
    if prior is not None and prior.plans.year == data.year:
        problems += _plan_problems(data, sources, prior)
    return problems


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
    for stem, loc, text in data.prose():
        try:
            keys = prose.yoy_references(text)
        except prose.ProseError:
            continue  # cross_check reports it
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
                        "yoy_no_prior",
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
                        code,
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


def _plan_problems(data: YearData, sources: dict[str, Any], prior: YearData) -> list[Problem]:
    checks, unknown = follow_through(prior, data)
    problems: list[Problem] = []
    report = sources["report"]
    for check in checks:
        if check.status == "missing":
            problem = report.problem(
                ("sections",),
                "plan_unreported",
                f"no item reports on last year's plan '{check.plan or check.heading}'",
                plan=check.plan or "（无 id）",
                heading=check.heading,
            )
            problems.append(replace(problem, severity="warning"))
    ids = [plan.id for plan in prior.plans.items if plan.id]
    for place, plan_id in unknown:
        stem, index = place.split("[")
        guess = closest(plan_id, ids)
        problem = sources[stem].problem(
            ("items", int(index.rstrip("]")), "plan"),
            "plan_unknown",
            f"plan '{plan_id}' is not among {prior.year}'s plans",
            plan=plan_id,
            prior=prior.year,
            hint=f"，您是否想写 '{guess}'?" if guess else f"（可用：{'、'.join(ids) or '无'}）",
        )
        problems.append(replace(problem, severity="warning"))
    return problems
