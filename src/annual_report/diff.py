"""Year over year: what changed between two years, and whether last year's plans were carried out.

- metrics are matched by key: old, new, change, 同比 % (the rounding rule of ``text``), added,
  removed, and a flag on changes beyond a threshold (a jump that large is usually a typo); a
  metric in ``%`` changes in percentage points (as ``| yoy`` says 个百分点), and a metric whose
  unit changed (20万人次 → 200000人次) gets no change nor 同比, only a note;
- items (the paragraphs of part 一, and the plans of part 二) are matched by ``id``, then by
  their lead sentence, then by similar text: added, removed, moved (another section, or out of
  order) and changed, with a character-level diff (words mean nothing to a Chinese diff);
  an item whose text is last year's, word for word, is listed apart as unchanged (not rewritten),
  which is no difference: a year identical to the other lists none of them;
- meta fields: title, organization, signature, date, preamble, closing, the section order,
  each section's heading and intro;
- plan follow-through: each of the older year's plans for the newer year, the items that name it
  (``plan: <id>``; a plan without an id is matched by its heading), and targets against the
  values achieved; a plan whose items still carry the plan's own text (init's
  ``（YYYY年计划原文）`` body, or the plan's body as it was) is not rewritten, not reported.

Reading a year on its own and the checks ``validate`` draws from the year before live in
``followup``.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left, bisect_right
from collections import Counter, deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any, Literal

from annual_report import numbers, unfinished
from annual_report.followup import FollowThrough, TargetCheck, follow_through
from annual_report.model import (
    Entry,
    Heading,
    Item,
    Metric,
    Paragraph,
    PartFile,
    Place,
    Plan,
    PlansFile,
    ReportFile,
    SectionFile,
    YearData,
    paragraphs,
)
from annual_report.numbers import as_decimal, round_tenth

Op = Literal["equal", "delete", "insert"]
PLANS = "plans"
UNIT_CHANGED = "单位变化 unit changed"


# ---------------------------------------------------------------------------------------------
# character-level text diff


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


TOKEN = re.compile(r"\d+(?:\.\d+)?|[A-Za-z_]+|.", re.DOTALL)
"""Chinese is compared character by character; a number or a Latin word is one unit, so
1354 → 1500 reads as one change, not 1[-354-]{+500+}."""


def char_diff(old: str, new: str) -> list[Segment]:
    """The two texts as equal / deleted / inserted stretches (characters; numbers whole)."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(out, "equal", "".join(a[i1:i2]))
            continue
        if i2 > i1:
            _append(out, "delete", "".join(a[i1:i2]))
        if j2 > j1:
            _append(out, "insert", "".join(b[j1:j2]))
    return out


def _append(out: list[Segment], op: Op, text: str) -> None:
    if out and out[-1].op == op:
        out[-1] = Segment(op, out[-1].text + text)
    else:
        out.append(Segment(op, text))


def similarity(old: str, new: str) -> float:
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()


# ---------------------------------------------------------------------------------------------
# the comparison


@dataclass(frozen=True)
class MetricChange:
    key: str
    label: str
    status: Literal["added", "removed", "changed", "same"]
    old: Metric | None
    new: Metric | None
    change: Decimal | None = None
    """new - old, exact, in the metric's unit (percentage points for ``%``)."""
    percent: Decimal | None = None
    """同比 in per cent, rounded by ``round_tenth``; None for a ``%`` metric (see points)."""
    flagged: bool = False
    points: Decimal | None = None
    """同比 of a ``%`` metric in percentage points, rounded by ``numbers.round_tenth``."""
    note: str | None = None
    """Why there is no change to show (``UNIT_CHANGED``)."""

    @property
    def unit_changed(self) -> bool:
        return self.old is not None and self.new is not None and self.old.unit != self.new.unit

    @property
    def unit(self) -> str:
        metric = self.new or self.old
        return metric.unit if metric is not None else ""


