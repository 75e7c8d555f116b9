"""One made-up year for each shape of docs/shapes.md, written in data/ form.

``write_shape(root, "D")`` writes ``root/<year>/`` and returns the folder. Each shape's
``EXPECTED`` is the document as a reader sees it: (Word paragraph style, text) in order, and
``LEADS`` / ``RUNINS`` the runs set apart (the bold lead sentence, the run-in heading).
"""

from __future__ import annotations

from pathlib import Path

REPORT_A = """\
year: 2022
organization: "*街道"
title: "*街道2022年工作总结和2023年工作计划"
preamble: 2022年，*街道凝心聚力，推动各项工作再上新台阶。
sections: [economy, safety]
plans: plans
closing: 2023年，*街道将继续努力。
"""
ECONOMY_A = """\
heading: 谋定快动，擘画区域发展“大蓝图”
intro: 街道紧抓发展第一要务，推进经济恢复性增长。
items:
  - id: urban_projects
    lead: 城建项目如期推进。
    body: 建设充电桩{{ m.charging_piles }}，辖区功能持续升级。
    metrics:
      charging_piles: {label: 充电桩, value: 1354, unit: 个}
  - lead: 营商环境持续优化。
    body: 走访企业{{ m.visits }}，帮助解决实际问题。
    metrics:
      visits: {label: 走访企业, value: 100, unit: 家, approx: 余, numerals: chinese}
"""
SAFETY_A = """\
heading: 枕戈待旦，守牢辖区和谐稳定“安全线”
items:
  - id: drills
    lead: 安全形势总体平稳。
    body: 组织演练{{ m.drills }}。
    metrics:
      drills: {label: 应急演练, value: 20, unit: 场, approx: 余}
"""
PLANS_A = """\
year: 2023
items:
  - id: epidemic
    heading: 继续做好常态化防控工作。
    body: 持续做好各项防控工作。
  - id: governance
    heading: 打造基层治理创新标杆。
    body: 积极探索社区治理新模式。
"""

REPORT_B = """\
year: 2022
organization: "*街道"
title: "*街道2022年工作总结及2023年工作思路"
preamble: 2022年，*街道在区委、区政府的领导下扎实工作。
parts:
  - title: 工作成效
    file: results
    numbering: "1."
  - title: 工作思路
    kind: plans
    file: plans
    numbering: "1."
closing: 新的一年，*街道将奋勇争先。
"""
RESULTS_B = """\
items:
  - id: safety
    heading: 全力做好安全生产。
    body: 排查隐患{{ m.hazards }}，全部整改到位。
    metrics:
      hazards: {label: 排查隐患, value: 4600, unit: 处, approx: 余}
  - id: business
    heading: 持续优化营商环境。
    body: 新增市场主体{{ m.new_firms }}。
    metrics:
      new_firms: {label: 新增市场主体, value: 2600, unit: 个, approx: 超}
"""
PLANS_B = """\
year: 2023
items:
  - id: investment
    heading: 抓招商，强产业。
    body: 紧盯大企业、大项目招商。
  - id: services
    heading: 抓治理，优服务。
    body: 办好群众身边事。
"""

REPORT_C_PRIOR = """\
year: 2022
organization: "*街道"
title: "*街道2022年工作总结和2023年工作思路"
preamble: 2022年，*街道稳中求进。
metrics:
  gdp: {label: 地区生产总值, value: 46.6, unit: 亿元}
  budget_revenue: {label: 一般公共预算收入, value: 1.66, unit: 亿元}
parts:
  - title: 工作回顾
    intro: 全年实现地区生产总值{{ m.gdp }}，一般公共预算收入{{ m.budget_revenue }}。
    sections: [economy]
  - title: 工作思路
    kind: plans
    file: plans
closing: 2023年，*街道将再接再厉。
"""
ECONOMY_C_PRIOR = """\
heading: 经济运行稳中有进。
items:
  - lead: 盯紧指标。
    body: 全力推进项目建设。
"""
PLANS_C_PRIOR = """\
year: 2023
items:
  - id: industry
    heading: 聚焦产业升级，夯实发展基础。
    body: 培育新兴产业。
"""
INTRO_C = (
    "全年实现地区生产总值{{ m.gdp }}，{{ m.gdp | yoy }}，"
    "一般公共预算收入{{ m.budget_revenue }}，同比{{ m.budget_change }}。"
)
REPORT_C = f"""\
year: 2023
organization: "*街道"
title: "*街道2023年工作总结和2024年工作思路"
preamble: 2023年，*街道攻坚克难，各项工作取得新成效。
metrics:
  gdp: {{label: 地区生产总值, value: 48.6, unit: 亿元}}
  budget_revenue: {{label: 一般公共预算收入, value: 1.6, unit: 亿元}}
  budget_change: {{label: 一般公共预算收入同比, value: -3.5, unit: "%", signed: true}}
parts:
  - title: 工作回顾
    intro: {INTRO_C}
    sections: [economy, services]
  - title: 工作思路
    kind: plans
    file: plans
closing: 2024年，*街道将乘势而上。
signature: "*街道办事处"
date: 2024-01-12
"""
ECONOMY_C = """\
heading: 坚持“稳增长、调结构”，经济运行稳中有进。
items:
  - id: targets
    lead: 盯紧指标。
    body: 全力推进项目建设，落实产业升级计划。
    plan: industry
  - lead: 抓实招商。
    body: 引进项目{{ m.projects }}。
    metrics:
      projects: {label: 引进项目, value: 12, unit: 个}
"""
SERVICES_C = """\
heading: 坚持以人民为中心，民生福祉持续增进。
items:
  - lead: 兜牢民生底线。
    body: 发放救助金{{ m.relief }}。
    metrics:
      relief: {label: 救助金, value: 12.8, unit: 万元}
  - table:
      caption: 2023年主要经济指标
      metrics: [gdp, budget_revenue]
      yoy: true
"""
PLANS_C = """\
year: 2024
items:
  - id: industry
    heading: 聚焦产业升级，夯实发展基础。
    body: 培育新兴产业，壮大经济总量。
"""

