"""An office's file → its paragraphs and tables, with the formatting that carries structure.

Offices type the summary in the Normal style with direct formatting: what tells a heading or a
lead sentence is a run's weight and East Asian font, a paragraph's alignment and size, and
sometimes a heading style. Those are kept per run (``Span``); everything else is left behind.
Characters a .docx or the validator refuses (zero-width, BOM, direction marks, soft hyphens) are
removed here, each said as a note with its paragraph number.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from annual_report.blocks import XML_FORBIDDEN
from annual_report.errors import UserError

if TYPE_CHECKING:
    from docx.styles.style import BaseStyle
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph
    from docx.text.run import Run

SUFFIXES = (".docx", ".doc", ".wps", ".txt", ".md")
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069\u00ad"
_INVISIBLE = re.compile(f"[{INVISIBLE}{XML_FORBIDDEN}]")
_NAMES = {
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u2060": "零宽不换行",
    "\ufeff": "字节顺序标记 BOM",
    "\u00ad": "软连字符",
}
_END = "。！？；：…”"
"""A line that ends so closes a sentence: a manual line break after it starts a new paragraph."""


class SourceError(UserError):
    """The file cannot be read as a summary (unknown kind, broken file, no LibreOffice)."""


@dataclass(frozen=True)
class Note:
    """A warning about the source, at a place the office can find."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}：{self.message}"


@dataclass(frozen=True)
class Span:
    """A stretch of a paragraph set one way."""

    text: str
    bold: bool = False
    font: str | None = None


@dataclass(frozen=True)
class Para:
    """One paragraph of the file: ``number`` counts the file's paragraphs as Word does (empty
    ones too) or its lines for a text file."""

    number: int
    spans: tuple[Span, ...]
    align: str | None = None
    style: str = ""
    size: float | None = None
    listed: int | None = None
    """The level Word's own numbering gives the paragraph (一、 （一） 1. （1） drawn by Word,
    not typed): 1–4, or None."""

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class Table:
    number: int
    rows: tuple[tuple[str, ...], ...]


@dataclass
class Source:
    """What the file holds, in order, and what was said about it."""

    blocks: list[Para | Table] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    unit: str = "段"  # how a number in a note counts: paragraphs of a .docx, lines of a text


