"""Shared by the layout tests: the seed text as outline blocks, and a built seed document.

The blocks are made straight from tests/fixtures/seed_2022.txt, so the layout is tested on the
real document without depending on the data and outline stages.
"""

from __future__ import annotations

import re
from pathlib import Path

from annual_report.blocks import Block, Run
from annual_report.layout import build_document, load_profile

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed_2022.txt"
PROFILE = ROOT / "templates" / "gbt9704.yaml"
FONTS_CONF = ROOT / "templates" / "gbt9704-fonts.conf"
LEAD_MAX_CHARS = 20

_HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEADING2 = re.compile(r"^（[一二三四五六七八九十]+）")


def seed_lines() -> list[str]:
    """The seed's non-empty lines, in order: what every rendering must say."""
    return [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_blocks() -> list[Block]:
    """Classify the seed's lines the way the outline stage would emit them."""
    title, *rest = seed_lines()
    blocks = [Block("title", (Run(title),)), Block("blank")]
    part = 0
    after_heading2 = False
    for line in rest:
        if _HEADING1.match(line):
            part += 1
            after_heading2 = False
            blocks.append(Block("heading1", (Run(line),)))
        elif _HEADING2.match(line) and part == 1:
            after_heading2 = True
            blocks.append(Block("heading2", (Run(line),)))
        elif _HEADING2.match(line) and part == 2:
            blocks.append(Block("body", _split(line, "runin")))
        elif after_heading2 and 0 < line.find("。") < LEAD_MAX_CHARS:
            blocks.append(Block("body", _split(line, "lead")))
        else:
            blocks.append(Block("body", (Run(line),)))
    return blocks


def _split(line: str, role: str) -> tuple[Run, ...]:
    """The first sentence set off in ``role``, the rest plain."""
    end = line.index("。") + 1
    return (Run(line[:end], role), Run(line[end:]))  # type: ignore[arg-type]


def build_seed_docx(path: Path) -> Path:
    """Build the seed document with the shipped profile and save it at ``path``."""
    profile = load_profile(PROFILE)
    document = build_document(seed_blocks(), profile, title=seed_lines()[0], author="*街道办事处")
    document.save(str(path))
    return path
