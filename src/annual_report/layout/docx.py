"""The layout stage: outline blocks → a python-docx Document in the GB/T 9704 look.

Everything visible comes from the profile; this module decides only *where* each setting goes:
named styles for every kind of paragraph and run (so Word's style pane and navigation pane
make sense to the office), direct formatting only where a paragraph's text decides it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from io import BytesIO

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.section import Section
from docx.shared import Emu, Mm, Twips
from docx.styles.style import CharacterStyle, ParagraphStyle

from annual_report.blocks import Block
from annual_report.layout import ooxml
from annual_report.layout.profile import Element, Profile, RunStyle
from annual_report.unfinished import MARKS

# Word's built-in style names: Word shows them localised (标题, 标题 1, 标题 2, 签名, 日期).
PARAGRAPH_STYLES: dict[str, str] = {
    "title": "Title",
    "blank": "Normal",
    "body": "Normal",
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "level3": "Heading 3",
    "level4": "Heading 4",
    "caption": "Caption",
    "signature": "Signature",
    "date": "Date",
}
_OUTLINE_LEVELS: dict[str, int] = {"heading1": 0, "heading2": 1, "level3": 2, "level4": 3}
_ELEMENTS = ("body", "title", "heading1", "heading2", "level3", "level4", "caption")
_FOOTER_STYLE = "Footer"
_HEADER_STYLE = "Header"

_ALIGN: dict[str, WD_ALIGN_PARAGRAPH] = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def build_document(
    blocks: Sequence[Block],
    profile: Profile,
    *,
    title: str,
    author: str,
    draft: bool = False,
    base: bytes | None = None,
) -> Document:
    """Lay the blocks out on GB/T 9704 pages; the caller saves the result. A ``draft`` says so
    in the header of every page. ``base`` is ``blank_pages``'s document for this profile,
    when several documents are built with one."""
    document = docx.Document(BytesIO(base)) if base else _blank(profile, draft=draft)
    _write_blocks(document, blocks, profile)
    _set_properties(document, profile, title=title, author=author)
    return document


def blank_pages(profile: Profile, *, draft: bool = False) -> bytes:
    """The pages, styles, page numbers (and draft header) of every document of this profile,
    saved once: a batch of years opens it instead of setting everything up each time."""
    saved = BytesIO()
    _blank(profile, draft=draft).save(saved)
    return saved.getvalue()


def _blank(profile: Profile, *, draft: bool) -> Document:
    document = docx.Document()
    ooxml.drop_styles_with_effects(document)
    _set_up_page(document.sections[0], profile)
    _set_up_defaults(document, profile)
    _set_up_styles(document, profile)
    _set_up_page_numbers(document, profile)
    if draft:
        _set_up_draft_header(document, profile)
    return document


def _set_up_page(section: Section, profile: Profile) -> None:
    page = profile.page
    section.page_width = Mm(page.width_mm)
    section.page_height = Mm(page.height_mm)
    section.top_margin = Mm(page.margin_top_mm)
    section.bottom_margin = Mm(page.margin_bottom_mm)
    section.left_margin = Mm(page.margin_left_mm)
    section.right_margin = Mm(page.margin_right_mm)
    section.footer_distance = Emu(profile.footer_distance_emu)  # the profile made sure it fits


def _set_up_defaults(document: Document, profile: Profile) -> None:
    """docDefaults and settings: body font, zh-CN, no theme fonts, no template spacing."""
    styles_root = document.styles.element
    ooxml.remove_theme_fonts(styles_root)
    rpr, ppr = ooxml.doc_defaults(styles_root)
    body = profile.elements.body
    ooxml.set_east_asian_font(rpr, body.font)
    ooxml.set_font_size(rpr, profile.pt(body.size))
    ooxml.set_language(rpr, profile.language, profile.latin_language)
    ooxml.clear_paragraph_properties(ppr)
    _set_widow_control(ppr, profile)
    ooxml.set_exact_line_spacing(ppr, profile.line_pitch_pt)
    ooxml.set_theme_font_lang(document.settings, profile.language)


def _set_widow_control(target: ooxml.PPrTarget, profile: Profile) -> None:
    if not profile.widow_control:
        ooxml.disable_widow_control(target)


def _set_up_styles(document: Document, profile: Profile) -> None:
    for key in _ELEMENTS:
        style = _get_or_add_paragraph_style(document, PARAGRAPH_STYLES[key])
        _apply_element(style, profile.elements.element(key), profile)
        if key in _OUTLINE_LEVELS:
            ooxml.set_outline_level(style, _OUTLINE_LEVELS[key])
    _add_signature_styles(document, profile)
    _add_table_style(document, profile)
    for run_style in profile.runs.styles().values():
        _add_character_style(document, run_style)


def _apply_element(style: ParagraphStyle, element: Element, profile: Profile) -> None:
    """Give a paragraph style exactly the profile's look, nothing left from the template."""
    ooxml.reset_style(style)
    size = profile.pt(element.size)
    _set_font(style, element.font, size)
    style.font.bold = element.bold
    style.paragraph_format.alignment = _ALIGN[element.align]
    _set_grid_lines(style, profile)
    ooxml.set_first_line_indent_chars(style, element.indent_chars, size)


