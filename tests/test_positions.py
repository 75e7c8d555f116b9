"""A reported line:col is the real place: the value for a wrong value, the key for an unknown
key, the mapping that should hold a missing field, the ``{{`` of a bad reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from annual_report.dataset import check_year
from annual_report.errors import Problem
from factory import ECONOMY, REPORT, write_year


def problems(tmp_path: Path, name: str, text: str) -> list[Problem]:
    return check_year(write_year(tmp_path, files={name: text}), 2022).problems


def place_of(text: str, needle: str, line_hint: str | None = None) -> tuple[int, int]:
    """1-based line and column of ``needle`` in ``text`` (on the line containing ``line_hint``)."""
    for number, line in enumerate(text.splitlines(), 1):
        if (line_hint or needle) in line and needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def only(found: list[Problem], code: str) -> Problem:
    (problem,) = [p for p in found if p.code == code]
    return problem


@pytest.mark.parametrize(
    ("old", "new", "code", "path"),
    [
        # a value inside a flow mapping
        ("value: 1354", "value: 一千", "number_type", "items[0].metrics.charging_piles.value"),
        # a value inside a block mapping, three levels down
        ("value: 6497", "value: -5", "greater_than_equal", "items[0].metrics.parking_spaces.value"),
        ("unit: 个\n", "unit: 12\n", "string_type", "items[0].metrics.parking_spaces.unit"),
        # a top-level value and an item's value
        ("heading: 谋定快动", "heading: 2022谋定快动", None, None),
        ("lead: 城建城改项目如期推进。", "lead: [城建]", "string_type", "items[0].lead"),
    ],
)
def test_a_wrong_value_points_at_the_value(
    tmp_path: Path, old: str, new: str, code: str | None, path: str | None
) -> None:
    text = ECONOMY.replace(old, new)
    if code is None:  # still valid: a control row that the replacement itself is harmless
        assert problems(tmp_path, "economy.yaml", text) == []
        return
    problem = only(problems(tmp_path, "economy.yaml", text), code)
    key, value = new.split(": ", 1)
    assert (problem.line, problem.column) == place_of(text, value.strip(), key)
    assert problem.path == path


def test_an_unknown_key_points_at_the_key(tmp_path: Path) -> None:
    text = ECONOMY.replace("        unit: 个\n", "        unit: 个\n        approxx: 近\n")
    problem = only(problems(tmp_path, "economy.yaml", text), "extra_forbidden")
    assert (problem.line, problem.column) == place_of(text, "approxx")
    assert problem.path == "items[0].metrics.parking_spaces.approxx"
    assert "'approx'" in problem.message


def test_an_unknown_key_in_a_flow_mapping_points_at_the_key(tmp_path: Path) -> None:
    text = ECONOMY.replace("unit: 个}", "unit: 个, nit: x}")
    problem = only(problems(tmp_path, "economy.yaml", text), "extra_forbidden")
    assert (problem.line, problem.column) == place_of(text, "nit: x")


def test_a_missing_field_points_at_the_mapping_that_should_hold_it(tmp_path: Path) -> None:
    text = ECONOMY.replace("        label: 停车泊位\n", "")
    problem = only(problems(tmp_path, "economy.yaml", text), "missing")
    assert problem.path == "items[0].metrics.parking_spaces.label"
    assert (problem.line, problem.column) == place_of(text, "value: 6497")  # its first key

    text = ECONOMY.replace("    lead: 城建城改项目如期推进。\n", "")
    problem = only(problems(tmp_path / "b", "economy.yaml", text), "missing")
    assert (problem.line, problem.column) == place_of(text, "id: urban_projects")

    text = ECONOMY.replace("label: 充电桩, ", "")
    problem = only(problems(tmp_path / "c", "economy.yaml", text), "missing")
    assert (problem.line, problem.column) == place_of(text, "{value: 1354")


def test_a_missing_top_level_field_points_at_the_first_key(tmp_path: Path) -> None:
    text = REPORT.replace("title: 街道办2022年总结和2023年工作计划\n", "")
    problem = only(problems(tmp_path, "report.yaml", text), "missing")
    assert (problem.line, problem.column, problem.path) == (2, 1, "title")


def test_a_list_item_points_at_the_item(tmp_path: Path) -> None:
    text = REPORT.replace("sections: [economy]", "sections: [economy, Safety]")
    found = problems(tmp_path, "report.yaml", text)
    problem = only(found, "string_pattern_mismatch")
    assert (problem.line, problem.column, problem.path) == (
        *place_of(text, "Safety"),
        "sections[1]",
    )


def test_a_bad_metric_key_points_at_the_key(tmp_path: Path) -> None:
    text = ECONOMY.replace("      parking_spaces:", "      停车泊位:").replace(
        "{{ m.parking_spaces }}", ""
    )
    problem = only(problems(tmp_path, "economy.yaml", text), "metric_key")
    assert (problem.line, problem.column) == place_of(text, "停车泊位:")


BODY = "    body: 建设充电桩{{ m.charging_piles }}，停车泊位{{ m.parking_spaces }}。"
REFERENCED = "{{ m.charging_piles }}{{ m.parking_spaces }}"


@pytest.mark.parametrize("quote", ["", '"', "'"])
def test_an_undefined_reference_points_at_its_braces(tmp_path: Path, quote: str) -> None:
    text = ECONOMY.replace(BODY, f"    body: {quote}建设{{{{ m.nope }}}}，{REFERENCED}。{quote}")
    problem = only(problems(tmp_path, "economy.yaml", text), "undefined_metric")
    assert (problem.line, problem.column) == place_of(text, "{{ m.nope }}")


def test_a_reference_in_a_literal_block_points_at_its_line(tmp_path: Path) -> None:
    # literal blocks are refused (line breaks), but the reference is still placed exactly
    text = ECONOMY.replace(
        BODY,
        "    body: |-\n      建设充电桩{{ m.charging_piles }}，\n"
        "      停车泊位{{ m.parking_spaces }}{{ m.nope }}。",
    )
    found = problems(tmp_path, "economy.yaml", text)
    assert only(found, "literal_block").line == place_of(text, "body: |-")[0]
    undefined = only(found, "undefined_metric")
    assert (undefined.line, undefined.column) == place_of(text, "{{ m.nope }}")
    source = check_year(tmp_path / "data", 2022).sources["economy"]
    offset = source.scalar(("items", 0, "body")).value.index("{{ m.nope }}")
    assert source.position_in(("items", 0, "body"), offset) == place_of(text, "{{ m.nope }}")


def test_a_yaml_syntax_error_and_a_duplicate_key_have_their_place(tmp_path: Path) -> None:
    text = ECONOMY.replace("      parking_spaces:\n", "      charging_piles:\n")
    problem = only(problems(tmp_path, "economy.yaml", text), "duplicate_key")
    assert (problem.line, problem.column) == (9, 7)
    text = ECONOMY.replace("lead: 城建城改项目如期推进。", 'lead: "城建城改项目如期推进。')
    problem = only(problems(tmp_path / "b", "economy.yaml", text), "yaml_syntax")
    assert (problem.line, problem.column) == place_of(text, '"城建')


def test_the_position_helper_on_the_real_data() -> None:
    """Positions hold on data/2022 too: every metric value is found where the file has it."""
    root = Path(__file__).resolve().parents[1] / "data"
    checked = check_year(root, 2022)
    assert checked.data is not None
    source = checked.sources["economy"]
    line, column = source.position(("items", 1, "metrics", "charging_piles", "value"))
    assert source.text.splitlines()[line - 1][column - 1 :].startswith("1354")


def test_an_impossible_date_points_at_the_date(tmp_path: Path) -> None:
    """Once `report.yaml:1:1: YAML 语法错误：month must be in 1..12`."""
    text = REPORT + "date: 2023-13-45\n"
    problem = only(problems(tmp_path, "report.yaml", text), "date_type")
    assert (problem.line, problem.column, problem.path) == (*place_of(text, "2023-13-45"), "date")
    assert "2023-13-45" in problem.message


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("~", "空值"),
        ("NULL", "空值"),
        ("1", "整数"),
        ("1.5", "数字"),
        ("true", "true/false"),
        ("False", "true/false"),
        ("2022-01-06", "日期"),
    ],
)
def test_a_key_that_is_not_text_points_at_the_key(tmp_path: Path, key: str, kind: str) -> None:
    """Once `report.yaml:6:1: None: Keys should be strings` (untranslated, the wrong place)."""
    text = REPORT.replace("plans: plans\n", f"plans: plans\n{key}: x\n")
    problem = only(problems(tmp_path, "report.yaml", text), "key_not_string")
    assert (problem.line, problem.column) == place_of(text, f"{key}: x")
    assert kind in problem.message and "None" not in problem.message


def test_a_quoted_number_key_is_text(tmp_path: Path) -> None:
    text = REPORT.replace("plans: plans\n", 'plans: plans\n"1": x\n')
    problem = only(problems(tmp_path, "report.yaml", text), "extra_forbidden")
    assert problem.line == place_of(text, '"1": x')[0]


@pytest.mark.parametrize("char", ["\\uFFFF", "\\uFFFE", "\\uD800", "\\x0b", "\\r"])
def test_an_escaped_forbidden_character_points_at_it(tmp_path: Path, char: str) -> None:
    text = ECONOMY.replace("lead: 城建城改项目如期推进。", f'lead: "城建城改{char}项目如期推进。"')
    problem = only(problems(tmp_path, "economy.yaml", text), "control_char")
    assert (problem.line, problem.column) == place_of(text, char)


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\x7f", "\x01"])
def test_a_raw_forbidden_character_points_at_it(tmp_path: Path, char: str) -> None:
    text = ECONOMY.replace("lead: 城建城改", f"lead: 城建{char}城改")
    problem = only(problems(tmp_path, "economy.yaml", text), "control_char")
    assert (problem.line, problem.column) == place_of(text, char)


@pytest.mark.parametrize(
    "reference", ["{{ m.charging_piles | upper }}", "{{ m.charging_piles.value | yoy }}"]
)
def test_a_refused_reference_points_at_its_braces(tmp_path: Path, reference: str) -> None:
    """A filter other than yoy (or yoy on a bare number) is not one of the three spellings."""
    text = ECONOMY.replace(BODY, f"    body: 建设{reference}，{REFERENCED}。")
    found = problems(tmp_path, "economy.yaml", text)
    problem = next(p for p in found if p.code in ("jinja_forbidden", "jinja_syntax"))
    assert (problem.line, problem.column) == place_of(text, reference)
    assert not [p for p in found if p.code == "unused_metric"]  # refused, not also unused


def test_the_plain_copy_is_built_once(tmp_path: Path) -> None:
    source = check_year(write_year(tmp_path), 2022).sources["economy"]
    assert source.plain is source.plain


def test_booleans_stay_booleans() -> None:
    from ruamel.yaml.scalarbool import ScalarBoolean

    from annual_report.load.source import to_plain

    plain = to_plain({"a": ScalarBoolean(True), "b": ScalarBoolean(False), "c": 1})
    assert plain == {"a": True, "b": False, "c": 1}
    assert [type(v) for v in plain.values()] == [bool, bool, int]


@pytest.mark.parametrize("gap", [" ", "   "])
def test_a_comment_after_plain_text_points_at_the_hash(tmp_path: Path, gap: str) -> None:
    """Once the document silently ended at “在微博发起”: YAML reads “ #…” as a comment."""
    old = "lead: 城建城改项目如期推进。"
    text = ECONOMY.replace(old, f"lead: 城建城改项目在微博发起{gap}#专精特新在江岸# 话题。")
    problem = only(problems(tmp_path, "economy.yaml", text), "comment_in_text")
    assert (problem.line, problem.column, problem.path) == (
        *place_of(text, "#专精"),
        "items[0].lead",
    )
    assert "#专精特新在江岸# 话题。" in problem.message and "引号" in problem.message


