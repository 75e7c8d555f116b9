"""Quantities in prose: where a text states a number of something, as an office types it.

One recogniser for everybody who reads prose for numbers: ``import`` turns what it finds into
metrics, and validate warns about a number typed into prose instead of named as a metric.

A quantity is a number with its unit: ``1354个`` ``12.8亿元`` ``近20万人次`` ``4600余人``
``超2600个`` ``98.5%以上`` ``百余处`` ``-6.2%`` (in 同比分别-6.2%、-19.3%). The number is Arabic,
possibly signed, or Chinese with a place (二十, 一千二百, 百 before 余/多); the approximation words
are the model's (近 约 超 逾 超过 before it, 余 多 after it, 以上 左右 以内 after the unit).

Not quantities, because no metric should ever replace them:
- a number with no unit (``“365”恒温服务``, ``14:30``): nothing says what it counts, except a
  zero before the thing there was none of (``0再访``, ``0事故``: the number 0, no unit);
- years (``2023年``, a whole number 1900–2199 before 年) and dates and periods (``4月26日``,
  ``1-11月``, any range ``3-5个``): 月 日 号 are never units;
- ordinals (``第六年``, ``第4届``, ``12号线``) and codes (``5G``, ``G20``);
- thresholds in a phrase (``60岁以上老人``, ``1000万元以下项目``: 以上/以下/以内 followed by
  more words), and an age before a noun (``80岁老人``);
- single Chinese digits (``两个社区``, ``一是``, ``三针``, ``五分钟课堂``) and a bare place
  word without 余/多 (``百年``, ``千家万户``): they are words, not counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from annual_report.model import APPROX_AFTER_UNIT, APPROX_AFTER_VALUE
from annual_report.numbers import CHINESE_DIGITS, CHINESE_MYRIADS, CHINESE_UNITS, chinese_number

BASE_UNITS = (
    "平方公里", "平方米", "立方米", "公顷", "公里", "千米", "米", "亩", "吨", "千克", "公斤",
    "美元", "元",
    "人次", "户次", "家次", "件次", "车次", "架次",
    "个月", "小时", "分钟", "天", "周", "年", "岁",
    "个", "项", "类", "处", "户", "起", "栋", "幢", "座", "场", "次", "人", "名", "位", "件",
    "家", "所", "支", "条", "辆", "台", "套", "间", "份", "例", "批", "轮", "张", "篇", "本",
    "块", "部", "株", "棵", "盏", "根", "组", "队", "册", "幅", "床", "宗", "单", "箱", "袋",
    "万", "亿",
)  # fmt: skip
"""Measure words a count or a measure is written with. 月 日 号 时 届 级 期 are absent on
purpose: after a number they make a date, an ordinal or a rank."""
MULTIPLIERS = ("百万", "千万", "万", "亿", "千")
PERCENT_UNITS = ("个百分点", "百分点", "%", "％", "‰")

SIGNS = {"+": "+", "＋": "+", "-": "-", "－": "-"}
THRESHOLD_WORDS = ("以上", "以下", "以内")
RANGE_MARKS = "-－~～—至到"
AFTER_TIMES = "最"  # 最近3天: 近 is part of 最近, not an approximation
AFTER_CONTRACT = "节制预签契公违"  # 节约3000元: 约 is part of a word


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_UNIT = (
    f"(?:{_alternation(PERCENT_UNITS)})"
    f"|(?:{_alternation(MULTIPLIERS)})?(?:{_alternation(BASE_UNITS)})"
)
_CHINESE = "".join(CHINESE_DIGITS) + "".join(CHINESE_UNITS) + "".join(CHINESE_MYRIADS)
PATTERN = re.compile(
    rf"(?P<before>超过|(?<![{AFTER_TIMES}])近|(?<![{AFTER_CONTRACT}])约|超|逾)?"
    r"(?P<sign>[+＋\-－])?"
    r"(?P<number>[0-9０-９]+(?:,[0-9]{3}(?![0-9]))*(?:\.[0-9０-９]+)?"
    rf"|[{_CHINESE}]+)"
    rf"(?P<after>{_alternation(APPROX_AFTER_VALUE)})?"
    rf"(?P<unit>{_UNIT})"
    rf"(?P<tail>{_alternation(APPROX_AFTER_UNIT)})?"
)


ZERO = re.compile(r"(?<![0-9０-９.,])[0０](?![0-9０-９.])(?=[\u4e00-\u9fff])(?![年月日号时分秒点])")
"""0再访, 0事故: none of what follows (a unit, when there is one, made it a quantity above)."""


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity found in a text: ``text[start:end]`` is exactly what was typed."""

    start: int
    end: int
    text: str
    number: str
    """The number as typed, without sign or approximation word: 1354 · 12.8 · 百 · 一千二百."""
    value: int | Decimal
    """Its value, signed: 1354 · 12.8 · 100 · -6.2 (a float only when typed with a point)."""
    unit: str
    approx: str | None
    sign: Literal["+", "-"] | None
    numerals: Literal["arabic", "chinese"]


