"""Paper vs ours, as data: a registry of the quantitative claims a notebook checks.

A notebook registers each comparison where it computes it::

    from workbench import claims
    claims.register("esd.fig1.relu", paper="ESD", where="Fig. 1", quantity="ESD of ReLU [1, 8, 8, 10, 1]",
                    paper_value=2.81, ours=float(res.mean), tolerance=0.1, profile=PROFILE)
    claims.quote("esd.fig1.relu")   # -> 'ESD of ReLU [1, 8, 8, 10, 1] (Fig. 1): ours 2.79, paper 2.81 — reproduced ...'

and its prose quotes the record (``claims.quote`` / ``claims.markdown``), so
the text cannot drift from the numbers.  The verdict of a numeric claim is
computed from its tolerance: ``|ours - paper| <= tolerance`` (absolute, or
relative to ``|paper|`` when given as ``"10%"``) is ``reproduced``, otherwise
``differs``; ``"qualitative"`` claims carry the verdict their author gives,
with a reason.  ``not comparable`` is for a number measured differently from
the paper's (another data set, a smoke-sized run), always with a reason.

When the environment variable ``WORKBENCH_CLAIMS_FILE`` is set (``workbench
reproduce`` sets it for each notebook it runs), every registration rewrites
that JSON file at once, so the report collects the claims even of a notebook
that fails later.
"""
from __future__ import annotations

import json
import math
import numbers
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "PAPERS", "VERDICTS", "Claim", "format_value", "register", "get", "claims", "table", "quote", "markdown", "clear",
    "save", "load", "ENV_FILE", "ENV_PROFILE", "ENV_NOTEBOOK", "register_table", "VERDICT_WORDS", "judge",
    "statement", "catalogue",
]

PAPERS = {
    "ESD": "Berthiaume, Paffenroth & Guo (2020), Understanding Deep Learning: Expected Spanning Dimension",
    "Trajectories": "Raghu, Poole, Kleinberg, Ganguli & Sohl-Dickstein (2017), On the Expressive Power of DNNs",
    "EDJM": "Wang et al. (2016), Analysis of DNNs with the Extended Data Jacobian Matrix",
    "Layer algebra": "Badias & Banerjee, Neural Network Layer Algebra",
    "PL geometry": "Johansson (2022), Characterizing Piecewise Linear Neural Networks",
}
"""Short names of the five papers (the ``paper`` of a claim) and their citations."""

VERDICTS = ("reproduced", "differs", "inconclusive", "not comparable", "not run")
"""``inconclusive`` and ``not run`` come from catalogued statements (:func:`judge`): an interval across the rule's
bound or a tie, and a statement nothing computed in this run (with the reason)."""

ENV_FILE = "WORKBENCH_CLAIMS_FILE"
ENV_PROFILE = "WORKBENCH_PROFILE"
ENV_NOTEBOOK = "WORKBENCH_NOTEBOOK"

_registry: dict[str, Claim] = {}


def format_value(v: Any, fmt: str = ".3g") -> str:
    """A number with ``fmt`` (``None`` -> ``n/a``); strings as they are."""
    if v is None:
        return "n/a"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    return format(v, fmt)


@dataclass(frozen=True)
class Claim:
    """One comparison of a number (or a qualitative statement) of a paper with ours."""

    key: str
    paper: str
    where: str
    quantity: str
    paper_value: Any
    ours: Any
    tolerance: Any
    verdict: str
    reason: str
    profile: str
    notebook: str = ""
    fmt: str = ".3g"
    extra: dict = field(default_factory=dict)
    catalogue: str = ""
    rule: str = ""
    seeds: int = 0
    interval: list | None = None

    @property
    def numeric(self) -> bool:
        return not isinstance(self.tolerance, str) or self.tolerance.endswith("%")

    def tolerance_text(self) -> str:
        if self.rule:
            return self.rule
        if self.tolerance is None:
            return ""
        if isinstance(self.tolerance, str):
            return self.tolerance if self.tolerance == "qualitative" else f"±{self.tolerance}"
        return f"±{format_value(self.tolerance, self.fmt)}"

    def text(self) -> str:
        """One line for prose: quantity, ours, the paper's, verdict and reason, profile."""
        tol = self.tolerance_text()
        tol = f", tolerance {tol}" if tol and tol != "qualitative" else ""
        if self.rule:
            tol = f", rule {self.rule}"
        spread = (f" (95% interval [{format_value(self.interval[0], self.fmt)}, "
                  f"{format_value(self.interval[1], self.fmt)}] over {self.seeds} seeds)") if self.interval else ""
        return (f"{self.quantity} ({self.paper}, {self.where}): ours {format_value(self.ours, self.fmt)}{spread}, "
                f"paper {format_value(self.paper_value, self.fmt)} — {self.verdict}{tol}; {self.reason} "
                f"[{self.profile} profile]")

    def to_dict(self) -> dict:
        return asdict(self)

    def _repr_markdown_(self) -> str:
        return f"**{self.verdict}** · " + self.text()


