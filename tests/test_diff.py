"""`diff`: metrics by key with 同比 %, items by id or lead (added, removed, moved, changed with a
character-level diff), meta fields, the three output formats, exit codes, plan follow-through."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import yoy_factory as f
from annual_report.cli import app
from annual_report.dataset import check_year, read_year
from annual_report.diff import Segment, char_diff, compare

runner = CliRunner()


def years(tmp_path: Path, change=None, plans=None) -> Path:
    """2022 as the factory makes it; 2023 from the same sections after ``change(sections)``."""
    f.write_year(tmp_path, 2022)
    sections = f.default_sections()
    if change:
        change(sections)
    f.write_year(tmp_path, 2023, sections=sections, plans=plans)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["diff", *args])
    return result.exit_code, result.stdout


def load(root: Path, year: int):
    data = read_year(root / str(year))
    assert data is not None
    return data


# --------------------------------------------------------------------------- char diff


def test_char_diff_of_a_chinese_sentence() -> None:
    old = "建成充电桩1354个，辖区功能持续升级。"
    new = "新建充电桩1500个，辖区城市功能持续升级。"
    segments = char_diff(old, new)
    assert segments == [
        Segment("insert", "新"),  # 建成 → 新建: character by character, 建 is kept
        Segment("equal", "建"),
        Segment("delete", "成"),
        Segment("equal", "充电桩"),
        Segment("delete", "1354"),  # a number is one unit, not 1[-354-]{+500+}
        Segment("insert", "1500"),
        Segment("equal", "个，辖区"),
        Segment("insert", "城市"),
        Segment("equal", "功能持续升级。"),
    ]
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new


# --------------------------------------------------------------------------- metrics


def test_metric_changes_and_percentages(tmp_path: Path) -> None:
    def change(sections):
        f.set_value(sections, "charging_piles", 900)  # +12.5%
        f.set_value(sections, "parking_spaces", 0)  # to 0: -100%
        del sections["economy"]["items"][1]["metrics"]["key_projects"]  # removed
        sections["economy"]["items"][1]["body"] = "推进城建重点工程{{ m.new_roads }}。"
        sections["economy"]["items"][1]["metrics"] = {"new_roads": f.metric("新建道路", 3, "条")}

    root = years(tmp_path, change)
    result = compare(load(root, 2022), load(root, 2023))
    by_key = {m.key: m for m in result.metrics}
    assert by_key["charging_piles"].percent == Decimal("12.5")
    assert by_key["charging_piles"].change == Decimal(100)
    assert not by_key["charging_piles"].flagged
    assert by_key["parking_spaces"].percent == Decimal("-100.0")
    assert by_key["parking_spaces"].flagged  # beyond 50%
    assert by_key["key_projects"].status == "removed"
    assert by_key["new_roads"].status == "added"
    assert by_key["drills"].status == "same"
    assert result.has_differences


def test_metric_from_zero(tmp_path: Path) -> None:
    sections = f.default_sections()
    f.set_value(sections, "charging_piles", 0)
    f.write_year(tmp_path, 2022, sections=sections)
    f.set_value(sections, "charging_piles", 40)
    f.write_year(tmp_path, 2023, sections=sections)
    change = {m.key: m for m in compare(load(tmp_path, 2022), load(tmp_path, 2023)).metrics}
    piles = change["charging_piles"]
    assert piles.percent is None and piles.change == 40 and piles.flagged
    code, out = run("2022", "2023", "-d", str(tmp_path), "--format", "json")
    assert code == 0
    row = next(m for m in json.loads(out)["metrics"] if m["key"] == "charging_piles")
    assert row["percent"] is None and row["change"] == 40


def test_threshold_flag(tmp_path: Path) -> None:
    root = years(tmp_path, lambda s: f.set_value(s, "charging_piles", 900))
    code, out = run("2022", "2023", "-d", str(root), "--format", "json", "--threshold", "10%")
    assert code == 0
    row = next(m for m in json.loads(out)["metrics"] if m["key"] == "charging_piles")
    assert row["flagged"] is True and row["percent"] == 12.5


def test_a_changed_unit_is_no_change_of_value(tmp_path: Path) -> None:
    """近20万人次 → 近200000人次 is the same count written another way: no Δ, no 同比, a note."""
    sections = f.default_sections()
    f.set_value(sections, "charging_piles", 20)
    sections["economy"]["items"][0]["metrics"]["charging_piles"]["unit"] = "万个"
    f.write_year(tmp_path, 2022, sections=sections)
    f.set_value(sections, "charging_piles", 200000)
    sections["economy"]["items"][0]["metrics"]["charging_piles"]["unit"] = "个"
    f.write_year(tmp_path, 2023, sections=sections)
    piles = {m.key: m for m in compare(load(tmp_path, 2022), load(tmp_path, 2023)).metrics}[
        "charging_piles"
    ]
    assert piles.status == "changed" and piles.change is None and piles.percent is None
    assert not piles.flagged and piles.note == "单位变化 unit changed"
    code, out = run("2022", "2023", "-d", str(tmp_path), "--format", "json")
    row = next(m for m in json.loads(out)["metrics"] if m["key"] == "charging_piles")
    assert (row["change"], row["percent"], row["points"], row["flagged"]) == (
        None,
        None,
        None,
        False,
    )
    assert row["unit_changed"] is True and row["note"] == "单位变化 unit changed"
    for fmt in ("text", "markdown"):
        code, out = run("2022", "2023", "-d", str(tmp_path), "--format", fmt)
        assert code == 0, out
        line = next(x for x in out.splitlines() if "charging_piles" in x)
        assert "单位变化 unit changed" in line and "199980" not in line and "%" not in line


def test_a_percent_metric_changes_in_points(tmp_path: Path) -> None:
    """100% → 99.5% is -0.5 个百分点, not a relative -0.5%."""
    sections = f.default_sections()
    f.set_value(sections, "satisfaction", 100)
    f.write_year(tmp_path, 2022, sections=sections)
    f.set_value(sections, "satisfaction", 99.5)
    f.write_year(tmp_path, 2023, sections=sections)
    sat = {m.key: m for m in compare(load(tmp_path, 2022), load(tmp_path, 2023)).metrics}[
        "satisfaction"
    ]
    assert sat.change == Decimal("-0.5") and sat.points == Decimal("-0.5")
    assert sat.percent is None and sat.note is None
    code, out = run("2022", "2023", "-d", str(tmp_path), "--format", "json")
    row = next(m for m in json.loads(out)["metrics"] if m["key"] == "satisfaction")
    assert (row["change"], row["points"], row["percent"]) == (-0.5, -0.5, None)
    code, out = run("2022", "2023", "-d", str(tmp_path))
    line = next(x for x in out.splitlines() if "satisfaction" in x)
    assert "-0.5个百分点" in line and "-0.5%" not in line
    code, out = run("2022", "2023", "-d", str(tmp_path), "--format", "markdown")
    assert code == 0, out
    line = next(x for x in out.splitlines() if "satisfaction" in x)
    assert "-0.5个百分点" in line


def test_percent_points_round_by_texts_rule() -> None:
    from annual_report.diff import _metrics
    from annual_report.model import Metric

    old = {"r": Metric(label="率", value=98.25, unit="%")}
    new = {"r": Metric(label="率", value=98.3, unit="%")}
    (row,) = _metrics(old, new, Decimal(50))
    assert row.change == Decimal("0.05") and row.points == Decimal("0.1")  # half up


# --------------------------------------------------------------------------- items


def test_items_added_removed_moved_changed(tmp_path: Path) -> None:
    def change(sections):
        economy = sections["economy"]["items"]
        economy[0]["body"] = economy[0]["body"].replace("建成", "新建")  # changed
        moved = economy.pop(1)  # moved to safety
        sections["safety"]["items"].insert(0, moved)
        sections["safety"]["items"][1]["lead"] = "应急能力全面提升。"  # changed lead, same id
        sections["safety"]["items"].append(
            {"lead": "新增一段。", "body": "这是新的一段。"}
        )  # added (no id)
        economy.append({"lead": "凑数段落。", "body": "保持 economy 至少一段。"})

    f.write_year(tmp_path, 2022)
    sections = f.default_sections()
    sections["economy"]["items"].append({"lead": "将被删除。", "body": "旧的一段，没有 id。"})
    f.write_year(tmp_path, 2022, sections=sections)
    sections = f.default_sections()
    change(sections)
    f.write_year(tmp_path, 2023, sections=sections)
    items = {(i.status, i.key) for i in compare(load(tmp_path, 2022), load(tmp_path, 2023)).items}
    assert ("changed", "charging") in items
    assert ("moved", "projects") in items
    assert ("changed", "drills") in items
    assert ("added", "新增一段。") in items
    assert ("removed", "将被删除。") in items


def test_item_without_id_matched_by_lead(tmp_path: Path) -> None:
    sections = f.default_sections()
    del sections["economy"]["items"][0]["id"]
    f.write_year(tmp_path, 2022, sections=sections)
    sections["economy"]["items"][0]["body"] += "另有新内容。"
    f.write_year(tmp_path, 2023, sections=sections)
    (item,) = compare(load(tmp_path, 2022), load(tmp_path, 2023)).items
    assert item.status == "changed" and item.key == "充电设施加快建设。"
    assert Segment("insert", "另有新内容。") in item.body


def test_order_change_within_a_section_marks_only_the_moved_item(tmp_path: Path) -> None:
    sections = f.default_sections()
    sections["economy"]["items"].append({"id": "third", "lead": "第三段。", "body": "正文。"})
    f.write_year(tmp_path, 2022, sections=sections)
    items = sections["economy"]["items"]
    items.insert(0, items.pop())  # third first
    f.write_year(tmp_path, 2023, sections=sections)
    changes = compare(load(tmp_path, 2022), load(tmp_path, 2023)).items
    assert [(c.status, c.key) for c in changes] == [("moved", "third")]


def test_meta_fields(tmp_path: Path) -> None:
    root = years(tmp_path)
    result = compare(load(root, 2022), load(root, 2023))
    names = {c.name for c in result.meta}
    assert {"title", "preamble", "closing"} <= names
    title = next(c for c in result.meta if c.name == "title")
    assert Segment("delete", "2022") in title.segments
    assert Segment("insert", "2023") in title.segments


# --------------------------------------------------------------------------- formats, exit codes


def test_same_year_has_no_differences(tmp_path: Path) -> None:
    f.write_year(tmp_path, 2022)
    other = tmp_path / "copy" / "2022"
    f.write_year(tmp_path / "copy", 2022)
    assert run("2022", str(other), "-d", str(tmp_path), "--exit-code")[0] == 0
    code, out = run("2022", str(other), "-d", str(tmp_path))
    assert code == 0 and "没有差异" in out


def test_exit_codes(tmp_path: Path) -> None:
    root = years(tmp_path, lambda s: f.set_value(s, "charging_piles", 900))
    assert run("2022", "2023", "-d", str(root))[0] == 0
    assert run("2022", "2023", "-d", str(root), "--exit-code")[0] == 1
    assert run("2022", "2031", "-d", str(root))[0] == 2  # no such year
    assert run("2022", "2023", "-d", str(root), "--format", "xml")[0] == 2
    assert run("2022", "2023", "-d", str(root), "--threshold", "abc")[0] == 2
    assert run("2022", "2023", "-d", str(root), "--bogus")[0] == 2
    (root / "2023" / "economy.yaml").write_text("heading: [", encoding="utf-8")
    assert run("2022", "2023", "-d", str(root))[0] == 2  # invalid data


@pytest.mark.parametrize("arg", ["²", "٢٠٢٢"])
def test_a_year_in_other_digits_is_a_usage_error(tmp_path: Path, arg: str) -> None:
    root = years(tmp_path)
    (root / arg).mkdir()
    result = runner.invoke(app, ["diff", arg, "2022", "-d", str(root)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "不是年度" in result.output


def test_json_output_parses(tmp_path: Path) -> None:
    root = years(tmp_path, lambda s: f.set_value(s, "charging_piles", 900))
    code, out = run("2022", "2023", "-d", str(root), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["old_year"] == 2022 and data["new_year"] == 2023 and data["has_differences"]
    piles = next(m for m in data["metrics"] if m["key"] == "charging_piles")
    assert piles["old"]["value"] == 800 and piles["new"]["value"] == 900
    assert piles["percent"] == 12.5
    assert {"meta", "items", "follow_through", "unknown_plans"} <= set(data)


def test_markdown_table_shape(tmp_path: Path) -> None:
    root = years(tmp_path, lambda s: f.set_value(s, "charging_piles", 900))
    code, out = run("2022", "2023", "-d", str(root), "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "# 2022 → 2023 年度对比"
    start = lines.index("## 指标")
    table = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        table.append(line)
    header, rule, *rows = table
    assert "同比" in header and set(rule) <= set("|-:")
    width = header.count("|")
    assert rule.count("|") == width and all(row.count("|") == width for row in rows)
    assert any("`charging_piles`" in row and "+12.5%" in row for row in rows)


def test_text_output_marks_changes_without_colour(tmp_path: Path) -> None:
    root = years(tmp_path, lambda s: f.set_value(s, "charging_piles", 900))
    code, out = run("2022", "2023", "-d", str(root))
    assert code == 0
    assert "charging_piles" in out and "+12.5%" in out
    assert "[-2022-]{+2023+}" in out  # the title's year, as git --word-diff writes it


# --------------------------------------------------------------------------- plan follow-through


def test_plan_follow_through_matched_and_unmatched(tmp_path: Path) -> None:
    def change(sections):
        item = sections["economy"]["items"][0]
        item["plan"] = "charging_plan"
        f.set_value(sections, "charging_piles", 900)
        sections["safety"]["items"][0]["plan"] = "no_such_plan"

    root = years(tmp_path, change)
    result = compare(load(root, 2022), load(root, 2023))
    assert result.follow_through is not None
    status = {check.plan: check for check in result.follow_through}
    assert status["charging_plan"].status == "reported"
    assert status["charging_plan"].items == ["economy[0]"]
    (target,) = status["charging_plan"].targets
    assert (target.target, target.achieved, target.rate) == (1000, 900, Decimal("90.0"))
    assert status["safety_plan"].status == "missing"
    assert result.unknown_plans == [("safety[0]", "no_such_plan")]
    # validate says the same as warnings
    checked = check_year(root, 2023)
    assert checked.errors == []
    warnings = {(p.code, p.file.split("/")[-1]) for p in checked.warnings}
    assert ("plan_unreported", "report.yaml") in warnings
    assert ("plan_unknown", "safety.yaml") in warnings
    # and the text output lists them
    code, out = run("2022", "2023", "-d", str(root))
    assert code == 0
    assert "charging_plan" in out and "safety_plan" in out and "90.0%" in out


def test_no_follow_through_between_distant_years(tmp_path: Path) -> None:
    f.write_year(tmp_path, 2020)
    f.write_year(tmp_path, 2022)
    assert compare(load(tmp_path, 2020), load(tmp_path, 2022)).follow_through is None


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_every_format_runs_on_a_fresh_init(tmp_path: Path, fmt: str) -> None:
    f.write_year(tmp_path, 2022)
    assert runner.invoke(app, ["init", "2023", "-d", str(tmp_path)]).exit_code == 0
    code, out = run("2022", "2023", "-d", str(tmp_path), "--format", fmt, "--exit-code")
    assert code == 1 and out


def test_items_only_marked_by_init_are_drafts_not_changes(tmp_path: Path) -> None:
    f.write_year(tmp_path, 2022)
    assert runner.invoke(app, ["init", "2023", "-d", str(tmp_path)]).exit_code == 0
    old = load(tmp_path, 2022)
    new = read_year(tmp_path / "2023")
    assert new is not None
    statuses = {(i.new_place or "").split("[")[0]: i.status for i in compare(old, new).items}
    carried = {place for place in statuses if place not in ("plan_review",)}
    assert carried and all(statuses[place] == "draft" for place in carried)
    code, out = run("2022", "2023", "-d", str(tmp_path))
    items = out.split("段落 Items")[1].split("计划落实")[0]
    assert code == 0 and "待更新 draft" in items
    assert "{+【待更新】+}" not in items  # no marker-only diffs


def test_two_folders_of_any_name(tmp_path: Path) -> None:
    root = years(tmp_path)
    (root / "2022").rename(tmp_path / "last-year")
    (root / "2023").rename(tmp_path / "draft")
    code, out = run(str(tmp_path / "last-year"), str(tmp_path / "draft"), "--format", "json")
    assert code == 0, out
    assert (json.loads(out)["old_year"], json.loads(out)["new_year"]) == (2022, 2023)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["diff", str(tmp_path / "last-year"), str(empty)])
    assert result.exit_code == 2
    assert "report.yaml" in result.output


def test_yoy_in_a_draft_folder_does_not_block_the_comparison(tmp_path: Path) -> None:
    """``| yoy`` is checked against the folder's own year before (drafts/2022, missing here):
    that is about a third year, not the two compared, so diff goes ahead."""
    f.write_year(tmp_path / "data", 2022)
    sections = f.default_sections()
    sections["economy"]["items"][0]["body"] = (
        "建成充电桩{{ m.charging_piles }}，{{ m.charging_piles | yoy }}。"
    )
    f.set_value(sections, "charging_piles", 900)
    f.write_year(tmp_path / "drafts", 2023, sections=sections)
    (tmp_path / "drafts" / "2023").rename(tmp_path / "drafts" / "2023-v2")
    result = runner.invoke(
        app,
        [
            "diff",
            str(tmp_path / "data" / "2022"),
            str(tmp_path / "drafts" / "2023-v2"),
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    metrics = {m["key"]: m for m in json.loads(result.stdout)["metrics"]}
    assert metrics["charging_piles"]["percent"] == 12.5
    # an error that is about the two years themselves still blocks
    (tmp_path / "drafts" / "2023-v2" / "economy.yaml").write_text("heading: [", encoding="utf-8")
    broken = runner.invoke(
        app, ["diff", str(tmp_path / "data" / "2022"), str(tmp_path / "drafts" / "2023-v2")]
    )
    assert broken.exit_code == 2


def test_data_is_never_read_as_markup(tmp_path: Path) -> None:
    """Labels, texts, headings and targets are printed as they are: no MarkupError, no lost
    ``[ug/m3]``, no emoji code turned into a picture."""

    def change(sections):
        f.set_value(sections, "charging_piles", 900)
        sections["economy"]["items"][0]["metrics"]["charging_piles"]["label"] = "充电桩[/]"
        sections["safety"]["metrics"]["pm25"] = f.metric("PM2.5年均浓度[ug/m3]", 30, "微克")
        sections["safety"]["intro"] += "PM2.5{{ m.pm25 }}。"
        sections["safety"]["items"][0]["lead"] = "应急能力[bold]持续[/bold]提升:smile:。"

    plans = f.default_plans(2022)
    plans["items"][0]["targets"]["charging_piles"]["label"] = "充电桩[red]"
    plans["items"][1]["heading"] = "筑牢[i]安全[/i]防线。"
    f.write_year(tmp_path, 2022, plans=plans)
    sections = f.default_sections()
    change(sections)
    f.write_year(tmp_path, 2023, sections=sections)
    code, out = run("2022", "2023", "-d", str(tmp_path))
    assert code == 0, out
    for text in [
        "充电桩[/]",
        "PM2.5年均浓度[ug/m3]",
        "{+[bold]+}持续{+[/bold]+}",
        "{+:smile:+}",
        "充电桩[red]",
        "筑牢[i]安全[/i]防线。",
    ]:
        assert text in out, text
    code, md = run("2022", "2023", "-d", str(tmp_path), "--format", "markdown")
    assert code == 0, md
    plain = md.replace("\\", "")
    for text in ["充电桩[/]", "PM2.5年均浓度[ug/m3]", "充电桩[red]", "筑牢[i]安全[/i]防线。"]:
        assert text in plain, text
    assert "PM2.5年均浓度\\[ug/m3\\]" in md  # no [text](link) from a label


# --------------------------------------------------------------------------- texts nobody rewrote


def rushed_init(root: Path) -> Path:
    """2022, then ``init 2023`` with every 【待更新】 deleted and nothing rewritten."""
    f.write_year(root, 2022)
    assert runner.invoke(app, ["init", "2023", "-d", str(root)]).exit_code == 0
    for path in (root / "2023").glob("*.yaml"):
        path.write_text(path.read_text("utf-8").replace("【待更新】", ""), encoding="utf-8")
    return root


def test_paragraphs_identical_to_last_year_are_listed_as_unchanged(tmp_path: Path) -> None:
    root = rushed_init(tmp_path)
    result = compare(load(root, 2022), load(root, 2023))
    unchanged = {(i.key, i.new_place) for i in result.unchanged}
    assert unchanged == {
        ("charging", "economy[0]"),
        ("projects", "economy[1]"),
        ("drills", "safety[0]"),
        ("charging_plan", "plans[0]"),
        ("safety_plan", "plans[1]"),
    }
    assert all(i.status == "unchanged" for i in result.unchanged)
    assert not any(i.status == "draft" for i in result.items)
    assert not any(c.name == "organization" for c in result.meta)  # an unchanged field is no change

    code, out = run("2022", "2023", "-d", str(root))
    items = out.split("段落 Items")[1].split("计划落实 Plan follow-through")[0]
    assert code == 0 and items.count("未改写 unchanged from last year") == 5
    assert "5 段与上年相同、未改写" in out.splitlines()[-1]

    data = json.loads(run("2022", "2023", "-d", str(root), "--format", "json")[1])
    assert sum(i["status"] == "unchanged" for i in data["items"]) == 5
    markdown = run("2022", "2023", "-d", str(root), "--format", "markdown")[1]
    assert markdown.count("**未改写 unchanged from last year**") == 5
    # the title's year moved on, so the years differ: --exit-code says so
    assert run("2022", "2023", "-d", str(root), "--exit-code")[0] == 1


def test_plans_answered_with_their_own_text_are_not_reported(tmp_path: Path) -> None:
    root = rushed_init(tmp_path)
    result = compare(load(root, 2022), load(root, 2023))
    assert result.follow_through is not None
    assert {c.plan: c.status for c in result.follow_through} == {
        "charging_plan": "unrewritten",
        "safety_plan": "unrewritten",
    }
    out = run("2022", "2023", "-d", str(root))[1]
    follow = out.split("计划落实 Plan follow-through")[1]
    assert "✓" not in follow and follow.count("原文未改写 not rewritten") == 2
    assert "上年计划 0/2 项已有落实段落" in out and "2 项计划原文未改写" in out
    data = json.loads(run("2022", "2023", "-d", str(root), "--format", "json")[1])
    assert [c["status"] for c in data["follow_through"]] == ["unrewritten", "unrewritten"]
    markdown = run("2022", "2023", "-d", str(root), "--format", "markdown")[1]
    assert markdown.count("原文未改写 not rewritten") == 2

    # the quote deleted too, the plan's body left as it was: still the plan, not what was done;
    # a body rewritten as what was done: reported
    review = root / "2023" / "plan_review.yaml"
    text = review.read_text("utf-8").replace("（2022年计划原文）", "")
    review.write_text(text.replace("持续开展应急演练。", "全年组织应急演练20场。"), "utf-8")
    result = compare(load(root, 2022), load(root, 2023))
    assert result.follow_through is not None
    assert {c.plan: c.status for c in result.follow_through} == {
        "charging_plan": "unrewritten",
        "safety_plan": "reported",
    }


def test_an_identical_year_lists_no_unchanged_paragraphs(tmp_path: Path) -> None:
    """Nothing differs: 没有差异 and exit 0, not every paragraph as 未改写."""
    f.write_year(tmp_path, 2022)
    other = tmp_path / "copy" / "2022"
    f.write_year(tmp_path / "copy", 2022)
    assert compare(load(tmp_path, 2022), load(tmp_path / "copy", 2022)).unchanged == []
    for fmt in ("text", "markdown", "json"):
        code, out = run("2022", str(other), "-d", str(tmp_path), "-f", fmt, "--exit-code")
        assert code == 0 and "未改写" not in out and "unchanged" not in out