def find(text: str) -> list[Quantity]:
    """Every quantity in ``text``, in order (what is not one: the module's docstring)."""
    found = []
    for match in PATTERN.finditer(text):
        quantity = _quantity(text, match)
        if quantity is not None:
            found.append(quantity)
    taken = {i for q in found for i in range(q.start, q.end)}
    for match in ZERO.finditer(text):
        if match.start() not in taken and text[match.start() - 1 : match.start()] != "第":
            zero = match.group()
            found.append(Quantity(match.start(), match.end(), zero, zero, 0, "", None, None,
                                  "arabic"))  # fmt: skip
    return sorted(found, key=lambda q: q.start)


def _quantity(text: str, match: re.Match[str]) -> Quantity | None:
    number, unit = match["number"], match["unit"]
    chinese = not number[0].isdigit()
    value = _chinese_value(number, bool(match["after"])) if chinese else _arabic_value(number)
    if value is None or _not_a_count(text, match, chinese):
        return None
    if unit == "年" and isinstance(value, int) and 1900 <= value <= 2199 and not match["after"]:
        return None  # 2023年 is a year
    sign = SIGNS.get(match["sign"] or "")
    return Quantity(
        start=match.start(),
        end=match.end(),
        text=match[0],
        number=number,
        value=-value if sign == "-" else value,
        unit=unit,
        approx=match["before"] or match["after"] or match["tail"],
        sign="-" if sign == "-" else "+" if sign == "+" else None,
        numerals="chinese" if chinese else "arabic",
    )


def _not_a_count(text: str, match: re.Match[str], chinese: bool) -> bool:
    """An ordinal, a code, the end of a range, a threshold in a phrase or an age before a noun."""
    start, end = match.start(), match.end()
    before = text[start - 1] if start else ""
    if before == "第" or (not chinese and (_is_code_letter(before) or before == ".")):
        return True
    if not match["before"] and _after_range(text, match.start("sign") if match["sign"] else -1):
        return True
    if not match["before"] and not match["sign"] and _after_range(text, start - 1):
        return True
    following = text[end : end + 2]
    if following in THRESHOLD_WORDS and _is_ideograph(text[end + 2 : end + 3]):
        return True  # 1000万元以下项目
    if match["tail"] in THRESHOLD_WORDS and _is_ideograph(text[end : end + 1]):
        return True  # 60岁以上老人
    return match["unit"] == "岁" and not match["tail"] and _is_ideograph(text[end : end + 1])


def _after_range(text: str, mark: int) -> bool:
    """``1-11月`` ``3-5个``: a range mark after a number ends a period or a range."""
    if mark < 1 or text[mark] not in RANGE_MARKS:
        return False
    previous = text[mark - 1]
    return previous.isdigit() or previous in _CHINESE


def _is_code_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _is_ideograph(char: str) -> bool:
    return bool(char) and "\u4e00" <= char <= "\u9fff"


def _arabic_value(number: str) -> int | Decimal:
    """The number as typed (98.50 keeps its zero), as the data holds a measure."""
    plain = number.replace(",", "")
    return Decimal(plain) if "." in plain else int(plain)


def _chinese_value(number: str, approximate: bool) -> int | None:
    """一千二百 → 1200, 百 → 100 (with 余/多 only); None for a word that is not a count."""
    if not any(c in CHINESE_UNITS or c in CHINESE_MYRIADS for c in number):
        return None  # 两个, 一是, 二〇二二: digits alone are words (or a year spelt out)
    if len(number) == 1 and not approximate:
        return None  # 百年, 千家万户: a bare place word is an idiom, 百余 a count
    return chinese_number(number)
