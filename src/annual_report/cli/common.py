"""What every command shares: the data folder option and the user-error → exit-code mapping."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

P = ParamSpec("P")
R = TypeVar("R")

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

DataDir = Annotated[
    Path,
    typer.Option(
        "--data-dir", "-d", help="数据目录，内含各年度子目录 Data folder with one folder per year."
    ),
]
DEFAULT_DATA_DIR = Path("data")
TemplateDir = Annotated[
    Path | None,
    typer.Option(
        "--template-dir",
        "-t",
        help="覆盖默认模板的目录 Folder overriding templates (outline.j2, gbt9704.yaml).",
        exists=True,
        file_okay=False,
    ),
]
ProfileFile = Annotated[
    Path | None,
    typer.Option("--profile", help="版式文件 Layout profile (YAML).", exists=True, dir_okay=False),
]


def user_errors(command: Callable[P, R], exit_code: int = EXIT_DATA) -> Callable[P, R]:
    """A user's mistake (any ``UserError``) becomes one clear message and the command's exit
    code, never a traceback: the one place that maps them, for every command."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        from annual_report.cli import printer
        from annual_report.errors import DataError, UserError

        try:
            return command(*args, **kwargs)
        except DataError as exc:  # the data's problems, and the layout profile's
            printer.problems(exc.problems)
            if exc.note:
                printer.error(exc.note)
        except UserError as exc:
            for line in str(exc).splitlines():  # a spreadsheet's cells: one line each
                printer.error(line)
        raise typer.Exit(exit_code)

    return run
