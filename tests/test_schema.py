"""The JSON Schema editors use: generated from the models, committed up to date, and it agrees
with the models on the real data and on a wrong file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from annual_report.cli import app
from annual_report.load import load_file
from annual_report.schema import file_name, render, schemas
from factory import ECONOMY, write_year

ROOT = Path(__file__).resolve().parents[1]
DATA_2022 = ROOT / "data" / "2022"
KIND_OF = {"report.yaml": "report", "plans.yaml": "plans"}  # every other file is a section


def as_json(node: Any) -> Any:
    """YAML data as an editor's YAML server hands it to the schema (dates are strings)."""
    if isinstance(node, dict):
        return {str(k): as_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [as_json(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((ROOT / "schema" / file_name(kind)).read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_committed_schema_is_up_to_date_with_the_models() -> None:
    for kind, schema in schemas().items():
        committed = (ROOT / "schema" / file_name(kind)).read_text("utf-8")
        assert committed == render(schema), f"run `annual-report schema` ({kind})"


def test_schema_command_writes_one_file_per_kind(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["schema", "--output", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [
        "plans.schema.json",
        "report.schema.json",
        "section.schema.json",
    ]


@pytest.mark.parametrize("path", sorted(DATA_2022.glob("*.yaml")), ids=lambda p: p.name)
def test_schema_accepts_data_2022(path: Path) -> None:
    kind = KIND_OF.get(path.name, "section")
    errors = list(validator(kind).iter_errors(as_json(load_file(path).plain)))
    assert errors == []
    assert f"$schema=../../schema/{kind}.schema.json" in path.read_text("utf-8").splitlines()[0]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("value: 1354", "value: -3"),  # negative count
        ("value: 1354", 'value: "一千"'),  # wrong type
        ("metrics:", "metrcs:"),  # unknown key
        ("charging_piles: {", "Charging: {"),  # metric key outside the pattern
        ("    lead: 城建城改项目如期推进。\n", ""),  # missing field
    ],
)
def test_schema_rejects_a_wrong_file(tmp_path: Path, old: str, new: str) -> None:
    data = write_year(tmp_path, files={"economy.yaml": ECONOMY.replace(old, new, 1)})
    plain = as_json(load_file(data / "2022" / "economy.yaml").plain)
    assert list(validator("section").iter_errors(plain))


def test_schema_and_models_agree_on_the_factory_year(tmp_path: Path) -> None:
    data = write_year(tmp_path)
    for path in sorted((data / "2022").glob("*.yaml")):
        kind = KIND_OF.get(path.name, "section")
        assert list(validator(kind).iter_errors(as_json(load_file(path).plain))) == []
