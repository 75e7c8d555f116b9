"""The commands' flows, stage after stage: a year built (load → outline → layout → output), years
validated (and the templates build would use). The CLI parses, calls one of these, prints.

Each stage's library is imported where it is first needed, so validate pays for Jinja and
python-docx only when it checks the templates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from annual_report import dataset, unfinished
from annual_report.errors import DataError, Problem, display_path

if TYPE_CHECKING:
    from annual_report.layout.profile import Profile
    from annual_report.model import YearData
    from annual_report.scaffold import Scaffolded


ABOUT_PRIOR = "yoy_"
"""Errors of ``| yoy`` (yoy_no_prior, yoy_unit, …) are about the folder's own year before, a third
year when two folders are compared (data/2022 against drafts/2023-v2): they do not block."""


class Comparable(NamedTuple):
    """One side of a diff, and what is said about it."""

    data: YearData
    unfinished: int
    """Places still to fill in after ``init``: compared anyway."""
    about_prior: int
    """``| yoy`` problems about the folder's own year before: not part of this comparison."""


def comparable(arg: str, data_dir: Path) -> Comparable | None:
    """A year under the data folder (``2022``) or any year's folder (``old/2022``, ``draft``),
    as diff compares it; None when ``arg`` is neither, DataError when its errors stop it."""
    path = Path(arg)
    if dataset.is_year(arg) and not (path.is_dir() and not (data_dir / arg).is_dir()):
        checked = dataset.check_year(data_dir, int(arg))
    elif (path / dataset.REPORT_FILE).is_file():
        checked = dataset.check_folder(path)
    else:
        return None
    prior = [p for p in checked.errors if p.code.startswith(ABOUT_PRIOR)]
    to_do = [p for p in checked.errors if p.code in unfinished.CODES]  # neither blocks
    blocking = [p for p in checked.errors if p not in to_do and p not in prior]
    data = checked.data or (None if blocking else checked.parsed)
    if data is None:
        note = "" if checked.missing else f"{arg} 的数据有错误，无法比较 (fix {arg}'s data first)"
        raise DataError(blocking or checked.errors, note)
    return Comparable(data, len(to_do), len(prior))


def init_year(data_dir: Path, year: int, source_year: int, *, force: bool) -> Scaffolded:
    """``data_dir/<year>`` scaffolded from a valid ``source_year``; DataError when that year
    has errors, OutputError when the folder cannot be written."""
    from annual_report import scaffold
    from annual_report.output import OutputError

    checked = dataset.check_year(data_dir, source_year)
    if checked.data is None:
        note = (
            ""
            if checked.missing
            else f"{source_year} 年的数据有错误，请先改正再生成 {year} 年草稿 "
            f"(fix {source_year} before scaffolding {year} from it)"
        )
        raise DataError(checked.problems, note)
    try:
        return scaffold.init_year(
            checked.data,
            dataset.year_dir(data_dir, source_year),
            dataset.year_dir(data_dir, year),
            year,
            force=force,
        )
    except OSError as exc:
        raise OutputError(f"无法写入 {display_path(data_dir)}：{exc.strerror or exc}") from None


class Validated(NamedTuple):
    problems: list[Problem]
    """Sorted; every one an error under ``strict``."""
    files: int
    """Every file looked at: the count in the summary line."""


def validate(
    years: list[int],
    data_dir: Path,
    *,
    strict: bool = False,
    templates: bool = False,
    template_dir: Path | None = None,
    profile_path: Path | None = None,
) -> Validated:
    """Every problem of the years (all under ``data_dir`` when none are given), and with
    ``templates`` those of the layout profile and outline build would use."""
    chosen = years or dataset.years_in(data_dir)
    found: list[Problem] = []
    valid: dict[int, dataset.Checked] = {}  # what the outline is rendered with, under templates
    files = 0
    if not chosen:
        found.append(dataset.data_missing(data_dir))
    for year in dict.fromkeys(chosen):
        checked = dataset.check_year(data_dir, year)
        files += len(checked.files)
        found += checked.problems
        if checked.data is not None:
            valid[year] = checked
    if templates:  # opt-in: the data alone is validate's fast path
        found += check_templates(data_dir, template_dir, profile_path, valid)  # not data files
    if strict:
        found = [Problem(**{**p.as_dict(), "severity": "error"}) for p in found]
    return Validated(sorted(found), files)


def check_templates(
    data_dir: Path,
    template_dir: Path | None,
    profile_path: Path | None,
    valid: dict[int, dataset.Checked],
) -> list[Problem]:
    """The layout profile and the outline template build would take for this data folder (the
    same search): the profile loaded, the outline parsed and rendered with each valid year's
    data as build renders it, their problems told like the data's."""
    from annual_report import templates
    from annual_report.layout.profile import load_profile

    found: list[Problem] = []
    for name in (templates.PROFILE, templates.OUTLINE):
        try:
            path = profile_path if name == templates.PROFILE and profile_path else None
            path = path or templates.find(name, data_dir, template_dir)
        except templates.TemplateMissing as exc:
            found.append(Problem(display_path(data_dir), 1, 1, "", "file_missing", str(exc)))
            continue
        if name == templates.OUTLINE:
            found += _check_outline(path, valid)
            continue
        try:
            load_profile(path)
        except DataError as exc:
            found += exc.problems
    return found


