"""Plots for the ESD of real-world networks (ESD paper §6, Figs. 9-13).

* :func:`plot_esd_real`: top-1 or top-5 error against the ESD (error bars: the
  min-max range over repeats), coloured by family, the least-squares line with its one-sigma
  bootstrap band, and Pearson's r and p in the legend (Figs. 9-12).
* the same against the parameter count on a log axis (``x="params"``, Fig. 13).

They draw results of :func:`workbench.experiments.esd_real_networks` and
:func:`workbench.experiments.esd_real_fits`; they compute no measure.
"""
from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from workbench.plots._base import apply_style, new_axes

__all__ = ["plot_esd_real", "plot_esd_real_grid", "plot_sampled_spectra", "thin_model_labels"]

_TARGET_LABEL = {"top1_error": "top-1 error (%)", "top5_error": "top-5 error (%)"}
_REDUCE_LABEL = {"pick_first": "first output", "sum_squares": "sum of squared outputs"}
"""How the reduces read in labels: the paper's pick_first g = f_1 and sum_squares g = sum_i f_i^2 (§6)."""
_LABEL_GID = "workbench-model-label"
_LABEL_PLACES = (((4, 4), "left"), ((-4, 4), "right"), ((4, -14), "left"), ((-4, -14), "right"))


def _family_colors(families) -> dict:
    import seaborn as sns

    fams = sorted(set(families))
    return dict(zip(fams, sns.color_palette("colorblind", len(fams))))


def thin_model_labels(obj) -> None:
    """Hide the model names (of :func:`plot_esd_real`) that overlap a name kept before them or leave their axes.

    Names are kept in the order they were drawn (the extreme errors first).  Call it again on the figure after
    adding panels or changing the layout: every name is considered afresh.
    """
    from workbench.plots.lint import _as_figure

    fig = _as_figure(obj)
    fig.draw_without_rendering()
    r = fig._get_renderer()
    for ax in fig.axes:
        texts = [t for t in ax.texts if t.get_gid() == _LABEL_GID]
        for t in texts:
            t.set_visible(True)
        box = ax.get_window_extent(r)
        kept = []
        for t in texts:
            for xy, ha in _LABEL_PLACES:  # right above the point, else left above, right below, left below
                t.set_position(xy)
                t.set_horizontalalignment(ha)
                bb = t.get_window_extent(r).expanded(1.04, 1.1)
                if not (bb.x0 < box.x0 or bb.x1 > box.x1 or bb.y0 < box.y0 or bb.y1 > box.y1
                        or any(bb.overlaps(k) for k in kept)):
                    kept.append(bb)
                    break
            else:
                t.set_position(_LABEL_PLACES[0][0])
                t.set_horizontalalignment(_LABEL_PLACES[0][1])
                t.set_visible(False)


