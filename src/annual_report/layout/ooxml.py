"""Every raw OOXML touch of the layout stage, one small function per Word feature.

python-docx's object API covers sizes, alignment and margins; what it lacks for a Chinese
official document (East Asian fonts, character indents, PAGE fields, theme-font removal…)
is written here, always inserting children in schema order so Word never "repairs" the file.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_PPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.settings import Settings
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

RPrTarget = BaseStyle | Run | CT_RPr
PPrTarget = ParagraphStyle | Paragraph | CT_PPr

_TWIPS_PER_PT = 20
_CHARS_UNIT = 100  # w:*Chars attributes count hundredths of a character

# Children of w:rPr in schema order (ECMA-376 CT_RPr / EG_RPrBase); python-docx knows only some.
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath", "w:rPrChange",
)  # fmt: skip

# What may follow w:themeFontLang in w:settings (CT_Settings).
_THEME_FONT_LANG_SUCCESSORS = (
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
    "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
    "w:listSeparator",
)  # fmt: skip

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")


def _rpr(target: RPrTarget) -> CT_RPr:
    return target if isinstance(target, CT_RPr) else target.element.get_or_add_rPr()


def _ppr(target: PPrTarget) -> CT_PPr:
    if isinstance(target, CT_PPr):
        return target
    if isinstance(target, Paragraph):
        return target._p.get_or_add_pPr()
    return target.element.get_or_add_pPr()


def _get_or_add_rpr_child(rpr: CT_RPr, tag: str) -> BaseOxmlElement:
    """Find or create a w:rPr child python-docx has no accessor for, in schema order."""
    child = rpr.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        rpr.insert_element_before(child, *_RPR_ORDER[_RPR_ORDER.index(tag) + 1 :])
    return child


def set_east_asian_font(target: RPrTarget, name: str) -> None:
    """Name the font in all four slots so Chinese, Latin, quotes and digits all use it.

    ``w:hint="eastAsia"`` keeps ambiguous characters (“ ” — …) in the East Asian font.
    """
    rfonts = _rpr(target).get_or_add_rFonts()
    for attr in _THEME_FONT_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for slot in _FONT_SLOTS:
        rfonts.set(qn(slot), name)
    rfonts.set(qn("w:hint"), "eastAsia")


def set_font_size(target: RPrTarget, pt: float) -> None:
    """Set both the normal and the complex-script size, so no script falls back to another."""
    rpr = _rpr(target)
    half_points = str(round(pt * 2))
    rpr.get_or_add_sz().set(qn("w:val"), half_points)
    _get_or_add_rpr_child(rpr, "w:szCs").set(qn("w:val"), half_points)


def set_character_spacing(target: RPrTarget, pt: float) -> None:
    """Condense or expand every character by ``pt`` points (w:spacing in twentieths)."""
    spacing = _get_or_add_rpr_child(_rpr(target), "w:spacing")
    spacing.set(qn("w:val"), str(round(pt * _TWIPS_PER_PT)))


def set_language(target: RPrTarget, east_asian: str, latin: str) -> None:
    """Mark East Asian and Latin text with their languages (proofing, fallback, line breaking).

    The Latin tag matters: marked zh-CN, LibreOffice breaks lines inside numbers (13|54个).
    """
    lang = _get_or_add_rpr_child(_rpr(target), "w:lang")
    lang.set(qn("w:val"), latin)
    lang.set(qn("w:eastAsia"), east_asian)


def disable_widow_control(target: PPrTarget) -> None:
    """An official page is filled to its last line; Word's widow control would leave gaps."""
    _ppr(target).get_or_add_widowControl().set(qn("w:val"), "0")


def set_exact_line_spacing(target: PPrTarget, pt: float) -> None:
    """Exact line pitch and no space around the paragraph: the lines fall on a fixed grid."""
    spacing = _ppr(target).get_or_add_spacing()
    for attr in ("w:beforeLines", "w:afterLines", "w:beforeAutospacing", "w:afterAutospacing"):
        spacing.attrib.pop(qn(attr), None)
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(round(pt * _TWIPS_PER_PT)))
    spacing.set(qn("w:lineRule"), "exact")


def set_space_before(target: PPrTarget, pt: float) -> None:
    """Space above a paragraph, e.g. the blank line before a signature."""
    _ppr(target).get_or_add_spacing().set(qn("w:before"), str(round(pt * _TWIPS_PER_PT)))


def set_first_line_indent_chars(target: PPrTarget, chars: float, char_pt: float) -> None:
    """Indent the first line by whole characters.

    Word prefers ``firstLineChars``; LibreOffice reads only ``firstLine`` (twips): write both.
    """
    _set_indent(_ppr(target), "firstLine", chars, char_pt)


def set_side_indent_chars(target: PPrTarget, side: str, chars: float, char_pt: float) -> None:
    """Indent the ``left`` or ``right`` edge by characters, in both units like the first line."""
    _set_indent(_ppr(target), side, chars, char_pt)


def _set_indent(ppr: CT_PPr, attr: str, chars: float, char_pt: float) -> None:
    ind = ppr.get_or_add_ind()
    ind.set(qn(f"w:{attr}Chars"), str(round(chars * _CHARS_UNIT)))
    ind.set(qn(f"w:{attr}"), str(round(chars * char_pt * _TWIPS_PER_PT)))


