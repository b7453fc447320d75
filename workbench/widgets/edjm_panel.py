"""Panels: train a network and overlay its EDJM spectrum; a 2-D toy net's regions beside its EDJM (Wang et al. 2016)."""
from __future__ import annotations

from collections import OrderedDict

import ipywidgets as W
import numpy as np

from workbench._runtime import DeviceLike
from workbench.measures.edjm import edjm
from workbench.papers.edjm.recipes import EDJMConfig, ModelSpec, edjm_data, toy_regions, train_model
from workbench.plots import new_figure
from workbench.plots.edjm import plot_edjm_per_output, plot_edjm_spectra
from workbench.plots.regions import plot_partition
from workbench.widgets._base import Panel, dropdown

__all__ = ["EDJMPanel", "EDJMRegionsPanel"]

_ACTS = ["relu", "leaky_relu", "tanh", "sigmoid", "softplus"]


class EDJMPanel(Panel):
    """Train (or take from the in-memory cache) a feed-forward net and overlay its normalised EDJM spectrum.

    Controls: depth, width, activation, dropout, epochs, seed, output (logits /
    softmax), log-x, the paper's 0.25 y-limit, and "overlay" (keep the curves of
    earlier settings, up to ``max_curves``; the *clear* button forgets them).
    The legend gives each curve's validation accuracy and score; smooth
    activations are marked "(Jacobian)" since their DJMs are not exact maps.
    """

    title = "EDJM spectrum of a trained network (Wang et al. 2016)"

    def __init__(self, data=None, *, config: EDJMConfig | None = None, depth: int = 2, width: int = 64,
                 activation: str = "relu", dropout: float = 0.0, epochs: int | None = None, seed: int = 0,
                 max_curves: int = 6, device: DeviceLike = None, auto: bool = True):
        self.data = data if data is not None else edjm_data("mnist")
        self.config = config or EDJMConfig.smoke()
        self.device = device
        self.max_curves = max_curves
        self.curves: OrderedDict[str, dict] = OrderedDict()
        slider = dict(continuous_update=False, style={"description_width": "initial"})
        controls = {
            "depth": W.IntSlider(value=depth, min=1, max=6, description="hidden layers", **slider),
            "width": W.IntSlider(value=width, min=4, max=1024, step=4, description="width", **slider),
            "activation": dropdown(options=_ACTS, value=activation, description="activation"),
            "dropout": W.FloatSlider(value=dropout, min=0.0, max=0.8, step=0.1, description="dropout", **slider),
            "epochs": W.IntSlider(value=epochs or self.config.epochs, min=0, max=200, description="epochs", **slider),
            "seed": W.IntText(value=seed, description="seed"),
            "output": dropdown(options=["logits", "softmax"], value="logits", description="output"),
            "log_x": W.Checkbox(value=False, description="log x"),
            "paper_ylim": W.Checkbox(value=True, description="y up to 0.25 (paper)"),
            "overlay": W.Checkbox(value=True, description="overlay"),
        }
        self.clear_button = W.Button(description="clear curves")
        self.clear_button.on_click(lambda _b: self.clear())
        super().__init__(controls, auto=auto)
        self.widget.children = (*self.widget.children[:-3], self.clear_button, *self.widget.children[-3:])

    def clear(self) -> None:
        """Forget the overlaid curves (the trained networks stay cached) and redraw."""
        self.curves.clear()
        self.refresh()

    def compute(self, *, depth, width, activation, dropout, epochs, seed, output, log_x, paper_ylim, overlay):
        spec = ModelSpec(f"{depth} x {width} {activation}" + (f" dropout {dropout:g}" if dropout else ""),
                         hidden=(width,) * depth, activation=activation, dropout=float(dropout))
        cfg = self.config.fit_config().but(epochs=epochs, eval_every=max(1, epochs))
        self.status.value = f"<i>training {spec.label} …</i>"
        m = train_model(spec, self.data, cfg, seed=seed, device=self.device)
        r = edjm(m.net, self.data.val.X, output=output, device=self.device)
        label = f"{spec.label}, {epochs} ep, seed {seed}, {output}" + ("" if r.exact else " (Jacobian)")
        if not overlay:
            self.curves.clear()
        self.curves[label] = dict(result=r, acc=m.val_acc, cached=m.cached)
        self.curves.move_to_end(label)
        while len(self.curves) > self.max_curves:
            self.curves.popitem(last=False)
        return dict(label=label, result=r, acc=m.val_acc, cached=m.cached)

    def draw(self, result, *, log_x, paper_ylim, **_):
        fig, ax = new_figure(1, 1, figsize=(8.0, 4.4 + 0.35 * len(self.curves)))  # a legend row per curve
        res = {f"{k} [score {v['result'].score:.2f}]": v["result"] for k, v in self.curves.items()}
        accs = {f"{k} [score {v['result'].score:.2f}]": v["acc"] for k, v in self.curves.items()}
        plot_edjm_spectra(res, ax, log_x=log_x, ylim=0.25 if paper_ylim else None, accuracies=accs,
                          title=f"normalised EDJM spectra on {self.data.name} ({len(self.data.val)} validation inputs)")
        return fig

    def describe(self, result, **params) -> str:
        r = result["result"]
        src = "from the cache" if result["cached"] else "trained now"
        return (f"{result['label']}: score <b>{r.score:.3f}</b> (max {r.max_score}), validation accuracy "
                f"{100 * result['acc']:.1f}% ({src}); {r.note}")


