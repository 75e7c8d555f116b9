"""The seed document as LibreOffice prints it: the words, 28 characters a line, 22 lines a page.

This is the closest stand-in for opening the file in Word that runs here. The fonts are the
free stand-ins named in templates/gbt9704-fonts.conf.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annual_report.cli import app
from annual_report.layout import Profile, build_document, load_profile
from annual_report.output import convert_to_pdf
from layout_helpers import FONTS_CONF, PROFILE, ROOT, build_seed_docx, seed_blocks, seed_lines

XHTML = "{http://www.w3.org/1999/xhtml}"
PAGE_NUMBER = re.compile(r"^—(\d+)—$")
# A line may end short when its next character may not end a line (an opening quote or
# bracket goes down with the word it opens): the Chinese line-breaking rule, not a fault.
OPENING = "“‘（《〈【「『〔"
CONVERT_TIMEOUT_S = 300


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} not found: apt-get install libreoffice-writer-nogui poppler-utils"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile(PROFILE)


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require("soffice")
    _require("pdftotext")
    workdir = tmp_path_factory.mktemp("pdf")
    source = build_seed_docx(workdir / "seed.docx")
    return convert_to_pdf(source, workdir / "seed.pdf", fontconfig=FONTS_CONF)


@pytest.fixture(scope="module")
def pages(seed_pdf: Path) -> list[list[str]]:
    return _pages(seed_pdf)


def _pages(pdf: Path) -> list[list[str]]:
    """Each page's visual lines, top to bottom, words joined without spaces."""
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    root = ET.fromstring(html)
    return [_visual_lines(page) for page in root.iter(f"{XHTML}page")]


def _visual_lines(page: ET.Element) -> list[str]:
    """pdftotext may cut one printed line into several: join those sharing a baseline."""
    pieces = sorted(
        (round(float(line.get("yMax", "0"))), float(line.get("xMin", "0")), _words(line))
        for line in page.iter(f"{XHTML}line")
    )
    return [
        "".join(text for _, _, text in group)
        for _, group in itertools.groupby(pieces, key=lambda piece: piece[0])
    ]


def _words(line: ET.Element) -> str:
    return "".join(word.text or "" for word in line.iter(f"{XHTML}word"))


