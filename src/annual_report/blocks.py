"""The document as plain data: paragraphs (blocks) made of runs, in document order.

What the outline stage produces and the layout stage consumes, so neither imports the other;
and the characters such text can never hold, which the loader, the checks and the outline refuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

XML_FORBIDDEN = r"\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
"""Every character XML 1.0 forbids (the complement of its ``Char`` production within what a
Python string holds): what a .docx cannot hold. Spelled as what is forbidden, not as the
complement of what is allowed, which costs the regex compiler milliseconds at every start."""
FORBIDDEN = re.compile(f"[{XML_FORBIDDEN}]")
"""One of them: no text with it may reach a block (the outline refuses it at its place)."""

BlockStyle = Literal[
    "title", "blank", "body", "heading1", "heading2", "level3", "level4", "caption", "table",
    "signature", "date",
]  # fmt: skip
RunRole = Literal["plain", "lead", "runin", "runin3", "runin4"]
"""runin: a run-in （一） heading (楷体); runin3 / runin4: run-in 1. and （1） headings."""
BLOCK_STYLES: tuple[str, ...] = BlockStyle.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Run:
    """A stretch of one paragraph set in one way: plain text, a lead sentence, a run-in heading."""

    text: str
    role: RunRole = "plain"


@dataclass(frozen=True)
class Block:
    """One paragraph of the document, in document order."""

    style: BlockStyle
    runs: tuple[Run, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    """A table's cells, row by row (style "table" only)."""
    header: bool = False
    """Whether the table's first row is its header (bold, repeated on every page)."""

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)
