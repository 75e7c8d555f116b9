"""The outline of an office's document → the year's YAML files, as a person would write them.

Every quantity the recogniser finds in the prose becomes a metric, named where the text names it
(``{{ m.key }}``), so the built text is the same; a quantity is left as typed when no metric
writes it back exactly (full-width digits, 1,523), and so are headings and table cells. Keys,
item ids and section file names are taken from the year before where its labels and headings
match, so ``diff``, 同比 and follow-through work across the two years; otherwise keys come from
a small map of common labels, else pinyin, and section files from the heading's topic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import StringIO
from typing import TYPE_CHECKING, Any

from annual_report import naming, quantities
from annual_report.importer.read import Note
from annual_report.importer.tree import DATE, Document, Heading, Node, Paragraph, Part, TableNode
from annual_report.model import Metric
from annual_report.numbers import format_metric

if TYPE_CHECKING:
    from ruamel.yaml.comments import CommentedMap

    from annual_report.model import YearData

TOPICS = {
    "economy": ("经济", "发展", "招商", "产业", "营商"),
    "livelihood": ("民生",),
    "safety": ("安全", "平安", "稳定"),
    "party_building": ("党建", "建党", "党史", "党的建设"),
}
"""Section file names by the heading's topic (the heading first, else the section's words)."""

_CHANGE = re.compile(r"^(?:同比|环比|比上年)?(?:增长|下降|提高|减少|增幅|降幅)?$")
"""A label that names only a change (同比增长4.2%): it is the change of the quantity before."""
_OFFICE = re.compile(r"\*?[\u4e00-\u9fa5]{0,4}?(?:街道办事处|街道办|街道|镇|乡)")


@dataclass
class Imported:
    """The year's files (name → text) and what was found, for the summary line."""

    files: dict[str, str] = field(default_factory=dict)
    parts: int = 0
    sections: int = 0
    paragraphs: int = 0
    tables: int = 0
    metrics: int = 0
    quantities: int = 0
    notes: list[Note] = field(default_factory=list)


@dataclass
class _Keys:
    """Metric keys taken so far, and the year before's (label → key)."""

    prior: dict[str, str]
    taken: set[str] = field(default_factory=set)

    def key(self, label: str) -> str:
        key = naming.key_for(label, self.taken, self.prior.get(label))
        self.taken.add(key)
        return key


def year_files(document: Document, year: int, prior: YearData | None) -> Imported:
    """The files of ``year`` from the document's outline: the seed's short form (``sections`` and
    ``plans``) when the document has the seed's two parts, else ``parts``."""
    writer = _Writer(year, prior, Imported(notes=list(document.notes)))
    return writer.write(document)


