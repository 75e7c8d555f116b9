"""The code stays ruff-clean and mypy-clean: checked in the suite so CI catches what `make lint`
would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def dev_tool(name: str) -> str:
    """The dev dependency's script beside this interpreter (the venv's), else on PATH."""
    found = Path(sys.executable).with_name(name)
    if found.is_file():
        return str(found)
    return shutil.which(name) or pytest.fail(f"{name} is a dev dependency: pip install -e '.[dev]'")


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff(args: list[str]) -> None:
    done = subprocess.run([dev_tool("ruff"), *args, "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy() -> None:
    """`mypy` with pyproject's [tool.mypy] settings (files = ["src"]) reports nothing."""
    done = subprocess.run([dev_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
