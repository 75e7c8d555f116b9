"""The output stage: files appear whole or not at all.

Every file is written to a temporary name in the target folder and renamed over the old one, so
a failed build leaves the previous document untouched and never a half-written one.
"""

from __future__ import annotations

import datetime as dt
import errno
import itertools
import os
import re
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from annual_report.errors import UserError

UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


class OutputError(UserError):
    """Writing or converting the document failed (disk, permissions, LibreOffice)."""


MAX_NAME_BYTES = 240
"""File systems stop at 255 bytes a name; a Chinese character takes three in UTF-8."""


DRAFT = "（草稿）"
"""After the title in a draft's file name: 街道办2023年总结和2024年工作计划（草稿）.docx."""


def file_name(title: str, suffix: str = ".docx") -> str:
    """The title as the file name staff hand in, minus characters Windows refuses, cut to a
    length every file system takes."""
    stem = UNSAFE_IN_FILE_NAMES.sub("_", title).strip(" .")
    room = MAX_NAME_BYTES - len(suffix.encode())
    stem = stem.encode()[:room].decode(errors="ignore").rstrip(" .")
    return (stem or "summary") + suffix


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=target.suffix)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(_mode_for(target))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _mode_for(target: Path) -> int:
    """The old file's permissions, or a new file's (mkstemp's 0600 would hide it from others)."""
    if target.exists():
        return stat.S_IMODE(target.stat().st_mode)
    return 0o666 & ~_umask()


def write_atomically(target: Path, write: Callable[[Path], object]) -> Path:
    try:
        with atomic_path(target) as temporary:
            write(temporary)
    except OSError as exc:
        raise OutputError(f"无法写入 {target}：{exc.strerror or exc}") from exc
    return target


def replace_folder(
    target: Path,
    files: dict[str, str],
    purpose: str,
    *,
    check: Callable[[Path], object] | None = None,
    now: dt.datetime | None = None,
) -> Path | None:
    """Write ``files`` (name → text, written as they are) as the folder ``target``, which appears
    whole or not at all: written aside (``.<name>.<purpose>-…``), ``check``ed there (it raises
    to stop), then renamed into place. An existing ``target`` first moves to
    ``<name>.backup-YYYYMMDD-HHMMSS`` beside it (``-2``, ``-3``, … when taken), returned; it
    moves back if the new folder cannot go in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.{purpose}-", dir=target.parent))
    backup = None
    try:
        staging.chmod(_folder_mode())  # mkdtemp's 0700 would hide the year from colleagues
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="")  # as it is
        if check is not None:
            check(staging)
        if target.exists():
            stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
            backup = _move_aside(target, f"{target.name}.backup-{stamp}")
        staging.rename(target)
    except BaseException:
        if backup is not None and not target.exists():
            backup.rename(target)  # the old folder back in place: whole or not at all
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return backup


def _move_aside(folder: Path, name: str) -> Path:
    """``folder`` renamed to ``name``, or ``name-2``, ``name-3``, … when that is taken (``--force``
    twice within a second)."""
    for n in itertools.count(1):
        backup = folder.with_name(name if n == 1 else f"{name}-{n}")
        if backup.exists() or backup.is_symlink():
            continue
        try:
            folder.rename(backup)
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                continue  # taken between the look and the rename
            raise
        return backup
    raise AssertionError("unreachable")


def _folder_mode() -> int:
    """A new folder's usual permissions (as atomic_path gives a new file its own)."""
    return 0o777 & ~_umask()


def _umask() -> int:
    """The process's umask: reading it means setting it, so it is set straight back."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def stand_in_fonts(font: str, mapping: Path) -> Path | None:
    """The font mapping for LibreOffice on a machine without the official fonts (Linux has none
    of them), so the PDF looks like the office's print-out; None where the fonts are there."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    found = subprocess.run([fc_list, f":family={font}", "family"], capture_output=True, text=True)
    return None if found.stdout.strip() else mapping


def convert_to_pdf(docx: Path, pdf: Path, *, fontconfig: Path | None = None) -> Path:
    """LibreOffice renders the PDF, with the stand-in fonts where the official ones are missing."""
    # fontconfig reads a relative FONTCONFIG_FILE from /etc/fonts, not the working folder
    env = dict(os.environ, **({"FONTCONFIG_FILE": str(fontconfig.resolve())} if fontconfig else {}))
    with tempfile.TemporaryDirectory(prefix="annual-report-") as work:
        produced = libreoffice_convert(docx, "pdf", Path(work), env=env)
        return write_atomically(pdf, lambda tmp: shutil.copyfile(produced, tmp))


def libreoffice_convert(
    source: Path, kind: str, work: Path, *, env: dict[str, str] | None = None
) -> Path:
    """``source`` converted by LibreOffice to ``work/<stem>.<kind>`` (PDF for build, .docx for
    import); a private profile keeps parallel runs from colliding."""
    program = soffice()
    if program is None:
        raise OutputError("需要 LibreOffice（soffice），但未找到 (LibreOffice not found)")
    command = [
        program,
        # a URL, not a path pasted after file://: a space or # in TMPDIR must be escaped
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--convert-to",
        kind,
        "--outdir",
        str(work),
        str(source.resolve()),  # absolute: a name such as -x.docx is not read as an option
    ]
    try:
        subprocess.run(command, env=env, capture_output=True, check=True, timeout=300)
    except (subprocess.SubprocessError, OSError) as exc:
        raise OutputError(f"LibreOffice 转换 {kind} 失败：{exc}") from exc
    produced = work / f"{source.stem}.{kind}"
    if not produced.is_file():
        raise OutputError(f"LibreOffice 没有生成 {kind} 文件 (no {kind} produced)")
    return produced
