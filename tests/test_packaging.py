"""An installed tool carries its defaults: the wheel ships templates/ and the message catalogue."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_templates_and_messages(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("annual_report-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("outline.j2", "gbt9704.yaml", "gbt9704-fonts.conf"):
        assert f"annual_report/templates/{name}" in names
    assert "annual_report/messages.yaml" in names
    assert any(n.endswith("entry_points.txt") for n in names)
