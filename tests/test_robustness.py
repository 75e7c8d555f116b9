"""Nothing a user can type crashes the tool (issue 8): each input that once gave a Python
traceback, through the real CLI, is the data-error exit code and a Chinese message at its
file:line:column, and never a Python repr."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from annual_report.cli import app

runner = CliRunner()
SOURCE = Path(__file__).resolve().parents[1] / "data" / "2022"
CJK = re.compile("[\u4e00-\u9fff]")
YEAR_LINE = "year: 2022"  # report.yaml line 6; the value at column 7
PILES = "value: 1354"  # economy.yaml line 18; the value at column 43
PILES_AT = (18, 43)


def year(tmp_path: Path, file: str = "", old: str = "", new: str = "") -> Path:
    """A copy of data/2022 with ``old`` replaced by ``new`` in ``file``; returns the data folder."""
    data = tmp_path / "data"
    shutil.copytree(SOURCE, data / "2022")
    if file:
        path = data / "2022" / file
        text = path.read_text("utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), "utf-8", errors="surrogatepass")
    return data


def run(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(arg) for arg in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    return result


def refused(result: Result, file: Path, line: int, column: int, code: int = 1) -> str:
    """The one line said at ``file:line:column``, in Chinese; the command's data-error code."""
    assert result.exit_code == code, result.output
    place = f"{file}:{line}:{column}:"
    said = [text for text in result.output.splitlines() if text.startswith(place)]
    assert said, result.output
    assert CJK.search(said[0]), said[0]
    return said[0]


def validate(data: Path, *args: str) -> Result:
    return run("validate", "2022", "-d", data, *args)


@pytest.mark.parametrize(
    ("typed", "column"),
    [
        ("%YAML 1.3\n---\nyear: 2022", 1),  # ruamel asserted on the version
        ("%TAG !e! tag:example.com,2000:\n---\nyear: 2022", 1),
        ("year: !!float", 7),  # IndexError inside ruamel
        ("year: !!int 0x", 7),
        ("year: !!float 1e", 7),
        ("year: !!bool maybe", 7),  # KeyError inside ruamel
        ("year: !!int x", 7),  # once at 1:1
        ("year: !!str 2022", 7),  # once "实际为 TaggedScalar(…)"
        ("--- !!omap\nyear: 2022x", 5),  # TypeError in the position walk
        ("--- !!set\nyear: 2022", 5),  # once "实际为 CommentedSet"
        ("!!int 7: x\nyear: 2022", 1),  # on a key, too
        ("year: ! 2022", 7),  # the non-specific tag
    ],
)
def test_every_tag_and_directive_is_refused_at_its_place(
    tmp_path: Path, typed: str, column: int
) -> None:
    data = year(tmp_path, "report.yaml", YEAR_LINE, typed)
    said = refused(validate(data), data / "2022" / "report.yaml", 6, column)
    assert "(" in said and not re.search(r"Tagged|Commented|tag:yaml\.org|Tag\(", said), said
    assert re.search(r"“(%YAML|%TAG|!!?\w*)”", said), said  # the tag or directive as typed


def test_a_value_after_comment_lines_is_read(tmp_path: Path) -> None:
    """Once NotImplementedError "overlap in comment" on one ruamel.yaml version."""
    title = "title: 街道办2022年总结和2023年工作计划"
    data = year(tmp_path, "report.yaml", title, "title:\n  # 标题\n  # 另一行\n  " + title[7:])
    result = validate(data, "--strict")
    assert result.exit_code == 0, result.output


SURROGATE = 'organization: "*街道\\ud800"'


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_lone_surrogate_is_said_escaped_in_every_format(tmp_path: Path, fmt: str) -> None:
    data = year(tmp_path, "report.yaml", 'organization: "*街道"', SURROGATE)
    result = validate(data, "--format", fmt)
    assert result.exit_code == 1, result.output
    assert "\ud800" not in result.output and "U+D800" in result.output
    if fmt == "json":
        found = json.loads(result.stdout)
        assert {(p["line"], p["code"]) for p in found} >= {(7, "control_char")}


