"""A year's data folder → one validated YearData, or every problem found in it at once.

Runs the first stages of the flow (load → model → text checks) for all files of a year and
collects problems instead of stopping at the first, so `validate` can report them together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, NamedTuple, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from annual_report import followup, numbers, prose, unfinished, writing
from annual_report.errors import DataError, Problem, chinese, closest, display_path, message
from annual_report.load import load_file
from annual_report.load.source import Loc, Source
from annual_report.model import (
    METRIC_KEY,
    Metric,
    PlansFile,
    ReportFile,
    SectionFile,
    Strict,
    YearData,
)

REPORT_STEM = "report"
REPORT_FILE = f"{REPORT_STEM}.yaml"
M = TypeVar("M", bound=Strict)
NUMBER_CODES = ("int_type", "float_type", "number_type")
METRIC_TYPO = 0.8
"""How alike a metric key must be to one the year defines to be suggested as its typo: a deleted
``parking_spaces`` is not ``charging_piles`` (0.64), ``charging_pile`` is (0.96)."""


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


def year_dir(data_dir: Path, year: int) -> Path:
    return data_dir / str(year)


def check_year(data_dir: Path, year: int) -> Checked:
    """Validate every file of a year; never raises for bad data."""
    folder = year_dir(data_dir, year)
    if not folder.is_dir():
        return Checked(None, problems=[data_missing(data_dir, year)])
    return check_folder(folder)


def data_missing(data_dir: Path, year: int | None = None) -> Problem:
    """No data where we looked: which folder that was (in full: the clerk ran the command from
    somewhere else) and how to point elsewhere."""
    looked = data_dir.resolve()
    if not data_dir.is_dir():
        code, english = "data_missing", f"no data folder {looked}"
    elif year is None:
        code, english = "years_missing", f"no year folders in {looked}"
    else:
        code, english = "year_missing", f"no folder {year} in {looked}"
    where = display_path(data_dir if year is None else year_dir(data_dir, year))
    return Problem(where, 1, 1, "", code, message(code, english, folder=looked, year=year))


def check_folder(folder: Path) -> Checked:
    """Validate every file of a year's folder, whatever the folder is called."""
    checked = Checked(None)
    report = _validate(checked, folder / REPORT_FILE, ReportFile, REPORT_STEM)
    plans_stem: str | None
    if report is None:  # still check whatever files are there
        stems, plans_stem, listed_ok = _guess_sections(folder), "plans", False
    else:
        stems, plans_stem = _listed_files(checked, folder, report)
        listed_ok = len(stems) == len(report.sections) and plans_stem is not None
    sections = {
        stem: _validate(checked, folder / f"{stem}.yaml", SectionFile, stem) for stem in stems
    }
    plans = (
        _validate(checked, folder / f"{plans_stem}.yaml", PlansFile, plans_stem)
        if plans_stem is not None
        else None
    )
    if report and plans and listed_ok and all(sections.values()):  # traps do not stop these
        data = YearData(report=report, sections=sections, plans=plans)  # type: ignore[arg-type]
        checked.prior = followup.read_year(folder.parent / str(data.year - 1))
        checked.problems += cross_check(data, checked.sources, checked.prior)
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


def _not_said(found: list[Problem], said: list[Problem]) -> list[Problem]:
    """``found`` without a problem at a field the models already reported an error at."""
    places = {(p.file, p.path) for p in said if p.severity == "error"}
    return [p for p in found if (p.file, p.path) not in places]


class LoadedYear(NamedTuple):
    data: YearData
    prior: YearData | None
    warnings: list[Problem]


def load_year(data_dir: Path, year: int) -> LoadedYear:
    """The year's data, the year before (if usable) and the warnings; DataError with every
    problem when the year has errors."""
    checked = check_year(data_dir, year)
    if checked.data is None:
        raise DataError(checked.problems)
    return LoadedYear(checked.data, checked.prior, checked.warnings)


def _guess_sections(folder: Path) -> list[str]:
    """Without a valid report.yaml, still check whatever section files are there."""
    return sorted(
        p.stem for p in folder.glob("*.yaml") if p.name not in (REPORT_FILE, "plans.yaml")
    )


