"""The mistakes a clerk really makes, each told at its own line and column with the fix that
works (issue 11, part 5): through the real CLI, in JSON so the place is read exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annual_report.cli import app
from factory import ECONOMY, REPORT, write_year

runner = CliRunner()


def problems(data: Path) -> list[dict[str, object]]:
    result = runner.invoke(app, ["validate", "2022", "-d", str(data), "--format", "json"])
    assert result.exit_code == 1, result.output
    return [p for p in json.loads(result.stdout) if p["severity"] == "error"]


def only_error(tmp_path: Path, name: str, text: str) -> dict[str, object]:
    found = problems(write_year(tmp_path, files={name: text}))
    assert len(found) == 1, found
    return found[0]


LEAD = "    lead: 城建城改项目如期推进。"


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "column", "key"),
    [
        # wrapped value: ruamel stops on the next line
        ("economy.yaml", LEAD, "    lead：城建城改项目如期推进。", 5, 9, "lead"),
        # one-line top-level key: ruamel stops at the next key, with the opposite advice
        ("economy.yaml", "heading: 谋定", "heading：谋定", 2, 8, "heading"),
        # the last line: ruamel stops past the end of the file
        ("report.yaml", "closing: 2023年", "closing：2023年", 8, 8, "closing"),
    ],
)
def test_full_width_colon_after_key_at_the_colon(
    tmp_path: Path, name: str, old: str, new: str, line: int, column: int, key: str
) -> None:
    original = {"economy.yaml": ECONOMY, "report.yaml": REPORT}[name]
    assert old in original
    found = only_error(tmp_path, name, original.replace(old, new))
    assert str(found["file"]).endswith(name)
    assert (found["line"], found["column"]) == (line, column)
    assert found["code"] == "full_width_colon"
    assert f"键名“{key}”后面是全角冒号“：”" in str(found["message"])
    assert "半角冒号加空格“: ”" in str(found["message"])


def test_value_starting_with_a_quote(tmp_path: Path) -> None:
    text = ECONOMY.replace(LEAD, '    lead: "两创一管"工作扎实开展。')
    found = only_error(tmp_path, "economy.yaml", text)
    assert (found["line"], found["column"], found["code"]) == (5, 11, "quoted_start")
    assert '值以引号 " 开头' in str(found["message"])
    assert "中文引号“ ”" in str(found["message"])
    assert "缩进" not in str(found["message"])


def test_empty_value_at_its_own_line_says_what_to_write(tmp_path: Path) -> None:
    found = only_error(tmp_path, "economy.yaml", ECONOMY.replace(LEAD, "    lead:"))
    assert (found["line"], found["column"], found["path"]) == (5, 10, "items[0].lead")
    assert found["code"] == "empty_value"
    assert "“lead:” 后面是空的" in str(found["message"])
    assert "段首主旨句" in str(found["message"])


def test_metric_named_by_its_label_names_the_key(tmp_path: Path) -> None:
    text = ECONOMY.replace("{{ m.charging_piles }}", "{{ m.充电桩 }}")
    found = only_error(tmp_path, "economy.yaml", text)
    assert (found["line"], found["column"], found["code"]) == (6, 16, "undefined_metric")
    assert "键名 charging_piles，您是否想写 {{ m.charging_piles }}？" in str(found["message"])


def test_metric_named_by_an_unknown_label_gets_a_valid_key(tmp_path: Path) -> None:
    text = ECONOMY.replace("{{ m.charging_piles }}", "{{ m.充电站 }}")
    found = only_error(tmp_path, "economy.yaml", text)
    message = str(found["message"])
    assert "charging_stations: {label: 充电站, value: …, unit: …}" in message
    assert "{{ m.charging_stations }}" in message
    # the key proposed is one the model takes
    fixed = text.replace("{{ m.充电站 }}", "{{ m.charging_stations }}").replace(
        "      parking_spaces:",
        "      charging_stations: {label: 充电站, value: 3, unit: 个}\n      parking_spaces:",
    )
    data = write_year(tmp_path / "fixed", files={"economy.yaml": fixed})
    result = runner.invoke(app, ["validate", "2022", "-d", str(data)])
    assert result.exit_code == 0, result.output


def test_a_metric_must_say_its_unit(tmp_path: Path) -> None:
    text = ECONOMY.replace("value: 1354, unit: 个}", "value: 1354}")
    found = only_error(tmp_path, "economy.yaml", text)
    assert (found["line"], found["path"]) == (8, "items[0].metrics.charging_piles.unit")
    assert found["code"] == "missing"
    assert 'unit: ""' in str(found["message"])
    bare = text.replace("value: 1354}", 'value: 1354, unit: ""}')
    data = write_year(tmp_path / "bare", files={"economy.yaml": bare})
    assert runner.invoke(app, ["validate", "2022", "-d", str(data)]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "chinese"),
    [
        (["build", "abc"], "'years' 应为整数（年份写四位数字，如 2022）"),
        (["build", "2022", "--foo"], "没有选项 --foo"),
        (["buil"], "没有这个命令：可用的命令有 build、validate"),
        (["validate", "--format", "xml"], "只能是 'text'、'github'、'json' 之一"),
        (["init"], "缺少 'year'"),
    ],
)
def test_command_line_mistakes_in_chinese_first(args: list[str], chinese: str) -> None:
    """Through the installed entry point, as the clerk types it: exit 2, Chinese on line one."""
    import subprocess
    import sys

    script = Path(sys.executable).with_name("annual-report")
    result = subprocess.run([script, *args], capture_output=True, text=True, check=False)
    assert result.returncode == 2, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("错误 error: ") and chinese in first, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["build", "2022"], ["validate", "2022"], ["validate"]])
def test_no_data_folder_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, command)
    assert result.exit_code == 1
    assert f"找不到数据目录 {tmp_path.resolve() / 'data'}" in result.output
    assert "--data-dir（简写 -d）" in result.output


@pytest.mark.parametrize(
    ("command", "code"), [(["diff", "2022", "2023"], 2), (["init", "2023"], 1)]
)
def test_diff_and_init_do_not_call_missing_data_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], code: int
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, command)
    assert result.exit_code == code
    assert "找不到数据目录" in result.output
    assert "有错误" not in result.output


def test_a_missing_year_names_the_data_folder(tmp_path: Path) -> None:
    data = write_year(tmp_path)
    result = runner.invoke(app, ["validate", "2021", "-d", str(data)])
    assert result.exit_code == 1
    assert f"数据目录 {data.resolve()} 里没有 2021 年的文件夹 2021" in result.output


BODY = "    body: 建设充电桩{{ m.charging_piles }}，停车泊位{{ m.parking_spaces }}。"


def test_a_number_typed_in_prose_is_a_warning_at_its_character(tmp_path: Path) -> None:
    assert BODY in ECONOMY
    text = ECONOMY.replace(BODY, BODY[:-1] + "，新建红色物业小区6个。")
    data = write_year(tmp_path, files={"economy.yaml": text})
    result = runner.invoke(app, ["validate", "2022", "-d", str(data), "-f", "json"])
    assert result.exit_code == 0
    (found,) = json.loads(result.stdout)
    column = len(BODY[:-1] + "，新建红色物业小区") + 1
    assert (found["line"], found["column"], found["code"]) == (6, column, "typed_quantity")
    assert found["severity"] == "warning"
    message = str(found["message"])
    assert "正文里直接写了数量“6个”" in message
    assert "hong_se_wu_ye_xiao_qu: {label: 红色物业小区, value: 6, unit: 个}" in message
    strict = runner.invoke(app, ["validate", "2022", "-d", str(data), "--strict"])
    assert strict.exit_code == 1


@pytest.mark.parametrize(
    "words",
    ["，2022年4月26日开工", "，轨道交通12号线开建", "，第六年获评优秀", "，两个社区一是三中心"],
)
def test_dates_ordinals_and_chinese_words_are_no_typed_quantity(tmp_path: Path, words: str) -> None:
    text = ECONOMY.replace(BODY, BODY[:-1] + words + "。")
    data = write_year(tmp_path, files={"economy.yaml": text})
    result = runner.invoke(app, ["validate", "2022", "-d", str(data), "--strict"])
    assert result.exit_code == 0, result.output


def test_a_key_colon_far_above_an_other_error_is_not_blamed(tmp_path: Path) -> None:
    text = ECONOMY.replace(
        "heading: 谋定", "intro: |\n  note：引文在块里是文字\n  第二行\n  第三行\nheading: 谋定"
    ).replace("    body: 建设", "    body: 建设\n  wrapped")
    found = only_error(tmp_path, "economy.yaml", text)
    assert found["code"] == "yaml_syntax"
    assert found["line"] > 6
