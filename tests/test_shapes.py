"""Every shape of a real summary (tests/shapes.py) is data: it validates, builds to the document
the shape says (styles, levels, leads, run-ins, table, signature and date read back from the
.docx), diffs against a changed copy, and inits into next year."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from typer.testing import CliRunner

from annual_report import diff, unfinished
from annual_report.cli import app
from annual_report.dataset import check_year, load_year
from annual_report.layout import load_profile
from annual_report.model import YearData
from layout_helpers import FONTS_CONF, PROFILE
from shapes import EXPECTED, SET_APART, SHAPES, TABLES, YEAR, write_shape

runner = CliRunner()
ALL = sorted(SHAPES)


def build(root: Path, year: int, target: Path, *extra: str) -> Path:
    result = runner.invoke(app, ["build", str(year), "-d", str(root), "-o", str(target), *extra])
    assert result.exit_code == 0, result.output
    return target


@pytest.mark.parametrize("shape", ALL)
def test_each_shape_validates_strictly(tmp_path: Path, shape: str) -> None:
    write_shape(tmp_path, shape)
    checked = check_year(tmp_path, YEAR[shape])
    assert [str(p) for p in checked.problems] == []
    result = runner.invoke(app, ["validate", str(YEAR[shape]), "-d", str(tmp_path), "--strict"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("shape", ALL)
def test_each_shape_builds_what_the_shape_says(tmp_path: Path, shape: str) -> None:
    write_shape(tmp_path, shape)
    document = docx.Document(str(build(tmp_path, YEAR[shape], tmp_path / "s.docx")))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text.strip()]
    assert paragraphs == EXPECTED[shape]
    set_apart = [
        (run.style.name, run.text)
        for p in document.paragraphs
        for run in p.runs
        if run.style is not None and run.style.name != "Default Paragraph Font"
    ]
    assert set_apart == SET_APART[shape]
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    assert tables == ([TABLES[shape]] if shape in TABLES else [])


def test_run_in_headings_are_set_as_the_levels_ask(tmp_path: Path) -> None:
    """（一） run-in in 楷体, 1. in bold, （1） plain body type: the character styles say so."""
    write_shape(tmp_path, "D")
    styles = docx.Document(str(build(tmp_path, 2022, tmp_path / "d.docx"))).styles
    kai = styles["段内标题"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
    assert kai == "楷体_GB2312"
    assert styles["段内三级标题"].font.bold is True
    assert styles["段内四级标题"].font.bold is False


def test_a_table_is_full_width_with_a_bold_repeated_header(tmp_path: Path) -> None:
    write_shape(tmp_path, "C")
    document = docx.Document(str(build(tmp_path, 2023, tmp_path / "c.docx")))
    (table,) = document.tables
    width = table._tbl.tblPr.find(qn("w:tblW"))
    text_width = load_profile(PROFILE).text_width_twips  # 156 mm between the margins
    assert (width.get(qn("w:type")), int(width.get(qn("w:w")))) == ("dxa", text_width)
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    body = table.rows[1].cells[0].paragraphs[0]
    assert body.style.name == "表格文字" and not body.runs[0].bold
    assert body.style.font.size.pt == 14  # 四号, smaller than the body's 三号
    caption = next(p for p in document.paragraphs if p.style.name == "Caption")
    assert caption.style.font.bold and caption.style.paragraph_format.alignment == 1  # centre


STANDALONE = """\
items:
  - heading: 全力做好安全生产
    items:
      - heading: 隐患排查
        items:
          - text: 排查隐患{{ m.hazards }}。
            metrics:
              hazards: {label: 排查隐患, value: 4600, unit: 处, approx: 余}
  - heading: 持续优化营商环境。
    body: 新增市场主体{{ m.new_firms }}。
    metrics:
      new_firms: {label: 新增市场主体, value: 2600, unit: 个, approx: 超}
