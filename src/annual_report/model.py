"""The schema, in one place: what each data file may hold.

Strict and closed (``extra="forbid"``) so a typo in a key or a number typed as text is an error
at its line, never a silently different document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict
from pydantic_core import InitErrorDetails, PydanticCustomError

METRIC_KEY = r"^[a-z][a-z0-9_]*$"
MetricKey = Annotated[str, StringConstraints(pattern=METRIC_KEY, max_length=64)]
PlanId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$", max_length=64)]
Prose = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Line = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Year = Annotated[int, Field(ge=1949, le=2200)]

MAX_VALUE = 10**15
"""The largest metric value: far above any count a 街道 reports, and small enough that every value
prints without an exponent and 同比 computes exactly."""
CHINESE_LIMIT = 100_000_000
"""``numerals: chinese`` writes integers below 一亿 (numbers.chinese_numeral)."""


def _number_kind(value: object) -> str:
    return "float" if isinstance(value, float | Decimal) else "int"


# A count (1354) or a measure (98.5), told apart by the type YAML gave it, so a wrong float is
# reported by the float rules (finite_number, less_than_equal) rather than as "not an integer".
# A measure is a Decimal of the digits as typed (load keeps them: 98.50 prints 98.50, and
# 3.14159265358979323846 keeps every digit); only a float or Decimal reaches that member.
Number = Annotated[
    Annotated[Annotated[int, Field(ge=-MAX_VALUE, le=MAX_VALUE)], Tag("int")]
    | Annotated[
        Annotated[Decimal, Field(ge=-MAX_VALUE, le=MAX_VALUE, allow_inf_nan=False, strict=False)],
        Tag("float"),
    ],
    Discriminator(_number_kind),
    # JSON Schema's oneOf would refuse 1354 (both an integer and a number): say anyOf. Below 0
    # only for a signed metric (Metric._sign_said): the schema says so with if/then.
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": -MAX_VALUE, "maximum": MAX_VALUE},
                {"type": "number", "minimum": -MAX_VALUE, "maximum": MAX_VALUE},
            ]
        }
    ),
]
_UNSIGNED_SCHEMA: JsonDict = {
    "if": {"not": {"required": ["signed"], "properties": {"signed": {"const": True}}}},
    "then": {"properties": {"value": {"anyOf": [{"type": "null"}, {"minimum": 0}]}}},
}
"""A value below 0 only where the metric says ``signed: true`` (a change, 同比-6.2%)."""

# Where the approximation word stands: 近20万人次 · 20余场 · 98.5%以上.
APPROX_BEFORE = ("近", "约", "超", "逾", "超过")
APPROX_AFTER_VALUE = ("余", "多")
APPROX_AFTER_UNIT = ("以上", "左右", "以内")
Approx = Literal["近", "约", "超", "逾", "超过", "余", "多", "以上", "左右", "以内"]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Metric(Strict):
    """A number the prose tells: validated once, rendered where the text names it, diffed by key."""

    model_config = ConfigDict(json_schema_extra=_UNSIGNED_SCHEMA)

    label: Line = Field(description="指标名称，如“充电桩”")
    # null is what `init` writes for a value still to fill in: the model accepts it so the whole
    # year can be checked at once, and validate/build refuse it with its line (unfinished.problems).
    value: Number | None = Field(
        description="数值（不含单位与约数词），0 到 10^15；null 表示尚未填写（validate 会报错）",
    )
    # Required, so a deleted ``unit:`` is an error, not 充电桩1354: a bare number says ``unit: ""``.
    unit: str = Field(max_length=20, description='单位，如“个”“万人次”“%”；不带单位的数写 ""')
    approx: Approx | None = Field(default=None, description="约数词：近、余、以上……")
    numerals: Literal["arabic", "chinese"] = Field(
        default="arabic", description="数字写法：arabic（1354）或 chinese（百余，限小于一亿的整数）"
    )
    signed: bool = Field(
        default=False,
        description="带符号的变化量（如同比-6.2%）：true 时数值可以小于 0；计数不要写",
    )

    @model_validator(mode="after")
    def _sign_said(self) -> Metric:
        """A count is never below 0: a negative value is a change, and says ``signed: true``."""
        value = self.value
        if self.signed or value is None or value >= 0:
            return self
        error = PydanticCustomError(
            "greater_than_equal",
            "Input should be greater than or equal to {ge} (signed: true allows a change below 0)",
            {"ge": 0},
        )
        detail = InitErrorDetails(type=error, loc=("value",), input=value)
        raise ValidationError.from_exception_data(type(self).__name__, [detail])

    @model_validator(mode="after")
    def _chinese_numerals_fit(self) -> Metric:
        """百余 is written for whole numbers from 0 to below 一亿 only (a signed change has no such
        numeral); the error stands at the value."""
        value = self.value
        if self.numerals != "chinese" or value is None:
            return self
        if isinstance(value, int) and 0 <= value < CHINESE_LIMIT:
            return self
        error = PydanticCustomError(
            "chinese_numerals",
            "numerals: chinese needs a whole number from 0 below 10**8, got {input}",
            {"input": value},
        )
        detail = InitErrorDetails(type=error, loc=("value",), input=value)
        raise ValidationError.from_exception_data(type(self).__name__, [detail])


Metrics = dict[MetricKey, Metric]


def empty_dict() -> dict[Any, Any]:
    """The default of a mapping field. ``default_factory=dict`` would do, but pydantic reads a
    builtin's signature from its text, and the tokenizer that takes compiles its patterns
    (~10 ms of every start-up)."""
    return {}


def empty_list() -> list[Any]:
    """The default of a list field, for the reason given in :func:`empty_dict`."""
    return []


Stem = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Paragraphs = Prose | list[Prose]
"""One paragraph, or several (a list): a preamble, a closing, an intro."""
Cell = Annotated[str, StringConstraints(max_length=200)]
Loc = tuple[str | int, ...]


def paragraphs(value: str | list[str] | None) -> list[str]:
    """The paragraphs of a ``Paragraphs`` field, as a list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def paragraph_locs(field: str, value: str | list[str] | None) -> list[tuple[Loc, str]]:
    """(field path, text) of each paragraph: ``(field,)`` for one, ``(field, i)`` for a list."""
    if isinstance(value, str):
        return [((field,), value)]
    return [((field, i), text) for i, text in enumerate(value or [])]


