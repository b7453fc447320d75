"""The atlas figure: six panels, one per measure of a :class:`workbench.measure_atlas.Atlas` (issue 30)."""
from __future__ import annotations

import re
import textwrap

import numpy as np
from matplotlib.ticker import MaxNLocator

from workbench.plots._base import new_figure

__all__ = ["plot_atlas"]

_TITLES = {"spanning dimension": "spanning dimension", "exact regions": "exact regions",
           "trajectory": "circle through the layers", "EDJM": "EDJM spectrum", "layer algebra": "layer algebra",
           "slope": "slope at the points"}


def readable(message: str) -> str:
    """A library message as figure text: ``snake_case`` and ``name=`` written as words (the figure linter's
    raw-identifier rule), ``$`` escaped (no mathtext). The exact message stays in ``Atlas.to_frame()``."""
    s = re.sub(r"\b([^\W\d]\w*)=", r"\1 =", message)
    s = re.sub(r"(?<=[A-Za-z0-9])_(?=[A-Za-z0-9])", " ", s)
    return s.replace("$", r"\$")


def _refused(ax, row) -> None:
    ax.axis("off")
    why = readable(row.why) if row is not None else "not run"
    lines = textwrap.wrap(why, 44)
    text = "\n".join(lines[:8] + (["…"] if len(lines) > 8 else []))
    ax.text(0.5, 0.5, f"{_TITLES[row.measure] if row is not None else ''}: refused\n\n{text}", ha="center",
            va="center", fontsize=10, color="#8b0000", transform=ax.transAxes, wrap=False)


def _spanning(ax, row, res) -> None:
    v = res["values"]
    k = np.arange(len(v))
    ax.plot(k, v, "o", ms=10, color="tab:blue")
    ax.axhline(v.mean(), color="tab:blue", lw=1.5, ls="--")
    ax.set_xticks(k, ["own" if i == 0 else f"init {i}" for i in k])
    ax.set_xlabel("initialisation")
    ax.set_ylabel("spanning dimension")
    bound = min(res["n"], res["P"])
    top = max(float(v.max()) * 1.25, 1.0)
    ax.set_ylim(0, top)
    ax.set_title(f"spanning dimension {v.mean():.1f} (at most {bound})")


def _regions(ax, row, part, X) -> None:
    from workbench.plots.regions import plot_partition

    plot_partition(part, ax, colorbar=False, legend=False, edge_width=0.6, title=f"{len(part):,} exact regions")
    if part.anchors is None and X is not None and X.dim() == 2 and X.shape[1] == 2:
        x = X.detach().cpu().numpy()
        ax.plot(x[:, 0], x[:, 1], ".", color="black", ms=3)


def _trajectory(ax, row, res) -> None:
    L = res["lengths"]
    trans = res["transitions"]
    if L is not None:
        ax.semilogy(np.arange(len(L)), L, "o-", color="tab:purple", lw=2)
        ax.set_xticks(np.arange(len(L)), ["in", *[str(i) for i in range(1, len(L) - 1)], "out"])
        ax.set_xlabel("layer")
        ax.set_ylabel("circle length")
    else:
        ax.axis("off")
        why = "\n".join(textwrap.wrap(readable(row.why), 44)[:8])
        ax.text(0.5, 0.5, why, ha="center", va="center", fontsize=10, transform=ax.transAxes)
    ax.set_title(f"{int(trans.total):,} exact transitions" if trans is not None else "lengths (transitions refused)")


def _edjm(ax, row, r) -> None:
    s = r.mean_normalized.detach().cpu().double().numpy()
    k = np.arange(1, len(s) + 1)
    ax.plot(k, s, "o-" if len(s) <= 20 else "-", color="tab:green", lw=2)
    ax.set_xlabel("component")
    ax.set_ylabel("σ / σ₁ (mean over outputs)")
    ax.set_ylim(0, 1.05)
    if len(s) <= 10:
        ax.set_xticks(k)
    ax.set_title(f"EDJM score {r.score:.3g} (at most {r.max_score})")


def _layer_algebra(ax, row, r) -> None:
    f = r.frame[~r.frame["kind"].isin(["neutral", "input"])]
    k = np.arange(1, len(f) + 1)
    ax.plot(k, f["log10_cumulative_power"].values, "o-", color="tab:orange", lw=2, label="power")
    ax.plot(k, f["log10_cumulative_complexity"].values, "s-", color="tab:red", lw=2, label="complexity")
    ax.set_xlabel("operation")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("log10 cumulative value")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=10, frameon=False)
    ax.set_title(f"GCIP 10^{r.log10_gcip:.2f}, GCC 10^{r.log10_gcc:.2f}")


def _slope(ax, row, s) -> None:
    ax.hist(s, bins=min(30, max(5, len(s) // 4)), color="tab:gray", edgecolor="white")
    ax.axvline(float(np.median(s)), color="black", lw=2, ls="--")
    ax.set_xlabel("slope ‖W_R‖₂")
    ax.set_ylabel("points")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="x", pad=8)  # the first x and y tick labels meet at the corner otherwise
    ax.set_title(f"median slope {np.median(s):.3g}")


def plot_atlas(atlas, fig=None, *, title: str | None = None, X=None):
    """Six panels in a 2 x 3 grid, one per measure; a refused measure shows why. Returns the Figure.

    ``fig``: draw into this figure (its axes are replaced); ``title``: the suptitle (default: the network);
    ``X``: 2-D points drawn on the regions panel (default: the atlas's own points).
    """
    from workbench.measure_atlas import MEASURES

    X = getattr(atlas, "points", None) if X is None else X

    if fig is None:
        fig, axes = new_figure(2, 3, figsize=(16, 9.5))
    else:
        fig.clear()
        axes = fig.subplots(2, 3)
    draw = {"spanning dimension": _spanning, "trajectory": _trajectory, "EDJM": _edjm,
            "layer algebra": _layer_algebra, "slope": _slope}
    rows = {r.measure: r for r in atlas.rows}
    for ax, name in zip(np.ravel(axes), MEASURES):
        row, res = rows.get(name), atlas.results.get(name)
        if row is None or res is None:
            if row is None:
                ax.axis("off")
                ax.text(0.5, 0.5, f"{_TITLES[name]}: not run", ha="center", va="center", fontsize=11,
                        transform=ax.transAxes)
            else:
                _refused(ax, row)
        elif name == "exact regions":
            _regions(ax, row, res, X)
        else:
            draw[name](ax, row, res)
    fig.suptitle(title if title is not None else f"Atlas of {atlas.config.get('network', 'a network')}",
                 fontsize=16)
    return fig
