"""`annual-report build`: a year's data → the .docx (and optionally the PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annual_report.cli.common import (
    DEFAULT_DATA_DIR,
    EXIT_USAGE,
    DataDir,
    ProfileFile,
    TemplateDir,
)

if TYPE_CHECKING:
    from annual_report.pipeline import BuildOptions


def command(
    years: Annotated[
        list[int] | None, typer.Argument(help="年度，如 2022 Year(s) to build.", show_default=False)
    ] = None,
    data_dir: DataDir = DEFAULT_DATA_DIR,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="输出文件（单个年度；写 .pdf 则同时写出同名 .docx）或目录 "
            "Output .docx file (a .pdf: the .docx beside it too), or folder.",
        ),
    ] = None,
    build_all: Annotated[
        bool, typer.Option("--all", help="生成数据目录下的所有年度 Build every year.")
    ] = False,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="同时用 LibreOffice 生成 PDF Also write a PDF.")
    ] = False,
    template_dir: TemplateDir = None,
    profile: ProfileFile = None,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help="草稿：未填的数值和待更新的文字照样生成并标出，页眉写“草稿”，文件名加（草稿）"
            "Build a year still in progress, marking what is left to do.",
        ),
    ] = False,
) -> None:
    """生成年度工作总结 Word 文档 Build the summary .docx for a year.

    例 Example: annual-report build 2022   →  build/2022/街道办2022年总结和2023年工作计划.docx

    -o 总结.pdf 写出 总结.docx 与 总结.pdf（同 --pdf） writes both, as --pdf does.

    --draft：init 之后、填完之前先看一版：build/2023/<标题>（草稿）.docx
    """
    from annual_report import dataset, pipeline
    from annual_report.cli import printer
    from annual_report.errors import UserError

    if build_all and years:
        printer.error(
            "--all 生成所有年度，不能再指定年度（give years or --all, not both）；"
            "例：annual-report build --all"
        )
        raise typer.Exit(EXIT_USAGE)
    if not build_all and not years:
        printer.error(
            "请指定年度，或用 --all（Give a year, or --all）；例：annual-report build 2022"
        )
        raise typer.Exit(EXIT_USAGE)
    chosen = dataset.years_in(data_dir) if build_all else list(dict.fromkeys(years or []))
    if not chosen:
        raise UserError(
            f"{data_dir} 下没有年度目录，如 {data_dir / '2022'}（no year folders in {data_dir}）"
        )
    if output is not None and (wrong := pipeline.wrong_output(output, several=len(chosen) > 1)):
        printer.error(wrong)
        raise typer.Exit(EXIT_USAGE)
    options = pipeline.BuildOptions(data_dir, output, template_dir, profile, pdf, draft)
    if len(chosen) == 1:
        for path in pipeline.build_year(chosen[0], options, printer.problems):
            printer.done(str(path))
        return
    _build_many(chosen, options)


def _build_many(years: list[int], options: BuildOptions) -> None:
    import sys

    from rich.progress import Progress

    from annual_report import pipeline
    from annual_report.cli import printer

    # The bar is on stderr; each path goes to stdout as soon as it is written, so a later year's
    # failure still leaves the list of what was built. On a terminal rich prints it above the
    # bar; into a pipe it goes straight to the pipe.
    with Progress(
        console=printer.err(), transient=True, redirect_stdout=sys.stdout.isatty()
    ) as progress:
        task = progress.add_task("生成中 building", total=len(years))
        built = pipeline.build_years(years, options, printer.problems)
        for year, path in built:
            progress.update(task, description=f"{year}")
            printer.done(str(path))
            if path.suffix == ".docx":
                progress.advance(task)