"""


def test_standalone_1_and_1_are_word_headings_3_and_4(tmp_path: Path) -> None:
    """Each level has a Word heading style with its outline level: the navigation pane shows
    一、 （一） 1. （1） alike."""
    write_shape(tmp_path, "B")
    (tmp_path / "2022" / "results.yaml").write_text(STANDALONE, encoding="utf-8")
    document = docx.Document(str(build(tmp_path, 2022, tmp_path / "b.docx")))
    found = [(p.style.name, p.text) for p in document.paragraphs][4:7]
    assert found == [
        ("Heading 3", "1.全力做好安全生产"),
        ("Heading 4", "（1）隐患排查"),
        ("Normal", "排查隐患4600余处。"),
    ]
    for name, level in (("Heading 1", 0), ("Heading 2", 1), ("Heading 3", 2), ("Heading 4", 3)):
        outline = document.styles[name].element.pPr.find(qn("w:outlineLvl"))
        assert int(outline.get(qn("w:val"))) == level


# ---------------------------------------------------------------------------------------------
# diff


CHANGES = {
    "A": [("economy.yaml", "value: 1354", "value: 1523"), ("plans.yaml", "各项", "每项")],
    "B": [("results.yaml", "全部整改到位", "已整改到位"), ("plans.yaml", "招商。", "招商引资。")],
    "C": [
        ("services.yaml", "metrics: [gdp, budget_revenue]", "metrics: [gdp]"),
        ("economy.yaml", "全力推进项目建设", "加快推进项目建设"),
    ],
    "D": [
        ("plans.yaml", "每月开展", "每周开展"),
        ("achievements.yaml", "党员队伍不断壮大", "党员队伍持续壮大"),
    ],
}
CHANGED_PLACES = {
    "A": {"plans[0]"},
    "B": {"results[0]", "plans[0]"},
    "C": {"services[1]", "economy[0]"},
    "D": {"plans[0][0][0]", "achievements[0][0]"},
}


@pytest.mark.parametrize("shape", ALL)
def test_each_shape_diffs_against_a_changed_copy(tmp_path: Path, shape: str) -> None:
    """Entries are matched at every level (a （1） under a 1. under a （一）), tables too."""
    old = write_shape(tmp_path / "old", shape)
    new = tmp_path / "new" / old.name
    shutil.copytree(old.parent, new.parent)
    for name, before, after in CHANGES[shape]:
        path = new / name
        text = path.read_text(encoding="utf-8")
        assert before in text
        path.write_text(text.replace(before, after, 1), encoding="utf-8")
    result = diff.compare(_year(old), _year(new))
    assert {item.new_place for item in result.items if item.status == "changed"} == (
        CHANGED_PLACES[shape]
    )
    assert all(item.status == "changed" for item in result.items)
    if shape == "A":
        (metric,) = [m for m in result.metrics if m.status != "same"]
        assert (metric.key, metric.change) == ("charging_piles", 169)
    same = diff.compare(_year(old), _year(old))
    assert not same.has_differences
    cli = runner.invoke(app, ["diff", str(old), str(new), "--exit-code"])
    assert cli.exit_code == 1, cli.output


def _year(folder: Path) -> YearData:
    return load_year(folder.parent, int(folder.name)).data


# ---------------------------------------------------------------------------------------------
# init


def fill_in(folder: Path) -> None:
    """Every value filled in, every marker and copied plan note gone."""
    for path in folder.glob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace(unfinished.MARKER, "")
        text = re.sub(r"（\d{4}年计划原文）", "", text)
        path.write_text(text.replace("value: null", "value: 7"), encoding="utf-8")


@pytest.mark.parametrize("shape", ALL)
def test_each_shape_inits_into_next_year(tmp_path: Path, shape: str) -> None:
    """Every part, file and heading level is carried over; what is left to do is said; filled
    in, the new year validates and keeps the shape; last year's plans become its checklist."""
    year = YEAR[shape]
    write_shape(tmp_path, shape)
    before = _year(tmp_path / str(year))
    result = runner.invoke(app, ["init", str(year + 1), "-d", str(tmp_path)])
    assert result.exit_code == 0, result.output
    drafted = check_year(tmp_path, year + 1)
    assert drafted.errors and {p.code for p in drafted.errors} <= set(unfinished.CODES)
    fill_in(tmp_path / str(year + 1))
    checked = check_year(tmp_path, year + 1)
    assert [str(p) for p in checked.errors] == []
    after = checked.data
    assert after is not None and after.year == year + 1
    shape_of = [(p.kind, p.title, p.numbering, p.sections is None) for p in before.report.outline()]
    assert [(p.kind, p.title, p.numbering, p.sections is None) for p in after.report.outline()] == (
        shape_of
    )
    levels = [level for *_, level in before.headings()]
    assert [level for *_, level in after.headings()][: len(levels)] == levels
    assert after.plans is not None and after.plans.year == year + 2
    plan_ids = {p.id for p in before.plans.items if p.id} if before.plans else set()
    reported = {node.plan for _, node in after.items() if node.plan}
    assert plan_ids <= reported  # the checklist names every plan of last year
    assert len(after.metrics()) >= len(before.metrics())


