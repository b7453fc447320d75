"""Plots for the ESD of real-world networks (ESD paper §6, Figs. 9-13).

* :func:`plot_esd_real`: top-1 or top-5 error against the ESD (error bars: the
  min-max range over repeats), the least-squares line with its one-sigma
  bootstrap band, and Pearson's r and p annotated (Figs. 9-12).
* the same against the parameter count on a log axis (``x="params"``, Fig. 13).

They draw results of :func:`workbench.experiments.esd_real_networks` and
:func:`workbench.experiments.esd_real_fits`; they compute no measure.
"""
from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from workbench.plots._base import apply_style, new_axes

__all__ = ["plot_esd_real", "plot_esd_real_grid", "plot_sampled_spectra"]

_TARGET_LABEL = {"top1_error": "top-1 error (%)", "top5_error": "top-5 error (%)"}
_REDUCE_LABEL = {"pick_first": "pick_first", "sum_squares": "sum_squares"}


def plot_esd_real(
    table,
    fits,
    *,
    x: str = "esd",
    target: str = "top1_error",
    reduce: str = "sum_squares",
    ax: Axes | None = None,
    label_models: bool = True,
    color=None,
    title: str | None = None,
    **style,
) -> Axes:
    """Scatter of ImageNet error against the ESD (or the parameter count) with the fit and its band.

    Parameters
    ----------
    table
        Tidy table of :func:`workbench.experiments.esd_real_networks` (one row
        per model, reduce, repeat).
    fits
        :class:`workbench.experiments.ESDRealFits` of the same table.
    x
        ``"esd"`` (Figs. 9-12) or ``"params"`` (Fig. 13; log x axis; the line
        drawn is the fit against log10 of the parameter count).
    target
        ``"top1_error"`` or ``"top5_error"``.
    reduce
        ``"pick_first"`` or ``"sum_squares"`` (ignored for ``x="params"``).
    """
    from workbench.papers.esd.real_networks import esd_real_summary

    if x not in ("esd", "params"):
        raise ValueError(f"x must be 'esd' or 'params', got {x!r}")
    if target not in _TARGET_LABEL:
        raise ValueError(f"target must be one of {sorted(_TARGET_LABEL)}, got {target!r}")
    summ = esd_real_summary(table)
    if x == "esd":
        sub = summ[summ["reduce"] == reduce]
        if sub.empty:
            raise ValueError(f"no rows with reduce={reduce!r}; the table has {sorted(summ['reduce'].unique())}")
        predictor, red_key = "esd", reduce
    else:
        sub = summ.drop_duplicates("model")
        predictor, red_key = "log10_params", "none"
    ax = new_axes(ax, figsize=(6.2, 4.4))
    col = color if color is not None else ("#1f77b4" if reduce == "pick_first" or x == "params" else "#d62728")
    band = fits.bands[(fits.bands["reduce"] == red_key) & (fits.bands["predictor"] == predictor)
                      & (fits.bands["target"] == target)]
    stat = fits.stats[(fits.stats["reduce"] == red_key) & (fits.stats["predictor"] == predictor)
                      & (fits.stats["target"] == target)]
    if band.empty or stat.empty:
        raise ValueError(f"fits hold no line for ({red_key}, {predictor}, {target}); pass esd_real_fits(table)")
    bx = band["x"].to_numpy()
    if x == "params":
        bx = 10.0 ** bx
    ax.fill_between(bx, band["lo"], band["hi"], color=col, alpha=0.18, lw=0, label="one-σ bootstrap band")
    ax.plot(bx, band["fit"], color=col, lw=1.8, label="least-squares fit")
    yv = sub[target].to_numpy(float)
    if x == "esd":
        xv = sub["esd"].to_numpy(float)
        xerr = np.vstack([xv - sub["esd_min"].to_numpy(float), sub["esd_max"].to_numpy(float) - xv])
        ax.errorbar(xv, yv, xerr=xerr, fmt="o", color=col, ecolor="0.35", elinewidth=1, capsize=3, ms=5,
                    label="model (mean ESD, min-max over repeats)")
        ax.set_xlabel(f"ESD ({_REDUCE_LABEL.get(reduce, reduce)}, effective rank)")
    else:
        xv = sub["params"].to_numpy(float)
        ax.plot(xv, yv, "o", color=col, ms=5, label="model")
        ax.set_xscale("log")
        from matplotlib.ticker import NullFormatter

        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("number of parameters (log scale)")
    if label_models:
        for xi, yi, name in zip(xv, yv, sub["model"]):
            ax.annotate(name, (xi, yi), xytext=(3, 3), textcoords="offset points", fontsize=7, color="0.25")
    # a few-model bootstrap band can be huge: keep the points in view, let the band run off the axes
    lo_y, hi_y = float(np.min(yv)), float(np.max(yv))
    pad = 0.35 * max(hi_y - lo_y, 1e-9 + 0.05 * abs(hi_y))
    ax.set_ylim(lo_y - pad, hi_y + 1.4 * pad)
    s = stat.iloc[0]
    ax.text(0.98, 0.97, f"Pearson r = {s.pearson_r:.2f}, p = {s.pearson_p:.2g}\n"
            f"Spearman ρ = {s.spearman_rho:.2f}, p = {s.spearman_p:.2g}\n{int(s.n_models)} models"
            + ("; fit and r vs log10(params)" if x == "params" else ""),
            transform=ax.transAxes, ha="right", va="top", fontsize=8,
            bbox=dict(boxstyle="round", fc="white", ec="0.7", alpha=0.9))
    ax.set_ylabel(_TARGET_LABEL[target])
    ax.legend(loc="best", fontsize=7, frameon=False)
    if title is not None:
        ax.set_title(title)
    return apply_style(ax, style)


