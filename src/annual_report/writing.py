"""Checks on how a file is *written*, not what it means: the YAML traps that bite Chinese text
and the punctuation of 公文 prose.

They read the parser's record of each scalar (style, start and end) and the raw text, which the
models never see: a plain scalar wrapped over two lines validates fine and still puts a space in
the middle of a Chinese sentence.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from annual_report.blocks import XML_FORBIDDEN
from annual_report.errors import Problem
from annual_report.load.source import Loc, Scalar, Source
from annual_report.prose import masked

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2014\u2018-\u201d\u2026"
"""Ideographs plus the punctuation that lives among them (、。《》“”……——，：（） …)."""
IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
DOUBLED = re.compile(r"([。，、；：！？])\1+")
IDEOGRAPHS = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
STRAIGHT_QUOTE = re.compile(r'"')
EDGE_FULL_WIDTH_SPACE = re.compile(r"^\u3000+|(?<!\u3000)\u3000++$")
"""Each blank pattern is tried once per run of blanks, at its start, and takes the run whole
(possessive): a run of 80,000 spaces costs 80,000 steps, not 80,000² (43 s)."""
PAIRS = {"“": "”", "（": "）", "《": "》"}
CONTROL_IN_VALUE = re.compile(rf"[{XML_FORBIDDEN}\r]")
"""What a value may not hold once YAML escapes are read (``"\\uFFFF"``, ``"\\x0b"``): every
character XML 1.0 forbids, lone surrogates included, and CR (a line break Word would keep)."""

INVISIBLE = re.compile(
    "[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069"
    "\ufeff\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff]"
)
INVISIBLE_NAMES = {
    "\u00ad": "软连字符",
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u2028": "行分隔符",
    "\u2029": "段分隔符",
    "\u2060": "零宽不换行空格",
    "\ufeff": "字节顺序标记 BOM",
    "\ufffd": "替换字符，多为乱码",
}
INVISIBLE_RANGES = (
    ("\u061c", "\u061c", "文字方向控制符"),
    ("\u200e", "\u200f", "文字方向控制符"),
    ("\u202a", "\u202e", "文字方向控制符"),
    ("\u2066", "\u2069", "文字方向控制符"),
    ("\ue000", "\U0010ffff", "私用区字符"),
)


def file_checks(source: Source) -> list[Problem]:
    """Every trap and punctuation warning in one loaded file."""
    problems: list[Problem] = []
    for loc, scalar in source.scalars.items():
        if not loc:
            continue
        trapped = _trap(source, loc, scalar)
        problems += trapped
        if scalar.style is None:
            problems += _comment_after(source, loc, scalar)
        if IDEOGRAPH.search(scalar.value):
            problems += punctuation(source, loc, scalar.value, spaces=not trapped)
        problems += _pasted_blanks(source, loc, scalar)
    return problems


def _pasted_blanks(source: Source, loc: Loc, scalar: Scalar) -> list[Problem]:
    """Blanks at the ends of a text, which Word pastes and the document would print: full-width
    spaces (any style: YAML keeps them), and ASCII spaces kept by quotes."""
    value = scalar.value
    found = [(m.start(), "edge_full_width_space") for m in EDGE_FULL_WIDTH_SPACE.finditer(value)]
    if scalar.style in ('"', "'") and value.strip(" ") != value:
        found.append((0 if value.startswith(" ") else len(value.rstrip(" ")), "quoted_space"))
    return [
        source.problem(
            loc, code, "blank at the start or end of a text", offset=offset, severity="warning"
        )
        for offset, code in found
    ]


def forbidden_characters(source: Source) -> list[Problem]:
    """A character XML cannot hold in any value, at the character: the checks of a file that
    is no data, such as the layout profile (a surrogate in a font name broke build)."""
    return [
        problem
        for loc, scalar in source.scalars.items()
        for problem in _forbidden(source, loc, scalar)
    ]


def _forbidden(source: Source, loc: Loc, scalar: Scalar) -> list[Problem]:
    if found := CONTROL_IN_VALUE.search(scalar.value):
        char = f"U+{ord(found.group()):04X}"
        return [
            source.problem(
                loc,
                "control_char",
                f"character {char} not allowed",
                offset=found.start(),
                char=char,
            )
        ]
    return []


def _invisible(source: Source, loc: Loc, scalar: Scalar) -> list[Problem]:
    """Characters pasted in that the document would carry unseen or that turn text around:
    zero-width and direction marks, line/paragraph separators, soft hyphens, a BOM inside the
    text, the replacement character of a broken conversion, private-use code points."""
    if not (found := INVISIBLE.search(scalar.value)):
        return []
    char = found.group()
    english = unicodedata.name(char, "PRIVATE USE CHARACTER")
    name = INVISIBLE_NAMES.get(char) or next(
        (chinese for low, high, chinese in INVISIBLE_RANGES if low <= char <= high), "不可见字符"
    )
    code = f"U+{ord(char):04X}"
    return [
        source.problem(
            loc,
            "invisible_char",
            f"character {code} {english} not allowed",
            offset=found.start(),
            char=code,
            name=f"{name} {english}",
        )
    ]


# The patterns below hold classes of CJK ranges, which cost 1–2 ms each to compile: each is
# compiled on first use, and searched only in a text that has what it looks for.


@cache
def _join_space() -> re.Pattern[str]:
    """A space YAML put where a plain scalar was wrapped, beside Chinese text."""
    return re.compile(rf"(?<=[{CJK}]) | (?=[{CJK}])")


@cache
def _chinese_space() -> re.Pattern[str]:
    """A space pasted from Word between ideographs or before Chinese punctuation (丰富多彩 。)."""
    return re.compile(
        rf"(?<=[{IDEOGRAPHS}])[ \t]++(?=[{IDEOGRAPHS}])|(?<![ \t])[ \t]++(?=[，。、；：！？）》”])"
    )


@cache
def _half_width() -> re.Pattern[str]:
    """A half-width mark beside Chinese text, where the full-width one belongs."""
    return re.compile(rf"(?<=[{CJK}])[,;:()!?]|[,;:()!?](?=[{CJK}])")


def _trap(source: Source, loc: Loc, scalar: Scalar) -> list[Problem]:
    value = scalar.value
    if forbidden := _forbidden(source, loc, scalar) or _invisible(source, loc, scalar):
        return forbidden
    if "\n" in value:
        if scalar.style == "|":
            return [source.problem(loc, "literal_block", "literal block keeps line breaks")]
        return [source.problem(loc, "line_break", "line break inside the text")]
    if scalar.line != scalar.end_line and scalar.style != "|" and _join_space().search(value):
        first = scalar.line + (2 if scalar.style == ">" else 1)
        lines = source.text.splitlines()
        if first < len(lines):
            line = lines[first]
            place = (first + 1, len(line) - len(line.lstrip()) + 1)
        else:
            place = source.position(loc)
        problem = source.problem(loc, "wrapped_line", "wrapped line joined with a space")
        return [_moved(problem, *place)]
    return []


def _comment_after(source: Source, loc: Loc, scalar: Scalar) -> list[Problem]:
    """A plain text followed on its line by `` #…``: YAML read the rest as a comment and the
    document silently loses it (``在微博发起 #专精特新在江岸# 话题`` → ``在微博发起``). Numbers,
    null and dates may carry a comment (init writes ``value: null  # 2022: 1354``): only text
    is refused, at the ``#``."""
    text, start = source.text, scalar.end_index
    end = start
    while end < len(text) and text[end] in " \t":  # a plain scalar never ends in a blank
        end += 1
    if end == start or end >= len(text) or text[end] != "#" or not _is_text(source.tree, loc):
        return []
    stop = min(i for i in (text.find("\n", end), text.find("\r", end), len(text)) if i >= 0)
    dropped = text[end:stop].rstrip()
    excerpt = dropped if len(dropped) <= 20 else dropped[:20] + "…"
    problem = source.problem(
        loc, "comment_in_text", "text after ' #' read as a comment and dropped", dropped=excerpt
    )
    return [_moved(problem, scalar.end_line + 1, scalar.end_column + (end - start) + 1)]


def _is_text(tree: Any, loc: Loc) -> bool:
    """Whether YAML read the value at ``loc`` as text (not a number, null, bool or date)."""
    for part in loc:
        try:
            tree = tree[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(tree, str)


def punctuation(source: Source, loc: Loc, value: str, *, spaces: bool = True) -> list[Problem]:
    """公文 punctuation: half-width marks in Chinese, straight double quotes, spaces between
    Chinese characters (unless ``spaces`` is False: a wrapped line already said it), unpaired
    quotes/brackets, doubled marks."""
    text = masked(value)
    problems = []
    searches = [(STRAIGHT_QUOTE, "straight_quote")]
    if spaces and (" " in text or "\t" in text):
        searches.append((_chinese_space(), "chinese_space"))
    for pattern, code in searches:
        problems += [
            source.problem(
                loc,
                code,
                f"{code.replace('_', ' ')} in Chinese text",
                offset=found.start(),
                severity="warning",
            )
            for found in pattern.finditer(text)
        ]
    half_width = any(mark in text for mark in FULL_WIDTH)
    for found in _half_width().finditer(text) if half_width else ():
        char = found.group()
        problems.append(
            source.problem(
                loc,
                "half_width",
                f"half-width '{char}' in Chinese text",
                offset=found.start(),
                severity="warning",
                char=char,
                full=FULL_WIDTH[char],
            )
        )
    for offset, char in unpaired(text):
        problems.append(
            source.problem(
                loc,
                "unpaired",
                f"unpaired '{char}'",
                offset=offset,
                severity="warning",
                char=char,
            )
        )
    for found in DOUBLED.finditer(text):
        problems.append(
            source.problem(
                loc,
                "doubled_punctuation",
                f"doubled '{found.group()}'",
                offset=found.start(),
                severity="warning",
                chars=found.group(),
            )
        )
    return problems


def unpaired(text: str) -> list[tuple[int, str]]:
    """(offset, mark) of every “ （ 《 without its closing mark and every closing mark without
    its opening one."""
    closing = {close: open_ for open_, close in PAIRS.items()}
    stack: list[tuple[int, str]] = []
    lonely: list[tuple[int, str]] = []
    for offset, char in enumerate(text):
        if char in PAIRS:
            stack.append((offset, char))
        elif char in closing:
            if stack and stack[-1][1] == closing[char]:
                stack.pop()
            else:
                lonely.append((offset, char))
    return sorted(lonely + stack)


def _moved(problem: Problem, line: int, column: int) -> Problem:
    return Problem(**{**problem.as_dict(), "line": line, "column": column})
