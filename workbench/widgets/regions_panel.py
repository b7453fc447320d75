"""Panels: live exact partitions of random networks, and a slice through a trained classifier."""
from __future__ import annotations

import math
import time

import ipywidgets as W

from workbench.measures.partition import partition_2d
from workbench.nets.multilayer import mlp
from workbench.papers.pl_geometry.regions import digit_slice
from workbench.plots.regions import plot_partition
from workbench.widgets._base import Panel, calibrate_power, dropdown, log_slider

__all__ = ["RegionsPanel", "PlaneSlicePanel"]

_PL = ["relu", "leaky_relu", "hardtanh", "identity", "tanh"]  # tanh shows the engine's error message


class RegionsPanel(Panel):
    """The exact linear regions of a random 2-D network; redraws when a control is released.

    Controls: width (log-spaced), depth, activation, init scale (σ_w², Gaussian
    init), seed, and "layers" (show the partition made by layers 1..k only,
    Raghu et al.'s panes).  The partition refines layer by layer: the first
    answer is the arrangement of layer 1's lines, then layers 1-2, ... (each
    step an exact partition) while those have at most ``refine_regions``
    regions; beyond, the next answer is the final partition (every coarse
    step recomputes from layer 1, so on 2-128-128-128-1 the steps of layers
    1-2 would cost more than half the final one).  Each picture costs about
    0.25 s of matplotlib whatever its size, so the coarse answers are skipped
    when the final partition should take less than ``direct_s`` seconds
    (:meth:`predicted_s`, from the last final partition of the nearest size):
    dragging the seed or σ_w² of a 2-128-128-128-1 network, or its width down,
    then shows the final picture about 0.3 s sooner.  Budget: hidden
    neurons (in 2-D random networks regions grow about as the square of the
    neuron count).
    """

    refine_regions: int = 2_000
    direct_s: float = 0.6

    title = "Exact linear regions of a random network on [-1, 1]²"
    budget = {"neurons": 256}

    def __init__(self, *, width: int = 8, depth: int = 3, activation: str = "relu", sigma_w2: float = 2.0,
                 sigma_b2: float = 0.1, seed: int = 0, layers: int = 3, color_by: str = "pattern",
                 max_regions: int = 200_000, auto: bool = True, background: bool | None = None,
                 budget: dict | None = None):
        self.sigma_b2 = sigma_b2
        self.max_regions = max_regions
        self.final_s: dict[tuple[int, int], float] = {}  # (width, layers shown) -> seconds of the last final partition
        slider = dict(continuous_update=False, style={"description_width": "initial"})
        controls = {
            "width": log_slider(width, 1, max(128, width), "width"),
            "depth": W.IntSlider(value=depth, min=1, max=8, description="depth", **slider),
            "activation": dropdown(options=_PL, value=activation, description="activation"),
            "sigma_w2": W.FloatSlider(value=sigma_w2, min=0.1, max=8.0, step=0.1, description="σ_w²", **slider),
            "seed": W.IntText(value=seed, description="seed"),
            "layers": W.IntSlider(value=layers, min=1, max=8, description="show layers up to", **slider),
            "color_by": dropdown(options=["pattern", "output", "slope", "active"], value=color_by,
                                   description="colour"),
        }
        super().__init__(controls, auto=auto, background=background, budget=budget)

    def cost(self, *, width, depth, layers, **_):
        return {"neurons": width * min(depth, layers)}

    def compute(self, *, width, depth, activation, sigma_w2, seed, layers, color_by):
        net = mlp([2] + [width] * depth + [1], activation, init="gaussian", sigma_w2=sigma_w2,
                  sigma_b2=self.sigma_b2, seed=seed)
        upto = None if layers >= depth else layers  # None: maps of the network's output
        last = depth if upto is None else upto
        key = (width, last)
        if self.predicted_s(width, last) >= self.direct_s:
            for k in range(1, last):  # coarse first answers: the partition of layers 1..k
                coarse = partition_2d(net, layers=k, max_regions=self.max_regions, progress=False)
                yield coarse
                if len(coarse) > self.refine_regions:  # each coarse step recomputes from layer 1: go to the final
                    break
        t0 = time.perf_counter()
        final = partition_2d(net, layers=upto, max_regions=self.max_regions, progress=False)
        self.final_s[key] = time.perf_counter() - t0
        yield final

    def predicted_s(self, width: int, layers: int) -> float:
        """Seconds the final partition of ``layers`` layers of ``width`` should take (``inf``: nothing to go by).

        From the last final partition of the nearest size in hidden neurons
        (``width * layers``), scaled by the square of the neuron ratio: in 2-D
        random networks the regions grow about as the square of the neurons, and
        the partition's time with the regions.
        """
        if not self.final_s:
            return math.inf
        n = width * layers
        (w0, l0), t0 = min(self.final_s.items(), key=lambda kv: (abs(kv[0][0] * kv[0][1] - n), -kv[0][0] * kv[0][1]))
        return t0 * (n / (w0 * l0)) ** 2

    calibration_neurons = 48
    """Hidden neurons of the smaller of the two partitions :meth:`estimate_seconds` times (the other has twice)."""

    def estimate_seconds(self, *, width, depth, activation, sigma_w2, seed, layers, **_) -> float:
        """Rough seconds for the final partition: partitions of the same network family with about
        :attr:`calibration_neurons` and twice as many hidden neurons, timed, give the fit ``a + b n²``
        (:func:`~workbench.widgets._base.calibrate_power`; in 2-D the regions, and the time, grow about as
        the square of the neurons ``n``), evaluated at this size.  Cached per family."""
        last = min(depth, layers)
        key = (depth, last, activation, sigma_w2, seed)
        cache = self.__dict__.setdefault("_calibration", {})
        if key not in cache:
            def timed(n):
                w = max(1, round(n / last))
                net = mlp([2] + [w] * depth + [1], activation, init="gaussian", sigma_w2=sigma_w2,
                          sigma_b2=self.sigma_b2, seed=seed)
                t0 = time.perf_counter()
                partition_2d(net, layers=None if layers >= depth else layers, max_regions=self.max_regions,
                             progress=False)
                return time.perf_counter() - t0

            cache[key] = calibrate_power(timed, max(last, self.calibration_neurons), 2)
        a, b = cache[key]
        return a + b * (width * last) ** 2

    def draw(self, result, *, width, depth, activation, sigma_w2, seed, layers, color_by):
        ax = plot_partition(result, color_by=color_by,
                            title=f"{activation}, width {width}, depth {depth}, σ_w²={sigma_w2:g}: "
                                  f"{len(result):,} regions (layers 1-{result.layers})")
        return ax.figure

    def describe(self, result, **params) -> str:
        return f"<b>{len(result):,}</b> linear regions after layers 1-{result.layers}"

    def explorer(self, **kw):
        """A :class:`workbench.widgets.PartitionExplorer` of the network now shown (click a region)."""
        from workbench.widgets.explore import PartitionExplorer

        p = self.params
        net = mlp([2] + [p["width"]] * p["depth"] + [1], p["activation"], init="gaussian", sigma_w2=p["sigma_w2"],
                  sigma_b2=self.sigma_b2, seed=p["seed"])
        return PartitionExplorer(net, **kw)


