"""The layout stage read back from the .docx it writes: what Word will see, element by element."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree
from openxml_audit import OpenXmlValidator

from annual_report.blocks import Block, Run
from annual_report.layout import Profile, ProfileError, build_document, load_profile
from layout_helpers import PROFILE, build_seed_docx, seed_blocks, seed_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile(PROFILE)


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_seed_docx(tmp_path_factory.mktemp("layout") / "seed.docx")


def _part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def _style(styles: etree._Element, style_id: str) -> etree._Element:
    found = styles.find(f"{W}style[@{W}styleId='{style_id}']")
    assert found is not None, style_id
    return found


def _attr(element: etree._Element, path: str, name: str) -> str | None:
    child = element.find(path)
    return None if child is None else child.get(f"{W}{name}")


def _font_and_half_points(rpr_owner: etree._Element) -> tuple[str | None, str | None]:
    return (
        _attr(rpr_owner, f"{W}rPr/{W}rFonts", "eastAsia"),
        _attr(rpr_owner, f"{W}rPr/{W}sz", "val"),
    )


def test_page_size_and_margins(seed_docx: Path) -> None:
    sect = _part(seed_docx, "word/document.xml").find(f"{W}body/{W}sectPr")
    assert _attr(sect, f"{W}pgSz", "w") == "11906"  # 210 mm
    assert _attr(sect, f"{W}pgSz", "h") == "16838"  # 297 mm
    margins = {k: _attr(sect, f"{W}pgMar", k) for k in ("top", "bottom", "left", "right")}
    assert margins == {"top": "2098", "bottom": "1984", "left": "1587", "right": "1474"}
    # 35 mm − 7 mm − one 14 pt line: the page-number line starts 7 mm below the text block.
    assert _attr(sect, f"{W}pgMar", "footer") == "1307"


def test_sect_pr_children_in_schema_order(seed_docx: Path) -> None:
    sect = _part(seed_docx, "word/document.xml").find(f"{W}body/{W}sectPr")
    tags = [etree.QName(child).localname for child in sect]
    order = ["footerReference", "pgSz", "pgMar", "cols", "docGrid"]
    assert [t for t in tags if t in order] == sorted(
        (t for t in tags if t in order), key=order.index
    )


@pytest.mark.parametrize(
    ("style_id", "font", "half_points"),
    [
        ("Title", "方正小标宋简体", "44"),
        ("Normal", "仿宋_GB2312", "32"),
        ("Heading1", "黑体", "32"),
        ("Heading2", "楷体_GB2312", "32"),
        ("Footer", "宋体", "28"),
    ],
)
def test_paragraph_style_fonts(seed_docx: Path, style_id: str, font: str, half_points: str) -> None:
    style = _style(_part(seed_docx, "word/styles.xml"), style_id)
    assert _font_and_half_points(style) == (font, half_points)
    rfonts = style.find(f"{W}rPr/{W}rFonts")
    assert {rfonts.get(f"{W}{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {font}
    assert rfonts.get(f"{W}hint") == "eastAsia"


def test_heading_styles_are_plain_outline_levels(seed_docx: Path) -> None:
    styles = _part(seed_docx, "word/styles.xml")
    for style_id, level in (("Heading1", "0"), ("Heading2", "1")):
        style = _style(styles, style_id)
        assert _attr(style, f"{W}pPr/{W}outlineLvl", "val") == level
        assert style.find(f"{W}rPr/{W}color") is None
        assert _attr(style, f"{W}rPr/{W}b", "val") in ("0", "false")
        assert style.find(f"{W}pPr/{W}keepNext") is None


def test_run_styles(seed_docx: Path, profile: Profile) -> None:
    document = docx.Document(str(seed_docx))
    lead = document.styles[profile.runs.lead.style_name]
    runin = document.styles[profile.runs.runin.style_name]
    assert lead.font.bold is True
    assert runin.element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    roles = {
        run.style.name: run.text
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.style.name != "Default Paragraph Font"
    }
    assert roles[lead.name].endswith("。")
    assert roles[runin.name].startswith("（")


def test_line_spacing_indents_and_widow_control(seed_docx: Path) -> None:
    styles = _part(seed_docx, "word/styles.xml")
    for style_id in ("Normal", "Title", "Heading1", "Heading2"):
        ppr = _style(styles, style_id).find(f"{W}pPr")
        spacing = ppr.find(f"{W}spacing")
        assert spacing.get(f"{W}line") == "579"
        assert spacing.get(f"{W}lineRule") == "exact"
        assert (spacing.get(f"{W}before"), spacing.get(f"{W}after")) == ("0", "0")
        assert _attr(ppr, f"{W}widowControl", "val") == "0"
    body = _style(styles, "Normal").find(f"{W}pPr")
    assert _attr(body, f"{W}ind", "firstLineChars") == "200"
    assert _attr(body, f"{W}ind", "firstLine") == "640"
    assert _attr(body, f"{W}jc", "val") == "both"
    assert _attr(_style(styles, "Title"), f"{W}pPr/{W}jc", "val") == "center"
    assert _attr(_style(styles, "Normal"), f"{W}rPr/{W}spacing", "val") == "-6"


def test_doc_defaults_and_language(seed_docx: Path) -> None:
    styles = _part(seed_docx, "word/styles.xml")
    rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert _attr(rpr, f"{W}lang", "eastAsia") == "zh-CN"
    assert _attr(rpr, f"{W}lang", "val") == "en-US"
    assert _attr(rpr, f"{W}rFonts", "eastAsia") == "仿宋_GB2312"
    settings = _part(seed_docx, "word/settings.xml")
    assert _attr(settings, f"{W}themeFontLang", "eastAsia") == "zh-CN"
    assert docx.Document(str(seed_docx)).core_properties.language == "zh-CN"


def test_no_theme_fonts_anywhere(seed_docx: Path) -> None:
    styles = _part(seed_docx, "word/styles.xml")
    themed = [
        rfonts
        for rfonts in styles.iter(f"{W}rFonts")
        if any(k.endswith("Theme") or k.endswith("theme") for k in rfonts.attrib)
    ]
    assert themed == []


def test_no_styles_with_effects_part(seed_docx: Path) -> None:
    with zipfile.ZipFile(seed_docx) as package:
        names = package.namelist()
        content_types = package.read("[Content_Types].xml").decode()
    assert "word/stylesWithEffects.xml" not in names
    assert "stylesWithEffects" not in content_types


def test_page_number_fields(seed_docx: Path) -> None:
    document = docx.Document(str(seed_docx))
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer is True
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        p = paragraph._p
        assert "PAGE" in "".join(t.text for t in p.iter(qn("w:instrText")))
        assert paragraph.text == "— 1 —"
        assert p.pPr.jc.get(qn("w:val")) == align
        assert p.pPr.ind.get(qn(f"w:{align}Chars")) == "100"
        for r in p.iter(qn("w:r")):
            assert r.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
            assert r.rPr.sz.get(qn("w:val")) == "28"


def test_core_properties(seed_docx: Path) -> None:
    props = docx.Document(str(seed_docx)).core_properties
    assert props.title == seed_lines()[0]
    assert props.author == "*街道办事处"


def test_paragraph_texts_equal_the_seed(seed_docx: Path) -> None:
    texts = [p.text for p in docx.Document(str(seed_docx)).paragraphs if p.text]
    assert texts == seed_lines()


def test_paragraph_styles_follow_the_blocks(seed_docx: Path) -> None:
    names = [p.style.name for p in docx.Document(str(seed_docx)).paragraphs]
    assert names[:5] == ["Title", "Normal", "Normal", "Heading 1", "Heading 2"]
    assert len(names) == len(seed_blocks())


def test_openxml_audit_finds_nothing(seed_docx: Path) -> None:
    result = OpenXmlValidator().validate(str(seed_docx))
    assert [str(error) for error in result.errors] == []
    assert result.is_valid


def test_signature_and_date(tmp_path: Path, profile: Profile) -> None:
    blocks = [
        *seed_blocks(),
        Block("signature", (Run("某街道办事处"),)),
        Block("date", (Run("2023年1月6日"),)),
    ]
    path = tmp_path / "signed.docx"
    build_document(blocks, profile, title="t", author="a").save(str(path))
    signature, date = docx.Document(str(path)).paragraphs[-2:]
    assert (signature.style.name, date.style.name) == ("Signature", "Date")
    # The date (6 characters wide) is as long as the signature: the date keeps 2 characters
    # of right space and the signature moves left so the date starts 2 characters right of it.
    assert signature._p.pPr.ind.get(qn("w:rightChars")) == "400"
    assert date._p.pPr.ind.get(qn("w:rightChars")) == "200"
    assert OpenXmlValidator().validate(str(path)).errors == []


def test_bad_profile_names_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = PROFILE.read_text(encoding="utf-8")
    bad.write_text(text.replace("size: 三号", "size: 三十号", 1), encoding="utf-8")
    with pytest.raises(ProfileError) as raised:
        load_profile(bad)
    [problem] = raised.value.problems
    line = next(n for n, x in enumerate(text.splitlines(), 1) if "size: 三号" in x)
    assert (problem.file, problem.line, problem.path) == (str(bad), line, "elements.body.size")
    assert problem.column == text.splitlines()[line - 1].index("三") + 1
    assert problem.message.startswith("未知字号“三十号”")


def test_unknown_profile_key_is_refused_at_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "typo.yaml"
    text = PROFILE.read_text(encoding="utf-8")
    bad.write_text(text.replace("width_mm:", "widht_mm:"), encoding="utf-8")
    with pytest.raises(ProfileError) as raised:
        load_profile(bad)
    line = next(n for n, x in enumerate(text.splitlines(), 1) if "width_mm:" in x)
    assert f"{bad}:{line}:3: page.widht_mm: 不认识的字段，您是否想写 'width_mm'?" in str(
        raised.value
    )


@pytest.mark.parametrize(
    ("old", "new", "path", "words"),
    [
        ("width_mm: 210", 'width_mm: "210"', "page.width_mm", "应为数字"),
        ("width_mm: 210", "width_mm: -1", "page.width_mm", "必须大于"),
        ("bold: false", "bold: 0", "bold", "应为 true 或 false"),
        ("align: justify", "align: middle", "align", "只能是"),
        ("font: 黑体", "font: *黑体", "", "别名"),
    ],
)
def test_every_bad_profile_value_is_told_at_its_place(
    tmp_path: Path, old: str, new: str, path: str, words: str
) -> None:
    bad = tmp_path / "bad.yaml"
    text = PROFILE.read_text(encoding="utf-8")
    assert old in text
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), 1) if old in x)
    with pytest.raises(ProfileError) as raised:
        load_profile(bad)
    [problem] = raised.value.problems
    assert problem.line == line and problem.path.endswith(path) and words in problem.message


def test_a_profile_that_never_ends_is_refused() -> None:
    """/dev/zero is refused as a device before it is read (load.decode.read_text): never hangs."""
    with pytest.raises(ProfileError, match="设备文件"):
        load_profile("/dev/zero")


def test_build_with_a_bad_profile_prints_positioned_problems(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from annual_report.cli import app

    bad = tmp_path / "bad.yaml"
    text = PROFILE.read_text(encoding="utf-8")
    bad.write_text(text.replace("width_mm: 210", "width_mm: -1"), encoding="utf-8")
    data = Path(__file__).resolve().parent.parent / "data"
    target = tmp_path / "summary.docx"
    for profile in (bad, Path("/dev/zero")):
        result = CliRunner().invoke(
            app, ["build", "2022", "-d", str(data), "-o", str(target), "--profile", str(profile)]
        )
        assert result.exit_code == 1, result.output
        assert f"{profile}:" in result.output and "Traceback" not in result.output
        assert not target.exists()


def _profile_with(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    path = tmp_path / "profile.yaml"
    text = PROFILE.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(old: str) -> int:
    text = PROFILE.read_text(encoding="utf-8")
    return next(n for n, x in enumerate(text.splitlines(), 1) if old in x)


def test_a_page_number_below_the_bottom_margin_is_refused(tmp_path: Path) -> None:
    """35 mm − 7 mm − one 14 pt line was the footer distance: a bottom margin of 10 mm leaves
    no room for it (Word's footer distance would be negative)."""
    bad = _profile_with(tmp_path, ("margin_bottom_mm: 35", "margin_bottom_mm: 10"))
    with pytest.raises(ProfileError) as raised:
        load_profile(bad)
    [problem] = raised.value.problems
    assert (problem.code, problem.path) == ("footer_overlap", "page_number.below_text_mm")
    assert problem.line == _line_of("below_text_mm: 7")
    assert "7" in problem.message and "10" in problem.message


def test_a_page_number_that_just_fits_builds(tmp_path: Path) -> None:
    # 7 mm + 14 pt (4.94 mm) = 11.94 mm
    fits = _profile_with(tmp_path, ("margin_bottom_mm: 35", "margin_bottom_mm: 12"))
    document = build_document(seed_blocks()[:3], load_profile(fits), title="t", author="a")
    assert document.sections[0].footer_distance >= 0


@pytest.mark.parametrize(
    ("old", "new", "path", "code"),
    [
        ("三号: 16", "三号: 0", "font_sizes.三号", "greater_than"),
        ("三号: 16", "三号: 1639", "font_sizes.三号", "less_than_equal"),
        ("三号: 16", "三号: .inf", "font_sizes.三号", "number_form"),
        (
            "char_spacing_pt: -0.3",
            "char_spacing_pt: -1585",
            "grid.char_spacing_pt",
            "greater_than_equal",
        ),
        (
            "char_spacing_pt: -0.3",
            "char_spacing_pt: 1585",
            "grid.char_spacing_pt",
            "less_than_equal",
        ),
        (
            "char_spacing_pt: -0.3",
            "line_pitch_pt: 1585\n  char_spacing_pt: -0.3",
            "grid.line_pitch_pt",
            "less_than_equal",
        ),
        ("width_mm: 210", "width_mm: 559", "page.width_mm", "less_than_equal"),
        ("height_mm: 297", "height_mm: .nan", "page.height_mm", "number_form"),
        ("margin_top_mm: 37", "margin_top_mm: -1", "page.margin_top_mm", "greater_than_equal"),
        ("margin_top_mm: 37", "margin_top_mm: 148.5", "page.margin_top_mm", "less_than"),
        ("margin_left_mm: 28", "margin_left_mm: 105", "page.margin_left_mm", "less_than"),
        ("margin_right_mm: 26", "margin_right_mm: 300", "page.margin_right_mm", "less_than_equal"),
        ("indent_chars: 2", "indent_chars: 100", "elements.body.indent_chars", "less_than_equal"),
        (
            "side_space_chars: 1",
            "side_space_chars: 114",
            "page_number.side_space_chars",
            "less_than_equal",
        ),
        (
            "right_space_chars: 2",
            "right_space_chars: 99.5",
            "signature.right_space_chars",
            "less_than_equal",
        ),
        ("shift_chars: 2", "shift_chars: 1000", "date.shift_chars", "less_than_equal"),
        (
            "blank_lines_before: 1",
            "blank_lines_before: 55",
            "signature.blank_lines_before",
            "less_than_equal",
        ),
    ],
)
def test_numbers_word_would_repair_are_refused_at_their_place(
    tmp_path: Path, old: str, new: str, path: str, code: str
) -> None:
    """Word's own limits: 1638 pt type, ±1584 pt spacing and indents, 558.8 mm pages, and
    margins inside half the page; never a value Word 'repairs' or python-docx rejects."""
    with pytest.raises(ProfileError) as raised:
        load_profile(_profile_with(tmp_path, (old, new)))
    [problem] = raised.value.problems
    assert (problem.code, problem.path, problem.line) == (code, path, _line_of(old))


def test_a_profile_at_word_limits_still_builds_a_valid_document(tmp_path: Path) -> None:
    edge = _profile_with(
        tmp_path,
        ("三号: 16", "三号: 1638"),
        ("width_mm: 210", "width_mm: 558.8"),
        ("height_mm: 297", "height_mm: 558.8"),
        ("char_spacing_pt: -0.3", "char_spacing_pt: -1584"),
        ("chars_per_line: 28", "chars_per_line: 13"),  # 54 pt a character on a 719.45 pt line
        ("lines_per_page: 22", "lines_per_page: 1"),  # the largest pitch: the text block, 1379.9 pt
        ("margin_left_mm: 28", "margin_left_mm: 279"),
        *[("indent_chars: 2", "indent_chars: 0.96")] * 5,  # body, heading1, heading2, level3/4
        ("right_space_chars: 2", "right_space_chars: 0.5"),
        ("shift_chars: 2", "shift_chars: 0"),
    )
    path = tmp_path / "edge.docx"
    blocks = [*seed_blocks()[:3], Block("signature", (Run("某街道"),))]
    build_document(blocks, load_profile(edge), title="t", author="a").save(str(path))
    assert OpenXmlValidator().validate(str(path)).errors == []


@pytest.mark.parametrize(
    "name",
    ["Strong", "Footer", "Normal", "normal", "Heading 1", "Heading1", "heading 1", "TableNormal",
     "Light Grid Accent 1", "Default Paragraph Font", "Signature", "Date"],
)  # fmt: skip
def test_a_run_style_named_like_a_word_style_is_refused(tmp_path: Path, name: str) -> None:
    """python-docx would stop with 'document already contains style' (or write a second style
    with the same id, which Word repairs): refused at the name, with the name."""
    bad = _profile_with(tmp_path, ("style_name: 段内标题", f"style_name: {name}"))
    with pytest.raises(ProfileError) as raised:
        load_profile(bad)
    [problem] = raised.value.problems
    assert (problem.code, problem.path) == ("style_name_clash", "runs.runin.style_name")
    assert problem.line == _line_of("style_name: 段内标题") and name in problem.message


@pytest.mark.parametrize("name", ["段首主题句", "段首 主题句"])
def test_the_two_run_styles_need_two_names(tmp_path: Path, name: str) -> None:
    bad = _profile_with(tmp_path, ("style_name: 段内标题", f"style_name: {name}"))
    with pytest.raises(ProfileError) as raised:
        load_profile(bad)
    [problem] = raised.value.problems
    assert (problem.code, problem.path) == ("style_name_clash", "runs.runin.style_name")


def test_the_word_style_names_are_those_of_python_docx_default_template() -> None:
    """The list the profile checks against (kept in code: reading the template costs validate
    13 ms) is the template's, names and ids, plus the styles the layout adds itself."""
    from annual_report.layout.profile import WORD_STYLE_NAMES, style_key

    styles = docx.Document().styles
    template = {style_key(s.name) for s in styles} | {style_key(s.style_id) for s in styles}
    added = {style_key(name) for name in ("Signature", "Date")}
    assert {style_key(name) for name in WORD_STYLE_NAMES} == template | added


def test_a_run_style_with_a_new_name_builds(tmp_path: Path) -> None:
    fine = _profile_with(tmp_path, ("style_name: 段内标题", "style_name: Strong Run-in"))
    build_document(seed_blocks(), load_profile(fine), title="t", author="a")


def test_validate_checks_the_profile(tmp_path: Path) -> None:
    """validate loads the profile build would use (--profile, templates/ beside the data)."""
    from typer.testing import CliRunner

    from annual_report.cli import app

    data = Path(__file__).resolve().parent.parent / "data"
    bad = _profile_with(tmp_path, ("margin_bottom_mm: 35", "margin_bottom_mm: 10"))
    line = _line_of("below_text_mm: 7")
    result = CliRunner().invoke(app, ["validate", "2022", "-d", str(data), "--profile", str(bad)])
    assert result.exit_code == 1, result.output
    assert f"{bad}:{line}:" in result.output and "page_number.below_text_mm" in result.output
    folder = tmp_path / "templates"
    folder.mkdir()
    bad.rename(folder / "gbt9704.yaml")
    result = CliRunner().invoke(app, ["validate", "2022", "-d", str(data), "-t", str(folder)])
    assert result.exit_code == 1 and "gbt9704.yaml" in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("lines", "twips"), [(22, 579), (24, 531), (20, 637)])
