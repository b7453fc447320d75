"""Each paper's testable statements, catalogued from the paper before any run, with the rule that judges them.

A catalogue is data (``workbench/papers/<paper>/catalogue`` holds ``CATALOGUE``, a tuple of
:class:`Statement`), written by reading the paper, not the code: one entry per testable statement,
with its place in the paper, the paper's words, its value(s), the quantity that tests it, the
:class:`Rule` and the recipe that computes it. A statement that no recipe computes is listed with
``not_run=`` and the reason (a data set, trained weights or hardware we do not have).

Rules are fixed in git before results exist: a :class:`Rule` holds only constants (numbers and
words), never a function of the run, so no rule can read its own result to choose a threshold
(``tests/test_catalogue.py`` checks every entry). A rule changed after a result was seen keeps a
line in ``history`` with the reason; the report shows it.

Judging (:func:`judge`): a statement that depends on initialisation, data order or sampling
(``random=True``) is judged on a 95% interval over at least three seeds (Student t; a bootstrap of
the mean is available), exact quantities on their one value:

* ``reproduced`` when the interval lies wholly on the paper's side of the rule,
* ``differs`` when it lies wholly on the other side,
* ``inconclusive`` otherwise: an interval across the threshold, a tie, too few seeds.

A tie is never a win: ``above(0)`` on an exact 0 is inconclusive.
"""
from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "VERDICTS", "RULE_KINDS", "MIN_SEEDS", "Rule", "Statement", "Judgement", "judge", "interval",
    "check_catalogue", "above", "below", "within", "between",
]

VERDICTS = ("reproduced", "differs", "inconclusive", "not comparable", "not run")
"""Every verdict a catalogued statement can get."""

RULE_KINDS = ("above", "below", "within", "between")
"""``above``: the quantity exceeds ``threshold``; ``below``: it is under ``threshold``; ``within``:
it lies within ``tolerance`` of ``target`` (absolute, or relative to ``|target|`` when ``relative``);
``between``: it lies in ``[low, high]``."""

MIN_SEEDS = 3
"""A random statement judged on fewer seeds is inconclusive."""

_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+")


@dataclass(frozen=True)
class Rule:
    """How a statement is judged: constants only, fixed before the run (see the module docstring)."""

    kind: str
    threshold: float | None = None
    target: float | None = None
    tolerance: float | None = None
    relative: bool = False
    low: float | None = None
    high: float | None = None

    def __post_init__(self):
        if self.kind not in RULE_KINDS:
            raise ValueError(f"unknown rule kind {self.kind!r}; use one of {RULE_KINDS}")
        for name in ("threshold", "target", "tolerance", "low", "high"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v)):
                raise TypeError(f"Rule.{name} must be a finite number fixed before the run, got {v!r}")
            if v is not None:  # a plain float: a float subclass could compare as the run's result likes
                object.__setattr__(self, name, float(v))
        if not isinstance(self.relative, bool):
            raise TypeError(f"Rule.relative must be True or False, got {self.relative!r}")
        need = {"above": ("threshold",), "below": ("threshold",), "within": ("target", "tolerance"),
                "between": ("low", "high")}[self.kind]
        missing = [n for n in need if getattr(self, n) is None]
        if missing:
            raise ValueError(f"a {self.kind!r} rule needs {missing}")
        if self.kind == "within" and self.tolerance < 0:
            raise ValueError(f"tolerance must be >= 0, got {self.tolerance}")
        if self.kind == "between" and not self.low <= self.high:
            raise ValueError(f"between needs low <= high, got [{self.low}, {self.high}]")

    def band(self) -> tuple[float, float]:
        """The set of values on the paper's side, as a closed interval (open ends for above/below)."""
        if self.kind == "above":
            return (self.threshold, math.inf)
        if self.kind == "below":
            return (-math.inf, self.threshold)
        if self.kind == "within":
            tol = abs(self.target) * self.tolerance if self.relative else self.tolerance
            return (self.target - tol, self.target + tol)
        return (self.low, self.high)

    def text(self) -> str:
        """The rule in words, as the report prints it."""
        if self.kind == "above":
            return f"> {self.threshold:g}"
        if self.kind == "below":
            return f"< {self.threshold:g}"
        if self.kind == "within":
            tol = f"{self.tolerance:.0%}" if self.relative else f"{self.tolerance:g}"
            return f"within ±{tol} of {self.target:g}"
        return f"in [{self.low:g}, {self.high:g}]"


