"""diff's matching stays near-linear without changing what it pairs."""

from __future__ import annotations

import itertools
import random

import pytest

from annual_report import diff


def test_longest_increasing_is_one_of_the_longest() -> None:
    rng = random.Random(7)
    for _ in range(300):
        values = rng.sample(range(40), rng.randint(0, 9))
        kept = sorted(diff._longest_increasing(values))
        chosen = [values[i] for i in kept]
        assert all(a < b for a, b in itertools.pairwise(chosen))
        longest = max(
            (
                n
                for n in range(len(values) + 1)
                for combo in itertools.combinations(values, n)
                if all(a < b for a, b in itertools.pairwise(combo))
            ),
            default=0,
        )
        assert len(chosen) == longest


def _rewritten(count: int) -> tuple[list[diff._Placed], list[diff._Placed]]:
    rng = random.Random(count)

    def text(size: int) -> str:
        return "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(size))

    old, new = [], []
    for n in range(count):
        body = text(80)
        again = "".join(text(1) if k % 5 == 0 else c for k, c in enumerate(body))
        old.append(diff._Placed("extra", n, None, text(8) + "。", body, None))
        new.append(diff._Placed("extra", count - 1 - n, None, text(8) + "。", again, None))
    return old, new


def test_rare_runs_pair_rewritten_paragraphs_as_scoring_every_pair_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old, new = _rewritten(60)
    every = [(a.index, b.index) for a, b in diff._match(old, new)]
    monkeypatch.setattr(diff, "EVERY_PAIR", 0)
    rare = [(a.index, b.index) for a, b in diff._match(old, new)]
    assert rare == every
    assert sorted(every) == [(n, 59 - n) for n in range(60)]
