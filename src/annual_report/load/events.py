"""The YAML event watch: every parser event is seen as the composer takes it, so aliases (and
with them alias bombs), anchors, custom tags, non-text keys and absurd nesting are refused at
their position before ruamel builds a single object, and every scalar's place is recorded."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from annual_report.errors import DataError, format_path
from annual_report.load.source import Loc, Scalar, file_problem, text_position

MAX_DEPTH = 20
"""Our deepest data is 4 levels (items → metrics → key → fields); 20 leaves room for anything
sensible and stops a 10,000-deep file long before Python's recursion limit."""

STANDARD_TAG = "tag:yaml.org,2002:"


class EventWatcher:
    """Sees every parser event as the composer takes it: refuses aliases (before the composer
    resolves one, so an alias bomb never expands), anchors, custom tags and deep nesting with
    their position; records every scalar value's place and style by its path."""

    def __init__(self, path: Path, text: str = "") -> None:
        from ruamel.yaml import events

        self.path, self.events, self.text = path, events, text
        self.resolver = _resolver()
        self.scalars: dict[Loc, Scalar] = {}
        # Each frame: [path, is_mapping, expecting_key, current key or last index]
        self.stack: list[list[Any]] = []

    def refuse(self, code: str, english: str, mark: Any, **ctx: Any) -> DataError:
        return DataError(
            [file_problem(self.path, code, english, mark.line + 1, mark.column + 1, **ctx)]
        )

    def see(self, event: Any) -> None:
        ev, stack = self.events, self.stack
        if isinstance(event, ev.AliasEvent):
            raise self.refuse(
                "alias", "alias (*name) not allowed", event.start_mark, name=event.anchor
            )
        if isinstance(event, ev.CollectionEndEvent):
            stack.pop()
            _value_done(stack)
            return
        if not isinstance(event, (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent)):
            return
        if event.anchor is not None:
            raise self.refuse(
                "anchor", "anchor (&name) not allowed", event.start_mark, name=event.anchor
            )
        if event.tag is not None:  # our data is text, numbers and dates: YAML reads them all
            raise self.refuse(
                "yaml_tag", "tag not allowed", event.start_mark, tag=as_typed(event.tag)
            )
        frame = stack[-1] if stack else None
        is_key = frame is not None and frame[1] and frame[2]
        if frame is None:
            here: Loc = ()
        elif frame[1]:
            here = (*frame[0], frame[3]) if not is_key else frame[0]
        else:
            frame[3] += 1
            here = (*frame[0], frame[3])
        if isinstance(event, ev.ScalarEvent):
            if is_key:
                self.string_key(event)
                frame[2], frame[3] = False, event.value  # type: ignore[index]
            else:
                self.plain_number(event, here)
                start, end = event.start_mark, event.end_mark
                self.scalars[here] = Scalar(
                    event.style,
                    start.line,
                    start.column,
                    end.line,
                    end.column,
                    event.value,
                    end.index,
                )
                _value_done(stack)
            return
        if len(stack) >= MAX_DEPTH:
            raise self.refuse("too_deep", "nested too deep", event.start_mark, limit=MAX_DEPTH)
        if is_key:  # a mapping or list used as a key: legal YAML, never our data
            raise self.refuse("complex_key", "a mapping or list used as a key", event.start_mark)
        stack.append([here, isinstance(event, ev.MappingStartEvent), True, -1])

    def plain_number(self, event: Any, here: Loc) -> None:
        """A number is written the way the document prints it: digits and at most one point.
        ``12e3``, ``0x1F``, ``0o17``, ``0b101``, ``1_000`` and ``.inf`` are refused at their
        place with the plain number to write, and so is one too long to be a count (before
        Python's int-string limit is ever reached)."""
        if event.style is not None or not event.implicit[0]:
            return
        from ruamel.yaml.nodes import ScalarNode

        value = event.value
        kind = str(self.resolver.resolve(ScalarNode, value, event.implicit))[len(STANDARD_TAG) :]
        if kind not in ("int", "float"):
            return
        ctx: dict[str, Any] = {"value": value[:40], "limit": MAX_DIGITS}
        if sum(c.isdigit() for c in value) > MAX_DIGITS:
            code, english = "number_too_long", "number too long"
        elif _PLAIN_NUMBER.fullmatch(value):
            return
        else:
            code, english, ctx["plain"] = "number_form", "write the plain number", _plain(value)
        mark = event.start_mark
        problem = file_problem(self.path, code, english, mark.line + 1, mark.column + 1, **ctx)
        raise DataError([replace(problem, path=format_path(here))])

    def string_key(self, event: Any) -> None:
        """A key YAML reads as something else than text (``~``, ``1``, ``true``, a date, or an
        explicit ``!!int``) is refused at its mark: our keys are field names and metric keys."""
        tag = event.tag
        plain = tag is None and event.implicit[0]
        if plain and _WORD_KEY.match(event.value) and event.value.lower() not in NOT_TEXT_WORDS:
            return  # the common case, decided without the resolver: a plain word is text
        if tag is None or tag == "!":
            from ruamel.yaml.nodes import ScalarNode

            tag = self.resolver.resolve(ScalarNode, event.value, event.implicit)
        tag = str(tag).replace("!!", STANDARD_TAG, 1) if str(tag).startswith("!!") else str(tag)
        if tag != STANDARD_TAG + "str":
            kind = KEY_KINDS.get(tag[len(STANDARD_TAG) :], tag)
            if found := self.thousands(event.start_mark.index):
                line, col = text_position(self.text, found[0])
                raise DataError(
                    [
                        file_problem(
                            self.path,
                            "thousands_separator",
                            "thousands separator ',' in a number",
                            line,
                            col,
                            number=found[1],
                        )
                    ]
                )
            raise self.refuse(
                "key_not_string",
                "keys should be strings",
                event.start_mark,
                key=event.value or "（空）",
                kind=kind,
            )

    def thousands(self, index: int) -> tuple[int, str] | None:
        """(where the number starts, the number without separators) when the key at ``index``
        is the rest of a value written with a thousands separator in a flow mapping:
        ``{value: 1,523}`` reads as ``value: 1`` and a key ``523``."""
        before = self.text[max(0, index - 40) : index]
        head = _THOUSANDS_HEAD.search(before)
        tail = _THOUSANDS_TAIL.match(self.text, index)
        if head is None or tail is None:
            return None
        number = re.sub(r"[,\s]", "", head.group(1) + tail.group())
        return index - len(before) + head.start(1), number