def above(threshold: float) -> Rule:
    """The quantity must exceed ``threshold`` (a tie is inconclusive)."""
    return Rule("above", threshold=threshold)


def below(threshold: float) -> Rule:
    """The quantity must be under ``threshold`` (a tie is inconclusive)."""
    return Rule("below", threshold=threshold)


def within(target: float, tolerance: float, *, relative: bool = False) -> Rule:
    """The quantity must lie within ``tolerance`` of ``target`` (relative: a fraction of ``|target|``)."""
    return Rule("within", target=target, tolerance=tolerance, relative=relative)


def between(low: float, high: float) -> Rule:
    """The quantity must lie in ``[low, high]``."""
    return Rule("between", low=low, high=high)


@dataclass(frozen=True)
class Statement:
    """One testable statement of a paper.

    ``id`` is stable (``"esd.fig1.relu_mean"``); ``where`` uses the paper's numbering; ``quote`` is
    the paper's words (short); ``paper_value`` its number(s) or ``None``; ``quantity`` says what we
    measure, with its unit, so that ``rule`` reads as a sentence; ``recipe`` names the library
    function (dotted path) that computes it, ``notebook`` where it is shown; ``random`` says
    whether it depends on initialisation, data order or sampling (then judged over seeds);
    ``not_run`` gives the reason when nothing computes it; ``history`` records any rule change
    made after a result was seen (with the reason); ``exploratory`` marks a rule the paper does
    not state sharply enough to be more than a reading of ours; ``claims`` lists the keys this
    statement's comparison had in the registry before the catalogue (0.1), kept to trace older
    reports: a run's rows name their statement in ``catalogue`` (:mod:`workbench.claims`).
    """

    id: str
    paper: str
    where: str
    quote: str
    quantity: str
    rule: Rule | None
    paper_value: float | str | None = None
    recipe: str | None = None
    notebook: str | None = None
    random: bool = True
    not_run: str | None = None
    history: tuple[str, ...] = ()
    exploratory: bool = False
    claims: tuple[str, ...] = ()
    note: str = ""

    def to_dict(self) -> dict:
        return {"id": self.id, "paper": self.paper, "where": self.where, "quote": self.quote,
                "quantity": self.quantity, "rule": self.rule.text() if self.rule else None,
                "paper_value": self.paper_value, "recipe": self.recipe, "notebook": self.notebook,
                "random": self.random, "not_run": self.not_run, "history": list(self.history),
                "exploratory": self.exploratory, "claims": list(self.claims), "note": self.note}


@dataclass(frozen=True)
class Judgement:
    """A statement's verdict with the values it rests on."""

    id: str
    verdict: str
    estimate: float | None
    interval: tuple[float, float] | None
    seeds: int
    rule: str
    reason: str
    values: tuple[float, ...] = field(default=())

    def to_dict(self) -> dict:
        return {"catalogue": self.id, "verdict": self.verdict, "estimate": self.estimate,
                "interval": list(self.interval) if self.interval is not None else None, "seeds": self.seeds,
                "rule": self.rule, "reason": self.reason}


