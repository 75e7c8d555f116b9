"""`init`: next year's data folder from last year's, ready to fill in.

Works on the round-trip YAML (ruamel), so comments, key order and quoting survive:
- every metric value becomes ``null`` with last year's value beside it as a comment
  (``{label: 充电桩, value: null, unit: 个}  # 2022: 1354``);
- every prose text keeps last year's wording under the marker 【待更新】 at its start;
- the report's and the plans' year advance, and so do the report's date, the plans' deadlines
  (29 Feb → 28 Feb), and the years in the title (and title_lines), the preamble, the closing and
  the files' comment lines ("2022年" → "2023年", "2023年" → "2024年", in one pass);
- last year's plans for the new year become the checklist of the new summary: a section file
  ``plan_review.yaml`` (listed last in report.sections) with one item per plan, each naming the
  plan it reports on (``plan: <id>``) and carrying the plan's targets as metrics to fill in;
  a checklist the source year kept is not copied: it reported the plans of the year before.

``unfinished.problems`` finds what is still to do (null values, 【待更新】 markers), each at its
line, so ``validate`` refuses a scaffold until every value is filled in and every text rewritten;
the marker and that rule are data rules, so they live in unfinished (validate never loads init).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annual_report.errors import UserError
from annual_report.numbers import format_number
from annual_report.output import replace_folder
from annual_report.unfinished import MARKER, is_metric_value, plan_original, walk

if TYPE_CHECKING:
    from ruamel.yaml import YAML

    from annual_report.model import YearData

CHECKLIST = "plan_review"


class ScaffoldError(UserError):
    """``init`` cannot go ahead (the year exists, the source year is unusable): a user's mistake."""


@dataclass
class Scaffolded:
    """What ``init`` wrote."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    backup: Path | None = None
    checklist: int = 0
    emptied: int = 0


def _year_pattern(source_year: int) -> re.Pattern[str]:
    return re.compile(rf"(?<![0-9])({source_year}|{source_year + 1})(?=年)")


def year_bounds() -> tuple[int, int]:
    """The first and last year the models accept (``model.Year``: 1949–2200)."""
    from typing import get_args

    from annual_report.model import Year

    low, high = None, None
    for meta in get_args(Year)[1:]:
        for bound in getattr(meta, "metadata", [meta]):
            ge, le = getattr(bound, "ge", None), getattr(bound, "le", None)
            low = ge if isinstance(ge, int) else low
            high = le if isinstance(le, int) else high
    assert low is not None and high is not None, "model.Year lost its bounds"
    return low, high


def advance_years(text: str, source_year: int, delta: int) -> str:
    """ "2022年…2023年" → "2023年…2024年": both years at once, so none is advanced twice."""
    if delta == 0:
        return text
    return _year_pattern(source_year).sub(lambda m: str(int(m.group(1)) + delta), text)


def advance_lines(lines: list[str], source_year: int, delta: int) -> list[str]:
    """``title_lines`` advanced as one text (a year may sit on one line and its 年 on the next),
    then cut where they were cut, so they still join to the advanced title."""
    joined = "".join(lines)
    if delta == 0 or not lines:
        return list(lines)
    out: list[str] = []
    shifts: list[tuple[int, int, int]] = []  # (start, end, length change) of each replacement
    pieces: list[str] = []
    last = 0
    for match in _year_pattern(source_year).finditer(joined):
        year = str(int(match.group(1)) + delta)
        pieces += [joined[last : match.start()], year]
        shifts.append((match.start(), match.end(), len(year) - len(match.group(1))))
        last = match.end()
    advanced = "".join([*pieces, joined[last:]])

    def moved(offset: int) -> int:
        # a cut inside a replaced year keeps its place from the year's start (at most its end)
        shift = 0
        for start, end, change in shifts:
            if end <= offset:
                shift += change
            elif start < offset:
                return min(offset + shift, end + shift + change)
        return offset + shift

    begin = 0
    position = 0
    for line in lines[:-1]:
        position += len(line)
        cut = moved(position)
        out.append(advanced[begin:cut])
        begin = cut
    out.append(advanced[begin:])
    return out


def yaml_writer() -> YAML:
    """Round-trip YAML written as a person writes it: one paragraph a line, null spelt out."""
    from ruamel.yaml import YAML

    from annual_report.load.events import lenient_constructor

    yaml = YAML(typ="rt")
    yaml.Constructor = lenient_constructor()  # a label 2023-02-29 is text, as validate read it
    yaml.preserve_quotes = True
    yaml.width = 4096  # one line per paragraph: a wrapped plain scalar would gain a space
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    yaml.representer.add_representer(  # a measure as typed: 98.50, plain, never 9.85E+1
        Decimal, lambda rep, d: rep.represent_scalar("tag:yaml.org,2002:float", format(d, "f"))
    )
    return yaml


def _load(path: Path) -> Any:
    return _read(path)[0]


def _read(path: Path) -> tuple[Any, str]:
    """The round-trip tree and the file's line ending ("\r\n" when its first line ends so: a
    Windows editor's file stays CRLF throughout, not a mix of CRLF comments and LF values)."""
    from annual_report.load.decode import read_text

    text, _ = read_text(path)
    end = text.find("\n")
    newline = "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"
    return yaml_writer().load(text.replace("\r\n", "\n")), newline