def read(path: Path) -> Source:
    """Any file the office may hold: .docx; .doc/.wps through LibreOffice; .txt/.md."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise SourceError(
            f"{path}：不认识的文件类型 “{path.suffix}”，可导入 {' '.join(SUFFIXES)}"
            f"（unsupported file type）"
        )
    if not path.is_file():
        raise SourceError(f"{path}：文件不存在（file not found）")
    if suffix in (".txt", ".md"):
        return _clean(_read_text(path, markdown=suffix == ".md"))
    if suffix == ".docx":
        return _clean(_read_docx(path))
    with tempfile.TemporaryDirectory(prefix="annual-report-import-") as work:
        return _clean(_read_docx(_to_docx(path, Path(work))))


def _to_docx(path: Path, work: Path) -> Path:
    """An old .doc or a WPS file, saved as .docx by LibreOffice."""
    from annual_report.output import OutputError, libreoffice_convert

    try:
        return libreoffice_convert(path, "docx", work)
    except OutputError as exc:
        raise SourceError(
            f"{path}：{path.suffix} 文件需要先由 LibreOffice 转为 .docx。{exc}\n"
            "请安装 LibreOffice（Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui；"
            "Windows/macOS：从 libreoffice.org 下载安装），或在 Word/WPS 中“另存为” .docx 后再导入"
            "（install LibreOffice, or save the file as .docx）"
        ) from None


# --- Word ---------------------------------------------------------------------------------


def _read_docx(path: Path) -> Source:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table as DocxTable

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise SourceError(f"{path}：无法作为 Word 文档打开（not a .docx file: {exc}）") from None
    except Exception as exc:  # a broken zip or XML: the office's file, so a message
        raise SourceError(f"{path}：文件已损坏，无法读取（broken .docx: {exc}）") from None
    source = Source()
    levels = _list_levels(document)
    for number, item in enumerate(document.iter_inner_content(), start=1):
        if isinstance(item, DocxTable):
            source.blocks.append(Table(number, tuple(_rows(item))))
        else:
            para = _paragraph(item, number)
            key = _num_pr(item._p, item.style)
            listed = levels.get(key) if key else None
            source.blocks.extend(_lines(replace(para, listed=listed) if listed else para))
    return source


_COUNTING = {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified"}


def _list_levels(document: object) -> dict[tuple[str, str], int]:
    """(numId, ilvl) → our level, for each numbering level that draws 一、 （一） 1. （1）."""
    from docx.oxml.ns import qn

    try:
        numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract: dict[str, dict[str, int]] = {}
    for definition in numbering.findall(qn("w:abstractNum")):
        found = {}
        for lvl in definition.findall(qn("w:lvl")):
            fmt, text = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText"))
            if fmt is None or text is None:
                continue
            level = _drawn_level(fmt.get(qn("w:val")) or "", text.get(qn("w:val")) or "")
            if level is not None:
                found[lvl.get(qn("w:ilvl")) or "0"] = level
        abstract[definition.get(qn("w:abstractNumId")) or ""] = found
    levels: dict[tuple[str, str], int] = {}
    for num in numbering.findall(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        drawn = abstract.get(ref.get(qn("w:val")) or "", {}) if ref is not None else {}
        for ilvl, level in drawn.items():
            levels[(num.get(qn("w:numId")) or "", ilvl)] = level
    return levels


def _drawn_level(fmt: str, text: str) -> int | None:
    bracketed = text in ("（%1）", "(%1)")
    if fmt in _COUNTING:
        return 1 if text == "%1、" else 2 if bracketed else None
    if fmt == "decimal":
        return 3 if text in ("%1.", "%1．", "%1、") else 4 if bracketed else None
    return None


def _num_pr(p: object, style: BaseStyle | None) -> tuple[str, str] | None:
    """(numId, ilvl) of the paragraph's numbering, its own or its style's."""
    from docx.oxml.ns import qn

    for element in (p, *_elements(style)):
        ppr = getattr(element, "pPr", None)
        num = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num is None:
            continue
        num_id, ilvl = num.find(qn("w:numId")), num.find(qn("w:ilvl"))
        if num_id is None:
            return None
        level = "0" if ilvl is None else ilvl.get(qn("w:val")) or "0"
        return num_id.get(qn("w:val")) or "", level
    return None


def _rows(table: DocxTable) -> Iterator[tuple[str, ...]]:
    """Cells as written; a merged cell once."""
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text.strip())
        yield tuple(cells)


_RUNS = "./w:r | ./*[not(self::w:del) and not(self::w:moveFrom)]//w:r[not(ancestor::w:txbxContent)]"
"""Every run the paragraph shows, in order: its own, and those inside a hyperlink, a tracked
insertion, a field or a content control (python-docx's ``runs`` leaves those out, and their text
would be lost); not a tracked deletion's, nor a text box's."""


def _runs(paragraph: DocxParagraph) -> list[Run]:
    from docx.text.run import Run

    return [Run(r, paragraph) for r in paragraph._p.xpath(_RUNS)]


def _paragraph(paragraph: DocxParagraph, number: int) -> Para:
    style = paragraph.style
    runs = _runs(paragraph)
    spans = tuple(
        Span(run.text, _bold(run.bold, run.style, style), _font(run._r, run.style, style))
        for run in runs
        if run.text
    )
    align = _jc(paragraph._p) or next(filter(None, map(_jc, _elements(style))), None)
    sizes = [run.font.size.pt for run in runs if run.font.size is not None]
    size = max(sizes) if sizes else _style_size(style)
    name = style.name.lower() if style is not None and style.name else ""
    return Para(number, spans, align, name, size)


def _chain(style: BaseStyle | None) -> Iterator[BaseStyle]:
    seen = 0
    while style is not None and seen < 20:
        yield style
        style, seen = getattr(style, "base_style", None), seen + 1


def _bold(direct: bool | None, run_style: BaseStyle | None, para: BaseStyle | None) -> bool:
    if direct is not None:
        return direct
    for style in (*_chain(run_style), *_chain(para)):
        bold = getattr(style.font, "bold", None)  # type: ignore[attr-defined]
        if bold is not None:
            return bool(bold)
    return False


def _east_asian(element: object) -> str | None:
    from docx.oxml.ns import qn

    rpr = getattr(element, "rPr", None)
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def _font(run: object, run_style: BaseStyle | None, para: BaseStyle | None) -> str | None:
    if found := _east_asian(run):
        return found
    for style in (*_chain(run_style), *_chain(para)):
        if found := _east_asian(style.element):
            return found
    return None


def _elements(style: BaseStyle | None) -> Iterator[object]:
    return (each.element for each in _chain(style))


_JC = {"start": "left", "end": "right", "both": "justify", "distribute": "justify"}


def _jc(element: object) -> str | None:
    """The alignment as written (python-docx refuses the strict values start/end that
    LibreOffice writes into a converted .doc)."""
    from docx.oxml.ns import qn

    ppr = getattr(element, "pPr", None)
    jc = ppr.find(qn("w:jc")) if ppr is not None else None
    value = None if jc is None else jc.get(qn("w:val"))
    return _JC.get(value, value) if value else None


def _style_size(style: BaseStyle | None) -> float | None:
    for each in _chain(style):
        size = getattr(each.font, "size", None)  # type: ignore[attr-defined]
        if size is not None:
            return float(size.pt)
    return None


CN = "一二三四五六七八九十"
MARKERS = {
    1: re.compile(rf"^\s*([{CN}]+)、\s*"),
    2: re.compile(rf"^\s*[（(]([{CN}]+)[）)]\s*"),
    3: re.compile(r"^\s*([0-9]{1,2})[.．、](?![0-9])\s*"),
    4: re.compile(r"^\s*[（(]([0-9]{1,2})[）)]\s*"),
}
"""The numbering an office types, by level: 一、 （一） 1. （1） (half-width brackets too)."""


def numbered(text: str) -> int | None:
    """The level of the numbering ``text`` starts with, if any."""
    return next((level for level, marker in MARKERS.items() if marker.match(text)), None)


def _lines(para: Para) -> Iterator[Para]:
    """A manual line break (Shift+Enter) starts a new paragraph where a sentence ends there or a
    numbered heading follows; inside a sentence it was only a wrap, and the line goes on. A
    title's breaks are its lines (kept, the tree makes them ``title_lines``)."""
    if "\n" not in para.text or para.style == "title" or para.align == "center":
        yield para
        return
    current: list[Span] = []
    for span in para.spans:
        pieces = span.text.split("\n")
        for n, piece in enumerate(pieces):
            if n > 0:
                before = "".join(s.text for s in current).rstrip()
                after = "".join(pieces[n:])
                if before and (before[-1] in _END or numbered(after)):
                    yield replace(para, spans=tuple(current))
                    current = []
            if piece:
                current.append(replace(span, text=piece))
    if current:
        yield replace(para, spans=tuple(current))


