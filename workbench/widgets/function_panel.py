"""Panel: the 1-D function of random networks, with width / depth / activation / init scale."""
from __future__ import annotations

import ipywidgets as W

from workbench.experiments.functions import FunctionConfig, function_1d
from workbench.nets.multilayer import ACTIVATIONS
from workbench.plots import plot_function_1d
from workbench.widgets._base import Panel, dropdown, log_slider

__all__ = ["FunctionPanel"]


class FunctionPanel(Panel):
    """x -> f(x) for a few random networks; redraws when a control is released."""

    title = "A random network's function f: R -> R"

    def __init__(self, *, width: int = 16, depth: int = 3, activation: str = "relu", sigma_w2: float = 2.0,
                 n_seeds: int = 4, n_points: int = 801, seed: int = 0, auto: bool = True,
                 background: bool | None = None):
        self.n_points = n_points
        slider = dict(continuous_update=False, style={"description_width": "initial"})
        controls = {
            "width": log_slider(width, 1, max(256, width), "width"),
            "depth": W.IntSlider(value=depth, min=1, max=20, description="depth", **slider),
            "activation": dropdown(options=[a for a in ACTIVATIONS if a != "square"], value=activation,
                                     description="activation"),
            "sigma_w2": W.FloatSlider(value=sigma_w2, min=0.1, max=8.0, step=0.1, description="σ_w²", **slider),
            "n_seeds": W.IntSlider(value=n_seeds, min=1, max=12, description="networks", **slider),
            "seed": W.IntText(value=seed, description="seed"),
        }
        super().__init__(controls, auto=auto, background=background)

    def compute(self, *, width, depth, activation, sigma_w2, n_seeds, seed):
        cfg = FunctionConfig(width=width, depth=depth, activation=activation, init="gaussian", sigma_w2=sigma_w2)
        return function_1d(cfg, n_seeds=n_seeds, n_points=self.n_points, seed=seed)

    def draw(self, result, *, width, depth, activation, sigma_w2, n_seeds, seed):
        ax = plot_function_1d(result, title=f"{activation}, depth {depth}, width {width}, σ_w²={sigma_w2:g}")
        return ax.figure

    def describe(self, result, **params) -> str:
        return f"{result['seed'].nunique()} networks × {self.n_points} points"
