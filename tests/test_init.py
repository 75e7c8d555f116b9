"""`init`: next year's folder from last year's through a YAML round trip, and `validate` refusing
it, line by line, until every value is filled in and every text rewritten."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

import yoy_factory as f
from annual_report import scaffold
from annual_report.cli import app
from annual_report.dataset import check_year, read_year

runner = CliRunner()


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def init(root: Path, *args: str):
    return runner.invoke(app, ["init", *args, "-d", str(root)])


@pytest.fixture
def root(tmp_path: Path) -> Path:
    f.write_year(tmp_path, 2022)
    # a comment inside the data, and a flow mapping with a comment before it
    economy = tmp_path / "2022" / "economy.yaml"
    text = economy.read_text(encoding="utf-8")
    text = text.replace(
        "      parking_spaces:", "      # 含公共泊位\n      parking_spaces:", 1
    ).replace("heading:", "# 标题不含序号\nheading:", 1)
    economy.write_text(text, encoding="utf-8")
    return tmp_path


def test_round_trip(root: Path) -> None:
    before = tree_hash(root / "2022")
    result = init(root, "2023", "--from", "2022")
    assert result.exit_code == 0, result.output
    assert tree_hash(root / "2022") == before  # the source year is untouched
    new = root / "2023"
    economy = (new / "economy.yaml").read_text(encoding="utf-8")
    # comments survive, values are null with last year's value beside them
    assert "# 标题不含序号" in economy and "# 含公共泊位" in economy
    assert "# 2022年工作总结：economy" not in economy and "# 2023年工作总结：economy" in economy
    assert re.search(r"charging_piles:\n\s+label: 充电桩\n\s+value: null +# 2022: 800", economy)
    data = YAML(typ="safe").load(economy)
    values = [m["value"] for item in data["items"] for m in item.get("metrics", {}).values()]
    assert values and all(v is None for v in values)
    # key order survives
    assert list(data) == ["heading", "items"]
    assert list(data["items"][0]) == ["id", "lead", "body", "metrics"]
    # prose kept under the marker; the years of fixed phrases advanced
    assert data["items"][0]["lead"] == "【待更新】充电设施加快建设。"
    report = YAML(typ="safe").load((new / "report.yaml").read_text(encoding="utf-8"))
    assert report["year"] == 2023
    assert report["title"] == "街道办2023年总结和2024年工作计划"
    assert report["preamble"].startswith("【待更新】2023年，")
    assert report["closing"].startswith("【待更新】2024年，")
    assert report["organization"] == "*街道"
    assert (
        '"*街道"' in (new / "report.yaml").read_text()
        or "'*街道'" in (new / "report.yaml").read_text()
    )
    plans = YAML(typ="safe").load((new / "plans.yaml").read_text(encoding="utf-8"))
    assert plans["year"] == 2024
    assert plans["items"][0]["targets"]["charging_piles"]["value"] is None


def test_plans_carried_as_the_checklist(root: Path) -> None:
    assert init(root, "2023").exit_code == 0
    report = YAML(typ="safe").load((root / "2023" / "report.yaml").read_text(encoding="utf-8"))
    assert report["sections"][-1] == scaffold.CHECKLIST
    text = (root / "2023" / "plan_review.yaml").read_text(encoding="utf-8")
    checklist = YAML(typ="safe").load(text)
    assert [item["plan"] for item in checklist["items"]] == ["charging_plan", "safety_plan"]
    assert checklist["items"][0]["lead"] == "【待更新】继续建设充电设施。"
    assert "2022年计划原文" in checklist["items"][0]["body"]
    # the target's metric already exists in a copied item, so it is not defined twice
    assert "metrics" not in checklist["items"][0]


def test_checklist_carries_new_target_metrics(tmp_path: Path) -> None:
    plans = f.default_plans(2022)
    plans["items"][1]["targets"] = {"new_drills": f.metric("演练场次", 30, "场")}
    f.write_year(tmp_path, 2022, plans=plans)
    assert init(tmp_path, "2023").exit_code == 0
    text = (tmp_path / "2023" / "plan_review.yaml").read_text(encoding="utf-8")
    assert re.search(
        r"new_drills: \{label: 演练场次, value: null, unit: 场\} +# 2023年目标: 30", text
    )


def test_validate_of_a_fresh_init_fails_with_lines(root: Path) -> None:
    assert init(root, "2023").exit_code == 0
    result = runner.invoke(app, ["validate", "2023", "-d", str(root)])
    assert result.exit_code == 1
    checked = check_year(root, 2023)
    codes = {p.code for p in checked.errors}
    assert codes == {"unfinished_value", "unfinished_text"}
    nulls = [p for p in checked.errors if p.code == "unfinished_value"]
    assert len(nulls) == 6  # 5 metrics and the target of a plan
    lines = (root / "2023" / "economy.yaml").read_text(encoding="utf-8").splitlines()
    for problem in nulls:
        if problem.file.endswith("economy.yaml"):
            assert "value: null" in lines[problem.line - 1]
    assert "economy.yaml:" in result.output and "尚未填写" in result.output


def test_filled_in_year_validates(root: Path) -> None:
    assert init(root, "2023").exit_code == 0
    fill_in(root / "2023")
    checked = check_year(root, 2023)
    assert checked.errors == [], [str(p) for p in checked.errors]
    assert checked.data is not None and checked.data.year == 2023
    # every plan of 2022 for 2023 has its item now
    assert "plan_unreported" not in {p.code for p in checked.warnings}


def fill_in(folder: Path) -> None:
    """Every value filled in, every marker and copied plan note gone, as the office hands a
    year in."""
    for path in folder.glob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace(scaffold.MARKER, "")
        text = re.sub(r"（\d{4}年计划原文）", "", text)
        path.write_text(re.sub(r"value: null", "value: 7", text), encoding="utf-8")


def test_a_kept_checklist_is_replaced_by_the_new_years_plans(root: Path) -> None:
    assert init(root, "2023").exit_code == 0
    fill_in(root / "2023")  # plan_review kept as a section of 2023
    plans = root / "2023" / "plans.yaml"
    text = plans.read_text(encoding="utf-8")
    plans.write_text(text.replace("id: charging_plan", "id: parking_plan"), encoding="utf-8")
    assert check_year(root, 2023).errors == []
    result = init(root, "2024")
    assert result.exit_code == 0, result.output
    checklist = YAML(typ="safe").load((root / "2024" / "plan_review.yaml").read_text("utf-8"))
    assert [item["plan"] for item in checklist["items"]] == ["parking_plan", "safety_plan"]
    assert all("2023年计划原文" in item["body"] for item in checklist["items"])
    report = YAML(typ="safe").load((root / "2024" / "report.yaml").read_text("utf-8"))
    assert report["sections"].count(scaffold.CHECKLIST) == 1
    assert "2 项 2024 年计划列入落实清单" in result.output
    fill_in(root / "2024")
    checked = check_year(root, 2024)
    assert checked.errors == [], [str(p) for p in checked.errors]
    assert "plan_unreported" not in {p.code for p in checked.warnings}


def test_a_kept_checklist_is_dropped_when_the_plans_are_for_another_year(root: Path) -> None:
    assert init(root, "2023").exit_code == 0
    fill_in(root / "2023")
    result = init(root, "2025", "--from", "2023")
    assert result.exit_code == 0, result.output
    assert not (root / "2025" / "plan_review.yaml").exists()
    report = YAML(typ="safe").load((root / "2025" / "report.yaml").read_text("utf-8"))
    assert scaffold.CHECKLIST not in report["sections"]
    assert "落实清单" not in result.output


def test_overwrite_refused_and_force_backs_up(root: Path) -> None:
    assert init(root, "2023").exit_code == 0
    marker = root / "2023" / "economy.yaml"
    marker.write_text(marker.read_text(encoding="utf-8") + "# 我的修改\n", encoding="utf-8")
    before = tree_hash(root / "2023")
    refused = init(root, "2023")
    assert refused.exit_code == 1 and "--force" in refused.output
    assert tree_hash(root / "2023") == before
    forced = init(root, "2023", "--force")
    assert forced.exit_code == 0, forced.output
    backups = sorted(root.glob("2023.backup-*"))
    assert len(backups) == 1 and re.fullmatch(r"2023\.backup-\d{8}-\d{6}", backups[0].name)
    assert tree_hash(backups[0]) == before
    assert "# 我的修改" not in (root / "2023" / "economy.yaml").read_text(encoding="utf-8")


def test_force_puts_the_old_year_back_when_the_new_one_cannot_be_moved_in(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert init(root, "2023").exit_code == 0
    before = tree_hash(root / "2023")
    rename = Path.rename

    def failing(self: Path, target: Path) -> Path:
        if self.name.startswith(".2023.init-"):
            raise OSError(28, "No space left on device")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    result = init(root, "2023", "--force")
    assert result.exit_code == 1
    assert "No space left on device" in result.output and "Traceback" not in result.output
    assert tree_hash(root / "2023") == before
    assert sorted(p.name for p in root.iterdir()) == ["2022", "2023"]  # no backup, no staging


def test_backup_name_is_dated(root: Path) -> None:
    data = read_year(root / "2022")
    assert data is not None
    target = root / "2023"
    scaffold.init_year(data, root / "2022", target, 2023)
    result = scaffold.init_year(
        data, root / "2022", target, 2023, force=True, now=dt.datetime(2024, 1, 15, 9, 30, 5)
    )
    assert result.backup == root / "2023.backup-20240115-093005"


def test_refuses_an_invalid_source_year(tmp_path: Path) -> None:
    f.write_year(tmp_path, 2022)
    (tmp_path / "2022" / "economy.yaml").write_text("heading: [", encoding="utf-8")
    result = init(tmp_path, "2023")
    assert result.exit_code == 1
    assert not (tmp_path / "2023").exists()


def test_refuses_a_year_not_after_the_source(tmp_path: Path) -> None:
    f.write_year(tmp_path, 2022)
    assert init(tmp_path, "2022", "--from", "2022").exit_code == 2


def test_advance_years_replaces_both_at_once() -> None:
    title = "街道办2022年总结和2023年工作计划"
    assert scaffold.advance_years(title, 2022, 1) == "街道办2023年总结和2024年工作计划"
    assert scaffold.advance_years("2022年8月，12号线", 2022, 1) == "2023年8月，12号线"
    assert scaffold.advance_years("12022年", 2022, 1) == "12022年"


def test_flow_style_metrics_keep_their_shape(tmp_path: Path) -> None:
    f.write_year(tmp_path, 2022)
    (tmp_path / "2022" / "safety.yaml").write_text(
        "heading: 守牢安全底线\n"
        "items:\n"
        "  - id: drills\n"
        "    lead: 应急能力持续提升。\n"
        "    body: 组织演练{{ m.drills }}，满意度{{ m.satisfaction }}。\n"
        "    metrics:\n"
        "      drills: {label: 应急演练, value: 20, unit: 场, approx: 余}  # 含桌面推演\n"
        "      # 百分数\n"
        "      satisfaction: {label: 满意度, value: 98.5, unit: '%', approx: 以上}\n",
        encoding="utf-8",
    )
    assert check_year(tmp_path, 2022).errors == []
    assert init(tmp_path, "2023").exit_code == 0
    text = (tmp_path / "2023" / "safety.yaml").read_text(encoding="utf-8")
    assert "drills: {label: 应急演练, value: null, unit: 场, approx: 余} # 2022: 20" in text
    assert "含桌面推演" in text and "      # 百分数\n" in text
    assert (
        "satisfaction: {label: 满意度, value: null, unit: '%', approx: 以上} # 2022: 98.5" in text
    )


@pytest.mark.parametrize(
    "lines",
    [
        ["街道办2022年总结", "和2023年工作计划"],
        ["街道办2022", "年总结和2023年工作计划"],  # a year and its 年 on two lines
    ],
)
def test_title_lines_advance_with_the_title(tmp_path: Path, lines: list[str]) -> None:
    f.write_year(tmp_path, 2022, report={"title_lines": lines})
    assert check_year(tmp_path, 2022).errors == []
    assert init(tmp_path, "2023").exit_code == 0
    report = YAML(typ="safe").load((tmp_path / "2023" / "report.yaml").read_text("utf-8"))
    assert report["title"] == "街道办2023年总结和2024年工作计划"
    assert "".join(report["title_lines"]) == report["title"]
    assert len(report["title_lines"]) == 2
    assert not [p for p in check_year(tmp_path, 2023).errors if p.code == "title_lines"]


def test_advance_lines_keeps_the_breaks() -> None:
    lines = ["街道办2022", "年总结和20", "23年工作计划"]
    assert scaffold.advance_lines(lines, 2022, 1) == ["街道办2023", "年总结和20", "24年工作计划"]


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_new_year_folder_has_the_usual_permissions(root: Path, umask: int) -> None:
    """Not mkdtemp's 0700, which would hide the new year from the colleagues sharing data/."""
    import os
    import stat

    old = os.umask(umask)
    try:
        assert init(root, "2023").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((root / "2023").stat().st_mode) == 0o777 & ~umask
    for path in (root / "2023").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_force_twice_in_one_second_picks_a_free_backup_name(root: Path) -> None:
    data = read_year(root / "2022")
    assert data is not None
    target = root / "2023"
    now = dt.datetime(2024, 1, 15, 9, 30, 5)
    scaffold.init_year(data, root / "2022", target, 2023)
    names = [
        scaffold.init_year(data, root / "2022", target, 2023, force=True, now=now).backup
        for _ in range(3)
    ]
    assert names == [
        root / "2023.backup-20240115-093005",
        root / "2023.backup-20240115-093005-2",
        root / "2023.backup-20240115-093005-3",
    ]
    assert all(path is not None and (path / "report.yaml").is_file() for path in names)
    result = init(root, "2023", "--force")  # and from the command line, twice in a row
    again = init(root, "2023", "--force")
    assert result.exit_code == 0 and again.exit_code == 0, again.output


