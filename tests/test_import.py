"""`annual-report import`: an office's file → a year of data that validates and builds the same
document again (round trips), and a second year that keeps the first year's keys."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

import office_docs as od
from annual_report import quantities
from annual_report.cli import app

runner = CliRunner()

SHAPES = {"A": (od.seed_lines(), 2022), "B": (od.SHAPE_B, 2022), "C": (od.SHAPE_C, 2023),
          "D": (od.SHAPE_D, 2022)}  # fmt: skip
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def imported(source: Path, data: Path, year: int = 2022, *extra: str) -> str:
    code, output = run("import", source, "--year", str(year), "-d", data, *extra)
    assert code == 0, output
    return output


def built(data: Path, year: int, out: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """(style, text, lead or run-in runs) of every paragraph of the built document."""
    code, output = run("build", str(year), "-d", data, "-o", out)
    assert code == 0, output
    paragraphs = []
    for paragraph in Document(str(out)).paragraphs:
        if paragraph.text:
            set_apart = tuple(
                r.text for r in paragraph.runs if r.style.name != "Default Paragraph Font"
            )
            paragraphs.append((paragraph.style.name, paragraph.text, set_apart))
    return paragraphs


def year_texts(data: Path, year: int = 2022) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted((data / str(year)).glob("*.yaml"))}


@pytest.fixture
def seed_docx(tmp_path: Path) -> Path:
    return od.docx(od.seed_lines(), tmp_path / "seed.docx")


def test_seed_typed_in_word_comes_back_word_for_word(seed_docx: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    output = imported(seed_docx, data)
    assert "下一步 next: annual-report build 2022" in output
    assert run("validate", "2022", "-d", data)[0] == 0
    paragraphs = built(data, 2022, tmp_path / "out.docx")
    assert [text for _, text, _ in paragraphs] == od.paragraphs(od.seed_lines())
    leads = [lines[1] for lines in od.seed_lines() if lines[0] == "lead"]
    runins = [lines[1] for lines in od.seed_lines() if lines[0] == "h2runin"]
    assert [runs[0] for _, _, runs in paragraphs if runs] == leads + runins
    styles = [style for style, text, _ in paragraphs]
    assert styles.count("Heading 1") == 2 and styles.count("Heading 2") == 4


def test_seed_quantities_become_metrics(seed_docx: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    imported(seed_docx, data)
    texts = year_texts(data)
    keys = [k for text in texts.values() for k in re.findall(r"^ +(\w+): \{label", text, re.M)]
    assert len(keys) >= 32 and len(set(keys)) == len(keys)
    seed = od.SEED.read_text("utf-8")
    found = len(quantities.find(seed))
    assert len(keys) >= 0.8 * found
    assert "charging_piles: {label: 充电桩, value: 1354, unit: 个}" in texts["economy.yaml"]
    assert "充电桩{{ m.charging_piles }}" in texts["economy.yaml"]
    assert "numerals: chinese" in texts["livelihood.yaml"]  # 百余处


def test_files_read_as_a_person_writes_them(seed_docx: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    imported(seed_docx, data)
    texts = year_texts(data)
    assert sorted(texts) == [
        "economy.yaml", "livelihood.yaml", "party_building.yaml", "plans.yaml",
        "report.yaml", "safety.yaml",
    ]  # fmt: skip
    for name, text in texts.items():
        schema = (
            "report" if name == "report.yaml" else "plans" if name == "plans.yaml" else "section"
        )
        assert text.startswith(f"# yaml-language-server: $schema=../../schema/{schema}.schema.json")
        assert "{{ m.键名 }}" in text or name != "economy.yaml"
    report = texts["report.yaml"]
    assert "organization: '*街道'" in report
    assert "sections: [economy, livelihood, safety, party_building]" in report
    preamble = next(line for line in report.splitlines() if line.startswith("preamble:"))
    assert preamble.endswith("推动各项工作再上新台阶。")  # one paragraph, one line


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_import_of_the_built_document_builds_the_same(shape: str, tmp_path: Path) -> None:
    """import(build(data)) gives data that builds the same document (and is the same data)."""
    lines, year = SHAPES[shape]
    first, second = tmp_path / "one", tmp_path / "two"
    imported(od.docx(lines, tmp_path / "typed.docx"), first, year)
    document = tmp_path / "built.docx"
    once = built(first, year, document)
    imported(document, second, year)
    assert built(second, year, tmp_path / "again.docx") == once
    assert _tables(tmp_path / "again.docx") == _tables(document)
    assert year_texts(second, year) == year_texts(first, year)


def _next_year(text: str) -> str:
    """The seed's text as the next year's document would say it (2022年 → 2023年 …)."""
    return re.sub(r"202[23](?=年)", lambda m: str(int(m.group()) + 1), text)


def test_next_year_keeps_the_keys_ids_and_files_of_the_year_before(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "2022", data / "2022")
    lines = [
        tuple(_next_year(t).replace("1354个", "1523个") for t in line) for line in od.seed_lines()
    ]
    imported(od.docx(lines, tmp_path / "2023.docx"), data, 2023)
    texts = year_texts(data, 2023)
    assert "charging_piles: {label: 充电桩, value: 1523, unit: 个}" in texts["economy.yaml"]
    assert "id: urban_projects" in texts["economy.yaml"]
    assert "id: epidemic" in texts["plans.yaml"]
    prior = year_texts(data, 2022)
    assert sorted(texts) == sorted(prior)
    assert "sections: [economy, livelihood, safety, party_building]" in texts["report.yaml"]
    _, output = run("diff", "2022", "2023", "-d", data)
    assert "charging_piles" in output and "1354" in output and "1523" in output


def test_existing_year_refused_without_force_then_backed_up(
    seed_docx: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    imported(seed_docx, data)
    (data / "2022" / "report.yaml").write_text("# 我的修改\n", encoding="utf-8")
    code, output = run("import", seed_docx, "--year", "2022", "-d", data)
    assert code == 1 and "--force" in output
    assert (data / "2022" / "report.yaml").read_text("utf-8") == "# 我的修改\n"
    output = imported(seed_docx, data, 2022, "--force")
    backups = sorted(data.glob("2022.backup-*"))
    assert len(backups) == 1 and "备份" in output
    assert (backups[0] / "report.yaml").read_text("utf-8") == "# 我的修改\n"
    assert run("validate", "2022", "-d", data)[0] == 0


@pytest.mark.parametrize("name", ["x.pdf", "missing.docx"])
def test_unreadable_file_is_one_line_and_exit_1(name: str, tmp_path: Path) -> None:
    if name.endswith(".pdf"):
        (tmp_path / name).write_bytes(b"%PDF")
    code, output = run("import", tmp_path / name, "--year", "2022", "-d", tmp_path / "data")
    assert code == 1 and "错误 error" in output


def test_year_out_of_range_is_a_usage_error(seed_docx: Path, tmp_path: Path) -> None:
    assert run("import", seed_docx, "--year", "22", "-d", tmp_path)[0] == 2


@pytest.mark.parametrize("args", [["--help"], ["validate", "2022", "-d", "DATA"]])
def test_import_stays_out_of_help_and_validate(args: list[str], tmp_path: Path) -> None:
    """import is a command of its own: its reader, pinyin and python-docx load only when it runs."""
    import subprocess
    import sys

    from factory import write_year

    data = write_year(tmp_path)
    code = (
        "import sys; from annual_report.cli import app\n"
        "sys.argv = ['annual-report', *sys.argv[1:]]\n"
        "try: app()\n"
        "except SystemExit as exc: assert exc.code == 0, exc.code\n"
        "names = ('annual_report.', 'pypinyin', 'docx')\n"
        "print(sorted(m for m in sys.modules if m.startswith(names)))"
    )
    argv = [str(data) if a == "DATA" else a for a in args]
    found = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
    ).stdout.splitlines()[-1]
    assert "annual_report.cli.import_" in found  # the command is registered …
    assert not any(m in found for m in ("annual_report.importer", "pypinyin", "'docx")), found


def test_a_broken_year_before_is_said_and_not_used(seed_docx: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "2021").mkdir(parents=True)
    (data / "2021" / "report.yaml").write_text("year: [\n", encoding="utf-8")
    output = imported(seed_docx, data)
    assert "2021 年：上年数据有错误" in output


def _tables(path: Path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(str(path)).tables]


@pytest.mark.parametrize("kind", ["docx", "txt"])
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_comes_back_the_same(shape: str, kind: str, tmp_path: Path) -> None:
    """build(import(doc)) says what doc says, paragraph for paragraph, with its levels, leads,
    run-in headings, table cells, signature and date (a .txt: its text and levels)."""
    lines, year = SHAPES[shape]
    source = (od.docx if kind == "docx" else od.txt)(lines, tmp_path / f"{shape}.{kind}")
    data = tmp_path / "data"
    imported(source, data, year)
    assert run("validate", str(year), "-d", data)[0] == 0
    out = tmp_path / "out.docx"
    paragraphs = built(data, year, out)
    table_rows = [text for text in od.paragraphs(lines) if "|" in text]
    expected = [t.replace("(二)", "（二）") for t in od.paragraphs(lines) if "|" not in t]
    assert [text for _, text, _ in paragraphs] == expected
    assert ["|".join(row) for table in _tables(out) for row in table] == table_rows
    styles = [style for style, _, _ in paragraphs]
    heading1 = sum(1 for line in lines if line[0] == "h1")
    assert styles.count("Heading 1") == heading1
    if kind == "docx":  # bold leads and run-in headings come back set apart
        set_apart = [line[1] for line in lines if line[0] in ("lead", "h2runin", "h3", "h4")]
        assert [runs[0] for _, _, runs in paragraphs if runs] == set_apart
    signed = [line[1] for line in lines if line[0] == "right"]
    assert [text for style, text, _ in paragraphs if style in ("Signature", "Date")] == signed


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_most_quantities_become_metrics(shape: str, tmp_path: Path) -> None:
    lines, year = SHAPES[shape]
    data = tmp_path / "data"
    imported(od.docx(lines, tmp_path / "x.docx"), data, year)
    texts = "".join(year_texts(data, year).values())
    metrics = len(re.findall(r"\{label: ", texts))
    typed = sum(len(quantities.find(text)) for text in od.paragraphs(lines) if "|" not in text)
    assert metrics >= 0.8 * typed, (metrics, typed)


def test_a_part_title_of_another_year_is_said(seed_docx: Path, tmp_path: Path) -> None:
    """The 2022 document imported as 2023: its parts cannot be this year's summary and next
    year's plans, which is said (the --year is most likely wrong)."""
    output = imported(seed_docx, tmp_path / "data", 2023)
    assert "2022年工作总结" in output and "--year" in output


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("标题\n正文一段。\n", "没有找到“一、”级标题"),
        ("标题\n一、2022年工作总结\n", "第 2 行“2022年工作总结”下没有内容"),
        ("标题\n一、2022年工作总结\n（一）经济\n", "第 3 行的标题“经济”下没有内容"),
        ("", "没有标题"),
    ],
)
def test_an_unfinished_file_is_said_at_its_line(text: str, said: str, tmp_path: Path) -> None:
    source = tmp_path / "x.txt"
    source.write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    code, output = run("import", source, "--year", "2022", "-d", data)
    assert code == 1 and said in output and "x.txt" in output, output
    assert not (data / "2022").exists()


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_an_imported_year_is_the_normal_path_next_year(shape: str, tmp_path: Path) -> None:
    """init scaffolds the next year from an imported one, and diff compares the two."""
    lines, year = SHAPES[shape]
    data = tmp_path / "data"
    imported(od.docx(lines, tmp_path / "x.docx"), data, year)
    code, output = run("init", str(year + 1), "-d", data)
    assert code == 0, output
    code, output = run("diff", str(year), str(year + 1), "-d", data)
    assert code == 0 and "指标变化" in output, output


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_modeline_names_a_schema_the_repository_ships(shape: str, tmp_path: Path) -> None:
    """An editor follows the modeline to the schema: import and init write only names that
    schema/ holds (a part file is checked by the section schema)."""
    lines, year = SHAPES[shape]
    data = tmp_path / "data"
    imported(od.docx(lines, tmp_path / "x.docx"), data, year)
    assert run("init", str(year + 1), "-d", data)[0] == 0
    shipped = {path.name for path in (ROOT / "schema").glob("*.schema.json")}
    written = list(data.glob("*/*.yaml"))
    assert written
    for path in written:
        named = re.match(
            r"# yaml-language-server: \$schema=\.\./\.\./schema/(\S+)", path.read_text("utf-8")
        )
        assert named and named.group(1) in shipped, path


def test_imported_table_and_signature_as_libreoffice_prints_them(tmp_path: Path) -> None:
    """Shape C through import and build --pdf: the table's cells, the signature and the date are
    on the printed page (LibreOffice and poppler, as the PDF tests)."""
    import subprocess

    from test_pdf import _require

    _require("soffice")
    pdftotext = _require("pdftotext")
    lines, year = SHAPES["C"]
    data = tmp_path / "data"
    imported(od.docx(lines, tmp_path / "c.docx"), data, year)
    code, output = run("build", str(year), "-d", data, "-o", tmp_path / "c.pdf")
    assert code == 0, output
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(tmp_path / "c.pdf"), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    printed = "".join(text.split())
    for cell in ("一般公共预算收入", "-3.5%", "2023年主要指标", "*街道办事处", "2024年1月12日"):
        assert cell in printed
    assert "（二）聚焦民生福祉，提升幸福指数。新建社区食堂6个" in printed
