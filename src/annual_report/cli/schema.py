"""`annual-report schema`: JSON Schema for each kind of data file, written to schema/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DEFAULT_SCHEMA_DIR = Path("schema")


def command(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="写入的目录 Folder to write <kind>.schema.json into."),
    ] = DEFAULT_SCHEMA_DIR,
) -> None:
    """生成数据文件的 JSON Schema（供编辑器补全与检查）Write JSON Schema for the data files.

    例 Example: annual-report schema   →  schema/report.schema.json, section…, plans…
    """
    from annual_report.cli import printer
    from annual_report.output import OutputError
    from annual_report.schema import file_name, render, schemas

    try:
        output.mkdir(parents=True, exist_ok=True)
        for kind, schema in schemas().items():
            target = output / file_name(kind)
            target.write_text(render(schema), encoding="utf-8")
            printer.done(str(target))
    except OSError as exc:
        raise OutputError(f"无法写入 {output}：{exc.strerror or exc}") from None
