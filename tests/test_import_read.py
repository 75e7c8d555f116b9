"""import, the reading half: an office's file → the outline it was typed in (shapes A–D)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

import office_docs as od
from annual_report.importer import read, tree

SHAPES = {"A": od.seed_lines(), "B": od.SHAPE_B, "C": od.SHAPE_C, "D": od.SHAPE_D}


def outline(lines: list[od.Line], path: Path) -> tree.Document:
    maker = od.docx if path.suffix == ".docx" else od.txt
    return tree.outline(read.read(maker(lines, path)))


def texts(document: tree.Document) -> list[str]:
    """The document's paragraphs back as text, numbering typed again from the positions."""
    out = ["".join(document.title_lines)]
    out += [p.lead + p.body for p in document.preamble]
    for n, part in enumerate(document.parts, start=1):
        out.append(f"{tree.chinese_numeral(n)}、{part.title}")
        out += _node_texts(part.children, [0, 0, 0, 0, 0])
    out += [p.lead + p.body for p in document.closing]
    out += [x for x in (document.signature, document.date) if x]
    return out


def _node_texts(nodes: list[tree.Node], counts: list[int]) -> list[str]:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, tree.Heading):
            counts[node.level] += 1
            for deeper in range(node.level + 1, 5):
                counts[deeper] = 0
            n = counts[node.level]
            marker = {2: f"（{tree.chinese_numeral(n)}）", 3: f"{n}.", 4: f"（{n}）"}[node.level]
            out.append(marker + node.title + node.body)
            out += _node_texts(node.children, counts)
        elif isinstance(node, tree.TableNode):
            out += [node.caption] if node.caption else []
            out += ["|".join(row) for row in node.rows]
        else:
            out.append(node.lead + node.body)
    return out


@pytest.mark.parametrize("kind", ["docx", "txt"])
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_paragraph_comes_back_in_its_place(shape: str, kind: str, tmp_path: Path) -> None:
    lines = SHAPES[shape]
    document = outline(lines, tmp_path / f"{shape}.{kind}")
    expected = [text.replace("(二)", "（二）") for text in od.paragraphs(lines)]
    assert texts(document) == expected
    assert document.notes == []


def test_seed_structure(tmp_path: Path) -> None:
    document = outline(SHAPES["A"], tmp_path / "seed.docx")
    summary, plans = document.parts
    assert [p.title for p in document.parts] == ["2022年工作总结", "2023年工作安排"]
    sections = [n for n in summary.children if isinstance(n, tree.Heading)]
    assert [h.level for h in sections] == [2, 2, 2, 2]
    assert not any(h.runin for h in sections)
    assert sections[0].title == "谋定快动，坚定不移擘画区域发展“大蓝图”"
    first = sections[0].children
    assert isinstance(first[0], tree.Paragraph) and first[0].lead == ""  # the intro
    assert isinstance(first[1], tree.Paragraph) and first[1].lead == "产业结构布局持续优化。"
    assert all(isinstance(h, tree.Heading) and h.runin for h in plans.children)
    assert plans.children[0].title == "继续做好疫情常态化防控工作。"  # type: ignore[union-attr]
    assert document.closing[0].body.startswith("2023年，*街道将")


def test_shape_d_levels_and_signature(tmp_path: Path) -> None:
    document = outline(SHAPES["D"], tmp_path / "d.docx")
    assert [p.title for p in document.parts][1] == "存在的问题和不足"
    plans = document.parts[2].children
    first = plans[0]
    assert isinstance(first, tree.Heading) and (first.level, first.runin) == (2, False)
    item = first.children[0]
    assert isinstance(item, tree.Heading)
    assert (item.level, item.title, item.body) == (3, "抓好理论学习。", "全年组织集中学习24次。")
    deeper = item.children[0]
    assert isinstance(deeper, tree.Heading) and (deeper.level, deeper.title) == (4, "细分事项。")
    assert (document.signature, document.date) == ("*街道办事处", "2023年1月10日")
    assert len(document.closing) == 2