def test_the_line_pitch_follows_lines_per_page(tmp_path: Path, lines: int, twips: int) -> None:
    """225 mm (12756 twips as written) ÷ lines a page, rounded down so they all fit: changing
    lines_per_page changes the lines, not nothing."""
    changed = _profile_with(tmp_path, ("lines_per_page: 22", f"lines_per_page: {lines}"))
    profile = load_profile(changed)
    assert profile.line_pitch_pt == twips / 20
    assert lines * profile.line_pitch_pt <= profile.text_height_pt
    path = tmp_path / "lines.docx"
    build_document(seed_blocks()[:3], profile, title="t", author="a").save(str(path))
    styles = _part(path, "word/styles.xml")
    for style_id in ("Normal", "Title", "Heading1", "Heading2"):
        spacing = _style(styles, style_id).find(f"{W}pPr").find(f"{W}spacing")
        assert spacing.get(f"{W}line") == str(twips)


@pytest.mark.parametrize("written", ["28.95", "28.951"])
def test_a_written_line_pitch_that_agrees_is_kept(tmp_path: Path, written: str) -> None:
    agrees = _profile_with(
        tmp_path, ("char_spacing_pt: -0.3", f"line_pitch_pt: {written}\n  char_spacing_pt: -0.3")
    )
    assert load_profile(agrees).line_pitch_pt == 28.95


