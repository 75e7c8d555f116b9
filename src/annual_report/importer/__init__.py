"""`import`: an office's existing summary (Word, WPS, text) → a year of ``data/``.

``read`` turns the file into paragraphs with the formatting that carries structure, ``tree``
finds the outline in them (parts, headings, leads, tables, signature and date), ``write``
turns the outline into the year's YAML files.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annual_report.importer.write import Imported


@dataclass
class Done:
    """What ``import`` wrote, and the backup of the folder it replaced."""

    folder: Path
    imported: Imported
    backup: Path | None
    reused: bool


def import_year(path: Path, data_dir: Path, year: int, *, force: bool = False) -> Done:
    """``path`` → ``data_dir/year``, whole or not at all, checked by validate before it goes in
    place; the year before, when it is there and valid, lends its keys, ids and file names."""
    from annual_report import dataset
    from annual_report.errors import DataError
    from annual_report.importer import read, tree, write
    from annual_report.output import replace_folder

    target = dataset.year_dir(data_dir, year)
    if target.exists() and not force:
        raise read.SourceError(
            f"{target} 已存在；如要重新导入，请加 --force（旧目录会先备份）"
            f"({target} exists; --force moves it to a dated backup first)"
        )
    prior = None
    source = read.read(path)
    if not any(isinstance(block, read.Para) for block in source.blocks[:1]):
        raise read.SourceError(f"{path}：文件开头没有标题段落（the file has no title）")
    if dataset.year_dir(data_dir, year - 1).is_dir():
        prior = dataset.check_year(data_dir, year - 1).data
        if prior is None:
            source.notes.append(
                read.Note(
                    f"{year - 1} 年",
                    f"上年数据有错误，未沿用其指标键名与文件名；改正后可加 --force 重新导入"
                    f"（{year - 1} does not validate: its keys were not reused）",
                )
            )
    try:
        document = tree.outline(source)
    except read.SourceError as exc:
        raise read.SourceError(f"{path}：{exc}") from None
    imported = write.year_files(document, year, prior)

    def check(folder: Path) -> None:
        errors = dataset.check_folder(folder).errors
        if errors:  # what it wrote would not validate: nothing is put in place
            said = [replace(p, file=p.file.replace(folder.name, target.name)) for p in errors]
            raise DataError(
                said, "导入结果未通过检查，没有写入 (the imported data does not validate)"
            )

    backup = replace_folder(target, imported.files, "import", check=check)
    return Done(target, imported, backup, prior is not None)