def test_a_lone_surrogate_quoted_back_in_a_message_is_escaped(tmp_path: Path) -> None:
    """The message quotes the value ("应为数字，实际为 …"): the printer once died on it."""
    data = year(tmp_path, "economy.yaml", PILES, 'value: "12\\ud800"')
    said = refused(validate(data), data / "2022" / "economy.yaml", *PILES_AT)
    assert "12\\ud800" in said
    github = validate(data, "--format", "github")
    assert github.exit_code == 1 and "12\\ud800" in github.output, github.output
    found = json.loads(validate(data, "--format", "json").stdout)
    assert any("12\\ud800" in problem["message"] for problem in found), found
    built = run("build", "2022", "-d", data, "-o", tmp_path / "x.docx")
    refused(built, data / "2022" / "economy.yaml", *PILES_AT)
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.parametrize(
    "typed",
    [
        "9" * 4301,  # past Python's int-string limit: once a YAML error at 1:1
        "一" * 4301,  # the Chinese-numeral hint hit the same limit
        "五" + "亿" * 540,
        "１" * 4301,
    ],
)
def test_an_absurdly_long_number_is_refused_at_its_place(tmp_path: Path, typed: str) -> None:
    data = year(tmp_path, "economy.yaml", PILES, f"value: {typed}")
    said = refused(validate(data), data / "2022" / "economy.yaml", *PILES_AT)
    assert len(said) < 600, said  # never the whole number said back


def test_init_reads_a_label_that_looks_like_an_impossible_date(tmp_path: Path) -> None:
    data = year(tmp_path, "economy.yaml", "label: 充电桩", "label: 2023-02-29")
    assert validate(data, "--strict").exit_code == 0
    result = run("init", "2023", "-d", data)
    assert result.exit_code == 0, result.output
    assert "2023-02-29" in (data / "2023" / "economy.yaml").read_text("utf-8")


def test_init_refuses_a_date_that_cannot_advance(tmp_path: Path) -> None:
    data = year(tmp_path, "report.yaml", "plans: plans", "plans: plans\ndate: 9999-12-31")
    refused(run("init", "2023", "-d", data), data / "2022" / "report.yaml", 13, 7)
    assert not (data / "2023").exists()


def linked_economy(tmp_path: Path, target: str) -> tuple[Path, Path]:
    """data/2022 whose economy.yaml is a symlink to ``target``: (data folder, the link)."""
    data = year(tmp_path)
    economy = data / "2022" / "economy.yaml"
    economy.unlink()
    economy.symlink_to(target)
    return data, economy


def test_a_file_linking_to_itself(tmp_path: Path) -> None:
    data, economy = linked_economy(tmp_path, "economy.yaml")
    said = refused(validate(data), economy, 1, 1)
    assert "循环" in said and "找不到" not in said
    refused(run("build", "2022", "-d", data, "-o", tmp_path / "x.docx"), economy, 1, 1)
    shutil.copytree(SOURCE, data / "2023")
    assert run("diff", "2022", "2023", "-d", data).exit_code == 2


def test_a_year_folder_linking_to_itself(tmp_path: Path) -> None:
    data = year(tmp_path)
    (data / "2023").symlink_to("2023")
    assert validate(data).exit_code == 0  # 2022 alone is fine
    said = refused(run("validate", "-d", data), data / "2023", 1, 1)  # every year: said
    assert "打不开的链接" in said and "没有 2023 年的文件夹" not in said
    refused(run("validate", "2023", "-d", data), data / "2023", 1, 1)
    assert run("diff", "2022", "2023", "-d", data).exit_code == 2
    assert run("init", "2024", "--from", "2023", "-d", data).exit_code == 1
    assert run("build", "--all", "-d", data, "-o", tmp_path / "out").exit_code == 1


def test_a_broken_symlink_is_named_as_itself(tmp_path: Path) -> None:
    data, economy = linked_economy(tmp_path, "nowhere.yaml")
    said = refused(validate(data), economy, 1, 1)
    assert "nowhere.yaml" in said