class PlaneSlicePanel(Panel):
    """The exact regions of a trained classifier on the plane through three chosen images."""

    title = "A slice through a classifier: the plane through three images"

    def __init__(self, net, data, *, indices=(0, 1, 2), color_by: str = "argmax", max_regions: int = 500_000,
                 auto: bool = True, background: bool | None = None):
        self.net, self.data, self.max_regions = net, data, max_regions
        n = len(data) - 1
        controls = {
            f"i{j}": W.BoundedIntText(value=int(v), min=0, max=n, description=f"image {j}")
            for j, v in enumerate(indices)
        }
        controls["color_by"] = dropdown(options=["argmax", "pattern", "slope", "active"], value=color_by,
                                          description="colour")
        super().__init__(controls, auto=auto, background=background)

    def compute(self, *, i0, i1, i2, color_by):
        return digit_slice(self.net, self.data, (i0, i1, i2), max_regions=self.max_regions)

    def draw(self, result, *, i0, i1, i2, color_by):
        labels = [f"#{i}: {y}" for i, y in zip(result.indices, result.labels)]
        ax = plot_partition(result.partition, color_by=color_by, anchor_labels=labels, edge_width=0.3,
                            title=f"{len(result.partition):,} regions on the plane through images {i0}, {i1}, {i2}")
        return ax.figure

    def describe(self, result, **params) -> str:
        return (f"<b>{len(result.partition):,}</b> regions; labels {result.labels}, "
                f"predicted {result.anchor_predictions}")