def _set_font(style: ParagraphStyle, font: str, size: float) -> None:
    ooxml.set_east_asian_font(style, font)
    ooxml.set_font_size(style, size)


def _set_grid_lines(style: ParagraphStyle, profile: Profile) -> None:
    """Lines on the 22-line grid, characters condensed onto the 28-character grid."""
    _set_widow_control(style, profile)
    ooxml.set_exact_line_spacing(style, profile.line_pitch_pt)
    ooxml.set_character_spacing(style, profile.grid.char_spacing_pt)


def _add_signature_styles(document: Document, profile: Profile) -> None:
    """署名 and 成文日期: right-aligned; their indents depend on the text, set per paragraph."""
    for key, spec in (("signature", profile.signature), ("date", profile.date)):
        style = _get_or_add_paragraph_style(document, PARAGRAPH_STYLES[key])
        style.base_style = document.styles["Normal"]
        _set_font(style, spec.font, profile.pt(spec.size))
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _set_grid_lines(style, profile)
        ooxml.set_first_line_indent_chars(style, 0, profile.pt(spec.size))
    blank_lines = profile.signature.blank_lines_before
    signature = document.styles[PARAGRAPH_STYLES["signature"]]
    ooxml.set_space_before(signature, blank_lines * profile.line_pitch_pt)


def _add_table_style(document: Document, profile: Profile) -> None:
    """The cells' paragraph style: the table font and size, centred, no indent, exact spacing."""
    look = profile.table_look()
    style = _get_or_add_paragraph_style(document, look.style_name)
    style.base_style = document.styles["Normal"]
    size = profile.pt(look.size)
    _set_font(style, look.font, size)
    style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ooxml.set_exact_line_spacing(style, look.line_spacing_pt)
    ooxml.set_first_line_indent_chars(style, 0, size)


def _get_or_add_paragraph_style(document: Document, name: str) -> ParagraphStyle:
    styles = document.styles
    if name in styles:
        return styles[name]
    return styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=True)


def _add_character_style(document: Document, spec: RunStyle) -> CharacterStyle:
    style = document.styles.add_style(spec.style_name, WD_STYLE_TYPE.CHARACTER)
    style.base_style = document.styles["Default Paragraph Font"]
    if spec.font is not None:
        ooxml.set_east_asian_font(style, spec.font)
    style.font.bold = spec.bold
    return style


def _margin_style(document: Document, name: str, font: str, size: float) -> ParagraphStyle:
    """The header's or footer's style: one line of its own size, no indent."""
    style = document.styles[name]
    ooxml.reset_style(style)
    _set_font(style, font, size)
    ooxml.set_exact_line_spacing(style, size)
    ooxml.set_first_line_indent_chars(style, 0, size)
    return style