@pytest.mark.parametrize(
    ("changes", "path", "line_of", "words"),
    [
        (
            [("char_spacing_pt: -0.3", "line_pitch_pt: 28.95\n  char_spacing_pt: -0.3"),
             ("lines_per_page: 22", "lines_per_page: 24")],
            "grid.line_pitch_pt",
            "char_spacing_pt: -0.3",
            ["26.55", "24", "line_pitch_pt"],
        ),
        (
            [("lines_per_page: 22", "lines_per_page: 20000")],
            "grid.lines_per_page",
            "lines_per_page: 22",
            ["20000", "637.8"],
        ),
        (
            [("char_spacing_pt: -0.3", "char_spacing_pt: -0.21")],  # written -0.2: 28 overflow
            "grid.char_spacing_pt",
            "char_spacing_pt: -0.3",
            ["char_spacing_pt", "-0.7 至 -0.25", "28"],
        ),
        (
            [("char_spacing_pt: -0.3", "char_spacing_pt: -0.75")],  # 29 would fit too
            "grid.char_spacing_pt",
            "char_spacing_pt: -0.3",
            ["-0.7 至 -0.25"],
        ),
        (
            [("chars_per_line: 28", "chars_per_line: 24")],  # 24 at -0.3 pt: 28 fit, not 24
            "grid.char_spacing_pt",
            "char_spacing_pt: -0.3",
            ["24", "1.7 至 2.4"],
        ),
        (
            [("margin_left_mm: 28", "margin_left_mm: 20")],  # a wider block: 29 fit
            "grid.char_spacing_pt",
            "char_spacing_pt: -0.3",
            ["464.9", "0.05 至 0.6"],
        ),
    ],
)  # fmt: skip
def test_a_grid_that_is_not_what_it_says_is_refused_at_its_line(
    tmp_path: Path, changes: list[tuple[str, str]], path: str, line_of: str, words: list[str]
) -> None:
    """lines_per_page and chars_per_line were read by nothing: now the line pitch follows from
    them, and the character spacing must give exactly chars_per_line characters a line."""
    with pytest.raises(ProfileError) as raised:
        load_profile(_profile_with(tmp_path, *changes))
    [problem] = raised.value.problems
    assert (problem.path, problem.line) == (path, _line_of(line_of))
    assert all(word in problem.message for word in words), problem.message
