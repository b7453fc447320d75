"""Plots of the extended data Jacobian matrix (Wang et al. 2016, Figs. 1-6).

They draw results of :mod:`workbench.papers.edjm.recipes` (an ``EDJMStudy``, its
``spectra`` / ``models`` tables) or :class:`workbench.EDJM` results; they
compute no measure.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from workbench.plots._base import LAYER_COLORS, apply_style, new_axes, new_figure

__all__ = ["plot_edjm_spectra", "plot_edjm_scores", "plot_score_vs_accuracy", "plot_edjm_study",
           "plot_edjm_per_output"]


def _pretty(label) -> str:
    """A model label for a figure: ``lambda=0.001`` becomes ``λ = 0.001`` (words and symbols, no identifiers)."""
    return re.sub(r"\blambda\s*=\s*", "λ = ", str(label))


def _spectra_frame(result, panel: str | None) -> pd.DataFrame:
    """A tidy ``label, component, normalized`` table from a study, a frame or ``{label: EDJM}``."""
    if hasattr(result, "spectra") and isinstance(result.spectra, pd.DataFrame):
        df = result.spectra
    elif isinstance(result, pd.DataFrame):
        df = result
    elif isinstance(result, Mapping):
        parts = []
        for label, r in result.items():
            curve = r.mean_normalized.detach().cpu().double().numpy() if hasattr(r, "mean_normalized") else \
                np.asarray(r, float)
            parts.append(pd.DataFrame(dict(label=label, component=np.arange(1, len(curve) + 1), normalized=curve,
                                           panel="")))
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            columns=["label", "component", "normalized", "panel"])
    else:
        raise TypeError(f"cannot plot spectra from {type(result).__name__}: pass an EDJMStudy, its spectra table "
                        "or a dict label -> EDJM")
    if panel is not None and "panel" in df:
        df = df[df["panel"] == panel]
    return df


def _models_frame(result) -> pd.DataFrame:
    if hasattr(result, "models") and isinstance(result.models, pd.DataFrame):
        return result.models
    if isinstance(result, pd.DataFrame):
        return result
    raise TypeError(f"cannot plot scores from {type(result).__name__}: pass an EDJMStudy or its models table")


def plot_edjm_spectra(result, ax: Axes | None = None, *, panel: str | None = None, log_x: bool = False,
                      ylim: float | None = 0.25, accuracies: Mapping[str, float] | None = None,
                      title: str | None = None, colors: Sequence[str] = LAYER_COLORS, lw: float = 1.6, **style) -> Axes:
    """Normalised EDJM spectra averaged over the outputs, one curve per model (the paper's Figs. 1-6 A/B).

    ``ylim=0.25`` is the paper's display choice ("we set the maximum value of
    the y-axis to be 0.25"); ``None`` shows the whole curve from 1.0.  ``log_x``
    puts the component index on a log scale.  Legends carry the validation
    accuracy when the study has it (or from ``accuracies``).
    """
    ax = new_axes(ax, figsize=(5.5, 4.0))
    df = _spectra_frame(result, panel)
    accs = dict(accuracies or {})
    if hasattr(result, "models") and not accs:
        m = result.models if panel is None else result.models[result.models["panel"] == panel]
        accs = dict(zip(m["label"], m["val_acc"]))
    for i, (label, g) in enumerate(df.groupby("label", sort=False)):
        name = f"{_pretty(label)} ({100 * accs[label]:.1f}%)" if label in accs else _pretty(label)
        ax.plot(g["component"], g["normalized"], color=colors[i % len(colors)], lw=lw, label=name)
    if log_x:
        ax.set_xscale("log")
    if ylim is not None:
        ax.set_ylim(0, ylim)
    else:
        ax.set_ylim(0, 1.02)
    ax.set_xlabel("component (singular values in decreasing order)")
    ax.set_ylabel("normalised singular value σ / σ_max")
    ax.grid(alpha=0.3)
    if len(df):
        # under the axes: the spectra of high-scoring models fill the upper right too
        labels = ax.get_legend_handles_labels()[1]
        ncol = 2 if max(len(t) for t in labels) <= 32 else 1  # long model labels: one per row, within the figure
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), borderaxespad=0.0, ncol=ncol, frameon=False,
                  fontsize=9, title="model (validation accuracy)", title_fontsize=9)
    ax.set_title(title if title is not None else (panel or "normalised EDJM spectra (mean over outputs)"))
    return apply_style(ax, style)


def plot_edjm_scores(result, ax: Axes | None = None, *, panel: str | None = None, value: str = "score",
                     paper: Sequence[float] | None = None, title: str | None = None,
                     color: str = LAYER_COLORS[0], paper_color: str = "0.6", **style) -> Axes:
    """Score bars per model (eq. 12, mean over outputs); ``paper`` adds the paper's values beside ours.

    ``value="score_fraction"`` plots the score divided by its maximum, the
    quantity comparable across input sizes (the paper's values are then given
    as fractions too).
    """
    ax = new_axes(ax, figsize=(5.5, 3.6))
    m = _models_frame(result)
    if panel is not None:
        m = m[m["panel"] == panel]
    x = np.arange(len(m))
    w = 0.4 if paper is not None else 0.7
    panels = list(dict.fromkeys(m["panel"])) if "panel" in m else [""]
    handles = None
    if len(panels) > 1 and paper is None:  # one colour per panel, labelled
        from matplotlib.patches import Patch

        cols = [LAYER_COLORS[panels.index(p) % len(LAYER_COLORS)] for p in m["panel"]]
        bars = ax.bar(x, m[value], width=w, color=cols)
        handles = [Patch(color=LAYER_COLORS[i % len(LAYER_COLORS)], label=p) for i, p in enumerate(panels)]
    else:
        bars = ax.bar(x - (w / 2 if paper is not None else 0), m[value], width=w, color=color, label="ours")
    fmt = "%.2f" if float(np.nanmax(np.abs(m[value]), initial=0.0)) < 100 else "%.0f"
    ax.bar_label(bars, fmt=fmt, fontsize=9, padding=2)
    top = float(np.nanmax(m[value], initial=0.0))
    if paper is not None:
        pv = np.asarray(list(paper), dtype=float)
        pb = ax.bar(x + w / 2, pv, width=w, color=paper_color, hatch="//", edgecolor="white",
                    label="paper (Wang et al. 2016)")
        ax.bar_label(pb, fmt=fmt, fontsize=9, padding=2)
        top = max(top, float(np.nanmax(pv, initial=0.0)))
        handles = None  # the bars' own labels: ours, paper
    ax.set_ylim(0, 1.15 * top if top > 0 else 1.0)  # room for the value above the tallest bar
    ax.set_xticks(x, [_pretty(v) for v in m["label"]], rotation=25, ha="right", fontsize=9)
    ax.set_xlabel("model")
    ax.set_ylabel({"score": "EDJM score (eq. 12)", "score_fraction": "score / maximum score"}.get(value, value))
    ax.set_title(title if title is not None else "EDJM scores")
    ax.grid(axis="y", alpha=0.3)
    if handles is not None or paper is not None:  # above the axes, under the title: never on a bar or its value
        ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=9, frameon=False,
                  borderaxespad=0.2)
        ax.set_title(ax.get_title(), pad=28)
    return apply_style(ax, style)


def plot_score_vs_accuracy(result, ax: Axes | None = None, *, value: str = "score", hue: str = "figure",
                           annotate: bool = True, fit: bool = True, title: str | None = None, **style) -> Axes:
    """Score against validation accuracy for every model (the paper's claim that they go together).

    A seaborn scatter plot with one colour *and* marker per ``hue`` group (told
    apart in grey print too), and with ``fit`` the least-squares line over all
    models with its Spearman rank correlation in the legend (outside the axes,
    on the right).
    """
    import seaborn as sns

    ax = new_axes(ax, figsize=(7.0, 4.2))
    if isinstance(result, Sequence) and not isinstance(result, pd.DataFrame):
        m = pd.concat([_models_frame(r) for r in result], ignore_index=True)
    else:
        m = _models_frame(result)
    d = pd.DataFrame({"accuracy": 100 * m["val_acc"].to_numpy(float), "value": m[value].to_numpy(float)})
    kw = {}
    if hue in m:
        d[hue] = m[hue].astype(str).to_numpy()
        groups = list(dict.fromkeys(d[hue]))
        markers = ["o", "s", "D", "^", "v", "P", "X", "*", "<", ">"]
        kw = dict(hue=hue, style=hue, hue_order=groups, style_order=groups,
                  palette=[LAYER_COLORS[i % len(LAYER_COLORS)] for i in range(len(groups))],
                  markers=[markers[i % len(markers)] for i in range(len(groups))])
    sns.scatterplot(d, x="accuracy", y="value", s=60, ax=ax, legend=bool(kw), **kw)
    if annotate:
        for (_, r), label in zip(d.iterrows(), m["label"]):
            ax.annotate(_pretty(label), (r["accuracy"], r["value"]), fontsize=8, xytext=(3, 2),
                        textcoords="offset points")
    ok = np.isfinite(d["accuracy"]) & np.isfinite(d["value"])
    if fit and ok.sum() >= 3 and d.loc[ok, "accuracy"].nunique() > 1:
        a, b = np.polyfit(d.loc[ok, "accuracy"], d.loc[ok, "value"], 1)
        rho = float(d.loc[ok, "accuracy"].corr(d.loc[ok, "value"], method="spearman"))
        xs = np.linspace(d.loc[ok, "accuracy"].min(), d.loc[ok, "accuracy"].max(), 2)
        ax.plot(xs, a * xs + b, color="k", lw=1.2, ls="--",
                label=f"least squares, all {int(ok.sum())} models\n(Spearman ρ = {rho:+.2f})")
    ax.set_xlabel("validation accuracy (%)")
    ax.set_ylabel({"score": "EDJM score (eq. 12)", "score_fraction": "score / maximum score"}.get(value, value))
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, fontsize=9, frameon=False)
    ax.grid(alpha=0.3)
    ax.set_title(title if title is not None else "score against accuracy")
    return apply_style(ax, style)


def plot_edjm_study(study, fig=None, *, log_x: bool = False, ylim: float | None = 0.25,
                    paper: Sequence[float] | None = None, value: str = "score", scores: bool = True):
    """One row per panel of the study: its spectra, then one score bar chart of every model. ``(fig, axes)``.

    ``paper``: the paper's values of ``value`` (one per model, in order), drawn beside ours and marked as the
    paper's; ``scores=False`` leaves the bar chart out (a second view of the same spectra need not repeat it).
    """
    panels = list(dict.fromkeys(study.models["panel"]))
    n = len(panels) + int(scores)
    if fig is None:
        fig, axes = new_figure(1, n, figsize=(5.0 * n, 4.6))
    else:
        axes = fig.subplots(1, n)
    axes = np.atleast_1d(axes)
    for ax, p in zip(axes, panels):
        plot_edjm_spectra(study, ax, panel=p, log_x=log_x, ylim=ylim,
                          title=f"{study.figure}: {p}" if p else f"{study.figure}: normalised spectra")
    if scores:
        plot_edjm_scores(study, axes[-1], value=value, paper=paper, title=f"{study.figure}: scores")
    return fig, axes


def plot_edjm_per_output(result, ax: Axes | None = None, *, log_x: bool = False, ylim: float | None = None,
                         title: str | None = None, **style) -> Axes:
    """The normalised spectrum of every output of one :class:`workbench.EDJM` (thin lines) and their mean."""
    ax = new_axes(ax, figsize=(5.5, 4.0))
    s = result.normalized.detach().cpu().double().numpy()
    k = np.arange(1, s.shape[1] + 1)
    mk = "o" if len(k) <= 12 else None
    for j, row in enumerate(s):
        ax.plot(k, row, color="0.7", lw=0.8, marker=mk, label="each output" if j == 0 else None)
    ax.plot(k, s.mean(0), color=LAYER_COLORS[1], lw=2, marker=mk, label="mean over outputs")
    if len(k) <= 12:
        ax.set_xticks(k)
    if log_x:
        ax.set_xscale("log")
    ax.set_ylim(0, ylim if ylim is not None else 1.02)
    ax.set_xlabel("component")
    ax.set_ylabel("σ / σ_max")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title(title if title is not None else f"EDJM spectra per output (score {result.score:.2f})")
    return apply_style(ax, style)
