"""The layout profile: templates/gbt9704.yaml read into typed, validated settings.

Every number of the page lives in the profile, so an office can change the look without code;
this module only makes sure the file says something the layout stage can use. The file is
loaded like the data (``load.load_file``: size limit, YAML traps, positions) and its problems
are told like the data's, ``file:line:col: field: message`` from the same message catalogue.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from annual_report.errors import DataError

Align = Literal["left", "center", "right", "justify"]

# Word's own limits (what it accepts in its dialogs; beyond them it "repairs" the file):
MAX_FONT_PT = 1638  # w:sz counts half-points up to 3276
MAX_SPACING_PT = 1584  # 22 inches = 31680 twips: character spacing, indents, line and space
MAX_PAGE_MM = 558.8  # 22 inches: page width and height
MAX_MARGIN_MM = MAX_PAGE_MM / 2  # a margin stays inside half the page
_EMU_PER_MM, _EMU_PER_PT = 36000, 12700  # as python-docx's Mm and Pt count them
_EMU_PER_TWIP, TWIPS_PER_PT = 635, 20


def _twips(mm: float) -> int:
    """A length in millimetres as the .docx holds it: python-docx's Mm → EMU → rounded twips."""
    return round(int(mm * _EMU_PER_MM) / _EMU_PER_TWIP)


