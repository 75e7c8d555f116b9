"""docs/使用说明.md, the clerk's guide: linked first from the README, its pictures in the
repository, and every command it shows one the tool has, with options the tool takes."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from typer.main import get_command

from annual_report.cli import app

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "使用说明.md"


def test_the_readme_links_the_guide_first() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_link = re.search(r"\]\(([^)]+)\)", readme)
    assert first_link is not None and first_link.group(1) == "docs/使用说明.md"


def test_the_pictures_are_there() -> None:
    pictures = re.findall(r'src="([^"]+)"', GUIDE.read_text(encoding="utf-8"))
    assert pictures
    for picture in pictures:
        assert (GUIDE.parent / picture).is_file(), picture


def test_every_command_shown_exists_with_its_options() -> None:
    root = get_command(app)
    shown = re.findall(r"^\$ annual-report (.+)$", GUIDE.read_text(encoding="utf-8"), re.M)
    assert len(shown) >= 10
    for line in shown:
        name, *args = shlex.split(line)
        command = root.commands[name]  # type: ignore[attr-defined]
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        for arg in args:
            if arg.startswith("-"):
                assert arg in options, f"{line}: {arg}"
