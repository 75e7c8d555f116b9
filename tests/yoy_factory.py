"""Synthetic years for the year-over-year tests (diff, init, yoy): small, valid, in a tmp folder.

``write_year(root, 2022)`` writes a whole valid year; keyword arguments replace its parts.
Nothing here touches data/.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

REPORT_HEADER = "# 年度框架。\n# 2022年的注释：年份会随 init 前进。\n"


def metric(label: str, value: int | float | None, unit: str = "个", **extra: Any) -> dict:
    return {"label": label, "value": value, "unit": unit, **extra}


def default_sections() -> dict[str, dict[str, Any]]:
    return {
        "economy": {
            "heading": "谋定快动，擘画发展蓝图",
            "items": [
                {
                    "id": "charging",
                    "lead": "充电设施加快建设。",
                    "body": "建成充电桩{{ m.charging_piles }}，停车泊位{{ m.parking_spaces }}。",
                    "metrics": {
                        "charging_piles": metric("充电桩", 800),
                        "parking_spaces": metric("停车泊位", 100),
                    },
                },
                {
                    "id": "projects",
                    "lead": "城建项目如期推进。",
                    "body": "协调推进{{ m.key_projects }}城建重点工程。",
                    "metrics": {"key_projects": metric("城建重点工程", 10, "项")},
                },
            ],
        },
        "safety": {
            "heading": "守牢安全底线",
            "intro": "测评满意度达{{ m.satisfaction }}。",
            "metrics": {"satisfaction": metric("满意度", 98.5, "%", approx="以上")},
            "items": [
                {
                    "id": "drills",
                    "lead": "应急能力持续提升。",
                    "body": "组织演练{{ m.drills }}。",
                    "metrics": {"drills": metric("应急演练", 20, "场", approx="余")},
                }
            ],
        },
    }


def default_plans(year: int) -> dict[str, Any]:
    return {
        "year": year + 1,
        "items": [
            {
                "id": "charging_plan",
                "heading": "继续建设充电设施。",
                "body": "新建充电桩，方便居民出行。",
                "owner": "城建办",
                "targets": {"charging_piles": metric("充电桩", 1000)},
            },
            {
                "id": "safety_plan",
                "heading": "筑牢安全防线。",
                "body": "持续开展应急演练。",
            },
        ],
    }


def default_report(year: int, sections: list[str]) -> dict[str, Any]:
    return {
        "year": year,
        "organization": "*街道",
        "title": f"街道办{year}年总结和{year + 1}年工作计划",
        "preamble": f"{year}年，*街道凝心聚力，推动各项工作再上新台阶。",
        "sections": sections,
        "plans": "plans",
        "closing": f"{year + 1}年，*街道将上下一心、踔厉奋发。",
    }


def dump(data: Any, path: Path, header: str = "") -> None:
    from io import StringIO

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = StringIO()
    yaml.dump(data, buffer)
    path.write_text(header + buffer.getvalue(), encoding="utf-8")


def write_year(
    root: Path,
    year: int,
    *,
    sections: dict[str, dict[str, Any]] | None = None,
    plans: dict[str, Any] | None = None,
    report: dict[str, Any] | None = None,
) -> Path:
    """A valid year under ``root/<year>``; returns the folder."""
    folder = root / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    sections = copy.deepcopy(sections) if sections is not None else default_sections()
    frame = default_report(year, list(sections))
    frame.update(report or {})
    dump(frame, folder / "report.yaml", REPORT_HEADER.replace("2022", str(year)))
    for stem, section in sections.items():
        dump(section, folder / f"{stem}.yaml", f"# {year}年工作总结：{stem}\n")
    dump(plans if plans is not None else default_plans(year), folder / "plans.yaml")
    return folder


def set_value(sections: dict[str, dict[str, Any]], key: str, value: Any) -> None:
    """Change one metric's value wherever it is defined."""
    for section in sections.values():
        for holder in [section, *section["items"]]:
            if key in holder.get("metrics", {}):
                holder["metrics"][key]["value"] = value
                return
    raise KeyError(key)