def set_outline_level(target: PPrTarget, level: int) -> None:
    """Outline level 0 = 标题 1: Word's navigation pane and tables of contents read it."""
    _ppr(target).get_or_add_outlineLvl().set(qn("w:val"), str(level))


def reset_style(style: ParagraphStyle | CharacterStyle) -> None:
    """Strip a built-in style of python-docx's template look (blue, borders, spacing, link).

    The linked "… Char" style carries the same theme fonts and colours, so it goes too.
    """
    element = style.element
    for tag in ("w:pPr", "w:rPr"):
        for child in element.findall(qn(tag)):
            element.remove(child)
    link = element.find(qn("w:link"))
    if link is not None:
        linked = element.getparent().get_by_id(link.get(qn("w:val")))
        if linked is not None:
            linked.delete()
        element.remove(link)


def remove_theme_fonts(styles_root: BaseOxmlElement) -> None:
    """Drop theme-font references everywhere in styles.xml: a theme font beats a named one."""
    for rfonts in styles_root.iter(qn("w:rFonts")):
        for attr in _THEME_FONT_ATTRS:
            rfonts.attrib.pop(qn(attr), None)
        if not rfonts.attrib:
            rfonts.getparent().remove(rfonts)


def doc_defaults(styles_root: BaseOxmlElement) -> tuple[CT_RPr, CT_PPr]:
    """The w:rPr and w:pPr of w:docDefaults, created if the template lacks them."""
    defaults = styles_root.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles_root.insert(0, defaults)
    rpr_default = _child_or_new(defaults, "w:rPrDefault", 0)
    ppr_default = _child_or_new(defaults, "w:pPrDefault", 1)
    return _child_or_new(rpr_default, "w:rPr", 0), _child_or_new(ppr_default, "w:pPr", 0)


def _child_or_new(parent: BaseOxmlElement, tag: str, index: int) -> BaseOxmlElement:
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.insert(index, child)
    return child


def clear_paragraph_properties(ppr: CT_PPr) -> None:
    """Empty a pPr (the template's docDefaults say 1.15 lines and 10 pt after)."""
    for child in list(ppr):
        ppr.remove(child)


def set_theme_font_lang(settings: Settings, tag: str) -> None:
    """Theme fallback language: python-docx's template says ja-JP, which draws MS Mincho."""
    root = settings.element
    lang = root.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        root.insert_element_before(lang, *_THEME_FONT_LANG_SUCCESSORS)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)


def enable_even_and_odd_headers(settings: Settings) -> None:
    """Let even pages use their own footer (page number on the left)."""
    settings.element.get_or_add_evenAndOddHeaders().set(qn("w:val"), "1")


def drop_styles_with_effects(document: Document) -> None:
    """Remove Word 2010's stale copy of the styles, which would contradict styles.xml."""
    rels = document.part.rels
    for rid, rel in list(rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            document.part.drop_rel(rid)


def add_page_number_field(paragraph: Paragraph, fmt: str, font: str, size_pt: float) -> None:
    """Write ``fmt`` with ``{n}`` as a PAGE field, every run in the page-number font.

    Word draws a field's result in the format of its ``fldChar begin`` run, so that run and
    all the others carry the font and size directly.
    """
    before, after = fmt.split("{n}", 1)
    runs = [
        _text_run(before),
        _field_char_run("begin"),
        _instr_run(" PAGE "),
        _field_char_run("separate"),
        _text_run("1"),
        _field_char_run("end"),
        _text_run(after),
    ]
    for r in runs:
        if r is None:
            continue
        paragraph._p.append(r)
        run = Run(r, paragraph)
        set_east_asian_font(run, font)
        set_font_size(run, size_pt)


def _text_run(text: str) -> BaseOxmlElement | None:
    if not text:
        return None
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    t.set(_XML_SPACE, "preserve")
    r.append(t)
    return r


def _field_char_run(kind: str) -> BaseOxmlElement:
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:fldChar", attrs={qn("w:fldCharType"): kind}))
    return r


def _instr_run(instruction: str) -> BaseOxmlElement:
    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.text = instruction
    instr.set(_XML_SPACE, "preserve")
    r.append(instr)
    return r


def paragraph_adder(document: Document) -> Callable[[str | None], Paragraph]:
    """A function appending a paragraph with a style id, the XML ``add_paragraph(style=…)``
    writes, without its two scans per paragraph: of the body for where the section
    properties start (quadratic in paragraphs) and of the styles for the name."""
    body = document.element.body
    end = body.sectPr
    parent = document._body  # what Document.add_paragraph gives its paragraphs as parent

    def add(style_id: str | None) -> Paragraph:
        p = OxmlElement("w:p")
        if end is not None:
            end.addprevious(p)
        else:
            body.append(p)
        p.style = style_id  # None (the default style) still writes an empty w:pPr, as there
        return Paragraph(p, parent)

    return add


def add_run(paragraph: Paragraph, text: str, style: tuple[str | None] | None) -> Run:
    """``paragraph.add_run(text, style=…)`` with the style's id already looked up: ``style``
    is None for no style, else the 1-tuple of its id (None for the default style)."""
    run = paragraph.add_run(text)
    if style is not None:
        run._r.style = style[0]
    return run


def set_table_width(table: Table, twips: int) -> None:
    """A table as wide as the text block (w:tblW in twentieths of a point)."""
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:w"), str(twips))
    width.set(qn("w:type"), "dxa")


def repeat_header_row(row: _Row) -> None:
    """Word repeats the row at the top of every page the table runs onto (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
