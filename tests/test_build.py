"""`annual-report build` end to end: data/2022 → .docx whose text is the seed, word for word."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from annual_report import dataset, outline, templates
from annual_report.cli import app
from layout_helpers import seed_blocks, seed_lines

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
runner = CliRunner()


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    target = tmp_path / "out" / "summary.docx"
    result = runner.invoke(app, ["build", "2022", "--data-dir", str(DATA), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert str(target) in result.stdout
    return target


def test_document_text_is_the_seed_word_for_word(built: Path) -> None:
    assert paragraphs(built) == seed_lines()


def test_outline_sets_off_lead_sentences_and_run_in_headings() -> None:
    data, _, _ = dataset.load_year(DATA, 2022)
    template = templates.find(templates.OUTLINE, DATA).read_text("utf-8")
    blocks = outline.render_outline(template, outline.outline_context(data))
    assert blocks == seed_blocks()


def test_default_output_is_the_title_under_build_year(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["build", "2022", "--data-dir", str(DATA)])
    assert result.exit_code == 0, result.output
    expected = Path("build/2022/街道办2022年总结和2023年工作计划.docx")
    assert expected.is_file()
    assert str(expected) in result.stdout
    assert not list(expected.parent.glob(".*"))  # no temporary file left behind


def test_document_properties_name_title_and_organization(built: Path) -> None:
    properties = docx.Document(str(built)).core_properties
    assert properties.title == "街道办2022年总结和2023年工作计划"
    assert properties.author == "*街道"


def copy_year(source: Path, target_root: Path, year: int) -> None:
    """data/2022 as another year: same text, report and plan years moved."""
    folder = target_root / str(year)
    shutil.copytree(source, folder)
    for name, field, value in (("report.yaml", "year", year), ("plans.yaml", "year", year + 1)):
        path = folder / name
        lines = [
            f"{field}: {value}" if line.startswith(f"{field}:") else line
            for line in path.read_text("utf-8").splitlines()
        ]
        path.write_text("\n".join(lines) + "\n", "utf-8")


def test_build_all_writes_every_year(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for year in (2022, 2023):
        copy_year(DATA / "2022", data, year)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--all", "--data-dir", str(data), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list(out.rglob("*.docx"))) == 2


def test_failed_build_keeps_the_previous_document(tmp_path: Path) -> None:
    data = tmp_path / "data"
    copy_year(DATA / "2022", data, 2022)
    target = tmp_path / "summary.docx"
    target.write_bytes(b"previous build")
    economy = data / "2022" / "economy.yaml"
    economy.write_text(economy.read_text("utf-8").replace("value: 1354", "value: 一千"), "utf-8")
    result = runner.invoke(app, ["build", "2022", "--data-dir", str(data), "-o", str(target)])
    assert result.exit_code == 1
    assert "economy.yaml" in result.output and "charging_piles.value" in result.output
    assert "Traceback" not in result.output
    assert target.read_bytes() == b"previous build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "summary.docx"]


def test_build_without_year_is_explained(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2  # the command line is wrong, not the data
    assert "请指定年度" in result.output and "annual-report build 2022" in result.output


def test_build_all_without_year_folders_is_a_data_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--all", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "没有年度目录" in result.output


def test_years_with_all_is_a_usage_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    copy_year(DATA / "2022", data, 2022)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "2022", "--all", "-d", str(data), "-o", str(out)])
    assert result.exit_code == 2
    assert "--all" in result.output and not out.exists()


def test_a_year_given_twice_is_built_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    copy_year(DATA / "2022", data, 2022)
    target = tmp_path / "summary.docx"
    result = runner.invoke(app, ["build", "2022", "2022", "-d", str(data), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(target)]


def test_build_all_prints_what_it_wrote_before_a_later_year_fails(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for year in (2022, 2023):
        copy_year(DATA / "2022", data, year)
    (data / "2023" / "economy.yaml").write_text("heading: [", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--all", "-d", str(data), "-o", str(out)])
    assert result.exit_code == 1
    written = list(out.rglob("*.docx"))
    assert [p.parent.name for p in written] == ["2022"]
    assert str(written[0]) in result.stdout
    assert "economy.yaml" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--template-dir", "no-such-folder"),
        ("--template-dir", "data/2022/report.yaml"),  # a file, not a folder
        ("--profile", "no-such-profile.yaml"),
        ("--profile", "data/2022"),  # a folder, not a file
    ],
)
def test_a_missing_template_folder_or_profile_is_a_usage_error(
    tmp_path: Path, option: str, value: str
) -> None:
    target = tmp_path / "summary.docx"
    result = runner.invoke(
        app,
        ["build", "2022", "-d", str(DATA), "-o", str(target), option, str(ROOT / value)],
    )
    assert result.exit_code == 2, result.output
    assert not target.exists()


def test_unknown_option_is_a_usage_error() -> None:
    result = runner.invoke(app, ["build", "2022", "--no-such-option"])
    assert result.exit_code == 2


def test_version_and_module_entry_point() -> None:
    import subprocess
    import sys

    from annual_report import __version__

    done = subprocess.run(
        [sys.executable, "-m", "annual_report", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"annual-report {__version__}"


def test_a_long_title_breaks_where_title_lines_say(tmp_path: Path) -> None:
    data = tmp_path / "data"
    copy_year(DATA / "2022", data, 2022)
    report = data / "2022" / "report.yaml"
    text = report.read_text("utf-8")
    lines = "title_lines: [街道办2022年总结, 和2023年工作计划]\n"
    report.write_text(text.replace("preamble:", lines + "preamble:", 1), "utf-8")
    target = tmp_path / "summary.docx"
    result = runner.invoke(app, ["build", "2022", "--data-dir", str(data), "-o", str(target)])
    assert result.exit_code == 0, result.output
    title = docx.Document(str(target)).paragraphs[0]
    assert title.text == "街道办2022年总结\n和2023年工作计划"
    assert len(title._p.xpath(".//w:br")) == 1
    assert target.name == "summary.docx"


@pytest.mark.parametrize("name", ["²", "٢٠٢٢", "２０２２", "20222"])
def test_a_folder_named_in_other_digits_is_not_a_year(tmp_path: Path, name: str) -> None:
    data = tmp_path / "data"
    copy_year(DATA / "2022", data, 2022)
    (data / name).mkdir()
    checked = runner.invoke(app, ["validate", "--data-dir", str(data)])
    assert checked.exit_code == 0, checked.output
    out = tmp_path / "out"
    built = runner.invoke(app, ["build", "--all", "--data-dir", str(data), "-o", str(out)])
    assert built.exit_code == 0, built.output
    assert len(list(out.rglob("*.docx"))) == 1


def signed_year(tmp_path: Path) -> Path:
    """data/2022 with a signature and a date, as an office that signs its summary writes it."""
    data = tmp_path / "data"
    copy_year(DATA / "2022", data, 2022)
    report = data / "2022" / "report.yaml"
    signature = 'signature: "*街道办事处"\ndate: 2023-01-06\n'
    report.write_text(report.read_text("utf-8") + signature, "utf-8")
    return data


def test_one_blank_line_between_the_body_and_the_signature(tmp_path: Path) -> None:
    """GB/T 9704: the signature one blank line below the body. The profile's
    signature.blank_lines_before is that line (space before the Signature style); the outline
    adds no blank paragraph of its own, or the gap is two lines."""
    from docx.oxml.ns import qn

    target = tmp_path / "signed.docx"
    data = signed_year(tmp_path)
    result = runner.invoke(app, ["build", "2022", "--data-dir", str(data), "-o", str(target)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(target))
    *_, closing, signature, date = document.paragraphs
    assert (closing.style.name, signature.style.name, date.style.name) == (
        "Normal",
        "Signature",
        "Date",
    )
    assert closing.text.startswith("2023年，") and signature.text == "*街道办事处"
    style = document.styles["Signature"].element.pPr.find(qn("w:spacing"))
    assert style.get(qn("w:before")) == "579"  # one 28.95 pt line
    assert style.get(qn("w:line")) == "579" and style.get(qn("w:lineRule")) == "exact"
    assert signature._p.pPr.find(qn("w:spacing")) is None  # nothing added per paragraph


@pytest.mark.parametrize(
    ("encoding", "warned"), [("gbk", True), ("utf-8-sig", False), ("gb18030", True)]
)
def test_an_outline_saved_by_windows_notepad_builds(
    tmp_path: Path, encoding: str, warned: bool
) -> None:
    """Notepad's "ANSI" is GBK on Chinese Windows, and it used to add a BOM to UTF-8: read like
    the data (GB18030 with a warning to convert it), not a UnicodeDecodeError or "stray text"."""
    folder = tmp_path / "templates"
    folder.mkdir()
    text = (ROOT / "templates" / "outline.j2").read_text("utf-8")
    (folder / "outline.j2").write_bytes(text.encode(encoding))
    target = tmp_path / "summary.docx"
    result = runner.invoke(
        app, ["build", "2022", "-d", str(DATA), "-o", str(target), "-t", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert paragraphs(target) == seed_lines()
    assert ("GB18030" in result.output and "outline.j2" in result.output) is warned


def test_an_outline_in_no_known_encoding_is_a_clean_error(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "outline.j2").write_bytes(b'{{ paragraph("title", "\xff\xff\xff") }}\n')
    result = runner.invoke(
        app, ["build", "2022", "-d", str(DATA), "-o", str(tmp_path / "x.docx"), "-t", str(folder)]
    )
    assert result.exit_code == 1, result.output
    assert "outline.j2:1:" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("name", ["总结.pdf", "总结.PDF"])
def test_an_output_ending_in_pdf_writes_the_docx_beside_it_and_the_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """`-o 总结.pdf` once made a folder 总结.pdf/ holding the .docx: it means the PDF, as --pdf
    does, with 总结.docx beside it (LibreOffice stood in for here; test_pdf runs the real one)."""
    converted: list[tuple[Path, Path]] = []

    def convert(docx_path: Path, pdf_path: Path, *, fontconfig: Path | None = None) -> Path:
        converted.append((docx_path, pdf_path))
        pdf_path.write_bytes(b"%PDF-1.7\n")
        return pdf_path

    monkeypatch.setattr("annual_report.output.convert_to_pdf", convert)
    target = tmp_path / name
    result = runner.invoke(app, ["build", "2022", "-d", str(DATA), "-o", str(target)])
    assert result.exit_code == 0, result.output
    docx_path = tmp_path / "总结.docx"
    assert converted == [(docx_path, target)]
    assert target.is_file() and paragraphs(docx_path) == seed_lines()
    assert result.stdout.split() == [str(docx_path), str(target)]


@pytest.mark.parametrize("name", ["总结.txt", "总结", "总结.doc"])
def test_an_output_that_is_an_existing_other_file_is_a_usage_error(
    tmp_path: Path, name: str
) -> None:
    """Taken for a folder, it would fail late with a disk error (or, for a name without a
    suffix, be the folder's name): refused first, the file untouched."""
    target = tmp_path / name
    target.write_text("keep me", "utf-8")
    result = runner.invoke(app, ["build", "2022", "-d", str(DATA), "-o", str(target)])
    assert result.exit_code == 2, result.output
    assert ".docx" in result.output and ".pdf" in result.output
    assert target.read_text("utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_an_output_not_yet_there_without_docx_or_pdf_is_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "out.v2"
    result = runner.invoke(app, ["build", "2022", "-d", str(DATA), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.suffix for p in out.iterdir()] == [".docx"]


@pytest.mark.parametrize("name", ["总结.docx", "总结.pdf", "existing.txt"])
def test_several_years_want_an_output_folder(tmp_path: Path, name: str) -> None:
    data = tmp_path / "data"
    for year in ("2021", "2022"):
        shutil.copytree(DATA / "2022", data / year)
    target = tmp_path / name
    if name == "existing.txt":
        target.write_text("x", "utf-8")
    result = runner.invoke(app, ["build", "--all", "-d", str(data), "-o", str(target)])
    assert result.exit_code == 2, result.output
    assert "目录" in result.output and not (tmp_path / "总结.docx").exists()
