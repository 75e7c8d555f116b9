"""The outline template is the office's file: whatever is wrong in it is one Chinese message
(an OutlineError, which the CLI prints with exit 1), never a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annual_report import dataset, outline
from annual_report.blocks import Block, Run
from annual_report.cli import app
from annual_report.outline import OutlineError, render_outline

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CONTEXT = {"year": 2022, "title": "街道办2022年总结", "n": 5, "items": ["甲", "乙"]}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def refused(template: str) -> str:
    with pytest.raises(OutlineError) as caught:
        render_outline(template, CONTEXT)
    message = str(caught.value)
    assert CHINESE.search(message), message
    assert "Traceback" not in message
    return message


def test_paragraph_calls_become_blocks_in_order() -> None:
    template = (
        '{{ paragraph("title", title) }}\n'
        "{%- for item in items %}\n"
        '{{ paragraph("body", item, lead="主旨。") }}\n'
        "{%- endfor %}\n"
        '{{ paragraph("blank") }}\n'
    )
    assert render_outline(template, CONTEXT) == [
        Block("title", (Run("街道办2022年总结"),)),
        Block("body", (Run("主旨。", "lead"), Run("甲"))),
        Block("body", (Run("主旨。", "lead"), Run("乙"))),
        Block("blank"),
    ]


def test_unknown_style() -> None:
    message = refused('{{ paragraph("body") }}\n{{ paragraph("nonsense", "x") }}\n')
    assert "nonsense" in message and "第 2 行" in message and "heading1" in message


@pytest.mark.parametrize(
    "call",
    [
        'paragraph("body", 5)',
        'paragraph("body", n)',
        'paragraph("body", items)',
        'paragraph("body", "x", lead=5)',
        'paragraph("body", "x", runin=none)',
        "paragraph(5)",
    ],
)
def test_text_that_is_not_text(call: str) -> None:
    message = refused("{{ " + call + " }}")
    assert "paragraph" in message or "样式" in message


def test_an_undefined_name_passed_as_text_is_named() -> None:
    message = refused('{{ paragraph("body", titel) }}')
    assert "titel" in message


@pytest.mark.parametrize(
    "template",
    [
        '{{ paragraph("title", title) }}\n多出来的一行\n',
        '{{ paragraph("title", title) }}{{ title }}',
        '{"style": "nonsense", "runs": [["plain", "x"]]}\n',
        '{"style": "body", "runs": [["plain", "x"]]}\n',  # typed-out blocks are text, not calls
    ],
)
def test_stray_text_outside_paragraph(template: str) -> None:
    assert "paragraph(...) 之外" in refused(template)


def test_a_recursive_macro() -> None:
    template = "{% macro again(n) %}{{ again(n + 1) }}{% endmacro %}\n{{ again(0) }}\n"
    assert "过深" in refused(template)


@pytest.mark.parametrize(
    ("template", "shown"),
    [
        ('{{ paragraph("body", title) }}\n{{ 1 // 0 }}\n', "第 2 行"),
        ('{{ paragraph("heading1", cn(-1)) }}', "no Chinese numeral"),
        ('{{ paragraph("body", title.nope) }}', "nope"),
        ('{{ paragraph("body", bad=1) }}', "多了参数 bad=…"),
        ('{{ paragraph("body", "x", "y") }}', "多了参数 'y'"),
        ("{{ paragraph() }}", "未知的段落样式"),
        ("{% for %}", "第 1 行"),
        ("{{ title.__class__ }}", "__class__"),
    ],
)
def test_a_runtime_error_in_the_template(template: str, shown: str) -> None:
    assert shown in refused(template)


def test_the_real_outline_renders_the_2022_data() -> None:
    data, _, _ = dataset.load_year(DATA, 2022)
    template = (ROOT / "templates" / "outline.j2").read_text("utf-8")
    blocks = render_outline(template, outline.outline_context(data))
    assert blocks[0].style == "title" and blocks[-1].style in ("body", "signature", "date")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_a_title_with_a_unicode_line_separator_is_refused(tmp_path: Path, separator: str) -> None:
    """str.splitlines() splits on these and Word shows them as a break the office never typed:
    refused at the character (issue 8), whether typed raw or as YAML's \\L / \\P escape."""
    year = tmp_path / "data" / "2022"
    shutil.copytree(DATA / "2022", year)
    report = year / "report.yaml"
    text = report.read_text("utf-8")
    title = re.search(r"^title: (.+)$", text, re.MULTILINE)
    assert title is not None
    new_title = title.group(1).replace("总结", "总结" + separator, 1)
    escape = {"\u2028": "\\L", "\u2029": "\\P"}[separator]
    quoted = '"' + new_title.replace(separator, escape) + '"'
    report.write_text(text.replace(title.group(0), f"title: {quoted}", 1), "utf-8")
    target = tmp_path / "out.docx"

    result = CliRunner().invoke(
        app, ["build", "2022", "--data-dir", str(tmp_path / "data"), "-o", str(target)]
    )
    assert result.exit_code == 1, result.output
    line = text[: title.start()].count("\n") + 1
    column = len("title: ") + 1 + quoted.index("\\")
    assert f"report.yaml:{line}:{column}: title:" in result.output
    assert f"U+{ord(separator):04X}" in result.output
    assert not target.exists()


