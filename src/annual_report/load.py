"""The load stage: a YAML file → plain data, keeping every value's line and column.

ruamel.yaml's round-trip loader records positions (``lc``); the models validate a plain copy,
and a pydantic error's ``loc`` is walked back through the round-trip tree to a place in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annual_report.errors import DataError, Problem, display_path, format_path, message

MAX_BYTES = 256 * 1024
"""A year's data is a few KB; anything this large is a mistake (or an attack), not a report."""


@dataclass
class Source:
    """One loaded data file: its round-trip tree for positions and a plain copy for the models."""

    path: Path
    tree: Any
    warnings: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return display_path(self.path)

    @property
    def plain(self) -> Any:
        return to_plain(self.tree)

    def position(self, loc: tuple[str | int, ...], *, at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``loc``; the deepest existing parent otherwise.

        ``at_key`` points at the key itself (an unknown key), not its value.
        """
        node, (line, col) = self.tree, _start(self.tree)
        for depth, part in enumerate(loc):
            last = depth == len(loc) - 1
            if isinstance(node, dict) and part in node:
                line, col = node.lc.key(part) if (at_key and last) else node.lc.value(part)
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                line, col = node.lc.item(part)
                node = node[part]
            else:
                break
        return line + 1, col + 1

    def problem(
        self, loc: tuple[str | int, ...], code: str, english: str, **context: Any
    ) -> Problem:
        line, col = self.position(loc, at_key=code == "extra_forbidden")
        return Problem(
            self.name, line, col, format_path(loc), code, message(code, english, **context)
        )


def _start(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    return (lc.line, lc.col) if lc is not None and lc.line is not None else (0, 0)


def to_plain(node: Any) -> Any:
    """ruamel's round-trip types → the builtins the strict models expect."""
    if isinstance(node, dict):
        return {to_plain(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def file_problem(
    path: Path, code: str, english: str, line: int = 1, column: int = 1, **ctx: Any
) -> Problem:
    return Problem(display_path(path), line, column, "", code, message(code, english, **ctx))


def read_text(path: Path) -> tuple[str, list[Problem]]:
    """Bytes → text: UTF-8 (with or without BOM), or GB18030 from Windows editors with a warning."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError([file_problem(path, "file_missing", "file not found")]) from None
    except OSError as exc:
        raise DataError([file_problem(path, "file_missing", exc.strerror or str(exc))]) from None
    if len(raw) > MAX_BYTES:
        raise DataError(
            [file_problem(path, "too_large", "file too large", size=len(raw), limit=MAX_BYTES)]
        )
    if b"\x00" in raw:
        raise DataError([file_problem(path, "binary_file", "binary file (NUL byte)")])
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        raise DataError([file_problem(path, "encoding", "not UTF-8 or GB18030")]) from None
    warning = file_problem(path, "encoding_gb18030", "decoded as GB18030; save as UTF-8")
    return text, [Problem(**{**warning.as_dict(), "severity": "warning"})]


def parse(path: Path, text: str) -> Any:
    """Text → round-trip tree; syntax errors and duplicate keys become positioned problems."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError

    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except DuplicateKeyError as exc:
        line, col = _mark(exc)
        key = str(exc.problem).split('"')[1] if '"' in str(exc.problem) else ""
        raise DataError(
            [file_problem(path, "duplicate_key", "duplicate key", line, col, key=key)]
        ) from None
    except MarkedYAMLError as exc:
        line, col = _mark(exc)
        detail = " ".join(filter(None, [exc.context, exc.problem]))
        raise DataError(
            [
                file_problem(
                    path, "yaml_syntax", f"YAML syntax error: {detail}", line, col, detail=detail
                )
            ]
        ) from None


def _mark(exc: Any) -> tuple[int, int]:
    mark = exc.problem_mark or exc.context_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def load_file(path: Path) -> Source:
    """Read and parse one data file; a file that is not a mapping is refused here."""
    text, warnings = read_text(path)
    tree = parse(path, text)
    if tree is None:
        raise DataError([file_problem(path, "empty_file", "empty file")])
    if not isinstance(tree, dict):
        kind = "列表" if isinstance(tree, list) else type(tree).__name__
        raise DataError(
            [file_problem(path, "not_mapping", "top level must be a mapping", kind=kind)]
        )
    return Source(path, tree, warnings)
