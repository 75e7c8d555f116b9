"""The command line: parses, calls one function per command, maps errors to exit codes.

Each command lives in its own module; heavy libraries are imported inside the commands so that
``annual-report --help`` stays instant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from annual_report import __version__
from annual_report.cli import build, diff, import_, init, metrics, schema, validate
from annual_report.cli.common import EXIT_DATA, EXIT_USAGE, user_errors
from annual_report.cli.usage import ChineseUsage

app = typer.Typer(
    name="annual-report",
    cls=ChineseUsage,
    help="把 YAML 数据生成符合 GB/T 9704-2012 的街道办年度工作总结（.docx）。\n\n"
    "Turn YAML data into a GB/T 9704-2012 annual work summary.\n\n"
    "例 Example:  annual-report build 2022",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
COMMANDS: dict[str, tuple[Callable[..., None], int]] = {
    "build": (build.command, EXIT_DATA),
    "validate": (validate.command, EXIT_DATA),
    "schema": (schema.command, EXIT_DATA),
    "diff": (diff.command, EXIT_USAGE),
    "init": (init.command, EXIT_DATA),
    "import": (import_.command, EXIT_DATA),
    "metrics": (metrics.command, EXIT_DATA),
}
"""Each command and the exit code of a user's mistake (the README's table: diff as git diff)."""
for name, (command, exit_code) in COMMANDS.items():
    app.command(name)(user_errors(command, exit_code))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"annual-report {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="显示版本 Show the version."
        ),
    ] = False,
) -> None:
    """Options that apply before any command."""


GC_THRESHOLD = (50_000, 10, 10)
"""The cycle collector's first threshold for one run (Python's is 700). A run's objects (the YAML
trees, the models, the document's XML) mostly live until it ends, and at 700 the collector
walks them again and again while they grow: a build of 10,000 paragraphs spent about 30 % of its
time there, a cost growing faster than the paragraphs. build --all collects between years."""


def main() -> None:
    import gc

    gc.set_threshold(*GC_THRESHOLD)
    app()