def _listed_files(
    checked: Checked, folder: Path, report: ReportFile
) -> tuple[list[str], str | None]:
    """The section stems and the plans stem to load, each once; every listed name that cannot be
    loaded is said at its place in report.yaml (a missing file with the likely one, report.yaml
    itself, a name listed twice). A .yaml file in the folder that report.yaml does not name never
    reaches the document: a warning."""
    present = sorted(p.stem for p in folder.glob("*.yaml"))
    source = checked.sources[REPORT_STEM]
    candidates = [p for p in present if p not in (REPORT_STEM, report.plans, *report.sections)]

    def usable(loc: Loc, stem: str, missing: str, field: str) -> bool:
        if stem == REPORT_STEM:
            checked.problems.append(
                source.problem(loc, "reserved_stem", "report.yaml itself", field=field)
            )
            return False
        if stem not in present:
            guess = closest(stem, candidates)
            checked.problems.append(
                source.problem(
                    loc,
                    missing,
                    "file not found",
                    file=display_path(folder / f"{stem}.yaml"),
                    hint=f"，您是否想写 '{guess}'?" if guess else "",
                )
            )
            return False
        return True

    plans: str | None = report.plans
    if not usable(("plans",), report.plans, "plans_missing", "plans"):
        plans = None
    stems: list[str] = []
    seen: set[str] = {report.plans}
    for i, stem in enumerate(report.sections):
        if stem in seen:
            checked.problems.append(
                source.problem(("sections", i), "duplicate_section", "listed twice", stem=stem)
            )
        elif usable(("sections", i), stem, "section_missing", "sections"):
            stems.append(stem)
        seen.add(stem)
    listed = {REPORT_STEM, report.plans, *report.sections}
    for stem in present:
        if stem not in listed:
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
    return stems, plans


def _validate(checked: Checked, path: Path, model: type[M], stem: str) -> M | None:
    """The file's model, or None with at least one error recorded (every path below)."""
    checked.files.append(display_path(path))
    try:
        source = load_file(path)
    except DataError as exc:  # DataError always carries its problems
        checked.problems += exc.problems
        return None
    checked.sources[stem] = source
    checked.problems += source.warnings
    checked.problems += writing.file_checks(source)
    try:
        return model.model_validate(source.plain)
    except ValidationError as exc:
        checked.problems += validation_problems(source, exc, model)
        return None


def validation_problems(
    source: Source, exc: ValidationError, model: type[BaseModel]
) -> list[Problem]:
    """Pydantic's errors → positioned problems, one per field (a union's members collapse)."""
    seen: set[tuple[str | int, ...]] = set()
    problems = []
    plain = source.plain
    for error in exc.errors(include_url=False):
        loc = _data_loc(error["loc"], plain)
        if loc in seen:
            continue
        seen.add(loc)
        context = {**error.get("ctx", {}), "input": _show(error.get("input")), "hint": ""}
        code, at_key = error["type"], None
        if loc and loc[-1] == "[key]":  # a mapping key itself is wrong: point at the key
            loc, at_key = loc[:-1], True
            if code == "string_pattern_mismatch":
                code, context["input"] = "metric_key", _show(loc[-1])
        if code == "int_type" and tuple(error["loc"][len(loc) :]) == ("int",):
            code = "number_type"  # model.Number: its int member spoke, a decimal is fine too
        typed = error.get("input")
        if code in NUMBER_CODES and isinstance(typed, str) and (hint := numbers.number_hint(typed)):
            context["hint"] = hint
        if error.get("input", "") is None and _left_empty(source, loc):
            code, context["key"] = "empty_value", str(loc[-1])
            context["what"] = _description(model, loc) or "内容"
        if code == "extra_forbidden":
            key = str(loc[-1])
            if writing.IDEOGRAPH.search(key):
                code, context["key"] = "chinese_key", key
            else:
                guess = closest(key, sorted(_field_names(model, loc[:-1])))
                context["hint"] = f"，您是否想写 '{guess}'?" if guess else ""
            at_key = True
        english = "value left empty" if code == "empty_value" else error["msg"]
        problems.append(source.problem(loc, code, english, at_key=at_key, **context))
    return problems


