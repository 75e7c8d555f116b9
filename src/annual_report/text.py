"""The text stage: metric references in the prose become the numbers as Chinese writes them.

Prose from YAML is data. It may name metrics (``{{ m.charging_piles }}``), their bare numbers
(``{{ m.charging_piles.value }}``) and their change on last year (``{{ m.charging_piles | yoy }}``)
and nothing else of Jinja: every other construct is refused before anything is rendered, and
rendering itself runs in Jinja's sandbox with StrictUndefined and only the metrics in scope.

同比 (year on year), the one rounding rule: the change in per cent, (new − old) / old × 100,
computed in decimal from the numbers as typed and rounded to one decimal place, half up
(12.25 → 12.3, −3.04 → −3.0). Wording:
- equal values (including 0 → 0): 与上年持平;
- a change that rounds to 0.0: 与上年基本持平;
- otherwise 同比增长12.5% / 同比下降3.0% (always one decimal);
- a metric whose unit is % compares in percentage points: 同比提高0.5个百分点 / 同比降低1.2个百分点;
- a prior value of 0 (to anything but 0), a missing prior year or metric, or a unit that changed
  are validation errors (see ``yoy_problem``), never a made-up figure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache
from typing import TYPE_CHECKING

from annual_report.model import APPROX_AFTER_UNIT, APPROX_AFTER_VALUE, APPROX_BEFORE, Metric

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

DIGITS = "零一二三四五六七八九"
SMALL_UNITS = ("", "十", "百", "千")
ROUND_HUNDREDS = ("一百", "一千", "一万")
"""The numerals that drop their 一 before 余/多 (百余处); 十 has none to drop."""


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


def as_decimal(value: int | float) -> Decimal:
    """The number as typed (1354, 98.5), exact: what 同比 and rates are computed from.

    A float goes through its shortest repr, so 0.1 is Decimal("0.1"), not the binary
    0.1000000000000000055511… the float holds."""
    decimal = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    return decimal if decimal else abs(decimal)  # -0.0 passes ge=0: print it as 0.0


def format_number(value: int | float) -> str:
    """The number as typed in the data: 1354, 98.5, 0.0001 (never 98.50000001 or 1e-04)."""
    return format(as_decimal(value), "f")


PRECISION = 400
"""Decimal digits for 同比 and rates: enough that differences and quotients of any two values the
model accepts (0 to 10**15, fractions down to the smallest float) keep every digit up to the
tenth before the one rounding. The default 28 could not: a change of 10**30 % to a tenth raised
InvalidOperation, and a long quotient was rounded twice."""

TENTH = Decimal("0.1")


def round_tenth(value: Decimal) -> Decimal:
    """The one rounding rule of 同比, percentage points and rates: one decimal, half up."""
    with localcontext(prec=PRECISION):
        return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def percent(part: int | float, whole: int | float) -> Decimal | None:
    """``part / whole × 100`` rounded by ``round_tenth``; None when ``whole`` is 0."""
    if not whole:
        return None
    with localcontext(prec=PRECISION):
        return round_tenth(as_decimal(part) / as_decimal(whole) * 100)


UNFILLED = "待填"
"""How a value ``init`` left empty reads in messages and diffs (never in a document)."""


def format_metric(metric: Metric) -> str:
    """近20万人次 · 20余场 · 98.5%以上 · 1354个 · 百余处; 待填 for a value still to fill in."""
    if metric.value is None:
        return UNFILLED
    number = format_number(metric.value)
    if metric.numerals == "chinese" and isinstance(metric.value, int):
        number = chinese_numeral(metric.value)
        if metric.approx in APPROX_AFTER_VALUE and number in ROUND_HUNDREDS:
            number = number[1:]  # 百余、千余、万余; but 一千二百余 keeps its 一
    approx = metric.approx or ""
    if approx in APPROX_BEFORE:
        return f"{approx}{number}{metric.unit}"
    if approx in APPROX_AFTER_VALUE:
        return f"{number}{approx}{metric.unit}"
    if approx in APPROX_AFTER_UNIT:
        return f"{number}{metric.unit}{approx}"
    return f"{number}{metric.unit}"


def yoy_percent(old: int | float, new: int | float) -> Decimal | None:
    """同比 in per cent, rounded to one decimal half up; None when the prior value is 0."""
    before, after = as_decimal(old), as_decimal(new)
    if before == 0:
        return None
    with localcontext(prec=PRECISION):
        return round_tenth((after - before) / before * 100)


def _points(old: int | float, new: int | float) -> Decimal:
    with localcontext(prec=PRECISION):
        return round_tenth(as_decimal(new) - as_decimal(old))


def yoy_problem(current: Metric, prior: Metric | None) -> str | None:
    """Why ``current | yoy`` cannot be said (an error code of messages.yaml), or None."""
    if prior is None:
        return "yoy_missing_key"
    if prior.value is None:
        return "yoy_prior_null"
    if current.unit != prior.unit:
        return "yoy_unit"
    if current.value is not None and prior.value == 0 and current.value != 0:
        return "yoy_from_zero"
    return None


def yoy_phrase(current: Metric, prior: Metric | None) -> str:
    """同比增长12.5% · 同比下降3.0% · 与上年持平 · 同比提高0.5个百分点 (rules in the module doc)."""
    problem = yoy_problem(current, prior)
    if problem is not None or prior is None or current.value is None or prior.value is None:
        raise YoyError(problem or "yoy_prior_null", current.label)
    if as_decimal(current.value) == as_decimal(prior.value):
        return "与上年持平"
    if current.unit == "%":
        points = _points(prior.value, current.value)
        if points == 0:
            return "与上年基本持平"
        word = "提高" if points > 0 else "降低"
        return f"同比{word}{abs(points)}个百分点"
    change = yoy_percent(prior.value, current.value)
    assert change is not None  # prior 0 → new 0 was 持平, → anything else is yoy_from_zero
    if change == 0:
        return "与上年基本持平"
    word = "增长" if change > 0 else "下降"
    return f"同比{word}{abs(change)}%"


class YoyError(ValueError):
    """``| yoy`` rendered without a usable prior value: validation should have refused it."""

    def __init__(self, code: str, label: str) -> None:
        super().__init__(f"{label}: 无法计算同比 ({code})")
        self.code = code


@dataclass(frozen=True)
class MetricView:
    """``m.key`` in the prose: prints as the written quantity; ``.value`` is the bare number;
    ``| yoy`` compares it with ``prior``, the same key in last year's data."""

    metric: Metric
    prior: Metric | None = None

    def __str__(self) -> str:
        return format_metric(self.metric)

    @property
    def value(self) -> str:
        value = self.metric.value
        return UNFILLED if value is None else format_number(value)  # null: refused before render


