"""`annual-report import`: the office's existing Word or text file → a year of data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annual_report.cli.common import DEFAULT_DATA_DIR, DataDir


def command(
    file: Annotated[
        Path,
        typer.Argument(help="原文件：.docx、.doc、.wps、.txt 或 .md  The summary to import."),
    ],
    year: Annotated[int, typer.Option("--year", help="报告年度，如 2022 The report's year.")],
    data_dir: DataDir = DEFAULT_DATA_DIR,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="覆盖已有年度（先备份）Replace an existing year (backed up first)."
        ),
    ] = False,
) -> None:
    """从已有的 Word/WPS/文本文件导入一年的数据 Import a year from the office's existing file.

    标题、开篇段、各级标题、段首主旨句、表格、署名与日期按原文件的格式识别；正文中的数字
    写成指标（metrics）并以 {{ m.键名 }} 引用，生成的文档与原文相同。.doc/.wps 需要 LibreOffice。

    例 Example: annual-report import 2022年总结.docx --year 2022
    """
    from annual_report import importer, scaffold
    from annual_report.cli import printer
    from annual_report.errors import display_path
    from annual_report.output import OutputError

    low, high = scaffold.year_bounds()
    if not low <= year < high:
        raise typer.BadParameter(
            f"年份应为 {low}–{high - 1} 之间的四位数年份，如 2022"
            f"（a four-digit year from {low} to {high - 1}; got {year}）",
            param_hint="--year",
        )
    try:
        done = importer.import_year(file, data_dir, year, force=force)
    except OSError as exc:
        raise OutputError(f"无法写入 {display_path(data_dir)}：{exc.strerror or exc}") from None
    found = done.imported
    for note in found.notes:
        printer.done(f"警告 warning: {note}")
    if done.backup is not None:
        printer.done(f"原有目录已备份到 {display_path(done.backup)} (backup of the old folder)")
    for name in found.files:
        printer.done(display_path(done.folder / name))
    reused = f"，沿用 {year - 1} 年的指标键名与文件名" if done.reused else ""
    printer.done(
        f"已导入 {year} 年：{found.parts} 个部分，{found.sections} 节，{found.paragraphs} 段，"
        f"{found.tables} 个表格，{found.metrics} 个指标（正文中 {found.quantities} 处数量），"
        f"{len(found.notes)} 个警告{reused}。\n"
        f"(imported {year}: {found.parts} parts, {found.sections} sections, "
        f"{found.paragraphs} paragraphs, {found.tables} tables, {found.metrics} metrics, "
        f"{len(found.notes)} warnings)\n"
        f"下一步 next: annual-report build {year}"
    )