class _Strict(BaseModel):
    """A typo in the profile must be an error, not a silently ignored key; ``"16"`` is not 16;
    ``.inf`` and ``.nan`` are not sizes."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


Points = Annotated[float, Field(gt=0, le=MAX_FONT_PT)]


_Loc = tuple[str | int, ...]
_Located = tuple[_Loc, str, str, dict[str, Any]]
"""A cross-field problem: where, catalogue code, English message, its context."""


def _refuse_at(model: str, errors: list[_Located]) -> None:
    """Raise the cross-field problems found by a model validator, each located at its field
    (a plain ValueError would stand at the model, not where the office has to change it)."""
    if errors:
        details = [
            InitErrorDetails(
                type=PydanticCustomError(code, english, ctx), loc=loc, input=ctx.get("input")
            )
            for loc, code, english, ctx in errors
        ]
        raise ValidationError.from_exception_data(model, details)


def _at_most(loc: _Loc, value: float, limit: float) -> list[_Located]:
    """``value`` may be at most ``limit`` (rounded down to hundredths, as the message shows it)."""
    if value <= limit:
        return []
    shown = math.floor(limit * 100) / 100
    return [(loc, "less_than_equal", "Input should be less than or equal to {le}",
             {"le": shown, "input": value})]  # fmt: skip


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
    width_mm: float = Field(gt=0, le=MAX_PAGE_MM)
    height_mm: float = Field(gt=0, le=MAX_PAGE_MM)
    margin_top_mm: float = Field(ge=0, le=MAX_MARGIN_MM)
    margin_bottom_mm: float = Field(ge=0, le=MAX_MARGIN_MM)
    margin_left_mm: float = Field(ge=0, le=MAX_MARGIN_MM)
    margin_right_mm: float = Field(ge=0, le=MAX_MARGIN_MM)

    @model_validator(mode="after")
    def _margins_inside_half_the_page(self) -> Page:
        """Each margin under half its page dimension, or no text block is left."""
        errors: list[_Located] = [
            (
                (name,),
                "less_than",
                "Input should be less than {lt} (half the page)",
                {"lt": round(side / 2, 2), "input": margin},
            )
            for name, margin, side in (
                ("margin_top_mm", self.margin_top_mm, self.height_mm),
                ("margin_bottom_mm", self.margin_bottom_mm, self.height_mm),
                ("margin_left_mm", self.margin_left_mm, self.width_mm),
                ("margin_right_mm", self.margin_right_mm, self.width_mm),
            )
            if margin >= side / 2
        ]
        _refuse_at(type(self).__name__, errors)
        return self


class Grid(_Strict):
    """The text block's grid. The line pitch follows from ``lines_per_page`` (see
    :attr:`Profile.line_pitch_pt`); ``line_pitch_pt`` may still be written, and must agree.
    ``char_spacing_pt`` stays explicit (LibreOffice needs −0.3, not the arithmetic −0.21), but
    must put exactly ``chars_per_line`` body characters on a line."""

    lines_per_page: int = Field(gt=0, le=MAX_SPACING_PT * TWIPS_PER_PT)
    chars_per_line: int = Field(gt=0, le=MAX_SPACING_PT * TWIPS_PER_PT)
    line_pitch_pt: float | None = Field(default=None, gt=0, le=MAX_SPACING_PT)
    char_spacing_pt: float = Field(ge=-MAX_SPACING_PT, le=MAX_SPACING_PT)


class Element(_Sized):
    """One kind of paragraph: its East Asian font, size name, alignment and indent."""

    font: str = Field(min_length=1)
    align: Align
    indent_chars: float = Field(ge=0, le=MAX_SPACING_PT)
    bold: bool


_TABLE_FAMILIES = (
    "Colorful Grid", "Colorful List", "Colorful Shading", "Dark List", "Light Grid", "Light List",
    "Light Shading", "Medium Grid 1", "Medium Grid 2", "Medium Grid 3", "Medium List 1",
    "Medium List 2", "Medium Shading 1", "Medium Shading 2",
)  # fmt: skip
_WITH_CHAR = (
    "Body Text", "Body Text 2", "Body Text 3", "Footer", "Header",
    *(f"Heading {n}" for n in range(1, 10)), "Intense Quote", "Macro Text", "Quote", "Subtitle",
    "Title",
)  # fmt: skip
WORD_STYLE_NAMES: tuple[str, ...] = (
    *_WITH_CHAR, *(f"{name} Char" for name in _WITH_CHAR if name != "Macro Text"),
    "Macro Text Char", "macro",
    *_TABLE_FAMILIES, *(f"{f} Accent {n}" for f in _TABLE_FAMILIES for n in range(1, 7)),
    "Book Title", "Caption", "Default Paragraph Font", "Emphasis", "Intense Emphasis",
    "Intense Reference", "List", "List 2", "List 3", "List Bullet", "List Bullet 2",
    "List Bullet 3", "List Continue", "List Continue 2", "List Continue 3", "List Number",
    "List Number 2", "List Number 3", "List Paragraph", "No List", "No Spacing", "Normal",
    "Normal Table", "TableNormal", "Strong", "Subtle Emphasis", "Subtle Reference",
    "TOC Heading", "Table Grid",
    "Signature", "Date",  # not in the template: the layout adds them
)  # fmt: skip
"""Every style in python-docx's default template, by name and where its id differs by more than
spaces and hyphens (Normal Table is TableNormal, macro is MacroText), and the two the layout
adds. Kept here rather than read from the template: that costs every validate 13 ms; a test
compares the two."""


def style_key(name: str) -> str:
    """What two style names must not share: python-docx compares names, Word compares ids too
    (the name without spaces), and Word's own names ignore case."""
    return name.replace(" ", "").replace("-", "").casefold()


def _clash(name: str) -> PydanticCustomError:
    return PydanticCustomError(
        "style_name_clash",
        "style name '{name}' is already used by Word or the other run style",
        {"name": name},
    )


class RunStyle(_Strict):
    """A character style for a stretch of a body paragraph; ``font`` None keeps the body's."""

    style_name: str = Field(min_length=1)
    font: str | None
    bold: bool

    @field_validator("style_name")
    @classmethod
    def _not_a_word_style(cls, name: str) -> str:
        return own_style_name(name)


def own_style_name(name: str) -> str:
    """A built-in's name would make python-docx stop ('document already contains style') or
    write a second style with its id; a new name is the office's own style."""
    if style_key(name) in {style_key(known) for known in WORD_STYLE_NAMES}:
        raise _clash(name)
    return name


class Elements(_Strict):
    """Every kind of paragraph. level3 (1.), level4 （1） and caption (a table's title) came
    with the general outline: a profile written before them gets the body's look for them,
    level3 in bold, the caption centred and bold."""

    title: Element
    body: Element
    heading1: Element
    heading2: Element
    level3: Element | None = None
    level4: Element | None = None
    caption: Element | None = None

    def element(self, key: str) -> Element:
        """The element for a paragraph kind, a missing newer one made from the body's."""
        found: Element | None = getattr(self, key)
        if found is not None:
            return found
        derived: dict[str, dict[str, Any]] = {
            "level3": {"bold": True},
            "caption": {"bold": True, "align": "center", "indent_chars": 0},
        }
        return self.body.model_copy(update=derived.get(key, {}))


