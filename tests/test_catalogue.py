"""The catalogue's rules and verdicts (workbench.catalogue): every verdict each rule can give, from synthetic values."""
from __future__ import annotations

import dataclasses
import math

import pytest

from workbench import catalogue as C


def st(rule, random=True, **kw):
    return C.Statement(id="t.x", paper="ESD", where="Fig. 1", quote="q", quantity="x", rule=rule,
                       recipe="workbench.papers.esd.esd", random=random, **kw)


@pytest.mark.parametrize("rule, values, verdict", [
    (C.above(0.0), [1.0, 1.1, 0.9], "reproduced"),
    (C.above(0.0), [-1.0, -1.1, -0.9], "differs"),
    (C.above(0.0), [-1.0, 1.0, 0.1], "inconclusive"),
    (C.above(0.0), [0.0, 0.0, 0.0], "inconclusive"),     # every seed ties the bound: a tie is never a win
    (C.below(1.0), [0.5, 0.6, 0.55], "reproduced"),
    (C.below(1.0), [1.5, 1.6, 1.55], "differs"),
    (C.below(1.0), [0.5, 1.5, 1.0], "inconclusive"),
    (C.within(2.81, 0.1), [2.80, 2.82, 2.81], "reproduced"),
    (C.within(2.81, 0.1), [1.0, 1.02, 1.01], "differs"),
    (C.within(2.81, 0.1), [2.7, 2.9, 3.1], "inconclusive"),
    (C.within(100.0, 0.1, relative=True), [95.0, 96.0, 97.0], "reproduced"),
    (C.between(0.0, 1.0), [0.4, 0.5, 0.6], "reproduced"),
    (C.between(0.0, 1.0), [2.0, 2.1, 2.2], "differs"),
    (C.between(0.0, 1.0), [0.5, 1.5, 1.0], "inconclusive"),
])
def test_random_statement_verdicts(rule, values, verdict):
    j = C.judge(st(rule), values)
    assert j.verdict == verdict, j.reason
    assert j.seeds == 3 and j.interval is not None and j.interval[0] <= j.estimate <= j.interval[1]


@pytest.mark.parametrize("rule, value, verdict", [
    (C.above(0.0), 1.0, "reproduced"), (C.above(0.0), -1.0, "differs"), (C.above(0.0), 0.0, "inconclusive"),
    (C.below(0.0), -1.0, "reproduced"), (C.below(0.0), 0.0, "inconclusive"), (C.below(0.0), 2.0, "differs"),
    (C.within(3.0, 0.5), 3.4, "reproduced"), (C.within(3.0, 0.5), 3.6, "differs"),
    (C.between(1.0, 2.0), 2.0, "reproduced"), (C.between(1.0, 2.0), 2.5, "differs"),
])
def test_exact_statement_verdicts(rule, value, verdict):
    j = C.judge(st(rule, random=False), value)
    assert j.verdict == verdict and j.seeds == 0 and j.interval is None


def test_ties_too_few_seeds_nan_and_not_run():
    assert C.judge(st(C.above(0.0)), [1.0, 2.0]).verdict == "inconclusive"          # fewer than MIN_SEEDS
    j = C.judge(st(C.above(0.0)), [1.0, 1.2, float("nan"), 1.1])
    assert j.verdict == "reproduced" and j.seeds == 3 and "1 of 4 values not finite" in j.reason
    assert C.judge(st(C.above(0.0)), None).verdict == "not run"
    nr = st(None, not_run="needs ImageNet weights")
    assert C.judge(nr, [1.0, 2.0, 3.0]).verdict == "not run"
    with pytest.raises(ValueError, match="exact statement"):
        C.judge(st(C.above(0.0), random=False), [1.0, 2.0])


def test_interval_methods():
    lo, hi = C.interval([1.0, 2.0, 3.0])
    assert lo < 2.0 < hi and math.isclose(hi - 2.0, 4.303 * 1.0 / math.sqrt(3), rel_tol=1e-3)
    blo, bhi = C.interval([1.0, 2.0, 3.0, 4.0], method="bootstrap")
    assert 1.0 <= blo < 2.5 < bhi <= 4.0
    with pytest.raises(ValueError, match="at least 2"):
        C.interval([1.0])
    with pytest.raises(ValueError, match="'t' or 'bootstrap'"):
        C.interval([1.0, 2.0], method="z")


def test_rules_hold_constants_only():
    with pytest.raises(TypeError, match="fixed before the run"):
        C.Rule("above", threshold=lambda run: run.mean())  # a rule that reads its own result
    with pytest.raises(TypeError, match="finite number"):
        C.Rule("above", threshold=float("nan"))
    with pytest.raises(ValueError, match="unknown rule kind"):
        C.Rule("roughly", threshold=1.0)
    with pytest.raises(ValueError, match="needs"):
        C.Rule("within", target=1.0)
    with pytest.raises(ValueError, match="low <= high"):
        C.between(2.0, 1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        C.above(0.0).threshold = 5.0


def test_check_catalogue_refuses_malformed_entries():
    good = st(C.above(0.0))
    assert C.check_catalogue([good]) == [good]
    with pytest.raises(ValueError, match="duplicate"):
        C.check_catalogue([good, good])
    with pytest.raises(ValueError, match="give a rule, or not_run"):
        C.check_catalogue([dataclasses.replace(good, rule=None)])
    with pytest.raises(ValueError, match="name the recipe"):
        C.check_catalogue([dataclasses.replace(good, recipe=None)])
    with pytest.raises(ValueError, match="quote must be"):
        C.check_catalogue([dataclasses.replace(good, quote=" ")])
    with pytest.raises(ValueError, match="unknown paper"):
        C.check_catalogue([good], papers=["EDJM"])
    with pytest.raises(TypeError, match="Statement"):
        C.check_catalogue([{"id": "x"}])
    with pytest.raises(TypeError, match="Rule of constants"):
        C.check_catalogue([dataclasses.replace(good, rule="> 0")])
