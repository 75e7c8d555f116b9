"""The text stage: metric references in the prose become the numbers as Chinese writes them.

Prose from YAML is data. It may name metrics (``{{ m.charging_piles }}``) and nothing else of
Jinja: every other construct is refused before anything is rendered, and rendering itself runs in
Jinja's sandbox with StrictUndefined and only the year's metrics in scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from annual_report.model import APPROX_AFTER_UNIT, APPROX_AFTER_VALUE, APPROX_BEFORE, Metric

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

DIGITS = "零一二三四五六七八九"
SMALL_UNITS = ("", "十", "百", "千")


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 101 → 一百零一: the numerals of 一、 and （一）."""
    if n < 0 or n >= 100_000_000:
        raise ValueError(f"no Chinese numeral for {n}")
    if n < 10_000:
        text = _below_ten_thousand(n)
    else:
        high, low = divmod(n, 10_000)
        text = _below_ten_thousand(high) + "万"
        if low:
            text += ("零" if low < 1000 else "") + _below_ten_thousand(low)
    return text[1:] if text.startswith("一十") else text


def _below_ten_thousand(n: int) -> str:
    if n == 0:
        return DIGITS[0]
    out, zero = "", False
    for power in range(3, -1, -1):
        digit = n // 10**power % 10
        if digit:
            out += ("零" if zero and out else "") + DIGITS[digit] + SMALL_UNITS[power]
            zero = False
        else:
            zero = True
    return out


def format_number(value: int | float) -> str:
    """The number as typed in the data: 1354, 98.5 (never 98.50000001 or 1.354e3)."""
    return str(value) if isinstance(value, int) else repr(value)


def format_metric(metric: Metric) -> str:
    """近20万人次 · 20余场 · 98.5%以上 · 1354个 · 百余处."""
    number = format_number(metric.value)
    if metric.numerals == "chinese" and isinstance(metric.value, int):
        number = chinese_numeral(metric.value)
        if metric.approx in APPROX_AFTER_VALUE and number.startswith("一"):
            number = number[1:]  # 百余、千余: the 一 is dropped before an approximation
    approx = metric.approx or ""
    if approx in APPROX_BEFORE:
        return f"{approx}{number}{metric.unit}"
    if approx in APPROX_AFTER_VALUE:
        return f"{number}{approx}{metric.unit}"
    if approx in APPROX_AFTER_UNIT:
        return f"{number}{metric.unit}{approx}"
    return f"{number}{metric.unit}"


@dataclass(frozen=True)
class MetricView:
    """``m.key`` in the prose: prints as the written quantity; ``.value`` is the bare number."""

    metric: Metric

    def __str__(self) -> str:
        return format_metric(self.metric)

    @property
    def value(self) -> str:
        return format_number(self.metric.value)


class ProseError(ValueError):
    """The prose holds Jinja other than a metric reference, or malformed Jinja."""

    def __init__(self, code: str, detail: str, line: int = 1) -> None:
        super().__init__(detail)
        self.code, self.detail, self.line = code, detail, line


@cache
def environment() -> ImmutableSandboxedEnvironment:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def has_jinja(text: str) -> bool:
    return "{" in text


def references(text: str) -> list[str]:
    """The metric keys a prose text names, in order; ProseError for anything but references."""
    if not has_jinja(text):
        return []
    from jinja2 import TemplateSyntaxError, nodes

    env = environment()
    try:
        for token in env.lex(text):
            if token[1] in ("comment_begin", "block_begin"):
                raise ProseError("jinja_forbidden", _snippet(text, token[0]), token[0])
        tree = env.parse(text)
    except TemplateSyntaxError as exc:
        raise ProseError("jinja_syntax", exc.message or str(exc), exc.lineno) from None
    keys: list[str] = []
    for output in tree.body:
        if not isinstance(output, nodes.Output):
            raise ProseError("jinja_forbidden", type(output).__name__, output.lineno)
        for node in output.nodes:
            if isinstance(node, nodes.TemplateData):
                continue
            key = _reference_key(node)
            if key is None:
                raise ProseError("jinja_forbidden", _snippet(text, node.lineno), node.lineno)
            keys.append(key)
    return keys


def _reference_key(node: object) -> str | None:
    """``m.key`` or ``m.key.value`` → key; anything else → None."""
    from jinja2 import nodes

    if isinstance(node, nodes.Getattr) and node.attr == "value":
        inner = node.node
        if isinstance(inner, nodes.Getattr) and _is_m(inner.node):
            return inner.attr
    if isinstance(node, nodes.Getattr) and _is_m(node.node):
        return node.attr if not node.attr.startswith("_") else None
    return None


def _is_m(node: object) -> bool:
    from jinja2 import nodes

    return isinstance(node, nodes.Name) and node.name == "m" and node.ctx == "load"


def _snippet(text: str, line: int) -> str:
    lines = text.splitlines() or [text]
    return lines[min(line, len(lines)) - 1].strip()[:60]


def render(text: str, metrics: Mapping[str, Metric]) -> str:
    """Prose with its metric references filled in. Call only after ``references`` accepted it."""
    if not has_jinja(text):
        return text
    views = {key: MetricView(metric) for key, metric in metrics.items()}
    return environment().from_string(text).render(m=views)