@dataclass(frozen=True)
class FieldChange:
    """A meta field (title, a section's heading, …) that differs."""

    name: str
    old: str
    new: str
    segments: list[Segment]


@dataclass(frozen=True)
class ItemChange:
    status: Literal["added", "removed", "changed", "moved", "draft", "unchanged"]
    """draft: carried over by ``init``, not yet rewritten (only the 【待更新】 marker differs);
    unchanged: last year's text word for word, marker gone (in ``YearDiff.unchanged``)."""
    key: str
    """The item's id, or its lead sentence when it has none."""
    old_place: Place | None
    new_place: Place | None
    lead: list[Segment]
    body: list[Segment]
    changed: bool = False
    moved: bool = False
    plan: tuple[str | None, str | None] | None = None


@dataclass(frozen=True)
class PlanCheck:
    """``followup.FollowThrough`` with one more status, known only to diff: ``unrewritten``, the
    items naming the plan (none still marked 【待更新】) all still carry the plan's own text."""

    plan: str | None
    heading: str
    status: Literal["reported", "unrewritten", "draft", "missing"]
    items: list[Place]
    targets: list[TargetCheck]


@dataclass
class YearDiff:
    old_year: int
    new_year: int
    threshold: Decimal
    meta: list[FieldChange] = field(default_factory=list)
    metrics: list[MetricChange] = field(default_factory=list)
    items: list[ItemChange] = field(default_factory=list)
    unchanged: list[ItemChange] = field(default_factory=list)
    """Items identical to last year's: no difference, but worth a look (not rewritten?); left
    empty when nothing at all differs, where they would only be the whole year again."""
    follow_through: list[PlanCheck] | None = None
    unknown_plans: list[tuple[Place, str]] = field(default_factory=list)

    @property
    def has_differences(self) -> bool:
        return bool(self.meta or self.items or any(m.status != "same" for m in self.metrics))


def compare(old: YearData, new: YearData, *, threshold: Decimal = Decimal(50)) -> YearDiff:
    result = YearDiff(old.year, new.year, threshold)
    result.meta = _meta(old, new)
    result.metrics = _metrics(old.metrics(), new.metrics(), threshold)
    result.items, result.unchanged = _items(_all_items(old), _all_items(new))
    if old.plans is not None and old.plans.year == new.year:
        found, result.unknown_plans = follow_through(old, new)
        result.follow_through = [_plan_check(check, old, new) for check in found]
    if not result.has_differences:
        result.unchanged = []
    return result


def _plan_check(check: FollowThrough, old: YearData, new: YearData) -> PlanCheck:
    """``reported`` becomes ``unrewritten`` when every item that reports it (not still marked
    【待更新】) is the plan's own text: the body init wrote (its ``（YYYY年计划原文）`` quote in
    front), or the plan's body itself."""
    status: Literal["reported", "unrewritten", "draft", "missing"] = check.status
    if check.status == "reported" and old.plans is not None:
        plan = next(p for p in old.plans.items if (p.id, p.heading) == (check.plan, check.heading))

        def plan_text(node: Entry) -> bool:
            body = unfinished.strip_marker(_texts(node)[1])
            return bool(unfinished.PLAN_ORIGINAL_START.match(body)) or body == plan.body

        reporting = [new.item(place) for place in check.items]
        done = [node for node in reporting if unfinished.MARKER not in "".join(_texts(node))]
        if all(plan_text(node) for node in done):  # reported: done is not empty
            status = "unrewritten"
    return PlanCheck(check.plan, check.heading, status, check.items, check.targets)


def _texts(node: Entry | Plan) -> tuple[str, str]:
    """(what names it, its text) of an entry: lead and body; a heading and its run-in body; a
    paragraph's text; a table's caption and its cells."""
    if isinstance(node, Item):
        return node.lead, node.body
    if isinstance(node, Paragraph):
        return "", node.text
    if isinstance(node, Heading | Plan):
        return node.heading, node.body or ""
    table = node.table
    cells = table.metrics or [" | ".join(row) for row in [table.header or [], *(table.rows or [])]]
    return table.caption or "", "；".join(cells)


