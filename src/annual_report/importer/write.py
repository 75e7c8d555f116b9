"""The outline of an office's document → the year's YAML files, as a person would write them.

Every quantity the recogniser finds in the prose becomes a metric, named where the text names it
(``{{ m.key }}``), so the built text is the same; a quantity is left as typed when the metric
would not write it back exactly (full-width digits, a sign the model cannot hold yet). Keys,
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
from annual_report.importer.read import Note, SourceError
from annual_report.importer.tree import DATE, Document, Heading, Paragraph, Part, TableNode
from annual_report.model import Item, Metric
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
    """The files of ``year`` from the document's outline (the seed's shape: a summary part of
    （一） sections with lead-sentence paragraphs, a plans part of run-in headings)."""
    imported = Imported(notes=list(document.notes))
    keys = _Keys(_prior_keys(prior))
    summary, plans = _two_parts(document, year, imported)
    prior_stems = {s.heading: stem for stem, s in (prior.sections.items() if prior else [])}
    prior_ids = _prior_ids(prior)
    stems: list[str] = []
    for n, heading in enumerate(_sections(summary), start=1):
        stem = prior_stems.get(heading.title) or _topic(heading, stems) or f"section_{n}"
        stems.append(stem)
        imported.files[f"{stem}.yaml"] = _section(heading, year, keys, prior_ids, imported)
    imported.sections = len(stems)
    imported.files["plans.yaml"] = _plans(plans, year, keys, prior_ids, imported)
    imported.files["report.yaml"] = _report(document, year, stems, keys, imported)
    imported.parts = len(document.parts)
    return imported


def _prior_keys(prior: YearData | None) -> dict[str, str]:
    if prior is None:
        return {}
    found = {metric.label: key for key, metric in prior.metrics().items()}
    for plan in prior.plans.items if prior.plans else []:
        for key, metric in plan.targets.items():
            found.setdefault(metric.label, key)
    return found


def _prior_ids(prior: YearData | None) -> dict[str, str]:
    """Item ids by lead sentence, plan ids by heading."""
    if prior is None:
        return {}
    found = {
        item.lead: item.id
        for s in prior.sections.values()
        for item in s.items
        if isinstance(item, Item) and item.id
    }
    plans = prior.plans.items if prior.plans else []
    found.update({plan.heading: plan.id for plan in plans if plan.id})
    return found


def _unsupported(what: str) -> SourceError:
    return SourceError(
        f"这份文件的结构暂时无法写成数据：{what}。目前可导入的结构是：一、工作总结下分（一）（二）"
        "各节，每段以加粗的主旨句开头；二、工作计划各项为（一）标题句+正文；结尾段一段"
        f"（structure not supported yet: {what}）"
    )


def _two_parts(document: Document, year: int, imported: Imported) -> tuple[Part, Part]:
    if len(document.parts) != 2:
        raise _unsupported(f"有 {len(document.parts)} 个“一、”级部分，应为 2 个")
    if len(document.preamble) != 1:
        raise _unsupported(f"开篇段有 {len(document.preamble)} 段，应为 1 段")
    if len(document.closing) != 1:
        raise _unsupported(f"结尾段有 {len(document.closing)} 段，应为 1 段")
    summary, plans = document.parts
    for part, title in ((summary, f"{year}年工作总结"), (plans, f"{year + 1}年工作安排")):
        if part.title != title:
            imported.notes.append(
                Note(
                    f"第 {part.number} 段",
                    f"部分标题“{part.title}”将由模板生成为“{title}”（part title generated）",
                )
            )
    return summary, plans


def _sections(part: Part) -> list[Heading]:
    headings = []
    for node in part.children:
        if not isinstance(node, Heading) or node.level != 2 or node.runin:
            raise _unsupported(f"“一、”下第 {node.number} 段不是独占一段的（一）级标题")
        headings.append(node)
    return headings


def _topic(heading: Heading, taken: list[str]) -> str | None:
    words = "".join(c.lead + c.body for c in heading.children if isinstance(c, Paragraph))
    for text in (heading.title, words):
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
    if found.sign is not None or found.value < 0:
        return None
    try:
        metric = Metric(
            label=label,
            value=found.value,
            unit=found.unit,
            approx=found.approx,  # type: ignore[arg-type]
            numerals=found.numerals,
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
    return out


def _section(
    heading: Heading, year: int, keys: _Keys, ids: dict[str, str], imported: Imported
) -> str:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    tree = CommentedMap()
    tree["heading"] = heading.title
    items = CommentedSeq()
    for n, child in enumerate(heading.children):
        if isinstance(child, TableNode):
            raise _unsupported(f"第 {child.number} 段是表格")
        if isinstance(child, Heading) or (not isinstance(child, Paragraph)):
            raise _unsupported(f"第 {child.number} 段是（一）下的下级标题")
        imported.paragraphs += 1
        if not child.lead:
            if n != 0:
                raise _unsupported(f"第 {child.number} 段没有加粗的主旨句，又不是节首导语")
            metrics = CommentedMap()
            tree["intro"] = _prose(child.body, keys, metrics, imported)
            if metrics:
                tree["metrics"] = metrics
            continue
        item = CommentedMap()
        if child.lead in ids:
            item["id"] = ids[child.lead]
        metrics = CommentedMap()
        item["lead"] = _prose(child.lead, keys, metrics, imported)
        item["body"] = _prose(child.body, keys, metrics, imported)
        if metrics:
            item["metrics"] = metrics
        items.append(item)
    if not items:
        raise _unsupported(f"（一）级标题“{heading.title}”下没有带主旨句的段落")
    tree["items"] = items
    header = (
        "# yaml-language-server: $schema=../../schema/section.schema.json\n"
        f"# {year}年工作总结的一节，由 annual-report import 从原文件导入。\n"
        "# heading 为（一）级标题（不含序号，序号由模板生成）；intro 为导语段；\n"
        "# items 每段分段首主旨句 lead（加粗）与正文 body，每段写在一行内。\n"
        "# 正文中的数字写在 metrics 里，用 {{ m.键名 }} 引用；键名可改，改时请一并改引用。\n"
    )
    return header + _dump(tree)


def _plans(part: Part, year: int, keys: _Keys, ids: dict[str, str], imported: Imported) -> str:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    items = CommentedSeq()
    for node in part.children:
        if not isinstance(node, Heading) or node.level != 2 or not node.runin or node.children:
            raise _unsupported(f"计划部分第 {node.number} 段不是（一）标题句+正文的一段")
        imported.paragraphs += 1
        plan = CommentedMap()
        if node.title in ids:
            plan["id"] = ids[node.title]
        plan["heading"] = node.title
        plan["body"] = node.body
        items.append(plan)
    tree = CommentedMap()
    tree["year"] = year + 1
    tree["items"] = items
    header = (
        "# yaml-language-server: $schema=../../schema/plans.schema.json\n"
        f"# {year + 1}年工作安排（报告第二部分），由 annual-report import 从原文件导入。\n"
        "# 每项分段首标题句 heading 与正文 body；序号（一）（二）由模板生成。\n"
        "# 可为每项加 id（供明年落实核对）、owner、deadline 与 targets（目标指标）。\n"
    )
    return header + _dump(tree)


def _report(
    document: Document, year: int, stems: list[str], keys: _Keys, imported: Imported
) -> str:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    tree = CommentedMap()
    tree["year"] = year
    tree["organization"] = _organization(document)
    tree["title"] = document.title
    if len(document.title_lines) > 1:
        tree["title_lines"] = _flow_list(document.title_lines)
    metrics = CommentedMap()
    tree["preamble"] = _prose(document.preamble[0].body, keys, metrics, imported)
    tree["metrics"] = metrics
    tree["sections"] = sections = CommentedSeq(stems)
    sections.fa.set_flow_style()
    tree["plans"] = "plans"
    tree["closing"] = _prose(document.closing[0].body, keys, metrics, imported)
    imported.paragraphs += 2
    if not metrics:
        del tree["metrics"]
    if document.signature:
        tree["signature"] = document.signature
    if document.date and (found := DATE.match(document.date)):
        tree["date"] = dt.date(*map(int, found.groups()))
    header = (
        "# yaml-language-server: $schema=../../schema/report.schema.json\n"
        f"# {year}年度工作总结的总框架，由 annual-report import 从原文件导入：\n"
        "# 标题、开篇段、第一部分各节的顺序（sections，每项对应同目录下的一个 .yaml 文件）、\n"
        "# 计划文件与结尾段。“一、”“（一）”等序号由模板生成，不在数据里。\n"
        "# 每段正文写在一行内，不要换行。\n"
    )
    return header + _dump(tree)


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
