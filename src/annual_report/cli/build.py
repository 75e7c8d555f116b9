"""`annual-report build`: a year's data → the .docx (and optionally the PDF)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from annual_report.cli.common import (
    DEFAULT_DATA_DIR,
    EXIT_DATA,
    EXIT_USAGE,
    DataDir,
    ProfileFile,
    TemplateDir,
    user_errors,
    years_in,
)


@user_errors
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
) -> None:
    """生成年度工作总结 Word 文档 Build the summary .docx for a year.

    例 Example: annual-report build 2022   →  build/2022/街道办2022年总结和2023年工作计划.docx

    -o 总结.pdf 写出 总结.docx 与 总结.pdf（同 --pdf） writes both, as --pdf does.
    """
    from annual_report.cli import printer

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
    chosen = years_in(data_dir) if build_all else list(dict.fromkeys(years or []))
    if not chosen:
        printer.error(
            f"{data_dir} 下没有年度目录，如 {data_dir / '2022'}（no year folders in {data_dir}）"
        )
        raise typer.Exit(EXIT_DATA)
    if output is not None and (wrong := _wrong_output(output, several=len(chosen) > 1)):
        printer.error(wrong)
        raise typer.Exit(EXIT_USAGE)
    if len(chosen) == 1:
        for path in _build_one(chosen[0], data_dir, output, template_dir, profile, pdf):
            printer.done(str(path))
        return
    _build_many(chosen, data_dir, output, template_dir, profile, pdf)


def _build_many(
    years: list[int],
    data_dir: Path,
    output: Path | None,
    template_dir: Path | None,
    profile: Path | None,
    pdf: bool,
) -> None:
    import sys

    from rich.progress import Progress

    from annual_report.cli import printer

    # The bar is on stderr; each path goes to stdout as soon as it is written, so a later year's
    # failure still leaves the list of what was built. On a terminal rich prints it above the
    # bar; into a pipe it goes straight to the pipe.
    with Progress(
        console=printer.err(), transient=True, redirect_stdout=sys.stdout.isatty()
    ) as progress:
        task = progress.add_task("生成中 building", total=len(years))
        for year in years:
            progress.update(task, description=f"{year}")
            folder = output / str(year) if output else None
            for path in _build_one(year, data_dir, folder, template_dir, profile, pdf):
                printer.done(str(path))
            progress.advance(task)


def _build_one(
    year: int,
    data_dir: Path,
    output: Path | None,
    template_dir: Path | None,
    profile_path: Path | None,
    pdf: bool,
) -> Iterator[Path]:
    """Build one year, yielding each file as soon as it is written (the .docx, then the PDF)."""
    from annual_report import dataset, outline, templates
    from annual_report import output as out
    from annual_report.cli import printer
    from annual_report.errors import display_path
    from annual_report.layout.docx import build_document
    from annual_report.layout.profile import load_profile
    from annual_report.load.decode import read_text

    data, prior, warnings = dataset.load_year(data_dir, year)
    printer.problems(warnings)
    outline_path = templates.find(templates.OUTLINE, data_dir, template_dir)
    template_text, template_warnings = read_text(outline_path)  # BOM, GB18030, clean errors
    printer.problems(template_warnings)
    context = outline.outline_context(data, prior)
    blocks = outline.render_outline(template_text, context, display_path(outline_path))
    profile = load_profile(
        profile_path or templates.find(templates.PROFILE, data_dir, template_dir)
    )
    document = build_document(
        blocks, profile, title=data.report.title, author=data.report.organization
    )
    target = _target(output, year, data.report.title)
    yield out.write_atomically(target, lambda path: document.save(str(path)))
    pdf_target = output if output is not None and _is_pdf(output) else None
    if pdf or pdf_target:
        mapping = templates.find(templates.FONTS, data_dir, template_dir)
        fonts = out.stand_in_fonts(profile.elements.body.font, mapping)
        pdf_target = pdf_target or target.with_suffix(".pdf")
        yield out.convert_to_pdf(target, pdf_target, fontconfig=fonts)


def _is_docx(output: Path) -> bool:
    return output.suffix.lower() == ".docx"


def _is_pdf(output: Path) -> bool:
    """``-o 总结.pdf``: the PDF the user asked for, with its .docx beside it (a folder of that
    name, made before this rule, stays a folder)."""
    return output.suffix.lower() == ".pdf" and not output.is_dir()


def _target(output: Path | None, year: int, title: str) -> Path:
    from annual_report.output import file_name

    if output is None:
        return Path("build") / str(year) / file_name(title)
    if _is_docx(output):
        return output
    if _is_pdf(output):
        return output.with_suffix(".docx")
    return output / file_name(title)


def _wrong_output(output: Path, *, several: bool) -> str | None:
    """An -o that build cannot honour, said before anything is built: an existing file that
    is not a .docx or .pdf (it would be taken for a folder), or a file for several years."""
    named_file = output.exists() or _is_docx(output) or _is_pdf(output)
    if several and named_file and not output.is_dir():
        return (
            f"生成多个年度时 -o 须为目录，每个年度写在其下的年度子目录中：{output}"
            f"（with several years, -o must be a folder）；例：-o build"
        )
    if output.is_file() and not (_is_docx(output) or _is_pdf(output)):
        return (
            f"-o {output} 是已有的文件，但不是 .docx 或 .pdf：请写 .docx 或 .pdf 文件名，或一个目录"
            f"（-o names an existing file that is not .docx or .pdf）"
        )
    return None