@pytest.mark.parametrize(
    "args",
    [
        ["12345", "--from", "2022"],
        ["2023", "--from", "123"],
        ["2200", "--from", "2022"],  # its plans would be for 2201, which the model refuses
        ["1948"],
    ],
)
def test_refuses_a_year_out_of_the_models_range(tmp_path: Path, args: list[str]) -> None:
    f.write_year(tmp_path, 2022)
    result = init(tmp_path, *args)
    assert result.exit_code == 2, result.output
    assert "年份" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022"]


def test_plan_deadlines_advance_with_the_plans(tmp_path: Path) -> None:
    """The new year's plans are for the year after: their deadlines move on as far (29 Feb,
    which the year after has not, becomes 28 Feb)."""
    plans = f.default_plans(2023)
    plans["items"][0]["deadline"] = dt.date(2024, 6, 30)
    plans["items"][1]["deadline"] = dt.date(2024, 2, 29)
    f.write_year(tmp_path, 2023, plans=plans, report={"date": dt.date(2024, 2, 29)})
    assert check_year(tmp_path, 2023).errors == []
    assert init(tmp_path, "2024").exit_code == 0
    new = YAML(typ="safe").load((tmp_path / "2024" / "plans.yaml").read_text("utf-8"))
    assert new["year"] == 2025
    assert [p.get("deadline") for p in new["items"]] == [dt.date(2025, 6, 30), dt.date(2025, 2, 28)]
    report = YAML(typ="safe").load((tmp_path / "2024" / "report.yaml").read_text("utf-8"))
    assert report["date"] == dt.date(2025, 2, 28)  # the report's date likewise


