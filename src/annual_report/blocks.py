"""The document as plain data: paragraphs (blocks) made of runs, in document order.

What the outline stage produces and the layout stage consumes, so neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BlockStyle = Literal["title", "blank", "body", "heading1", "heading2", "signature", "date"]
RunRole = Literal["plain", "lead", "runin"]
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

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)