def _number(name: str, v: Any) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool):
        raise TypeError(f"{name} must be a number, a string or None, not a bool ({v!r})")
    try:
        import numpy as np

        if isinstance(v, np.generic):
            v = v.item()
    except ImportError:  # pragma: no cover
        pass
    if hasattr(v, "item") and callable(v.item) and getattr(v, "numel", lambda: 1)() == 1:
        v = v.item()  # 0-d tensors
    if isinstance(v, numbers.Real):  # int, float, numpy and sympy numbers
        return float(v)
    return None


def _check_tolerance(tolerance: Any) -> Any:
    if isinstance(tolerance, str):
        t = tolerance.strip()
        if t == "qualitative":
            return t
        if t.endswith("%"):
            try:
                x = float(t[:-1])
            except ValueError:
                x = float("nan")
            if math.isfinite(x) and x >= 0:
                return f"{x:g}%"
        raise ValueError(f"tolerance must be a non-negative number, a percentage like '10%' or 'qualitative', "
                         f"got {tolerance!r}")
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)):
        raise TypeError(f"tolerance must be a non-negative number, a percentage like '10%' or 'qualitative', "
                        f"not {type(tolerance).__name__} ({tolerance!r})")
    if not math.isfinite(tolerance) or tolerance < 0:
        raise ValueError(f"tolerance must be a finite non-negative number, got {tolerance!r}")
    return float(tolerance)


def register(
    key: str,
    *,
    paper: str,
    where: str,
    quantity: str,
    paper_value: Any,
    ours: Any,
    tolerance: Any,
    verdict: str | None = None,
    reason: str | None = None,
    profile: str | None = None,
    fmt: str = ".3g",
    **extra: Any,
) -> Claim:
    """Record one comparison and return it (re-registering a key replaces the record).

    Parameters
    ----------
    key
        A stable identifier, e.g. ``"esd.fig5.add_inputs"``.
    paper
        One of :data:`PAPERS` (``"ESD"``, ``"Trajectories"``, ``"EDJM"``,
        ``"Layer algebra"``, ``"PL geometry"``).
    where, quantity
        Section/figure/table in the paper, and what is compared.
    paper_value, ours
        Numbers (the verdict is computed) or short statements (qualitative).
    tolerance
        ``float`` (absolute), ``"10%"`` (relative to ``|paper_value|``) or
        ``"qualitative"``.
    verdict
        Computed for numeric claims (give it only to say ``"not comparable"``,
        with a reason); required for qualitative ones: one of :data:`VERDICTS`.
    reason
        One line.  Default for numeric claims: the difference against the
        tolerance.  Required for qualitative and not-comparable claims.
    profile
        The notebook's profile (``PROFILE``); default ``$WORKBENCH_PROFILE``,
        else ``"interactive"``.
    fmt
        Format spec of numbers in :meth:`Claim.text` (default ``".3g"``).
    extra
        More JSON-able fields kept with the record (e.g. ``n=10`` samples).
    """
    for name, v in (("key", key), ("where", where), ("quantity", quantity)):
        if not isinstance(v, str) or not v.strip():
            raise ValueError(f"{name} must be a non-empty string, got {v!r}")
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; choose from {sorted(PAPERS)}")
    tol = _check_tolerance(tolerance)
    if verdict is not None and verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}; choose from {VERDICTS}")
    if reason is not None and (not isinstance(reason, str) or "\n" in reason):
        raise ValueError(f"reason must be one line of text, got {reason!r}")
    p, o = _number("paper_value", paper_value), _number("ours", ours)
    if tol == "qualitative":
        if verdict is None:
            raise ValueError(f"claim {key!r} is qualitative: give verdict= one of {VERDICTS} and a reason")
        if not reason:
            raise ValueError(f"claim {key!r} is qualitative: give a one-line reason for the verdict {verdict!r}")
    else:
        if verdict == "not comparable":
            if not reason:
                raise ValueError(f"claim {key!r}: say in reason= why it is not comparable")
        elif p is None or o is None or not (math.isfinite(p) and math.isfinite(o)):
            if verdict is None:
                verdict = "not comparable"
                reason = reason or "no finite number on one side"
            else:
                raise ValueError(f"claim {key!r} has tolerance {tol!r} but paper_value={paper_value!r}, "
                                 f"ours={ours!r} are not both finite numbers; use tolerance='qualitative'")
        else:
            bound = abs(p) * float(tol[:-1]) / 100 if isinstance(tol, str) else tol
            diff = abs(o - p)
            slack = 1e-12 * max(1.0, abs(p), abs(o))  # 2.91 - 2.81 is 0.10000000000000009 in floats
            within = diff <= bound + slack
            computed = "reproduced" if within else "differs"
            if verdict is not None and verdict != computed:
                raise ValueError(f"claim {key!r}: verdict {verdict!r} contradicts the tolerance "
                                 f"(|ours - paper| = {diff:.3g} {'<=' if within else '>'} {bound:.3g}, "
                                 f"so {computed!r}); change the tolerance or say 'not comparable' with a reason")
            verdict = computed
            if not reason:
                reason = f"|ours - paper| = {diff:{fmt}} {'≤' if within else '>'} {bound:{fmt}}"
        if p is not None:
            paper_value = p
        if o is not None:
            ours = o
    prof = profile if profile is not None else os.environ.get(ENV_PROFILE, "interactive")
    claim = Claim(key=key, paper=paper, where=where, quantity=quantity, paper_value=paper_value, ours=ours,
                  tolerance=tol, verdict=verdict, reason=reason, profile=str(prof),
                  notebook=os.environ.get(ENV_NOTEBOOK, ""), fmt=fmt, extra=dict(extra))
    json.dumps(claim.to_dict())  # refuse what cannot be saved now, not at report time
    _registry[key] = claim
    path = os.environ.get(ENV_FILE, "").strip()
    if path:
        save(path)
    return claim