@pytest.mark.parametrize(
    ("template", "code"),
    [
        ('{{ paragraph("heading1", "一、工作\x0b总结") }}', "U+000B"),  # Word's Shift+Enter
        ('{{ paragraph("body", "x", lead="主旨\x0c。") }}', "U+000C"),
        ('{{ paragraph("body", "\\ud800") }}', "U+D800"),  # a lone surrogate, by escape
        ('{{ paragraph("body", "x", runin="\\x01") }}', "U+0001"),
    ],
)
def test_a_character_word_cannot_hold_is_refused_by_name(template: str, code: str) -> None:
    with pytest.raises(OutlineError) as caught:
        render_outline(template, CONTEXT, name="templates/outline.j2")
    message = str(caught.value)
    assert code in message and "templates/outline.j2" in message and "第 1 行" in message


def test_a_control_character_in_the_outline_is_no_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    text = (ROOT / "templates" / "outline.j2").read_text("utf-8")
    (folder / "outline.j2").write_text(text.replace("年工作总结", "年工作\x0b总结"), "utf-8")
    result = CliRunner().invoke(
        app, ["build", "2022", "-d", str(DATA), "-o", str(tmp_path / "x.docx"), "-t", str(folder)]
    )
    assert result.exit_code == 1, result.output
    assert "U+000B" in result.output and "outline.j2" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.docx").exists()


@pytest.mark.parametrize(
    "template",
    ["", "\n\n", "{# 全部注释掉了 #}\n", '{{ paragraph("blank") }}\n', "{% if 0 %}x{% endif %}"],
)
def test_an_outline_that_writes_no_paragraph_is_refused(template: str) -> None:
    """An emptied outline.j2 would build an empty document and report success."""
    assert "没有写出任何段落" in refused(template)


def test_build_with_an_empty_outline_fails(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "outline.j2").write_text("", "utf-8")
    target = tmp_path / "x.docx"
    result = CliRunner().invoke(
        app, ["build", "2022", "-d", str(DATA), "-o", str(target), "-t", str(folder)]
    )
    assert result.exit_code == 1, result.output
    assert "outline.j2" in result.output and not target.exists()


def _validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", "2022", "-d", str(DATA), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _outline_folder(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "outline.j2").write_bytes(text.encode(encoding))
    return folder


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ('{{ paragraph("title", report.title) }}\n{% for %}\n', ":2:1:", "语法错误"),
        ('{{ paragraph("title", report.title }}\n', ":1:1:", "语法错误"),
        ("", ":1:1:", "没有写出任何段落"),
        ("{# 注释 #}\n", ":1:1:", "没有写出任何段落"),
        (
            '{{ paragraph("body", "甲") }}\n{{ paragraph("body", "乙\x0b丙") }}\n',
            ":2:24:",
            "U+000B",
        ),
    ],
)
def test_validate_parses_the_outline(tmp_path: Path, text: str, where: str, words: str) -> None:
    """CI's validate must fail where build would: the outline is parsed (not rendered)."""
    folder = _outline_folder(tmp_path, text)
    code, output = _validate("--template-dir", str(folder))
    assert code == 1, output
    assert f"outline.j2{where}" in output and words in output


