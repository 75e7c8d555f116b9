"""Summaries typed the way an office types them, for the import tests.

Each document is a list of lines in a small notation (``("h2", "（一）…")``) written two ways:
``docx`` types it in Word's Normal style with direct formatting only (a centred big title, 黑体
一、 lines, 楷体 （一） runs, bold leads and run-in 1. headings, right-aligned signature and date,
real tables, stray empty paragraphs and a manual line break), ``txt`` pastes it into a text file.
The shapes are those of shapes.md (A: the seed; B, C, D: made-up text of this file).
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

SEED = Path(__file__).resolve().parent / "fixtures" / "seed_2022.txt"

Line = tuple[str, ...]

SHAPE_B: list[Line] = [
    ("title", "*街道2022年工作总结及2023年工作思路"),
    ("empty",),
    ("p", "2022年，*街道在区委、区政府领导下，统筹发展和安全，各项工作取得新成效。现总结如下。"),
    ("h1", "一、2022年工作成效"),
    (
        "h3",
        "1.全力做好安全生产。",
        "全年开展安全检查320次，整改隐患1260处，辖区未发生较大安全事故。",
    ),
    ("empty",),
    (
        "h3",
        "2.持续优化营商环境。",
        "新增市场主体4600余户，协调解决企业诉求85件，办结率100%。",
    ),
    ("h1", "二、2023年工作思路"),
    ("h3", "1.抓招商，强产业。", "力争引进亿元以上项目5个，新增规上企业12家。"),
    ("h3", "2.抓治理，优服务。", "推进网格化治理，打造示范小区20个。"),
    ("p", "2023年，*街道将坚定信心、真抓实干，奋力开创各项工作新局面。"),
]

SHAPE_C: list[Line] = [
    ("title", "*街道2023年工作总结和2024年工作思路"),
    ("p", "2023年，*街道坚持稳中求进工作总基调，经济社会发展稳中有进。"),
    ("h1", "一、2023年工作回顾"),
    (
        "p",
        "全年实现地区生产总值48.6亿元，同比增长4.2%，一般公共预算收入1.6亿元，同比-3.5%。",
    ),
    ("h2", "（一）坚持“稳增长、调结构”，经济运行稳中有进。"),
    ("lead", "盯紧指标。", "固定资产投资完成12.8亿元，新增入库项目16个。"),
    ("lead", "服务企业。", "走访企业310家，帮助企业融资2.3亿元。"),
    ("h2", "(二)坚持民生优先，群众获得感持续增强。"),
    ("lead", "兜牢底线。", "发放救助金860万元，新增就业岗位2600个。"),
    ("p", "2023年主要指标"),
    (
        "table",
        "指标|单位|2023年|同比",
        "地区生产总值|亿元|48.6|4.2%",
        "一般公共预算收入|亿元|1.6|-3.5%",
    ),
    ("h1", "二、2024年工作思路"),
    ("h2runin", "（一）聚焦产业升级，夯实发展基础。", "全年力争招引项目30个，投资额突破50亿元。"),
    ("h2runin", "（二）聚焦民生福祉，提升幸福指数。", "新建社区食堂6个，改造老旧小区18个。"),
    ("right", "*街道办事处"),
    ("right", "2024年1月12日"),
]

SHAPE_D: list[Line] = [
    ("title", "*街道2022年工作总结和2023年工作计划"),
    ("p", "2022年，*街道各项工作稳步推进，现将主要工作汇报如下。"),
    ("h1", "一、2022年主要工作成效"),
    (
        "h2runin",
        "（一）基层党建扎实推进。",
        "一是开展主题党日活动120余场；二是发展党员23名。",
    ),
    ("p", "全年培训党员干部1500人次，党员队伍活力不断增强。"),
    ("h2runin", "（二）城市管理持续提升。", "拆除违法建设3.2万平方米，新增绿地1.5万平方米。"),
    ("break", "背街小巷整治56条。", "垃圾分类覆盖率达98%以上。"),
    ("h1", "二、存在的问题和不足"),
    ("p", "一是经济增长后劲不足；二是民生短板依然存在；三是干部队伍能力有待提升。"),
    ("h1", "三、2023年工作计划"),
    ("h2", "（一）强化党建引领"),
    ("h3", "1.抓好理论学习。", "全年组织集中学习24次。"),
    ("h4", "（1）细分事项。", "每个支部开展专题研讨4次。"),
    ("h3", "2.抓好队伍建设。", "选派30名年轻干部到社区一线锻炼。"),
    ("h2", "（二）推动经济发展"),
    ("p", "全力以赴稳增长，确保固定资产投资增长8%。"),
    ("p", "2023年，*街道将以更加昂扬的斗志，推动各项工作再上新台阶。"),
    ("p", "新的一年，我们将砥砺前行，奋力谱写高质量发展新篇章。"),
    ("right", "*街道办事处"),
    ("right", "2023年1月10日"),
]

_LEAD = re.compile(r"^[^。！？]{2,16}[。！？]")
_H2 = re.compile(r"^（[一二三四五六七八九十]+）")


def seed_lines() -> list[Line]:
    """The seed in this notation: a first sentence of at most 16 characters in part 一 is the
    lead sentence the office set in bold; part 二's （一） lines are run-in headings; an empty
    paragraph under the title and before each part, and a Shift+Enter ending the preamble, as
    offices leave them."""
    lines: list[Line] = []
    part = 0
    texts = [t for t in SEED.read_text("utf-8").splitlines() if t.strip()]
    lines.append(("title", texts[0]))
    lines.append(("empty",))  # the blank line under the title, typed as an empty paragraph
    for text in texts[1:]:
        if re.match(r"^[一二三四五六七八九十]+、", text):
            part += 1
            lines += [("empty",), ("h1", text)]  # a stray empty paragraph before each part
        elif _H2.match(text) and part == 2:
            end = text.index("。") + 1
            lines.append(("h2runin", text[:end], text[end:]))
        elif _H2.match(text):
            lines.append(("h2", text))
        elif part == 1 and (lead := _LEAD.match(text)):
            lines.append(("lead", lead.group(), text[lead.end() :]))
        elif len(lines) == 2:  # the preamble ends with a stray Shift+Enter
            lines.append(("p_br", text))
        else:
            lines.append(("p", text))
    return lines


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    font: str = "仿宋_GB2312",
    bold: bool = False,
    size: float = 16,
) -> None:
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.font.size = Pt(size)
    run.font.name = "Times New Roman"
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def docx(lines: list[Line], path: Path) -> Path:
    """Typed in Normal with direct formatting, as an office does."""
    document = Document()
    for kind, *texts in lines:
        if kind == "table":
            rows = [cells.split("|") for cells in texts]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row, cells in zip(table.rows, rows, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    _run(cell.paragraphs[0], text, size=12)
            continue
        paragraph = document.add_paragraph()
        if kind == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(paragraph, texts[0], font="方正小标宋简体", size=22)
        elif kind == "h1":
            _run(paragraph, texts[0], font="黑体")
        elif kind == "h2":
            _run(paragraph, texts[0], font="楷体_GB2312")
        elif kind == "h2runin":
            _run(paragraph, texts[0], font="楷体_GB2312")
            _run(paragraph, texts[1])
        elif kind in ("h3", "h4", "lead"):
            _run(paragraph, texts[0], bold=True)
            _run(paragraph, texts[1])
        elif kind == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(paragraph, texts[0])
        elif kind == "break":  # Shift+Enter between two sentences
            _run(paragraph, "　　" + texts[0])
            paragraph.runs[-1].add_break(WD_BREAK.LINE)
            _run(paragraph, texts[1])
        elif kind in ("p", "p_br"):
            _run(paragraph, "　　" + texts[0])  # the indent typed as two full-width spaces
            if kind == "p_br":
                paragraph.runs[-1].add_break(WD_BREAK.LINE)
    document.save(str(path))
    return path


def txt(lines: list[Line], path: Path, encoding: str = "utf-8") -> Path:
    """Pasted into a text file: one paragraph a line, a table's cells split by tabs."""
    out: list[str] = []
    for kind, *texts in lines:
        if kind == "table":
            out.extend("\t".join(cells.split("|")) for cells in texts)
        elif kind == "empty":
            out.append("")
        elif kind == "break":
            out.extend(texts)
        else:
            out.append("".join(texts))
    path.write_text("\n".join(out) + "\n", encoding=encoding)
    return path


def paragraphs(lines: list[Line]) -> list[str]:
    """The document's paragraphs as a reader sees them (numbering included)."""
    out: list[str] = []
    for kind, *texts in lines:
        if kind == "table" or kind == "break":
            out.extend(texts)
        elif kind != "empty":
            out.append("".join(texts))
    return out
