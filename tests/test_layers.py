"""The import graph the README's Development section draws is the code's: every import of the
package's own modules (at the top, inside a function or for type checking alike) goes down the
layers, and the modules import each other without a cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "annual_report"

LAYERS: list[set[str]] = [
    {"cli"},
    {"pipeline", "importer", "sheet", "diff_report"},
    {"dataset", "outline", "layout", "diff", "scaffold", "schema"},
    {"rules", "validation"},
    {"writing", "followup"},
    {"prose", "quantities", "naming"},
    {"numbers", "unfinished"},
    {"load", "output", "templates"},
    {"errors", "model", "blocks", PACKAGE},
]
"""Top first, as the README draws them: a module imports only from the layers below its own
(and from within its own package, ``load.events`` from ``load.source``)."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """The package's modules ``path`` imports, wherever the import stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == PACKAGE)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] != PACKAGE:
                continue
            found.add(node.module)
            for alias in node.names:  # `from annual_report import dataset` names a module
                candidate = SRC.joinpath(*node.module.split("."), alias.name)
                if candidate.with_suffix(".py").is_file() or candidate.is_dir():
                    found.add(f"{node.module}.{alias.name}")
    return found


def graph() -> dict[str, set[str]]:
    return {module_name(p): imported(p) for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def part(module: str) -> str:
    """The layer's unit: ``annual_report.load.decode`` → ``load``; the package itself;
    ``__main__`` (``python -m annual_report``) is the command line."""
    pieces = module.split(".")
    name = pieces[1] if len(pieces) > 1 else PACKAGE
    return "cli" if name == "__main__" else name


def layer(module: str) -> int:
    name = part(module)
    for number, members in enumerate(LAYERS):
        if name in members:
            return number
    pytest.fail(f"{module} is in no layer: add it to LAYERS here and to the README's graph")


def test_every_import_goes_down_the_layers() -> None:
    against = [
        f"{module} → {target}"
        for module, targets in graph().items()
        for target in targets
        if part(target) != part(module) and layer(target) <= layer(module)
    ]
    assert against == [], "imports against the layers (README, Development): " + ", ".join(against)


def test_the_modules_import_each_other_without_a_cycle() -> None:
    edges = {module: {t for t in targets if t != module} for module, targets in graph().items()}
    for module in list(edges):  # a submodule's import of its own package's __init__ is fine
        edges[module] = {t for t in edges[module] if not module.startswith(t + ".")}
    try:
        tuple(TopologicalSorter(edges).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle: {' → '.join(exc.args[1])}")


def test_the_check_sees_an_import_against_the_layers(tmp_path: Path) -> None:
    """The walk finds imports inside functions too: what the layer test rests on."""
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from annual_report.cli import printer\n", "utf-8")
    assert "annual_report.cli" in imported(module)
    assert layer("annual_report.cli.printer") < layer("annual_report.model")
    assert layer("annual_report.dataset") == layer("annual_report.layout")  # so refused


def test_help_imports_no_heavy_library() -> None:
    """``annual-report --help`` loads the CLI only: every command imports its libraries inside."""
    heavy = ("pydantic", "ruamel", "jinja2", "docx", "rich", "openpyxl", "lxml")
    probe = (
        "import sys\n"
        "from annual_report.cli import app\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
