"""The numbers and claims of Wang et al. (2016), *Analysis of Deep Neural Networks with the EDJM*, against ours.

* :data:`PAPER_EDJM`: the scores and accuracies the paper prints (Figs. 2, 3, 5 and Table 1), with the score as a
  fraction of its maximum, so that our digits runs (64 inputs) compare with its MNIST / CIFAR-10 ones;
* :func:`paper_comparison`: one figure's models beside the paper's;
* :func:`edjm_claims`: the paper's qualitative claims (Figs. 1-6, Table 1), one row each with our measurement
  and a verdict, every value computed from the studies of :mod:`workbench.papers.edjm.recipes`.

:mod:`workbench.papers.edjm.recipes` re-exports every name here.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbench.measures.edjm import max_score

if TYPE_CHECKING:
    from workbench.papers.edjm.recipes import EDJMStudy

__all__ = ["PAPER_EDJM", "paper_comparison", "edjm_claims"]

_PAPER_ROWS = [
    # figure, dataset, label, score, accuracy (%), d_in
    ("Fig. 2", "mnist", "feed-forward", 7.70, 98.66, 784),
    ("Fig. 2", "mnist", "conv", 21.55, 99.26, 784),
    ("Fig. 2", "cifar10", "feed-forward", 21.40, 56.34, 3072),
    ("Fig. 2", "cifar10", "conv", 59.65, 73.77, 3072),
    ("Fig. 3", "cifar10", "feed-forward shallow", 33.7, 62.3, 3072),
    ("Fig. 3", "cifar10", "feed-forward student", 73.6, 73.6, 3072),
    ("Fig. 3", "cifar10", "conv shallow", 147.8, 83.1, 3072),
    ("Fig. 3", "cifar10", "conv student", 162.7, 86.7, 3072),
    ("Fig. 3", "cifar10", "conv teacher", 172.7, 92.1, 3072),
    ("Fig. 5", "cifar10", "feed-forward 2 layer", 13.94, 54.23, 3072),
    ("Fig. 5", "cifar10", "feed-forward 3 layer", 16.58, 56.06, 3072),
    ("Fig. 5", "cifar10", "feed-forward 4 layer", 21.40, 56.34, 3072),
    ("Fig. 5", "cifar10", "ensemble", 8.75, 57.60, 3072),
    ("Table 1", "mnist", "2 * 1k feed-forward", float("nan"), 98.48, 784),
    ("Table 1", "mnist", "2 * 1k dropout", float("nan"), 98.70, 784),
    ("Table 1", "mnist", "2 * 1k spectral reg.", float("nan"), 98.66, 784),
    ("Table 1", "cifar10", "3 * 4k feed-forward", float("nan"), 56.93, 3072),
    ("Table 1", "cifar10", "3 * 4k dropout", float("nan"), 57.50, 3072),
    ("Table 1", "cifar10", "3 * 4k spectral reg.", float("nan"), 57.43, 3072),
]
PAPER_EDJM = pd.DataFrame(_PAPER_ROWS, columns=["figure", "dataset", "label", "paper_score", "paper_acc", "d_in"])
PAPER_EDJM["paper_score_fraction"] = PAPER_EDJM["paper_score"] / PAPER_EDJM["d_in"].map(max_score)
"""The scores and accuracies printed in Wang et al. (2016), Figs. 2, 3, 5 and Table 1, with the score as a
fraction of its maximum (79 for MNIST's 784 inputs, 308 for CIFAR-10's 3072)."""


def paper_comparison(study: EDJMStudy, dataset: str, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Our models beside the paper's: ``labels`` maps our label -> the paper's label (same order by default).

    Columns: our score, score fraction and validation accuracy; the paper's
    score, fraction and accuracy; and whether the ordering of scores agrees.
    """
    paper = PAPER_EDJM[(PAPER_EDJM.figure == study.figure) | ((study.figure == "Fig. 6") &
                                                              (PAPER_EDJM.figure == "Table 1"))]
    paper = paper[paper.dataset == dataset].reset_index(drop=True)
    ours = study.models.reset_index(drop=True)
    if labels is None:
        if len(paper) != len(ours):
            raise ValueError(f"{study.figure} has {len(ours)} models here and {len(paper)} in the paper for "
                             f"{dataset}; pass labels= to pair them")
        labels = dict(zip(ours["label"], paper["label"]))
    p = paper.set_index("label")
    rows = []
    for _, r in ours.iterrows():
        if r["label"] not in labels:
            continue
        q = p.loc[labels[r["label"]]]
        rows.append(dict(ours=r["label"], paper=labels[r["label"]], score=r["score"],
                         score_fraction=r["score_fraction"], val_acc=100 * r["val_acc"],
                         paper_score=q["paper_score"], paper_score_fraction=q["paper_score_fraction"],
                         paper_acc=q["paper_acc"]))
    df = pd.DataFrame(rows)
    if df["paper_score"].notna().all() and len(df) > 1:
        df["same_score_order"] = (np.argsort(np.argsort(df["score"].to_numpy())) ==
                                  np.argsort(np.argsort(df["paper_score"].to_numpy())))
    return df


