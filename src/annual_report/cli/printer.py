"""All terminal output in one place: results on stdout, messages on stderr, colour on a TTY only.

Problems print in three shapes: ``text`` for people (``file:line:col: path: message``),
``github`` for Actions annotations (``::error file=…,line=…,col=…::…``) and ``json`` for tools.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import cache, partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from annual_report.errors import Problem

UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff"
    "\ud800-\udfff\ufff9-\ufffb]"
)
"""What a value must not bring to a terminal, a log or a JSON reader as itself: control
characters and escape sequences, line and paragraph separators (they break the one-line
``file:line:col`` format), direction overrides and invisible characters, lone surrogates
(no encoding can print them)."""


def safe(text: str) -> str:
    """``text`` with every UNSAFE character written as its escape (``\\x1b``, ``\\u202e``)."""
    return UNSAFE.sub(lambda found: ascii(found.group())[1:-1], text)


def _safe(problem: Problem) -> Problem:
    from dataclasses import replace

    return replace(
        problem, file=safe(problem.file), path=safe(problem.path), message=safe(problem.message)
    )


@cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


@cache
def out() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def _emit(console: Callable[[], Console], markup: Callable[[], str], plain: str) -> None:
    """Rich (and its import, markup escaping included) only for a terminal; a pipe or CI log
    gets the plain line."""
    stream = sys.stderr if console is err else sys.stdout
    if stream.isatty() or os.environ.get("FORCE_COLOR"):
        console().print(markup())
    else:
        print(plain, file=stream)


def _plain(problem: Problem) -> str:
    return str(problem) if problem.severity == "error" else _warning_plain(problem)


def _warning_plain(problem: Problem) -> str:
    field = f" {problem.path}:" if problem.path else ""
    place = f"{problem.file}:{problem.line}:{problem.column}:"
    return f"{place}{field} 警告 warning: {problem.message}"


def problems(found: Iterable[Problem]) -> None:
    """Problems as messages (on stderr): what `build` says before it gives up or goes on."""
    for problem in map(_safe, found):
        _emit(err, partial(_styled, problem), _plain(problem))


def report(found: Sequence[Problem], fmt: str) -> None:
    """Problems as the result of `validate` (on stdout), in the chosen format."""
    found = [_safe(problem) for problem in found]
    if fmt == "json":
        print(json.dumps([p.as_dict() for p in found], ensure_ascii=False, indent=2))
    elif fmt == "github":
        for problem in found:
            print(github(problem))
    else:
        for problem in found:
            _emit(out, partial(_styled, problem), _plain(problem))


def github(problem: Problem) -> str:
    """One GitHub Actions workflow command: an annotation on the file's line in the PR."""
    props = {
        "file": problem.file,
        "line": problem.line,
        "col": problem.column,
        "title": problem.code,
    }
    head = ",".join(f"{key}={_escape_property(str(value))}" for key, value in props.items())
    text = f"{problem.path}: {problem.message}" if problem.path else problem.message
    return f"::{problem.severity} {head}::{_escape_data(text)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _styled(problem: Problem) -> str:
    """``file:line:col: path: message``, the place dimmed and a warning labelled as one."""
    place = _escape(f"{problem.file}:{problem.line}:{problem.column}:")
    field = f" [bold]{_escape(problem.path)}[/]:" if problem.path else ""
    if problem.severity == "error":
        return f"[dim]{place}[/]{field} [red]{_escape(problem.message)}[/]"
    return f"[dim]{place}[/]{field} [yellow]警告 warning: {_escape(problem.message)}[/]"


def summary(files: int, errors: int, warnings: int) -> None:
    colour = "red" if errors else ("yellow" if warnings else "green")
    chinese = f"检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告"
    english = f"({files} files checked, {errors} errors, {warnings} warnings)"
    _emit(out, lambda: f"[{colour}]{chinese}[/] {english}", f"{chinese} {english}")


def error(text: str) -> None:
    text = safe(text)
    _emit(err, lambda: f"[red]错误 error[/]: {_escape(text)}", f"错误 error: {text}")


def done(text: str) -> None:
    _emit(out, lambda: _escape(text), text)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