def _data_loc(loc: tuple[str | int, ...], plain: Any) -> tuple[str | int, ...]:
    """Drop the parts of a pydantic loc that name union members rather than data (``value.int``)."""
    node = plain
    for depth, part in enumerate(loc):
        if isinstance(node, dict):
            if part not in node:
                return tuple(loc[: depth + 1])
            node = node[part]
        elif isinstance(node, list):
            if not (isinstance(part, int) and 0 <= part < len(node)):
                return tuple(loc[: depth + 1])
            node = node[part]
        else:
            return tuple(loc[:depth])
    return tuple(loc)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value[:40]}"'
    if isinstance(value, dict):
        return "键值对"
    if isinstance(value, list):
        return "列表"
    if value is None:
        return "空值"
    return repr(value)


def _left_empty(source: Source, loc: tuple[str | int, ...]) -> bool:
    """``lead:`` with nothing after it (not a ``null`` typed on purpose)."""
    found = source.scalar(loc)
    return found is not None and found.style is None and found.value == ""


def _description(model: type[BaseModel], loc: tuple[str | int, ...]) -> str | None:
    """What the schema says goes in the field at ``loc``: the clerk's "what to write here"."""
    for owner in _owners(model, loc[:-1]):
        info = owner.model_fields.get(str(loc[-1]))
        if info is not None and info.description:
            return info.description
    return None


def _field_names(model: type[BaseModel], loc: tuple[str | int, ...]) -> set[str]:
    """The field names of the model that owns the key at ``loc`` + (key,): the candidates for a
    typo."""
    return {name for owner in _owners(model, loc) for name in owner.model_fields}