def test_shape_c_table_and_half_width_heading(tmp_path: Path) -> None:
    document = outline(SHAPES["C"], tmp_path / "c.docx")
    nodes = list(tree.walk(document.parts[0].children))
    tables = [n for n in nodes if isinstance(n, tree.TableNode)]
    assert tables[0].caption == "2023年主要指标"
    assert tables[0].rows[2] == ("一般公共预算收入", "亿元", "1.6", "-3.5%")
    headings = [n.title for n in nodes if isinstance(n, tree.Heading)]
    assert headings[1] == "坚持民生优先，群众获得感持续增强。"  # typed as (二)


def test_heading_styles_and_auto_numbered_title(tmp_path: Path) -> None:
    """A file that uses Word's heading styles: the style gives the level, the marker may be
    missing, the title may be two centred lines."""
    document = Document()
    document.add_paragraph("*街道2022年工作总结", style="Title")
    document.add_paragraph("和2023年工作计划", style="Title")
    document.add_paragraph("开篇。")
    document.add_paragraph("2022年工作总结", style="Heading 1")
    document.add_paragraph("经济发展", style="Heading 2")
    document.add_paragraph("正文一段。")
    path = tmp_path / "styled.docx"
    document.save(str(path))
    found = tree.outline(read.read(path))
    assert found.title_lines == ["*街道2022年工作总结", "和2023年工作计划"]
    assert found.parts[0].title == "2022年工作总结"
    heading = found.parts[0].children[0]
    assert isinstance(heading, tree.Heading) and heading.title == "经济发展"
    assert heading.children == [tree.Paragraph(6, "正文一段。")]


def test_invisible_characters_removed_and_said(tmp_path: Path) -> None:
    lines: list[od.Line] = [
        ("title", "*街道2022年工作总结"),
        ("p", "开篇\u200b段\u00ad落。"),
        ("h1", "一、2022年工作\u200f总结"),
        ("lead", "\ufeff主旨句。", "正文。"),
    ]
    for suffix in ("docx", "txt"):
        document = outline(lines, tmp_path / f"x.{suffix}")
        assert document.preamble[0].body == "开篇段落。"
        assert document.parts[0].title == "2022年工作总结"
        assert [n.where for n in document.notes] == [
            f"第 2 {'段' if suffix == 'docx' else '行'}",
            f"第 3 {'段' if suffix == 'docx' else '行'}",
            f"第 4 {'段' if suffix == 'docx' else '行'}",
        ]
        assert "零宽空格" in document.notes[0].message


def test_unplaceable_kept_with_a_note(tmp_path: Path) -> None:
    lines: list[od.Line] = [
        ("title", "标题"),
        ("h2", "（一）没有一、的标题"),
        ("h1", "一、2022年工作总结"),
        ("p", "正文。"),
    ]
    document = outline(lines, tmp_path / "x.docx")
    assert document.preamble[0].body == "（一）没有一、的标题"
    assert "第 2 段" in str(document.notes[0])


def test_wrong_typed_number_is_said(tmp_path: Path) -> None:
    lines: list[od.Line] = [
        ("title", "标题"),
        ("h1", "一、总结"),
        ("h2", "（三）第二节"),
        ("p", "正文。"),
    ]
    document = outline(lines, tmp_path / "x.txt")
    assert "（三）" in document.notes[0].message and "一" in document.notes[0].message


def test_gb18030_text(tmp_path: Path) -> None:
    document = outline(SHAPES["B"], tmp_path / "b.txt")
    path = od.txt(SHAPES["B"], tmp_path / "gbk.txt", encoding="gb18030")
    assert texts(tree.outline(read.read(path))) == texts(document)