def test_crlf_files_stay_crlf(root: Path) -> None:
    """A year saved by a Windows editor (CRLF) is scaffolded in CRLF throughout, not a mix."""
    for path in (root / "2022").glob("*.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert check_year(root, 2022).errors == []
    assert init(root, "2023").exit_code == 0
    for path in (root / "2023").glob("*.yaml"):
        raw = path.read_bytes()
        assert raw.count(b"\n") == raw.count(b"\r\n") > 0, path.name
        assert b"\r\r" not in raw, path.name
    economy = (root / "2023" / "economy.yaml").read_bytes().decode("utf-8")
    assert "# 标题不含序号\r\n" in economy and "# 2022: 800\r\n" in economy
    codes = {p.code for p in check_year(root, 2023).errors}
    assert codes <= {"unfinished_value", "unfinished_text"}, codes


def test_a_mixed_file_keeps_the_style_of_its_first_line(root: Path) -> None:
    report = root / "2022" / "report.yaml"
    raw = report.read_bytes()
    first, rest = raw.split(b"\n", 1)
    report.write_bytes(first + b"\r\n" + rest)
    assert init(root, "2023").exit_code == 0
    out = (root / "2023" / "report.yaml").read_bytes()
    assert out.count(b"\n") == out.count(b"\r\n")
    lf = (root / "2023" / "economy.yaml").read_bytes()
    assert b"\r" not in lf


def test_pre_commit_hook_validates_as_strictly_as_ci() -> None:
    """A warning that fails CI must fail the hook too: the same validate options, bar the
    annotation format that only GitHub reads."""
    top = Path(__file__).resolve().parent.parent
    (hook,) = YAML(typ="safe").load((top / ".pre-commit-hooks.yaml").read_text("utf-8"))
    workflow = (top / ".github/workflows/validate.yml").read_text("utf-8")
    (ci,) = re.findall(r"run: (annual-report validate .*)", workflow)

    def options(entry: str) -> set[str]:
        return set(re.sub(r"--format \S+", "", entry).split()[2:])

    assert options(hook["entry"]) == options(ci)
