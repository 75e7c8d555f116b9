"""Numbers as Chinese writes them, and as people mistype them.

- Chinese numerals (一、 and （一）, 百余处), a metric written as its quantity (近20万人次);
- 同比 (year on year), the one rounding rule: the change in per cent, (new − old) / old × 100,
  computed in decimal from the numbers as typed and rounded to one decimal place, half up
  (12.25 → 12.3, −3.04 → −3.0). Wording:
  - equal values (including 0 → 0): 与上年持平;
  - a change that rounds to 0.0: 与上年基本持平;
  - otherwise 同比增长12.5% / 同比下降3.0% (always one decimal);
  - a metric whose unit is % compares in percentage points: 同比提高0.5个百分点 /
    同比降低1.2个百分点;
  - a prior value of 0 (to anything but 0), a missing prior year or metric, or a unit that
    changed are validation errors (see ``yoy_problem``), never a made-up figure;
- a number typed as text (``１５２３``, ``1,523``, ``一千``, ``98.5%``): what it should be.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, localcontext

from annual_report.errors import chinese
from annual_report.model import APPROX_AFTER_UNIT, APPROX_AFTER_VALUE, APPROX_BEFORE, Metric

DIGITS = "零一二三四五六七八九"
SMALL_UNITS = ("", "十", "百", "千")
ROUND_HUNDREDS = ("一百", "一千", "一万")
"""The numerals that drop their 一 before 余/多 (百余处); 十 has none to drop."""


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 101 → 一百零一: the numerals of 一、 and （一）."""
    if n < 0 or n >= 100_000_000:
        raise ValueError(f"no Chinese numeral for {n}")
    if n < 10_000:
        text = _below_ten_thousand(n)
    else:
        high, low = divmod(n, 10_000)
        text = _below_ten_thousand(high) + "万"
        if low:
            text += ("零" if low < 1000 else "") + _below_ten_thousand(low)
    return text[1:] if text.startswith("一十") else text


def _below_ten_thousand(n: int) -> str:
    if n == 0:
        return DIGITS[0]
    out, zero = "", False
    for power in range(3, -1, -1):
        digit = n // 10**power % 10
        if digit:
            out += ("零" if zero and out else "") + DIGITS[digit] + SMALL_UNITS[power]
            zero = False
        else:
            zero = True
    return out


Value = int | float | Decimal
"""A metric value: a count, or a measure as the file spells it (a Decimal; a float from code)."""


def as_decimal(value: Value) -> Decimal:
    """The number as typed (1354, 98.5), exact: what 同比 and rates are computed from.

    A float goes through its shortest repr, so 0.1 is Decimal("0.1"), not the binary
    0.1000000000000000055511… the float holds."""
    decimal = Decimal(value) if isinstance(value, int | Decimal) else Decimal(repr(value))
    return decimal if decimal else abs(decimal)  # -0.0 passes ge=0: print it as 0.0


def format_number(value: Value) -> str:
    """The number as typed in the data: 1354, 98.5, 0.0001 (never 98.50000001 or 1e-04)."""
    return format(as_decimal(value), "f")


PRECISION = 400
"""Decimal digits for 同比 and rates: enough that differences and quotients of any two values the
model accepts (0 to 10**15, fractions down to the smallest float) keep every digit up to the
tenth before the one rounding. The default 28 could not: a change of 10**30 % to a tenth raised
InvalidOperation, and a long quotient was rounded twice."""

TENTH = Decimal("0.1")


def round_tenth(value: Decimal) -> Decimal:
    """The one rounding rule of 同比, percentage points and rates: one decimal, half up."""
    with localcontext(prec=PRECISION):
        return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def percent(part: Value, whole: Value) -> Decimal | None:
    """``part / whole × 100`` rounded by ``round_tenth``; None when ``whole`` is 0."""
    if not whole:
        return None
    with localcontext(prec=PRECISION):
        return round_tenth(as_decimal(part) / as_decimal(whole) * 100)


UNFILLED = "待填"
"""How a value ``init`` left empty reads in messages and diffs (never in a document)."""


def format_metric(metric: Metric) -> str:
    """近20万人次 · 20余场 · 98.5%以上 · 1354个 · 百余处; 待填 for a value still to fill in."""
    if metric.value is None:
        return UNFILLED
    number = format_number(metric.value)
    if metric.numerals == "chinese" and isinstance(metric.value, int):
        number = chinese_numeral(metric.value)
        if metric.approx in APPROX_AFTER_VALUE and number in ROUND_HUNDREDS:
            number = number[1:]  # 百余、千余、万余; but 一千二百余 keeps its 一
    approx = metric.approx or ""
    if approx in APPROX_BEFORE:
        return f"{approx}{number}{metric.unit}"
    if approx in APPROX_AFTER_VALUE:
        return f"{number}{approx}{metric.unit}"
    if approx in APPROX_AFTER_UNIT:
        return f"{number}{metric.unit}{approx}"
    return f"{number}{metric.unit}"