REPORT_D = """\
year: 2022
organization: "*街道"
title: "*街道2022年工作总结和2023年工作计划"
preamble: 2022年，*街道各项工作有序推进。现将主要工作汇报如下。
parts:
  - title: 主要工作成效
    file: achievements
  - title: 存在的问题和不足
    kind: plain
    file: problems
  - title: 工作计划
    kind: plans
    file: plans
closing:
  - 结尾第一段：*街道将坚定信心。
  - 结尾第二段：*街道将实干担当。
signature: "*街道办事处"
date: 2023-01-10
"""
ACHIEVEMENTS_D = """\
items:
  - id: party
    heading: 基层党建扎实推进。
    body: 一是强化理论学习。二是夯实基层组织。
    items:
      - text: 发展党员{{ m.new_members }}，党员队伍不断壮大。
        metrics:
          new_members: {label: 发展党员, value: 16, unit: 名}
  - id: economy
    heading: 经济发展稳中向好。
    body: 服务企业{{ m.served_firms }}。
    metrics:
      served_firms: {label: 服务企业, value: 300, unit: 家, approx: 超过}
"""
PROBLEMS_D = """\
items:
  - text: 一是发展后劲不足；二是治理短板仍存；三是干部能力有待提升。
"""
PLANS_D = """\
year: 2023
items:
  - id: party_plan
    heading: 强化党建引领
    items:
      - heading: 抓好理论学习。
        body: 开展集中学习。
        items:
          - heading: 细分事项。
            body: 每月开展一次专题学习。
      - heading: 抓好队伍建设。
        body: 选优配强社区干部。
  - id: economy_plan
    heading: 推动经济发展
    items:
      - text: 一段正文，不带主旨句。
"""

SHAPES: dict[str, dict[int, dict[str, str]]] = {
    "A": {
        2022: {
            "report.yaml": REPORT_A,
            "economy.yaml": ECONOMY_A,
            "safety.yaml": SAFETY_A,
            "plans.yaml": PLANS_A,
        }
    },
    "B": {2022: {"report.yaml": REPORT_B, "results.yaml": RESULTS_B, "plans.yaml": PLANS_B}},
    "C": {
        2022: {
            "report.yaml": REPORT_C_PRIOR,
            "economy.yaml": ECONOMY_C_PRIOR,
            "plans.yaml": PLANS_C_PRIOR,
        },
        2023: {
            "report.yaml": REPORT_C,
            "economy.yaml": ECONOMY_C,
            "services.yaml": SERVICES_C,
            "plans.yaml": PLANS_C,
        },
    },
    "D": {
        2022: {
            "report.yaml": REPORT_D,
            "achievements.yaml": ACHIEVEMENTS_D,
            "problems.yaml": PROBLEMS_D,
            "plans.yaml": PLANS_D,
        }
    },
}
YEAR = {"A": 2022, "B": 2022, "C": 2023, "D": 2022}
"""The year each shape is about (C has the year before it, for its 同比)."""

