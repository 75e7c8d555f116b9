"""Plan follow-through: each of last year's plans for this year, the items that report on it
(``plan: <id>``; a plan without an id by its heading), and its targets against what was achieved.

Read by validate (plans nobody reports on, in ``rules``) and by diff; kept apart from ``diff``
so ``validate`` does not load the comparison code.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from annual_report import numbers, unfinished
from annual_report.model import Metric, Place, YearData, node_lead, node_prose


@dataclass(frozen=True)
class TargetCheck:
    key: str
    label: str
    unit: str
    target: numbers.Value | None
    achieved: numbers.Value | None
    rate: Decimal | None
    """achieved / target in per cent, one decimal half up; None without both numbers."""


@dataclass(frozen=True)
class FollowThrough:
    plan: str | None
    heading: str
    status: Literal["reported", "draft", "missing"]
    """reported: an item names it; draft: only items still marked 【待更新】; missing: none."""
    items: list[Place]
    targets: list[TargetCheck]


# ---------------------------------------------------------------------------------------------
# plan follow-through


def follow_through(
    prior: YearData, current: YearData
) -> tuple[list[FollowThrough], list[tuple[Place, str]]]:
    """Each of ``prior``'s plans (for ``current``'s year): the items reporting on it and its
    targets against what ``current`` achieved; and the items naming a plan that is not there."""
    if prior.plans is None:
        return [], []
    ids = {plan.id for plan in prior.plans.items if plan.id}
    items = list(current.items())
    achieved = current.metrics()
    out: list[FollowThrough] = []
    for plan in prior.plans.items:
        hits = [
            (where, item)
            for where, item in items
            if (plan.id is not None and item.plan == plan.id)
            or (plan.id is None and unfinished.strip_marker(node_lead(item)) == plan.heading)
        ]
        done = [where for where, item in hits if not _draft(*(t for _, t in node_prose(item)))]
        status: Literal["reported", "draft", "missing"] = (
            "reported" if done else "draft" if hits else "missing"
        )
        targets = [_target(key, target, achieved.get(key)) for key, target in plan.targets.items()]
        out.append(FollowThrough(plan.id, plan.heading, status, [p for p, _ in hits], targets))
    unknown = [(where, item.plan) for where, item in items if item.plan and item.plan not in ids]
    return out, unknown


def _draft(*texts: str) -> bool:
    return any(unfinished.MARKER in t for t in texts)


def _target(key: str, target: Metric, got: Metric | None) -> TargetCheck:
    achieved = got.value if got is not None else None
    rate = None
    if target.value is not None and achieved is not None:
        rate = numbers.percent(achieved, target.value)  # None for a target of 0
    return TargetCheck(key, target.label, target.unit, target.value, achieved, rate)