# ---------------------------------------------------------------------------------------------
# LibreOffice


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        message = f"{tool} not found: apt-get install libreoffice-writer-nogui poppler-utils"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_shape_d_prints_every_level_and_the_signature(tmp_path: Path) -> None:
    """LibreOffice's PDF of shape D and C holds every paragraph the shape says, numbered, the
    table's cells, and the signature and date."""
    _require("soffice")
    _require("pdftotext")
    for shape in ("C", "D"):
        root = tmp_path / shape
        write_shape(root, shape)
        pdf = root / "s.pdf"
        build(root, YEAR[shape], pdf)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout
        flat = re.sub(r"\s+", "", text)
        for _, paragraph in EXPECTED[shape]:
            assert paragraph.replace("\n", "") in flat, paragraph
        for row in TABLES.get(shape, []):
            assert all(cell in flat for cell in row), row


# ---------------------------------------------------------------------------------------------
# validate: every new field is said at its place, in Chinese first


WRONG_FILES = [
    ("items:\n  - table: {caption: 表}\n", "table_kind", 2, "items[0].table.metrics", "二者选一"),
    (
        "items:\n  - table:\n      header: [甲, 乙]\n      rows: [[一, 二], [三]]\n",
        "table_width",
        4,
        "items[0].table.rows[1]",
        "应为 2 个",
    ),
    ("items:\n  - heading: 空标题\n", "heading_empty", 2, "items[0].items", "标题下没有内容"),
    (
        "items:\n  - heading: 一级\n    items:\n      - heading: 二级\n        items:\n"
        "          - heading: 三级\n            items:\n              - heading: 四级\n"
        "                body: 太深了。\n",
        "too_deep_heading",
        8,
        "items[0].items[0].items[0].items[0].heading",
        "标题层级太深",
    ),
    (
        "items:\n  - table: {metrics: [no_such]}\n",
        "table_metric",
        2,
        "items[0].table.metrics[0]",
        "未定义的指标 “no_such”",
    ),
    (
        "items:\n  - text: 服务企业。\n  - table: {metrics: [served_firms], yoy: true}\n",
        "table_yoy_no_prior",
        3,
        "items[1].table.metrics[0]",
        "指标表列了同比",
    ),
    ("items:\n  - body: 没有主旨句。\n", "missing", 2, "items[0].lead", "缺少必填字段"),
]