VERDICT_WORDS = {
    "reproduced": "reproduced", "holds": "reproduced", "yes": "reproduced", True: "reproduced",
    "not reproduced": "differs", "does not hold": "differs", "differs": "differs", "no": "differs",
    False: "differs", "not comparable": "not comparable",
}
"""How the verdict words of the experiments' claim tables map onto :data:`VERDICTS`."""


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "_" for ch in str(text))
    return "_".join(part for part in out.split("_") if part)[:60]


def register_table(
    table,
    *,
    paper: str,
    key_prefix: str,
    where: str = "where",
    quantity: str = "claim",
    paper_value: str | None = "paper_value",
    ours: str = "ours",
    verdict: str = "verdict",
    group: str | None = None,
    reason: str | None = None,
    profile: str | None = None,
) -> list[Claim]:
    """Register every row of an experiment's claims table (qualitative claims, one per row).

    The experiments' ``*_claims`` functions return DataFrames whose every
    ``ours`` is computed from results; this records them in the registry, so
    that the report and the notebook prose quote the same rows.  Column names
    are given by the keyword arguments (``where`` may also be a fixed string
    when no such column exists; ``paper_value=None`` when the table has none).
    Verdict words are mapped with :data:`VERDICT_WORDS` (``holds`` ->
    reproduced, ``not reproduced`` / ``does not hold`` -> differs); an unknown
    word raises.  ``reason`` names a column with the one-line reason, or is
    that reason itself (default: a pointer to the claims function's rule).  Keys are
    ``key_prefix + "." + slug(quantity [+ group])``; rows that slug alike get
    ``_2``, ``_3``, ... appended in order.
    """
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame (a *_claims result), got {type(table).__name__}")
    needed = [c for c in (quantity, ours, verdict, paper_value, group, reason) if c is not None]
    if where in table.columns:
        needed.append(where)
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(f"the claims table has no column(s) {missing}; its columns are {list(table.columns)}")
    out, seen = [], {}
    for _, row in table.iterrows():
        q = str(row[quantity]) + (f" ({row[group]})" if group is not None else "")
        word = row[verdict]
        word = word.strip().lower() if isinstance(word, str) else bool(word)
        if word not in VERDICT_WORDS:
            raise ValueError(f"unknown verdict {row[verdict]!r} in row {q!r}; known: "
                             f"{sorted(str(k) for k in VERDICT_WORDS)}")
        base = f"{key_prefix}.{_slug(q)}"
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}_{seen[base]}"
        measured = " ".join(str(row[ours]).split())
        if reason is None:
            why = "verdict by the claims function's stated rule, from this run's numbers"
        elif reason in table.columns:
            why = " ".join(str(row[reason]).split())
        else:
            why = reason
        out.append(register(
            key, paper=paper, where=str(row[where]) if where in table.columns else where, quantity=q,
            paper_value=str(row[paper_value]) if paper_value is not None else "(stated, no number)",
            ours=measured, tolerance="qualitative", verdict=VERDICT_WORDS[word], reason=why[:300],
            profile=profile))
    return out


