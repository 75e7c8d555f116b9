"""The outline stage: templates/outline.j2 decides the order of parts and the fixed phrases.

The template sees only rendered strings and makes one ``paragraph(...)`` call per paragraph;
each call adds a checked ``Block`` to the list ``render_outline`` returns, plain data that the
layout stage turns into Word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from types import CodeType
from typing import Any, Literal, cast

from annual_report.blocks import BLOCK_STYLES, FORBIDDEN, Block, BlockStyle, Run, RunRole
from annual_report.errors import Problem, UserError, display_path
from annual_report.load.source import file_problem, text_position
from annual_report.model import (
    Heading,
    Item,
    Paragraph,
    Part,
    Plan,
    SectionFile,
    Table,
    YearData,
    node_lead,
    paragraphs,
)
from annual_report.numbers import chinese_numeral, format_metric, yoy_phrase
from annual_report.prose import render


class OutlineError(UserError):
    """The outline template is broken: a user-editable file, so a clear message, not a traceback.

    ``line`` is the template line when known, and ``detail`` the message without the file and
    line in front, for ``validate`` to show at ``file:line:col`` like the data's problems."""

    def __init__(self, message: str, *, line: int | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.detail = detail or message


_HINTS = {"\x0b": "（Word 中 Shift+Enter 的手动换行符？）", "\x0c": "（分页符？）"}


RUNIN_ROLES: dict[object, RunRole] = {2: "runin", 3: "runin3", 4: "runin4"}
"""A run-in heading's look by its level: （一） 楷体, 1. bold, （1） plain (the profile's runs)."""


def block(
    style: object, text: object = "", lead: object = "", runin: object = "", level: object = 2
) -> Block:
    """One ``paragraph(...)`` call of the template, checked: a known style and texts that are
    text (a number or a list would otherwise reach python-docx and fail there)."""
    if not isinstance(style, str) or style not in BLOCK_STYLES or style == "table":
        raise OutlineError(
            f"未知的段落样式 “{style}”，可用：{', '.join(BLOCK_STYLES)}（unknown paragraph style）"
        )
    if level not in RUNIN_ROLES:
        raise OutlineError(f"paragraph(...) 的 level 只能是 2、3、4，实际为 {level}")
    arguments: tuple[tuple[RunRole, str, object], ...] = (
        (RUNIN_ROLES[level], "runin", runin),
        ("lead", "lead", lead),
        ("plain", "text", text),
    )
    runs: list[Run] = []
    for role, name, value in arguments:
        if not isinstance(value, str):
            shown = str(value)  # an undefined name raises its own UndefinedError here
            raise OutlineError(
                f'paragraph("{style}", …) 的 {name} 应为文字，实际为 {type(value).__name__}'
                f'（{shown[:40]}）；数字请先转为文字，如 year ~ "年"'
            )
        if found := FORBIDDEN.search(value):
            char = found.group()
            raise OutlineError(
                f'paragraph("{style}", …) 的 {name} 第 {found.start() + 1} 个字符是 '
                f"U+{ord(char):04X}，Word 文档不能容纳这个字符{_HINTS.get(char, '')}，请删去"
                f"（character U+{ord(char):04X} is not allowed in a .docx）"
            )
        if value:
            runs.append(Run(value, role))
    return Block(cast(BlockStyle, style), tuple(runs))


def render_outline(
    template_text: str, context: dict[str, Any], name: str = "outline.j2"
) -> list[Block]:
    """Run the outline template (sandboxed, StrictUndefined) over already-rendered text;
    ``name`` is the template file as the messages show it.

    Each ``paragraph(...)`` call adds its block to this run's list and prints nothing, so the
    blocks never travel as text (no escaping, no line splitting: a title may hold any character
    the data may) and whatever the template prints outside the calls is stray text, refused.
    """
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    blocks: list[Block] = []

    def paragraph(
        style: object = None,
        text: object = "",
        *extra: object,
        lead: object = "",
        runin: object = "",
        level: object = 2,
        **unknown: object,
    ) -> str:
        if extra or unknown:
            given = ", ".join([*map(repr, extra), *(f"{k}=…" for k in unknown)])
            raise OutlineError(
                f"paragraph(...) 多了参数 {given}；"
                "写法：paragraph(样式, 文字, lead=…, runin=…, level=…)"
            )
        blocks.append(block(style, text, lead, runin, level))
        return ""

    def table(view: object) -> str:
        if not isinstance(view, TableView):
            raise OutlineError(f"table(...) 应写 table(entry.table)，实际为 {type(view).__name__}")
        if view.caption:
            blocks.append(block("caption", view.caption))
        blocks.append(Block("table", rows=view.rows, header=view.header))
        return ""

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.globals.update(paragraph=paragraph, table=table, cn=chinese_numeral)
    try:
        template = env.template_class.from_code(
            env, _compiled(template_text), env.make_globals(None), None
        )
        rendered = template.render(**context)
    except OutlineError as exc:
        raise _located(name, exc, str(exc)) from None
    except TemplateError as exc:
        detail = _undefined_hint(exc, context) or str(exc.message or exc)
        raise _located(name, exc, detail, getattr(exc, "lineno", None)) from None
    except RecursionError as exc:
        detail = "调用层次过深（宏或 include 是否调用了自身？）（recursion too deep）"
        raise _located(name, exc, detail) from None
    except Exception as exc:  # the template is the office's file: whatever it raises is its error
        detail = f"运行出错：{type(exc).__name__}: {exc}"
        raise _located(name, exc, detail) from None
    stray = rendered.strip()
    if stray:
        first = stray.splitlines()[0][:40]
        line = _stray_line(template_text, first)
        detail = (
            f"在 paragraph(...) 之外输出了文字：“{first}”（每个段落须由 paragraph(...) 写出）"
            "（text outside paragraph(...)）"
        )
        where = f"第 {line} 行：" if line else ""
        raise OutlineError(f"大纲模板 {name} {where}{detail}", line=line, detail=detail)
    if not any(b.text for b in blocks):  # empty, commented out, or only blank paragraphs
        detail = f"{NO_PARAGRAPH}，生成的文档会是空白的；{ONE_CALL_EACH}"
        raise OutlineError(f"大纲模板 {name} {detail}", detail=detail)
    return blocks


@lru_cache(maxsize=4)
def _compiled(template_text: str) -> CodeType:
    """The outline compiled once for every year of a build (what ``from_string`` compiles each
    time): the code does not depend on the globals each run gives it."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    return env.compile(template_text)


NO_PARAGRAPH = "没有写出任何段落（文件为空？）"
ONE_CALL_EACH = "每个段落须由 paragraph(...) 写出（the outline writes no paragraph）"


def template_problems(path: Path, text: str) -> list[Problem]:
    """What is wrong with the template before it runs, each at its line: a character a .docx
    cannot hold, a syntax error, no ``paragraph(...)`` call at all (said without any data; with
    data, ``render_outline`` also refuses an outline whose paragraphs come out empty)."""
    from jinja2 import Environment, TemplateSyntaxError, nodes

    problems = []
    if found := FORBIDDEN.search(text):
        line, column = text_position(text, found.start())
        code = f"U+{ord(found.group()):04X}"
        english = (
            f"大纲模板含有 Word 文档不能容纳的字符 {code}（Word 的 Shift+Enter 换行符是 U+000B），"
            f"请删去（character {code} not allowed in a .docx）"
        )
        problems.append(file_problem(path, "outline_char", english, line, column))
    try:
        tree = Environment().parse(text)  # the syntax only: the sandbox matters when it runs
    except TemplateSyntaxError as exc:
        english = f"大纲模板语法错误：{exc.message}（outline template syntax error）"
        return [*problems, file_problem(path, "outline_syntax", english, exc.lineno or 1)]
    calls = (call.node for call in tree.find_all(nodes.Call))
    if not any(isinstance(node, nodes.Name) and node.name == "paragraph" for node in calls):
        english = f"大纲模板{NO_PARAGRAPH}：{ONE_CALL_EACH}"
        problems.append(file_problem(path, "outline_empty", english))
    return problems


def render_problems(path: Path, text: str, contexts: dict[int, dict[str, Any]]) -> list[Problem]:
    """The outline rendered with each year's context as build renders it; one problem per
    distinct error, naming the years it stops."""
    stopped: dict[tuple[int, str], list[int]] = {}
    for year, context in contexts.items():
        try:
            render_outline(text, context, display_path(path))
        except OutlineError as exc:
            stopped.setdefault((exc.line or 1, exc.detail), []).append(year)
    return [
        file_problem(
            path,
            "outline_render",
            f"按 {'、'.join(map(str, years))} 年数据生成时出错（build would stop）：{detail}",
            line,
        )
        for (line, detail), years in stopped.items()
    ]


def _template_line(exc: BaseException) -> int | None:
    """The template line an error was raised at: Jinja rewrites the traceback so the template's
    frames carry its own line numbers under the file name ``<template>``."""
    line, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _located(name: str, exc: BaseException, detail: str, line: int | None = None) -> OutlineError:
    """The error as build prints it (file and line in front) and as validate places it."""
    line = line or getattr(exc, "line", None) or _template_line(exc)
    detail = getattr(exc, "detail", None) or detail
    where = f"第 {line} 行：" if line else ""
    return OutlineError(f"大纲模板 {name} 有误，{where}{detail}", line=line, detail=detail)


_NO_ATTRIBUTE = re.compile(r"^'(?:[\w.]+\.)?(\w+) object' has no attribute '([^']*)'$")
_UNDEFINED = re.compile(r"^'([^']*)' is undefined$")


def _undefined_hint(exc: BaseException, context: dict[str, Any]) -> str | None:
    """An undefined name or attribute (StrictUndefined), with the valid name it most likely
    meant: ``report.closng`` → ``report.closing``."""
    from jinja2 import UndefinedError

    from annual_report.errors import closest

    if not isinstance(exc, UndefinedError):
        return None
    said = str(exc.message or exc)
    if found := _NO_ATTRIBUTE.match(said):
        view = _VIEWS.get(found.group(1))
        if view is None:
            return None
        shown, fields = view
        wrong = found.group(2)
        guess = closest(wrong, list(fields))
        hint = f"，您是否想写 “{guess}”？" if guess else "；"
        return (
            f"{shown} 没有 “{wrong}” 这一项{hint}{shown} 可用：{'、'.join(fields)}"
            f"（{shown} has no attribute '{wrong}'"
            + (f"; did you mean '{guess}'?）" if guess else "）")
        )
    if found := _UNDEFINED.match(said):
        wrong = found.group(1)
        known = [*context, "paragraph", "table", "cn", "loop"]
        guess = closest(wrong, known)
        hint = f"，您是否想写 {guess}？" if guess else "；"
        return (
            f"没有名为 “{wrong}” 的变量{hint}可用：{'、'.join(dict.fromkeys(known))}"
            f"（'{wrong}' is undefined" + (f"; did you mean '{guess}'?）" if guess else "）")
        )
    return None


def _stray_line(template_text: str, stray: str) -> int | None:
    """The template line that printed text outside ``paragraph(...)``: the literal text that
    holds it, or else the first ``{{ … }}`` that is not a paragraph call."""
    from jinja2 import Environment, TemplateSyntaxError, nodes

    try:
        tree = Environment().parse(template_text)
    except TemplateSyntaxError:
        return None
    literal: list[int] = []
    printed: list[int] = []
    for output in tree.find_all(nodes.Output):
        for node in output.nodes:
            if isinstance(node, nodes.TemplateData):
                data = node.data
                text = data.strip()
                if text and (stray in data or stray.startswith(text[:40])):
                    lead = len(data) - len(data.lstrip())
                    literal.append(node.lineno + data.count("\n", 0, lead))
            elif not (
                isinstance(node, nodes.Call)
                and isinstance(node.node, nodes.Name)
                and node.node.name == "paragraph"
            ):
                printed.append(node.lineno)
    found = literal or printed
    return min(found) if found else None


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
class TableView:
    caption: str
    rows: tuple[tuple[str, ...], ...]
    header: bool
    """Whether the first row is a header row (a metric table's always is)."""


@dataclass(frozen=True)
class EntryView:
    """A heading (level 2 （一）, 3 1., 4 （1）; ``index`` its number among its sibling
    headings; ``body`` makes it run-in), a paragraph (``lead`` optional) or a table."""

    kind: Literal["heading", "paragraph", "table"]
    level: int = 0
    index: int = 0
    heading: str = ""
    lead: str = ""
    body: str = ""
    items: tuple[EntryView, ...] = ()
    table: TableView | None = None


@dataclass(frozen=True)
class PartView:
    kind: str  # summary, plain or plans
    title: str  # as the data gives it, without year; "" for the outline's own phrase
    intro: tuple[str, ...]
    items: tuple[EntryView, ...]


@dataclass(frozen=True)
class ReportView:
    title: str  # with "\n" where title_lines break it (a line break in the same paragraph)
    organization: str
    preamble: tuple[str, ...]
    closing: tuple[str, ...]
    signature: str
    date: str


_VIEWS: dict[str, tuple[str, tuple[str, ...]]] = {
    view.__name__: (shown, tuple(f.name for f in fields(view)))
    for view, shown in (
        (ReportView, "report"),
        (SectionView, "section"),
        (ItemView, "item"),
        (PlanView, "plan"),
        (PartView, "part"),
        (EntryView, "entry"),
        (TableView, "table"),
    )
}
"""What the template sees, by class name as Jinja's errors show it: the name the default outline
gives it and its fields, to suggest the one a typo meant."""


def outline_context(data: YearData, prior: YearData | None = None) -> dict[str, Any]:
    """What the outline template may see: the year's text with metrics filled in, nothing else.
    ``prior`` is last year's data, for ``{{ m.key | yoy }}`` (validate made sure it is there).

    ``parts`` is the whole document; ``sections`` and ``plans`` are the seed's shape seen the
    way outlines written before parts existed see it."""
    views = _Views(data, prior)
    report = data.report
    parts = [views.part(part) for part in report.outline()]
    return {
        "year": data.year,
        "report": ReportView(
            title="\n".join(report.title_lines or [report.title]),
            organization=report.organization,
            preamble=tuple(map(views.fill, paragraphs(report.preamble))),
            closing=tuple(map(views.fill, paragraphs(report.closing))),
            signature=report.signature or "",
            date=_chinese_date(report.date) if report.date else "",
        ),
        "parts": parts,
        "sections": [
            SectionView(
                heading=section.heading,
                intro="".join(map(views.fill, paragraphs(section.intro))),
                items=tuple(
                    ItemView(fill(node_lead(i)) if isinstance(i, Item) else "", fill(_body(i)))
                    for i in section.items
                    if isinstance(i, Item | Paragraph)
                    for fill in [views.fill]
                ),
            )
            for section in data.sections.values()
        ],
        "plans": [
            PlanView(views.fill(p.heading), views.fill(p.body or ""))
            for p in (data.plans.items if data.plans else [])
        ],
    }


def _body(node: Item | Paragraph) -> str:
    return node.body if isinstance(node, Item) else node.text


class _Views:
    """The year's files as the template's views, prose rendered with the year's metrics."""

    def __init__(self, data: YearData, prior: YearData | None) -> None:
        self.data = data
        self.metrics = data.metrics()
        self.before = prior.metrics() if prior is not None else None

    def fill(self, text: str) -> str:
        return render(text, self.metrics, self.before)

    def part(self, part: Part) -> PartView:
        intro = [*paragraphs(part.intro)]
        if part.sections is not None:
            items = tuple(
                self._heading(section, 2, i + 1) for i, section in enumerate(
                    self.data.sections[stem] for stem in part.sections
                )
            )  # fmt: skip
        else:
            top = self.data.file(str(part.file))
            intro += paragraphs(top.intro)
            items = self.entries(top.items, part.top_level())
        return PartView(part.kind, part.title or "", tuple(map(self.fill, intro)), items)

    def _heading(self, node: SectionFile | Heading | Plan, level: int, index: int) -> EntryView:
        heading = self.fill(node.heading) if isinstance(node, Plan) else node.heading
        items = self.entries(node.items, level + 1)
        if isinstance(node, SectionFile):
            intro = tuple(EntryView("paragraph", body=self.fill(t)) for t in paragraphs(node.intro))
            items = intro + items
        body = self.fill(node.body) if node.body is not None else ""
        return EntryView("heading", level, index, heading, body=body, items=items)

    def entries(self, items: Sequence[Any], level: int) -> tuple[EntryView, ...]:
        found: list[EntryView] = []
        for node in items:
            if isinstance(node, Heading | Plan):
                index = sum(1 for view in found if view.kind == "heading") + 1
                found.append(self._heading(node, level, index))
            elif isinstance(node, Item):
                found.append(EntryView("paragraph", lead=self.fill(node.lead),
                                       body=self.fill(node.body)))  # fmt: skip
            elif isinstance(node, Paragraph):
                found.append(EntryView("paragraph", body=self.fill(node.text)))
            else:
                found.append(EntryView("table", table=self.table(node.table)))
        return tuple(found)

    def table(self, table: Table) -> TableView:
        if table.rows is not None:
            rows = [tuple(table.header)] if table.header else []
            rows += [tuple(row) for row in table.rows]
            return TableView(table.caption or "", tuple(rows), table.header is not None)
        header = ("指标", "单位", f"{self.data.year}年") + (("同比",) if table.yoy else ())
        body: list[tuple[str, ...]] = []
        for key in table.metrics or []:
            metric = self.metrics[key]
            cells: tuple[str, ...] = (
                metric.label,
                metric.unit,
                format_metric(metric.model_copy(update={"unit": ""})),
            )
            if table.yoy:
                prior = (self.before or {}).get(key)
                cells += (yoy_phrase(metric, prior).removeprefix("同比"),)
            body.append(cells)
        return TableView(table.caption or "", (header, *body), True)


def _chinese_date(day: dt.date) -> str:
    """成文日期 in Arabic digits without zero padding: 2023年1月6日."""
    return f"{day.year}年{day.month}月{day.day}日"