def plot_esd_real(
    table,
    fits,
    *,
    x: str = "esd",
    target: str = "top1_error",
    reduce: str = "sum_squares",
    ax: Axes | None = None,
    label_models: bool = True,
    family_legend: bool = True,
    paper: str | None = None,
    color=None,
    title: str | None = None,
    **style,
) -> Axes:
    """Scatter of ImageNet error against the ESD (or the parameter count) with the fit and its band.

    Models are coloured by family (a family legend right of the axes); model names are written where they do
    not collide (the others are left out: the family colour and the table say which is which).  After putting
    several panels on one figure, call :func:`thin_model_labels` on it (the layout moved the names).  The fit's
    Pearson / Spearman statistics and, when given, the paper's numbers (``paper``, a short text marked as the
    paper's) are in the legend above the axes.

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
    family_legend
        Draw the family legend (off when a figure shows one for all panels, see :func:`plot_esd_real_grid`).
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
    ax = new_axes(ax, figsize=(7.4, 4.8))
    col = color if color is not None else "0.2"
    band = fits.bands[(fits.bands["reduce"] == red_key) & (fits.bands["predictor"] == predictor)
                      & (fits.bands["target"] == target)]
    stat = fits.stats[(fits.stats["reduce"] == red_key) & (fits.stats["predictor"] == predictor)
                      & (fits.stats["target"] == target)]
    if band.empty or stat.empty:
        raise ValueError(f"fits hold no line for ({red_key}, {predictor}, {target}); pass esd_real_fits(table)")
    s = stat.iloc[0]
    bx = band["x"].to_numpy()
    if x == "params":
        bx = 10.0 ** bx
    ax.fill_between(bx, band["lo"], band["hi"], color=col, alpha=0.12, lw=0, label="one-σ bootstrap band")
    ax.plot(bx, band["fit"], color=col, lw=1.8,
            label=f"least squares (ours{', vs log10 parameters' if x == 'params' else ''}): "
                  f"r = {s.pearson_r:.2f}, p = {s.pearson_p:.2g}\nSpearman ρ = {s.spearman_rho:.2f}, "
                  f"p = {s.spearman_p:.2g}; {int(s.n_models)} models")
    if paper:
        ax.plot([], [], ls="none", label=f"paper: {paper}")
    colors = _family_colors(summ["family"])
    yv = sub[target].to_numpy(float)
    xv = sub["esd" if x == "esd" else "params"].to_numpy(float)
    for fam, g in sub.groupby("family", sort=True):
        gx = g["esd" if x == "esd" else "params"].to_numpy(float)
        gy = g[target].to_numpy(float)
        if x == "esd":
            xerr = np.vstack([gx - g["esd_min"].to_numpy(float), g["esd_max"].to_numpy(float) - gx])
            ax.errorbar(gx, gy, xerr=xerr, fmt="o", color=colors[fam], ecolor=colors[fam], elinewidth=1.2,
                        capsize=3, ms=6, alpha=0.9)
        else:
            ax.plot(gx, gy, "o", color=colors[fam], ms=6)
    if x == "esd":
        ax.set_xlabel(f"ESD, {_REDUCE_LABEL.get(reduce, reduce)} (bars: min-max over repeats)")
    else:
        ax.set_xscale("log")
        if np.log10(xv.max() / xv.min()) > 1.5:  # several decades: label the powers of ten only
            from matplotlib.ticker import NullFormatter

            ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("number of parameters (log scale)")
    # a few-model bootstrap band can be huge: keep the points in view, let the band run off the axes
    lo_y, hi_y = float(np.min(yv)), float(np.max(yv))
    pad = 0.25 * max(hi_y - lo_y, 1e-9 + 0.05 * abs(hi_y))
    ax.set_ylim(lo_y - pad, hi_y + pad)
    ax.set_ylabel(_TARGET_LABEL[target])
    leg = ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), frameon=False, borderaxespad=0.2)
    if family_legend:
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], marker="o", ls="none", color=colors[f], ms=7) for f in colors]
        ax.add_artist(leg)
        ax.legend(handles, list(colors), title="family", loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  frameon=False, borderaxespad=0.0)
    if title is not None:
        ax.set_title(title, pad=8 + 21 * sum(t.get_text().count("\n") + 1 for t in leg.get_texts()))
    if label_models:
        order = np.argsort(-np.abs(yv - np.median(yv)))  # the extremes first: they are the ones asked about
        for i in order:
            ax.annotate(sub["model"].iloc[i], (xv[i], yv[i]), xytext=(4, 4), textcoords="offset points",
                        color="0.25", annotation_clip=True, gid=_LABEL_GID)
        thin_model_labels(ax)
    return apply_style(ax, style)


def plot_esd_real_grid(table, fits, *, reduces=("pick_first", "sum_squares"), axes=None, label_models: bool = True,
                       paper: dict | None = None, params: bool = True):
    """Figs. 9, 10 and 13 in one figure: rows = top-1 / top-5 error, columns = each reduce, then parameters.

    ``paper``: ``{(target, reduce or "params"): text}``, the paper's numbers for a panel (see
    :func:`plot_esd_real`).  One family legend for the figure, right of the last column.  ``params=False``
    leaves out the parameter column (Figs. 9-10 alone: wider panels; draw Fig. 13 as a figure of its own).
    Returns the array of Axes (``len(targets) x (len(reduces) + 1)``); with more than two such columns the
    figure shows them as rows (top-1 on the left, top-5 on the right), so each panel keeps its width.
    """
    from workbench.plots._base import new_figure

    paper = paper or {}
    ncols = len(reduces) + int(params)
    transposed = axes is None and ncols > 2
    if transposed:  # a row per column of the result: each panel keeps a legible width
        _, axes = new_figure(ncols, 2, figsize=(2 * 7.0 + 1.6, 5.4 * ncols))
        axes = np.asarray(axes).T
    elif axes is None:
        _, axes = new_figure(2, ncols, figsize=(7.0 * ncols + 1.6, 10.5))
    axes = np.asarray(axes).reshape(2, ncols)
    legend_at = (1, 0) if transposed else (0, ncols - 1)  # the family legend: right of the top-right panel
    fig_no = {"top1_error": 9, "top5_error": 10}
    for i, t in enumerate(("top1_error", "top5_error")):
        for j, r in enumerate(reduces):
            plot_esd_real(table, fits, x="esd", target=t, reduce=r, ax=axes[i, j], label_models=label_models,
                          family_legend=(i, j) == legend_at, paper=paper.get((t, r)),
                          title=f"Fig. {fig_no[t]}: {_TARGET_LABEL[t].split(' (')[0]} vs ESD, "
                                f"{_REDUCE_LABEL.get(r, r)}")
        if params:
            plot_esd_real(table, fits, x="params", target=t, ax=axes[i, -1], label_models=label_models,
                          family_legend=(i, ncols - 1) == legend_at, paper=paper.get((t, "params")),
                          title=f"Fig. 13: {_TARGET_LABEL[t].split(' (')[0]} vs parameters")
    if label_models:
        thin_model_labels(axes.flat[0])
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
                    label=f"{_REDUCE_LABEL.get(label, label)}: effective rank {spec.effective_rank:.2f}")
    ax.set_xlabel("index $k$")
    ax.set_ylabel("$s_k / s_1$" if normalize else "singular value $s_k$")
    ax.legend(fontsize=8, frameon=False)
    return apply_style(ax, style)