def _owners(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[type[BaseModel]]:
    """The models that own the keys at ``loc`` + (key,). ``loc`` is followed through the
    annotations (fields, dict values, list items, unions and Annotated), so a wrong key in a
    metric is matched against Metric's fields only."""
    owners: list[Any] = [model]
    for part in loc:
        inner: list[Any] = []
        for annotation in _unwrapped(owners):
            origin = get_origin(annotation)
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                info = annotation.model_fields.get(str(part))
                if info is not None and isinstance(part, str):
                    inner.append(info.annotation)
            elif origin is dict and not isinstance(part, int):
                inner.append(get_args(annotation)[1])
            elif origin is list and isinstance(part, int):
                inner.append(get_args(annotation)[0])
        owners = inner
    return [
        owner
        for owner in _unwrapped(owners)
        if isinstance(owner, type) and issubclass(owner, BaseModel)
    ]


def _unwrapped(annotations: list[Any]) -> list[Any]:
    """Optional, unions and Annotated → the types inside them."""
    found: list[Any] = []
    todo = list(annotations)
    while todo:
        annotation = todo.pop(0)
        origin = get_origin(annotation)
        if origin is Annotated:
            todo.insert(0, get_args(annotation)[0])
        elif origin is Union or origin is UnionType:
            todo[:0] = get_args(annotation)
        else:
            found.append(annotation)
    return found


def cross_check(
    data: YearData, sources: dict[str, Source], prior: YearData | None
) -> list[Problem]:
    """What no single file can know: plan year, unique metric keys, references that resolve,
    metrics that are never told; ``prior`` is the year before, if usable."""
    problems: list[Problem] = []
    problems += _plans_year(data, sources)
    metrics = _unique_metrics(data, sources, problems)
    used: set[str] = set()
    problems += _references(data, sources, metrics, used, prior)
    problems += _templates_outside_prose(data, sources)
    problems += _unused_metrics(data, sources, used)
    problems += followup.followup_problems(data, sources, prior)  # init leftovers, yoy, plans
    return problems


def _templates_outside_prose(data: YearData, sources: dict[str, Source]) -> list[Problem]:
    """Only prose may name metrics; template syntax in a title, heading or label is refused
    (it would never run, but it would be printed, and it is never what the office meant)."""
    texts = {(stem, loc) for stem, loc, _ in data.prose()}
    problems = []
    for stem, source in sources.items():
        for loc, scalar in source.scalars.items():
            found = prose.JINJA_START.search(scalar.value)
            if found and (stem, loc) not in texts:
                problems.append(
                    source.problem(
                        loc,
                        "jinja_outside_prose",
                        "template syntax outside prose",
                        offset=found.start(),
                        detail=found.group(),
                    )
                )
    return problems


def _plans_year(data: YearData, sources: dict[str, Source]) -> list[Problem]:
    if data.plans.year == data.year + 1:
        return []
    return [
        sources[data.report.plans].problem(
            ("year",),
            "plans_year",
            "plans must be for year + 1",
            expected=data.year + 1,
            input=data.plans.year,
        )
    ]


def _references(
    data: YearData,
    sources: dict[str, Source],
    metrics: dict[str, Metric],
    used: set[str],
    prior: YearData | None,
) -> list[Problem]:
    """Prose may name defined metrics and hold no other Jinja; said at the ``{{`` when the text
    is on one line. A key that is no typo is named by last year's label, if it had one."""
    problems = []
    before = prior.metrics() if prior else {}
    for stem, loc, text in data.prose():
        source = sources[stem]
        try:
            keys = prose.references(text)
        except prose.ProseError as exc:
            used.update(k for k in metrics if f"m.{k}" in text)  # refused, not unused: one error
            offset = prose.forbidden_offset(text)
            problems.append(
                source.problem(loc, exc.code, exc.detail, offset=offset, detail=exc.detail)
            )
            continue
        for key in keys:
            used.add(key)
            if key not in metrics:
                guess = closest(key, list(metrics), METRIC_TYPO)
                if not re.match(METRIC_KEY, key):
                    hint = _label_hint(key, metrics)
                elif guess:
                    hint = f"，您是否想写 '{guess}'?"
                else:
                    label = before[key].label if key in before else None
                    hint = (
                        chinese("undefined_metric_deleted_label", key=key, label=label)
                        if label
                        else chinese("undefined_metric_deleted", key=key)
                    )
                problems.append(
                    source.problem(
                        loc,
                        "undefined_metric",
                        f"undefined metric '{key}'",
                        offset=prose.reference_offset(text, key),
                        key=key,
                        hint=hint,
                    )
                )
    return problems


def _label_hint(name: str, metrics: dict[str, Metric]) -> str:
    """``{{ m.充电桩 }}`` names a metric by its label: the key that has it, or else a key that is
    valid to add."""
    labels = {metric.label: key for key, metric in metrics.items()}
    if name in labels:
        return chinese("metric_label_used", label=name, key=labels[name])
    free = next(
        f"metric_{n}"
        for n in range(len(metrics) + 1, 2 * len(metrics) + 2)
        if f"metric_{n}" not in metrics
    )
    return chinese("metric_label_new", label=name, key=free)


def _unused_metrics(data: YearData, sources: dict[str, Source], used: set[str]) -> list[Problem]:
    return [
        sources[stem].problem(
            loc, "unused_metric", f"metric '{key}' never referenced", severity="warning", key=key
        )
        for stem, loc, key in metric_places(data)
        if key not in used
    ]


def metric_places(data: YearData) -> list[tuple[str, Loc, str]]:
    """(file stem, field path, key) of every metric the year defines, in document order."""
    places: list[tuple[str, Loc, str]] = [
        ("report", ("metrics", key), key) for key in data.report.metrics
    ]
    for stem, section in data.sections.items():
        places += [(stem, ("metrics", key), key) for key in section.metrics]
        for i, item in enumerate(section.items):
            places += [(stem, ("items", i, "metrics", key), key) for key in item.metrics]
    return places


def _unique_metrics(
    data: YearData, sources: dict[str, Source], problems: list[Problem]
) -> dict[str, Metric]:
    owners: dict[str, str] = {}
    for stem, loc, key in metric_places(data):
        if key in owners:
            problems.append(
                sources[stem].problem(
                    loc,
                    "duplicate_metric",
                    f"metric '{key}' defined twice",
                    at_key=True,
                    key=key,
                    other=owners[key],
                )
            )
        owners.setdefault(key, sources[stem].name)
    return data.metrics()
