"""What a quantity typed in prose counts, and the metric key to name it by: the words before it
less the words that tell it (建设充电站3个 → 充电站), and a key from a small map of common labels,
else the label in pinyin. ``import`` names the metrics it makes so; validate proposes them for a
number typed into prose, and for a metric named by a label that is no key.
"""

from __future__ import annotations

import re

KNOWN_KEYS = {
    "充电桩": "charging_piles",
    "充电站": "charging_stations",
    "停车泊位": "parking_spaces",
    "地区生产总值": "gdp",
    "一般公共预算收入": "fiscal_revenue",
    "固定资产投资": "fixed_asset_investment",
    "新增就业": "new_jobs",
    "就业岗位": "jobs",
    "市场主体": "market_entities",
    "核酸检测": "nucleic_acid_tests",
    "疫苗接种": "vaccinations",
    "安全检查": "safety_inspections",
    "隐患": "hazards",
    "演练": "drills",
    "志愿服务队伍": "volunteer_teams",
    "党员": "party_members",
    "社区": "communities",
    "小区": "residential_areas",
    "企业": "enterprises",
    "项目": "projects",
}
"""Readable keys for labels every summary has; any other label is spelt in pinyin."""

VERBS = re.compile(
    r"(?:协调推进|升级打造|协调|推进|^建设|建立|建成|完成|开展|组织|举办|新增|实现|累计|共计|总计|"
    r"发放|培育|评选|指导|打造|领办|办理|接待|帮助|走访|拆除|引进|整改|改造|新建|选派|确保|"
    r"力争|全年|达到|[一二三四五六七八九十]是|等|的)"
)
"""Words a clause tells a quantity with, not what it counts: the label is what they leave."""
TRAILING = re.compile(r"(?:达|为|共|超过|约|近|超|逾)+$")
NOUN_END = re.compile(
    r"(?:被|获|修订|落实|实现|得以|纳入|参加|参与|开展|完成|的|在|为|达|和|等|到|全[覆组提])"
)
CLAUSE = re.compile(r"[，。；、：！？（）“”‘’《》,;:()\s]")


def label(text: str, start: int, end: int) -> str:
    """The words that say what the quantity counts: the clause before it less the words that
    tell it (建设充电站3个 → 充电站; 在…小学建立小型空气质监站1处 → 小型空气质监站; “智慧小区”10个
    → 智慧小区), else the noun after it (10项城建重点工程 → 城建重点工程, 17个社区修订… → 社区)."""
    before = text[:start]
    if before.endswith("”") and "“" in before:
        return before[before.rindex("“") + 1 : -1][-10:] or "指标"
    pieces = [p for p in VERBS.split(CLAUSE.split(before)[-1]) if TRAILING.sub("", p)]
    label = TRAILING.sub("", pieces[-1])[-10:] if pieces else ""
    if not label:
        label = NOUN_END.split(CLAUSE.split(text[end:])[0])[0][:10]
    return label or "指标"


def pinyin_key(label: str) -> str:
    from pypinyin import lazy_pinyin

    words = [re.sub(r"[^a-z0-9]", "", w.lower()) for w in lazy_pinyin(label)]
    key = "_".join(w for w in words[:6] if w).strip("_")
    return key if re.match(r"^[a-z]", key) else f"m_{key}" if key else "metric"


def key_for(
    label: str, taken: set[str] | frozenset[str] = frozenset(), known: str | None = None
) -> str:
    """A valid key for ``label`` that is not ``taken``: ``known`` (last year's), the map's, else
    pinyin (``_2`` … after it when that is taken)."""
    base = known or KNOWN_KEYS.get(label) or pinyin_key(label)
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}_{n}"
    return key
