"""Claims registry: verdicts from tolerances, error paths, saving for the report."""
from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench import claims


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    monkeypatch.delenv(claims.ENV_FILE, raising=False)
    monkeypatch.delenv(claims.ENV_PROFILE, raising=False)
    monkeypatch.delenv(claims.ENV_NOTEBOOK, raising=False)
    claims.clear()
    yield
    claims.clear()


def reg(key="k", **kw):
    args = dict(paper="ESD", where="Fig. 1", quantity="ESD of ReLU", paper_value=2.81, ours=2.79, tolerance=0.1)
    args.update(kw)
    return claims.register(key, **args)


def test_numeric_verdicts_absolute_and_relative():
    assert reg(ours=2.79).verdict == "reproduced"
    assert reg(ours=2.95).verdict == "differs"
    assert reg(ours=2.91, tolerance=0.1).verdict == "reproduced"  # |diff| = 0.1 (to rounding) is within
    assert reg(paper_value=100.0, ours=109.0, tolerance="10%").verdict == "reproduced"
    assert reg(paper_value=100.0, ours=111.0, tolerance="10%").verdict == "differs"
    assert reg(paper_value=-100.0, ours=-91.0, tolerance="10%").verdict == "reproduced"


def test_default_reason_profile_and_text():
    c = reg(ours=2.95)
    assert c.reason == "|ours - paper| = 0.14 > 0.1"
    assert c.profile == "interactive"
    t = claims.quote("k")
    assert "ours 2.95" in t and "paper 2.81" in t and "differs" in t and "[interactive profile]" in t
    assert reg(profile="smoke").profile == "smoke"


def test_env_profile_notebook_and_file(tmp_path, monkeypatch):
    f = tmp_path / "sub" / "nb.claims.json"
    monkeypatch.setenv(claims.ENV_FILE, str(f))
    monkeypatch.setenv(claims.ENV_PROFILE, "smoke")
    monkeypatch.setenv(claims.ENV_NOTEBOOK, "01_x")
    reg("a")
    reg("b", ours=3.5)
    data = json.loads(f.read_text())
    assert [d["key"] for d in data["claims"]] == ["a", "b"]
    back = claims.load(f)
    assert back == claims.claims()
    assert back[0].profile == "smoke" and back[0].notebook == "01_x"


def test_reregister_replaces_and_table():
    reg("a", ours=1.0)
    reg("a", ours=2.8)
    reg("b")
    df = claims.table()
    assert list(df["key"]) == ["a", "b"] and df.loc[0, "ours"] == 2.8 and df.loc[0, "verdict"] == "reproduced"
    assert {"paper", "where", "quantity", "paper_value", "ours", "tolerance", "verdict", "reason",
            "profile"} <= set(df.columns)


def test_qualitative_needs_verdict_and_reason():
    with pytest.raises(ValueError, match="qualitative: give verdict="):
        reg(tolerance="qualitative", paper_value="grows exponentially", ours="grows")
    with pytest.raises(ValueError, match="qualitative: give a one-line reason"):
        reg(tolerance="qualitative", paper_value="grows", ours="grows", verdict="reproduced")
    c = reg(tolerance="qualitative", paper_value="grows", ours="grows", verdict="reproduced", reason="same trend")
    assert c.verdict == "reproduced" and c.tolerance_text() == "qualitative"


def test_unknown_verdict_paper_and_bad_strings():
    with pytest.raises(ValueError, match="unknown verdict 'ok'; choose from"):
        reg(verdict="ok")
    with pytest.raises(ValueError, match="unknown paper 'Raghu'"):
        reg(paper="Raghu")
    with pytest.raises(ValueError, match="quantity must be a non-empty string"):
        reg(quantity=" ")
    with pytest.raises(ValueError, match="reason must be one line"):
        reg(reason="a\nb")