def _text_change(name: str, old: str | None, new: str | None) -> FieldChange | None:
    old, new = old or "", new or ""
    return None if old == new else FieldChange(name, old, new, char_diff(old, new))


def _meta(old: YearData, new: YearData) -> list[FieldChange]:
    a, b = old.report, new.report
    pairs: list[tuple[str, Any, Any]] = [
        ("title", a.title, b.title),
        ("organization", a.organization, b.organization),
        ("signature", a.signature, b.signature),
        ("date", a.date and a.date.isoformat(), b.date and b.date.isoformat()),
        ("preamble", _joined(a.preamble), _joined(b.preamble)),
        ("closing", _joined(a.closing), _joined(b.closing)),
        ("sections", "、".join(old.sections), "、".join(new.sections)),
    ]
    if a.parts is not None or b.parts is not None:
        pairs.append(("parts", _parts(a), _parts(b)))
    for stem in [*old.sections, *(s for s in new.sections if s not in old.sections)]:
        before, after = old.sections.get(stem), new.sections.get(stem)
        pairs.append((f"{stem}.heading", before and before.heading, after and after.heading))
        pairs.append((f"{stem}.body", before and before.body, after and after.body))
        pairs.append((f"{stem}.intro", before and _joined(before.intro),
                      after and _joined(after.intro)))  # fmt: skip
    for stem in [*old.parts, *(s for s in new.parts if s not in old.parts)]:
        was, now = old.parts.get(stem), new.parts.get(stem)
        pairs.append((f"{stem}.intro", was and _joined(was.intro), now and _joined(now.intro)))
    changes = [_text_change(name, x, y) for name, x, y in pairs]
    return [c for c in changes if c is not None]


def _joined(value: str | list[str] | None) -> str:
    return "\n".join(paragraphs(value))


def _parts(report: ReportFile) -> str:
    """The document's parts as one line: 一、summary 工作成效 …"""
    return "；".join(
        " ".join((part.kind, part.title or "", "、".join(part.stems()), _joined(part.intro)))
        for part in report.outline()
    )


def _metrics(
    old: dict[str, Metric], new: dict[str, Metric], threshold: Decimal
) -> list[MetricChange]:
    out: list[MetricChange] = []
    for key in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(key), new.get(key)
        label = (b or a).label  # type: ignore[union-attr]
        if a is None:
            out.append(MetricChange(key, label, "added", None, b))
            continue
        if b is None:
            out.append(MetricChange(key, label, "removed", a, None))
            continue
        status: Literal["same", "changed"] = "same" if a == b else "changed"
        if a.unit != b.unit:  # 20万人次 → 200000人次: the numbers do not compare
            out.append(MetricChange(key, label, "changed", a, b, note=UNIT_CHANGED))
            continue
        if a.value is None or b.value is None:
            out.append(MetricChange(key, label, status, a, b))
            continue
        with localcontext(prec=numbers.PRECISION):
            change = as_decimal(b.value) - as_decimal(a.value)
        if b.unit == "%":  # 100% → 99.5%: -0.5 个百分点, as | yoy says it
            points = round_tenth(change)
            flagged = abs(points) > threshold
            out.append(MetricChange(key, label, status, a, b, change, None, flagged, points))
            continue
        percent = numbers.yoy_percent(a.value, b.value)
        flagged = abs(percent) > threshold if percent is not None else a.value == 0 and b.value != 0
        out.append(MetricChange(key, label, status, a, b, change, percent, flagged))
    return out