def _set_up_page_numbers(document: Document, profile: Profile) -> None:
    """Odd pages right, even pages left, each one character in from the edge."""
    number = profile.page_number
    size = profile.pt(number.size)
    footer_style = _margin_style(document, _FOOTER_STYLE, number.font, size)
    ooxml.enable_even_and_odd_headers(document.settings)
    section = document.sections[0]
    for footer, align in (
        (section.footer, number.odd_align),
        (section.even_page_footer, number.even_align),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = footer_style
        paragraph.alignment = _ALIGN[align]
        ooxml.set_side_indent_chars(paragraph, align, number.side_space_chars, size)
        ooxml.add_page_number_field(paragraph, number.format, number.font, size)


def _set_up_draft_header(document: Document, profile: Profile) -> None:
    """草稿 in the header of odd and even pages alike (page numbers made them differ)."""
    spec = profile.draft_look()
    header_style = _margin_style(document, _HEADER_STYLE, spec.font, profile.pt(spec.size))
    section = document.sections[0]
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.style = header_style
        paragraph.alignment = _ALIGN[spec.align]
        paragraph.add_run(spec.header)


def _write_blocks(document: Document, blocks: Sequence[Block], profile: Profile) -> None:
    indents = _signature_indents(blocks, profile)
    highlight = getattr(WD_COLOR_INDEX, profile.draft_look().highlight.upper())
    style_id = document.part.get_style_id
    paragraph_ids = {
        key: style_id(PARAGRAPH_STYLES[key], WD_STYLE_TYPE.PARAGRAPH)
        for key in dict.fromkeys(block.style for block in blocks)
        if key != "table"
    }
    run_ids = {
        role: (style_id(spec.style_name, WD_STYLE_TYPE.CHARACTER),)
        for role, spec in profile.runs.styles().items()
    }
    add_paragraph = ooxml.paragraph_adder(document)
    for block in blocks:
        if block.style == "table":
            _write_table(document, block, profile)
            continue
        paragraph = add_paragraph(paragraph_ids[block.style])
        for run in block.runs:
            for text, marked in _marked(run.text):
                added = ooxml.add_run(paragraph, text, run_ids.get(run.role))
                if marked:
                    added.font.highlight_color = highlight
        if block.style in indents:
            size = profile.pt(getattr(profile, block.style).size)
            ooxml.set_side_indent_chars(paragraph, "right", indents[block.style], size)


def _write_table(document: Document, block: Block, profile: Profile) -> None:
    """A full-width grid table, cells centred in the table style; the header row bold and
    repeated at the top of each page it runs onto."""
    look = profile.table_look()
    width = max(len(row) for row in block.rows)
    table = document.add_table(rows=len(block.rows), cols=width)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    ooxml.set_table_width(table, profile.text_width_twips)
    cell_width = Twips(profile.text_width_twips // width)
    for r, row in enumerate(block.rows):
        header = block.header and r == 0
        if header:
            ooxml.repeat_header_row(table.rows[0])
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.width = cell_width
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles[look.style_name]
            run = paragraph.add_run(text)
            if header and look.header_bold:
                run.bold = True


def _marked(text: str) -> list[tuple[str, bool]]:
    """The text in pieces, each with whether it is a mark still to do (only a draft has any)."""
    pieces: list[tuple[str, bool]] = []
    start = 0
    for found in MARKS.finditer(text):
        pieces += [(text[start : found.start()], False), (found.group(), True)]
        start = found.end()
    pieces.append((text[start:], False))
    return [(piece, marked) for piece, marked in pieces if piece] or [(text, False)]


def _signature_indents(blocks: Sequence[Block], profile: Profile) -> dict[str, float]:
    """Right indents (in characters) of the signature and the date, per GB/T 9704 7.3.5.3.

    The signature stands ``right_space_chars`` from the right edge and the date starts
    ``shift_chars`` right of it; if that would push the date into the right space, the
    signature moves left instead so the date keeps that space.
    """
    texts = {b.style: b.text for b in blocks if b.style in ("signature", "date")}
    space = profile.signature.right_space_chars
    if "date" not in texts:
        return {"signature": space} if "signature" in texts else {}
    date_width = _width_chars(texts["date"])
    if "signature" not in texts:
        return {"date": space}
    signature_width = _width_chars(texts["signature"])
    shift = profile.date.shift_chars
    signature_indent = max(space, space + date_width + shift - signature_width)
    return {
        "signature": signature_indent,
        "date": signature_indent + signature_width - shift - date_width,
    }


def _width_chars(text: str) -> float:
    """Width in full-width characters: Arabic digits and Latin letters are half as wide."""
    return sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


def _set_properties(document: Document, profile: Profile, *, title: str, author: str) -> None:
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.language = profile.language
    props.comments = ""
    props.subject = ""
    props.keywords = ""
