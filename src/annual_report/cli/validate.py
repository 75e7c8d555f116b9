"""`annual-report validate`: check the data files, report every problem at once."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from annual_report.cli.common import (
    DEFAULT_DATA_DIR,
    EXIT_DATA,
    DataDir,
    ProfileFile,
    TemplateDir,
)


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
    from annual_report import pipeline
    from annual_report.cli import printer

    checks_templates = templates or template_dir is not None or profile is not None
    found, files = pipeline.validate(
        years or [],
        data_dir,
        strict=strict,
        templates=checks_templates,
        template_dir=template_dir,
        profile_path=profile,
    )
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