class _Writer:
    """One year being written: the keys and file names taken so far, what the year before
    lends, and the counts for the summary."""

    def __init__(self, year: int, prior: YearData | None, imported: Imported) -> None:
        self.year = year
        self.imported = imported
        self.keys = _Keys(_prior_keys(prior))
        self.ids = _prior_ids(prior)
        self.prior_stems = _prior_stems(prior)
        self.stems: list[str] = []

    def write(self, document: Document) -> Imported:
        from ruamel.yaml.comments import CommentedMap

        report = CommentedMap()
        report["year"] = self.year
        report["organization"] = _organization(document)
        report["title"] = document.title
        if len(document.title_lines) > 1:
            report["title_lines"] = _flow_list(document.title_lines)
        metrics = CommentedMap()
        report["preamble"] = self.paragraphs(document.preamble, metrics)
        report["metrics"] = metrics
        parts = [self.part(part, n, metrics) for n, part in enumerate(document.parts, start=1)]
        if _short_form(parts):
            report["sections"] = _flow_list(parts[0]["sections"])
            report["plans"] = parts[1]["file"]
        else:
            report["parts"] = parts
        report["closing"] = self.paragraphs(document.closing, metrics)
        if not metrics:
            del report["metrics"]
        if document.signature:
            report["signature"] = document.signature
        if document.date and (found := DATE.match(document.date)):
            report["date"] = dt.date(*map(int, found.groups()))
        self.imported.files["report.yaml"] = _REPORT_HEADER.format(year=self.year) + _dump(report)
        self.imported.parts = len(document.parts)
        return self.imported

    def paragraphs(self, paragraphs: list[Paragraph], metrics: CommentedMap) -> Any:
        """One paragraph as a text, several as a list (preamble, closing, intro)."""
        self.imported.paragraphs += len(paragraphs)
        texts = [self.prose(p.lead + p.body, metrics) for p in paragraphs]
        return texts[0] if len(texts) == 1 else texts

    def prose(self, text: str, metrics: CommentedMap | None) -> str:
        """The text with its quantities as metric references (``metrics`` None: where the model
        has no metrics, the text stays as typed)."""
        if metrics is None:
            self.imported.quantities += len(quantities.find(text))
            return text
        return _prose(text, self.keys, metrics, self.imported)

    def part(self, part: Part, number: int, report_metrics: CommentedMap) -> CommentedMap:
        """The part's entry in report.yaml, its files written."""
        from ruamel.yaml.comments import CommentedMap

        kind, title = self.kind(part)
        entry = CommentedMap()
        if title is not None:
            entry["title"] = title
        if kind != "summary":
            entry["kind"] = kind
        intro, rest = _intro(part.children)
        if kind == "plans" and all(isinstance(n, Heading) for n in rest):
            entry["file"] = self.plans(intro, rest)
        elif rest and all(_section_like(n) for n in rest):
            if intro:
                entry["intro"] = self.paragraphs(intro, report_metrics)
            entry["sections"] = _flow_list(self.section(h) for h in rest)  # type: ignore[arg-type]
            return entry
        else:
            if kind == "plans":
                entry["kind"] = "plain"
            entry["file"] = self.part_file(part, entry.get("kind", kind), intro, rest, number)
        if _first_level(rest) == 3:
            entry["numbering"] = "1."
        return entry

    def kind(self, part: Part) -> tuple[str, str | None]:
        """summary (the year's), plans (next year's, once), or plain; and the title as the data
        holds it: without the year, None for the default."""
        if part.title.startswith(f"{self.year + 1}年") and "plans.yaml" not in self.imported.files:
            title = part.title.removeprefix(f"{self.year + 1}年")
            return "plans", None if title == "工作安排" else title
        if part.title.startswith(f"{self.year}年"):
            title = part.title.removeprefix(f"{self.year}年")
            return "summary", None if title == "工作总结" else title
        if re.match(r"^[0-9]{4}年", part.title):
            self.imported.notes.append(
                Note(
                    f"第 {part.number} 段",
                    f"部分标题“{part.title}”的年份不是 {self.year} 或 {self.year + 1}，"
                    f"按普通部分导入；--year 是否写错了？（a part of another year: check --year）",
                )
            )
        return "plain", part.title

    def stem(self, wanted: str | None, fallback: str) -> str:
        stem = wanted if wanted and wanted not in self.stems else fallback
        n = 1
        while stem in self.stems or stem in ("report", "plans"):
            n += 1
            stem = f"{fallback}_{n}"
        self.stems.append(stem)
        return stem

    def section(self, heading: Heading) -> str:
        """A （一） section in its own file."""
        from ruamel.yaml.comments import CommentedMap

        words = heading.title + "".join(_texts(heading.children))
        stem = self.stem(
            self.prior_stems.get(heading.title) or _topic(heading.title, words, self.stems),
            f"section_{len(self.stems) + 1}",
        )
        tree = CommentedMap()
        tree["heading"] = heading.title
        metrics = CommentedMap()
        intro: list[Paragraph] = []
        rest = heading.children
        if heading.body:
            self.imported.paragraphs += 1
            tree["body"] = self.prose(heading.body, metrics)
        else:
            intro, rest = _intro(heading.children)
        self.fill(tree, intro, metrics, rest)
        self.imported.sections += 1
        text = _SECTION_HEADER.format(year=self.year) + _dump(tree)
        self.imported.files[f"{stem}.yaml"] = text
        return stem

    def fill(
        self, tree: CommentedMap, intro: list[Paragraph], metrics: CommentedMap, rest: list[Node]
    ) -> None:
        """A file's intro, the metrics its intro and body tell, and its entries, in that order."""
        if intro:
            tree["intro"] = self.paragraphs(intro, metrics)
        tree["metrics"] = metrics
        tree["items"] = self.entries(rest)
        if not metrics:
            del tree["metrics"]

    def part_file(
        self, part: Part, kind: str, intro: list[Paragraph], rest: list[Node], number: int
    ) -> str:
        """A part written in one file: its intro and entries."""
        from ruamel.yaml.comments import CommentedMap

        wanted = "problems" if "问题" in part.title else "summary" if kind == "summary" else None
        stem = self.stem(self.prior_stems.get(part.title) or wanted, f"part_{number}")
        tree = CommentedMap()
        self.fill(tree, intro, CommentedMap(), rest)
        header = _PART_HEADER.format(year=self.year, title=part.title)
        self.imported.files[f"{stem}.yaml"] = header + _dump(tree)
        return stem

    def plans(self, intro: list[Paragraph], headings: list[Node]) -> str:
        """The plans part: one plan per top-level heading; its heading stays as typed (a plan's
        heading is named in next year's checklist), its body's numbers become metrics."""
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        tree = CommentedMap()
        tree["year"] = self.year + 1
        metrics = CommentedMap()
        if intro:
            tree["intro"] = self.paragraphs(intro, metrics)
        tree["metrics"] = metrics
        items = CommentedSeq()
        for node in headings:
            assert isinstance(node, Heading)
            plan = CommentedMap()
            own = CommentedMap()
            if node.title in self.ids:
                plan["id"] = self.ids[node.title]
            plan["heading"] = self.prose(node.title, None)
            if node.body:
                self.imported.paragraphs += 1
                plan["body"] = self.prose(node.body, own)
            if own:
                plan["metrics"] = own
            if node.children:
                plan["items"] = self.entries(node.children)
            items.append(plan)
        tree["items"] = items
        if not metrics:
            del tree["metrics"]
        self.stems.append("plans")
        header = _PLANS_HEADER.format(year=self.year, next=self.year + 1)
        self.imported.files["plans.yaml"] = header + _dump(tree)
        return "plans"

    def entries(self, nodes: list[Node]) -> Any:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        items = CommentedSeq()
        for node in nodes:
            entry = CommentedMap()
            metrics = CommentedMap()
            if isinstance(node, TableNode):
                entry["table"] = self.table(node)
                items.append(entry)
                continue
            self.imported.paragraphs += 1
            if isinstance(node, Heading):
                if node.title in self.ids:
                    entry["id"] = self.ids[node.title]
                entry["heading"] = node.title
                if node.body:
                    entry["body"] = self.prose(node.body, metrics)
            elif node.lead:
                if node.lead in self.ids:
                    entry["id"] = self.ids[node.lead]
                entry["lead"] = self.prose(node.lead, metrics)
                entry["body"] = self.prose(node.body, metrics)
            else:
                entry["text"] = self.prose(node.body, metrics)
            if metrics:
                entry["metrics"] = metrics
            if isinstance(node, Heading) and node.children:
                entry["items"] = self.entries(node.children)
            items.append(entry)
        return items

    def table(self, node: TableNode) -> CommentedMap:
        """Cells as written (a 同比 column too: kept, never recomputed)."""
        from ruamel.yaml.comments import CommentedMap

        self.imported.tables += 1
        width = max(len(row) for row in node.rows)
        rows = [_flow_list([*row, *[""] * (width - len(row))]) for row in node.rows]
        table = CommentedMap()
        if node.caption:
            table["caption"] = node.caption
        if len(rows) > 1:
            table["header"] = rows[0]
            rows = rows[1:]
        table["rows"] = rows
        return table


