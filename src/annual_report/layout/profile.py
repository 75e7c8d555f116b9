"""The layout profile: templates/gbt9704.yaml read into typed, validated settings.

Every number of the page lives in the profile, so an office can change the look without code;
this module only makes sure the file says something the layout stage can use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

Align = Literal["left", "center", "right", "justify"]


class _Strict(BaseModel):
    """A typo in the profile must be an error, not a silently ignored key."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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


class Element(_Strict):
    """One kind of paragraph: its East Asian font, size name, alignment and indent."""

    font: str = Field(min_length=1)
    size: str
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


class PageNumber(_Strict):
    font: str = Field(min_length=1)
    size: str
    format: str = Field(pattern=r"\{n\}")
    below_text_mm: float = Field(ge=0)
    odd_align: Literal["left", "right"]
    even_align: Literal["left", "right"]
    side_space_chars: float = Field(ge=0)


class Signature(_Strict):
    font: str = Field(min_length=1)
    size: str
    blank_lines_before: int = Field(ge=0)
    right_space_chars: float = Field(ge=0)


class DateLine(_Strict):
    font: str = Field(min_length=1)
    size: str
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


class ProfileError(Exception):
    """A profile file that cannot be used; the message names the file and the field."""


def load_profile(path: str | Path) -> Profile:
    """Read and validate a layout profile, raising :class:`ProfileError` in plain Chinese."""
    path = Path(path)
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"无法读取版式配置 {path}：{exc} (cannot read layout profile)") from exc
    except YAMLError as exc:
        raise ProfileError(f"版式配置 {path} 不是有效的 YAML：{exc} (invalid YAML)") from exc
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(_describe(path, exc)) from exc


def _describe(path: Path, exc: ValidationError) -> str:
    lines = [f"版式配置 {path} 有误 (invalid layout profile):"]
    for err in exc.errors(include_url=False):
        field = ".".join(str(part) for part in err["loc"]) or "(根 / root)"
        lines.append(
            f"  {field}: {_MESSAGES.get(err['type'], err['msg'].removeprefix('Value error, '))}"
        )
    return "\n".join(lines)


_MESSAGES: dict[str, str] = {
    "missing": "缺少此项 (missing)",
    "extra_forbidden": "不认识的配置项，请检查拼写 (unknown key)",
    "literal_error": "取值不在允许范围内 (not one of the allowed values)",
    "float_parsing": "应为数字 (expected a number)",
    "int_parsing": "应为整数 (expected an integer)",
    "bool_parsing": "应为 true 或 false (expected true/false)",
    "greater_than": "应大于 0 (must be positive)",
    "greater_than_equal": "不能为负数 (must not be negative)",
    "string_pattern_mismatch": "格式中须含 {n} 表示页码 (must contain {n})",
    "model_type": "应为一组“键: 值” (expected a mapping)",
    "dict_type": "应为一组“键: 值” (expected a mapping)",
}
