"""Metric references in the prose: found, checked and rendered.

Prose from YAML is data. It may name metrics (``{{ m.charging_piles }}``), their bare numbers
(``{{ m.charging_piles.value }}``) and their change on last year (``{{ m.charging_piles | yoy }}``)
and nothing else of Jinja: every other construct is refused before anything is rendered, and
rendering itself runs in Jinja's sandbox with StrictUndefined and only the metrics in scope.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from annual_report.model import METRIC_KEY, Metric
from annual_report.numbers import format_metric, format_number, yoy_phrase
from annual_report.unfinished import FILL_IN

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

REFERENCE = re.compile(
    r"\{\{(?P<before>-?\s*)m\.(?P<key>[^\W\d]\w*)"
    r"(?P<kind>\.value|\s*\|\s*yoy)?(?P<after>\s*-?)\}\}"
)
"""The three accepted spellings ``{{ m.key }}``, ``{{ m.key.value }}`` and ``{{ m.key | yoy }}``,
with the whitespace Jinja tolerates: for positions (the column of a reference, references masked
out of punctuation checks) and, spelled plainly (``PLAIN``), the fast path of
``parse_references``. Whether other prose is accepted is Jinja's parser's call."""
PLAIN = {
    "before": ("", " "),
    "kind": (None, ".value", "|yoy", " |yoy", "| yoy", " | yoy"),
    "after": ("", " "),
}
"""How the data spells a reference: at most one space, no trim marker (``{{-``), and a valid
metric key (``m.充电桩`` is found for its position, but Jinja's parser decides on it)."""
JINJA_START = re.compile(r"\{[{%#]")
BRACE = re.compile(r"[{}]")


def masked(text: str) -> str:
    """Metric references replaced by as many 〇 (a CJK character), so positions stay put and
    “达{{ m.x }},全” is still half-width punctuation inside Chinese text."""
    return REFERENCE.sub(lambda found: "〇" * len(found.group()), text)


def reference_offset(text: str, key: str) -> int | None:
    """Where ``{{ m.key }}`` (or ``.value``) starts in the prose: the column to report."""
    for found in REFERENCE.finditer(text):
        if found["key"] == key:
            return found.start()
    return None


def forbidden_offset(text: str) -> int | None:
    """Where the first Jinja that is not a metric reference starts, else the first brace
    outside every reference (``{ {m.x} }``, a stray ``}}}``)."""
    spans = [found.span() for found in REFERENCE.finditer(text)]
    allowed = {start for start, _ in spans}
    for found in JINJA_START.finditer(text):
        if found.start() not in allowed:
            return found.start()
    return next(
        (
            brace.start()
            for brace in BRACE.finditer(text)
            if not any(start <= brace.start() < end for start, end in spans)
        ),
        None,
    )


@dataclass(frozen=True)
class MetricView:
    """``m.key`` in the prose: prints as the written quantity; ``.value`` is the bare number;
    ``| yoy`` compares it with ``prior``, the same key in last year's data."""

    metric: Metric
    prior: Metric | None = None

    def __str__(self) -> str:
        return self.fill_in or format_metric(self.metric)

    @property
    def value(self) -> str:
        value = self.metric.value
        return self.fill_in or format_number(value or 0)

    @property
    def fill_in(self) -> str:
        """【待填：充电桩】 for a value still null: only a draft gets this far with one."""
        return FILL_IN.format(label=self.metric.label) if self.metric.value is None else ""


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
    return view.fill_in or yoy_phrase(view.metric, view.prior)


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


def parse_references(text: str) -> list[tuple[str, str]]:
    """(key, kind) for each reference, kind being "text", "value" or "yoy"; ProseError else.

    Text whose only braces are plainly spelled references is read with a regular expression;
    anything else goes to Jinja's own parser, which decides.
    """
    if "{" not in text and "}" not in text:
        return []
    found = list(REFERENCE.finditer(text))
    if all(plainly_spelled(reference) for reference in found):
        rest = REFERENCE.sub("", text)
        if "{" not in rest and "}" not in rest:  # spares validate Jinja's import
            return [(reference["key"], _kind(reference["kind"])) for reference in found]
    return _jinja_references(text)


def plainly_spelled(reference: re.Match[str]) -> bool:
    spelled = all(reference[part] in spellings for part, spellings in PLAIN.items())
    return spelled and re.match(METRIC_KEY, reference["key"]) is not None


def _kind(suffix: str | None) -> str:
    return "text" if suffix is None else "value" if suffix == ".value" else "yoy"


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
                if BRACE.search(node.data):  # { {m.x} }, }}}: Jinja's text, never ours
                    raise ProseError("stray_brace", _snippet(text, node.lineno), node.lineno)
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
    """What was refused, quoted from where it starts (``{{ m['key'] }}``, not the paragraph's
    first words); the line's start when no place is found."""
    offset = forbidden_offset(text)
    if offset is None:
        lines = text.splitlines() or [text]
        return lines[min(line, len(lines)) - 1].strip()[:SNIPPET]
    close = text.find("}}", offset)
    end = close + 2 if 0 <= close < offset + SNIPPET else offset + SNIPPET // 2
    after = (found.start() for found in REFERENCE.finditer(text) if found.start() > offset)
    return text[offset : min(end, next(after, end))].strip()  # not into the next reference


SNIPPET = 60


def render(
    text: str, metrics: Mapping[str, Metric], prior: Mapping[str, Metric] | None = None
) -> str:
    """Prose with its metric references filled in; ``prior`` is last year's metrics, for ``yoy``.
    Call only after ``references`` accepted it and validation checked its ``yoy`` references."""
    if not has_jinja(text):
        return text
    before = prior or {}
    if (filled := _render_plain(text, metrics, before)) is not None:
        return filled
    views = {key: MetricView(metric, before.get(key)) for key, metric in metrics.items()}
    return environment().from_string(text).render(m=views)


NEWLINE = re.compile(r"(\r\n|\r|\n)")
"""Jinja's own newline pattern: its lexer makes every line break ``\n`` and drops one at the end."""


def _render_plain(
    text: str, metrics: Mapping[str, Metric], prior: Mapping[str, Metric]
) -> str | None:
    """What Jinja would print for prose whose only braces are plainly spelled references to
    metrics it has, without compiling a template per text or a view of every metric for each
    (a build's cost grew with paragraphs × metrics); None for anything else, which Jinja
    renders. A key that is also a dict method (``m.items``) is Jinja's to resolve."""
    lines = NEWLINE.split(text)[::2]
    if lines[-1] == "":
        del lines[-1]
    source = "\n".join(lines)
    found = list(REFERENCE.finditer(source))
    for reference in found:
        key = reference["key"]
        if not plainly_spelled(reference) or key not in metrics or hasattr(dict, key):
            return None
    rest = REFERENCE.sub("", source)
    if "{" in rest or "}" in rest:
        return None

    def fill(reference: re.Match[str]) -> str:
        view = MetricView(metrics[reference["key"]], prior.get(reference["key"]))
        kind = _kind(reference["kind"])
        return str(view) if kind == "text" else view.value if kind == "value" else _yoy_filter(view)

    return REFERENCE.sub(fill, source)