# --- text -----------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^#{1,6}\s*")
_MD_BOLD = re.compile(r"^\*\*(.+?)\*\*")
_MD_RULE = re.compile(r"^\|?\s*:?-{3,}")


def _read_text(path: Path, *, markdown: bool) -> Source:
    """One paragraph a line; lines with tabs (a table pasted from Word) or ``|`` cells in
    Markdown make a table."""
    from annual_report.errors import DataError
    from annual_report.load.decode import read_text

    try:
        text, _ = read_text(path)
    except DataError as exc:
        raise SourceError(str(exc)) from None
    source = Source(unit="行")
    rows: list[tuple[str, ...]] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        cells = _cells(line, markdown)
        if cells is not None:
            start = start or number
            if not (markdown and _MD_RULE.match(line.strip())):
                rows.append(cells)
            continue
        if rows:
            source.blocks.append(Table(start, tuple(rows)))
            rows, start = [], 0
        source.blocks.append(_text_para(line, number, markdown))
    if rows:
        source.blocks.append(Table(start, tuple(rows)))
    return source


def _cells(line: str, markdown: bool) -> tuple[str, ...] | None:
    stripped = line.strip()
    if markdown and stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        return tuple(cell.strip() for cell in stripped[1:-1].split("|"))
    if "\t" in stripped:
        return tuple(cell.strip() for cell in stripped.split("\t"))
    return None


def _text_para(line: str, number: int, markdown: bool) -> Para:
    if not markdown:
        return Para(number, (Span(line),) if line else ())
    line = _MD_HEADING.sub("", line.strip())
    if found := _MD_BOLD.match(line):
        rest = line[found.end() :]
        spans = (Span(found.group(1), bold=True), *((Span(rest),) if rest else ()))
        return Para(number, spans)
    return Para(number, (Span(line),) if line else ())


# --- cleaning -------------------------------------------------------------------------------


def _clean(source: Source) -> Source:
    """Invisible characters out (each said, with its paragraph), indentation and empty
    paragraphs dropped: a paragraph's text is otherwise kept exactly as typed."""
    blocks: list[Para | Table] = []
    for block in source.blocks:
        if isinstance(block, Table):
            rows = tuple(
                tuple(_strip_invisible(cell, block.number, source) for cell in row)
                for row in block.rows
            )
            blocks.append(replace(block, rows=rows))
            continue
        spans = tuple(
            replace(span, text=_strip_invisible(span.text, block.number, source))
            for span in block.spans
        )
        spans = _trim(spans)
        if spans:
            blocks.append(replace(block, spans=spans))
    source.blocks = blocks
    return source


def _strip_invisible(text: str, number: int, source: Source) -> str:
    found = sorted(set(_INVISIBLE.findall(text)))
    if not found:
        return text
    names = "、".join(_NAMES.get(c, f"U+{ord(c):04X}") for c in found)
    source.notes.append(
        Note(f"第 {number} {source.unit}", f"删去了看不见的字符 {names}（invisible characters)")
    )
    return _INVISIBLE.sub("", text)


def _trim(spans: Iterable[Span]) -> tuple[Span, ...]:
    """The indent typed as spaces (full-width or not) and trailing spaces go; empty runs too."""
    kept = [span for span in spans if span.text]
    while kept and not kept[0].text.strip():
        kept.pop(0)
    while kept and not kept[-1].text.strip():
        kept.pop()
    if not kept:
        return ()
    kept[0] = replace(kept[0], text=kept[0].text.lstrip())
    kept[-1] = replace(kept[-1], text=kept[-1].text.rstrip())
    return tuple(kept)
