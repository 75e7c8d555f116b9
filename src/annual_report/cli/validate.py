"""`annual-report validate`: check the data files, report every problem at once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annual_report.cli.common import (
    DEFAULT_DATA_DIR,
    EXIT_DATA,
    DataDir,
    ProfileFile,
    TemplateDir,
    years_in,
)

if TYPE_CHECKING:
    from annual_report.dataset import Checked
    from annual_report.errors import Problem


class Format(StrEnum):
    text = "text"
    github = "github"
    json = "json"


def command(
    years: Annotated[
        list[int] | None,
        typer.Argument(
            help="要检查的年度；不写则检查全部 Years to check (default: all).", show_default=False
        ),
    ] = None,
    data_dir: DataDir = DEFAULT_DATA_DIR,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="输出格式：text（给人看）、github（Actions 注释）、json "
            "Output: text, github (Actions annotations) or json.",
        ),
    ] = Format.text,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="警告也算错误 Treat warnings as errors."),
    ] = False,
    templates: Annotated[
        bool,
        typer.Option(
            "--templates",
            help="也检查 build 将使用的版式文件与大纲模板（给 -t/--profile 时自动检查）"
            "Also check the layout profile and outline template build would use.",
        ),
    ] = False,
    template_dir: TemplateDir = None,
    profile: ProfileFile = None,
) -> None:
    """检查数据文件，一次列出全部问题 Validate the data files, every problem at once.

    --templates 时也检查 build 将使用的版式文件与大纲模板 With --templates, also the layout
    profile and the outline template build would use (as CI should).

    退出码 Exit: 0 数据无误 valid · 1 有错误（--strict 时含警告）invalid · 2 命令行有误 usage.

    例 Example: annual-report validate 2022 --format github --strict --templates
    """
    from annual_report import dataset
    from annual_report.cli import printer
    from annual_report.errors import Problem

    chosen = years or years_in(data_dir)
    found: list[Problem] = []
    valid: dict[int, Checked] = {}  # what the outline is rendered with, under --templates
    files = 0
    if not chosen:
        found.append(dataset.data_missing(data_dir))
    for year in dict.fromkeys(chosen):
        checked = dataset.check_year(data_dir, year)
        files += len(checked.files)
        found += checked.problems
        if checked.data is not None:
            valid[year] = checked
    if templates or template_dir or profile:  # opt-in: the data alone is validate's fast path
        found += _check_templates(data_dir, template_dir, profile, valid)  # not data files
    if strict:
        found = [Problem(**{**p.as_dict(), "severity": "error"}) for p in found]
    found.sort()
    printer.report(found, fmt.value)
    errors = sum(p.severity == "error" for p in found)
    if fmt is Format.text:
        printer.summary(files, errors, len(found) - errors)
    elif fmt is Format.github:
        printer.err().print(
            f"{files} files checked, {errors} errors, {len(found) - errors} warnings",
            markup=False,
        )
    if errors:
        raise typer.Exit(EXIT_DATA)


def _check_templates(
    data_dir: Path,
    template_dir: Path | None,
    profile_path: Path | None,
    valid: dict[int, Checked],
) -> list[Problem]:
    """The layout profile and the outline template build would take for this data folder (the
    same search): the profile loaded, the outline parsed and rendered with each valid year's
    data as build renders it, their problems told like the data's."""
    from annual_report import templates
    from annual_report.errors import DataError, Problem, display_path
    from annual_report.layout.profile import load_profile

    found: list[Problem] = []
    for name in (templates.PROFILE, templates.OUTLINE):
        try:
            path = profile_path if name == templates.PROFILE and profile_path else None
            path = path or templates.find(name, data_dir, template_dir)
        except templates.TemplateMissing as exc:
            found.append(Problem(display_path(data_dir), 1, 1, "", "file_missing", str(exc)))
            continue
        if name == templates.OUTLINE:
            found += _check_outline(path, valid)
            continue
        try:
            load_profile(path)
        except DataError as exc:
            found += exc.problems
    return found


def _check_outline(path: Path, valid: dict[int, Checked]) -> list[Problem]:
    """The outline template as build would run it: read as build reads it (encoding warnings),
    parsed (at least one ``paragraph(...)`` call, no character a .docx cannot hold), then
    rendered, sandboxed, with each valid year's data (stray text, undefined names, unknown
    styles), writing nothing. Each problem at its line, like the data's."""
    import re

    from jinja2 import Environment, TemplateSyntaxError, nodes

    from annual_report.errors import DataError
    from annual_report.load.decode import XML_FORBIDDEN, read_text
    from annual_report.load.source import file_problem, text_position

    try:
        text, problems = read_text(path)
    except DataError as exc:
        return exc.problems
    if found := re.search(f"[{XML_FORBIDDEN}]", text):
        line, column = text_position(text, found.start())
        code = f"U+{ord(found.group()):04X}"
        english = (
            f"大纲模板含有 Word 文档不能容纳的字符 {code}（Word 的 Shift+Enter 换行符是 U+000B），"
            f"请删去（character {code} not allowed in a .docx）"
        )
        problems.append(file_problem(path, "outline_char", english, line, column))
    try:
        tree = Environment().parse(text)  # the syntax only: the sandbox matters when it runs
    except TemplateSyntaxError as exc:
        english = f"大纲模板语法错误：{exc.message}（outline template syntax error）"
        return [*problems, file_problem(path, "outline_syntax", english, exc.lineno or 1)]
    calls = (call.node for call in tree.find_all(nodes.Call))
    if not any(isinstance(node, nodes.Name) and node.name == "paragraph" for node in calls):
        english = (
            "大纲模板没有写出任何段落（文件为空？）：每个段落须由 paragraph(...) 写出"
            "（the outline writes no paragraph）"
        )
        problems.append(file_problem(path, "outline_empty", english))
    if any(p.severity == "error" for p in problems):
        return problems
    return problems + _render_outline(path, text, valid)


def _render_outline(path: Path, text: str, valid: dict[int, Checked]) -> list[Problem]:
    """Render the outline for every valid year as build does; one problem per distinct error,
    naming the years it stops."""
    from annual_report import outline
    from annual_report.errors import display_path
    from annual_report.load.source import file_problem

    stopped: dict[tuple[int, str], list[int]] = {}
    for year, checked in valid.items():
        assert checked.data is not None  # only valid years are here
        context = outline.outline_context(checked.data, checked.prior)
        try:
            outline.render_outline(text, context, display_path(path))
        except outline.OutlineError as exc:
            stopped.setdefault((exc.line or 1, exc.detail), []).append(year)
    return [
        file_problem(
            path,
            "outline_render",
            f"按 {'、'.join(map(str, years))} 年数据生成时出错（build would stop）：{detail}",
            line,
        )
        for (line, detail), years in stopped.items()
    ]