def _dump(tree: Any, source_year: int, delta: int, newline: str = "\n") -> str:
    from io import StringIO

    buffer = StringIO()
    yaml_writer().dump(tree, buffer)
    lines = buffer.getvalue().splitlines(keepends=True)
    text = "".join(
        advance_years(line, source_year, delta) if line.lstrip().startswith("#") else line
        for line in lines
    )
    return text.replace("\n", newline) if newline != "\n" else text


def _marked(value: Any) -> Any:
    """The text under the marker, in the same scalar style (quoted stays quoted)."""
    if not isinstance(value, str) or value.startswith(MARKER):
        return value
    kind = type(value)
    return kind(MARKER + str(value)) if kind is not str else MARKER + value


def _mark(node: Any, key: str) -> None:
    if key in node and isinstance(node[key], str):
        node[key] = _marked(node[key])


def _empty_metrics(metrics: Any, note: str) -> None:
    """value → null, the old value kept as a comment beside it."""
    from ruamel.yaml.comments import CommentedMap  # loaded with the tree

    if not isinstance(metrics, dict):
        return
    for key, metric in metrics.items():
        if not isinstance(metric, CommentedMap) or "value" not in metric:
            continue
        old = metric["value"]
        metric["value"] = None
        if old is None:
            continue
        comment = f"{note}: {format_number(old) if isinstance(old, int | float) else old}"
        if metric.fa.flow_style():
            _note(metrics, key, comment)
        else:
            _note(metric, "value", comment)


def _note(holder: Any, key: str, comment: str) -> None:
    """``# comment`` at the end of the line of ``key``, before any comment already there (and
    without losing the comment lines that ruamel keeps in the same token)."""
    entry = holder.ca.items.get(key)
    token = entry[2] if entry and len(entry) > 2 else None
    if token is None:
        holder.yaml_add_eol_comment(comment, key, column=0)
    elif token.value.startswith("#"):
        token.value = f"# {comment}；{token.value[1:].lstrip()}"
    else:  # a blank line or comment lines after the value: keep them below the note
        token.value = f"# {comment}{token.value if token.value.startswith(chr(10)) else ''}"