@pytest.mark.parametrize("tol, exc, msg", [
    (-0.1, ValueError, "finite non-negative"),
    (float("nan"), ValueError, "finite non-negative"),
    (float("inf"), ValueError, "finite non-negative"),
    ("abc", ValueError, "got 'abc'"),
    ("-5%", ValueError, "percentage"),
    ("x%", ValueError, "percentage"),
    (True, TypeError, "not bool"),
    ([0.1], TypeError, "not list"),
])
def test_bad_tolerance(tol, exc, msg):
    with pytest.raises(exc, match=msg):
        reg(tolerance=tol)


def test_verdict_contradicting_tolerance_and_not_comparable():
    with pytest.raises(ValueError, match="contradicts the tolerance"):
        reg(ours=3.5, verdict="reproduced")
    with pytest.raises(ValueError, match="why it is not comparable"):
        reg(verdict="not comparable")
    c = reg(verdict="not comparable", reason="smoke-sized run: 3 samples, not 1000")
    assert c.verdict == "not comparable"
    # a missing or non-finite number makes a numeric claim not comparable, never a silent pass
    assert reg(ours=float("nan")).verdict == "not comparable"
    assert reg(ours=None).verdict == "not comparable"
    with pytest.raises(ValueError, match="not both finite numbers"):
        reg(ours="large", verdict="reproduced")


def test_numpy_and_tensor_values_become_floats():
    import numpy as np
    import torch

    c = reg(ours=np.float32(2.8), paper_value=torch.tensor(2.81))
    assert isinstance(c.ours, float) and isinstance(c.paper_value, float) and c.verdict == "reproduced"


def test_get_load_errors(tmp_path):
    with pytest.raises(KeyError, match="no claim 'zz' registered"):
        claims.get("zz")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"x": 1}))
    with pytest.raises(ValueError, match="not a claims file"):
        claims.load(bad)
    reg("a")
    f = claims.save(tmp_path / "c.json")
    d = json.loads(f.read_text())
    d["claims"][0]["verdict"] = "great"
    f.write_text(json.dumps(d))
    with pytest.raises(ValueError, match="unknown verdict 'great'"):
        claims.load(f)


def test_markdown_display():
    reg("a")
    md = claims.markdown("a")
    assert md.data.startswith("- **reproduced** · ESD of ReLU")


finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(p=finite, o=finite, tol=st.floats(0, 1e3, allow_nan=False))
def test_verdict_is_the_tolerance_test(p, o, tol):
    c = claims.register("h", paper="ESD", where="x", quantity="q", paper_value=p, ours=o, tolerance=tol)
    slack = 1e-12 * max(1.0, abs(p), abs(o))  # float rounding at the boundary counts as within
    if abs(abs(o - p) - tol) > 2 * slack:
        assert (c.verdict == "reproduced") == (abs(o - p) <= tol)
    else:
        assert c.verdict == "reproduced"
    assert not math.isnan(c.ours)


# --- register_table: the experiments' claim tables into the registry -----------------------------------------
def _claims_table():
    import pandas as pd

    return pd.DataFrame(dict(figure=["Fig. 1", "Fig. 1", "Fig. 2"], claim=["deeper is higher", "deeper is higher",
                                                                             "conv above dense"],
                             paper_value=["rises", "rises", "7.7 vs 21.6"], ours=["rho = +1.00", "rho = -0.40",
                                                                                  "1.6 vs 3.3"],
                             verdict=["reproduced", "not reproduced", "holds"]))


def test_register_table_maps_verdicts_and_keys():
    claims.clear()
    out = claims.register_table(_claims_table(), paper="EDJM", key_prefix="edjm", where="figure", profile="smoke")
    assert [c.key for c in out] == ["edjm.deeper_is_higher", "edjm.deeper_is_higher_2", "edjm.conv_above_dense"]
    assert [c.verdict for c in out] == ["reproduced", "differs", "reproduced"]
    assert out[1].ours == "rho = -0.40" and out[1].where == "Fig. 1" and out[2].paper_value == "7.7 vs 21.6"
    assert claims.get("edjm.conv_above_dense").tolerance == "qualitative"
    assert len(claims.claims()) == 3