def plot_esd_real_grid(table, fits, *, reduces=("pick_first", "sum_squares"), axes=None, label_models: bool = True):
    """Figs. 9, 10 and 13 in one figure: rows = top-1 / top-5 error, columns = each reduce, then parameters.

    Returns the array of Axes (``len(targets) x (len(reduces) + 1)``).
    """
    from workbench.plots._base import new_figure

    ncols = len(reduces) + 1
    if axes is None:
        _, axes = new_figure(2, ncols, figsize=(5.0 * ncols, 8.0))
    axes = np.asarray(axes).reshape(2, ncols)
    for i, t in enumerate(("top1_error", "top5_error")):
        for j, r in enumerate(reduces):
            plot_esd_real(table, fits, x="esd", target=t, reduce=r, ax=axes[i, j], label_models=label_models,
                          title=f"{t.split('_')[0]} error vs ESD ({r})")
        plot_esd_real(table, fits, x="params", target=t, ax=axes[i, -1], label_models=label_models,
                      title=f"{t.split('_')[0]} error vs parameters")
    return axes



def plot_sampled_spectra(spectra, *, ax: Axes | None = None, normalize: bool = True, **style) -> Axes:
    """Singular values of sampled Jacobians (descending, log scale), one line per spectrum.

    Parameters
    ----------
    spectra
        ``{label: SampledSpectrum}`` (from :func:`workbench.sampled_spectrum`).
    normalize
        Divide by the largest singular value so networks of different scale compare.
    """
    from workbench.plots._base import LAYER_COLORS

    if not spectra:
        raise ValueError("no spectra to plot; pass {label: sampled_spectrum(...)}")
    ax = new_axes(ax, figsize=(6.2, 4.0))
    for i, (label, spec) in enumerate(spectra.items()):
        sv = spec.singular_values.detach().cpu().double().numpy()
        if normalize and sv.size and sv[0] > 0:
            sv = sv / sv[0]
        sv = np.where(sv > 0, sv, np.nan)
        ax.semilogy(np.arange(1, sv.size + 1), sv, "o-", ms=3, lw=1.2, color=LAYER_COLORS[i % len(LAYER_COLORS)],
                    label=f"{label}: effective rank {spec.effective_rank:.2f}")
    ax.set_xlabel("index k")
    ax.set_ylabel("s_k / s_1" if normalize else "singular value s_k")
    ax.legend(fontsize=8, frameon=False)
    return apply_style(ax, style)