def _check_outline(path: Path, valid: dict[int, dataset.Checked]) -> list[Problem]:
    """The outline template as build would run it: read as build reads it (encoding warnings),
    parsed, then rendered, sandboxed, with each valid year's data, writing nothing."""
    from annual_report import outline
    from annual_report.load.decode import read_text

    try:
        text, problems = read_text(path)
    except DataError as exc:
        return exc.problems
    problems += outline.template_problems(path, text)
    if any(p.severity == "error" for p in problems):
        return problems
    contexts = {
        year: outline.outline_context(checked.data, checked.prior)
        for year, checked in valid.items()
        if checked.data is not None  # only valid years are here
    }
    return problems + outline.render_problems(path, text, contexts)


@dataclass(frozen=True)
class BuildOptions:
    """What the command line asks of a build, the same for every year of it. A ``draft`` is
    built from a year still in progress (dataset.load_year) and says so."""

    data_dir: Path
    output: Path | None = None
    template_dir: Path | None = None
    profile_path: Path | None = None
    pdf: bool = False
    draft: bool = False


def build_year(
    year: int,
    options: BuildOptions,
    warn: Callable[[list[Problem]], None],
    batch: Batch | None = None,
) -> Iterator[Path]:
    """Build one year, yielding each file as soon as it is written (the .docx, then the PDF);
    the data's and the outline's warnings go to ``warn`` before anything is written. Years
    built one after another share a ``batch``."""
    from annual_report import output as out
    from annual_report import templates

    batch = batch or Batch(options)
    output = options.output
    target, docx = _make_docx(batch, year, output, warn)
    yield _write(target, docx)
    pdf_target = output if output is not None and _is_pdf(output) else None
    if options.pdf or pdf_target:
        mapping = templates.find(templates.FONTS, options.data_dir, options.template_dir)
        fonts = out.stand_in_fonts(batch.profile().elements.body.font, mapping)
        pdf_target = pdf_target or target.with_suffix(".pdf")
        yield out.convert_to_pdf(target, pdf_target, fontconfig=fonts)


class Batch:
    """What the years of one build share, each read when the first year needs it (so a
    problem shows where a single build meets it): the outline and its warnings, the layout
    profile, and the year just loaded, which is the next one's year before."""

    def __init__(self, options: BuildOptions) -> None:
        self.data_dir, self.template_dir = options.data_dir, options.template_dir
        self.profile_path, self.draft = options.profile_path, options.draft
        self.several = False
        """Set for build --all: the blank pages are then made once and opened by each year."""
        self._blank: bytes | None = None
        self._outline: tuple[Path, str, list[Problem]] | None = None
        self._profile: Profile | None = None
        self._last: tuple[Path, YearData] | None = None

    def outline(self) -> tuple[Path, str, list[Problem]]:
        from annual_report import templates
        from annual_report.load.decode import read_text

        if self._outline is None:
            path = templates.find(templates.OUTLINE, self.data_dir, self.template_dir)
            text, problems = read_text(path)  # BOM, GB18030, clean errors
            self._outline = path, text, problems
        return self._outline

    def profile(self) -> Profile:
        from annual_report import templates
        from annual_report.layout.profile import load_profile

        if self._profile is None:
            self._profile = load_profile(
                self.profile_path
                or templates.find(templates.PROFILE, self.data_dir, self.template_dir)
            )
        return self._profile

    def blank(self) -> bytes | None:
        from annual_report.layout.docx import blank_pages

        if not self.several:
            return None
        if self._blank is None:
            self._blank = blank_pages(self.profile(), draft=self.draft)
        return self._blank

    def read_prior(self, folder: Path) -> YearData | None:
        if self._last is not None and self._last[0] == folder:
            return self._last[1]
        return dataset.read_year(folder)

    def load(self, year: int) -> dataset.LoadedYear:
        loaded = dataset.load_year(
            self.data_dir, year, draft=self.draft, read_prior=self.read_prior
        )
        self._last = dataset.year_dir(self.data_dir, year), loaded.data
        return loaded


