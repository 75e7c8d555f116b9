"""Which templates/ folder supplies each template file.

The office edits templates/ at the top of the repository; an installed tool carries the same
files inside the wheel. A folder given on the command line, or a templates/ folder beside the
data, overrides them file by file, so changing the look needs no code.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from annual_report.errors import UserError

OUTLINE = "outline.j2"
PROFILE = "gbt9704.yaml"
FONTS = "gbt9704-fonts.conf"


class TemplateMissing(UserError):
    """No folder in the search order has the file."""


def search_order(data_dir: Path, override: Path | None = None) -> list[Path]:
    """Most specific first: --template-dir, templates/ beside the data, the built-in defaults."""
    folders = [override] if override else []
    folders += [data_dir / "templates", data_dir.parent / "templates"]
    return [*folders, built_in()]


def built_in() -> Path:
    """The defaults shipped inside the wheel, or the repository's templates/ in a checkout."""
    packaged = Path(str(resources.files("annual_report"))) / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "templates"


def find(name: str, data_dir: Path, override: Path | None = None) -> Path:
    for folder in search_order(data_dir, override):
        if (folder / name).is_file():
            return folder / name
    places = "、".join(str(f) for f in search_order(data_dir, override))
    raise TemplateMissing(f"找不到模板文件 {name}（已查找：{places}）")