def _refuse(model: str, code: str, english: str, loc: Loc, value: object, **ctx: object) -> None:
    """Raise a positioned error of our own catalogue from a model validator."""
    error = PydanticCustomError(code, english, dict(ctx))
    detail = InitErrorDetails(type=error, loc=loc, input=value)
    raise ValidationError.from_exception_data(model, [detail])


# The fields every kind of paragraph may carry, said once (a default stays beside each use:
# pydantic takes none inside Annotated but a factory).
EntryId = Annotated[PlanId | None, Field(description="稳定标识，供 diff 跨年比对")]
ParagraphMetrics = Annotated[
    Metrics, Field(default_factory=empty_dict, description="本段讲到的指标")
]
PlanRef = Annotated[PlanId | None, Field(description="本段落实的上年计划 id")]
Unchanged = Annotated[
    bool, Field(description="与上年一字不差、有意沿用：validate 不再提示（默认 false）")
]


class Item(Strict):
    """One paragraph of the summary: a lead sentence set off in bold, then the body."""

    id: EntryId = None
    lead: Line = Field(description="段首主旨句，如“产业结构布局持续优化。”")
    body: Prose = Field(description="正文，可引用指标 {{ m.key }}")
    metrics: ParagraphMetrics
    plan: PlanRef = None
    unchanged: Unchanged = False


class Paragraph(Strict):
    """A paragraph with no lead sentence (写法：``- text: 一段正文……``)."""

    id: EntryId = None
    text: Prose = Field(description="不带段首主旨句的一段正文，可引用指标 {{ m.key }}")
    metrics: ParagraphMetrics
    plan: PlanRef = None
    unchanged: Unchanged = False