def interval(values: Sequence[float], *, method: str = "t", n_boot: int = 2000, seed: int = 0) -> tuple[float, float]:
    """A 95% interval for the mean of ``values``: Student t (default) or a percentile bootstrap."""
    xs = [float(v) for v in values]
    if len(xs) < 2:
        raise ValueError(f"an interval needs at least 2 values, got {len(xs)}")
    if not all(math.isfinite(x) for x in xs):
        raise ValueError(f"values must be finite, got {xs}")
    n = len(xs)
    if method == "t":
        from scipy.stats import t

        # on values scaled by their largest magnitude, so that values near the float range do not overflow
        scale = max(abs(x) for x in xs) or 1.0
        ys = [x / scale for x in xs]
        mean = math.fsum(ys) / n
        sd = math.sqrt(math.fsum((y - mean) ** 2 for y in ys) / (n - 1))
        half = float(t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
        return (scale * (mean - half), scale * (mean + half))
    if method == "bootstrap":
        import numpy as np

        rng = np.random.default_rng(seed)
        arr = np.asarray(xs)
        means = arr[rng.integers(0, n, size=(n_boot, n))].mean(axis=1)
        lo, hi = np.percentile(means, [2.5, 97.5])
        return (float(lo), float(hi))
    raise ValueError(f"method must be 't' or 'bootstrap', got {method!r}")


def _mean(xs: Sequence[float]) -> float:
    """The mean without overflow for values near the float range."""
    return math.fsum(x / len(xs) for x in xs)


def _values(ident: str, values) -> list[float]:
    """``values`` as a list of floats: one number, or a sequence / array of numbers (no strings, bools, None)."""
    def one(v):
        if isinstance(v, (bool, str, bytes)) or v is None:
            raise TypeError
        try:
            import numpy as np

            if isinstance(v, np.bool_):
                raise TypeError
        except ImportError:  # pragma: no cover
            pass
        return float(v)

    if isinstance(values, (numbers.Real, str, bytes, dict)) or values is None or isinstance(values, bool):
        seq = [values]
    else:
        try:
            seq = list(values)
        except TypeError:
            seq = [values]
    try:
        return [one(v) for v in seq]
    except (TypeError, ValueError):
        raise TypeError(f"statement {ident!r}: values must be one number or a sequence of numbers (one per seed), "
                        f"got {values!r}") from None


def judge(statement: Statement, values: float | Sequence[float] | None, *, method: str = "t") -> Judgement:
    """The verdict of ``statement`` on this run's ``values`` (one number when exact, one per seed when random).

    ``values=None`` (or a statement with ``not_run``) gives ``not run``; NaN values are dropped and counted
    in the reason (a dead network's growth rate, for example), never silently.
    """
    if not isinstance(statement, Statement):
        raise TypeError(f"statement must be a catalogue Statement, got {type(statement).__name__}: {statement!r}")
    if statement.rule is not None and type(statement.rule) is not Rule:
        raise TypeError(f"statement {statement.id!r}: rule must be a Rule of constants (above, below, within, "
                        f"between), got {type(statement.rule).__name__}")
    if statement.not_run is not None or values is None:
        return Judgement(statement.id, "not run", None, None, 0, statement.rule.text() if statement.rule else "",
                         statement.not_run or "no value computed in this run")
    if statement.rule is None:
        raise ValueError(f"statement {statement.id!r} has no rule: give one, or not_run= with the reason")
    rule = statement.rule
    xs = _values(statement.id, values)
    finite = [x for x in xs if math.isfinite(x)]
    dropped = len(xs) - len(finite)
    note = f"; {dropped} of {len(xs)} values not finite (dropped)" if dropped else ""
    lo_b, hi_b = rule.band()
    if not statement.random:
        if len(finite) != 1:
            raise ValueError(f"exact statement {statement.id!r} takes one finite value, got {xs}")
        x = finite[0]
        if rule.kind in ("above", "below") and x == rule.threshold:
            verdict, why = "inconclusive", f"exactly {x:g}: a tie"
        elif lo_b <= x <= hi_b and not (rule.kind == "above" and x == lo_b) and not (
                rule.kind == "below" and x == hi_b):
            verdict, why = "reproduced", f"exact value {x:.4g} is {rule.text()}"
        else:
            verdict, why = "differs", f"exact value {x:.4g} is not {rule.text()}"
        return Judgement(statement.id, verdict, x, None, 0, rule.text(), why + note, tuple(xs))
    if len(finite) < MIN_SEEDS:
        est = _mean(finite) if finite else None
        return Judgement(statement.id, "inconclusive", est, None, len(finite), rule.text(),
                         f"{len(finite)} finite seed(s), at least {MIN_SEEDS} needed{note}", tuple(xs))
    lo, hi = interval(finite, method=method)
    est = _mean(finite)
    strict_lo = rule.kind == "above"
    strict_hi = rule.kind == "below"
    inside = (lo > lo_b if strict_lo else lo >= lo_b) and (hi < hi_b if strict_hi else hi <= hi_b)
    outside = hi < lo_b or lo > hi_b  # an interval on the bound itself is a tie: inconclusive
    verdict = "reproduced" if inside else "differs" if outside else "inconclusive"
    where = {"reproduced": "lies on the paper's side", "differs": "lies on the other side",
             "inconclusive": "straddles the rule's bound"}[verdict]
    why = f"95% interval [{lo:.4g}, {hi:.4g}] over {len(finite)} seeds {where} ({rule.text()}){note}"
    return Judgement(statement.id, verdict, est, (lo, hi), len(finite), rule.text(), why, tuple(xs))


def check_catalogue(entries: Iterable[Statement], *, papers: Iterable[str] | None = None) -> list[Statement]:
    """Validate a catalogue: unique ids, every field filled, a rule of constants or a ``not_run`` reason."""
    out, seen = [], set()
    known = set(papers) if papers is not None else None
    for s in entries:
        if not isinstance(s, Statement):
            raise TypeError(f"a catalogue holds Statement entries, got {type(s).__name__}: {s!r}")
        for name in ("id", "paper", "where", "quote", "quantity"):
            v = getattr(s, name)
            if not isinstance(v, str) or not v.strip():
                raise ValueError(f"statement {s.id!r}: {name} must be a non-empty string, got {v!r}")
        if s.id in seen:
            raise ValueError(f"duplicate catalogue id {s.id!r}")
        seen.add(s.id)
        if known is not None and s.paper not in known:
            raise ValueError(f"statement {s.id!r}: unknown paper {s.paper!r}; known {sorted(known)}")
        if s.rule is None and s.not_run is None:
            raise ValueError(f"statement {s.id!r}: give a rule, or not_run= with the reason")
        if s.rule is not None and type(s.rule) is not Rule:  # a subclass could override band() or text()
            raise TypeError(f"statement {s.id!r}: rule must be a Rule of constants, got {type(s.rule).__name__}")
        if s.not_run is None and not s.recipe:
            raise ValueError(f"statement {s.id!r}: name the recipe that computes it, or give not_run= with the reason")
        if s.recipe is not None and (not isinstance(s.recipe, str) or not _DOTTED.fullmatch(s.recipe)):
            raise TypeError(f"statement {s.id!r}: recipe must be the dotted path of a library function like "
                            f"'workbench.measures.esd', got {s.recipe!r}")
        if s.not_run is not None and (not isinstance(s.not_run, str) or not s.not_run.strip()
                                      or "\n" in s.not_run):
            raise ValueError(f"statement {s.id!r}: not_run must be a one-line reason, got {s.not_run!r}")
        for name in ("random", "exploratory"):
            if not isinstance(getattr(s, name), bool):
                raise TypeError(f"statement {s.id!r}: {name} must be True or False, got {getattr(s, name)!r}")
        if not isinstance(s.claims, tuple) or not all(isinstance(k, str) and k.strip() for k in s.claims):
            raise TypeError(f"statement {s.id!r}: claims is a tuple of claim keys (strings), got {s.claims!r}")
        if not isinstance(s.history, tuple) or not all(isinstance(h, str) and h.strip() for h in s.history):
            raise TypeError(f"statement {s.id!r}: history is a tuple of one-line reasons")
        out.append(s)
    return out
