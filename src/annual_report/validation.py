"""Pydantic's errors → positioned problems, one per field, said in the catalogue's Chinese.

Pydantic speaks of a ``loc`` in the plain data and an error *type*; the office needs the line and
column in its file, the field path, and what to write instead (a typo's likely key, a number typed
as text, what an empty field is for). The data files and the layout profile share it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from annual_report import numbers, writing
from annual_report.errors import Problem, closest
from annual_report.load.source import Source
from annual_report.model import ENTRY_TAGS

NUMBER_CODES = ("int_type", "float_type", "number_type")


def problems(source: Source, exc: ValidationError, model: type[BaseModel]) -> list[Problem]:
    """Pydantic's errors → positioned problems, one per field (a union's members collapse)."""
    seen: set[tuple[str | int, ...]] = set()
    found = []
    plain = source.plain
    for error in exc.errors(include_url=False):
        error["loc"] = tuple(part for part in error["loc"] if part not in ENTRY_TAGS)
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
        found.append(source.problem(loc, code, english, at_key=at_key, **context))
    return found


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
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float | date):
        return str(value)
    return "其他值"  # never a Python repr (TaggedScalar(…), CommentedSet)


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