MAX_DIGITS = 30
"""Digits a number may have: room for the largest value (10**15) with the decimals an office
types (3.14159265358979323846 prints as typed); a longer one is a paste gone wrong, refused
before it becomes an int Python cannot even print (4,301 digits)."""
_PLAIN_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]*)?|[-+]?\.[0-9]+")


def _plain(value: str) -> str:
    """``12e3`` → 12000, ``0x1F`` → 31: what to write instead; empty when it is no number."""
    from decimal import Decimal, InvalidOperation

    try:
        based = value.lstrip("+-")[:2].lower() in ("0x", "0o", "0b")
        number = Decimal(int(value.replace("_", ""), 0)) if based else None
    except ValueError:
        number = None
    try:
        number = number if number is not None else Decimal(value.replace("_", ""))
    except InvalidOperation:
        return ""
    if not number.is_finite() or abs(number.adjusted()) > MAX_DIGITS:
        return ""
    return "，如 " + format(number, "f")


_THOUSANDS_HEAD = re.compile(r":[ \t]+(\d{1,3}(?:,[ \t]*\d{3})*),[ \t]*$")
_THOUSANDS_TAIL = re.compile(r"\d{3}(?:,[ \t]*\d{3})*(?:\.\d+)?(?![\w.])")

_WORD_KEY = re.compile(r"[^\W\d]")
"""A plain key that starts with a letter (or _, or a CJK character) resolves to text in YAML 1.2,
unless it is true/false/null."""
NOT_TEXT_WORDS = ("true", "false", "null")
KEY_KINDS = {
    "null": "空值",
    "int": "整数",
    "float": "数字",
    "bool": "true/false",
    "timestamp": "日期",
    "binary": "二进制数据",
}


@cache
def _resolver() -> Any:
    from ruamel.yaml.resolver import VersionedResolver

    return VersionedResolver()


@cache
def lenient_constructor() -> Any:
    """The round-trip constructor, except that a date that is no date (``2023-13-45``) stays
    text: the model then says "应为日期" at its line and column, not a YAML error at 1:1."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class LenientDates(RoundTripConstructor):
        def construct_lenient_timestamp(self, node: Any, values: Any = None) -> Any:
            try:
                return self.construct_yaml_timestamp(node, values)
            except ValueError:  # day out of range, month 13, hour 25 …
                return str(node.value)

    LenientDates.add_constructor(
        STANDARD_TAG + "timestamp", LenientDates.construct_lenient_timestamp
    )
    return LenientDates


def watching_yaml(watcher: EventWatcher) -> Any:
    """A round-trip YAML loader whose parser shows each event to ``watcher`` as the composer
    consumes it: one parse for the checks and the tree."""
    from ruamel.yaml import YAML
    from ruamel.yaml.parser import RoundTripParser

    class WatchingParser(RoundTripParser):
        def process_directives(self) -> Any:
            """``%YAML 1.3`` or ``%TAG``: never our data, and ruamel asserts on some versions."""
            from ruamel.yaml.tokens import DirectiveToken

            if self.scanner.check_token(DirectiveToken):
                token = self.scanner.peek_token()
                raise watcher.refuse(
                    "yaml_directive", "directive not allowed", token.start_mark, name=token.name
                )
            return super().process_directives()

        def get_event(self) -> Any:
            event = super().get_event()
            watcher.see(event)
            return event

    yaml = YAML(typ="rt")
    yaml.Parser = WatchingParser
    yaml.Constructor = lenient_constructor()
    return yaml


def as_typed(tag: Any) -> str:
    """A tag as the file spells it (``!!str``, ``!x``), never ruamel's object or full URI."""
    handle, suffix = getattr(tag, "handle", None), getattr(tag, "suffix", None)
    if handle is not None and suffix is not None:
        return f"{handle}{suffix}"
    text = str(tag)
    return "!!" + text[len(STANDARD_TAG) :] if text.startswith(STANDARD_TAG) else text