class Runs(_Strict):
    """Character styles inside a body paragraph: the lead sentence and the run-in headings of
    the levels （一） (runin), 1. (runin3) and （1） (runin4); a profile without the newer two
    gets the body font, runin3 bold."""

    lead: RunStyle
    runin: RunStyle
    runin3: RunStyle | None = None
    runin4: RunStyle | None = None

    @model_validator(mode="after")
    def _distinct_names(self) -> Runs:
        seen: set[str] = set()
        for key in ("lead", "runin", "runin3", "runin4"):
            spec = getattr(self, key)
            if spec is None:
                continue
            name = spec.style_name
            if style_key(name) in seen:
                detail = InitErrorDetails(type=_clash(name), loc=(key, "style_name"), input=name)
                raise ValidationError.from_exception_data(type(self).__name__, [detail])
            seen.add(style_key(name))
        return self

    def styles(self) -> dict[str, RunStyle]:
        """Every run role's character style, a missing newer one made up."""
        made = {
            "runin3": RunStyle(style_name="段内三级标题", font=None, bold=True),
            "runin4": RunStyle(style_name="段内四级标题", font=None, bold=False),
        }
        return {
            key: getattr(self, key) or made[key] for key in ("lead", "runin", "runin3", "runin4")
        }


class TableLook(_Sized):
    """Tables (GB/T 9704 leaves them to the issuer: 仿宋, a size below the body's, bold header
    row, full width, cells centred). ``line_spacing_pt`` is the exact spacing of a cell's lines."""

    style_name: str = Field(min_length=1)
    font: str = Field(min_length=1)
    line_spacing_pt: float = Field(gt=0, le=MAX_SPACING_PT)
    header_bold: bool

    @field_validator("style_name")
    @classmethod
    def _not_a_word_style(cls, name: str) -> str:
        return own_style_name(name)


class PageNumber(_Sized):
    font: str = Field(min_length=1)
    format: str = Field(pattern=r"\{n\}")
    below_text_mm: float = Field(ge=0)
    odd_align: Literal["left", "right"]
    even_align: Literal["left", "right"]
    side_space_chars: float = Field(ge=0, le=MAX_SPACING_PT)


class Signature(_Sized):
    font: str = Field(min_length=1)
    blank_lines_before: int = Field(ge=0, le=MAX_SPACING_PT)
    right_space_chars: float = Field(ge=0, le=MAX_SPACING_PT)


class DateLine(_Sized):
    font: str = Field(min_length=1)
    shift_chars: float = Field(ge=0, le=MAX_SPACING_PT)


class Draft(_Sized):
    """``build --draft``: the word in every page's header, and how the marks still to do
    (【待更新】, 【待填：…】) stand out."""

    header: str = Field(min_length=1, max_length=20)
    font: str = Field(min_length=1)
    align: Literal["left", "center", "right"]
    highlight: Literal["yellow", "bright_green", "turquoise", "pink", "gray_25"]


