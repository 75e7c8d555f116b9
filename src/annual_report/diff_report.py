"""diff's result told to people: rich text for the terminal (plain markers in a pipe) and
GitHub-flavoured Markdown for a review comment. JSON is ``diff.as_dict``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from annual_report.diff import ItemChange, MetricChange, Segment, YearDiff
    from annual_report.model import Metric

CONTEXT = 12
"""Characters of unchanged text kept on each side of a change in text and markdown output."""

STATUS = {
    "added": ("+", "新增 added", "green"),
    "removed": ("-", "删除 removed", "red"),
    "changed": ("~", "修改 changed", "yellow"),
    "moved": ("↕", "移动 moved", "cyan"),
    "draft": ("…", "待更新 draft", "yellow"),
    "unchanged": ("=", "未改写 unchanged from last year", "magenta"),
}
FOLLOW = {
    "reported": ("✓", "已落实 reported", "green"),
    "unrewritten": ("!", "原文未改写 not rewritten", "magenta"),
    "draft": ("…", "待更新 draft", "yellow"),
    "missing": ("✗", "未见段落 missing", "red"),
}


# ---------------------------------------------------------------------------------------------
# shared wording


def _quantity(metric: Metric | None) -> str:
    from annual_report.numbers import format_metric

    return "—" if metric is None else format_metric(metric)


def _signed(value: Decimal | None, suffix: str = "", *, exact: bool = False) -> str:
    """+146 · -3.5 · +12.0% (``exact`` keeps the one decimal of a rounded percentage)."""
    if value is None:
        return ""
    whole = value == value.to_integral() and not exact
    text = format(value.normalize() if whole else value, "f")  # never 1E-7 or 9.9E+28
    return f"{'+' if value > 0 else ''}{text}{suffix}"


def _sign(change: MetricChange) -> tuple[str, str]:
    """The row's mark and colour: … for a value still to fill in."""
    if change.new is not None and change.new.value is None:
        return "…", "yellow"
    sign, _, colour = STATUS[change.status]
    return sign, colour


def _percent(change: MetricChange) -> str:
    """The 同比 column: +12.5% · -0.5个百分点 (a % metric) · 自0起 · the note of a changed unit."""
    if change.note is not None:
        return change.note
    if change.points is not None:
        return _signed(change.points, "个百分点", exact=True)
    if change.percent is not None:
        return _signed(change.percent, "%", exact=True)
    if change.old is not None and change.old.value == 0 and change.new and change.new.value:
        return "自0起"
    return ""


def _elide(segments: list[Segment]) -> list[Segment]:
    """Long unchanged stretches shortened to their ends, so the change stands out."""
    from annual_report.diff import Segment

    out = []
    last = len(segments) - 1
    for n, seg in enumerate(segments):
        if seg.op != "equal" or len(seg.text) <= 2 * CONTEXT + 1:
            out.append(seg)
            continue
        head = seg.text[:CONTEXT] if n > 0 else ""
        tail = seg.text[-CONTEXT:] if n < last else ""
        out.append(Segment("equal", f"{head}…{tail}"))
    return out


def _changed_metrics(result: YearDiff) -> list[MetricChange]:
    return [m for m in result.metrics if m.status != "same"]


def _summary(result: YearDiff) -> str:
    metrics = _changed_metrics(result)
    flagged = sum(m.flagged for m in metrics)
    parts = [
        f"{len(result.meta)} 处概要变化",
        f"{len(metrics)} 个指标变化"
        + (f"（{flagged} 个超过 {result.threshold}%）" if flagged else ""),
        f"{sum(i.status != 'draft' for i in result.items)} 段变化",
    ]
    drafts = sum(i.status == "draft" for i in result.items)
    if drafts:
        parts.append(f"{drafts} 段沿用上年、待更新")
    if result.unchanged:
        parts.append(f"{len(result.unchanged)} 段与上年相同、未改写")
    if result.follow_through is not None:
        done = sum(f.status == "reported" for f in result.follow_through)
        parts.append(f"上年计划 {done}/{len(result.follow_through)} 项已有落实段落")
        quoted = sum(f.status == "unrewritten" for f in result.follow_through)
        if quoted:
            parts.append(f"{quoted} 项计划原文未改写")
    if not result.has_differences:
        return "没有差异 (no differences)"
    return "，".join(parts)