class Table(Strict):
    """A table: rows of metrics by key (指标 单位 本年 [同比]), or literal cells."""

    caption: Line | None = Field(default=None, description="表题（可选），居中写在表上方")
    metrics: list[MetricKey] | None = Field(
        default=None, min_length=1, description="指标表：每行一个指标键，列为指标、单位、数值"
    )
    yoy: bool = Field(default=False, description="指标表加“同比”列（须有上年同一指标）")
    header: list[Cell] | None = Field(default=None, min_length=1, description="文字表的表头行")
    rows: list[Annotated[list[Cell], Field(min_length=1)]] | None = Field(
        default=None, min_length=1, description="文字表的各行，每行是若干单元格"
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Table:
        """Metrics or rows, never both; every row as wide as the header (or the first row)."""
        name = type(self).__name__
        if (self.metrics is None) == (self.rows is None):
            _refuse(name, "table_kind", "a table has metrics or rows", ("metrics",), None)
        if self.rows is None:
            if self.header is not None:
                _refuse(name, "table_header", "header is for rows", ("header",), self.header)
            return self
        if self.yoy:
            _refuse(name, "table_yoy", "yoy is for a metric table", ("yoy",), self.yoy)
        width = len(self.header) if self.header else len(self.rows[0])
        for i, row in enumerate(self.rows):
            if len(row) != width:
                _refuse(name, "table_width", "rows differ in width", ("rows", i), row, width=width)
        return self


class TableEntry(Strict):
    """A table among the paragraphs (写法：``- table: {caption: …, metrics: [...]}``)."""

    id: EntryId = None
    table: Table


class Heading(Strict):
    """A heading one level below its parent (（一） → 1. → （1）), numbered by its place.

    With ``body`` it is run-in: heading sentence and body in one paragraph (（一）强化党建引领。
    正文……); without, it stands on its own line and ``items`` follow it."""

    id: EntryId = None
    heading: Line = Field(description="标题，不含序号（序号由位置生成）")
    body: Prose | None = Field(
        default=None, description="有 body 时为段内标题：标题句与正文同在一段"
    )
    metrics: ParagraphMetrics
    plan: PlanRef = None
    unchanged: Unchanged = False
    items: list[Entry] = Field(
        default_factory=empty_list, description="标题下的段落、下级标题、表格"
    )

    @model_validator(mode="after")
    def _has_content(self) -> Heading:
        if self.body is None and not self.items:
            _refuse(type(self).__name__, "heading_empty", "a heading needs body or items",
                    ("items",), None)  # fmt: skip
        return self


def _entry_kind(value: object) -> str:
    """Which kind of entry a mapping is, by the key only that kind has; a mapping with none of
    them is an Item, so a forgotten ``lead`` is reported as missing, as it always was."""
    if isinstance(value, dict):
        for key in ("heading", "table", "text"):
            if key in value:
                return f"<{key}>"
    if isinstance(value, BaseModel):
        kinds = {Heading: "<heading>", TableEntry: "<table>", Paragraph: "<text>"}
        return kinds.get(type(value), "<item>")
    return "<item>"


ENTRY_TAGS = ("<item>", "<text>", "<heading>", "<table>")
"""The union members' names pydantic puts in an error's location: never a key of the data
(the brackets), so they are simply left out of the field path."""

Entry = Annotated[
    Annotated[Item, Tag("<item>")]
    | Annotated[Paragraph, Tag("<text>")]
    | Annotated[Heading, Tag("<heading>")]
    | Annotated[TableEntry, Tag("<table>")],
    Discriminator(_entry_kind),
]
"""One entry under a heading: a paragraph with a lead (lead + body), one without (text), a
heading of the next level (heading …), or a table (table: …)."""


class SectionFile(Strict):
    """A （一） section in its own file (economy, livelihood, …): the heading and its entries."""

    heading: Line = Field(description="（一）级标题，不含序号")
    body: Prose | None = Field(
        default=None, description="有 body 时标题为段内标题：标题句与这段正文同在一段"
    )
    intro: Paragraphs | None = Field(default=None, description="标题下的导语段（一段或多段）")
    metrics: Metrics = Field(default_factory=empty_dict, description="导语讲到的指标")
    items: list[Entry] = Field(min_length=1)


class PartFile(Strict):
    """A part written in one file (no （一） files of its own): its intro and entries."""

    intro: Paragraphs | None = Field(default=None, description="本部分导语（一段或多段）")
    metrics: Metrics = Field(default_factory=empty_dict, description="导语讲到的指标")
    items: list[Entry] = Field(min_length=1)


class Plan(Strict):
    """Next year's plan: a run-in heading sentence and its body (or a heading on its own line
    with items under it), optionally with a target."""

    id: PlanId | None = None
    heading: Line = Field(description="段首标题句，如“继续做好疫情常态化防控工作。”")
    body: Prose | None = Field(default=None, description="正文：与标题句同在一段（段内标题）")
    owner: Line | None = Field(default=None, description="责任部门")
    deadline: dt.date | None = Field(default=None, description="完成时限")
    metrics: Metrics = Field(
        default_factory=empty_dict, description="标题句与正文讲到的数字（如“新建食堂6个”）"
    )
    targets: Metrics = Field(default_factory=empty_dict, description="目标指标")
    unchanged: Unchanged = False
    items: list[Entry] = Field(
        default_factory=empty_list, description="标题下的段落、下级标题、表格"
    )

    @model_validator(mode="after")
    def _has_content(self) -> Plan:
        if self.body is None and not self.items:
            _refuse(type(self).__name__, "missing", "Field required", ("body",), None)
        return self


class PlansFile(Strict):
    """The plans part: the plans for the year after the report's year."""

    year: Year = Field(description="计划年度：报告年度 + 1")
    intro: Paragraphs | None = Field(default=None, description="本部分导语（一段或多段）")
    metrics: Metrics = Field(default_factory=empty_dict, description="导语讲到的指标")
    items: list[Plan] = Field(min_length=1)

    @model_validator(mode="after")
    def _deadlines_in_reach(self) -> PlansFile:
        """A deadline lies in the plans' year or the one after (never 0001-01-01)."""
        _refuse_far_dates(
            self,
            [(("items", i, "deadline"), plan.deadline) for i, plan in enumerate(self.items)],
            self.year,
        )
        return self


PartKind = Literal["summary", "plain", "plans"]
FileKind = Literal["section", "part", "plans"]


class Part(Strict):
    """One part (一、二、三、) of the document, in report.yaml's order."""

    title: Line | None = Field(
        default=None,
        description="部分标题，不含序号与年份：summary 写成“本年度年”+标题（缺省 工作总结），"
        "plans 写成“下一年度年”+标题（缺省 工作安排），plain 照写（必填）",
    )
    kind: PartKind = Field(
        default="summary",
        description="summary 工作总结 · plain 不带年份的部分（如 存在的问题和不足）"
        " · plans 下一年计划",
    )
    intro: Paragraphs | None = Field(default=None, description="部分标题下的导语段（一段或多段）")
    sections: list[Stem] | None = Field(
        default=None, min_length=1, description="每个（一）节一个文件：文件名（不含 .yaml），按顺序"
    )
    file: Stem | None = Field(default=None, description="整个部分写在一个文件里：文件名")
    numbering: Literal["（一）", "1."] = Field(
        default="（一）", description="file 中第一级标题的序号：（一） 或 1.（直接在部分下）"
    )

    @model_validator(mode="after")
    def _files(self) -> Part:
        name = type(self).__name__
        if (self.sections is None) == (self.file is None):
            _refuse(name, "part_files", "sections or file", ("file",), None)
        if self.kind == "plans" and self.sections is not None:
            _refuse(name, "plans_part_file", "plans are one file", ("sections",), self.sections)
        if self.kind == "plain" and self.title is None:
            _refuse(name, "missing", "Field required", ("title",), None)
        return self

    def top_level(self) -> int:
        """The level of the part's first headings: 2 （一）, or 3 1. straight under 一、."""
        return 2 if self.sections is not None or self.numbering == "（一）" else 3

    def stems(self) -> list[str]:
        return list(self.sections) if self.sections is not None else [str(self.file)]


class ReportFile(Strict):
    """report.yaml: the frame of the document and its parts, in order.

    The seed's shape is the short form: ``sections`` (part 一's files) and ``plans`` (part 二's
    file). ``parts`` says any other shape; the two forms do not mix."""

    year: Year
    organization: Line = Field(description="单位名称（文档作者）")
    title: Line = Field(description="文件标题，亦作输出文件名")
    title_lines: list[Line] | None = Field(
        default=None,
        description="标题过长时的分行（梯形或菱形，词不拆开），各行连起来须等于 title",
    )
    preamble: Paragraphs = Field(description="标题下的开篇段（一段或多段）")
    metrics: Metrics = Field(default_factory=empty_dict, description="开篇段与结尾段讲到的指标")
    sections: list[Stem] | None = Field(
        default=None, min_length=1, description="第一部分各节的文件名（不含 .yaml），按顺序"
    )
    plans: str = Field(default="plans", pattern=r"^[a-z][a-z0-9_]*$", description="计划文件名")
    parts: list[Part] | None = Field(
        default=None,
        min_length=1,
        description="各部分（一、二、三、……），按顺序；代替 sections 与 plans",
    )
    closing: Paragraphs = Field(description="结尾段（一段或多段）")
    signature: Line | None = Field(default=None, description="署名（可选）")
    date: dt.date | None = Field(default=None, description="成文日期（可选）")

    @field_validator("title_lines")
    @classmethod
    def _lines_spell_the_title(
        cls, lines: list[str] | None, info: ValidationInfo
    ) -> list[str] | None:
        """The breaks are the office's choice; the words must stay the title's."""
        title = info.data.get("title")
        if lines is not None and title is not None and "".join(lines) != title:
            raise PydanticCustomError(
                "title_lines", "title_lines joined must equal title", {"title": title}
            )
        return lines

    @model_validator(mode="after")
    def _date_in_reach(self) -> ReportFile:
        """The summary is dated in its year or the next (January is when it is handed in)."""
        _refuse_far_dates(self, [(("date",), self.date)], self.year)
        return self

    @model_validator(mode="after")
    def _one_form(self) -> ReportFile:
        name = type(self).__name__
        if self.parts is None:
            if self.sections is None:
                _refuse(name, "missing", "Field required", ("sections",), None)
            return self
        for field in ("sections", "plans"):
            if field in self.model_fields_set:
                _refuse(name, "parts_and_files", "not with parts", (field,), None, field=field)
        plans = [i for i, part in enumerate(self.parts) if part.kind == "plans"]
        if len(plans) > 1:
            _refuse(name, "plans_parts", "one plans part", ("parts", plans[1], "kind"), "plans")
        return self

    def outline(self) -> list[Part]:
        """The parts in order: ``parts``, or the seed's two (the summary from ``sections``, the
        plans from ``plans``)."""
        if self.parts is not None:
            return list(self.parts)
        return [
            Part(kind="summary", sections=self.sections),
            Part(kind="plans", file=self.plans),
        ]

    def listed(self) -> list[tuple[str, FileKind, Loc]]:
        """Every data file report.yaml names: (stem, kind, where report.yaml names it), the
        plans file first (a name listed twice is said at its second place)."""
        if self.parts is None:
            legacy: list[tuple[str, FileKind, Loc]] = [(self.plans, "plans", ("plans",))]
            return legacy + [
                (stem, "section", ("sections", i)) for i, stem in enumerate(self.sections or [])
            ]
        found: list[tuple[str, FileKind, Loc]] = []
        for i, part in enumerate(self.parts):
            if part.sections is not None:
                found += [(s, "section", ("parts", i, "sections", j)) for j, s in
                          enumerate(part.sections)]  # fmt: skip
            else:
                kind: FileKind = "plans" if part.kind == "plans" else "part"
                found.append((str(part.file), kind, ("parts", i, "file")))
        return sorted(found, key=lambda entry: entry[1] != "plans")

    def plans_stem(self) -> str | None:
        """The plans part's file, if the document has one."""
        return next((str(p.file) for p in self.outline() if p.kind == "plans"), None)


def _refuse_far_dates(
    model: BaseModel, dates: list[tuple[tuple[str | int, ...], dt.date | None]], year: int
) -> None:
    """Each date must lie between 1 January of ``year`` and 31 December of the next: an error
    at every one that does not."""
    first, last = dt.date(year, 1, 1), dt.date(year + 1, 12, 31)
    details = [
        InitErrorDetails(
            type=PydanticCustomError(
                "date_range",
                "date must lie between {first} and {last}",
                {"first": str(first), "last": str(last)},
            ),
            loc=loc,
            input=day,
        )
        for loc, day in dates
        if day is not None and not first <= day <= last
    ]
    if details:
        raise ValidationError.from_exception_data(type(model).__name__, details)


Node = SectionFile | PartFile | PlansFile | Plan | Item | Paragraph | Heading | TableEntry


class Place(str):
    """Where an entry sits in a year: its file's stem and its position in ``items`` (and, for
    an entry under a heading, its positions below). It reads as ``economy[1]`` or
    ``plans[0][0][1]``, the way diff shows and JSON gives it, and is used by its fields, never
    parsed back."""

    stem: str
    position: int
    below: tuple[int, ...]

    def __new__(cls, stem: str, position: int, below: tuple[int, ...] = ()) -> Place:
        shown = "".join(f"[{i}]" for i in (position, *below))
        place = super().__new__(cls, f"{stem}{shown}")
        place.stem, place.position, place.below = stem, position, below
        return place

    @classmethod
    def at(cls, stem: str, loc: Loc) -> Place:
        """The place of the entry at ``loc`` (("items", 1, "items", 0)) in file ``stem``."""
        position, *below = (part for part in loc if isinstance(part, int))
        return cls(stem, position, tuple(below))

    @property
    def loc(self) -> Loc:
        """Its field path in the file: ("items", 1, "items", 0)."""
        return tuple(part for i in (self.position, *self.below) for part in ("items", i))


class YearData(BaseModel):
    """A whole year, after every file has validated on its own."""

    model_config = ConfigDict(frozen=True)

    report: ReportFile
    sections: dict[str, SectionFile]
    """Every file of （一） sections, by stem, in document order."""
    plans: PlansFile | None
    parts: dict[str, PartFile] = Field(default_factory=empty_dict)
    """Every part written in one file (not the plans part), by stem."""

    @classmethod
    def assemble(cls, report: ReportFile, files: dict[str, Strict]) -> YearData:
        """The year from report.yaml and every file it names, validated, by stem."""
        plans = report.plans_stem()
        return cls(
            report=report,
            sections={s: f for s, f in files.items() if isinstance(f, SectionFile)},
            parts={s: f for s, f in files.items() if isinstance(f, PartFile)},
            plans=files[plans] if plans is not None else None,  # type: ignore[arg-type]
        )

    @property
    def year(self) -> int:
        return self.report.year

    def file(self, stem: str) -> SectionFile | PartFile | PlansFile:
        """The model of a data file by its stem."""
        if stem in self.sections:
            return self.sections[stem]
        if stem in self.parts:
            return self.parts[stem]
        assert self.plans is not None and stem == self.report.plans_stem()
        return self.plans

    def files(self) -> Iterator[tuple[Part, int, str]]:
        """(part, part index, file stem) for every data file, in document order."""
        for index, part in enumerate(self.report.outline()):
            for stem in part.stems():
                yield part, index, stem

    def nodes(self) -> Iterator[tuple[str, Loc, Node]]:
        """Every file, heading, paragraph and table, with its file stem and path, in document
        order."""
        for _, _, stem in self.files():
            top = self.file(stem)
            yield stem, (), top
            yield from _nodes(stem, (), top.items)

    def metrics(self) -> dict[str, Metric]:
        """Every metric the year reports, by key, in document order."""
        return {key: metric for _, _, key, metric in self.metric_places()}

    def metric_places(self) -> Iterator[tuple[str, Loc, str, Metric]]:
        """Every metric the year reports as (file stem, field path, key, metric), in document
        order: the one walk over a year's metrics (plan targets are next year's numbers, so
        they are not among them)."""
        for key, metric in self.report.metrics.items():
            yield "report", ("metrics", key), key, metric
        for stem, loc, node in self.nodes():
            for key, metric in getattr(node, "metrics", {}).items():
                yield stem, (*loc, "metrics", key), key, metric

    def prose(self) -> Iterator[tuple[str, Loc, str]]:
        """Every text that may name metrics, as (file stem, field path, text), in document order."""
        report = self.report
        for loc, text in paragraph_locs("preamble", report.preamble):
            yield "report", loc, text
        for index, part in enumerate(report.outline()):
            for loc, text in paragraph_locs("intro", part.intro):
                yield "report", ("parts", index, *loc), text
            for stem in part.stems():
                top = self.file(stem)
                for path, node in [((), top), *((p, n) for _, p, n in _nodes(stem, (), top.items))]:
                    for field, text in node_prose(node):
                        yield stem, (*path, *field), text
        for loc, text in paragraph_locs("closing", report.closing):
            yield "report", loc, text

    def headings(self) -> Iterator[tuple[str, Loc, Heading | Plan, int]]:
        """Every heading below the part titles with its level: 2 （一）, 3 1., 4 （1）, and
        deeper where the data nests more than GB/T 9704 numbers (validate refuses those)."""
        for part, _, stem in self.files():
            top = part.top_level() + (1 if part.sections is not None else 0)
            for _, loc, node in _nodes(stem, (), self.file(stem).items):
                if isinstance(node, Heading | Plan):
                    yield stem, loc, node, top + loc.count("items") - 1

    def items(self) -> Iterator[tuple[Place, Item | Paragraph | Heading]]:
        """Every paragraph and heading outside the plans part, with its place, in document
        order: what reports on last year's plans."""
        plans = self.report.plans_stem()
        for stem, loc, node in self.nodes():
            if stem != plans and isinstance(node, Item | Paragraph | Heading):
                yield Place.at(stem, loc), node

    def item(self, place: Place) -> Entry:
        """The entry at ``place``."""
        return node_at(self.file(place.stem).items, place.loc)


def node_lead(node: Item | Paragraph | Heading | Plan) -> str:
    """The words that name a paragraph: its lead, its heading, or its text."""
    if isinstance(node, Item):
        return node.lead
    return node.text if isinstance(node, Paragraph) else node.heading


def node_at(items: list[Any], loc: Loc) -> Any:
    """The entry at ``("items", i, "items", j, …)`` under a file's items."""
    node: Any = None
    for part in loc:
        if isinstance(part, int):
            node = items[part]
            items = getattr(node, "items", [])
    return node


def _nodes(stem: str, path: Loc, items: list[Any]) -> Iterator[tuple[str, Loc, Node]]:
    for i, node in enumerate(items):
        yield stem, (*path, "items", i), node
        if isinstance(node, Heading | Plan):
            yield from _nodes(stem, (*path, "items", i), node.items)


def node_prose(node: Node) -> list[tuple[Loc, str]]:
    """The texts of one node that may name metrics, with their field paths."""
    found: list[tuple[Loc, str]] = []
    if isinstance(node, Plan):
        found.append((("heading",), node.heading))
    if isinstance(node, Item):
        found.append((("lead",), node.lead))
    if isinstance(node, SectionFile | Item | Heading | Plan) and node.body is not None:
        found.append((("body",), node.body))
    if isinstance(node, Paragraph):
        found.append((("text",), node.text))
    if isinstance(node, SectionFile | PartFile | PlansFile):
        found += paragraph_locs("intro", node.intro)
    return found


Heading.model_rebuild()
Plan.model_rebuild()
SectionFile.model_rebuild()
PartFile.model_rebuild()
PlansFile.model_rebuild()

FILE_MODELS: dict[str, type[Strict]] = {
    "report": ReportFile,
    "section": SectionFile,
    "part": PartFile,
    "plans": PlansFile,
}

SCHEMA_MODELS: dict[str, Any] = {
    "report": ReportFile,
    "section": SectionFile | PartFile,
    "plans": PlansFile,
}
"""One JSON Schema per file kind: a part written in one file is checked by the section schema
(it is a section file without a heading)."""