class ProseError(ValueError):
    """The prose holds Jinja other than a metric reference, or malformed Jinja."""

    def __init__(self, code: str, detail: str, line: int = 1) -> None:
        super().__init__(detail)
        self.code, self.detail, self.line = code, detail, line


@cache
def environment() -> ImmutableSandboxedEnvironment:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.filters["yoy"] = _yoy_filter
    return env


def _yoy_filter(view: MetricView) -> str:
    if not isinstance(view, MetricView):
        raise TypeError("yoy applies to a metric: {{ m.key | yoy }}")
    return yoy_phrase(view.metric, view.prior)


def has_jinja(text: str) -> bool:
    return "{" in text


def references(text: str) -> list[str]:
    """The metric keys a prose text names, in order; ProseError for anything but references."""
    return [key for key, _ in parse_references(text)]


def yoy_references(text: str) -> list[str]:
    """The metric keys a prose text compares with last year (``m.key | yoy``)."""
    return [key for key, kind in parse_references(text) if kind == "yoy"]


REFERENCE_TOKENS = frozenset(
    ("data", "whitespace", "name", "variable_begin", "variable_end", "operator")
)
"""The lexer's tokens a reference is made of; anything else (a block, ``raw``, a comment, a
bracket, a literal) is refused before Jinja parses the text."""
SPELLINGS = {"variable_begin": ("{{",), "variable_end": ("}}",), "operator": (".", "|")}
"""…and how those may be spelled: no trim marker (``{{-`` would eat the prose's own spaces and
line breaks), no operator but the dot and the pipe."""

