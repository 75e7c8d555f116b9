"""A year's metrics as a spreadsheet and back: the statistics colleague fills in an .xlsx, not
YAML (``annual-report metrics YEAR --to/--from``).

Out: one row per metric value of the year (plan targets too), last year's value beside it, the
columns nobody should change locked and the key greyed. In: every cell checked first and every
wrong one said at its cell (``指标.xlsx:H7: …``); only when all are right are the values written,
each spliced into the file's text at the place ruamel's round-trip parse gives it, so comments,
order, quoting, encoding, BOM and line endings stay exactly as they were. A number is written as
the sheet shows it: 98.5 formatted ``0.00`` is 98.50.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annual_report import dataset, unfinished
from annual_report.errors import DataError, UserError, chinese, display_path
from annual_report.load.source import Loc, Source
from annual_report.model import MAX_VALUE
from annual_report.numbers import PLAIN_NUMBER, Value, format_number, number_hint

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from annual_report.model import YearData

HEADERS = ("文件 file", "节 section", "键 key", "名称 label", "单位 unit", "约数词 approx")
"""The fixed columns A–F; then last year's value (G), this year's (H) and a note (I)."""
KEY, PRIOR, VALUE, NOTE = 3, 7, 8, 9
WIDTHS = (16, 30, 28, 30, 10, 10, 12, 12, 30)
EDITABLE = (VALUE, NOTE)
GREY = "D9D9D9"
DECIMALS = re.compile(r"\.([0#?]+)")


class SheetError(UserError):
    """Cells that cannot go into the data: every one at its cell, nothing written."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Row:
    """One metric value of the year: where it is, what it is, last year's value and this one."""

    stem: str
    loc: Loc
    section: str
    key: str
    label: str
    unit: str
    approx: str
    before: Value | None
    value: Value | None

    @property
    def file(self) -> str:
        return f"{self.stem}.yaml"


def year_rows(data_dir: Path, year: int) -> tuple[dataset.Checked, list[Row]]:
    """The year (still in progress is fine: what init left to do does not stop it) and its
    metric values in document order; DataError for any other problem."""
    checked = dataset.check_year(data_dir, year)
    blocking = [p for p in checked.errors if p.code not in unfinished.CODES]
    if blocking or checked.parsed is None:
        raise DataError(blocking or checked.problems)
    before = _prior_values(checked.prior)
    rows = [
        _row(stem, source, loc, before)
        for stem, source in checked.sources.items()
        for loc, _ in unfinished.walk(source.tree)
        if unfinished.is_metric_value(loc)
    ]
    return checked, rows


def _prior_values(prior: YearData | None) -> dict[str, Value | None]:
    if prior is None:
        return {}
    values: dict[str, Value | None] = {key: metric.value for key, metric in prior.metrics().items()}
    for plan in prior.plans.items if prior.plans else []:
        values.update({key: target.value for key, target in plan.targets.items()})
    return values


def _row(stem: str, source: Source, loc: Loc, before: dict[str, Value | None]) -> Row:
    metric = _at(source.tree, loc[:-1])
    heading = source.tree.get("heading") or ""
    key = str(loc[-2])
    return Row(
        stem,
        loc,
        unfinished.strip_marker(str(heading)),
        key,
        str(metric.get("label", "")),
        str(metric.get("unit", "")),
        str(metric.get("approx") or ""),
        before.get(key),
        metric.get("value"),
    )


def _at(tree: Any, loc: Loc) -> Any:
    for part in loc:
        tree = tree[part]
    return tree


