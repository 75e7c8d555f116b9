"""ruamel.yaml's syntax errors → one positioned problem with a Chinese hint: ruamel has no error
codes, so its English is matched; a tab or full-width space is said by the character itself."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from annual_report.errors import Problem
from annual_report.load.source import file_problem, text_position

SYNTAX_HINTS: tuple[tuple[str, str, str, str], ...] = (
    # (ruamel's exception class, the part of its message, the text there, our hint): ruamel has
    # no error codes, so its English is matched, narrowed to the class and part that say it.
    ("ScannerError", "problem", "mapping values are not allowed", "colon"),
    ("ScannerError", "context", "while scanning an alias", "star"),
    ("ScannerError", "context", "while scanning an anchor", "star"),
    ("ScannerError", "problem", "cannot start any token", "indicator"),
    ("ScannerError", "context", "while parsing a tag", "indicator"),
    ("ScannerError", "context", "while parsing an tag", "indicator"),
    ("ScannerError", "context", "while scanning a tag", "indicator"),
    ("ScannerError", "context", "while scanning a quoted scalar", "quote"),
    ("ScannerError", "problem", "could not find expected ':'", "wrapped"),
    ("ParserError", "problem", "expected <block end>", "indent"),
)
HINTS = {
    "colon": "；若这里的“:”是中文冒号，请改为全角“：”，或给整个值加引号",
    "star": '；以 * 或 & 开头的值必须加引号，如 organization: "*街道"',
    "indicator": "；以 @ ` % ! 等符号开头的值必须加引号",
    "quote": "；引号没有配对：请检查这一行的引号",
    "wrapped": "；可能是上一行的值换了行：请把整段写在一行，或给整段加引号",
    "indent": "；缩进不一致：同一层级的键必须对齐",
    "tab": "；这里有制表符 Tab，请改为半角空格",
    "full_width_space": "；这里有全角空格“　”，请改为半角空格",
}
BLANKS = {"\t": "tab", "\u3000": "full_width_space"}
"""Characters that look like a space and are none to YAML: said by the character itself, before
any reading of ruamel's English (a tab after ``lead:`` is no indicator; full-width spaces before
``lead:`` are no colon)."""
BLANK_LOOKBACK = 3
"""Lines before the error to look at for a line indented with full-width spaces: ruamel stops
where the misread value ends, a line or two below."""


def _hint(exc: Any) -> str:
    """The Chinese hint for a ruamel syntax error, chosen by its class and the part that says it."""
    kind = type(exc).__name__
    for cls, part, needle, hint in SYNTAX_HINTS:
        if kind == cls and needle in str(getattr(exc, part, None) or ""):
            return HINTS[hint]
    return ""


FULL_WIDTH_COLON = re.compile(r"^[ ]*(?:-[ ]+)?([A-Za-z_][A-Za-z0-9_]*)[ ]*：", re.MULTILINE)
"""``lead：产业…``: a field name followed by a Chinese colon, which YAML reads as text."""
QUOTED_START = re.compile(r"""[ ]*(?:-[ ]+)?[^\s:#]+:[ ]+(["'])""")
"""``lead: "两创一管"工作…``: a value that opens with a quote, so YAML reads up to the closing
quote as the whole value and the rest as a stray token."""


ENGLISH = {
    "full_width_colon": "full-width colon after a key name: type ': '",
    "quoted_start": "the value starts with a quote",
}
Found = tuple[tuple[int, int], dict[str, str]]


def _full_width_colon(text: str, mark: Any) -> Found | None:
    """(line, column, context) of the last ``key：`` at or just above the syntax error: ruamel
    stops a line or two below it (a wrapped value, the next key, past the end of the file)."""
    end = len(text) if mark is None else text.find("\n", mark.index)
    found = [m for m in FULL_WIDTH_COLON.finditer(text, 0, len(text) if end < 0 else end)]
    if not found:
        return None
    colon = found[-1].end() - 1
    line, column = text_position(text, colon)
    if mark is not None and mark.line + 1 - line > BLANK_LOOKBACK:
        return None  # far above: some other line is wrong
    return (line, column), {"key": found[-1].group(1)}


def _quoted_start(text: str, exc: Any) -> Found | None:
    """(line, column of the opening quote, context) when the error follows a value that starts
    with a quote and goes on after the closing one."""
    mark = exc.problem_mark
    if mark is None or "expected <block end>" not in str(exc.problem):
        return None
    start = text.rfind("\n", 0, mark.index) + 1
    found = QUOTED_START.match(text, start)
    if found is None or found.end() > mark.index:
        return None
    return text_position(text, found.start(1)), {"quote": found.group(1)}


def _blank(text: str, mark: Any) -> tuple[int, int, str] | None:
    """(line, column, hint) of a tab or full-width space that caused a syntax error: the
    character at the error, or full-width spaces indenting one of the lines just above it."""
    if mark is None:
        return None
    if 0 <= mark.index < len(text) and text[mark.index] in BLANKS:
        return mark.line + 1, mark.column + 1, HINTS[BLANKS[text[mark.index]]]
    lines = text.split("\n")
    for number in range(min(mark.line, len(lines) - 1), max(mark.line - BLANK_LOOKBACK, 0) - 1, -1):
        body = lines[number].lstrip(" ")
        if body[:1] in BLANKS:
            column = len(lines[number]) - len(body) + 1
            return number + 1, column, HINTS[BLANKS[body[0]]]
    return None


def _mark(exc: Any) -> tuple[int, int]:
    """Where to send the user: the problem's place, or for an unclosed quote where it opened."""
    unclosed = "quoted scalar" in str(exc.context) or "stream end" in str(exc.problem)
    first = exc.context_mark if unclosed else exc.problem_mark
    mark = first or exc.problem_mark or exc.context_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def syntax_problem(path: Path, text: str, exc: Exception) -> Problem:
    """The problem to show for anything ruamel raised while reading ``text``."""
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError

    if isinstance(exc, DuplicateKeyError):
        line, col = _mark(exc)
        key = str(exc.problem).split('"')[1] if '"' in str(exc.problem) else ""
        return file_problem(path, "duplicate_key", "duplicate key", line, col, key=key)
    if isinstance(exc, MarkedYAMLError):
        line, col = _mark(exc)
        detail = " ".join(filter(None, [exc.context, exc.problem]))
        for code, found in (
            ("full_width_colon", _full_width_colon(text, exc.problem_mark)),
            ("quoted_start", _quoted_start(text, exc)),
        ):
            if found is not None:
                (line, col), context = found
                return file_problem(path, code, ENGLISH[code], line, col, **context)
        blank = _blank(text, exc.problem_mark)
        if blank is not None:
            line, col, hint = blank
        else:
            hint = _hint(exc)
        return file_problem(
            path, "yaml_syntax", f"YAML syntax error: {detail}", line, col, detail=detail, hint=hint
        )
    # ReaderError and the like
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return file_problem(path, "yaml_syntax", f"YAML error: {detail}", detail=detail, hint="")
