"""The outline stage: templates/outline.j2 decides the order of parts and the fixed phrases.

The template sees only rendered strings and emits one ``paragraph(...)`` call per line; each
call returns a JSON line, so the result is pure data that the layout stage turns into Word.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Literal

from annual_report.model import YearData
from annual_report.text import chinese_numeral, render

BlockStyle = Literal["title", "blank", "body", "heading1", "heading2", "signature", "date"]
RunRole = Literal["plain", "lead", "runin"]
BLOCK_STYLES: tuple[str, ...] = BlockStyle.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Run:
    """A stretch of one paragraph set in one way: plain text, a lead sentence, a run-in heading."""

    text: str
    role: RunRole = "plain"


@dataclass(frozen=True)
class Block:
    """One paragraph of the document, in document order."""

    style: BlockStyle
    runs: tuple[Run, ...] = ()

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


class OutlineError(ValueError):
    """The outline template is broken: a user-editable file, so a clear message, not a traceback."""


def paragraph(style: str, text: str = "", *, lead: str = "", runin: str = "") -> str:
    """The one call the outline template makes per paragraph; returns a JSON line."""
    if style not in BLOCK_STYLES:
        raise OutlineError(f"未知的段落样式 “{style}”，可用：{', '.join(BLOCK_STYLES)}")
    runs = [["runin", runin], ["lead", lead], ["plain", text]]
    return json.dumps({"style": style, "runs": [r for r in runs if r[1]]}, ensure_ascii=False)


def parse_blocks(rendered: str) -> list[Block]:
    """The template's output → blocks; any stray text outside ``paragraph()`` is an error."""
    blocks = []
    for number, line in enumerate(rendered.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            runs = tuple(Run(text, role) for role, text in item["runs"])
            blocks.append(Block(item["style"], runs))
        except (ValueError, KeyError, TypeError):
            raise OutlineError(
                f"大纲模板输出的第 {number} 行不是 paragraph(...) 的结果：{line.strip()[:40]}"
            ) from None
    return blocks


def render_outline(template_text: str, context: dict[str, Any]) -> list[Block]:
    """Run the outline template (sandboxed, StrictUndefined) over already-rendered text."""
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.globals.update(paragraph=paragraph, cn=chinese_numeral)
    try:
        rendered = env.from_string(template_text).render(**context)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f"第 {line} 行：" if line else ""
        raise OutlineError(f"大纲模板有误，{where}{exc.message or exc}") from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise OutlineError(f"大纲模板运行出错：{exc}") from None
    return parse_blocks(rendered)


@dataclass(frozen=True)
class ItemView:
    lead: str
    body: str


@dataclass(frozen=True)
class SectionView:
    heading: str
    intro: str
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class PlanView:
    heading: str
    body: str


@dataclass(frozen=True)
class ReportView:
    title: str  # with "\n" where title_lines break it (a line break in the same paragraph)
    organization: str
    preamble: str
    closing: str
    signature: str
    date: str


def outline_context(data: YearData, prior: YearData | None = None) -> dict[str, Any]:
    """What the outline template may see: the year's text with metrics filled in, nothing else.
    ``prior`` is last year's data, for ``{{ m.key | yoy }}`` (validate made sure it is there)."""
    metrics = data.metrics()
    before = prior.metrics() if prior is not None else None

    def fill(prose: str) -> str:
        return render(prose, metrics, before)

    report = data.report
    return {
        "year": data.year,
        "report": ReportView(
            title="\n".join(report.title_lines or [report.title]),
            organization=report.organization,
            preamble=fill(report.preamble),
            closing=fill(report.closing),
            signature=report.signature or "",
            date=_chinese_date(report.date) if report.date else "",
        ),
        "sections": [
            SectionView(
                heading=section.heading,
                intro=fill(section.intro) if section.intro else "",
                items=tuple(ItemView(fill(i.lead), fill(i.body)) for i in section.items),
            )
            for section in data.sections.values()
        ],
        "plans": [PlanView(fill(p.heading), fill(p.body)) for p in data.plans.items],
    }


def _chinese_date(day: dt.date) -> str:
    """成文日期 in Arabic digits without zero padding: 2023年1月6日."""
    return f"{day.year}年{day.month}月{day.day}日"