def next_year(data: YearData, folder: Path, year: int) -> dict[str, str]:
    """The new year's files (name → text) from a valid year ``data`` read from ``folder``."""
    source_year = data.year
    delta = year - source_year
    note = str(source_year)
    files: dict[str, str] = {}

    report, report_newline = _read(folder / "report.yaml")
    report["year"] = year
    report["title"] = advance_years(str(report["title"]), source_year, delta)
    lines = report.get("title_lines")
    if isinstance(lines, list) and all(isinstance(line, str) for line in lines):
        for n, line in enumerate(advance_lines([str(x) for x in lines], source_year, delta)):
            lines[n] = type(lines[n])(line) if type(lines[n]) is not str else line
    for key in ("preamble", "closing"):
        _advance_text(report, key, source_year, delta)
    for part in report.get("parts") or []:
        _mark(part, "intro")
    _empty_metrics(report.get("metrics"), note)
    if isinstance(report.get("date"), dt.date):
        report["date"] = advance_date(report["date"], delta)
    checklist = data.plans is not None and data.plans.year == year
    summary = _summary_files(report)
    review = _checklist_tree(data, _copied_metrics(data)) if checklist else None
    for stem, kind, _ in data.report.listed():
        if stem == CHECKLIST:
            continue  # it reported the plans of the year before: replaced by this year's below
        tree, newline = _read(folder / f"{stem}.yaml")
        if kind == "plans":
            tree_year, tree["year"] = tree["year"], year + 1
            _mark(tree, "intro")
            for plan in tree.get("items") or []:
                _carry(plan, note)
                _empty_metrics(plan.get("targets"), f"{tree_year}年目标")
                if isinstance(plan.get("deadline"), dt.date):  # the plans are for the year after
                    plan["deadline"] = advance_date(plan["deadline"], delta)
        else:
            _carry(tree, note)
            if stem == summary and review is not None:  # a part in one file: checklist at its end
                tree["items"].extend(review["items"])
        files[f"{stem}.yaml"] = _dump(tree, source_year, delta, newline)

    if isinstance(summary, list):
        if review is not None and CHECKLIST not in summary:
            summary.append(CHECKLIST)
        elif review is None and CHECKLIST in summary:  # plans for another year: not the old one
            summary.remove(CHECKLIST)
        if review is not None:
            files[f"{CHECKLIST}.yaml"] = _checklist(data, review, report_newline)
    files["report.yaml"] = _dump(report, source_year, delta, report_newline)
    return files


def _advance_text(holder: Any, key: str, source_year: int, delta: int) -> None:
    """A preamble or closing (one paragraph or a list of them): its years advanced, marked."""
    value = holder.get(key)
    if isinstance(value, str):
        holder[key] = _marked(type(value)(advance_years(str(value), source_year, delta)))
    elif isinstance(value, list):
        for n, text in enumerate(value):
            if isinstance(text, str):
                value[n] = _marked(type(text)(advance_years(str(text), source_year, delta)))


def _summary_files(report: Any) -> list[Any] | str | None:
    """Where the checklist goes: the sections list of the first summary part (the checklist is
    one more section file), or the file of a summary part written in one file."""
    parts = report.get("parts")
    if parts is None:
        return report["sections"]
    for part in parts:
        if part.get("kind", "summary") == "summary":
            return part.get("sections") if "sections" in part else str(part["file"])
    return None


def _carry(tree: Any, note: str) -> None:
    """A file or an entry, and every entry under it, carried into the new year: each text
    marked 【待更新】, each metric emptied, a table's caption (or first cell) marked; a ``plan:``
    named last year's plan, not this year's."""
    for key in ("heading", "lead", "body", "text"):
        _mark(tree, key)
    intro = tree.get("intro")
    if isinstance(intro, list):
        for n, text in enumerate(intro):
            intro[n] = _marked(text)
    else:
        _mark(tree, "intro")
    _empty_metrics(tree.get("metrics"), note)
    table = tree.get("table")
    if table is not None:
        rows = table.get("header") or (table.get("rows") or [[]])[0]
        if "caption" in table:
            _mark(table, "caption")
        elif rows:
            rows[0] = _marked(rows[0])
    tree.pop("plan", None)
    tree.pop("unchanged", None)  # kept on purpose last year: to be decided again
    for item in tree.get("items") or []:
        _carry(item, note)


def _copied_metrics(data: YearData) -> set[str]:
    """The metric keys of the files carried into the new year (last year's checklist is not)."""
    return {key for stem, _, key, _ in data.metric_places() if stem != CHECKLIST}