def test_markdown_bold_lead_and_table(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text(
        "# 标题\n\n## 一、2022年工作总结\n\n**主旨句。**正文。\n\n"
        "| 指标 | 值 |\n|---|---|\n| 甲 | 1 |\n",
        encoding="utf-8",
    )
    document = tree.outline(read.read(path))
    lead, table = document.parts[0].children
    assert lead == tree.Paragraph(5, "正文。", "主旨句。")
    assert isinstance(table, tree.TableNode) and table.rows == (("指标", "值"), ("甲", "1"))


@pytest.mark.parametrize("name", ["x.pdf", "missing.docx"])
def test_unreadable_files_refused(name: str, tmp_path: Path) -> None:
    if name.endswith(".pdf"):
        (tmp_path / name).write_bytes(b"%PDF")
    with pytest.raises(read.SourceError):
        read.read(tmp_path / name)


def test_broken_docx_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(read.SourceError, match="docx"):
        read.read(path)


def test_doc_without_libreoffice_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(read.SourceError, match="apt-get install libreoffice"):
        read.read(path)


def test_doc_through_libreoffice(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is installed in CI (.ci/run)")
        pytest.skip("LibreOffice (soffice) not installed")
    source = od.docx(SHAPES["D"], tmp_path / "d.docx")
    out = tmp_path / "doc"
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
         "--convert-to", "doc", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    document = tree.outline(read.read(out / "d.doc"))
    assert texts(document) == od.paragraphs(SHAPES["D"])


def _word_numbering(document: object, number_id: str, fmt: str, text: str) -> None:
    """A numbering definition as Word writes one for a numbered heading list."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    numbering.append(
        parse_xml(
            f'<w:abstractNum {w} w:abstractNumId="9{number_id}"><w:lvl w:ilvl="0">'
            f'<w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            "</w:lvl></w:abstractNum>"
        )
    )
    numbering.append(
        parse_xml(
            f'<w:num {w} w:numId="{number_id}"><w:abstractNumId w:val="9{number_id}"/></w:num>'
        )
    )


def _numbered(paragraph: object, number_id: str) -> None:
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    ppr.append(
        parse_xml(f'<w:numPr {w}><w:ilvl w:val="0"/><w:numId w:val="{number_id}"/></w:numPr>')
    )


def test_numbering_drawn_by_word_gives_the_level(tmp_path: Path) -> None:
    """一、 and （一） drawn by Word's numbering (not typed) are parts and headings too."""
    document = Document()
    _word_numbering(document, "41", "chineseCounting", "%1、")
    _word_numbering(document, "42", "chineseCounting", "（%1）")
    _word_numbering(document, "43", "decimal", "%1.")
    document.add_paragraph("*街道2022年工作总结")
    document.add_paragraph("开篇。")
    _numbered(document.add_paragraph("2022年工作总结"), "41")
    _numbered(document.add_paragraph("经济发展"), "42")
    _numbered(document.add_paragraph("招商引资。正文。"), "43")
    path = tmp_path / "listed.docx"
    document.save(str(path))
    found = tree.outline(read.read(path))
    assert [p.title for p in found.parts] == ["2022年工作总结"]
    section = found.parts[0].children[0]
    assert isinstance(section, tree.Heading) and (section.level, section.title) == (2, "经济发展")
    item = section.children[0]
    assert isinstance(item, tree.Heading) and (item.level, item.title, item.body) == (
        3,
        "招商引资。",
        "正文。",
    )


def test_text_in_a_hyperlink_or_a_tracked_insertion_is_kept(tmp_path: Path) -> None:
    """python-docx's runs leave out a hyperlink's and a tracked change's: their words must not
    be lost; a tracked deletion's are not the text."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = Document()
    document.add_paragraph("标题")
    document.add_paragraph("一、2022年工作总结")
    paragraph = document.add_paragraph("详见")
    for xml in (
        f"<w:hyperlink {w}><w:r><w:t>区政府网站</w:t></w:r></w:hyperlink>",
        f'<w:ins {w} w:id="1" w:author="a"><w:r><w:t>，新增</w:t></w:r></w:ins>',
        f'<w:del {w} w:id="2" w:author="a"><w:r><w:delText>删去</w:delText></w:r></w:del>',
        f"<w:r {w}><w:t>。</w:t></w:r>",
    ):
        paragraph._p.append(parse_xml(xml))
    path = tmp_path / "linked.docx"
    document.save(str(path))
    found = tree.outline(read.read(path))
    assert found.parts[0].children == [tree.Paragraph(3, "详见区政府网站，新增。")]
