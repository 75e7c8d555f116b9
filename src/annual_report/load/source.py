"""Where a value sits in its file: the loaded ``Source`` with its scalars' places, and problems
placed at a file's line and column (1-based, columns in characters as editors count them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

from annual_report.errors import Problem, display_path, format_path, message

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Scalar:
    """Where a scalar value sits in the file (0-based marks from the parser) and how it is written:
    ``style`` is None for plain, ``'"'``/``"'"`` for quoted, ``|``/``>`` for block scalars."""

    style: str | None
    line: int
    column: int
    end_line: int
    end_column: int
    value: str
    end_index: int = -1
    """Character index in the text just past the scalar (where a trailing comment would be)."""

    @property
    def one_line(self) -> bool:
        return self.style not in ("|", ">") and self.line == self.end_line


@dataclass
class Source:
    """One loaded data file: its round-trip tree for positions and a plain copy for the models."""

    path: Path
    tree: Any
    warnings: list[Problem] = field(default_factory=list)
    text: str = ""
    scalars: dict[Loc, Scalar] = field(default_factory=dict)
    """Every scalar *value* by its path (mapping keys as str, sequence indexes as int)."""

    @property
    def name(self) -> str:
        return display_path(self.path)

    @cached_property
    def plain(self) -> Any:
        """Built once: the tree is never changed after loading."""
        return to_plain(self.tree, self.scalars)

    def position(self, loc: Loc, *, at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``loc``; the deepest existing parent otherwise
        (so a missing field points at the mapping that should hold it).

        ``at_key`` points at the key itself (an unknown key), not its value.
        """
        from ruamel.yaml.comments import CommentedMap, CommentedSeq  # loaded with the tree

        node, (line, col) = self.tree, _start(self.tree)
        for depth, part in enumerate(loc):
            last = depth == len(loc) - 1
            if isinstance(node, CommentedMap) and part in node:
                line, col = node.lc.key(part) if (at_key and last) else node.lc.value(part)
                if node[part] is None and line > node.lc.key(part)[0]:  # ``lead:`` left empty
                    line, col = node.lc.key(part)
                    col += len(str(part)) + 1  # just past the colon, where the value goes
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line, col = node.lc.item(part)
                node = node[part]
            else:
                break
        return line + 1, col + 1

    def scalar(self, loc: Loc) -> Scalar | None:
        return self.scalars.get(tuple(str(p) if isinstance(p, str) else p for p in loc))

    def position_in(self, loc: Loc, offset: int) -> tuple[int, int]:
        """1-based place of character ``offset`` of the string at ``loc``: exact for one-line
        plain and quoted scalars and for literal blocks; the value's start otherwise."""
        found = self.scalar(loc)
        if found is None:
            return self.position(loc)
        if found.one_line and offset <= len(found.value):
            quote = 1 if found.style in ('"', "'") else 0
            return found.line + 1, found.column + quote + offset + 1
        if found.style == "|":
            before = found.value[:offset]
            row = before.count("\n")
            lines = self.text.splitlines()
            number = found.line + 1 + row  # content starts on the line after the indicator
            if number < len(lines):
                indent = len(lines[number]) - len(lines[number].lstrip(" "))
                return number + 1, indent + len(before) - (before.rfind("\n") + 1) + 1
        return self.position(loc)

    def problem(
        self,
        loc: Loc,
        code: str,
        english: str,
        *,
        offset: int | None = None,
        at_key: bool | None = None,
        severity: str = "error",
        **context: Any,
    ) -> Problem:
        if offset is not None:
            line, col = self.position_in(loc, offset)
        else:
            key = code in ("extra_forbidden", "unused_metric") if at_key is None else at_key
            line, col = self.position(loc, at_key=key)
        field_name = next((str(part) for part in reversed(loc) if isinstance(part, str)), None)
        return Problem(
            self.name,
            line,
            col,
            format_path(loc),
            code,
            message(code, english, field_name=field_name, **context),
            severity,  # type: ignore[arg-type]
        )


def _start(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    return (lc.line, lc.col) if lc is not None and lc.line is not None else (0, 0)


def to_plain(node: Any, scalars: dict[Loc, Scalar] | None = None) -> Any:
    """ruamel's round-trip types → the builtins the strict models expect; a float becomes the
    Decimal of its digits as typed (``scalars``: each value's source text by its place), so
    98.50 stays 98.50 and no digit is lost to binary."""
    from ruamel.yaml.scalarbool import ScalarBoolean  # loaded with the tree

    typed = scalars or {}

    def plain(node: Any, loc: Loc = ()) -> Any:
        if isinstance(node, dict):
            return {plain(k): plain(v, (*loc, plain(k))) for k, v in node.items()}
        if isinstance(node, list):
            return [plain(v, (*loc, i)) for i, v in enumerate(node)]
        if isinstance(node, bool) or node is None:
            return node
        if isinstance(node, ScalarBoolean):  # an int subclass: keep it a bool, not 0/1
            return bool(node)
        if isinstance(node, int):
            return int(node)
        if isinstance(node, float):
            return _typed_decimal(typed.get(loc), node)
        if isinstance(node, str):
            return str(node)
        return node

    return plain(node)


def _typed_decimal(scalar: Scalar | None, value: float) -> Decimal:
    """The number as the file spells it; the float's shortest repr when the text is no plain
    number (the event watch refuses those in data files before this is ever reached)."""
    try:
        return Decimal(scalar.value) if scalar is not None else Decimal(repr(value))
    except InvalidOperation:
        return Decimal(repr(value))


def file_problem(
    path: Path,
    code: str,
    english: str,
    line: int = 1,
    column: int = 1,
    severity: str = "error",
    **ctx: Any,
) -> Problem:
    return Problem(
        display_path(path),
        line,
        column,
        "",
        code,
        message(code, english, **ctx),
        severity,  # type: ignore[arg-type]
    )


def text_position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of character ``index`` in ``text``, columns counted in characters
    (as editors and ruamel count them)."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1
