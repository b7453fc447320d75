"""Panel: the atlas of one network (six measures side by side) from an architecture, a width, a depth and an
activation (issue 30)."""
from __future__ import annotations

import html

import ipywidgets as W

from workbench.measure_atlas import ARCHITECTURES, MEASURES, Atlas, atlas, atlas_example
from workbench.measures.spanning import count_parameters
from workbench.widgets._base import Panel, dropdown

__all__ = ["AtlasPanel", "ATLAS_ACTIVATIONS"]

ATLAS_ACTIVATIONS = ("relu", "leaky_relu", "hardtanh", "tanh")
"""The activations the panel offers: three piecewise-linear ones and tanh (the exact measures refuse it)."""


class AtlasPanel(Panel):
    """Six measures of one network (:func:`workbench.atlas`) on one figure.

    Controls: ``architecture`` (:data:`workbench.measure_atlas.ARCHITECTURES`: plain MLP, add-shortcuts MLP,
    ResNet-style block stack, small conv net), ``width`` (units per layer, or channels of the conv net),
    ``depth`` (hidden layers, residual blocks or convolutions), ``activation``. The dense networks see 128
    two-moons points, the conv net 128 digits (:func:`workbench.measure_atlas.atlas_example`). The figure fills
    in measure by measure (the first answer is the fastest measures); a measure that cannot take the network
    shows why in its panel and in the table above it.
    """

    title = "Atlas: six measures of one network side by side"
    budget = {"parameters": 40_000}
    refine_interval = 0.5

    def __init__(self, *, architecture: str = "plain MLP", width: int = 16, depth: int = 3,
                 activation: str = "relu", n: int = 128, inits: int = 3, seed: int = 0, auto: bool = True):
        self.n, self.inits, self.seed = int(n), int(inits), int(seed)
        slider = dict(continuous_update=False, style={"description_width": "initial"})
        controls = {
            "architecture": dropdown(options=list(ARCHITECTURES), value=architecture, description="architecture"),
            "width": W.IntSlider(value=width, min=1, max=64, description="width", **slider),
            "depth": W.IntSlider(value=depth, min=1, max=6, description="depth", **slider),
            "activation": dropdown(options=list(ATLAS_ACTIVATIONS), value=activation, description="activation"),
        }
        super().__init__(controls, auto=auto)

    def network(self, *, architecture, width, depth, activation):
        """``(net, X)`` for these control values."""
        return atlas_example(architecture, width=int(width), depth=int(depth), activation=activation, n=self.n,
                             seed=self.seed)

    def cost(self, **params) -> dict[str, float]:
        net, _ = self.network(**params)
        return {"parameters": count_parameters(net)}

    def compute(self, **params):
        net, X = self.network(**params)
        order = ("layer algebra", "trajectory", "EDJM", "slope", "exact regions", "spanning dimension")
        rows, results, config = {}, {}, {}
        for name in order:  # fastest first: a first answer at once, the spanning dimension last
            a = atlas(net, X, measures=(name,), inits=self.inits, seed=self.seed, progress=False,
                      name=f"{params['architecture']}, width {params['width']}, depth {params['depth']}, "
                           f"{params['activation']}")
            rows[name], results[name], config = a.rows[0], a.results[name], a.config
            yield Atlas(tuple(rows[m] for m in MEASURES if m in rows), dict(results), config, a.points)

    def draw(self, result, **params):
        return result.plot()

    def describe(self, result, **params) -> str:
        cells = []
        for r in result.rows:
            colour = {"ok": "#006400", "partial": "#b35900", "refused": "#8b0000"}[r.status]
            text = r.summary if r.status == "ok" else (r.summary + "; " if r.status == "partial" else "") + r.why
            cells.append(f"<tr><td><b>{html.escape(r.measure)}</b></td><td style='color:{colour}'>{r.status}</td>"
                         f"<td>{html.escape(text[:220])}</td></tr>")
        done = len(result.rows)
        head = f"{result.config.get('parameters', 0):,} parameters; {done} of {len(MEASURES)} measures done"
        return f"{head}<table style='font-size:90%'>{''.join(cells)}</table>"
