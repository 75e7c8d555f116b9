"""Problems found in the data, and how each is told to the user.

A problem is data (file, position, field path, code, message), so the CLI can print it as text,
GitHub annotations or JSON without knowing where it came from. Pydantic's errors are translated
by their stable *type* through the Chinese catalogue in messages.yaml.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, at a place a person can go to."""

    file: str
    line: int
    column: int
    path: str
    code: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        field = f" {self.path}:" if self.path else ""
        return f"{self.file}:{self.line}:{self.column}:{field} {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class UserError(Exception):
    """Whatever the user can put right (their data, a template, the disk, a missing program):
    told in one message, never a traceback. The CLI turns it into the command's exit code in
    one place (``cli.common.user_errors``)."""


class DataError(UserError):
    """The data cannot be used: carries every problem found, errors and warnings alike, and
    ``note``, what it stops (said after them, when there is something to add)."""

    def __init__(self, problems: list[Problem], note: str = "") -> None:
        super().__init__("\n".join(map(str, [*problems, *([note] if note else [])])))
        self.problems = sorted(problems)
        self.note = note


def format_path(loc: tuple[str | int, ...]) -> str:
    """('items', 1, 'metrics') → 'items[1].metrics', the way the English field path is written."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@cache
def catalogue() -> dict[str, str]:
    """Chinese message templates by error code (pydantic's error types and our own)."""
    from ruamel.yaml import YAML

    text = Path(__file__).with_name("messages.yaml").read_text("utf-8")
    return dict(YAML(typ="safe").load(text))


def message(code: str, english: str, *, field_name: str | None = None, **context: Any) -> str:
    """Chinese first, then the English original in brackets, so both readers are served.

    An entry ``code.field`` (``string_pattern_mismatch.sections``) says it for that field, where
    the general one could only quote the rule."""
    entries = catalogue()
    template = entries.get(f"{code}.{field_name}") if field_name else None
    template = template if template is not None else entries.get(code)
    if template is None:
        return english
    try:
        chinese = template.format(**context)
    except (KeyError, IndexError, ValueError):
        chinese = template
    return f"{chinese} ({english})"


def chinese(code: str, **context: Any) -> str:
    """The Chinese text alone (a hint inside another message); empty when there is none."""
    template = catalogue().get(code, "")
    try:
        return template.format(**context)
    except (KeyError, IndexError, ValueError):
        return template


def closest(word: str, choices: list[str], cutoff: float = 0.6) -> str | None:
    """The valid key a typo most likely meant, for “您是否想写 'metrics'?”."""
    found = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return found[0] if found else None


def display_path(path: Path) -> str:
    """Paths relative to the working folder when possible: what a user can click in a terminal."""
    try:  # abspath, not resolve: a symlink is named as itself, never as its (missing) target
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)