SIMPLE_REFERENCE = re.compile(r"\{\{ ?m\.([a-z][a-z0-9_]*)(\.value| ?\| ?yoy)? ?\}\}")
"""The forms the data uses, spelled plainly: the fast path that spares validate Jinja's import."""
_KINDS = {"": "text", ".value": "value"}


def parse_references(text: str) -> list[tuple[str, str]]:
    """(key, kind) for each reference, kind being "text", "value" or "yoy"; ProseError else.

    Text whose only braces are plainly spelled references is read with a regular expression;
    anything else goes to Jinja's own parser, which decides.
    """
    if "{" not in text and "}" not in text:
        return []
    rest = SIMPLE_REFERENCE.sub("", text)
    if "{" not in rest and "}" not in rest:
        return [(k, _KINDS.get(kind, "yoy")) for k, kind in SIMPLE_REFERENCE.findall(text)]
    return _jinja_references(text)


def _jinja_references(text: str) -> list[tuple[str, str]]:
    from jinja2 import TemplateSyntaxError, nodes

    env = environment()
    try:
        for line, kind, value in env.lex(text):
            if not _reference_token(kind, value):
                raise ProseError("jinja_forbidden", _snippet(text, line), line)
        tree = env.parse(text)
    except TemplateSyntaxError as exc:
        raise ProseError("jinja_syntax", exc.message or str(exc), exc.lineno) from None
    keys: list[tuple[str, str]] = []
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


def _reference_token(kind: str, value: str) -> bool:
    return kind in REFERENCE_TOKENS and value in SPELLINGS.get(kind, (value,))


def _reference_key(node: object) -> tuple[str, str] | None:
    """``m.key``, ``m.key.value`` or ``m.key | yoy`` → (key, kind); anything else → None."""
    from jinja2 import nodes

    if (
        isinstance(node, nodes.Filter)
        and node.name == "yoy"
        and not (node.args or node.kwargs or node.dyn_args or node.dyn_kwargs)
    ):
        inner = _reference_key(node.node)
        return (inner[0], "yoy") if inner and inner[1] == "text" else None
    if isinstance(node, nodes.Getattr) and node.attr == "value":
        owner = node.node
        if isinstance(owner, nodes.Getattr) and _is_m(owner.node):
            return (owner.attr, "value") if not owner.attr.startswith("_") else None
    if isinstance(node, nodes.Getattr) and _is_m(node.node):
        return (node.attr, "text") if not node.attr.startswith("_") else None
    return None


def _is_m(node: object) -> bool:
    from jinja2 import nodes

    return isinstance(node, nodes.Name) and node.name == "m" and node.ctx == "load"


def _snippet(text: str, line: int) -> str:
    lines = text.splitlines() or [text]
    return lines[min(line, len(lines)) - 1].strip()[:60]


def render(
    text: str, metrics: Mapping[str, Metric], prior: Mapping[str, Metric] | None = None
) -> str:
    """Prose with its metric references filled in; ``prior`` is last year's metrics, for ``yoy``.
    Call only after ``references`` accepted it and validation checked its ``yoy`` references."""
    if not has_jinja(text):
        return text
    before = prior or {}
    views = {key: MetricView(metric, before.get(key)) for key, metric in metrics.items()}
    return environment().from_string(text).render(m=views)
