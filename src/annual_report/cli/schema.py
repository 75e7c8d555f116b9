"""`annual-report schema`: JSON Schema for each kind of data file, generated from the models.

Editors (VS Code's YAML extension through the ``# yaml-language-server: $schema=…`` modeline)
and check-jsonschema read these files; the models stay the one place the schema is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

DEFAULT_SCHEMA_DIR = Path("schema")
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schemas() -> dict[str, dict[str, Any]]:
    """``{kind: schema}`` for report, section and plans files."""
    from pydantic import TypeAdapter

    from annual_report.model import SCHEMA_MODELS

    found = {}
    for kind, model in SCHEMA_MODELS.items():
        schema = TypeAdapter(model).json_schema(mode="validation")
        found[kind] = {"$schema": DIALECT, "$id": f"{kind}.schema.json", **_closed(schema)}
    return found


def _closed(node: Any) -> Any:
    """A mapping keyed by pattern (metrics) refuses keys outside the pattern, as the model does."""
    if isinstance(node, dict):
        node = {key: _closed(value) for key, value in node.items()}
        if "patternProperties" in node:
            node.setdefault("additionalProperties", False)
    elif isinstance(node, list):
        node = [_closed(value) for value in node]
    return node


def render(schema: dict[str, Any]) -> str:
    """Stable text: the committed files change only when the models do."""
    import json

    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


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

    try:
        output.mkdir(parents=True, exist_ok=True)
        for kind, schema in schemas().items():
            target = output / file_name(kind)
            target.write_text(render(schema), encoding="utf-8")
            printer.done(str(target))
    except OSError as exc:
        raise OutputError(f"无法写入 {output}：{exc.strerror or exc}") from None
