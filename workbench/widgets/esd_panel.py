"""Panel: the spanning-dimension distribution of an MLP (ESD paper Figs. 1, 2, 5), swept live."""
from __future__ import annotations

import ipywidgets as W

from .._runtime import DeviceLike
from ..experiments.esd import INPUTS, esd
from ..nets.mlp import ACTIVATIONS
from ..plots.esd import plot_sd_distribution
from ._base import Panel

__all__ = ["ESDPanel"]

_SHORTCUT_OPTIONS = [("plain MLP", None), ("add-shortcuts", "add-shortcuts"), ("add-inputs", "add-inputs")]


class ESDPanel(Panel):
    """Histogram of spanning dimensions with the ESD marked, for ``[n_in] + [width] * depth + [1]``.

    Controls: inputs, width, depth, activation, shortcut mode, input
    distribution, samples, seed.  Sliders recompute on release
    (``continuous_update=False``); the status line shows progress
    (samples done) while the ESD is computed, then the ESD and timing.
    """

    title = "Expected spanning dimension: SD distribution over random weights and inputs"

    def __init__(self, *, n_in: int = 1, width: int = 8, depth: int = 3, activation: str = "relu",
                 shortcuts: str | None = None, inputs: str = "uniform", samples: int = 100, seed: int = 0,
                 n_points: int | None = None, device: DeviceLike = None, auto: bool = True):
        self.n_points = n_points
        self.device = device
        slider = dict(continuous_update=False, style={"description_width": "initial"})
        controls = {
            "n_in": W.IntSlider(value=n_in, min=1, max=16, description="inputs", **slider),
            "width": W.IntSlider(value=width, min=1, max=64, description="width", **slider),
            "depth": W.IntSlider(value=depth, min=1, max=8, description="hidden layers", **slider),
            "activation": W.Dropdown(options=list(ACTIVATIONS), value=activation, description="activation"),
            "shortcuts": W.Dropdown(options=_SHORTCUT_OPTIONS, value=shortcuts, description="shortcuts"),
            "inputs": W.Dropdown(options=list(INPUTS), value=inputs, description="input dist."),
            "samples": W.IntSlider(value=samples, min=2, max=1000, step=1, description="samples", **slider),
            "seed": W.IntText(value=seed, description="seed"),
        }
        super().__init__(controls, auto=auto)

    def widths(self, n_in: int, width: int, depth: int) -> list[int]:
        """The architecture the controls describe."""
        return [n_in] + [width] * depth + [1]

    def compute(self, *, n_in, width, depth, activation, shortcuts, inputs, samples, seed):
        def tick(done, total):
            self.status.value = f"<i>computing… {done}/{total} samples</i>"

        return esd(self.widths(n_in, width, depth), activation, shortcuts=shortcuts, samples=samples,
                   n_points=self.n_points, inputs=inputs, seed=seed, device=self.device, on_progress=tick)

    def draw(self, result, *, n_in, width, depth, activation, shortcuts, inputs, samples, seed):
        ws = "-".join(str(w) for w in self.widths(n_in, width, depth))
        ax = plot_sd_distribution(result, title=f"MLP {ws}, {activation}, {shortcuts or 'plain'}, {inputs} inputs")
        return ax.figure

    def describe(self, result, **params) -> str:
        return (f"ESD = {result.mean:.3f} ± {result.sem:.3f} (std {result.std:.3f}) over {len(result.values)} "
                f"samples; {result.n_params} parameters, {result.config['n_points']} points per sample; "
                f"{result.seconds:.2f} s")