class EDJMRegionsPanel(Panel):
    """The distinct local linear maps of a 2-D toy net as coloured regions, beside its EDJM spectrum.

    Left: :func:`workbench.partition_2d` of the trained ``2 -> width^depth -> 2``
    ReLU net on the two-moons data (one colour per region, that is per distinct
    local linear map), data points on top.  Right: the normalised singular
    values of its two EDJMs (``n x 2``: two per output) and the count of
    distinct DJMs the data visit against the number of regions and ``2^H``.
    """

    title = "Regions of a 2-D ReLU net and its EDJM"

    def __init__(self, *, width: int = 8, depth: int = 2, epochs: int = 60, seed: int = 0, n: int = 300,
                 device: DeviceLike = None, auto: bool = True):
        self.n, self.device = n, device
        self.cache: dict = {}
        slider = dict(continuous_update=False, style={"description_width": "initial"})
        controls = {
            "width": W.IntSlider(value=width, min=1, max=32, description="width", **slider),
            "depth": W.IntSlider(value=depth, min=1, max=4, description="hidden layers", **slider),
            "epochs": W.IntSlider(value=epochs, min=0, max=300, description="epochs", **slider),
            "seed": W.IntText(value=seed, description="seed"),
        }
        super().__init__(controls, auto=auto)

    def compute(self, *, width, depth, epochs, seed):
        key = (width, depth, epochs, seed, self.n)
        if key not in self.cache:
            self.cache[key] = toy_regions(width, depth, epochs=epochs, n=self.n, seed=seed, device=self.device)
        return self.cache[key]

    def draw(self, result, *, width, depth, epochs, seed):
        fig, (a, b) = new_figure(1, 2, figsize=(10.0, 4.4))
        plot_partition(result.partition, a, color_by="pattern", edge_width=0.4, legend=False,
                       title=f"{len(result.partition):,} regions = distinct local linear maps on [-1, 1]²")
        X, y = result.data.X.numpy(), result.data.y.numpy()
        a.scatter(X[:, 0], X[:, 1], c=np.where(y == 1, "black", "white"), edgecolors="black", s=9, lw=0.5)
        plot_edjm_per_output(result.edjm, b, title=f"EDJM ({result.edjm.n} x 2 per output): score "
                                                    f"{result.edjm.score:.2f}")
        c = result.count
        b.text(0.98, 0.04, f"distinct DJMs on the data: {c.distinct_matrices}\nregions in the square: "
               f"{len(result.partition)}\nbound min(n, 2^H) = {c.bound} (H = {c.hidden_units})",
               transform=b.transAxes, ha="right", va="bottom", fontsize=8,
               bbox=dict(boxstyle="round", fc="white", alpha=0.85))
        return fig

    def describe(self, result, **params) -> str:
        c = result.count
        return (f"{len(result.partition):,} regions; the {c.n} data points visit <b>{c.distinct_matrices}</b> "
                f"distinct DJMs ({c.distinct_patterns} patterns; bound min(n, 2^{c.hidden_units}) = {c.bound}); "
                f"training accuracy {100 * result.train_acc:.1f}%")