class Profile(_Strict):
    """The whole layout profile; sizes are Chinese size names resolved by :meth:`pt`."""

    page: Page
    grid: Grid
    font_sizes: dict[str, Points]
    language: str = Field(min_length=2)
    latin_language: str = Field(min_length=2)
    widow_control: bool
    elements: Elements
    runs: Runs
    table: TableLook | None = None
    page_number: PageNumber
    signature: Signature
    date: DateLine
    draft: Draft | None = None

    @model_validator(mode="after")
    def _sizes_are_known(self) -> Profile:
        """Catch an unknown size name at load time rather than halfway through a build."""
        for where, size in self._size_names():
            if size not in self.font_sizes:
                known = "、".join(self.font_sizes)
                raise ValueError(f"{where}.size：未知字号“{size}”（可用：{known}）")
        return self

    @model_validator(mode="after")
    def _fits_word(self) -> Profile:
        """What depends on two settings: the page number between the text block and the page
        edge, and every indent or space (characters × their size) within Word's 1584 pt."""
        number = self.page_number
        errors: list[_Located] = []
        if self._known(number.size) and self.footer_distance_emu < 0:
            errors.append((
                ("page_number", "below_text_mm"),
                "footer_overlap",
                "page number {below_text_mm} mm below the text block does not fit in the "
                "{margin_bottom_mm} mm bottom margin",
                {"below_text_mm": f"{number.below_text_mm:g}",
                 "margin_bottom_mm": f"{self.page.margin_bottom_mm:g}",
                 "input": number.below_text_mm},
            ))  # fmt: skip
        indents: list[tuple[_Loc, float, str]] = [
            (("elements", key, "indent_chars"), element.indent_chars, element.size)
            for key, element in self.elements
            if element is not None
        ]
        indents += [
            (("page_number", "side_space_chars"), number.side_space_chars, number.size),
            (("signature", "right_space_chars"), self.signature.right_space_chars,
             self.signature.size),
            (("date", "shift_chars"), self.date.shift_chars, self.date.size),
        ]  # fmt: skip
        for loc, chars, size in indents:
            if self._known(size) and chars:
                errors += _at_most(loc, chars, MAX_SPACING_PT / self.pt(size))
        pitch = self.line_pitch_pt  # 0 when the lines do not fit: said by the grid's check
        blank = self.signature.blank_lines_before
        if pitch:
            errors += _at_most(("signature", "blank_lines_before"), blank, MAX_SPACING_PT / pitch)
        _refuse_at(type(self).__name__, errors)
        return self

    @model_validator(mode="after")
    def _grid_is_what_it_says(self) -> Profile:
        """``lines_per_page`` lines fit the text block (and a written ``line_pitch_pt`` is the
        pitch they give); ``chars_per_line`` body characters, each condensed or expanded by
        ``char_spacing_pt``, fit the text width and one more does not."""
        grid = self.grid
        errors: list[_Located] = []
        if self.line_pitch_twips < 1:
            errors.append((
                ("grid", "lines_per_page"),
                "grid_lines",
                "版心高 {height} 磅放不下每页 {lines} 行（lines_per_page {lines} do not fit the "
                "{height} pt text block）",
                {"lines": grid.lines_per_page, "height": f"{self.text_height_pt:g}",
                 "input": grid.lines_per_page},
            ))  # fmt: skip
        elif grid.line_pitch_pt is not None and (
            round(grid.line_pitch_pt * TWIPS_PER_PT) != self.line_pitch_twips
        ):
            errors.append((
                ("grid", "line_pitch_pt"),
                "grid_pitch",
                "行距由版心高 {height} 磅 ÷ 每页 {lines} 行得出，应为 {pitch} 磅；可删去 "
                "line_pitch_pt，或改为 {pitch}（line_pitch_pt disagrees with lines_per_page: "
                "the text block gives {pitch} pt）",
                {"height": f"{self.text_height_pt:g}", "lines": grid.lines_per_page,
                 "pitch": f"{self.line_pitch_pt:g}", "input": grid.line_pitch_pt},
            ))  # fmt: skip
        if self._known(self.elements.body.size):
            errors += self._chars_fit()
        _refuse_at(type(self).__name__, errors)
        return self

    def _chars_fit(self) -> list[_Located]:
        """Counted in twentieths of a point, as Word holds the size and the spacing."""
        n = self.grid.chars_per_line
        width = self.text_width_twips
        size = round(self.pt(self.elements.body.size) * TWIPS_PER_PT)
        spacing = round(self.grid.char_spacing_pt * TWIPS_PER_PT)
        if n * (size + spacing) <= width < (n + 1) * (size + spacing):
            return []
        low = width // (n + 1) - size + 1  # the least spacing at which n + 1 no longer fit
        high = width // n - size  # the most at which n still fit
        context = {
            "chars": n,
            "width": f"{width / TWIPS_PER_PT:g}",
            "size": self.elements.body.size,
            "input": self.grid.char_spacing_pt,
        }
        if low > high:
            english = (
                "每行 {chars} 个{size}字放不进 {width} 磅宽的版心：没有可用的字符间距，"
                "请改 chars_per_line 或正文字号（no char_spacing_pt puts exactly {chars} "
                "characters on a {width} pt line）"
            )
        else:
            context |= {"low": f"{low / TWIPS_PER_PT:g}", "high": f"{high / TWIPS_PER_PT:g}"}
            english = (
                "字符间距 char_spacing_pt 须使每行恰好 {chars} 个{size}字（版心宽 {width} 磅），"
                "可用 {low} 至 {high} 磅（char_spacing_pt must put exactly {chars} characters "
                "on a {width} pt line: {low} to {high} pt）"
            )
        return [(("grid", "char_spacing_pt"), "grid_chars", english, context)]

    @property
    def text_height_pt(self) -> float:
        page = self.page
        twips = _twips(page.height_mm) - _twips(page.margin_top_mm) - _twips(page.margin_bottom_mm)
        return twips / TWIPS_PER_PT

    @property
    def text_width_twips(self) -> int:
        page = self.page
        return _twips(page.width_mm) - _twips(page.margin_left_mm) - _twips(page.margin_right_mm)

    @property
    def line_pitch_twips(self) -> int:
        """The exact line spacing: the text block's height ÷ ``lines_per_page``, rounded down
        to the twip Word holds, so the lines always fit (225 mm / 22 → 579 twips, 28.95 pt)."""
        height = round(self.text_height_pt * TWIPS_PER_PT)
        return height // self.grid.lines_per_page

    @property
    def line_pitch_pt(self) -> float:
        return self.line_pitch_twips / TWIPS_PER_PT

    def _known(self, size: str) -> bool:
        return size in self.font_sizes

    @property
    def footer_distance_emu(self) -> int:
        """Word measures the footer from the page edge up; GB/T 9704 from the text block down:
        the page-number line (exactly one number-size line high) starts ``below_text_mm``
        under the block. Counted in EMU the way python-docx rounds Mm and Pt."""
        number = self.page_number
        return (
            int(self.page.margin_bottom_mm * _EMU_PER_MM)
            - int(number.below_text_mm * _EMU_PER_MM)
            - int(self.pt(number.size) * _EMU_PER_PT)
        )

    def _size_names(self) -> list[tuple[str, str]]:
        named = [(f"elements.{k}", e.size) for k, e in self.elements if e is not None]
        tables = [("table", self.table.size)] if self.table is not None else []
        return [
            *named,
            *tables,
            ("page_number", self.page_number.size),
            ("signature", self.signature.size),
            ("date", self.date.size),
            *([("draft", self.draft.size)] if self.draft is not None else []),
        ]

    def table_look(self) -> TableLook:
        """The table settings, or for a profile written before tables the body's font and size,
        on the grid's line spacing."""
        if self.table is not None:
            return self.table
        body = self.elements.body
        return TableLook(style_name="表格文字", font=body.font, size=body.size,
                         line_spacing_pt=self.line_pitch_pt, header_bold=True)  # fmt: skip

    def draft_look(self) -> Draft:
        """The draft settings, or for a profile written before ``--draft`` the page number's
        size in the level-1 heading's font, 草稿 on the right, marks in yellow."""
        if self.draft is not None:
            return self.draft
        return Draft(header="草稿", font=self.elements.heading1.font,
                     size=self.page_number.size, align="right", highlight="yellow")  # fmt: skip

    def pt(self, size: str) -> float:
        """Points of a Chinese size name such as 三号."""
        return self.font_sizes[size]


class ProfileError(DataError):
    """A profile file that cannot be used: its problems, each at its line, column and field."""


def load_profile(path: str | Path) -> Profile:
    """Load and validate a layout profile, raising :class:`ProfileError` with every problem."""
    from annual_report import validation, writing
    from annual_report.load import load_file

    try:
        source = load_file(Path(path))
    except DataError as exc:
        raise ProfileError(exc.problems) from None
    if forbidden := writing.forbidden_characters(source):
        raise ProfileError(forbidden)
    plain: Any = source.plain
    try:
        return Profile.model_validate(plain, context={"font_sizes": plain.get("font_sizes")})
    except ValidationError as exc:
        raise ProfileError(validation.problems(source, exc, Profile)) from None