def test_permission_denied_is_not_file_not_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Said as what it is (tests may run as root, who reads every file: the refusal is made)."""
    import os

    data = year(tmp_path)
    economy = data / "2022" / "economy.yaml"
    real_open = os.open

    def refuse(path: object, *args: object, **kwargs: object) -> int:
        if str(path) == str(economy):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    said = refused(validate(data), economy, 1, 1)
    assert "权限" in said and "找不到" not in said


@pytest.mark.parametrize(
    ("where", "name"),
    [
        ("annual_report.load.events.EventWatcher.see", "overlap in comment"),  # the parse
        ("annual_report.writing.file_checks", "a check"),  # the checks on the tree
        ("annual_report.model.SectionFile.model_validate", "a model"),  # the models
    ],
)
def test_an_unforeseen_exception_is_a_problem_at_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, name: str
) -> None:
    """The last-resort guard: whatever raises while a file is read, checked or validated is a
    problem at that file (exit 1; diff 2), never a traceback, never a half-written document."""

    def broken(*args: object, **kwargs: object) -> None:
        raise NotImplementedError(name)

    monkeypatch.setattr(where, broken)
    data = year(tmp_path)
    said = refused(validate(data), data / "2022" / "economy.yaml", 1, 1)
    assert "NotImplementedError" in said and name in said and "缺陷" in said
    built = run("build", "2022", "-d", data, "-o", tmp_path / "x.docx")
    refused(built, data / "2022" / "economy.yaml", 1, 1)
    assert not (tmp_path / "x.docx").exists()
    shutil.copytree(SOURCE, data / "2023")
    assert run("diff", "2022", "2023", "-d", data).exit_code == 2


def test_a_full_disk_while_saving_is_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once "Exception ignored in ZipFile.__del__" and a traceback after the message: every
    write into the output folder fails as a full disk does, whoever opens the file."""
    import gc
    import io
    import sys

    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.docx").write_bytes(b"the previous document")
    real_open = io.open

    class Full:
        """A file on a full disk: it opens, and every write fails."""

        def __init__(self, file: Any) -> None:
            self.file = file

        def write(self, data: object) -> int:
            raise OSError(28, "No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(self.file, name)

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

    def full_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        opened = real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]
        return Full(opened) if "w" in mode and str(file).startswith(str(out)) else opened

    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    monkeypatch.setattr(io, "open", full_open)
    monkeypatch.setattr("builtins.open", full_open)
    result = run("build", "2022", "-d", year(tmp_path), "-o", out / "summary.docx")
    gc.collect()
    assert result.exit_code == 1, result.output
    assert "无法写入" in result.output and "Exception ignored" not in result.output
    assert unraisable == []
    assert (out / "summary.docx").read_bytes() == b"the previous document"
    assert sorted(p.name for p in out.iterdir()) == ["summary.docx"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("font: 仿宋_GB2312", 'font: "仿宋\\ud800"'),  # a surrogate in a font name
        ("language: zh-CN", 'language: "zh\\x01CN"'),  # a control character in a language tag
    ],
)
def test_a_profile_string_xml_cannot_hold_is_refused_at_its_place(
    tmp_path: Path, old: str, new: str
) -> None:
    """Once passed validate --templates and crashed build."""
    folder = tmp_path / "templates"
    shutil.copytree(SOURCE.parents[1] / "templates", folder)
    profile = folder / "gbt9704.yaml"
    text = profile.read_text("utf-8")
    assert old in text
    profile.write_text(text.replace(old, new, 1), "utf-8")
    line = text[: text.index(old)].count("\n") + 1
    column = profile.read_text("utf-8").splitlines()[line - 1].index("\\") + 1  # the escape
    data = year(tmp_path)
    said = refused(validate(data, "-t", str(folder)), profile, line, column)
    assert "U+" in said
    built = run("build", "2022", "-d", data, "-t", folder, "-o", tmp_path / "x.docx")
    refused(built, profile, line, column)
    assert not (tmp_path / "x.docx").exists()


def test_a_file_named_dot_yaml_is_named_as_it_is(tmp_path: Path) -> None:
    """Once reported as .yaml.yaml (Path.stem of ".yaml" is ".yaml")."""
    data = year(tmp_path)
    (data / "2022" / ".yaml").write_text("heading: x\n", "utf-8")
    result = validate(data, "--strict")
    assert result.exit_code == 1
    assert f"{data / '2022' / '.yaml'}:1:1: " in result.output
    assert ".yaml.yaml" not in result.output