def _short_form(parts: list[CommentedMap]) -> bool:
    """The seed's two parts with their default titles: report.yaml as data/2022 writes it."""
    return (
        len(parts) == 2
        and set(parts[0]) == {"sections"}
        and dict(parts[1]) == {"kind": "plans", "file": "plans"}
    )


def _intro(children: list[Node]) -> tuple[list[Paragraph], list[Node]]:
    """Leading paragraphs without a lead, when something else follows them."""
    n = 0
    while n < len(children):
        child = children[n]
        if not isinstance(child, Paragraph) or child.lead:
            break
        n += 1
    if n == len(children):
        return [], children
    return children[:n], children[n:]  # type: ignore[return-value]


def _section_like(node: Node) -> bool:
    """A （一） heading that can be a file of its own (it has paragraphs under it)."""
    return isinstance(node, Heading) and node.level == 2 and bool(node.children)


def _first_level(nodes: list[Node]) -> int | None:
    return next((n.level for n in nodes if isinstance(n, Heading)), None)


def _texts(nodes: list[Node]) -> Iterable[str]:
    for node in nodes:
        if isinstance(node, Paragraph):
            yield node.lead + node.body
        elif isinstance(node, Heading):
            yield node.title + node.body
            yield from _texts(node.children)


def _prior_keys(prior: YearData | None) -> dict[str, str]:
    if prior is None:
        return {}
    found = {metric.label: key for key, metric in prior.metrics().items()}
    for plan in prior.plans.items if prior.plans else []:
        for key, metric in plan.targets.items():
            found.setdefault(metric.label, key)
    return found


def _prior_ids(prior: YearData | None) -> dict[str, str]:
    """Ids by the words that name an entry: a lead, a heading, a plan's heading."""
    from annual_report.model import Heading as HeadingModel
    from annual_report.model import Item, Plan, node_lead

    if prior is None:
        return {}
    return {
        node_lead(node): node.id
        for _, _, node in prior.nodes()
        if isinstance(node, Item | HeadingModel | Plan) and node.id
    }


def _prior_stems(prior: YearData | None) -> dict[str, str]:
    """Section files by their heading; part files by the part's title."""
    if prior is None:
        return {}
    found = {section.heading: stem for stem, section in prior.sections.items()}
    for part in prior.report.outline():
        if part.file is not None and part.title:
            found[part.title] = part.file
    return found


