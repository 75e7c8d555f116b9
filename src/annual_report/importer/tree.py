"""The outline of an office's document, found in its paragraphs.

What an office types decides the structure: 一、 （一） 1. （1） at a paragraph's start (or a
heading style) make a part or a heading, and the marker is dropped (it is generated again); a
first run set apart (楷体, bold) is a run-in heading's sentence or a paragraph's lead, and a
text without formatting falls back on the first sentence; right-aligned lines at the end are
the signature and date. Nothing is dropped: what has no place is kept as a plain paragraph,
with a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from annual_report.importer.read import (
    MARKERS,
    Note,
    Para,
    Source,
    SourceError,
    Span,
    Table,
    numbered,
)
from annual_report.numbers import chinese_numeral


@dataclass
class Paragraph:
    """A paragraph of prose: an optional lead sentence (bold in the file) and the rest."""

    number: int
    body: str
    lead: str = ""


@dataclass
class Heading:
    """（一） 1. （1） at ``level`` 2, 3, 4; ``body``: the rest of a run-in heading's paragraph."""

    number: int
    level: int
    title: str
    body: str = ""
    children: list[Node] = field(default_factory=list)

    @property
    def runin(self) -> bool:
        return bool(self.body)


@dataclass
class Part:
    """一、 and what follows it."""

    number: int
    title: str
    children: list[Node] = field(default_factory=list)


@dataclass
class TableNode:
    number: int
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


Node = Paragraph | Heading | TableNode


@dataclass
class Document:
    title_lines: list[str]
    preamble: list[Paragraph] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    closing: list[Paragraph] = field(default_factory=list)
    signature: str | None = None
    date: str | None = None
    notes: list[Note] = field(default_factory=list)

    @property
    def title(self) -> str:
        return "".join(self.title_lines)


DATE = re.compile(r"^([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日$")
_SENTENCE_END = "。！？"
_OPEN, _CLOSE = "“‘《（(「", "”’》）)」"
_CLOSING = re.compile(r"^(?:[0-9]{4}年|新的一年|新一年|展望|今后|下一步|面对新)")
"""How a closing paragraph opens (2023年，*街道将…; 新的一年，…): told apart from the last
heading's paragraphs only by its words."""
_SIGNATURE_PUNCTUATION = re.compile(r"[，。；：！？,;!?]")


def outline(source: Source) -> Document:
    paras = list(source.blocks)
    if not paras or not isinstance(paras[0], Para):
        raise ValueError("no title")  # the caller checked there is a paragraph first
    title = paras.pop(0)
    assert isinstance(title, Para)
    document = Document(title.text.split("\n"), notes=list(source.notes))
    while paras and _more_title(paras[0], title):
        more = paras.pop(0)
        assert isinstance(more, Para)
        document.title_lines.append(more.text)
    _signature_and_date(paras, document)
    _place(paras, document, source.unit)
    _closing(document)
    _complete(document, source.unit)
    return document


def _complete(document: Document, unit: str) -> None:
    """Every part and heading has something under it, as the data must: else the office's file
    is said to be unfinished at the paragraph, before anything is written."""
    if not document.parts:
        raise SourceError(
            "没有找到“一、”级标题（如“一、2022年工作总结”）：总结至少要有一个部分，请在原文件中"
            "加上部分标题后再导入（no part found: a line starting with 一、）"
        )
    for part in document.parts:
        if not part.children:
            raise SourceError(
                f"第 {part.number} {unit}“{part.title}”下没有内容，请在原文件中补上或删去这个"
                "部分标题（a part with nothing under it）"
            )
        for node in walk(part.children):
            if isinstance(node, Heading) and not node.body and not node.children:
                raise SourceError(
                    f"第 {node.number} {unit}的标题“{node.title}”下没有内容，请在原文件中补上"
                    "正文或删去这个标题（a heading with nothing under it）"
                )


