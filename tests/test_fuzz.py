"""Property-based: mutated copies of data/2022 never crash the tool (issue 8, part 5).

Bad data: scalars replaced by other types and unicode edge cases, keys deleted and duplicated,
YAML tags, anchors, aliases, directives and byte damage, through the CLI in-process (typer's
runner: the same command, printer and exit codes as the shell, without a process start). No
traceback, ever; an error is said at a file, line and column, in Chinese, with the data-error
exit code (validate 1, diff 2). Valid data: random prose and numbers build, and the document's
text is the outline's text, word for word.

Deterministic here (``derandomize``, no deadline); ``make fuzz`` runs many more examples at
random (FUZZ_EXAMPLES, set by the Makefile target).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import docx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from annual_report import dataset, outline, templates
from annual_report.cli import app

runner = CliRunner()
SOURCE = Path(__file__).resolve().parents[1] / "data" / "2022"
FILES = sorted(path.name for path in SOURCE.glob("*.yaml"))
TEXTS = {name: (SOURCE / name).read_text("utf-8") for name in FILES}
FUZZ = int(os.environ.get("FUZZ_EXAMPLES", "0"))


def fuzz_settings(examples: int) -> settings:
    """Few examples, the same every run, in the suite; many at random under ``make fuzz``."""
    return settings(
        max_examples=FUZZ or examples,
        derandomize=not FUZZ,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


KEY_LINE = re.compile(r"^(?P<indent> *(?:- )?)(?P<key>[A-Za-z_][\w]*):(?P<value> .*)?$")
EDGE_TEXTS = [
    "",
    " ",
    "\u3000",
    "\t",
    "~",
    "null",
    "true",
    "yes",
    "-1",
    "1e3",
    "12e3",
    "0x1F",
    "0o17",
    "0b101",
    ".inf",
    ".nan",
    "9" * 30,
    "9" * 4301,
    "1,523",
    "１２３",
    "一千",
    "五" + "亿" * 60,
    "2023-02-29",
    "2022-01-01",
    "0001-01-01",
    "9999-12-31",
    "98.50",
    "[",
    "]",
    "{",
    "}",
    "{{",
    "}}}",
    "{ {m.x} }",
    "{{ m.nowhere }}",
    "{% for x in y %}",
    "{{ m['x'] }}",
    "*a",
    "&a",
    "!x",
    "!!str",
    "%",
    "@",
    "`",
    "---",
    "...",
    "#",
    ": ",
    "- ",
    "'",
    '"',
    "\\",
    "|",
    ">",
    "\u200b",
    "\ufeff",
    "\u202e",
    "\u2028",
    "\u2029",
    "\u00ad",
    "\ufffd",
    "\ue000",
    "\x00",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\ud800",
    "\uffff",
    "𠀀",
    "é",
    "a" * 300,
]
PREFIXES = [
    "!!str ",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!binary ",
    "!!set ",
    "!x ",
    "! ",
    "&a ",
    "*a ",
    "--- ",
]
DIRECTIVES = [
    "%YAML 1.1\n---\n",
    "%YAML 1.3\n---\n",
    "%TAG !e! tag:e.com,2000:\n---\n",
    "--- !!omap\n",
    "--- !!set\n",
    "---\n",
    "...\n",
]


def scalar_text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(EDGE_TEXTS), st.text(max_size=12))


@st.composite
def written(draw: st.DrawFn) -> str:
    """A value as it may be typed after ``key:``: plain, quoted, a flow list or mapping."""
    text = draw(scalar_text())
    style = draw(st.sampled_from(["plain", "double", "single", "list", "map", "empty"]))
    if style == "plain":
        return " " + text
    if style == "double":
        return " " + json.dumps(text, ensure_ascii=draw(st.booleans()))
    if style == "single":
        return " '" + text.replace("'", "''") + "'"
    if style == "list":
        return " [" + text + "]"
    if style == "map":
        return " {" + text + ": 1}"
    return ""


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file name, its new bytes): one or two mutations of one of data/2022's files."""
    name = draw(st.sampled_from(FILES))
    text = TEXTS[name]
    for _ in range(draw(st.integers(1, 2))):
        lines = text.split("\n")
        keyed = [i for i, line in enumerate(lines) if KEY_LINE.match(line)] or [0]
        at = draw(st.sampled_from(keyed))
        kind = draw(
            st.sampled_from(
                ["value", "value", "delete", "duplicate", "prefix", "directive", "bytes"]
            )
        )
        found = KEY_LINE.match(lines[at])
        if kind == "value" and found:
            lines[at] = found["indent"] + found["key"] + ":" + draw(written())
        elif kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "prefix" and found and found["value"]:
            lines[at] = f"{found['indent']}{found['key']}: {draw(st.sampled_from(PREFIXES))}"
            lines[at] += found["value"].strip()
        elif kind == "directive":
            lines.insert(0, draw(st.sampled_from(DIRECTIVES)).rstrip("\n"))
        text = "\n".join(lines)
        if kind == "bytes":
            raw = bytearray(text.encode("utf-8", errors="surrogatepass"))
            where = draw(st.integers(0, len(raw) - 1))
            action = draw(st.sampled_from(["flip", "delete", "insert"]))
            if action == "flip":
                raw[where] ^= draw(st.integers(1, 255))
            elif action == "delete":
                del raw[where]
            else:
                raw.insert(where, draw(st.integers(0, 255)))
            return name, bytes(raw)
    return name, text.encode("utf-8", errors="surrogatepass")