def write_sheet(data_dir: Path, year: int, target: Path) -> int:
    """The year's metrics into a new .xlsx at ``target`` (atomically); the number of rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill, Protection

    from annual_report.output import write_atomically

    _, rows = year_rows(data_dir, year)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its sheet
    sheet.title = f"{year}年指标"
    sheet.append([*HEADERS, f"{year - 1}年", f"{year}年", "备注 note"])
    for row in rows:
        sheet.append(
            [
                row.file,
                row.section,
                row.key,
                row.label,
                row.unit,
                row.approx,
                row.before,
                row.value,
                None,
            ]
        )
    grey = PatternFill("solid", fgColor=GREY)
    for cells in sheet.iter_rows(min_row=2):
        for number in (PRIOR, VALUE):
            cell = cells[number - 1]
            if isinstance(cell.value, int | float | Decimal):
                cell.number_format = _format_showing(cell.value)
        for number in EDITABLE:
            cells[number - 1].protection = Protection(locked=False)
        cells[KEY - 1].fill = grey
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True  # only this year's value and the note can be typed in
    write_atomically(target, lambda path: book.save(str(path)))
    return len(rows)


def _format_showing(value: Value) -> str:
    """A number format that shows the value as typed: 1354 → 0, 98.5 → 0.0, 0.25 → 0.00."""
    typed = format_number(value)
    decimals = len(typed.partition(".")[2])
    return "0." + "0" * decimals if decimals else "0"


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def read_sheet(data_dir: Path, year: int, source_path: Path) -> tuple[int, list[Path]]:
    """The sheet's values into the year's YAML, all or nothing: (values written, files changed).
    SheetError with every wrong cell."""
    checked, rows = year_rows(data_dir, year)
    sheet = _open(source_path)
    name = display_path(source_path)
    errors: list[str] = []
    found = _header_errors(sheet, year, name)
    if found:
        raise SheetError(found)
    by_place = {(row.file, row.key): row for row in rows}
    seen: set[tuple[str, str]] = set()
    typed: dict[tuple[str, str], str] = {}
    for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
        if all(cell.value in (None, "") for cell in cells[:VALUE]):
            continue  # a blank line
        place = (str(cells[0].value or ""), str(cells[KEY - 1].value or ""))
        where = f"{name}:{_letter(KEY)}{number}"
        if place not in by_place:
            errors.append(f"{where}: " + chinese("sheet_unknown_key", file=place[0], key=place[1]))
            continue
        if place in seen:
            errors.append(f"{where}: " + chinese("sheet_duplicate", key=place[1]))
            continue
        seen.add(place)
        cell = cells[VALUE - 1]
        shown, problem = _shown(cell.value, cell.number_format)
        if problem:
            errors.append(f"{name}:{_letter(VALUE)}{number}: {problem}")
        elif shown is not None:
            typed[place] = shown
    if errors:
        raise SheetError(errors)
    return _write_values(checked.sources, by_place, typed)


def _open(path: Path) -> Worksheet:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, data_only=True)  # a formula gives the value it shows
    except FileNotFoundError:
        raise SheetError([chinese("sheet_missing", file=display_path(path))]) from None
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError):
        raise SheetError([chinese("sheet_unreadable", file=display_path(path))]) from None
    return book.worksheets[0]


def _header_errors(sheet: Worksheet, year: int, name: str) -> list[str]:
    """The first row as --to wrote it: the columns are found by place, so they must not move."""
    wanted = {KEY: HEADERS[KEY - 1], VALUE: f"{year}年"}
    return [
        f"{name}:{_letter(column)}1: " + chinese("sheet_header", text=text)
        for column, text in wanted.items()
        if str(sheet.cell(1, column).value or "").strip() != text
    ]


def _shown(value: Any, number_format: str) -> tuple[str | None, str]:
    """(the number as the cell shows it, or None for an empty cell; a problem, or "")."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, str):
        text = value.strip()
        if not PLAIN_NUMBER.fullmatch(text):
            return None, chinese("sheet_not_number", input=text, hint=number_hint(text))
        value = Decimal(text)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None, chinese("sheet_not_number", input=str(value), hint="")
    if isinstance(value, float) and not math.isfinite(value):
        return None, chinese("sheet_not_number", input=str(value), hint="")
    if value < 0:
        return None, chinese("sheet_negative", input=_as_shown(value, "General"))
    if value > MAX_VALUE:
        return None, chinese("sheet_too_large", limit=f"{MAX_VALUE:,}")
    return _as_shown(value, number_format), ""


def _as_shown(value: int | float | Decimal, number_format: str) -> str:
    """98.5 under ``0.00`` → 98.50, under ``0.00%`` → 9850.00 shown as a per cent, under
    ``General`` → 98.5 (Excel rounds half away from zero)."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    fmt = number_format.split(";")[0]
    if fmt.strip().lower() in ("general", "@", ""):
        return format(exact.normalize(), "f") if exact % 1 else str(int(exact))
    if "%" in fmt:
        exact *= 100
    found = DECIMALS.search(fmt)
    places = len(found.group(1)) if found else 0
    return format(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")


def _write_values(
    sources: dict[str, Source],
    rows: dict[tuple[str, str], Row],
    typed: dict[tuple[str, str], str],
) -> tuple[int, list[Path]]:
    """Every value spliced into its file's text, each file re-read to be sure, then written."""
    from annual_report.load import parse
    from annual_report.output import write_atomically

    texts: dict[Path, bytes] = {}
    for stem, source in sources.items():
        changes = [
            (rows[place].loc, text) for place, text in typed.items() if rows[place].stem == stem
        ]
        if not changes:
            continue
        text = _spliced(source, changes)
        parse(source.path, text)  # still the same YAML: a DataError here is a bug of ours
        texts[source.path] = _encoded(source.path, text)
    written = [write_atomically(path, _bytes_writer(data)) for path, data in texts.items()]
    return len(typed), written


def _bytes_writer(data: bytes) -> Callable[[Path], object]:
    return lambda temporary: temporary.write_bytes(data)


def _spliced(source: Source, changes: list[tuple[Loc, str]]) -> str:
    """``value: null`` → ``value: 98.50``: each scalar replaced where ruamel found it, last first
    so the earlier places stay put."""
    text = source.text
    starts = [0] + [found.end() for found in re.finditer("\n", text)]
    spans = []
    for loc, new in changes:
        scalar = source.scalar(loc)
        assert scalar is not None  # every metric value was parsed, so it has its place
        start = starts[scalar.line] + scalar.column
        end = max(scalar.end_index, start)
        if start == end and text[start - 1 : start] == ":":
            new = " " + new  # ``value:`` left empty
        spans.append((start, end, new))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _encoded(path: Path, text: str) -> bytes:
    """The text in the file's own encoding, BOM included when it had one."""
    raw = path.read_bytes()
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    try:
        raw.removeprefix(bom).decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "gb18030"
    return bom + text.encode(encoding)