def yoy_percent(old: Value, new: Value) -> Decimal | None:
    """同比 in per cent, rounded to one decimal half up; None when the prior value is 0."""
    before, after = as_decimal(old), as_decimal(new)
    if before == 0:
        return None
    with localcontext(prec=PRECISION):
        return round_tenth((after - before) / before * 100)


def _points(old: Value, new: Value) -> Decimal:
    with localcontext(prec=PRECISION):
        return round_tenth(as_decimal(new) - as_decimal(old))


def yoy_problem(current: Metric, prior: Metric | None) -> str | None:
    """Why ``current | yoy`` cannot be said (an error code of messages.yaml), or None."""
    if prior is None:
        return "yoy_missing_key"
    if prior.value is None:
        return "yoy_prior_null"
    if current.unit != prior.unit:
        return "yoy_unit"
    if current.value is not None and prior.value == 0 and current.value != 0:
        return "yoy_from_zero"
    if current.value is not None and current.unit != "%":
        change = yoy_percent(prior.value, current.value)
        if change is not None and abs(change) > YOY_LIMIT:
            return "yoy_too_large"
    return None


YOY_LIMIT = 1_000_000
"""The largest 同比 in per cent a document may print: real ones reach 1073.1 %; beyond a
million per cent a value was typed in the wrong unit (or is a typo), never a result."""


def yoy_phrase(current: Metric, prior: Metric | None) -> str:
    """同比增长12.5% · 同比下降3.0% · 与上年持平 · 同比提高0.5个百分点 (rules in the module doc)."""
    problem = yoy_problem(current, prior)
    if problem is not None or prior is None or current.value is None or prior.value is None:
        raise YoyError(problem or "yoy_prior_null", current.label)
    if as_decimal(current.value) == as_decimal(prior.value):
        return "与上年持平"
    if current.unit == "%":
        points = _points(prior.value, current.value)
        if points == 0:
            return "与上年基本持平"
        word = "提高" if points > 0 else "降低"
        return f"同比{word}{abs(points):f}个百分点"
    change = yoy_percent(prior.value, current.value)
    assert change is not None  # prior 0 → new 0 was 持平, → anything else is yoy_from_zero
    if change == 0:
        return "与上年基本持平"
    word = "增长" if change > 0 else "下降"
    return f"同比{word}{abs(change):f}%"


class YoyError(ValueError):
    """``| yoy`` rendered without a usable prior value: validation should have refused it."""

    def __init__(self, code: str, label: str) -> None:
        super().__init__(f"{label}: 无法计算同比 ({code})")
        self.code = code


# A number typed the way Word or a calculator writes it: said by what was typed, with the fix.

PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
PERCENT = re.compile(r"(?<!\d)(\d++(?:\.\d+)?)\s*+%")
"""From the start of a run of digits only, digits and blanks taken whole: linear in the text."""
CHINESE_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
CHINESE_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_MYRIADS = {"万": 10**4, "亿": 10**8}
HINT_BITS = 64
"""The largest number a hint writes out: 540 × 亿 is no count, and Python will not even print
an int of 4,301 digits."""
HINT_CHARS = 40
"""The longest text read as a mistyped number: a longer one is no number to suggest back."""


def number_mistake(typed: str) -> tuple[str, str] | None:
    """(catalogue code, the number to write instead) for a number typed as text: ``98.5%``,
    ``１５２３`` (full width), ``1,523``, ``一千``, ``"1354"``; None when it is no number."""
    text = typed.strip()
    if len(text) > HINT_CHARS:
        return None
    narrow = unicodedata.normalize("NFKC", text)  # １５２３ → 1523, ９８．５％ → 98.5%
    if found := PERCENT.fullmatch(narrow):
        return "number_percent", found.group(1)
    if THOUSANDS.fullmatch(narrow):
        return "number_thousands", narrow.replace(",", "")
    if PLAIN_NUMBER.fullmatch(narrow):
        return ("number_full_width" if narrow != text else "number_quoted"), narrow
    if text and all(
        c in CHINESE_DIGITS or c in CHINESE_UNITS or c in CHINESE_MYRIADS for c in text
    ):
        number = chinese_number(text)
        shown = number is not None and number.bit_length() <= HINT_BITS
        return "number_chinese", str(number) if shown else "1354"
    return None


def chinese_number(text: str) -> int | None:
    """一千 → 1000, 两万三千 → 23000, 一五二三 → 1523; None for what is not read that way."""
    if all(c in CHINESE_DIGITS for c in text):
        return int("".join(str(CHINESE_DIGITS[c]) for c in text))
    total = section = digit = 0
    for char in text:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        elif char in CHINESE_UNITS:
            section += (digit or 1) * CHINESE_UNITS[char]
            digit = 0
        else:
            total = (total + section + digit) * CHINESE_MYRIADS[char]
            section = digit = 0
    return total + section + digit


def number_hint(typed: str) -> str:
    """The catalogue's hint for a number typed as text (``：全角数字，请改为半角：1523``), or ""."""
    found = number_mistake(typed)
    return chinese(found[0], number=found[1]) if found else ""
