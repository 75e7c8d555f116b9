"""The layout profile: templates/gbt9704.yaml read into typed, validated settings.

Every number of the page lives in the profile, so an office can change the look without code;
this module only makes sure the file says something the layout stage can use. The file is
loaded like the data (``load.load_file``: size limit, YAML traps, positions) and its problems
are told like the data's, ``file:line:col: field: message`` from the same message catalogue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from annual_report.errors import DataError

Align = Literal["left", "center", "right", "justify"]


class _Strict(BaseModel):
    """A typo in the profile must be an error, not a silently ignored key; ``"16"`` is not 16."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _known_size(size: str, info: ValidationInfo) -> str:
    """A size name the profile's own ``font_sizes`` defines, refused at the ``size`` field
    itself when the loader passes the sizes in the validation context."""
    sizes = info.context.get("font_sizes") if isinstance(info.context, dict) else None
    if isinstance(sizes, dict) and size not in sizes:
        raise PydanticCustomError(
            "unknown_size",
            "未知字号“{size}”，可用：{known} (unknown size name)",
            {"size": size, "known": "、".join(map(str, sizes))},
        )
    return size


class _Sized(_Strict):
    """Text with a Chinese size name (三号) looked up in the profile's font_sizes."""

    size: str

    @field_validator("size")
    @classmethod
    def _size_is_known(cls, size: str, info: ValidationInfo) -> str:
        return _known_size(size, info)


class Page(_Strict):
    width_mm: float = Field(gt=0)
    height_mm: float = Field(gt=0)
    margin_top_mm: float = Field(ge=0)
    margin_bottom_mm: float = Field(ge=0)
    margin_left_mm: float = Field(ge=0)
    margin_right_mm: float = Field(ge=0)


class Grid(_Strict):
    lines_per_page: int = Field(gt=0)
    chars_per_line: int = Field(gt=0)
    line_pitch_pt: float = Field(gt=0)
    char_spacing_pt: float


class Element(_Sized):
    """One kind of paragraph: its East Asian font, size name, alignment and indent."""

    font: str = Field(min_length=1)
    align: Align
    indent_chars: float = Field(ge=0)
    bold: bool


class RunStyle(_Strict):
    """A character style for a stretch of a body paragraph; ``font`` None keeps the body's."""

    style_name: str = Field(min_length=1)
    font: str | None
    bold: bool


class Elements(_Strict):
    title: Element
    body: Element
    heading1: Element
    heading2: Element


class Runs(_Strict):
    lead: RunStyle
    runin: RunStyle


class PageNumber(_Sized):
    font: str = Field(min_length=1)
    format: str = Field(pattern=r"\{n\}")
    below_text_mm: float = Field(ge=0)
    odd_align: Literal["left", "right"]
    even_align: Literal["left", "right"]
    side_space_chars: float = Field(ge=0)


class Signature(_Sized):
    font: str = Field(min_length=1)
    blank_lines_before: int = Field(ge=0)
    right_space_chars: float = Field(ge=0)


class DateLine(_Sized):
    font: str = Field(min_length=1)
    shift_chars: float = Field(ge=0)


class Profile(_Strict):
    """The whole layout profile; sizes are Chinese size names resolved by :meth:`pt`."""

    page: Page
    grid: Grid
    font_sizes: dict[str, float]
    language: str = Field(min_length=2)
    latin_language: str = Field(min_length=2)
    widow_control: bool
    elements: Elements
    runs: Runs
    page_number: PageNumber
    signature: Signature
    date: DateLine

    @model_validator(mode="after")
    def _sizes_are_known(self) -> Profile:
        """Catch an unknown size name at load time rather than halfway through a build."""
        for where, size in self._size_names():
            if size not in self.font_sizes:
                known = "、".join(self.font_sizes)
                raise ValueError(f"{where}.size：未知字号“{size}”（可用：{known}）")
        return self

    def _size_names(self) -> list[tuple[str, str]]:
        named = [(f"elements.{k}", e.size) for k, e in self.elements]
        return [
            *named,
            ("page_number", self.page_number.size),
            ("signature", self.signature.size),
            ("date", self.date.size),
        ]

    def pt(self, size: str) -> float:
        """Points of a Chinese size name such as 三号."""
        return self.font_sizes[size]


class ProfileError(DataError):
    """A profile file that cannot be used: its problems, each at its line, column and field."""


def load_profile(path: str | Path) -> Profile:
    """Load and validate a layout profile, raising :class:`ProfileError` with every problem."""
    from annual_report.dataset import validation_problems
    from annual_report.load import load_file

    try:
        source = load_file(Path(path))
    except DataError as exc:
        raise ProfileError(exc.problems) from None
    plain: Any = source.plain
    try:
        return Profile.model_validate(plain, context={"font_sizes": plain.get("font_sizes")})
    except ValidationError as exc:
        raise ProfileError(validation_problems(source, exc, Profile)) from None
