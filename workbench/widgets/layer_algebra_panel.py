"""Panel: the layer algebra of a zoo classifier or of a small CNN / ResNet built from sliders."""
from __future__ import annotations

import html

import ipywidgets as W

from workbench.measures.layer_algebra.graph import layer_algebra
from workbench.nets.layer_nets import small_cnn
from workbench.nets.zoo_meta import zoo_input_shape, zoo_meta_model
from workbench.plots._base import new_figure
from workbench.plots.layer_algebra import LAYER_VALUES, plot_cumulative_curves, plot_layer_graph
from workbench.widgets._base import Panel, dropdown

__all__ = ["LayerAlgebraPanel"]

SMALL = "small CNN / ResNet (sliders)"
SLIDERS = ("depth", "width", "kernel", "stride", "shortcuts", "size")
"""The controls that describe the small network: they do nothing while a zoo model is selected."""


class LayerAlgebraPanel(Panel):
    """The data-flow graph coloured by a local or cumulative value, and the cumulative curves.

    Controls: ``model`` (a zoo classifier, or the small network the sliders
    describe: :func:`workbench.small_cnn`), ``depth`` (residual units),
    ``width`` (channels), ``kernel``, ``stride`` (of the stem), ``shortcuts``
    (on: a small ResNet, off: a PlainNet), ``size`` (input height = width),
    ``color`` (what the nodes show).  Zoo models are measured at their
    evaluation crop; the sliders and the shortcuts box then do
    not apply and are disabled (with a hint in the status line).  Nothing allocates weights.
    """

    title = "Layer algebra (Badias & Banerjee): intrinsic power and complexity of an architecture"

    def __init__(self, *, model: str = SMALL, depth: int = 2, width: int = 8, kernel: int = 3, stride: int = 1,
                 shortcuts: bool = True, size: int = 32, color: str = "cumulative_power",
                 models: tuple = ("resnet18", "resnet34", "resnet50", "vgg11", "mobilenet_v2", "densenet121",
                                  "squeezenet1_1", "googlenet", "alexnet"), auto: bool = True):
        slider = dict(continuous_update=False, style={"description_width": "initial"})
        controls = {
            "model": dropdown(options=[SMALL, *models], value=model, description="model"),
            "depth": W.IntSlider(value=depth, min=0, max=16, description="units", **slider),
            "width": W.IntSlider(value=width, min=1, max=128, description="width", **slider),
            "kernel": W.IntSlider(value=kernel, min=1, max=7, step=2, description="kernel", **slider),
            "stride": W.IntSlider(value=stride, min=1, max=4, description="stride", **slider),
            "shortcuts": W.Checkbox(value=shortcuts, description="shortcuts"),
            "size": W.IntSlider(value=size, min=8, max=224, step=8, description="input size", **slider),
            "color": dropdown(options=list(LAYER_VALUES), value=color, description="colour by"),
        }
        # observed before Panel.__init__ registers the redraw: the sliders are disabled before the new picture
        controls["model"].observe(lambda _ch: self._enable_sliders(), names="value")
        self.controls = controls
        self._enable_sliders()
        super().__init__(controls, auto=auto)

    def _enable_sliders(self) -> None:
        """The network sliders act on the small CNN only: disabled, with a tooltip saying so, for a zoo model."""
        model = self.controls["model"].value
        zoo = model != SMALL
        for name in SLIDERS:
            c = self.controls[name]
            c.disabled = zoo
            c.tooltip = (f"applies to the {SMALL!r} network only; {model} is measured as published, at its "
                         "evaluation crop" if zoo else None)

    def compute(self, *, model, depth, width, kernel, stride, shortcuts, size, color):
        if model == SMALL:
            net = small_cnn(depth, width, kernel, stride, shortcuts=shortcuts, device="meta")
            return layer_algebra(net, (3, size, size))
        return layer_algebra(zoo_meta_model(model), zoo_input_shape(model))

    def draw(self, result, *, model, color, **params):
        import numpy as np
        import pandas as pd

        fig, axes = new_figure(1, 2, figsize=(13, 3.8), width_ratios=(2.2, 1))
        plot_layer_graph(result, color, ax=axes[0])
        f = result.frame[~result.frame["kind"].isin(["neutral"])]
        curves = pd.DataFrame(dict(series="power", layer=np.arange(len(f)),
                                   log10_cumulative_power=f["log10_cumulative_power"].values,
                                   log10_cumulative_complexity=f["log10_cumulative_complexity"].values))
        ax = plot_cumulative_curves(curves, "power", ax=axes[1], by=("series",), title="cumulative values")
        ax.plot(curves["layer"], curves["log10_cumulative_complexity"], color="tab:red", label="complexity")
        ax.set_ylabel("log10 cumulative value")
        ax.legend(fontsize=8)
        return fig

    def describe(self, result, *, model, **params) -> str:
        hint = ("" if model == SMALL else
                f"<br><i>{html.escape(model)} is measured as published, at its evaluation crop: the units, width, "
                "kernel, stride, shortcuts and input size controls apply to the small network only (disabled; "
                f"choose {html.escape(SMALL)!s} to use them).</i>")
        return (f"GCIP = 10^{result.log10_gcip:.3f}, GCC = 10^{result.log10_gcc:.3f}, GSC = {result.gsc:.4g}, "
                f"GWC = 10^{result.log10_gwc:.3f}; {result.n_layers} non-neutral operations, "
                f"input {result.input_shape}" + hint)
