"""JSON Schema for each kind of data file, generated from the models.

Editors (VS Code's YAML extension through the ``# yaml-language-server: $schema=…`` modeline)
and check-jsonschema read these files; the models stay the one place the schema is written.
"""

from __future__ import annotations

import json
from typing import Any

from annual_report.model import SCHEMA_MODELS

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schemas() -> dict[str, dict[str, Any]]:
    """``{kind: schema}`` for report, section and plans files."""
    from pydantic import TypeAdapter

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
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"