def _more_title(block: Para | Table, title: Para) -> bool:
    """A long title typed as two centred (or Title-styled) paragraphs."""
    if not isinstance(block, Para):
        return False
    looks = {(title.align, title.style), (block.align, block.style)}
    return (
        all(align == "center" or style == "title" for align, style in looks)
        and numbered(block.text) is None
        and not _SIGNATURE_PUNCTUATION.search(block.text)
    )


def _signature_and_date(paras: list[Para | Table], document: Document) -> None:
    """The date line at the end, and the short line above it (or a right-aligned last line)."""
    last = paras[-1] if paras else None
    if isinstance(last, Para) and DATE.match(last.text):
        document.date = last.text
        paras.pop()
    last = paras[-1] if paras else None
    if isinstance(last, Para) and _looks_signed(last, document.date):
        document.signature = last.text
        paras.pop()


def _looks_signed(para: Para, date: str | None) -> bool:
    text = para.text
    if numbered(text) is not None or _SIGNATURE_PUNCTUATION.search(text) or len(text) > 30:
        return False
    return para.align == "right" or para.style == "signature" or date is not None


def _place(paras: list[Para | Table], document: Document, unit: str) -> None:
    """Parts, headings and paragraphs into their places, in order."""
    open_headings: list[Heading] = []
    counts = [0] * 5
    for block in paras:
        part = document.parts[-1] if document.parts else None
        if isinstance(block, Table):
            table = TableNode(block.number, block.rows)
            if part is None:
                _unplaced(document, block.number, "\t".join(block.rows[0]), unit, "表格")
                continue
            _caption(table, open_headings, part)
            _attach(table, open_headings, part)
            continue
        level = _level(block)
        if level == 1:
            counts = _numbering(block, 1, counts, document, unit)
            document.parts.append(Part(block.number, _strip_marker(block, 1).strip()))
            open_headings = []
        elif level is not None and part is not None:
            counts = _numbering(block, level, counts, document, unit)
            while open_headings and open_headings[-1].level >= level:
                open_headings.pop()
            heading = _heading(block, level)
            _attach(heading, open_headings, part)
            open_headings.append(heading)
        elif part is None:
            if level is not None:
                _unplaced(document, block.number, block.text, unit, "标题")
            else:
                document.preamble.append(_paragraph(block))
        else:
            _attach(_paragraph(block), open_headings, part)


def _unplaced(document: Document, number: int, text: str, unit: str, what: str) -> None:
    document.notes.append(
        Note(
            f"第 {number} {unit}",
            f"{what}在第一个“一、”之前，无处安放，已作为开篇段的普通段落保留：{text[:20]}"
            "（kept as a plain paragraph）",
        )
    )
    document.preamble.append(Paragraph(number, text))


def _attach(node: Node, open_headings: list[Heading], part: Part) -> None:
    (open_headings[-1].children if open_headings else part.children).append(node)


def _caption(table: TableNode, open_headings: list[Heading], part: Part) -> None:
    """A short centred-looking line just above a table (no sentence end) is its caption."""
    siblings = open_headings[-1].children if open_headings else part.children
    above = siblings[-1] if siblings else None
    if (
        isinstance(above, Paragraph)
        and not above.lead
        and len(above.body) <= 40
        and above.body[-1:] not in _SENTENCE_END
        and not _SIGNATURE_PUNCTUATION.search(above.body)
    ):
        siblings.pop()
        table.caption = above.body


def _level(para: Para) -> int | None:
    style = re.fullmatch(r"heading ([1-4])", para.style)
    if style:
        return int(style.group(1))
    return para.listed or numbered(para.text)


