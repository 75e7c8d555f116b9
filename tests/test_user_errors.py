"""One base class for every error shown to users, and one place that turns it into the exit
code the README's table gives each command (build/validate/init/schema/import/metrics 1, diff 2)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annual_report.cli import COMMANDS, app
from annual_report.errors import DataError, Problem, UserError
from annual_report.output import OutputError

SRC = Path(__file__).resolve().parent.parent / "src" / "annual_report"
INTERNAL = {"ProseError", "YoyError"}
"""Raised and caught inside the package (a refused reference becomes a problem; | yoy is refused
by validate before anything renders): never shown as they are."""


def package_errors() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if parts[-1] == "__main__":
            continue  # runs the app
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
            ):
                found[value.__name__] = value
    return found


def test_every_error_shown_to_users_is_a_user_error() -> None:
    errors = package_errors()
    assert {"DataError", "OutputError", "OutlineError", "ScaffoldError"} <= set(errors)
    strays = [n for n, e in errors.items() if n not in INTERNAL and not issubclass(e, UserError)]
    assert strays == []


# Each command with arguments that reach the function it calls, which is made to fail.
RUNS = {
    "build": (["build", "2022"], "annual_report.pipeline.build_year"),
    "validate": (["validate", "2022"], "annual_report.pipeline.validate"),
    "schema": (["schema", "-o", "{tmp}"], "annual_report.schema.schemas"),
    "diff": (["diff", "2022", "2023"], "annual_report.pipeline.comparable"),
    "init": (["init", "2023"], "annual_report.pipeline.init_year"),
    "import": (["import", "{tmp}/x.docx", "--year", "2022"], "annual_report.importer.import_year"),
    "metrics": (["metrics", "2022", "--to", "{tmp}/x.xlsx"], "annual_report.sheet.write_sheet"),
}


def test_every_command_is_run_through_the_one_mapping() -> None:
    assert set(RUNS) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(RUNS))
@pytest.mark.parametrize(
    ("error", "said"),
    [
        (OutputError("无法写入 x：Permission denied"), "错误 error: 无法写入 x：Permission denied"),
        (
            DataError([Problem("a.yaml", 3, 5, "lead", "missing", "缺少必填字段")], "无法继续"),
            "a.yaml:3:5: lead: 缺少必填字段",
        ),
    ],
    ids=["output", "data"],
)
def test_a_user_error_exits_with_the_commands_code(
    name: str, error: UserError, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    argv, target = RUNS[name]

    def fail(*_: object, **__: object) -> None:
        raise error

    monkeypatch.setattr(target, fail)
    result = CliRunner().invoke(app, [a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert result.exit_code == COMMANDS[name][1] == (2 if name == "diff" else 1), result.output
    assert said in result.output
    assert "Traceback" not in result.output
    if isinstance(error, DataError):  # what it stops, after the problems
        assert result.output.index(said) < result.output.index("错误 error: ")