@pytest.mark.parametrize(("text", "code", "line", "path", "words"), WRONG_FILES)
def test_a_wrong_entry_is_said_at_its_place(
    tmp_path: Path, text: str, code: str, line: int, path: str, words: str
) -> None:
    folder = write_shape(tmp_path, "D")
    (folder / "problems.yaml").write_text(text, encoding="utf-8")
    (problem,) = check_year(tmp_path, 2022).errors
    assert (problem.code, problem.line, problem.path) == (code, line, path), str(problem)
    assert problem.file.endswith("problems.yaml") and words in problem.message


WRONG_REPORTS = [
    (
        "    file: achievements\n",
        "    file: achievements\n    sections: [a]\n",
        "part_files",
        "parts[0].file",
    ),
    ("    kind: plain\n", "    kind: plans\n", "plans_parts", "parts[2].kind"),
    ("parts:\n", "sections: [x]\nparts:\n", "parts_and_files", "sections"),
    (
        "  - title: 存在的问题和不足\n    kind: plain\n",
        "  - kind: plain\n",
        "missing",
        "parts[1].title",
    ),
    ("    kind: plain\n", "    kind: problems\n", "literal_error", "parts[1].kind"),
    ("    file: problems\n", "    file: problem\n", "part_file_missing", "parts[1].file"),
    ("    file: plans\n", "    sections: [plans]\n", "plans_part_file", "parts[2].sections"),
]


@pytest.mark.parametrize(("old", "new", "code", "path"), WRONG_REPORTS)
def test_a_wrong_part_is_said_in_report_yaml(
    tmp_path: Path, old: str, new: str, code: str, path: str
) -> None:
    """Only report.yaml is wrong: the part files are still checked as what they are (no
    'heading missing' for a part written in one file)."""
    folder = write_shape(tmp_path, "D")
    report = folder / "report.yaml"
    report.write_text(report.read_text("utf-8").replace(old, new, 1), encoding="utf-8")
    (problem,) = check_year(tmp_path, 2022).errors
    assert (problem.file.endswith("report.yaml"), problem.code, problem.path) == (True, code, path)
    assert problem.message[0] > "\u2e80", problem.message  # Chinese first


def test_a_negative_value_needs_signed(tmp_path: Path) -> None:
    folder = write_shape(tmp_path, "C")
    report = folder / "report.yaml"
    report.write_text(report.read_text("utf-8").replace(", signed: true", ""), encoding="utf-8")
    (problem,) = check_year(tmp_path, 2023).errors
    assert (problem.code, problem.path) == ("greater_than_equal", "metrics.budget_change.value")


def test_a_signed_value_is_never_written_in_chinese_numerals(tmp_path: Path) -> None:
    """-5 has no Chinese numeral of the 百余 kind: refused at the value, not a traceback."""
    folder = write_shape(tmp_path, "C")
    report = folder / "report.yaml"
    text = report.read_text("utf-8").replace("value: -3.5,", "value: -5, numerals: chinese,")
    report.write_text(text, encoding="utf-8")
    (problem,) = check_year(tmp_path, 2023).errors
    assert (problem.code, problem.path) == ("chinese_numerals", "metrics.budget_change.value")


@pytest.mark.parametrize("shape", ALL)
def test_the_committed_schema_takes_every_shape(tmp_path: Path, shape: str) -> None:
    """VS Code's checking agrees with validate: every file of every shape passes its schema
    (a part in one file the section schema), and a negative value without signed does not."""
    from annual_report.load import load_file
    from test_schema import as_json, validator

    write_shape(tmp_path, shape)
    for path in sorted(tmp_path.glob("*/*.yaml")):
        kind = {"report.yaml": "report", "plans.yaml": "plans"}.get(path.name, "section")
        assert list(validator(kind).iter_errors(as_json(load_file(path).plain))) == [], path
    if shape == "C":
        report = tmp_path / "2023" / "report.yaml"
        text = report.read_text("utf-8").replace(", signed: true", "")
        report.write_text(text, encoding="utf-8")
        assert list(validator("report").iter_errors(as_json(load_file(report).plain)))
