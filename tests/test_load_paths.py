"""The C parser's fast path reads a valid file exactly as the reference parser does (tree,
positions, scalar places and styles), and hands every file it cannot vouch for to it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annual_report import load
from annual_report.load.events import EventWatcher, c_events, watching_yaml

ROOT = Path(__file__).resolve().parent.parent


def _shape(node: Any) -> Any:
    """Everything a check or a message reads: values with their types and every position."""
    if isinstance(node, dict):
        return [(k, node.lc.key(k), node.lc.value(k), _shape(v)) for k, v in node.items()]
    if isinstance(node, list):
        return [(node.lc.item(i), _shape(v)) for i, v in enumerate(node)]
    return type(node).__name__, repr(node)


def _reference(path: Path, text: str) -> tuple[Any, Any]:
    watcher = EventWatcher(path, text)
    return watching_yaml(watcher).load(text), watcher.scalars


def test_the_c_parser_is_installed() -> None:
    assert c_events("a: 1\n") is not None


@pytest.mark.parametrize(
    "path", sorted((ROOT / "templates").glob("*.yaml")) + sorted(ROOT.glob("data/*/*.yaml"))
)
def test_the_fast_path_reads_a_valid_file_as_the_reference_does(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = load._parse_fast(path, text)
    assert fast is not None
    tree, scalars = _reference(path, text)
    assert _shape(fast[0]) == _shape(tree)
    assert fast[1] == scalars


@pytest.mark.parametrize(
    "text",
    [
        "a:\tb\n",  # a tab libyaml tolerates
        "a: b\ufeffc\n",  # a byte-order mark libyaml does not count in a column
        "a: b\u2028c\n",  # a YAML 1.1 line break
        "a:\nb: 1\n",  # an empty value, placed differently
        "a: !!str 1\n",  # a tag, kept as written
        "a: [1, 2\n",  # a syntax error: the reference parser words it
        "a: 1\na: 2\n",  # a duplicate key: the reference constructor words it
        "a: &x 1\nb: *x\n",  # an anchor: the watch refuses it
        "%YAML 1.1\n---\na: yes\n",  # a directive: the version changes what yes means
    ],
)
def test_the_fast_path_leaves_what_it_cannot_vouch_for(text: str) -> None:
    assert load._parse_fast(Path("x.yaml"), text) is None