EXPECTED: dict[str, list[tuple[str, str]]] = {
    "A": [
        ("Title", "*街道2022年工作总结和2023年工作计划"),
        ("Normal", "2022年，*街道凝心聚力，推动各项工作再上新台阶。"),
        ("Heading 1", "一、2022年工作总结"),
        ("Heading 2", "（一）谋定快动，擘画区域发展“大蓝图”"),
        ("Normal", "街道紧抓发展第一要务，推进经济恢复性增长。"),
        ("Normal", "城建项目如期推进。建设充电桩1354个，辖区功能持续升级。"),
        ("Normal", "营商环境持续优化。走访企业百余家，帮助解决实际问题。"),
        ("Heading 2", "（二）枕戈待旦，守牢辖区和谐稳定“安全线”"),
        ("Normal", "安全形势总体平稳。组织演练20余场。"),
        ("Heading 1", "二、2023年工作安排"),
        ("Normal", "（一）继续做好常态化防控工作。持续做好各项防控工作。"),
        ("Normal", "（二）打造基层治理创新标杆。积极探索社区治理新模式。"),
        ("Normal", "2023年，*街道将继续努力。"),
    ],
    "B": [
        ("Title", "*街道2022年工作总结及2023年工作思路"),
        ("Normal", "2022年，*街道在区委、区政府的领导下扎实工作。"),
        ("Heading 1", "一、2022年工作成效"),
        ("Normal", "1.全力做好安全生产。排查隐患4600余处，全部整改到位。"),
        ("Normal", "2.持续优化营商环境。新增市场主体超2600个。"),
        ("Heading 1", "二、2023年工作思路"),
        ("Normal", "1.抓招商，强产业。紧盯大企业、大项目招商。"),
        ("Normal", "2.抓治理，优服务。办好群众身边事。"),
        ("Normal", "新的一年，*街道将奋勇争先。"),
    ],
    "C": [
        ("Title", "*街道2023年工作总结和2024年工作思路"),
        ("Normal", "2023年，*街道攻坚克难，各项工作取得新成效。"),
        ("Heading 1", "一、2023年工作回顾"),
        (
            "Normal",
            "全年实现地区生产总值48.6亿元，同比增长4.3%，一般公共预算收入1.6亿元，同比-3.5%。",
        ),
        ("Heading 2", "（一）坚持“稳增长、调结构”，经济运行稳中有进。"),
        ("Normal", "盯紧指标。全力推进项目建设，落实产业升级计划。"),
        ("Normal", "抓实招商。引进项目12个。"),
        ("Heading 2", "（二）坚持以人民为中心，民生福祉持续增进。"),
        ("Normal", "兜牢民生底线。发放救助金12.8万元。"),
        ("Caption", "2023年主要经济指标"),
        ("Heading 1", "二、2024年工作思路"),
        ("Normal", "（一）聚焦产业升级，夯实发展基础。培育新兴产业，壮大经济总量。"),
        ("Normal", "2024年，*街道将乘势而上。"),
        ("Signature", "*街道办事处"),
        ("Date", "2024年1月12日"),
    ],
    "D": [
        ("Title", "*街道2022年工作总结和2023年工作计划"),
        ("Normal", "2022年，*街道各项工作有序推进。现将主要工作汇报如下。"),
        ("Heading 1", "一、2022年主要工作成效"),
        ("Normal", "（一）基层党建扎实推进。一是强化理论学习。二是夯实基层组织。"),
        ("Normal", "发展党员16名，党员队伍不断壮大。"),
        ("Normal", "（二）经济发展稳中向好。服务企业超过300家。"),
        ("Heading 1", "二、存在的问题和不足"),
        ("Normal", "一是发展后劲不足；二是治理短板仍存；三是干部能力有待提升。"),
        ("Heading 1", "三、2023年工作计划"),
        ("Heading 2", "（一）强化党建引领"),
        ("Normal", "1.抓好理论学习。开展集中学习。"),
        ("Normal", "（1）细分事项。每月开展一次专题学习。"),
        ("Normal", "2.抓好队伍建设。选优配强社区干部。"),
        ("Heading 2", "（二）推动经济发展"),
        ("Normal", "一段正文，不带主旨句。"),
        ("Normal", "结尾第一段：*街道将坚定信心。"),
        ("Normal", "结尾第二段：*街道将实干担当。"),
        ("Signature", "*街道办事处"),
        ("Date", "2023年1月10日"),
    ],
}
"""Each shape's document: (Word paragraph style, text), empty paragraphs left out."""

SET_APART: dict[str, list[tuple[str, str]]] = {
    "A": [
        ("段首主题句", "城建项目如期推进。"),
        ("段首主题句", "营商环境持续优化。"),
        ("段首主题句", "安全形势总体平稳。"),
        ("段内标题", "（一）继续做好常态化防控工作。"),
        ("段内标题", "（二）打造基层治理创新标杆。"),
    ],
    "B": [
        ("段内三级标题", "1.全力做好安全生产。"),
        ("段内三级标题", "2.持续优化营商环境。"),
        ("段内三级标题", "1.抓招商，强产业。"),
        ("段内三级标题", "2.抓治理，优服务。"),
    ],
    "C": [
        ("段首主题句", "盯紧指标。"),
        ("段首主题句", "抓实招商。"),
        ("段首主题句", "兜牢民生底线。"),
        ("段内标题", "（一）聚焦产业升级，夯实发展基础。"),
    ],
    "D": [
        ("段内标题", "（一）基层党建扎实推进。"),
        ("段内标题", "（二）经济发展稳中向好。"),
        ("段内三级标题", "1.抓好理论学习。"),
        ("段内四级标题", "（1）细分事项。"),
        ("段内三级标题", "2.抓好队伍建设。"),
    ],
}
"""The runs each shape sets apart, in order: (character style, text)."""

TABLES: dict[str, list[list[str]]] = {
    "C": [
        ["指标", "单位", "2023年", "同比"],
        ["地区生产总值", "亿元", "48.6", "增长4.3%"],
        ["一般公共预算收入", "亿元", "1.6", "下降3.6%"],
    ]
}


def write_shape(root: Path, shape: str) -> Path:
    """Every year of ``shape`` under ``root``; the folder of the year it is about."""
    for year, files in SHAPES[shape].items():
        folder = root / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    return root / str(YEAR[shape])
