"""The load stage: a YAML file → plain data, keeping every value's line and column.

ruamel.yaml's round-trip loader records positions (``lc``); the models validate a plain copy,
and a pydantic error's ``loc`` is walked back through the round-trip tree to a place in the file.

Bad input never gets far: the bytes are size-checked and decoded first, the text is scanned for
tab indentation and control characters, and the YAML *events* are scanned before anything is
composed, so aliases (and with them alias bombs), anchors, custom tags and absurd nesting are
refused with their position before ruamel builds a single object.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from annual_report.errors import DataError, Problem, display_path, format_path, message

MAX_BYTES = 256 * 1024
"""A year's data is a few KB; anything this large is a mistake (or an attack), not a report."""

MAX_DEPTH = 20
"""Our deepest data is 4 levels (items → metrics → key → fields); 20 leaves room for anything
sensible and stops a 10,000-deep file long before Python's recursion limit."""

STANDARD_TAG = "tag:yaml.org,2002:"
XML_FORBIDDEN = r"\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
"""Every character XML 1.0 forbids (the complement of its ``Char`` production within what a
Python string holds): what a .docx cannot hold. Spelled as what is forbidden, not as the
complement of what is allowed, which costs the regex compiler milliseconds at every start."""
CONTROL = re.compile(rf"[{XML_FORBIDDEN}\x7f-\x84\x86-\x9f]")
"""What the file itself may not hold, refused at its character: every character XML 1.0 forbids
(C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF), and the C1 controls that YAML
refuses as raw text (ruamel would say so only at 1:1)."""
TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Scalar:
    """Where a scalar value sits in the file (0-based marks from the parser) and how it is written:
    ``style`` is None for plain, ``'"'``/``"'"`` for quoted, ``|``/``>`` for block scalars."""

    style: str | None
    line: int
    column: int
    end_line: int
    end_column: int
    value: str
    end_index: int = -1
    """Character index in the text just past the scalar (where a trailing comment would be)."""

    @property
    def one_line(self) -> bool:
        return self.style not in ("|", ">") and self.line == self.end_line