def test_register_table_errors():
    t = _claims_table()
    with pytest.raises(TypeError, match="pandas DataFrame"):
        claims.register_table(t.to_dict(), paper="EDJM", key_prefix="x")
    with pytest.raises(ValueError, match=r"no column\(s\) \['measured'\]"):
        claims.register_table(t, paper="EDJM", key_prefix="x", ours="measured")
    bad = t.assign(verdict=["perhaps"] * 3)
    with pytest.raises(ValueError, match="unknown verdict 'perhaps'"):
        claims.register_table(bad, paper="EDJM", key_prefix="x", where="figure")
    with pytest.raises(ValueError, match="unknown paper"):
        claims.register_table(t, paper="Nobody", key_prefix="x", where="figure")


def test_rank_claims_verdicts_follow_the_history():
    import pandas as pd

    import workbench as wb

    def run(rank_small, rank_large, agree=1.0):
        rows = [dict(lr=0.01, epoch=e, rank_mean=r, rank_max=10, agree=agree, diverged=False)
                for e, r in enumerate(rank_small)]
        rows += [dict(lr=0.1, epoch=e, rank_mean=r, rank_max=10, agree=agree, diverged=False)
                 for e, r in enumerate(rank_large)]
        pl = wb.papers.pl_geometry
        return pl.rank_claims(pl.RankTraining(history=pd.DataFrame(rows), dataset="toy", config=None))

    t = run([10, 10, 10], [10, 8.5, 6])
    assert t.verdict.tolist() == ["holds", "holds", "holds"]
    t = run([10, 9.5, 10], [10, 10, 9], agree=0.9)
    assert t.verdict.tolist() == ["does not hold", "does not hold", "does not hold"]


def test_judge_registers_a_catalogued_statement_with_rule_seeds_and_interval(tmp_path, monkeypatch):
    from workbench.report import catalogue_counts, catalogue_rows, report_html

    claims.clear()
    path = tmp_path / "c.json"
    monkeypatch.setenv(claims.ENV_FILE, str(path))
    c = claims.judge("esd.fig1.relu", [2.79, 2.83, 2.80], profile="quick")
    assert c.catalogue == "esd.fig1.relu" and c.seeds == 3 and c.rule == "within ±0.1 of 2.81"
    assert c.verdict == "reproduced" and c.interval[0] < 2.81 < c.interval[1]
    row = json.loads(path.read_text())["claims"][0]
    assert {"catalogue", "rule", "seeds", "interval"} <= set(row) and row["seeds"] == 3
    assert claims.load(path)[0].interval == c.interval
    tie = claims.judge("esd.fig5.shortcuts_gt_mlp", [0.0, 0.0, 0.0], profile="quick")
    assert tie.verdict == "inconclusive"  # a tie is never a win
    assert claims.judge("esd.fig1.sigmoid", None).verdict == "not run"
    with pytest.raises(KeyError, match="no catalogued statement"):
        claims.judge("esd.nope", [1.0, 2.0, 3.0])
    rows = catalogue_rows(claims.claims())
    assert len(rows) == len(claims.catalogue()) >= 100
    by = {r["id"]: r for r in rows}
    assert by["esd.fig1.relu"]["verdict"] == "reproduced"
    assert by["raghu.thm1.tight"]["verdict"] == "not run" and by["raghu.thm1.tight"]["reason"]
    counts = {c["paper"]: c for c in catalogue_counts(rows)}
    assert counts["ESD"]["reproduced"] == 1 and counts["ESD"]["inconclusive"] == 1
    assert sum(c["statements"] for c in counts.values()) == len(rows)
    html = report_html([], profile="quick")
    assert "The papers' statements (catalogue)" in html and "&lt;" not in html.split("catalogue")[0][:10]
    claims.clear()


def test_catalogue_floors_per_paper():
    n = {p: len(claims.catalogue(p)) for p in claims.PAPERS}
    assert n["ESD"] >= 25 and n["Trajectories"] >= 20 and n["EDJM"] >= 20 and n["Layer algebra"] >= 15
    assert n["PL geometry"] >= 22
    with pytest.raises(ValueError, match="unknown paper"):
        claims.catalogue("Nope")
