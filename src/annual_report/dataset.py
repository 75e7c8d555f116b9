"""A year's data folder → one validated YearData, or every problem found in it at once.

Runs the first stages of the flow (load → model → text checks) for all files of a year and
collects problems instead of stopping at the first, so `validate` can report them together.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple, TypeVar

from pydantic import ValidationError

from annual_report import rules, unfinished, validation, writing
from annual_report.errors import DataError, Problem, closest, display_path, message
from annual_report.load import guarded, load_file
from annual_report.load.source import Source
from annual_report.model import (
    FILE_MODELS,
    FileKind,
    ReportFile,
    Strict,
    YearData,
)

REPORT_STEM = "report"
REPORT_FILE = f"{REPORT_STEM}.yaml"
M = TypeVar("M", bound=Strict)


@dataclass
class Checked:
    """What validating one year found: the data if it is usable, and every problem."""

    data: YearData | None
    sources: dict[str, Source] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    """Every file looked at, loaded or not: the count in the summary line."""
    prior: YearData | None = None
    """The year before, read once: for follow-through, ``| yoy``, hints and the rendering."""
    parsed: YearData | None = None
    """Every file valid on its own, the rules across files not applied: what diff compares of a
    year still being filled in."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def missing(self) -> bool:
        """No data where it was looked for: nothing to call wrong."""
        return any(p.code in MISSING for p in self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


MISSING = ("data_missing", "year_missing")


YEAR = re.compile(r"[0-9]{4}")
"""A year as a folder name or argument: four ASCII digits (``str.isdigit`` also takes ², ٢)."""


def is_year(name: str) -> bool:
    return YEAR.fullmatch(name) is not None


def years_in(data_dir: Path) -> list[int]:
    """Every year folder under the data folder, oldest first; a year's link that leads nowhere
    counts too, so it is said rather than silently passed over."""
    if not data_dir.is_dir():
        return []
    return sorted(
        int(p.name)
        for p in data_dir.iterdir()
        if is_year(p.name) and (p.is_dir() or p.is_symlink())
    )


def year_dir(data_dir: Path, year: int) -> Path:
    return data_dir / str(year)


def check_year(data_dir: Path, year: int, read_prior: ReadPrior | None = None) -> Checked:
    """Validate every file of a year; never raises for bad data."""
    folder = year_dir(data_dir, year)
    if not folder.is_dir():
        return Checked(None, problems=[data_missing(data_dir, year)])
    return check_folder(folder, read_prior)


def data_missing(data_dir: Path, year: int | None = None) -> Problem:
    """No data where we looked: which folder that was (in full: the clerk ran the command from
    somewhere else) and how to point elsewhere."""
    looked = data_dir.resolve()
    if not data_dir.is_dir():
        code, english = "data_missing", f"no data folder {looked}"
    elif year is not None and year_dir(data_dir, year).is_symlink():
        code, english = "year_link_broken", f"the folder {year} is a link that leads nowhere"
    elif year is None:
        code, english = "years_missing", f"no year folders in {looked}"
    else:
        code, english = "year_missing", f"no folder {year} in {looked}"
    where = display_path(data_dir if year is None else year_dir(data_dir, year))
    return Problem(where, 1, 1, "", code, message(code, english, folder=looked, year=year))


def check_folder(folder: Path, read_prior: ReadPrior | None = None) -> Checked:
    """Validate every file of a year's folder, whatever the folder is called; ``read_prior``
    reads the year before (read_year unless a batch already has it)."""
    checked, listed = _read(folder, traps=True)
    data = checked.parsed if listed else None
    if data is not None:  # traps do not stop these
        checked.prior = (read_prior or read_year)(folder.parent / str(data.year - 1))
        checked.problems += _folder_year(folder, data, checked.sources)
        checked.problems += rules.cross_check(data, checked.sources, checked.prior)
        if not checked.errors:
            checked.data = data
    else:  # what init left to fill in needs only the source trees: said now, not after a fix
        checked.problems += _not_said(unfinished.problems(checked.sources), checked.problems)
    if checked.data is None and not checked.errors:  # a bug of ours: still never a silent None
        checked.problems.append(
            Problem(
                display_path(folder / REPORT_FILE),
                1,
                1,
                "",
                "incomplete",
                message("incomplete", "the year could not be read, and no error says why"),
            )
        )
    checked.problems.sort()
    return checked


ReadPrior = Callable[[Path], "YearData | None"]
"""How check_folder reads the year before: read_year, or a batch's memory of the year it
just checked (each year's files parsed once when every year is built)."""


def _folder_year(folder: Path, data: YearData, sources: dict[str, Source]) -> list[Problem]:
    """A folder named as a year holds that year: data/2030 with 2022's report.yaml would build
    a 2022 document under build/2030 and diff as "no differences"."""
    if not is_year(folder.name) or int(folder.name) == data.year:
        return []
    return [
        sources[REPORT_STEM].problem(
            ("year",), "folder_year", "year differs from the folder name", folder=folder.name
        )
    ]


def read_year(folder: Path) -> YearData | None:
    """A year's files through the models alone (no cross-file or cross-year rules, so reading
    2023's year before never cascades into 2021); None when a file is missing or invalid."""
    if not (folder / REPORT_FILE).is_file():
        return None
    return _read(folder, traps=False)[0].parsed


def _read(folder: Path, *, traps: bool) -> tuple[Checked, bool]:
    """Every file report.yaml lists, each loaded and validated on its own (``parsed`` when all
    are), and whether report.yaml's list is usable as it stands (no name missing or twice)."""
    checked = Checked(None)
    report = _validate(checked, folder / REPORT_FILE, ReportFile, REPORT_STEM, traps)
    if report is None:  # still check whatever files are there
        listed, usable = _guess_files(folder), False
    else:
        listed = _listed_files(checked, folder, report)
        usable = len(listed) == len(report.listed())
    files = {
        stem: _validate(checked, folder / f"{stem}.yaml", FILE_MODELS[kind], stem, traps)
        for stem, kind in listed
    }
    if report and usable and all(files.values()):
        checked.parsed = YearData.assemble(report, files)  # type: ignore[arg-type]
    return checked, usable


def _not_said(found: list[Problem], said: list[Problem]) -> list[Problem]:
    """``found`` without a problem at a field the models already reported an error at."""
    places = {(p.file, p.path) for p in said if p.severity == "error"}
    return [p for p in found if (p.file, p.path) not in places]


class LoadedYear(NamedTuple):
    data: YearData
    prior: YearData | None
    warnings: list[Problem]


def load_year(
    data_dir: Path, year: int, *, draft: bool = False, read_prior: ReadPrior | None = None
) -> LoadedYear:
    """The year's data, the year before (if usable) and the warnings; DataError with every
    problem when the year has errors. A ``draft`` takes a year still in progress: what init
    left to do (values, texts, plans to rewrite) becomes warnings, every other error stops it."""
    checked = check_year(data_dir, year, read_prior)
    if checked.data is not None:
        return LoadedYear(checked.data, checked.prior, checked.warnings)
    unfilled = [p for p in checked.errors if p.code in unfinished.CODES]
    to_do = unfilled if draft else []
    if checked.parsed is None or len(to_do) < len(checked.errors):
        only_unfilled = checked.parsed is not None and len(unfilled) == len(checked.errors)
        note = message("draft_hint", "only still to fill in: try --draft", year=year)
        raise DataError(
            [p for p in checked.problems if p not in to_do], note if only_unfilled else ""
        )
    as_warnings = [replace(p, severity="warning") for p in to_do]
    return LoadedYear(checked.parsed, checked.prior, sorted(checked.warnings + as_warnings))


def _guess_files(folder: Path) -> list[tuple[str, FileKind]]:
    """Without a valid report.yaml, still check whatever files are there: plans.yaml as the
    plans, a file with a top-level ``heading:`` as a section, any other as a part's file."""
    return [
        (_stem(p), _guess_kind(p)) for p in sorted(folder.glob("*.yaml")) if p.name != REPORT_FILE
    ]


def _stem(path: Path) -> str:
    """The name before .yaml, as report.yaml lists it: "" for a file named ``.yaml`` (whose
    Path.stem is ".yaml", once said as .yaml.yaml)."""
    return path.name.removesuffix(".yaml")


def _guess_kind(path: Path) -> FileKind:
    if path.name == "plans.yaml":
        return "plans"
    try:
        with path.open("rb") as file:
            start = file.read(GUESS_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return "section"  # said when it is loaded
    return "section" if HEADING_LINE.search(start) else "part"


HEADING_LINE = re.compile(r"^heading:", re.MULTILINE)
GUESS_BYTES = 4096
"""A section's ``heading:`` stands at its top; the rest of the file is read when it is loaded."""


MISSING_CODES: dict[str, str] = {
    "sections": "section_missing",
    "plans": "plans_missing",
    "file": "part_file_missing",
}
"""The error for a file report.yaml names that is not there, by the field that names it."""


def _listed_files(checked: Checked, folder: Path, report: ReportFile) -> list[tuple[str, FileKind]]:
    """The files to load, each once, with their kind; every listed name that cannot be loaded
    is said at its place in report.yaml (a missing file with the likely one, report.yaml itself,
    a name listed twice). A .yaml file in the folder that report.yaml does not name never
    reaches the document: a warning."""
    present = sorted(_stem(p) for p in folder.glob("*.yaml"))
    source = checked.sources[REPORT_STEM]
    listed = report.listed()
    names = {stem for stem, _, _ in listed}
    candidates = [p for p in present if p != REPORT_STEM and p not in names]
    found: list[tuple[str, FileKind]] = []
    seen: set[str] = set()
    for stem, kind, loc in listed:
        field = str(loc[-2] if isinstance(loc[-1], int) else loc[-1])
        if stem in seen:
            checked.problems.append(
                source.problem(loc, "duplicate_section", "listed twice", stem=stem)
            )
        elif stem == REPORT_STEM:
            checked.problems.append(
                source.problem(loc, "reserved_stem", "report.yaml itself", field=field)
            )
        elif stem not in present:
            guess = closest(stem, candidates)
            checked.problems.append(
                source.problem(
                    loc,
                    MISSING_CODES[field],
                    "file not found",
                    file=display_path(folder / f"{stem}.yaml"),
                    hint=f"，您是否想写 '{guess}'?" if guess else "",
                )
            )
        else:
            found.append((stem, kind))
        seen.add(stem)
    for stem in present:
        if stem not in names and stem != REPORT_STEM:
            checked.problems.append(
                Problem(
                    display_path(folder / f"{stem}.yaml"),
                    1,
                    1,
                    "",
                    "unlisted_file",
                    message("unlisted_file", "file not listed in report.yaml"),
                    "warning",
                )
            )
    return found


def _validate(
    checked: Checked, path: Path, model: type[M], stem: str, traps: bool = True
) -> M | None:
    """The file's model, or None with at least one error recorded (every path below);
    ``traps``: the YAML traps and punctuation too."""
    checked.files.append(display_path(path))
    try:
        source = load_file(path)
    except DataError as exc:  # DataError always carries its problems
        checked.problems += exc.problems
        return None
    checked.sources[stem] = source
    checked.problems += source.warnings
    try:
        with guarded(path):  # the checks and the model, too, never end in a traceback
            if traps:
                checked.problems += writing.file_checks(source)
            try:
                return model.model_validate(source.plain)
            except ValidationError as exc:
                checked.problems += validation.problems(source, exc, model)
    except DataError as exc:
        checked.problems += exc.problems
    return None