@contextmanager
def year_with(files: dict[str, bytes]) -> Iterator[Path]:
    """A data folder in a new temporary folder: data/2022 with ``files`` written over it."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(SOURCE, data / "2022")
        for name, content in files.items():
            (data / "2022" / name).write_bytes(content)
        yield data


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(arg) for arg in args])
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.output


CJK = re.compile("[\u4e00-\u9fff]")


@fuzz_settings(50)
@given(mutated())
def test_mutated_data_is_refused_at_a_place_or_accepted(mutation: tuple[str, bytes]) -> None:
    name, content = mutation
    with year_with({name: content}) as data:
        code, stdout, _ = invoke("validate", "2022", "-d", data, "--format", "json")
        event(f"validate exit {code}")  # --hypothesis-show-statistics: both kinds are made
        assert code in (0, 1)
        found = json.loads(stdout)
        errors = [p for p in found if p["severity"] == "error"]
        assert (code == 1) == bool(errors), found
        for problem in errors:
            assert problem["file"].startswith(str(data)), problem
            assert problem["line"] >= 1 and problem["column"] >= 1, problem
            assert CJK.search(problem["message"]), problem
            assert "\n" not in problem["message"] and "\x1b" not in problem["message"]
        if errors:
            target = data.parent / "x.docx"
            assert invoke("build", "2022", "-d", data, "-o", target)[0] == 1
            assert not target.exists()
            assert invoke("diff", "2022", "2022", "-d", data)[0] == 2


PROSE_KEYS = ("lead", "body", "intro", "preamble", "closing")
WORDS = st.text(
    alphabet=st.sampled_from(
        "街道办社区服务群众建设推进完成项目工作党建安全民生经济发展0123456789"
    ),
    min_size=1,
    max_size=40,
).map(lambda text: text + "。")
NUMBER = st.one_of(
    st.integers(0, 10**15).map(str),
    st.tuples(st.integers(0, 10**6), st.text("0123456789", min_size=1, max_size=6)).map(
        lambda parts: f"{parts[0]}.{parts[1]}"
    ),
)
FLOW_VALUE = re.compile(r"value: [0-9.]+")


@st.composite
def valid_edit(draw: st.DrawFn) -> tuple[str, str, str]:
    """(file, new text, what the document must now say): a prose text rewritten, and maybe a
    metric's number changed, both in ways the data accepts."""
    name = draw(st.sampled_from([n for n in FILES if n != "report.yaml"]))
    lines = TEXTS[name].split("\n")
    prose = [
        i
        for i, line in enumerate(lines)
        if (found := KEY_LINE.match(line)) and found["key"] in PROSE_KEYS
    ]
    at = draw(st.sampled_from(prose))
    found = KEY_LINE.match(lines[at])
    assert found is not None
    words = draw(WORDS)
    kept = "".join(re.findall(r"\{\{ m\.\w+ \}\}", found["value"] or ""))  # metrics stay used
    lines[at] = f"{found['indent']}{found['key']}: {json.dumps(words + kept, ensure_ascii=False)}"
    numbers = [  # 百余 is written for numbers below 一亿 only: the model refuses others, rightly
        i for i, line in enumerate(lines) if FLOW_VALUE.search(line) and "chinese" not in line
    ]
    if numbers and draw(st.booleans()):
        which = draw(st.sampled_from(numbers))
        lines[which] = FLOW_VALUE.sub(f"value: {draw(NUMBER)}", lines[which], count=1)
    return name, "\n".join(lines), words


@fuzz_settings(12)
@given(valid_edit())
def test_valid_random_data_builds_and_its_text_round_trips(edit: tuple[str, str, str]) -> None:
    name, text, words = edit
    with year_with({name: text.encode()}) as data:
        target = data.parent / "x.docx"
        code, _, output = invoke("build", "2022", "-d", data, "-o", target)
        assert code == 0, output
        year, _, _ = dataset.load_year(data, 2022)
        template = templates.find(templates.OUTLINE, data).read_text("utf-8")
        blocks = outline.render_outline(template, outline.outline_context(year))
        written_text = [p.text for p in docx.Document(str(target)).paragraphs if p.text]
        assert written_text == [block.text for block in blocks if block.text]
        assert any(words in paragraph for paragraph in written_text)