def advance_date(day: dt.date, delta: int) -> dt.date:
    """The same day ``delta`` years on; 29 Feb becomes 28 Feb in a year without it."""
    try:
        return day.replace(year=day.year + delta)
    except ValueError:  # 29 Feb
        return day.replace(year=day.year + delta, day=28)


def _checklist_tree(data: YearData, taken: set[str]) -> Any:
    """The checklist: one item per plan of ``data`` for the new year, to rewrite as what was
    done, naming its plan and carrying its targets as metrics to fill in."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    assert data.plans is not None  # only called when the plans are for ``year``
    plans_year = data.plans.year
    tree = CommentedMap()
    tree["heading"] = f"{MARKER}{plans_year}年工作计划落实情况"
    items = CommentedSeq()
    for plan in data.plans.items:
        item = CommentedMap()
        if plan.id is not None:
            item["plan"] = plan.id
        item["lead"] = MARKER + plan.heading
        item["body"] = MARKER + plan_original(data.year) + (plan.body or plan.heading)
        targets = CommentedMap()
        for key, target in plan.targets.items():
            if key in taken:
                continue  # the metric is already in a copied item: it reports the target there
            taken.add(key)
            metric = CommentedMap()
            metric.fa.set_flow_style()
            metric["label"] = target.label
            metric["value"] = None
            for name in ("unit", "approx"):
                if getattr(target, name):
                    metric[name] = getattr(target, name)
            if target.numerals != "arabic":
                metric["numerals"] = target.numerals
            targets[key] = metric
            if target.value is not None:
                note = f"{plans_year}年目标: {format_number(target.value)}"
                targets.yaml_add_eol_comment(note, key, column=0)
        if targets:
            item["metrics"] = targets
        items.append(item)
    tree["items"] = items
    return tree


def _checklist(data: YearData, tree: Any, newline: str = "\n") -> str:
    """plan_review.yaml: the checklist as a section file, with how to use it."""
    plans_year = data.year + 1
    header = (
        "# yaml-language-server: $schema=../../schema/section.schema.json\n"
        f"# {plans_year}年工作计划落实清单：{data.year}年报告中"
        f"“{plans_year}年工作安排”的各项计划。\n"
        "# 每项用 plan: 指明它落实的计划。请把每项改写为落实情况并删去【待更新】，\n"
        "# 也可以把它连同 plan: 一行移到相应的节里；全部移走后删除本文件，\n"
        "# 并从 report.yaml 的 sections 中删去 plan_review。\n"
        "# validate 会提示哪些计划还没有对应的段落。\n"
    )
    return (header + _dump(tree, data.year, 0)).replace("\n", newline)


def init_year(
    data: YearData,
    source_folder: Path,
    target: Path,
    year: int,
    *,
    force: bool = False,
    now: dt.datetime | None = None,
) -> Scaffolded:
    """Write ``target`` (data/<year>) from a valid year; refuses to overwrite unless ``force``,
    which first moves the existing folder to a dated backup (``output.replace_folder``)."""
    if target.resolve() == source_folder.resolve():
        raise ScaffoldError(f"目标目录与来源相同：{target}（target is the source folder）")
    if target.exists() and not force:
        raise ScaffoldError(
            f"{target} 已存在；如要重新生成，请加 --force（旧目录会先备份）"
            f"({target} exists; --force moves it to a dated backup first)"
        )
    files = next_year(data, source_folder, year)
    backup = replace_folder(target, files, "init", now=now)
    result = Scaffolded(target, [target / name for name in files], backup)
    if f"{CHECKLIST}.yaml" in files:
        result.checklist = len(_load(target / f"{CHECKLIST}.yaml").get("items") or [])
    result.emptied = sum(1 for _ in _null_values(_load_all(target)))
    return result


def _load_all(folder: Path) -> list[Any]:
    return [_load(path) for path in sorted(folder.glob("*.yaml"))]


def _null_values(trees: list[Any]) -> Iterator[tuple[str | int, ...]]:
    for tree in trees:
        for loc, value in walk(tree, ()):
            if value is None and is_metric_value(loc):
                yield loc