def _value_done(stack: list[list[Any]]) -> None:
    if stack and stack[-1][1]:
        stack[-1][2] = True


LIBYAML_READS_OTHERWISE = re.compile("[\t\ufeff\x85\u2028\u2029]")
"""Where libyaml (YAML 1.1) and ruamel's reference parser (1.2) part: tabs it tolerates, a
byte-order mark it does not count in a column, the line breaks of 1.1. A file holding one
is read by the reference parser alone."""


def c_events(text: str) -> list[Any] | None:
    """Every parser event of ``text`` from ruamel's C parser (libyaml, ``ruamel.yaml.clib``),
    about fifty times faster than the pure-Python one; None when the C parser is not installed
    or finds anything wrong: the reference parser then reads the file and says what."""
    from ruamel.yaml import events
    from ruamel.yaml.main import CParser

    if CParser is None or LIBYAML_READS_OTHERWISE.search(text):
        return None
    parser = CParser(text)
    found = []
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, events.DocumentStartEvent) and (event.version or event.tags):
                return None  # a directive: the reference parser reads by its version
            if getattr(event, "tag", None) is not None:
                return None  # written as libyaml keeps it (``!!str``), not as ruamel resolves it
            if getattr(event, "version", None) or getattr(event, "tags", None):
                return None  # a directive: refused by the reference parser, at its line
            if isinstance(event, events.ScalarEvent) and not event.style:
                if not event.value:
                    return None  # an empty value: libyaml places it after the key, ruamel below
                event.style = None  # plain, as the pure parser says it
            found.append(event)
    except Exception:  # any complaint is the reference parser's to word
        return None
    finally:
        parser.dispose()
    return found


def replaying_yaml(found: list[Any]) -> Any:
    """A round-trip YAML loader that composes the tree from events already parsed (and
    watched): ruamel's own composer and constructor, fed from a list."""
    from ruamel.yaml import YAML
    from ruamel.yaml.compat import _DEFAULT_YAML_VERSION
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.resolver import VersionedResolver

    class ReplayParser:
        def __init__(self, loader: Any = None) -> None:
            self.events = iter(found)
            self.current: Any = next(self.events, None)

        def check_event(self, *choices: Any) -> bool:
            current = self.current
            return current is not None and (not choices or isinstance(current, choices))

        def peek_event(self) -> Any:
            return self.current

        def get_event(self) -> Any:
            event, self.current = self.current, next(self.events, None)
            return event

        def dispose(self) -> None:
            self.current = None

    class ReplayResolver(VersionedResolver):
        """YAML 1.2, ruamel's default: a file with a directive never gets here (``c_events``).
        Said once, instead of ruamel's property that tries attributes a replay lacks, raising
        and catching on every scalar."""

        processing_version = _DEFAULT_YAML_VERSION

    class ReplayComposer(Composer):
        """ruamel's composer, asking the loader for its parser and resolver once instead of at
        every event (each ask is two properties and a frame lookup: a quarter of a replay)."""

        @cached_property
        def parser(self) -> Any:
            return self.loader.parser

        @cached_property
        def resolver(self) -> Any:
            return self.loader.resolver

    class ReplayReader:
        """The text was read by libyaml, which refuses every character ruamel's reader would:
        its check again (over the whole text, after compiling its pattern) adds nothing."""

        def __init__(self, stream: Any, loader: Any = None) -> None:
            self.stream = stream

        def reset_reader(self) -> None:
            self.stream = None

    yaml = YAML(typ="rt")
    yaml.Reader = ReplayReader
    yaml.Composer = ReplayComposer
    yaml.Parser = ReplayParser
    yaml.Resolver = ReplayResolver
    yaml.Constructor = lenient_constructor()
    return yaml