@dataclass(frozen=True)
class _Placed:
    section: str
    index: int
    id: str | None
    lead: str
    body: str
    plan: str | None
    below: tuple[int, ...] = ()
    """Its indexes under the top-level entry: () for economy[1], (0,) for the 1. under it."""

    @property
    def path(self) -> tuple[int, ...]:
        return (self.index, *self.below)

    @property
    def place(self) -> Place:
        return Place(self.section, self.index, self.below)

    @property
    def key(self) -> str:
        return self.id or unfinished.strip_marker(self.lead) or self.body[:20]


def _all_items(data: YearData) -> list[_Placed]:
    """Every entry at every level: paragraphs, headings, tables, and the plans (as ``plans``)."""
    plans = data.report.plans_stem()
    out = []
    for stem, loc, node in data.nodes():
        if isinstance(node, SectionFile | PartFile | PlansFile):
            continue  # the file itself: its heading and intro are meta fields
        lead, body = _texts(node)
        place = Place.at(PLANS if stem == plans else stem, loc)
        plan = getattr(node, "plan", None)
        out.append(_Placed(place.stem, place.position, node.id, lead, body, plan, place.below))
    return out


def _items(old: list[_Placed], new: list[_Placed]) -> tuple[list[ItemChange], list[ItemChange]]:
    """The items that differ, and those identical to last year's (in the new year's order)."""
    pairs = _match(old, new)
    matched_old = {id(a) for a, _ in pairs}
    matched_new = {id(b) for _, b in pairs}
    moved = _moved(pairs)
    out: list[ItemChange] = []
    same: list[ItemChange] = []
    for a in old:
        if id(a) not in matched_old:
            out.append(ItemChange("removed", a.key, a.place, None, char_diff(a.lead, ""), []))
    for a, b in pairs:
        changed = a.lead != b.lead or a.body != b.body or a.plan != b.plan
        is_moved = id(b) in moved
        if not (changed or is_moved):
            same.append(ItemChange("unchanged", b.key, a.place, b.place, [], []))
            continue
        if not is_moved and _only_marked(a, b):
            out.append(ItemChange("draft", b.key, a.place, b.place, char_diff(a.lead, a.lead), []))
            continue
        out.append(
            ItemChange(
                "changed" if changed else "moved",
                b.key,
                a.place,
                b.place,
                char_diff(a.lead, b.lead),
                char_diff(a.body, b.body) if a.body != b.body else [],
                changed=changed,
                moved=is_moved,
                plan=(a.plan, b.plan) if a.plan != b.plan else None,
            )
        )
    for b in new:
        if id(b) not in matched_new:
            out.append(ItemChange("added", b.key, None, b.place, char_diff("", b.lead), []))
    order: dict[str, int] = {b.place: n for n, b in enumerate(new)}
    same.sort(key=lambda item: order[item.new_place or ""])
    return out, same


def _only_marked(old: _Placed, new: _Placed) -> bool:
    """The new item is the old one with init's marker in front: still to rewrite, not changed."""
    strip = unfinished.strip_marker
    unchanged = strip(new.lead) == old.lead and strip(new.body) == old.body
    return unchanged and old.plan == new.plan


def _match(old: list[_Placed], new: list[_Placed]) -> list[tuple[_Placed, _Placed]]:
    """id first, then the lead sentence (without the init marker), then similar text (≥ 0.6)."""
    pairs: list[tuple[_Placed, _Placed]] = []
    left, right = _take_equal(old, new, _id_key, pairs, one_without_id=False)
    left, right = _take_equal(left, right, _lead_key, pairs, one_without_id=True)
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _score, i, j in sorted(_similar(left, right), reverse=True):
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((left[i], right[j]))
    return pairs


def _id_key(item: _Placed) -> Hashable | None:
    return None if item.id is None else (item.id, item.section == PLANS)


def _lead_key(item: _Placed) -> Hashable | None:
    """A paragraph without a lead has none to match by: similar text decides."""
    lead = unfinished.strip_marker(item.lead)
    return (lead, item.section == PLANS) if lead else None