def test_validate_finds_the_outline_build_would_use(tmp_path: Path) -> None:
    """templates/ beside the data overrides the built-in one, for validate as for build."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "2022", data / "2022")
    _outline_folder(data, "{% if %}\n")
    result = CliRunner().invoke(app, ["validate", "-d", str(data), "--templates"])
    assert result.exit_code == 1, result.output
    assert "templates/outline.j2:1:1:" in result.output


def test_validate_reads_a_gbk_outline_with_a_warning(tmp_path: Path) -> None:
    text = (ROOT / "templates" / "outline.j2").read_text("utf-8")
    folder = _outline_folder(tmp_path, text, "gbk")
    code, output = _validate("-t", str(folder))
    assert code == 0 and "GB18030" in output, output
    code, _ = _validate("-t", str(folder), "--strict")
    assert code == 1


def test_validate_template_options_must_exist(tmp_path: Path) -> None:
    for option in ("--template-dir", "--profile"):
        code, output = _validate(option, str(tmp_path / "nowhere"))
        assert code == 2, output


def _with_line(line: str) -> str:
    """The real outline with one more line at its end (line 32)."""
    text = (ROOT / "templates" / "outline.j2").read_text("utf-8")
    assert text.count("\n") == 31
    return text + line + "\n"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("特此报告。", ["paragraph(...) 之外", "特此报告。"]),
        ('{{ paragraph("body", report.closng) }}', ["closng", "您是否想写 “closing”"]),
        ('{{ paragraph("heading3", "x") }}', ["heading3", "heading2"]),
        ('{{ paragraph("body", reprot.closing) }}', ["reprot", "您是否想写 report"]),
    ],
)
def test_validate_renders_the_outline_where_build_would_stop(
    tmp_path: Path, line: str, words: list[str]
) -> None:
    """Parsing is not enough: stray text, a misspelt name, an unknown style all parse. validate
    renders the outline with the year's data as build does, and fails where build fails, at the
    template's line; it writes nothing."""
    folder = _outline_folder(tmp_path, _with_line(line))
    code, output = _validate("--template-dir", str(folder))
    assert code == 1, output
    assert "outline.j2:32:1:" in output, output
    assert all(word in output for word in words), output
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["outline.j2", "templates"]
    result = CliRunner().invoke(
        app, ["build", "2022", "-d", str(DATA), "-o", str(tmp_path / "x.docx"), "-t", str(folder)]
    )
    assert result.exit_code == 1 and "第 32 行" in result.output, result.output


def test_validate_renders_the_outline_for_each_valid_year(tmp_path: Path) -> None:
    """A branch only one year's data takes is rendered too; the problem names that year."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "2022", data / "2022")
    _outline_folder(
        data, _with_line('{% if year == 2022 %}{{ paragraph("body", plans[0].titel) }}{% endif %}')
    )
    result = CliRunner().invoke(app, ["validate", "-d", str(data), "--templates"])
    assert result.exit_code == 1, result.output
    assert "outline.j2:32:1:" in result.output and "2022" in result.output
    assert "您是否想写 “title”" not in result.output and "heading" in result.output


def test_plain_validate_does_not_load_jinja_or_the_outline() -> None:
    """Without --templates validate stays on its fast path."""
    import subprocess
    import sys

    code = (
        "import sys; from annual_report.cli import app; "
        "sys.argv = ['annual-report', 'validate', '2022', '--data-dir', sys.argv[1]]\n"
        "try: app()\n"
        "except SystemExit as exc: assert exc.code == 0, exc.code\n"
        "print(sorted(m for m in sys.modules if m.startswith(('jinja2', 'annual_report.'))))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code, str(DATA)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[-1]
    assert "jinja2" not in found and "annual_report.outline" not in found, found
