"""`annual-report metrics`: a year's numbers out to a spreadsheet and back into the YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annual_report.cli.common import DEFAULT_DATA_DIR, EXIT_USAGE, DataDir


def command(
    year: Annotated[int, typer.Argument(help="年度，如 2023 The year.", show_default=False)],
    to: Annotated[
        Path | None,
        typer.Option("--to", help="导出到 Excel 表格 Write the year's metrics to an .xlsx."),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option("--from", help="从 Excel 表格填回数值 Read the values back from an .xlsx."),
    ] = None,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """指标与 Excel 表格互转 The year's metrics to a spreadsheet and back.

    --to：每个指标一行（含上年数值），交给统计同事填写本年度一列；
    --from：把填好的数值写回 YAML（全部无误才写，出错的单元格逐一指出）。

    例 Example: annual-report metrics 2023 --to 指标.xlsx
               annual-report metrics 2023 --from 指标.xlsx
    """
    from annual_report import sheet
    from annual_report.cli import printer

    if (to is None) == (source is None):
        printer.error("请给出 --to 或 --from 之一（give --to or --from）；例：--to 指标.xlsx")
        raise typer.Exit(EXIT_USAGE)
    if to is not None:
        rows = sheet.write_sheet(data_dir, year, to)
        printer.done(str(to))
        printer.done(
            f"{rows} 个指标已导出：填好 {year}年 一列后运行 "
            f"annual-report metrics {year} --from {to} ({rows} metrics written)"
        )
        return
    assert source is not None
    values, files = sheet.read_sheet(data_dir, year, source)
    for path in files:
        printer.done(str(path))
    printer.done(
        f"已从 {source} 填入 {values} 个数值 ({values} values read)；"
        f"运行 annual-report validate {year} 查看还有哪些待填"
    )
