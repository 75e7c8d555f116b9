"""The command line: parses, calls one function per command, maps errors to exit codes.

Each command lives in its own module; heavy libraries are imported inside the commands so that
``annual-report --help`` stays instant.
"""

from __future__ import annotations

from typing import Annotated

import typer

from annual_report import __version__
from annual_report.cli import build, diff, import_, init, schema, validate
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
app.command("build")(build.command)
app.command("validate")(validate.command)
app.command("schema")(schema.command)
app.command("diff")(diff.command)
app.command("init")(init.command)
app.command("import")(import_.command)


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


def main() -> None:
    app()