@dataclass
class Source:
    """One loaded data file: its round-trip tree for positions and a plain copy for the models."""

    path: Path
    tree: Any
    warnings: list[Problem] = field(default_factory=list)
    text: str = ""
    scalars: dict[Loc, Scalar] = field(default_factory=dict)
    """Every scalar *value* by its path (mapping keys as str, sequence indexes as int)."""

    @property
    def name(self) -> str:
        return display_path(self.path)

    @cached_property
    def plain(self) -> Any:
        """Built once: the tree is never changed after loading."""
        return to_plain(self.tree)

    def position(self, loc: Loc, *, at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``loc``; the deepest existing parent otherwise
        (so a missing field points at the mapping that should hold it).

        ``at_key`` points at the key itself (an unknown key), not its value.
        """
        from ruamel.yaml.comments import CommentedMap, CommentedSeq  # loaded with the tree

        node, (line, col) = self.tree, _start(self.tree)
        for depth, part in enumerate(loc):
            last = depth == len(loc) - 1
            if isinstance(node, CommentedMap) and part in node:
                line, col = node.lc.key(part) if (at_key and last) else node.lc.value(part)
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line, col = node.lc.item(part)
                node = node[part]
            else:
                break
        return line + 1, col + 1

    def scalar(self, loc: Loc) -> Scalar | None:
        return self.scalars.get(tuple(str(p) if isinstance(p, str) else p for p in loc))

    def position_in(self, loc: Loc, offset: int) -> tuple[int, int]:
        """1-based place of character ``offset`` of the string at ``loc``: exact for one-line
        plain and quoted scalars and for literal blocks; the value's start otherwise."""
        found = self.scalar(loc)
        if found is None:
            return self.position(loc)
        if found.one_line and offset <= len(found.value):
            quote = 1 if found.style in ('"', "'") else 0
            return found.line + 1, found.column + quote + offset + 1
        if found.style == "|":
            before = found.value[:offset]
            row = before.count("\n")
            lines = self.text.splitlines()
            number = found.line + 1 + row  # content starts on the line after the indicator
            if number < len(lines):
                indent = len(lines[number]) - len(lines[number].lstrip(" "))
                return number + 1, indent + len(before) - (before.rfind("\n") + 1) + 1
        return self.position(loc)

    def problem(
        self,
        loc: Loc,
        code: str,
        english: str,
        *,
        offset: int | None = None,
        at_key: bool | None = None,
        severity: str = "error",
        **context: Any,
    ) -> Problem:
        if offset is not None:
            line, col = self.position_in(loc, offset)
        else:
            key = code in ("extra_forbidden", "unused_metric") if at_key is None else at_key
            line, col = self.position(loc, at_key=key)
        field_name = next((str(part) for part in reversed(loc) if isinstance(part, str)), None)
        return Problem(
            self.name,
            line,
            col,
            format_path(loc),
            code,
            message(code, english, field_name=field_name, **context),
            severity,  # type: ignore[arg-type]
        )


def _start(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    return (lc.line, lc.col) if lc is not None and lc.line is not None else (0, 0)


def to_plain(node: Any) -> Any:
    """ruamel's round-trip types → the builtins the strict models expect."""
    from ruamel.yaml.scalarbool import ScalarBoolean  # loaded with the tree

    def plain(node: Any) -> Any:
        if isinstance(node, dict):
            return {plain(k): plain(v) for k, v in node.items()}
        if isinstance(node, list):
            return [plain(v) for v in node]
        if isinstance(node, bool) or node is None:
            return node
        if isinstance(node, ScalarBoolean):  # an int subclass: keep it a bool, not 0/1
            return bool(node)
        if isinstance(node, int):
            return int(node)
        if isinstance(node, float):
            return float(node)
        if isinstance(node, str):
            return str(node)
        return node

    return plain(node)


def file_problem(
    path: Path,
    code: str,
    english: str,
    line: int = 1,
    column: int = 1,
    severity: str = "error",
    **ctx: Any,
) -> Problem:
    return Problem(
        display_path(path),
        line,
        column,
        "",
        code,
        message(code, english, **ctx),
        severity,  # type: ignore[arg-type]
    )


def text_position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of character ``index`` in ``text``, columns counted in characters
    (as editors and ruamel count them)."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


NOT_REGULAR = (
    (stat.S_ISDIR, "目录", "a folder"),
    (stat.S_ISFIFO, "命名管道（FIFO）", "a FIFO"),
    (stat.S_ISCHR, "设备文件", "a device"),
    (stat.S_ISBLK, "设备文件", "a device"),
    (stat.S_ISSOCK, "套接字（socket）", "a socket"),
)


def _not_regular(path: Path, mode: int) -> Problem:
    kind, english = next(
        ((kind, english) for test, kind, english in NOT_REGULAR if test(mode)),
        ("特殊文件", "a special file"),
    )
    if kind == "目录":
        return file_problem(path, "not_a_file", "is a folder, not a file")
    return file_problem(path, "not_regular_file", f"not a regular file: {english}", kind=kind)


def read_text(path: Path) -> tuple[str, list[Problem]]:
    """Bytes → text: UTF-8 (with or without BOM), or GB18030 from Windows editors with a warning.

    GB18030 is a superset of GBK and GB2312, so one decoder covers every Chinese Windows editor;
    the file is read, not refused, because the office cannot always choose how a file is saved,
    and the warning names the encoding so the technical colleague can convert it.
    """
    try:
        if path.is_dir():
            raise DataError([file_problem(path, "not_a_file", "is a folder, not a file")])
        # Opened without blocking (a FIFO would wait for a writer forever) and refused unless it
        # is a regular file: a FIFO, a device (/dev/zero), a socket never reach read().
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as stream:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise DataError([_not_regular(path, mode)])
            raw = stream.read(MAX_BYTES + 1)  # never read more than the limit
    except FileNotFoundError:
        raise DataError([file_problem(path, "file_missing", "file not found")]) from None
    except OSError as exc:
        raise DataError([file_problem(path, "file_missing", exc.strerror or str(exc))]) from None
    if len(raw) > MAX_BYTES:
        raise DataError(
            [file_problem(path, "too_large", "file too large", size=len(raw), limit=MAX_BYTES)]
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError([file_problem(path, "encoding_utf16", "UTF-16 file; save as UTF-8")])
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise DataError([file_problem(path, "binary_file", "binary file (NUL byte)", line)])
    body = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        utf8 = exc.start  # the first byte that is not UTF-8: where the office should look
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        line_start = body.rfind(b"\n", 0, utf8) + 1
        line = body.count(b"\n", 0, utf8) + 1
        column = len(body[line_start:utf8].decode("utf-8")) + 1  # valid up to the bad byte
        raise DataError(
            [file_problem(path, "encoding", "not UTF-8 or GB18030", line, column)]
        ) from None
    warning = file_problem(
        path, "encoding_gb18030", "decoded as GB18030; save as UTF-8", severity="warning"
    )
    return text, [warning]


def scan_text(path: Path, text: str) -> None:
    """Refuse what YAML would misread or Word cannot hold, at the exact character."""
    problems = []
    if found := TAB_INDENT.search(text):
        line, col = text_position(text, found.end() - 1)
        problems.append(file_problem(path, "tab_indent", "tab used for indentation", line, col))
    if found := CONTROL.search(text):
        line, col = text_position(text, found.start())
        code = f"U+{ord(found.group()):04X}"
        problems.append(
            file_problem(
                path, "control_char", f"character {code} not allowed", line, col, char=code
            )
        )
    if problems:
        raise DataError(problems)


class EventWatcher:
    """Sees every parser event as the composer takes it: refuses aliases (before the composer
    resolves one, so an alias bomb never expands), anchors, custom tags and deep nesting with
    their position; records every scalar value's place and style by its path."""

    def __init__(self, path: Path, text: str = "") -> None:
        from ruamel.yaml import events

        self.path, self.events, self.text = path, events, text
        self.resolver = _resolver()
        self.scalars: dict[Loc, Scalar] = {}
        # Each frame: [path, is_mapping, expecting_key, current key or last index]
        self.stack: list[list[Any]] = []

    def refuse(self, code: str, english: str, mark: Any, **ctx: Any) -> DataError:
        return DataError(
            [file_problem(self.path, code, english, mark.line + 1, mark.column + 1, **ctx)]
        )

    def see(self, event: Any) -> None:
        ev, stack = self.events, self.stack
        if isinstance(event, ev.AliasEvent):
            raise self.refuse(
                "alias", "alias (*name) not allowed", event.start_mark, name=event.anchor
            )
        if isinstance(event, ev.CollectionEndEvent):
            stack.pop()
            _value_done(stack)
            return
        if not isinstance(event, (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent)):
            return
        if event.anchor is not None:
            raise self.refuse(
                "anchor", "anchor (&name) not allowed", event.start_mark, name=event.anchor
            )
        tag = event.tag
        if tag is not None and not str(tag).startswith((STANDARD_TAG, "!!")):
            raise self.refuse("custom_tag", "custom tag not allowed", event.start_mark, tag=tag)
        frame = stack[-1] if stack else None
        is_key = frame is not None and frame[1] and frame[2]
        if frame is None:
            here: Loc = ()
        elif frame[1]:
            here = (*frame[0], frame[3]) if not is_key else frame[0]
        else:
            frame[3] += 1
            here = (*frame[0], frame[3])
        if isinstance(event, ev.ScalarEvent):
            if is_key:
                self.string_key(event)
                frame[2], frame[3] = False, event.value  # type: ignore[index]
            else:
                start, end = event.start_mark, event.end_mark
                self.scalars[here] = Scalar(
                    event.style,
                    start.line,
                    start.column,
                    end.line,
                    end.column,
                    event.value,
                    end.index,
                )
                _value_done(stack)
            return
        if len(stack) >= MAX_DEPTH:
            raise self.refuse("too_deep", "nested too deep", event.start_mark, limit=MAX_DEPTH)
        if is_key:  # a mapping or list used as a key: legal YAML, never our data
            raise self.refuse("complex_key", "a mapping or list used as a key", event.start_mark)
        stack.append([here, isinstance(event, ev.MappingStartEvent), True, -1])

    def string_key(self, event: Any) -> None:
        """A key YAML reads as something else than text (``~``, ``1``, ``true``, a date, or an
        explicit ``!!int``) is refused at its mark: our keys are field names and metric keys."""
        tag = event.tag
        plain = tag is None and event.implicit[0]
        if plain and _WORD_KEY.match(event.value) and event.value.lower() not in NOT_TEXT_WORDS:
            return  # the common case, decided without the resolver: a plain word is text
        if tag is None or tag == "!":
            from ruamel.yaml.nodes import ScalarNode

            tag = self.resolver.resolve(ScalarNode, event.value, event.implicit)
        tag = str(tag).replace("!!", STANDARD_TAG, 1) if str(tag).startswith("!!") else str(tag)
        if tag != STANDARD_TAG + "str":
            kind = KEY_KINDS.get(tag[len(STANDARD_TAG) :], tag)
            if found := self.thousands(event.start_mark.index):
                line, col = text_position(self.text, found[0])
                raise DataError(
                    [
                        file_problem(
                            self.path,
                            "thousands_separator",
                            "thousands separator ',' in a number",
                            line,
                            col,
                            number=found[1],
                        )
                    ]
                )
            raise self.refuse(
                "key_not_string",
                "keys should be strings",
                event.start_mark,
                key=event.value or "（空）",
                kind=kind,
            )

    def thousands(self, index: int) -> tuple[int, str] | None:
        """(where the number starts, the number without separators) when the key at ``index``
        is the rest of a value written with a thousands separator in a flow mapping:
        ``{value: 1,523}`` reads as ``value: 1`` and a key ``523``."""
        before = self.text[max(0, index - 40) : index]
        head = _THOUSANDS_HEAD.search(before)
        tail = _THOUSANDS_TAIL.match(self.text, index)
        if head is None or tail is None:
            return None
        number = re.sub(r"[,\s]", "", head.group(1) + tail.group())
        return index - len(before) + head.start(1), number


_THOUSANDS_HEAD = re.compile(r":[ \t]+(\d{1,3}(?:,[ \t]*\d{3})*),[ \t]*$")
_THOUSANDS_TAIL = re.compile(r"\d{3}(?:,[ \t]*\d{3})*(?:\.\d+)?(?![\w.])")

_WORD_KEY = re.compile(r"[^\W\d]")
"""A plain key that starts with a letter (or _, or a CJK character) resolves to text in YAML 1.2,
unless it is true/false/null."""
NOT_TEXT_WORDS = ("true", "false", "null")
KEY_KINDS = {
    "null": "空值",
    "int": "整数",
    "float": "数字",
    "bool": "true/false",
    "timestamp": "日期",
    "binary": "二进制数据",
}


@cache
def _resolver() -> Any:
    from ruamel.yaml.resolver import VersionedResolver

    return VersionedResolver()


@cache
def _constructor() -> Any:
    """The round-trip constructor, except that a date that is no date (``2023-13-45``) stays
    text: the model then says "应为日期" at its line and column, not a YAML error at 1:1."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class LenientDates(RoundTripConstructor):
        def construct_lenient_timestamp(self, node: Any, values: Any = None) -> Any:
            try:
                return self.construct_yaml_timestamp(node, values)
            except ValueError:  # day out of range, month 13, hour 25 …
                return str(node.value)

    LenientDates.add_constructor(
        STANDARD_TAG + "timestamp", LenientDates.construct_lenient_timestamp
    )
    return LenientDates


def watching_yaml(watcher: EventWatcher) -> Any:
    """A round-trip YAML loader whose parser shows each event to ``watcher`` as the composer
    consumes it: one parse for the checks and the tree."""
    from ruamel.yaml import YAML
    from ruamel.yaml.parser import RoundTripParser

    class WatchingParser(RoundTripParser):
        def get_event(self) -> Any:
            event = super().get_event()
            watcher.see(event)
            return event

    yaml = YAML(typ="rt")
    yaml.Parser = WatchingParser
    yaml.Constructor = _constructor()
    return yaml


def scan_events(path: Path, text: str) -> dict[Loc, Scalar]:
    """The watcher's checks over the events alone, without composing anything."""
    from ruamel.yaml import YAML

    watcher = EventWatcher(path, text)
    for event in YAML(typ="rt").parse(text):
        watcher.see(event)
    return watcher.scalars


def _value_done(stack: list[list[Any]]) -> None:
    if stack and stack[-1][1]:
        stack[-1][2] = True


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


def parse(path: Path, text: str) -> tuple[Any, dict[Loc, Scalar]]:
    """Text → round-trip tree and scalar places; syntax errors, duplicate keys, aliases and
    the rest become positioned problems."""
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    scan_text(path, text)
    watcher = EventWatcher(path, text)
    try:
        return watching_yaml(watcher).load(text), watcher.scalars
    except DuplicateKeyError as exc:
        line, col = _mark(exc)
        key = str(exc.problem).split('"')[1] if '"' in str(exc.problem) else ""
        raise DataError(
            [file_problem(path, "duplicate_key", "duplicate key", line, col, key=key)]
        ) from None
    except MarkedYAMLError as exc:
        line, col = _mark(exc)
        detail = " ".join(filter(None, [exc.context, exc.problem]))
        blank = _blank(text, exc.problem_mark)
        if blank is not None:
            line, col, hint = blank
        else:
            hint = _hint(exc)
        raise DataError(
            [
                file_problem(
                    path,
                    "yaml_syntax",
                    f"YAML syntax error: {detail}",
                    line,
                    col,
                    detail=detail,
                    hint=hint,
                )
            ]
        ) from None
    except (YAMLError, RecursionError, ValueError) as exc:  # ReaderError and the like
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise DataError(
            [file_problem(path, "yaml_syntax", f"YAML error: {detail}", detail=detail, hint="")]
        ) from None


def _hint(exc: Any) -> str:
    """The Chinese hint for a ruamel syntax error, chosen by its class and the part that says it."""
    kind = type(exc).__name__
    for cls, part, needle, hint in SYNTAX_HINTS:
        if kind == cls and needle in str(getattr(exc, part, None) or ""):
            return HINTS[hint]
    return ""


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


KINDS = {bool: "true/false", list: "列表", str: "文字", int: "数字", float: "数字"}


def load_file(path: Path) -> Source:
    """Read and parse one data file; a file that is not a mapping is refused here."""
    text, warnings = read_text(path)
    tree, scalars = parse(path, text)
    if tree is None:
        raise DataError([file_problem(path, "empty_file", "empty file")])
    if not isinstance(tree, dict):
        kind = next((v for k, v in KINDS.items() if isinstance(tree, k)), type(tree).__name__)
        raise DataError(
            [file_problem(path, "not_mapping", "top level must be a mapping", kind=kind)]
        )
    return Source(path, tree, warnings, text, scalars)
