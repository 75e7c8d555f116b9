"""`annual-report init`: next year's data folder from last year's, ready to fill in."""

from __future__ import annotations

from typing import Annotated

import typer

from annual_report.cli.common import DEFAULT_DATA_DIR, DataDir


def command(
    year: Annotated[int, typer.Argument(help="新年度，如 2023 The year to create.")],
    source: Annotated[
        int | None,
        typer.Option(
            "--from",
            help="以哪一年为底稿（默认上一年）The year to start from (default: the year before).",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDir = DEFAULT_DATA_DIR,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="覆盖已有目录（先备份）Replace an existing year (backed up first).",
        ),
    ] = False,
) -> None:
    """生成下一年度的数据草稿 Scaffold next year's data from last year's.

    数值清空为 null（上年数值留作注释），文字保留上年原文并加【待更新】标记，上年的工作计划
    作为本年总结的落实清单（plan_review.yaml）。validate 会列出每一处待填内容。

    例 Example: annual-report init 2023 --from 2022
    """
    from annual_report import pipeline, scaffold
    from annual_report.cli import printer
    from annual_report.errors import display_path

    low, high = scaffold.year_bounds()
    if not low <= year < high:  # its plans are for year + 1, which must be a year too
        raise typer.BadParameter(
            f"年份应为 {low}–{high - 1} 之间的四位数年份，如 2023"
            f"（a four-digit year from {low} to {high - 1}; got {year}）",
            param_hint="YEAR",
        )
    source_year = source if source is not None else year - 1
    if not low <= source_year <= high:
        raise typer.BadParameter(
            f"底稿年份应为 {low}–{high} 之间的四位数年份，如 2022"
            f"（a four-digit year from {low} to {high}; got {source_year}）",
            param_hint="--from",
        )
    if year <= source_year:
        raise typer.BadParameter(
            f"新年度应晚于底稿年度 {source_year}（the new year must come after {source_year}）",
            param_hint="YEAR",
        )
    result = pipeline.init_year(data_dir, year, source_year, force=force)
    if result.backup is not None:
        printer.done(f"原有目录已备份到 {display_path(result.backup)} (backup of the old folder)")
    for path in result.files:
        printer.done(display_path(path))
    checklist = (
        f"，{result.checklist} 项 {year} 年计划列入落实清单 {scaffold.CHECKLIST}.yaml"
        if result.checklist
        else ""
    )
    printer.done(
        f"已生成 {year} 年草稿：{result.emptied} 个数值待填{checklist}。"
        f"运行 annual-report validate {year} 查看每一处待填内容。"
        f"\n(scaffolded {year}: {result.emptied} values to fill in; "
        f"`annual-report validate {year}` lists everything still to do)"
    )
