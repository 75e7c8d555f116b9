"""The load stage: a YAML file → plain data, keeping every value's line and column.

ruamel.yaml's round-trip loader records positions (``lc``); the models validate a plain copy,
and a pydantic error's ``loc`` is walked back through the round-trip tree to a place in the file.

Bad input never gets far: the bytes are size-checked and decoded first (``decode``), the text is
scanned for tab indentation and control characters, and the YAML *events* are watched before
anything is composed (``events``), so aliases (and with them alias bombs), anchors, custom tags
and absurd nesting are refused with their position before ruamel builds a single object; what
ruamel itself rejects is said with a Chinese hint (``hints``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from annual_report.errors import DataError
from annual_report.load.decode import read_text, scan_text
from annual_report.load.events import EventWatcher, c_events, replaying_yaml, watching_yaml
from annual_report.load.hints import syntax_problem
from annual_report.load.source import Loc, Scalar, Source, file_problem


def parse(path: Path, text: str) -> tuple[Any, dict[Loc, Scalar]]:
    """Text → round-trip tree and scalar places; syntax errors, duplicate keys, aliases and
    the rest become positioned problems."""
    from ruamel.yaml.error import YAMLError

    scan_text(path, text)
    if (fast := _parse_fast(path, text)) is not None:
        return fast
    watcher = EventWatcher(path, text)
    try:
        return watching_yaml(watcher).load(text), watcher.scalars
    except (YAMLError, RecursionError, ValueError) as exc:
        raise DataError([syntax_problem(path, text, exc)]) from None


def _parse_fast(path: Path, text: str) -> tuple[Any, dict[Loc, Scalar]] | None:
    """The same checks and tree from the C parser's events, for a file with nothing to report;
    None as soon as anything is amiss, and the reference parser (whose words and positions
    the messages are) reads the file again."""
    found = c_events(text)
    if found is None:
        return None
    watcher = EventWatcher(path, text)
    try:
        for event in found:
            watcher.see(event)
        return replaying_yaml(found).load(text), watcher.scalars
    except Exception:  # DataError, DuplicateKeyError …: said as the reference path says them
        return None


KINDS = {bool: "true/false", list: "列表", str: "文字", int: "数字", float: "数字"}


def load_file(path: Path) -> Source:
    """Read and parse one data file; a file that is not a mapping is refused here. Whatever
    else goes wrong reading it is a problem at the file, never a traceback (``guarded``)."""
    with guarded(path):
        return _load_file(path)


@contextmanager
def guarded(path: Path) -> Iterator[None]:
    """The last resort around a file's load and checks: an exception nobody foresaw (a bug
    of ours or of a library on odd input) becomes a problem at ``path``, at the line a YAML
    mark names when there is one, so the user still gets one line and the data-error code."""
    try:
        yield
    except DataError:
        raise
    except Exception as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
        problem = file_problem(path, "unexpected", detail, line, column, detail=detail)
        raise DataError([problem]) from None


def _load_file(path: Path) -> Source:
    text, warnings = read_text(path)
    tree, scalars = parse(path, text)
    if tree is None:
        raise DataError([file_problem(path, "empty_file", "empty file")])
    if not isinstance(tree, dict):
        kind = next((v for k, v in KINDS.items() if isinstance(tree, k)), "其他值")
        raise DataError(
            [file_problem(path, "not_mapping", "top level must be a mapping", kind=kind)]
        )
    return Source(path, tree, warnings, text, scalars)