def _body_lines(page: list[str]) -> list[str]:
    return [line for line in page if not PAGE_NUMBER.match(line)]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_text_equals_the_seed(seed_pdf: Path, record_property: pytest.RecordProperty) -> None:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(seed_pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    numbers = re.findall(r"—\s*(\d+)\s*—", text)
    body = re.sub(r"—\s*\d+\s*—", "", text)
    assert _squeeze(body) == _squeeze("".join(seed_lines()))
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
    record_property("pages", len(numbers))
    print(f"\nseed document: {len(numbers)} pages")


def test_every_page_has_its_number(pages: list[list[str]]) -> None:
    numbers = [[m.group(1) for line in page if (m := PAGE_NUMBER.match(line))] for page in pages]
    assert numbers == [[str(n)] for n in range(1, len(pages) + 1)]


def test_full_pages_hold_the_grid_lines(pages: list[list[str]], profile: Profile) -> None:
    _assert_full_pages(pages, profile.grid.lines_per_page)


def _assert_full_pages(pages: list[list[str]], expected: int) -> None:
    assert len(pages) > 2, "the seed should run over more than two pages"
    counts = [len(_body_lines(page)) for page in pages]
    assert counts[1:-1] == [expected] * (len(pages) - 2), counts
    assert counts[0] <= expected
    assert counts[-1] <= expected


@pytest.mark.parametrize("lines", [24, 20])
def test_lines_per_page_is_what_libreoffice_prints(tmp_path: Path, lines: int) -> None:
    """Changing grid.lines_per_page changes the lines a page (it once kept 22, silently):
    the pitch follows from the text block, and every full page holds that many lines."""
    _require("soffice")
    _require("pdftotext")
    changed = tmp_path / "profile.yaml"
    text = PROFILE.read_text("utf-8")
    assert "lines_per_page: 22 " in text
    changed.write_text(text.replace("lines_per_page: 22 ", f"lines_per_page: {lines} "), "utf-8")
    profile = load_profile(changed)
    document = build_document(seed_blocks(), profile, title=seed_lines()[0], author="*街道")
    document.save(str(tmp_path / "seed.docx"))
    pdf = convert_to_pdf(tmp_path / "seed.docx", tmp_path / "seed.pdf", fontconfig=FONTS_CONF)
    _assert_full_pages(_pages(pdf), lines)


def test_full_lines_hold_the_grid_characters(pages: list[list[str]], profile: Profile) -> None:
    """A line of Chinese that does not end its paragraph fills the 28-character line.

    The first line of a paragraph starts after its 2-character indent. A line may end up to two
    characters short where the next begins with an opening quote or bracket (never left at a
    line end) or with a number or Latin word (kept whole, never split).
    """
    lines = [line for page in pages for line in _body_lines(page)]
    full = profile.grid.chars_per_line
    indent = round(profile.elements.body.indent_chars)
    wrong = []
    for index, (line, starts, ends) in enumerate(_with_paragraph_edges(lines)):
        if ends or not all(unicodedata.east_asian_width(c) in "WF" for c in line):
            continue
        expected = full - indent if starts else full
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        kept_whole = next_line[:1] in tuple(OPENING) or next_line[:1].isascii()
        shortest = expected - 2 if kept_whole else expected
        if not shortest <= len(line) <= expected:
            wrong.append(f"{len(line)}: {line}")
    assert wrong == []


def _with_paragraph_edges(lines: list[str]) -> list[tuple[str, bool, bool]]:
    """Each line with whether it starts and whether it ends a paragraph of the seed."""
    ends: set[int] = set(itertools.accumulate(len(_squeeze(p)) for p in seed_lines()))
    starts = {0} | ends
    result = []
    position = 0
    for line in lines:
        result.append((line, position in starts, position + len(line) in ends))
        position += len(line)
    return result


def test_build_pdf_uses_the_stand_in_fonts(tmp_path: Path, monkeypatch) -> None:
    """`build --pdf` on a machine without the official fonts maps them to the free stand-ins
    (run as a user does, from the repository with relative paths)."""
    _require("soffice")
    _require("pdffonts")
    monkeypatch.chdir(ROOT)
    target = tmp_path / "summary.docx"
    result = CliRunner().invoke(app, ["build", "2022", "-o", str(target), "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = target.with_suffix(".pdf")
    assert str(pdf) in result.stdout
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "BousungEG" in fonts and "GBZenKai" in fonts  # AR PL SungtiL GB, AR PL KaitiM GB


def test_build_pdf_of_a_file_named_like_an_option(tmp_path: Path, monkeypatch) -> None:
    """`-o ./-x.docx --pdf`: LibreOffice must not read the file name as one of its options,
    and a temporary folder with a space or a # must still make a valid profile URL."""
    _require("soffice")
    data = ROOT / "data"
    monkeypatch.chdir(tmp_path)
    odd = tmp_path / "tmp dir #1"
    odd.mkdir()
    monkeypatch.setenv("TMPDIR", str(odd))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    result = CliRunner().invoke(app, ["build", "2022", "-d", str(data), "-o", "./-x.docx", "--pdf"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "-x.pdf").is_file()
    assert "-x.pdf" in result.stdout


def test_signature_stands_one_blank_line_below_the_body(
    tmp_path: Path, monkeypatch, profile: Profile
) -> None:
    """One empty line between the last body line and the signature: baselines 2 pitches apart
    (built from data with a signature through the real outline, as `build` does)."""
    _require("soffice")
    _require("pdftotext")
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "2022", data / "2022")
    report = data / "2022" / "report.yaml"
    report.write_text(
        report.read_text("utf-8") + 'signature: "*街道办事处"\ndate: 2023-01-06\n', "utf-8"
    )
    target = tmp_path / "signed.docx"
    monkeypatch.chdir(ROOT)  # the stand-in fonts, as a user runs it
    result = CliRunner().invoke(app, ["build", "2022", "-d", str(data), "-o", str(target)])
    assert result.exit_code == 0, result.output
    pdf = convert_to_pdf(target, tmp_path / "signed.pdf", fontconfig=FONTS_CONF)
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    last_page = list(ET.fromstring(html).iter(f"{XHTML}page"))[-1]
    baselines = sorted(
        {
            (round(float(line.get("yMax", "0")), 1), _words(line))
            for line in last_page.iter(f"{XHTML}line")
            if not PAGE_NUMBER.match(_words(line))
        }
    )
    texts = [text for _, text in baselines]
    signature = next(i for i, text in enumerate(texts) if text == "*街道办事处")
    assert texts[signature + 1] == "2023年1月6日"
    assert signature > 0, "the signature should share its page with the closing lines"
    gap = baselines[signature][0] - baselines[signature - 1][0]
    pitch = profile.line_pitch_pt
    assert gap == pytest.approx(2 * pitch, abs=1.0), (gap, texts[signature - 1 :])
    date_gap = baselines[signature + 1][0] - baselines[signature][0]
    assert date_gap == pytest.approx(pitch, abs=1.0)


def test_build_to_a_pdf_name_writes_both(tmp_path: Path, monkeypatch) -> None:
    """`-o 总结.pdf` is the PDF, with 总结.docx beside it: never a folder named 总结.pdf."""
    _require("soffice")
    _require("pdftotext")
    monkeypatch.chdir(ROOT)
    target = tmp_path / "总结.pdf"
    result = CliRunner().invoke(app, ["build", "2022", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file() and (tmp_path / "总结.docx").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["总结.docx", "总结.pdf"]
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert _squeeze(seed_lines()[0]) in _squeeze(text)


def test_draft_says_so_on_every_page_as_printed(tmp_path: Path) -> None:
    """build --draft on a year init just made, as LibreOffice prints it: 草稿 heads page 1 (odd)
    and page 2 (even), and a value still to fill in is there to see."""
    _require("soffice")
    _require("pdftotext")
    from factory import write_year

    runner = CliRunner()
    data = write_year(tmp_path)
    assert runner.invoke(app, ["init", "2023", "-d", str(data)]).exit_code == 0
    economy = data / "2023" / "economy.yaml"  # long enough for a second page
    text = economy.read_text(encoding="utf-8")
    economy.write_text(text.replace("body: 【待更新】", "body: 【待更新】" + "建设推进。" * 160, 1))
    out = tmp_path / "draft.pdf"
    result = runner.invoke(app, ["build", "2023", "-d", str(data), "-o", str(out), "--draft"])
    assert result.exit_code == 0, result.output
    pages = _pages(out)
    assert len(pages) >= 2
    assert [page[0] for page in pages[:2]] == ["草稿", "草稿"]
    assert "【待填：充电桩】" in "".join(line for page in pages for line in page)
