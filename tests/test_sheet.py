"""`metrics YEAR --to/--from` (issue 11 part 2): the year's numbers out to an .xlsx and back,
through the real CLI on a 2023 that init makes from a 2022 this test writes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from annual_report.cli import app
from factory import write_scaffolded, write_year

runner = CliRunner()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_scaffolded(tmp_path)


def metrics(data: Path, *args: str):
    return runner.invoke(app, ["metrics", "2023", "-d", str(data), *args])


def exported(data: Path, tmp_path: Path) -> Path:
    sheet = tmp_path / "指标.xlsx"
    result = metrics(data, "--to", str(sheet))
    assert result.exit_code == 0, result.output
    return sheet


def test_to_writes_one_row_per_metric(data: Path, tmp_path: Path) -> None:
    book = load_workbook(exported(data, tmp_path))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2:] == (
        "键 key",
        "名称 label",
        "单位 unit",
        "约数词 approx",
        "2022年",
        "2023年",
        "备注 note",
    )
    assert rows[1][:8] == (
        "economy.yaml",
        "谋定快动，擘画区域发展“大蓝图”",
        "charging_piles",
        "充电桩",
        "个",
        None,
        1354,
        None,
    )
    assert rows[2][2] == "parking_spaces" and rows[2][6] == 6497
    assert len(rows) == 3
    assert sheet.freeze_panes == "A2"
    assert sheet.protection.sheet  # the key column cannot be renamed …
    assert sheet["C2"].protection.locked and sheet["C2"].fill.fgColor.rgb.endswith("D9D9D9")
    assert not sheet["H2"].protection.locked  # … this year's value can be typed in
    assert sheet["G2"].number_format == "0"


def fill(sheet_path: Path, cells: dict[str, object], formats: dict[str, str] | None = None) -> None:
    book = load_workbook(sheet_path)
    sheet = book.worksheets[0]
    for ref, value in cells.items():
        sheet[ref].value = value
    for ref, fmt in (formats or {}).items():
        sheet[ref].number_format = fmt
    book.save(sheet_path)


def test_round_trip_leaves_no_value_to_fill(data: Path, tmp_path: Path) -> None:
    economy = data / "2023" / "economy.yaml"
    crlf = b"\xef\xbb\xbf" + economy.read_bytes().replace(b"\n", b"\r\n")  # a Windows editor's
    economy.write_bytes(crlf)
    sheet = exported(data, tmp_path)
    fill(sheet, {"H2": 1523, "H3": 98.5}, {"H3": "0.00"})
    result = metrics(data, "--from", str(sheet))
    assert result.exit_code == 0, result.output
    after = economy.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and after.count(b"\r\n") == crlf.count(b"\r\n")
    text = after.decode("utf-8-sig")
    assert "charging_piles: {label: 充电桩, value: 1523, unit: 个} # 2022: 1354" in text
    assert "        value: 98.50 # 2022: 6497" in text  # as the sheet shows it, comment kept
    changed = [(a, b) for a, b in zip(crlf.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(changed) == 2  # only the values touched
    check = runner.invoke(app, ["validate", "2023", "-d", str(data), "-f", "json"])
    codes = {p["code"] for p in json.loads(check.stdout)}
    assert "unfinished_value" not in codes
    out = tmp_path / "draft.docx"  # the texts are still to rewrite: a draft shows the numbers
    built = runner.invoke(app, ["build", "2023", "-d", str(data), "-o", str(out), "--draft"])
    assert built.exit_code == 0, built.output
    text = "".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "充电桩1523个" in text and "停车泊位98.50个" in text  # as the sheet showed it


@pytest.mark.parametrize(
    ("cells", "said"),
    [
        ({"H2": "一千"}, "指标.xlsx:H2: 应为数字，实际为“一千”：请用阿拉伯数字，如 1000"),
        ({"H3": -3}, "指标.xlsx:H3: 数值不能为负数，实际为 -3"),
        ({"C3": "parking"}, "指标.xlsx:C3: 表里的指标 economy.yaml 的“parking”在数据里没有"),
        ({"C3": "charging_piles"}, "指标.xlsx:C3: 指标“charging_piles”在表里出现了两次"),
    ],
)
def test_a_wrong_cell_is_said_at_its_cell_and_nothing_is_written(
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cells: dict[str, object],
    said: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    sheet = exported(data, tmp_path)
    fill(sheet, {"H2": 1523, "H3": 7, **cells})
    before = {p: p.read_bytes() for p in (data / "2023").iterdir()}
    result = metrics(data, "--from", "指标.xlsx")
    assert result.exit_code == 1
    assert f"错误 error: {said}" in result.output
    assert {p: p.read_bytes() for p in (data / "2023").iterdir()} == before


def test_every_wrong_cell_at_once(data: Path, tmp_path: Path) -> None:
    sheet = exported(data, tmp_path)
    fill(sheet, {"H2": "一千", "H3": -1})
    result = metrics(data, "--from", str(sheet))
    assert result.exit_code == 1
    assert ":H2: " in result.output and ":H3: " in result.output


def test_to_or_from_is_required(data: Path) -> None:
    assert metrics(data).exit_code == 2


def test_openpyxl_stays_out_of_help_and_validate(tmp_path: Path) -> None:
    data = write_year(tmp_path)
    code = (
        "import sys\n"
        "from annual_report.cli import main\n"
        "sys.argv = ['annual-report', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'openpyxl' not in sys.modules, 'openpyxl imported'\n"
    )
    for args in (["--help"], ["validate", "2022", "-d", str(data)]):
        done = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
        )
        assert "openpyxl imported" not in done.stderr, done.stderr
        assert done.returncode == 0, done.stderr
