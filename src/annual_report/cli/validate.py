"""`annual-report validate`: check the data files, report every problem at once."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from annual_report.cli.common import DEFAULT_DATA_DIR, EXIT_DATA, DataDir, years_in


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
) -> None:
    """检查数据文件，一次列出全部问题 Validate the data files, every problem at once.

    退出码 Exit: 0 数据无误 valid · 1 有错误（--strict 时含警告）invalid · 2 命令行有误 usage.

    例 Example: annual-report validate 2022 --format github --strict
    """
    from annual_report import dataset
    from annual_report.cli import printer
    from annual_report.errors import Problem, display_path, message

    chosen = years or years_in(data_dir)
    found: list[Problem] = []
    files = 0
    if not chosen:
        english = "no data folder" if not data_dir.is_dir() else "no year folders in it"
        found.append(
            Problem(
                display_path(data_dir), 1, 1, "", "year_missing", message("year_missing", english)
            )
        )
    for year in dict.fromkeys(chosen):
        checked = dataset.check_year(data_dir, year)
        files += len(checked.files)
        found += checked.problems
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