def test_a_comment_after_wrapped_plain_text_points_at_the_hash(tmp_path: Path) -> None:
    text = ECONOMY.replace(
        "lead: 城建城改项目如期推进。", "lead: 城建城改\n      项目如期推进 # 备注"
    )
    found = problems(tmp_path, "economy.yaml", text)
    assert (only(found, "comment_in_text").line, only(found, "comment_in_text").column) == (
        place_of(text, "# 备注")
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("value: 6497", "value: 6497  # 2021: 6000"),  # a number
        ("value: 6497", "value: null  # 2022: 6497"),  # what init writes
        ("value: 6497", "value:  # 2022: 6497"),  # an empty value
        ("lead: 城建城改项目如期推进。", 'lead: "城建城改项目如期推进。"  # 已核对'),  # quoted text
        ("lead: 城建城改项目如期推进。", "lead: 城建城改项目#如期推进。"),  # no blank: text
        ("unit: 个}", "unit: 个}  # 口径同上年"),  # after a flow mapping
        ("parking_spaces:\n", "parking_spaces:  # 停车\n"),  # after a key
    ],
)
def test_other_trailing_comments_are_allowed(tmp_path: Path, old: str, new: str) -> None:
    text = ECONOMY.replace(old, new, 1)
    assert text != ECONOMY
    assert "comment_in_text" not in {p.code for p in problems(tmp_path, "economy.yaml", text)}


