"""`annual-report validate`: check the data files, report every problem at once."""

from __future__ import annotations

from typing import Annotated

import typer

from annual_report.cli.common import DEFAULT_DATA_DIR, EXIT_DATA, DataDir, years_in


def command(
    years: Annotated[
        list[int] | None,
        typer.Argument(
            help="要检查的年度；不写则检查全部 Years to check (default: all).", show_default=False
        ),
    ] = None,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """检查数据文件 Validate the data files.

    例 Example: annual-report validate 2022
    """
    from annual_report import dataset
    from annual_report.cli import printer
    from annual_report.errors import Problem, display_path, message

    chosen = years or years_in(data_dir)
    if not chosen:
        printer.problems(
            [
                Problem(
                    display_path(data_dir),
                    1,
                    1,
                    "",
                    "year_missing",
                    message("year_missing", "no year folders"),
                )
            ]
        )
        raise typer.Exit(EXIT_DATA)
    found: list[Problem] = []
    files = 0
    for year in chosen:
        checked = dataset.check_year(data_dir, year)
        files += len(checked.sources)
        found += checked.problems
    printer.problems(found)
    errors = sum(p.severity == "error" for p in found)
    printer.done(
        f"检查了 {files} 个文件：{errors} 个错误，{len(found) - errors} 个警告 "
        f"({files} files, {errors} errors, {len(found) - errors} warnings)"
    )
    if errors:
        raise typer.Exit(EXIT_DATA)
