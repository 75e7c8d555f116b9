"""All terminal output in one place: results on stdout, messages on stderr, colour on a TTY only."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from annual_report.errors import Problem


@cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


@cache
def out() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def problems(found: Iterable[Problem]) -> None:
    for problem in found:
        colour = "red" if problem.severity == "error" else "yellow"
        label = "错误 error" if problem.severity == "error" else "警告 warning"
        err().print(f"[{colour}]{label}[/]: {_escape(str(problem))}")


def error(text: str) -> None:
    err().print(f"[red]错误 error[/]: {_escape(text)}")


def done(text: str) -> None:
    out().print(_escape(text))


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
