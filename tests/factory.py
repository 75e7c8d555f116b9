"""A minimal valid year, written as text so tests know every line and column.

``write_year(tmp_path)`` writes ``data/2022/{report,economy,plans}.yaml`` and returns the data
folder; ``files`` replaces a file's text (or adds one) by name, so a test changes exactly the one
thing it is about.
"""

from __future__ import annotations

from pathlib import Path

REPORT = """\
# yaml-language-server: $schema=../../schema/report.schema.json
year: 2022
organization: "*街道"
title: 街道办2022年总结和2023年工作计划
preamble: 2022年，*街道推动各项工作再上新台阶。
sections: [economy]
plans: plans
closing: 2023年，*街道将继续努力。
"""

# Line numbers in this text are used by the position tests: keep them in step.
ECONOMY = """\
# yaml-language-server: $schema=../../schema/section.schema.json
heading: 谋定快动，擘画区域发展“大蓝图”
items:
  - id: urban_projects
    lead: 城建城改项目如期推进。
    body: 建设充电桩{{ m.charging_piles }}，停车泊位{{ m.parking_spaces }}。
    metrics:
      charging_piles: {label: 充电桩, value: 1354, unit: 个}
      parking_spaces:
        label: 停车泊位
        value: 6497
        unit: 个
"""

PLANS = """\
# yaml-language-server: $schema=../../schema/plans.schema.json
year: 2023
items:
  - id: epidemic
    heading: 继续做好疫情常态化防控工作。
    body: 持续做好疫苗接种工作。
"""

FILES = {"report.yaml": REPORT, "economy.yaml": ECONOMY, "plans.yaml": PLANS}


def write_year(root: Path, year: int = 2022, files: dict[str, str | bytes] | None = None) -> Path:
    """Write a valid year under ``root/data/<year>`` (with ``files`` swapped in); return
    ``root/data``."""
    folder = root / "data" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in {**FILES, **(files or {})}.items():
        target = folder / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root / "data"


def write_scaffolded(root: Path) -> Path:
    """The valid 2022 and the 2023 ``init`` makes from it (through the CLI); returns ``data``."""
    from typer.testing import CliRunner

    from annual_report.cli import app

    data = write_year(root)
    result = CliRunner().invoke(app, ["init", "2023", "-d", str(data)])
    assert result.exit_code == 0, result.output
    return data