def _score_of(study: EDJMStudy, label: str) -> float:
    row = study.models[study.models["label"] == label]
    if row.empty:
        raise KeyError(f"{study.figure} has no model {label!r}; it has {list(study.models['label'])}")
    return float(row["score"].iloc[0])


def edjm_claims(*, fig1: EDJMStudy | None = None, fig2: EDJMStudy | None = None, fig3: EDJMStudy | None = None,
                fig4: EDJMStudy | None = None, fig5: EDJMStudy | None = None,
                fig6: EDJMStudy | None = None) -> pd.DataFrame:
    """The paper's qualitative claims, one row each: what the paper found, what we measured, and a verdict.

    Every ``ours`` value is computed from the studies passed; nothing is typed in.
    """
    rows = []

    def add(fig, claim, paper, ours, ok):
        rows.append(dict(paper="Wang et al. 2016", figure=fig, claim=claim, paper_value=paper, ours=ours,
                         verdict="reproduced" if ok else "not reproduced"))

    if fig1 is not None:
        for panel, g in fig1.models.groupby("panel", sort=False):
            rho = float(pd.Series(g["depth"].to_numpy()).corr(pd.Series(g["score"].to_numpy()), method="spearman"))
            add("Fig. 1", f"deeper nets have higher scores ({panel})", "scores rise with depth 1-4",
                f"Spearman(depth, score) = {rho:+.2f}; scores " + ", ".join(f"{v:.2f}" for v in g["score"]), rho > 0)
    if fig2 is not None:
        fc, cv = fig2.models["score"].iloc[0], fig2.models["score"].iloc[1]
        add("Fig. 2", "conv nets score far above feed-forward nets", "7.70 vs 21.55 (MNIST), 21.40 vs 59.65 (CIFAR)",
            f"{fc:.2f} vs {cv:.2f} (x{cv / fc:.1f})", cv > fc)
    if fig3 is not None:
        sc = {k: _score_of(fig3, k) for k in fig3.models["label"]}
        add("Fig. 3", "the teacher has the highest score", "172.7, next 162.7",
            f"teacher {sc['conv teacher']:.2f}, "
            f"highest other {max(v for k, v in sc.items() if k != 'conv teacher'):.2f}",
            sc["conv teacher"] == max(sc.values()))
        for kind in ("feed-forward", "conv"):
            a, b = sc[f"{kind} shallow"], sc[f"{kind} student"]
            add("Fig. 3", f"a {kind} student scores above the same net on hard labels",
                {"feed-forward": "33.7 -> 73.6", "conv": "147.8 -> 162.7"}[kind], f"{a:.2f} -> {b:.2f}", b > a)
    if fig4 is not None:
        for panel, g in fig4.models.groupby("panel", sort=False):
            a, b = g["score"].iloc[0], g["score"].iloc[1]
            add("Fig. 4", f"dropout raises the score ({panel})", "higher with dropout, all four structures",
                f"{a:.2f} -> {b:.2f}", b > a)
    if fig5 is not None:
        m = fig5.models.set_index("label")
        members = m.drop(index="ensemble")
        add("Fig. 5", "the averaged ensemble scores below every member", "8.75 vs 13.94-21.40",
            f"{m.loc['ensemble', 'score']:.2f} vs {members['score'].min():.2f}-{members['score'].max():.2f}",
            m.loc["ensemble", "score"] < members["score"].min())
        add("Fig. 5", "the ensemble is the most accurate", "57.60% vs 54.23-56.34%",
            f"{100 * m.loc['ensemble', 'val_acc']:.1f}% vs {100 * members['val_acc'].min():.1f}-"
            f"{100 * members['val_acc'].max():.1f}%", m.loc["ensemble", "val_acc"] >= members["val_acc"].max())
    if fig6 is not None:
        g = fig6.models
        base, drop, spec = (g.iloc[i] for i in range(3))
        add("Fig. 6", "spectral regularisation raises the score more than dropout", "(Fig. 6C; 'more than dropout')",
            f"baseline {base['score']:.2f}, dropout {drop['score']:.2f}, spectral {spec['score']:.2f}",
            spec["score"] > drop["score"] > base["score"])
        add("Table 1", "spectral regularisation beats the baseline's accuracy", "98.48% -> 98.66% (MNIST)",
            f"{100 * base['val_acc']:.1f}% -> {100 * spec['val_acc']:.1f}%", spec["val_acc"] > base["val_acc"])
        add("Table 1", "dropout beats the baseline's accuracy", "98.48% -> 98.70% (MNIST)",
            f"{100 * base['val_acc']:.1f}% -> {100 * drop['val_acc']:.1f}%", drop["val_acc"] > base["val_acc"])
    return pd.DataFrame(rows)