def _take_equal(
    left: list[_Placed],
    right: list[_Placed],
    key: Callable[[_Placed], Hashable | None],
    pairs: list[tuple[_Placed, _Placed]],
    *,
    one_without_id: bool,
) -> tuple[list[_Placed], list[_Placed]]:
    """Each old item, in order, paired with the first free new one of the same key (and, with
    ``one_without_id``, not both with an id): what a scan of every pair would choose, through
    queues by key, so linear. Returns what is left unpaired on each side."""
    queues: dict[Hashable, tuple[deque[_Placed], deque[_Placed]]] = {}
    for b in right:
        if (k := key(b)) is not None:
            every, without_id = queues.setdefault(k, (deque(), deque()))
            every.append(b)
            if b.id is None:
                without_id.append(b)
    taken: set[int] = set()
    rest: list[_Placed] = []
    for a in left:
        k = key(a)
        queue = (
            None if k is None or k not in queues else queues[k][one_without_id and a.id is not None]
        )
        while queue and id(queue[0]) in taken:
            queue.popleft()
        if queue:
            b = queue.popleft()
            taken.add(id(b))
            pairs.append((a, b))
        else:
            rest.append(a)
    return rest, [b for b in right if id(b) not in taken]


SIMILAR = 0.6
EVERY_PAIR = 10_000
"""Up to this many unpaired pairs (100 items on each side, far more than a report has) every
pair is scored; beyond, only pairs sharing a rare run of three characters, so that 2,000
rewritten paragraphs cost about ten times 200, not a hundred."""
RARE = 16
"""A run of three characters found in more new texts than this says nothing about which."""


def _similar(left: list[_Placed], right: list[_Placed]) -> list[tuple[float, int, int]]:
    """(score, i, j) of the pairs at least SIMILAR alike. difflib's exact ratio decides; its
    upper bounds (length, then shared characters) skip the pairs that cannot reach it."""
    texts_a = [a.lead + a.body for a in left]
    texts_b = [b.lead + b.body for b in right]
    counts_a = [Counter(text) for text in texts_a]
    counts_b = [Counter(text) for text in texts_b]
    if len(left) * len(right) <= EVERY_PAIR:
        candidates: Iterable[tuple[int, int]] = (
            (i, j) for i in range(len(left)) for j in range(len(right))
        )
    else:
        candidates = _sharing_rare_runs(texts_a, texts_b)
    found = []
    for i, j in candidates:
        if (left[i].section == PLANS) != (right[j].section == PLANS):
            continue
        total = len(texts_a[i]) + len(texts_b[j])
        if total and 2.0 * min(len(texts_a[i]), len(texts_b[j])) / total < SIMILAR:
            continue  # difflib's real_quick_ratio
        if total and 2.0 * sum((counts_a[i] & counts_b[j]).values()) / total < SIMILAR:
            continue  # difflib's quick_ratio
        if (score := similarity(texts_a[i], texts_b[j])) >= SIMILAR:
            found.append((score, i, j))
    return found


def _sharing_rare_runs(texts_a: list[str], texts_b: list[str]) -> list[tuple[int, int]]:
    index: dict[str, list[int]] = {}
    for j, text in enumerate(texts_b):
        for run in {text[k : k + 3] for k in range(len(text) - 2)}:
            index.setdefault(run, []).append(j)
    pairs: set[tuple[int, int]] = set()
    for i, text in enumerate(texts_a):
        for run in {text[k : k + 3] for k in range(len(text) - 2)}:
            holders = index.get(run, ())
            if len(holders) <= RARE:
                pairs.update((i, j) for j in holders)
    return sorted(pairs)