# ---------------------------------------------------------------------------------------------
# text (rich)


def _segments_text(segments: list[Segment], console: Console) -> Text:
    from rich.text import Text

    markers = console.color_system is None or console.no_color
    out = Text()
    for seg in _elide(segments):
        if seg.op == "equal":
            out.append(seg.text)
        elif seg.op == "delete":
            out.append(f"[-{seg.text}-]" if markers else seg.text, style="bold red strike")
        else:
            out.append(f"{{+{seg.text}+}}" if markers else seg.text, style="bold green underline")
    return out


def text_report(result: YearDiff, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    console.print(Text(f"{result.old_year} → {result.new_year}", style="bold"))
    if result.meta:
        console.print(Text("\n概要 Meta", style="bold underline"))
        for change in result.meta:
            line = Text(f"  {change.name}: ", style="bold")
            console.print(line + _segments_text(change.segments, console))
    metrics = _changed_metrics(result)
    if metrics:
        console.print(Text("\n指标 Metrics", style="bold underline"))
        table = Table(show_edge=False, pad_edge=False, box=None, padding=(0, 1))
        for name, justify in [
            ("", "left"),
            ("指标", "left"),
            ("键 key", "left"),
            (str(result.old_year), "right"),
            (str(result.new_year), "right"),
            ("变化 Δ", "right"),
            ("同比", "right"),
        ]:
            table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for metric in metrics:
            sign, colour = _sign(metric)
            flag = " ⚠" if metric.flagged else ""
            table.add_row(  # data as Text: a label such as 充电桩[/] is no markup
                Text(sign, style=colour),
                Text(metric.label),
                Text(metric.key),
                Text(_quantity(metric.old)),
                Text(_quantity(metric.new)),
                Text(_signed(metric.change)),
                Text(_percent(metric) + flag, style="bold red" if flag else ""),
            )
        if console.is_terminal:
            console.print(table)
        else:  # piped or redirected: read in an editor, so not folded into 80 columns
            from rich.console import Console

            Console(width=max(console.width, 160), highlight=False).print(table)
    if result.items or result.unchanged:
        console.print(Text("\n段落 Items", style="bold underline"))
        for item in [*result.items, *result.unchanged]:
            _item_text(item, console)
    if result.follow_through is not None:
        _follow_text(result, console)
    console.print(Text(f"\n{_summary(result)}", style="bold"))


def _place(item: ItemChange) -> str:
    if item.old_place and item.new_place and item.old_place != item.new_place:
        return f"{item.old_place} → {item.new_place}"
    return item.new_place or item.old_place or ""


def _item_text(item: ItemChange, console: Console) -> None:
    from rich.text import Text

    sign, word, colour = STATUS[item.status]
    extra = " + 移动 moved" if item.status == "changed" and item.moved else ""
    head = Text(f"  {sign} {word}{extra} ", style=colour)
    head.append(f"{_place(item)}  {item.key}", style="bold")
    console.print(head)
    if item.status in ("added", "removed") or any(s.op != "equal" for s in item.lead):
        console.print(Text("      ") + _segments_text(item.lead, console))
    if item.body:
        console.print(Text("      ") + _segments_text(item.body, console))
    if item.plan:
        console.print(Text(f"      plan: {item.plan[0] or '—'} → {item.plan[1] or '—'}"))


def _follow_text(result: YearDiff, console: Console) -> None:
    from rich.text import Text

    assert result.follow_through is not None
    console.print(
        Text(
            f"\n计划落实 Plan follow-through（{result.old_year}年报告中的{result.new_year}年计划）",
            style="bold underline",
        )
    )
    for check in result.follow_through:
        sign, word, colour = FOLLOW[check.status]
        line = Text(f"  {sign} {word} ", style=colour)
        line.append(f"{check.plan or '（无 id）'} {check.heading}", style="bold")
        if check.items:
            line.append(f"  → {'、'.join(check.items)}")
        console.print(line)
        for target in check.targets:
            console.print(Text(f"      {_target_line(target)}"))
    for place, plan in result.unknown_plans:
        console.print(Text(f"  ? {place} 写的 plan: {plan} 不在上年计划中", style="yellow"))


def _target_line(target: Any) -> str:
    from annual_report.numbers import UNFILLED, format_number

    goal = "—" if target.target is None else format_number(target.target) + target.unit
    got = UNFILLED if target.achieved is None else format_number(target.achieved) + target.unit
    rate = f"（完成 {target.rate:f}%）" if target.rate is not None else ""
    return f"目标 target {target.label}：{goal}，实际 achieved {got}{rate}"


# ---------------------------------------------------------------------------------------------
# markdown


def _md(text: str) -> str:
    for char in "\\|*~_`[]<>":  # the seed's * mask no emphasis, a [label](x) no link
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def _segments_md(segments: list[Segment]) -> str:
    parts = []
    for seg in _elide(segments):
        body = _md(seg.text)
        if seg.op == "equal":
            parts.append(body)
        elif seg.op == "delete":
            parts.append(f"~~{body}~~")
        else:
            parts.append(f"**{body}**")
    return "".join(parts)


def markdown(result: YearDiff) -> str:
    """The diff as GitHub-flavoured Markdown: deleted text ~~struck~~, inserted **bold**."""
    lines = [f"# {result.old_year} → {result.new_year} 年度对比", ""]
    if result.meta:
        lines += ["## 概要", "", "| 字段 | 变化 |", "|---|---|"]
        lines += [f"| {_md(c.name)} | {_segments_md(c.segments)} |" for c in result.meta]
        lines.append("")
    metrics = _changed_metrics(result)
    if metrics:
        lines += [
            "## 指标",
            "",
            f"| | 指标 | 键 | {result.old_year} | {result.new_year} | 变化 | 同比 |",
            "|---|---|---|---:|---:|---:|---:|",
        ]
        for m in metrics:
            flag = " ⚠" if m.flagged else ""
            lines.append(
                f"| {_sign(m)[0]} | {_md(m.label)} | `{m.key}` | {_md(_quantity(m.old))} "
                f"| {_md(_quantity(m.new))} | {_signed(m.change)} | {_percent(m)}{flag} |"
            )
        lines.append("")
    if result.items or result.unchanged:
        lines += ["## 段落", ""]
        for item in [*result.items, *result.unchanged]:
            _, word, _ = STATUS[item.status]
            extra = "，移动" if item.status == "changed" and item.moved else ""
            lines.append(f"- **{word}{extra}** `{_place(item)}` {_md(item.key)}")
            if item.status == "unchanged":
                continue  # one line: the text is last year's
            lines.append(f"  - {_segments_md(item.lead)}")
            if item.body:
                lines.append(f"  - {_segments_md(item.body)}")
        lines.append("")
    if result.follow_through is not None:
        lines += [
            f"## 计划落实（{result.old_year}年报告中的{result.new_year}年计划）",
            "",
            "| 计划 | 标题 | 状态 | 段落 | 目标与实际 |",
            "|---|---|---|---|---|",
        ]
        for check in result.follow_through:
            targets = "<br>".join(_md(_target_line(t)) for t in check.targets)
            lines.append(
                f"| `{check.plan or '—'}` | {_md(check.heading)} | {FOLLOW[check.status][1]} "
                f"| {_md('、'.join(check.items))} | {targets} |"
            )
        lines.append("")
    lines += [_summary(result), ""]
    return "\n".join(lines)
