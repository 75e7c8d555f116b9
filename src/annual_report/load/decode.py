"""Bytes → text fit to parse: size limit, regular files only, UTF-8 or GB18030, and no character
that YAML would misread or a .docx cannot hold."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from annual_report.blocks import XML_FORBIDDEN
from annual_report.errors import DataError, Problem
from annual_report.load.source import file_problem, text_position

MAX_BYTES = 256 * 1024
"""A year's data is a few KB; anything this large is a mistake (or an attack), not a report."""

CONTROL = re.compile(rf"[{XML_FORBIDDEN}\x7f-\x84\x86-\x9f]")
"""What the file itself may not hold, refused at its character: every character XML 1.0 forbids
(C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF), and the C1 controls that YAML
refuses as raw text (ruamel would say so only at 1:1)."""
TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)

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


def _unreadable(path: Path, exc: OSError) -> Problem:
    """Why a file could not be opened, said as what it is: missing, a symlink to nothing or to
    itself, no permission; never every failure as 找不到文件."""
    english = exc.strerror or type(exc).__name__
    if exc.errno == errno.ELOOP:
        return file_problem(path, "symlink_loop", english)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return file_problem(path, "permission_denied", english)
    if exc.errno == errno.ENOENT and path.is_symlink():
        return file_problem(path, "symlink_broken", english, target=os.readlink(path))
    if exc.errno == errno.ENOENT:
        return file_problem(path, "file_missing", "file not found")
    return file_problem(path, "file_unreadable", english)


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
    except OSError as exc:
        raise DataError([_unreadable(path, exc)]) from None
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
