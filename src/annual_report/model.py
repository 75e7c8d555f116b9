"""The schema, in one place: what each data file may hold.

Strict and closed (``extra="forbid"``) so a typo in a key or a number typed as text is an error
at its line, never a silently different document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Literal

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
    Annotated[Annotated[int, Field(ge=0, le=MAX_VALUE)], Tag("int")]
    | Annotated[
        Annotated[Decimal, Field(ge=0, le=MAX_VALUE, allow_inf_nan=False, strict=False)],
        Tag("float"),
    ],
    Discriminator(_number_kind),
    # JSON Schema's oneOf would refuse 1354 (both an integer and a number): say anyOf.
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": MAX_VALUE},
                {"type": "number", "minimum": 0, "maximum": MAX_VALUE},
            ]
        }
    ),
]

# Where the approximation word stands: 近20万人次 · 20余场 · 98.5%以上.
APPROX_BEFORE = ("近", "约", "超", "逾", "超过")
APPROX_AFTER_VALUE = ("余", "多")
APPROX_AFTER_UNIT = ("以上", "左右", "以内")
Approx = Literal["近", "约", "超", "逾", "超过", "余", "多", "以上", "左右", "以内"]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Metric(Strict):
    """A number the prose tells: validated once, rendered where the text names it, diffed by key."""

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

    @model_validator(mode="after")
    def _chinese_numerals_fit(self) -> Metric:
        """百余 is written for whole numbers below 一亿 only; the error stands at the value."""
        value = self.value
        if self.numerals != "chinese" or value is None:
            return self
        if isinstance(value, int) and value < CHINESE_LIMIT:
            return self
        error = PydanticCustomError(
            "chinese_numerals",
            "numerals: chinese needs a whole number below 10**8, got {input}",
            {"input": value},
        )
        detail = InitErrorDetails(type=error, loc=("value",), input=value)
        raise ValidationError.from_exception_data(type(self).__name__, [detail])


Metrics = dict[MetricKey, Metric]


class Item(Strict):
    """One paragraph of the summary: a lead sentence set off in bold, then the body."""

    id: PlanId | None = Field(default=None, description="稳定标识，供 diff 跨年比对")
    lead: Line = Field(description="段首主旨句，如“产业结构布局持续优化。”")
    body: Prose = Field(description="正文，可引用指标 {{ m.key }}")
    metrics: Metrics = Field(default_factory=dict, description="本段讲到的指标")
    plan: PlanId | None = Field(default=None, description="本段落实的上年计划 id")
    unchanged: bool = Field(
        default=False, description="与上年一字不差、有意沿用：validate 不再提示（默认 false）"
    )


class SectionFile(Strict):
    """A part-一 section file (economy, livelihood, …): the （一） heading and its paragraphs."""

    heading: Line = Field(description="（一）级标题，不含序号")
    intro: Prose | None = Field(default=None, description="标题下的导语段")
    metrics: Metrics = Field(default_factory=dict, description="导语讲到的指标")
    items: list[Item] = Field(min_length=1)


class Plan(Strict):
    """Next year's plan: a run-in heading sentence and its body, optionally with a target."""

    id: PlanId | None = None
    heading: Line = Field(description="段首标题句，如“继续做好疫情常态化防控工作。”")
    body: Prose
    owner: Line | None = Field(default=None, description="责任部门")
    deadline: dt.date | None = Field(default=None, description="完成时限")
    targets: Metrics = Field(default_factory=dict, description="目标指标")
    unchanged: bool = Field(
        default=False, description="与上年一字不差、有意沿用：validate 不再提示（默认 false）"
    )


class PlansFile(Strict):
    """Part 二: the plans for the year after the report's year."""

    year: Year = Field(description="计划年度：报告年度 + 1")
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


class ReportFile(Strict):
    """report.yaml: the frame of the document and the order of its section files."""

    year: Year
    organization: Line = Field(description="单位名称（文档作者）")
    title: Line = Field(description="文件标题，亦作输出文件名")
    title_lines: list[Line] | None = Field(
        default=None,
        description="标题过长时的分行（梯形或菱形，词不拆开），各行连起来须等于 title",
    )
    preamble: Prose = Field(description="标题下的开篇段")
    metrics: Metrics = Field(default_factory=dict, description="开篇段与结尾段讲到的指标")
    sections: list[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]] = Field(
        min_length=1, description="第一部分各节的文件名（不含 .yaml），按顺序"
    )
    plans: str = Field(default="plans", pattern=r"^[a-z][a-z0-9_]*$", description="计划文件名")
    closing: Prose = Field(description="结尾段")
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


class Place(str):
    """Where an item sits in a year: its file's stem and its position in ``items``. It reads as
    ``economy[1]``, the way diff shows and JSON gives it, and is used by its fields, never
    parsed back."""

    stem: str
    position: int

    def __new__(cls, stem: str, position: int) -> Place:
        place = super().__new__(cls, f"{stem}[{position}]")
        place.stem, place.position = stem, position
        return place


class YearData(BaseModel):
    """A whole year, after every file has validated on its own."""

    model_config = ConfigDict(frozen=True)

    report: ReportFile
    sections: dict[str, SectionFile]
    plans: PlansFile

    @property
    def year(self) -> int:
        return self.report.year

    def metrics(self) -> dict[str, Metric]:
        """Every metric the year reports, by key, in document order."""
        return {key: metric for _, _, key, metric in self.metric_places()}

    def metric_places(self) -> Iterator[tuple[str, tuple[str | int, ...], str, Metric]]:
        """Every metric the year reports as (file stem, field path, key, metric), in document
        order: the one walk over a year's metrics (plan targets are next year's numbers, so
        they are not among them)."""
        for key, metric in self.report.metrics.items():
            yield "report", ("metrics", key), key, metric
        for stem, section in self.sections.items():
            for key, metric in section.metrics.items():
                yield stem, ("metrics", key), key, metric
            for i, item in enumerate(section.items):
                for key, metric in item.metrics.items():
                    yield stem, ("items", i, "metrics", key), key, metric

    def items(self) -> Iterator[tuple[Place, Item]]:
        """Every item of the sections, with its place, in document order."""
        for stem, section in self.sections.items():
            for i, item in enumerate(section.items):
                yield Place(stem, i), item

    def item(self, place: Place) -> Item:
        return self.sections[place.stem].items[place.position]

    def prose(self) -> Iterator[tuple[str, tuple[str | int, ...], str]]:
        """Every text that may name metrics, as (file stem, field path, text), in document order."""
        yield "report", ("preamble",), self.report.preamble
        for stem, section in self.sections.items():
            if section.intro is not None:
                yield stem, ("intro",), section.intro
            for i, item in enumerate(section.items):
                yield stem, ("items", i, "lead"), item.lead
                yield stem, ("items", i, "body"), item.body
        for i, plan in enumerate(self.plans.items):
            yield self.report.plans, ("items", i, "heading"), plan.heading
            yield self.report.plans, ("items", i, "body"), plan.body
        yield "report", ("closing",), self.report.closing


FILE_MODELS: dict[str, type[Strict]] = {
    "report": ReportFile,
    "section": SectionFile,
    "plans": PlansFile,
}
