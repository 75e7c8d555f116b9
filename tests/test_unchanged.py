"""A paragraph or plan left word for word as last year's (issue 11 part 4): a validate warning
at its body, an error under --strict, silenced by ``unchanged: true``; the plan note stays an
error. Through the real CLI on a 2023 made by init from a 2022 this test writes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annual_report.cli import app
from factory import write_scaffolded, write_year

runner = CliRunner()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_scaffolded(tmp_path)


def finish(folder: Path, *, keep_note: bool = False) -> None:
    """Values filled in and every 【待更新】 deleted, nothing rewritten: the lazy update."""
    for path in folder.glob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace("【待更新】", "")
        if not keep_note:
            text = re.sub(r"（\d{4}年计划原文）", "", text)
        path.write_text(text.replace("value: null", "value: 7"), encoding="utf-8")


def problems(data: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = runner.invoke(app, ["validate", "2023", "-d", str(data), "-f", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def test_last_years_text_is_a_warning_at_its_body(data: Path) -> None:
    finish(data / "2023")
    code, found = problems(data)
    assert code == 0
    same = [
        (p["file"], p["line"], p["column"], p["path"])
        for p in found
        if p["code"] == "unchanged_text"
    ]
    economy = next(str(p["file"]) for p in found if str(p["file"]).endswith("economy.yaml"))
    plans = next(str(p["file"]) for p in found if str(p["file"]).endswith("plans.yaml"))
    review = next(str(p["file"]) for p in found if str(p["file"]).endswith("plan_review.yaml"))
    assert (economy, 6, 11, "items[0].body") in same  # the paragraph
    assert (plans, 6, 11, "items[0].body") in same  # next year's plan, as last year wrote it
    assert (review, 11, 11, "items[0].body") in same  # the plan answered with its own words
    assert all(p["severity"] == "warning" for p in found if p["code"] == "unchanged_text")
    message = next(str(p["message"]) for p in found if p["code"] == "unchanged_text")
    assert "与 2022 年的原文一字不差" in message and "unchanged: true" in message


def test_strict_makes_it_an_error(data: Path) -> None:
    finish(data / "2023")
    code, found = problems(data, "--strict")
    assert code == 1
    assert any(p["code"] == "unchanged_text" and p["severity"] == "error" for p in found)


def test_unchanged_true_is_on_purpose(data: Path) -> None:
    finish(data / "2023")
    economy = data / "2023" / "economy.yaml"
    text = economy.read_text(encoding="utf-8")
    economy.write_text(text.replace("    lead: ", "    unchanged: true\n    lead: ", 1), "utf-8")
    _, found = problems(data)
    assert not any(
        str(p["file"]).endswith("economy.yaml") and p["code"] == "unchanged_text" for p in found
    )


def test_the_plan_note_stays_an_error(data: Path) -> None:
    finish(data / "2023", keep_note=True)
    code, found = problems(data)
    assert code == 1
    assert any(p["code"] == "unfinished_plan_text" and p["severity"] == "error" for p in found)


def test_init_does_not_carry_unchanged_forward(tmp_path: Path) -> None:
    data = write_year(tmp_path)
    economy = data / "2022" / "economy.yaml"
    text = economy.read_text(encoding="utf-8")
    economy.write_text(text.replace("    lead: ", "    unchanged: true\n    lead: ", 1), "utf-8")
    assert runner.invoke(app, ["init", "2023", "-d", str(data)]).exit_code == 0
    assert "unchanged" not in (data / "2023" / "economy.yaml").read_text(encoding="utf-8")