def catalogue(paper: str | None = None) -> list:
    """Every catalogued statement (:class:`workbench.catalogue.Statement`), or those of one ``paper``."""
    from workbench.papers import catalogue_statements

    items = catalogue_statements()
    if paper is not None:
        if paper not in PAPERS:
            raise ValueError(f"unknown paper {paper!r}; choose from {sorted(PAPERS)}")
        items = [x for x in items if x.paper == paper]
    return items


def statement(ident: str):
    """The catalogued statement ``ident`` (e.g. ``"esd.fig1.relu"``)."""
    for x in catalogue():
        if x.id == ident:
            return x
    raise KeyError(f"no catalogued statement {ident!r}; see workbench.claims.catalogue() for the ids")


def judge(ident: str, values: Any, *, profile: str | None = None, fmt: str = ".3g", note: str = "",
          **extra: Any) -> Claim:
    """Judge the catalogued statement ``ident`` on this run's ``values`` and register the verdict.

    ``values``: one number for an exact statement, one number per seed for a random one (NaN values are
    dropped and counted), or ``None`` when this run did not compute it. The rule is the catalogue's,
    fixed before the run (:mod:`workbench.catalogue`): nothing here can change it. ``note`` adds a line
    to the reason (e.g. "on the bundled digits instead of MNIST").
    """
    from workbench.catalogue import judge as _judge

    st = statement(ident)
    if values is not None and not isinstance(values, numbers.Real):
        values = [_number("values", v) for v in (values.tolist() if hasattr(values, "tolist") else values)]
        values = [float("nan") if v is None else v for v in values]
    elif values is not None:
        values = _number("values", values)
    j = _judge(st, values)
    reason = j.reason + (f"; {note}" if note else "") + ("; exploratory rule" if st.exploratory else "")
    if st.history:
        reason += "; rule history: " + " | ".join(st.history)
    prof = profile if profile is not None else os.environ.get(ENV_PROFILE, "interactive")
    claim = Claim(key=st.id, paper=st.paper, where=st.where, quantity=st.quantity,
                  paper_value=st.paper_value if st.paper_value is not None else "(stated, no number)",
                  ours=j.estimate, tolerance="rule", verdict=j.verdict, reason=" ".join(reason.split()),
                  profile=str(prof), notebook=os.environ.get(ENV_NOTEBOOK, ""), fmt=fmt, extra=dict(extra),
                  catalogue=st.id, rule=j.rule, seeds=j.seeds,
                  interval=list(j.interval) if j.interval is not None else None)
    json.dumps(claim.to_dict())
    _registry[st.id] = claim
    path = os.environ.get(ENV_FILE, "").strip()
    if path:
        save(path)
    return claim


def get(key: str) -> Claim:
    try:
        return _registry[key]
    except KeyError:
        raise KeyError(f"no claim {key!r} registered; registered: {sorted(_registry)}") from None


def claims() -> list[Claim]:
    """Every registered claim, in registration order."""
    return list(_registry.values())


def quote(key: str) -> str:
    """The claim's one-line text for prose (:meth:`Claim.text`)."""
    return get(key).text()


def markdown(*keys: str):
    """An ``IPython.display.Markdown`` bullet list quoting the given claims (all when none given)."""
    from IPython.display import Markdown

    items = [get(k) for k in keys] if keys else claims()
    return Markdown("\n".join(f"- {c._repr_markdown_()}" for c in items))


def table(items: Iterable[Claim] | None = None):
    """The claims as a tidy ``pandas.DataFrame`` (one row per claim)."""
    import pandas as pd

    cols = ["key", "paper", "where", "quantity", "paper_value", "ours", "tolerance", "verdict", "reason",
            "profile", "notebook", "catalogue", "rule", "seeds", "interval"]
    rows = [{c: getattr(x, c) for c in cols} for x in (claims() if items is None else items)]
    return pd.DataFrame(rows, columns=cols)


def clear() -> None:
    """Forget every registered claim."""
    _registry.clear()


def save(path, items: Iterable[Claim] | None = None) -> Path:
    """Write the claims to a JSON file (atomically)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"claims": [c.to_dict() for c in (claims() if items is None else items)]}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=1, default=str)
    os.replace(tmp, path)
    return path


def load(path) -> list[Claim]:
    """Read claims written by :func:`save` (they are not added to the registry)."""
    data = json.loads(Path(path).read_text())
    if not isinstance(data, dict) or "claims" not in data:
        raise ValueError(f"{path} is not a claims file (no 'claims' list)")
    out = []
    for d in data["claims"]:
        if d.get("verdict") not in VERDICTS:
            raise ValueError(f"{path}: claim {d.get('key')!r} has unknown verdict {d.get('verdict')!r}")
        out.append(Claim(**d))
    return out
