"""Nothing bad slips into the document unseen (issue 8, part 2): each case once passed
`validate --strict` and built. Through the real CLI, on copies of data/2022 in tmp folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from annual_report.cli import app

runner = CliRunner()
SOURCE = Path(__file__).resolve().parents[1] / "data" / "2022"
PILES = "value: 1354"  # economy.yaml line 18, the value at column 43
PILES_BODY = "充电桩{{ m.charging_piles }}"


def copy_2022(tmp_path: Path, folder: str = "2022") -> Path:
    data = tmp_path / "data"
    shutil.copytree(SOURCE, data / folder)
    return data


def edit(path: Path, old: str, new: str) -> tuple[int, int]:
    """Replace ``old`` once; (line, column) where the new text starts."""
    text = path.read_text("utf-8")
    assert old in text, old
    start = text.index(old)
    path.write_text(text.replace(old, new, 1), "utf-8")
    line = text.count("\n", 0, start) + 1
    return line, start - text.rfind("\n", 0, start)


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(arg) for arg in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def document_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


@pytest.mark.parametrize("typed", ["1354.50", "3.14159265358979323846", "0.0000001"])
def test_a_number_prints_as_typed(tmp_path: Path, typed: str) -> None:
    data = copy_2022(tmp_path)
    edit(data / "2022" / "economy.yaml", PILES, f"value: {typed}")
    assert run("validate", "2022", "-d", data, "--strict")[0] == 0
    target = tmp_path / "x.docx"
    assert run("build", "2022", "-d", data, "-o", target)[0] == 0
    assert f"充电桩{typed}个" in document_text(target)


@pytest.mark.parametrize(
    ("typed", "plain"),
    [("5e-324", ""), ("12e3", "12000"), ("0x1F", "31"), ("0o17", "15"), ("0b101", "5")],
)
def test_a_number_not_written_plainly_is_refused_with_the_plain_one(
    tmp_path: Path, typed: str, plain: str
) -> None:
    data = copy_2022(tmp_path)
    economy = data / "2022" / "economy.yaml"
    edit(economy, PILES, f"value: {typed}")
    code, output = run("validate", "2022", "-d", data)
    assert code == 1
    assert f"{economy}:18:43: items[1].metrics.charging_piles.value: 数字 “{typed}”" in output
    assert f"如 {plain}：" in output if plain else "普通的数字：" in output


def two_years(tmp_path: Path, old: str, new: str, body: str = "") -> Path:
    """2021 (a copy of 2022 under its own year) with charging_piles = ``old``, 2022 with
    ``new`` and its body changed as ``body`` says."""
    data = copy_2022(tmp_path)
    shutil.copytree(SOURCE, data / "2021")
    edit(data / "2021" / "report.yaml", "year: 2022", "year: 2021")
    edit(data / "2021" / "plans.yaml", "year: 2023", "year: 2022")
    edit(data / "2021" / "economy.yaml", PILES, f"value: {old}")
    edit(data / "2022" / "economy.yaml", PILES, f"value: {new}")
    if body:
        edit(data / "2022" / "economy.yaml", PILES_BODY, body)
    return data


def test_a_yoy_beyond_a_million_per_cent_is_refused_at_the_reference(tmp_path: Path) -> None:
    """Once 同比增长9.99…E+28% from a 1e-12 → 1e15 change."""
    data = two_years(
        tmp_path,
        "0.000000000001",
        "1000000000000000",
        PILES_BODY + "（{{ m.charging_piles | yoy }}）",
    )
    code, output = run("validate", "2022", "-d", data)
    assert code == 1
    assert "items[1].body: 指标 “charging_piles” 的同比变化超过 ±1000000%" in output
    assert "E+" not in output


def test_a_large_yoy_prints_in_positional_notation(tmp_path: Path) -> None:
    data = two_years(tmp_path, "1", "10001", PILES_BODY + "（{{ m.charging_piles | yoy }}）")
    target = tmp_path / "x.docx"
    code, output = run("build", "2022", "-d", data, "-o", target)
    assert code == 0, output
    assert "充电桩10001个（同比增长1000000.0%）" in document_text(target)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_diff_never_prints_an_exponent(tmp_path: Path, fmt: str) -> None:
    """Once ``+1E-7`` in diff."""
    data = two_years(tmp_path, "0.1", "0.1000001")
    code, output = run("diff", "2021", "2022", "-d", data, "--format", fmt)
    assert code == 0, output
    if fmt == "json":  # JSON numbers are for programs: 1e-07 is the same number to them
        assert json.loads(output)["metrics"][0]["change"] == pytest.approx(1e-7)
    else:
        assert "E-" not in output and "e-" not in output and "+0.0000001" in output


@pytest.mark.parametrize(
    "malformed",
    ["{ {m.charging_piles} }", "{{ m.charging_piles }}}", "充电桩}}}", "{ m.charging_piles }"],
)
def test_a_malformed_reference_is_refused_at_its_place(tmp_path: Path, malformed: str) -> None:
    data = copy_2022(tmp_path)
    economy = data / "2022" / "economy.yaml"
    line, column = edit(economy, "{{ m.charging_piles }}", malformed)
    brace = column + next(i for i, c in enumerate(malformed) if c in "{}" and i >= 0)
    if malformed.startswith("{{ m.charging_piles }}"):
        brace = column + len("{{ m.charging_piles }}")
    code, output = run("validate", "2022", "-d", data)
    assert code == 1
    assert f"{economy}:{line}:{brace}: items[1].body: 这里有多余的花括号" in output, output


def test_a_jinja_error_quotes_the_reference_not_the_paragraph(tmp_path: Path) -> None:
    data = copy_2022(tmp_path)
    edit(data / "2022" / "economy.yaml", "{{ m.charging_piles }}", "{{ m['charging_piles'] }}")
    code, output = run("validate", "2022", "-d", data)
    assert code == 1
    assert "不允许其他模板语法：{{ m['charging_piles'] }} (" in output
    assert "协调推进" not in output


INVISIBLE = ["\u200b", "\ufeff", "\u202e", "\u2028", "\u2029", "\u00ad", "\ufffd", "\ue000"]


@pytest.mark.parametrize("escaped", [False, True])
@pytest.mark.parametrize("char", INVISIBLE)
def test_an_invisible_or_direction_character_is_an_error_at_it(
    tmp_path: Path, char: str, escaped: bool
) -> None:
    data = copy_2022(tmp_path)
    report = data / "2022" / "report.yaml"
    typed = f"\\u{ord(char):04x}" if escaped else char
    line, column = edit(report, 'organization: "*街道"', f'organization: "*街{typed}道"')
    code, output = run("validate", "2022", "-d", data)
    assert code == 1
    said = f"{report}:{line}:{column + len('organization: *街') + 1}: organization: "
    assert said in output, output
    assert f"U+{ord(char):04X}" in output
    assert char not in output  # named, never printed as itself


def test_a_folder_holding_another_year_is_refused(tmp_path: Path) -> None:
    """data/2030 holding 2022's report once built a 2022 document under build/2030 and diffed
    as "no differences"."""
    data = copy_2022(tmp_path, "2030")
    shutil.copytree(SOURCE, data / "2022")
    report = data / "2030" / "report.yaml"
    code, output = run("validate", "2030", "-d", data)
    assert code == 1
    assert f"{report}:6:7: year: 这里写的年度与目录名 2030 不一致" in output
    assert run("build", "2030", "-d", data, "-o", tmp_path / "x.docx")[0] == 1
    assert not (tmp_path / "x.docx").exists()
    assert run("diff", "2022", "2030", "-d", data)[0] == 2
    assert run("validate", "2022", "-d", data)[0] == 0


@pytest.mark.parametrize(
    ("file", "anchor", "typed", "ok"),
    [
        ("report.yaml", "plans: plans", "date: 0001-01-01", False),
        ("report.yaml", "plans: plans", "date: 2021-12-31", False),
        ("report.yaml", "plans: plans", "date: 2024-01-01", False),
        ("report.yaml", "plans: plans", "date: 2022-01-01", True),
        ("report.yaml", "plans: plans", "date: 2023-12-31", True),
        ("plans.yaml", "    body:", "    deadline: 2022-12-31", False),
        ("plans.yaml", "    body:", "    deadline: 2025-01-01", False),
        ("plans.yaml", "    body:", "    deadline: 2024-12-31", True),
    ],
)
def test_dates_lie_in_their_year_or_the_next(
    tmp_path: Path, file: str, anchor: str, typed: str, ok: bool
) -> None:
    """A report date in 2022 or 2023; a deadline of the 2023 plans in 2023 or 2024."""
    data = copy_2022(tmp_path)
    path = data / "2022" / file
    line, _ = edit(
        path, anchor, f"{typed}\n{anchor}" if file == "plans.yaml" else f"{anchor}\n{typed}"
    )
    line += 0 if file == "plans.yaml" else 1
    code, output = run("validate", "2022", "-d", data, "--strict")
    if ok:
        assert code == 0, output
        return
    assert code == 1
    column = typed.index(":") + 3
    assert f"{path}:{line}:{column}:" in output and "超出范围" in output, output


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_escapes_and_line_breaks_from_a_value_never_reach_the_terminal(
    tmp_path: Path, fmt: str
) -> None:
    """A key is quoted back in the message: its ESC and newline are written as escapes, and
    every problem stays one line."""
    data = copy_2022(tmp_path)
    report = data / "2022" / "report.yaml"
    edit(report, "plans: plans", 'plans: plans\n"x\\e[31m\\ny\\u202e": 1')
    code, output = run("validate", "2022", "-d", data, "--format", fmt)
    assert code == 1
    assert "\x1b" not in output and "\u202e" not in output
    if fmt == "json":
        [problem] = json.loads(output)
        assert "\\x1b" in problem["path"] + problem["message"]
    else:
        lines = [line for line in output.splitlines() if "report.yaml" in line]
        assert len(lines) == 1 and "\\x1b[31m\\ny\\u202e" in lines[0], output