def _moved(pairs: list[tuple[_Placed, _Placed]]) -> set[int]:
    """Items now in another section, or out of order within their section (those outside the
    longest run kept in order, so one moved item does not mark its neighbours)."""
    moved: set[int] = set()
    by_section: dict[str, list[tuple[tuple[int, ...], _Placed]]] = {}
    for a, b in pairs:
        if a.section != b.section:
            moved.add(id(b))
        else:
            by_section.setdefault(a.section, []).append((a.path, b))
    for members in by_section.values():
        members.sort(key=lambda pair: pair[0])
        rank = {path: n for n, path in enumerate(sorted({b.path for _, b in members}))}
        kept = _longest_increasing([rank[b.path] for _, b in members])
        moved |= {id(b) for n, (_, b) in enumerate(members) if n not in kept}
    return moved


def _longest_increasing(values: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence: each element linked to the
    earliest one before it that is smaller and ends a run one shorter (the choice a scan of
    every pair makes), found by bisection, so O(n log n). Within one run length the values
    fall as positions grow, so the smaller ones form a tail of that level."""
    if not values:
        return set()
    tails: list[int] = []  # the smallest last value of a run of each length so far
    levels: list[list[int]] = []  # positions by the length of the longest run ending there
    falling: list[list[int]] = []  # their values, negated: rising, for bisection
    back = [-1] * len(values)
    for i, value in enumerate(values):
        level = bisect_left(tails, value)
        if level:
            below, keys = levels[level - 1], falling[level - 1]
            back[i] = below[bisect_right(keys, -value)]
        if level == len(tails):
            tails.append(value)
            levels.append([])
            falling.append([])
        tails[level] = value
        levels[level].append(i)
        falling[level].append(-value)
    i = levels[-1][0]
    kept: set[int] = set()
    while i != -1:
        kept.add(i)
        i = back[i]
    return kept


# ---------------------------------------------------------------------------------------------
# plain data, for --format json


def as_dict(diff: YearDiff) -> dict[str, Any]:
    def number(value: Any) -> Any:
        if isinstance(value, Decimal):
            return float(value)
        return value

    def segments(parts: list[Segment]) -> list[dict[str, str]]:
        return [{"op": s.op, "text": s.text} for s in parts]

    def metric(m: Metric | None) -> dict[str, Any] | None:
        return (
            None if m is None else m.model_dump(exclude_defaults=True) | {"value": number(m.value)}
        )

    return {
        "old_year": diff.old_year,
        "new_year": diff.new_year,
        "has_differences": diff.has_differences,
        "threshold_percent": number(diff.threshold),
        "meta": [
            {"field": c.name, "old": c.old, "new": c.new, "diff": segments(c.segments)}
            for c in diff.meta
        ],
        "metrics": [
            {
                "key": c.key,
                "label": c.label,
                "status": c.status,
                "old": metric(c.old),
                "new": metric(c.new),
                "change": number(c.change),
                "percent": number(c.percent),
                "points": number(c.points),
                "flagged": c.flagged,
                "unit_changed": c.unit_changed,
                "note": c.note,
            }
            for c in diff.metrics
            if c.status != "same"
        ],
        "items": [
            {
                "status": c.status,
                "key": c.key,
                "old_place": c.old_place,
                "new_place": c.new_place,
                "changed": c.changed,
                "moved": c.moved,
                "lead": segments(c.lead),
                "body": segments(c.body),
                "plan": list(c.plan) if c.plan else None,
            }
            for c in [*diff.items, *diff.unchanged]
        ],
        "follow_through": None
        if diff.follow_through is None
        else [
            {
                "plan": f.plan,
                "heading": f.heading,
                "status": f.status,
                "items": f.items,
                "targets": [
                    {
                        "key": t.key,
                        "label": t.label,
                        "unit": t.unit,
                        "target": t.target,
                        "achieved": t.achieved,
                        "rate_percent": number(t.rate),
                    }
                    for t in f.targets
                ],
            }
            for f in diff.follow_through
        ],
        "unknown_plans": [{"place": p, "plan": plan} for p, plan in diff.unknown_plans],
    }