def test_a_comment_after_a_date_is_allowed(tmp_path: Path) -> None:
    text = REPORT + "date: 2023-01-06  # 印发日期\n"
    assert problems(tmp_path, "report.yaml", text) == []


def test_a_fresh_init_holds_no_comment_after_text(tmp_path: Path) -> None:
    """init writes `value: null  # 2022: 1354` and keeps the source's comments: none is text."""
    import shutil

    from typer.testing import CliRunner

    from annual_report.cli import app

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "2022", data / "2022")
    result = CliRunner().invoke(app, ["init", "2023", "--from", "2022", "-d", str(data)])
    assert result.exit_code == 0, result.output
    assert " # " in (data / "2023" / "economy.yaml").read_text(encoding="utf-8")
    found = check_year(data, 2023).problems
    assert found and "comment_in_text" not in {p.code for p in found}
    assert "comment_in_text" not in {p.code for p in check_year(data, 2022).problems}


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_an_undecodable_byte_points_at_the_byte(tmp_path: Path, bom: bytes) -> None:
    """Once `economy.yaml:2:1`: the place where GB18030, tried second, gave up."""
    stray = "label: 停车".encode()
    raw = bom + ECONOMY.encode().replace(stray, stray + b"\x80")
    data = write_year(tmp_path, files={"economy.yaml": raw})
    (problem,) = check_year(data, 2022).problems
    assert (problem.code, problem.line, problem.column) == (
        "encoding",
        *place_of(ECONOMY, "泊位", "label: 停车"),
    )