def _topic(title: str, words: str, taken: list[str]) -> str | None:
    """The file name of a topic the heading (else its words) is clearly about."""
    for text in (title, words):
        counts = {
            stem: sum(text.count(w) for w in topic)
            for stem, topic in TOPICS.items()
            if stem not in taken
        }
        best = max(counts.items(), key=lambda kv: kv[1], default=(None, 0))
        if best[1]:
            return best[0]
    return None


def _prose(text: str, keys: _Keys, metrics: CommentedMap, imported: Imported) -> str:
    """The text with each quantity it can write back exactly replaced by a metric reference."""
    out, last, label = [], 0, ""
    for found in quantities.find(text):
        imported.quantities += 1
        before, label = label, naming.label(text, found.start, found.end)
        if _CHANGE.match(label) and before:
            label = before + label  # 地区生产总值同比增长
        metric = _metric(found, label)
        if metric is None:
            continue
        key = keys.key(metric.label)
        metrics[key] = _flow(metric)
        imported.metrics += 1
        out += [text[last : found.start], f"{{{{ m.{key} }}}}"]
        last = found.end
    return "".join([*out, text[last:]])


def _metric(found: quantities.Quantity, label: str) -> Metric | None:
    """The metric that writes ``found`` back exactly, if there is one."""
    try:
        metric = Metric(
            label=label,
            value=found.value,
            unit=found.unit,
            approx=found.approx,  # type: ignore[arg-type]
            numerals=found.numerals,
            signed=found.sign is not None,
        )
    except ValueError:
        return None
    return metric if format_metric(metric) == found.text else None


def _flow(metric: Metric) -> CommentedMap:
    from ruamel.yaml.comments import CommentedMap

    out = CommentedMap()
    out.fa.set_flow_style()
    out["label"] = metric.label
    out["value"] = metric.value
    if metric.unit:
        out["unit"] = metric.unit
    if metric.approx:
        out["approx"] = metric.approx
    if metric.numerals != "arabic":
        out["numerals"] = metric.numerals
    if metric.signed:
        out["signed"] = True
    return out


_REPORT_HEADER = """\
# yaml-language-server: $schema=../../schema/report.schema.json
# {year}年度工作总结的总框架，由 annual-report import 从原文件导入：标题、开篇段、各部分
# （每部分的文件：sections 每节一个文件，或 file 整个部分一个文件）与结尾段。
# “一、”“（一）”“1.”等序号由位置生成，不在数据里。每段正文写在一行内，不要换行。
"""
_SECTION_HEADER = """\
# yaml-language-server: $schema=../../schema/section.schema.json
# {year}年工作总结的一节，由 annual-report import 从原文件导入。
# heading 为（一）级标题（不含序号，序号由模板生成）；有 body 时标题与正文同在一段；
# intro 为导语段；items 每段为 lead（加粗的段首主旨句）+ body，或不带主旨句的 text，
# 或下级标题 heading，或表格 table。每段写在一行内。
# 正文中的数字写在 metrics 里，用 {{{{ m.键名 }}}} 引用；键名可改，改时请一并改引用。
"""
_PART_HEADER = """\
# yaml-language-server: $schema=../../schema/section.schema.json
# {year}年报告中“{title}”部分（整个部分一个文件），由 annual-report import 从原文件导入。
# intro 为导语段；items 每段为 lead + body、不带主旨句的 text、下级标题 heading 或表格 table。
# 正文中的数字写在 metrics 里，用 {{{{ m.键名 }}}} 引用；键名可改，改时请一并改引用。
"""
_PLANS_HEADER = """\
# yaml-language-server: $schema=../../schema/plans.schema.json
# {next}年工作计划（{year}年报告的计划部分），由 annual-report import 从原文件导入。
# 每项为标题句 heading 与正文 body（同在一段），或标题下的 items；序号由位置生成。
# 正文中的数字写在 metrics 里，用 {{{{ m.键名 }}}} 引用。
# 可为每项加 id（供明年落实核对）、owner、deadline 与 targets（目标指标）。
"""


def _organization(document: Document) -> str:
    """The signature, else the office the preamble or the title names (*街道)."""
    if document.signature:
        return document.signature
    for text in [p.body for p in document.preamble] + [document.title]:
        if found := _OFFICE.search(text):
            return found.group()
    return document.title[:20]


def _flow_list(values: Iterable[str]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    out = CommentedSeq(values)
    out.fa.set_flow_style()
    return out


def _dump(tree: Any) -> str:
    from annual_report.scaffold import yaml_writer

    buffer = StringIO()
    yaml_writer().dump(tree, buffer)
    return buffer.getvalue()