def _make_docx(
    batch: Batch, year: int, output: Path | None, warn: Callable[[list[Problem]], None]
) -> tuple[Path, bytes]:
    """The year's document in memory, and where it goes."""
    from annual_report import outline
    from annual_report.layout.docx import build_document

    if batch.several:
        import gc

        gc.collect()  # the year before's garbage, before this one's: memory flat over --all
    data, prior, warnings = batch.load(year)
    warn(warnings)
    outline_path, template_text, template_warnings = batch.outline()
    warn(template_warnings)
    context = outline.outline_context(data, prior)
    blocks = outline.render_outline(template_text, context, display_path(outline_path))
    document = build_document(
        blocks,
        batch.profile(),
        title=data.report.title,
        author=data.report.organization,
        draft=batch.draft,
        base=batch.blank(),
    )
    docx = BytesIO()  # saved in memory: a full disk fails our one write, not ZipFile.__del__
    document.save(docx)
    return _target(output, year, data.report.title, batch.draft), docx.getvalue()


POOL_FROM = 8
"""Years from which build --all spreads the work over the cores (fewer: one process)."""


def build_years(
    years: list[int], options: BuildOptions, warn: Callable[[list[Problem]], None]
) -> Iterator[tuple[int, Path]]:
    """Several years, oldest first, each file yielded with its year as soon as it is written,
    exactly as building them one by one (the first failure stops the rest). Without PDFs and
    with enough years, worker processes make the documents in runs of consecutive years
    while this one writes them in order; a year a worker could not make is built here, which
    says what is wrong as a single build would."""
    batch = Batch(options)
    batch.several = True
    output = options.output
    made = _made_in_workers(years, batch, output) if not options.pdf else iter(())
    for year in years:
        folder = output / str(year) if output else None
        prepared = next(made, None)
        if prepared is None:
            made = iter(())  # from here on, here
            for path in build_year(year, replace(options, output=folder), warn, batch):
                yield year, path
            continue
        warnings, target, docx = prepared
        warn(warnings)
        yield year, _write(target, docx)


def _write(target: Path, docx: bytes) -> Path:
    from annual_report import output as out

    return out.write_atomically(target, lambda path: path.write_bytes(docx))


Prepared = tuple[list[Problem], Path, bytes]


def _made_in_workers(
    years: list[int], batch: Batch, output: Path | None
) -> Iterator[Prepared | None]:
    """Each year's document from a pool of processes, in order; None for a year a worker
    could not make (and nothing after it)."""
    import multiprocessing
    import os

    workers = min(os.cpu_count() or 1, len(years) // (POOL_FROM // 2))
    if len(years) < POOL_FROM or workers < 2:
        return
    import gc

    import annual_report.layout.docx  # noqa: F401  imported once, before the fork
    from annual_report import outline  # noqa: F401

    gc.freeze()  # what is loaded now is never garbage: the workers' collections skip it

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = -(-len(years) // (workers * 4))  # runs of consecutive years: each reuses its prior
    with context.Pool(workers, _start_worker, (batch, output)) as pool:
        for prepared in pool.imap(_make_in_worker, years, chunksize=chunk):
            yield prepared
            if prepared is None:
                return


_WORKER: tuple[Batch, Path | None] | None = None


def _start_worker(batch: Batch, output: Path | None) -> None:
    global _WORKER
    _WORKER = batch, output


def _make_in_worker(year: int) -> Prepared | None:
    """In a worker: the year's warnings, target and document; None on any failure, which the
    parent then meets again itself, to say it as a single build does."""
    assert _WORKER is not None
    batch, output = _WORKER
    said: list[Problem] = []
    try:
        target, docx = _make_docx(batch, year, output / str(year) if output else None, said.extend)
    except Exception:
        return None
    return said, target, docx


def _is_docx(output: Path) -> bool:
    return output.suffix.lower() == ".docx"


def _is_pdf(output: Path) -> bool:
    """``-o 总结.pdf``: the PDF the user asked for, with its .docx beside it (a folder of that
    name, made before this rule, stays a folder)."""
    return output.suffix.lower() == ".pdf" and not output.is_dir()


def _target(output: Path | None, year: int, title: str, draft: bool) -> Path:
    from annual_report.output import DRAFT, file_name

    name = file_name(title, f"{DRAFT}.docx" if draft else ".docx")
    if output is None:
        return Path("build") / str(year) / name
    if _is_docx(output):
        return output
    if _is_pdf(output):
        return output.with_suffix(".docx")
    return output / name


def wrong_output(output: Path, *, several: bool) -> str | None:
    """An -o that build cannot honour, said before anything is built: an existing file that
    is not a .docx or .pdf (it would be taken for a folder), or a file for several years."""
    named_file = output.exists() or _is_docx(output) or _is_pdf(output)
    if several and named_file and not output.is_dir():
        return (
            f"生成多个年度时 -o 须为目录，每个年度写在其下的年度子目录中：{output}"
            f"（with several years, -o must be a folder）；例：-o build"
        )
    if output.is_file() and not (_is_docx(output) or _is_pdf(output)):
        return (
            f"-o {output} 是已有的文件，但不是 .docx 或 .pdf：请写 .docx 或 .pdf 文件名，或一个目录"
            f"（-o names an existing file that is not .docx or .pdf）"
        )
    return None
