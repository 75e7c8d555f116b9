"""`annual-report diff`: what changed between two years, and last year's plans followed through.

Exit codes as `git diff`: 0 no differences (or no ``--exit-code``), 1 differences with
``--exit-code``, 2 the data or the command line is wrong. A year still being filled in after
``init`` (null values, 【待更新】 texts) can be compared: those are listed, not refused.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from annual_report.cli.common import DEFAULT_DATA_DIR, EXIT_DATA, EXIT_USAGE, DataDir

if TYPE_CHECKING:
    from annual_report.model import YearData


class Format(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


def command(
    old: Annotated[str, typer.Argument(help="较早的年度或其目录 Older year, or its folder.")],
    new: Annotated[str, typer.Argument(help="较新的年度或其目录 Newer year, or its folder.")],
    data_dir: DataDir = DEFAULT_DATA_DIR,
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="输出格式 Output format: text, markdown, json."),
    ] = Format.text,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help="有差异时以 1 退出（同 git diff）Exit 1 when there are differences.",
        ),
    ] = False,
    threshold: Annotated[
        str,
        typer.Option(
            "--threshold",
            help="同比变化超过此值时标出（多为录入错误）Flag changes beyond this, e.g. 50%.",
        ),
    ] = "50%",
) -> None:
    """比较两个年度 Compare two years: metrics, paragraphs, plan follow-through.

    例 Example: annual-report diff 2022 2023 --format markdown
    """
    from annual_report import diff, diff_report

    limit = _threshold(threshold)
    older = _load(old, data_dir)
    newer = _load(new, data_dir)
    result = diff.compare(older, newer, threshold=limit)
    if fmt is Format.json:
        print(json.dumps(diff.as_dict(result), ensure_ascii=False, indent=2))
    elif fmt is Format.markdown:
        print(diff_report.markdown(result), end="")
    else:
        from annual_report.cli import printer

        diff_report.text_report(result, printer.out())
    if exit_code and result.has_differences:
        raise typer.Exit(EXIT_DATA)


def _usage(text: str) -> NoReturn:
    from annual_report.cli import printer

    printer.error(text)
    raise typer.Exit(EXIT_USAGE)


def _threshold(value: str) -> Decimal:
    """'50%', '50' → 50 (per cent)."""
    try:
        number = Decimal(value.strip().removesuffix("%").strip())
    except InvalidOperation:
        number = Decimal(-1)
    if not number.is_finite() or number < 0:
        _usage(f"--threshold 应为百分数，如 50%（got {value!r}）")
    return number


def _load(arg: str, data_dir: Path) -> YearData:
    """A year under the data folder (``2022``) or any year's folder (``old/2022``, ``draft``)."""
    from annual_report import pipeline
    from annual_report.cli import printer

    side = pipeline.comparable(arg, data_dir)
    if side is None:
        _usage(
            f"“{arg}” 不是年度，也不是含 report.yaml 的数据目录"
            f"（give a year such as 2022, or a folder holding a year's report.yaml）"
        )
    data, unfinished, prior = side
    year = data.year
    if unfinished:
        printer.err().print(
            f"[yellow]注意 note[/]: {year} 年还有 {unfinished} 处待填写（init 草稿），"
            f"仍照常比较 ({year} has {unfinished} places still to fill in)"
        )
    if prior:
        printer.err().print(
            f"[yellow]注意 note[/]: {year} 年正文中有 {prior} 处同比（| yoy）"
            f"无法对照其上一年核对，不影响本次比较 "
            f"({prior} `| yoy` problems about the year before {year}: not part of this diff)"
        )
    return data
