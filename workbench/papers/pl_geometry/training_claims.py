"""The thesis' statements on training, read off the histories (Johansson 2022, §2.2.1 and Paper II).

The recipes of :mod:`workbench.papers.pl_geometry.training` record histories; this module compares them with
what the thesis says, one row per statement (``claim, group, measured, verdict``), with our thresholds stated:

* :func:`rate_outcomes`, :func:`failing_rate`: which learning rates fail to converge (from the accuracy alone,
  :data:`FAIL_FRACTION`), and when the rank of ``W_R`` drops;
* :func:`rank_claims`: Fig. 2.2, the rank of ``W_R`` (exact and eq. 2.3) during training at two learning rates;
* :func:`slope_claims`: Paper II §3.2.2, the slope through training and across widths and depths.

:mod:`workbench.papers.pl_geometry.training` re-exports every name here.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from workbench.papers.pl_geometry.training import RankTraining, SlopeGeneralisation

__all__ = ["FAIL_FRACTION", "rate_outcomes", "failing_rate", "rank_claims", "slope_claims"]


FAIL_FRACTION = 0.9
"""A run *fails to converge* when its last test accuracy is below this fraction of its best; after the
best epoch, it *collapses* at the first epoch below this fraction of the best."""


def rate_outcomes(result: RankTraining) -> pd.DataFrame:
    """Per learning rate, read from the histories: ``lr, best_test_acc, best_epoch, last_test_acc,
    fails`` (last < ``FAIL_FRACTION`` x best, or diverged), ``collapse_epoch`` (first epoch after the
    best below ``FAIL_FRACTION`` x best; NaN if none), ``rank_drop_epoch`` (first epoch whose mean
    exact rank is more than 0.5 below the maximum rank seen in the run; NaN if none).

    The failure rule reads the accuracy only, never the rank, so that a rate chosen by it can then
    test the thesis' claim that the rank shows the trouble first.
    """
    h = result.history
    full = int(h["rank_max"].max()) if h["rank_max"].notna().any() else 0
    rows = []
    for lr, g in h.sort_values("epoch").groupby("lr", sort=True):
        acc = g["test_acc"].to_numpy(dtype=float)
        ep = g["epoch"].to_numpy()
        ok = np.isfinite(acc)
        best_i = int(np.nanargmax(np.where(ok, acc, -np.inf))) if ok.any() else 0
        best = float(acc[best_i]) if ok.any() else math.nan
        last = float(acc[-1])
        diverged = bool(g["diverged"].any()) if "diverged" in g else False
        fails = diverged or not np.isfinite(last) or last < FAIL_FRACTION * best
        after = np.nonzero((np.arange(len(acc)) > best_i) & ~(acc >= FAIL_FRACTION * best))[0]
        drop = np.nonzero(g["rank_mean"].to_numpy(dtype=float) < full - 0.5)[0]
        rows.append(dict(lr=float(lr), best_test_acc=best, best_epoch=int(ep[best_i]), last_test_acc=last,
                         fails=bool(fails), collapse_epoch=float(ep[after[0]]) if after.size else math.nan,
                         rank_drop_epoch=float(ep[drop[0]]) if drop.size else math.nan))
    return pd.DataFrame(rows)


def failing_rate(result: RankTraining) -> float | None:
    """The smallest learning rate whose run fails to converge (:func:`rate_outcomes`), or ``None``."""
    out = rate_outcomes(result)
    bad = out[out["fails"]]
    return float(bad["lr"].min()) if len(bad) else None


def rank_claims(result: RankTraining) -> pd.DataFrame:
    """The thesis' statements on the rank of ``W_R`` during training (Fig. 2.2) against the histories.

    * the smaller thesis rate (``min(config.lrs)``): "the rank stays maximal": holds when the mean
      exact rank at every recorded epoch (diverged rows excluded) equals its maximum possible value
      ``min(n_inputs, n_classes)``, read as the largest ``rank_max`` seen;
    * the larger thesis rate (``max(config.lrs)``): "the rank starts decreasing immediately": holds
      when the mean rank after the first epoch is below that of epoch 0 by more than 0.5;
    * when the run has ``probe_lrs``: at the smallest rate that fails to converge
      (:func:`failing_rate`, chosen by the accuracy alone), "the rank shows it earlier than the
      loss curves": holds when the rank drops (more than 0.5) at an earlier epoch than the test
      accuracy collapses (:func:`rate_outcomes`).
    Equation 2.3 against the exact rank: "agrees" when ``agree == 1`` at every epoch.
    Columns: ``claim, group, measured, verdict``; thresholds are ours, stated here.
    """
    h = result.history[~result.history["diverged"]] if "diverged" in result.history else result.history
    if h.empty:
        raise ValueError("every recorded epoch diverged: there is no rank history to compare")
    full = int(h["rank_max"].max())
    cfg = getattr(result, "config", None)
    thesis = sorted(float(x) for x in cfg.lrs) if cfg is not None else sorted(h["lr"].unique())
    lrs = [x for x in sorted(h["lr"].unique()) if x in thesis] or sorted(h["lr"].unique())
    rows = []
    g = h[h["lr"] == lrs[0]]
    low = float(g["rank_mean"].min())
    rows.append(dict(claim="rank stays maximal at the small rate", group=f"lr={lrs[0]:g}",
                     measured=f"mean rank min {low:.2f} over {len(g)} epochs; maximum {full}",
                     verdict="holds" if low >= full - 1e-9 else "does not hold"))
    if len(lrs) > 1:
        g = h[h["lr"] == lrs[-1]].sort_values("epoch")
        r0 = float(g["rank_mean"].iloc[0])
        r1 = float(g["rank_mean"].iloc[1]) if len(g) > 1 else math.nan
        rows.append(dict(claim="rank decreases immediately at the large rate", group=f"lr={lrs[-1]:g}",
                         measured=f"mean rank epoch 0 {r0:.2f} -> epoch 1 {r1:.2f} -> min {g['rank_mean'].min():.2f}",
                         verdict="holds" if r1 < r0 - 0.5 else "does not hold"))
    if cfg is not None and tuple(getattr(cfg, "probe_lrs", ())):
        out = rate_outcomes(result)
        lr_f = failing_rate(result)
        if lr_f is None:
            rows.append(dict(claim="the rank shows non-convergence before the accuracy", group="no rate failed",
                             measured=f"every rate of {sorted(out.lr)} converged (last test accuracy >= "
                                      f"{FAIL_FRACTION:g} x best)", verdict="not comparable"))
        else:
            o = out[out["lr"] == lr_f].iloc[0]
            rd, ce = o["rank_drop_epoch"], o["collapse_epoch"]
            early = bool(np.isfinite(rd) and (not np.isfinite(ce) or rd < ce))
            rows.append(dict(claim="the rank shows non-convergence before the accuracy",
                             group=f"lr={lr_f:g}, the smallest failing rate",
                             measured=f"rank drops at epoch {rd:g}; test accuracy best {o['best_test_acc']:.3f} at "
                                      f"epoch {o['best_epoch']}, collapses at epoch {ce:g}, last "
                                      f"{o['last_test_acc']:.3f}",
                             verdict="holds" if early else "does not hold"))
    agree = float(h["agree"].min())
    rows.append(dict(claim="eq. 2.3 equals the exact rank during training", group="all rates",
                     measured=f"smallest fraction of points where they agree: {agree:.3f}",
                     verdict="holds" if agree == 1.0 else "does not hold"))
    return pd.DataFrame(rows)


def slope_claims(result: SlopeGeneralisation) -> pd.DataFrame:
    """The thesis' three statements on slope (Paper II, §3.2.2) against the measured histories.

    * "the slope grows continuously during training": per architecture, the Spearman
      correlation of epoch and median test slope, and whether the slope at the last epoch
      exceeds the one at early stopping (verdict: all architectures with correlation > 0.8).
    * "relatively stable to changes in width": at early stopping, the ratio max/min of the
      median test slope over widths, per depth (verdict "stable" when < 1.5; compare with the
      growth factor from initialisation to the end).
    * "weak dependence on depth": the same ratio over depths, per width.

    Columns: ``claim, group, measured, verdict``.  The thresholds are ours, stated here.
    """
    from scipy.stats import spearmanr

    es = result.early_stopping()
    rows = []
    for (w, d), h in result.history.groupby(["width", "depth"]):
        h = h[~h["diverged"]]
        rho = spearmanr(h["epoch"], h["slope_test_q50"]).statistic if len(h) > 2 else math.nan
        e = es[(es.width == w) & (es.depth == d)].iloc[0]
        grows = bool(rho > 0.8 and e["last_slope"] >= e["es_slope"])
        rows.append(dict(claim="slope grows through training", group=f"width {w}, depth {d}",
                         measured=f"Spearman {rho:.2f}; slope init {e['init_slope']:.2f} -> ES {e['es_slope']:.2f} "
                                  f"(epoch {e['es_epoch']}) -> end {e['last_slope']:.2f}",
                         verdict="holds" if grows else "does not hold"))
    for d, g in es.groupby("depth"):
        r = g["es_slope"].max() / g["es_slope"].min()
        rows.append(dict(claim="stable in width (at early stopping)", group=f"depth {d}",
                         measured=f"max/min over widths {sorted(g['width'])}: {r:.2f}",
                         verdict="holds" if r < 1.5 else "does not hold"))
    for w, g in es.groupby("width"):
        if len(g) < 2:
            continue
        r = g["es_slope"].max() / g["es_slope"].min()
        rows.append(dict(claim="weak dependence on depth (at early stopping)", group=f"width {w}",
                         measured=f"max/min over depths {sorted(g['depth'])}: {r:.2f}",
                         verdict="holds" if r < 1.5 else "does not hold"))
    return pd.DataFrame(rows)