def _numbering(
    para: Para, level: int, counts: list[int], document: Document, unit: str
) -> list[int]:
    """Positions count per level; a typed number that is not its position is said (the build
    numbers by position)."""
    counts = [*counts[: level + 1], 0, 0, 0, 0][:5]
    counts[level] += 1
    found = MARKERS[level].match(para.text)
    if found:
        expected = str(counts[level]) if level >= 3 else chinese_numeral(counts[level])
        if found.group(1) != expected:
            document.notes.append(
                Note(
                    f"第 {para.number} {unit}",
                    f"序号“{found.group().strip()}”与位置不符，生成时按位置编号为{expected}"
                    "（numbering follows the position）",
                )
            )
    return counts


def _strip_marker(para: Para, level: int) -> str:
    found = MARKERS[level].match(para.text)
    return para.text[found.end() :] if found else para.text


def _without_marker(para: Para, level: int) -> tuple[Span, ...]:
    """The spans after the typed number (which may sit in a run of its own)."""
    found = MARKERS[level].match(para.text)
    skip = found.end() if found else 0
    spans: list[Span] = []
    for span in para.spans:
        if skip >= len(span.text):
            skip -= len(span.text)
            continue
        spans.append(Span(span.text[skip:], span.bold, span.font))
        skip = 0
    return tuple(spans)


def _groups(spans: tuple[Span, ...]) -> list[tuple[str, tuple[bool, str | None]]]:
    """Neighbouring runs set alike, joined; runs of spaces take their neighbour's setting."""
    groups: list[tuple[str, tuple[bool, str | None]]] = []
    for span in spans:
        look = (span.bold, span.font)
        if groups and (groups[-1][1] == look or not span.text.strip()):
            groups[-1] = (groups[-1][0] + span.text, groups[-1][1])
        else:
            groups.append((span.text, look))
    return groups


def _set_apart(spans: tuple[Span, ...]) -> tuple[str, str] | None:
    """(first run, the rest) when the first run is set differently from the rest."""
    groups = _groups(spans)
    if len(groups) < 2 or groups[0][1] == groups[1][1]:
        return None
    first, rest = groups[0][0], "".join(text for text, _ in groups[1:])
    return (first, rest) if first.strip() and rest.strip() else None


def _first_sentence(text: str) -> int:
    """The end of the first sentence (past its 。！？), not inside quotes or brackets; 0 if none."""
    depth = 0
    for i, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif char in _SENTENCE_END and depth == 0:
            return i + 1
    return 0


def _heading(para: Para, level: int) -> Heading:
    spans = _without_marker(para, level)
    text = "".join(span.text for span in spans)
    apart = _set_apart(spans)
    if apart is not None:
        return Heading(para.number, level, apart[0], apart[1])
    end = _first_sentence(text)
    if 0 < end < len(text):
        return Heading(para.number, level, text[:end], text[end:])
    return Heading(para.number, level, text)


def _paragraph(para: Para) -> Paragraph:
    apart = _set_apart(para.spans)
    if apart is not None and _bold_first(para.spans):
        return Paragraph(para.number, apart[1], apart[0])
    return Paragraph(para.number, para.text)


def _bold_first(spans: tuple[Span, ...]) -> bool:
    groups = _groups(spans)
    return groups[0][1][0] and not groups[1][1][0]


def _closing(document: Document) -> None:
    """Trailing paragraphs of the last part that open as a closing does move to the closing;
    a heading keeps at least one paragraph."""
    if not document.parts:
        return
    children = document.parts[-1].children
    owner: Heading | None = None
    while children and isinstance(children[-1], Heading):
        owner = children[-1]
        children = owner.children
    closing: list[Paragraph] = []
    while children and isinstance(children[-1], Paragraph):
        last = children[-1]
        if last.lead or not _CLOSING.match(last.body):
            break
        if owner is not None and not owner.runin and len(children) == 1:
            break
        closing.insert(0, last)
        children.pop()
    document.closing = closing


def walk(nodes: list[Node]) -> Iterator[Node]:
    """Every node under ``nodes``, in document order."""
    for node in nodes:
        yield node
        if isinstance(node, Heading):
            yield from walk(node.children)
