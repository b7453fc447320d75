"""Panel: the spanning-dimension distribution of an MLP (ESD paper Figs. 1, 2, 5), swept live."""
from __future__ import annotations

import html
import time

import ipywidgets as W
import numpy as np

from workbench._runtime import DeviceLike
from workbench.nets.multilayer import ACTIVATIONS, mlp
from workbench.papers.esd.sampling import INPUTS, ESDResult, esd
from workbench.plots.esd import plot_sd_distribution
from workbench.widgets._base import Panel, dropdown, log_slider

__all__ = ["ESDPanel"]

_SHORTCUT_OPTIONS = [("plain MLP", "plain"), ("add-shortcuts", "add-shortcuts"), ("add-inputs", "add-inputs")]
"""The shortcut modes; a plain MLP is ``"plain"`` here, not ``None``: ipywidgets reads a ``None`` value as "nothing
selected", so the browser showed an empty box and choosing "plain MLP" again changed nothing."""


def _mode(shortcuts):
    """The control's value as :func:`workbench.mlp`'s ``shortcuts`` (``"plain"`` -> ``None``)."""
    return None if shortcuts in (None, "plain") else shortcuts


class ESDPanel(Panel):
    """Histogram of spanning dimensions with the ESD marked, for ``[n_in] + [width] * depth + [1]``.

    Controls: inputs, width (log-spaced), depth, activation, shortcut mode,
    input distribution, samples (log-spaced), seed.  The histogram grows as
    samples arrive: the first sample is drawn at once, then chunks sized to
    take about ``chunk_seconds`` each; sample ``i`` always uses seed
    ``seed + i``, so the final histogram equals ``workbench.esd(..., samples=n)``.
    Budget: the parameter count (the Jacobian is ``points x parameters`` per
    sample, with as many points as parameters), the sample count and the
    memory of one sample; "compute anyway" beyond the machine's memory budget
    is refused by :func:`workbench.esd` (``workbench.ResourceLimitError``, shown under the plot).
    """

    title = "Expected spanning dimension: SD distribution over random weights and inputs"
    budget = {"parameters": 2_000, "samples": 1_000, "MiB per sample": 1_024}
    chunk_seconds = 0.5

    def __init__(self, *, n_in: int = 1, width: int = 8, depth: int = 3, activation: str = "relu",
                 shortcuts: str | None = None, inputs: str = "uniform", samples: int = 100, seed: int = 0,
                 n_points: int | None = None, device: DeviceLike = None, auto: bool = True,
                 background: bool | None = None,
                 budget: dict | None = None):
        self.n_points = n_points
        self.device = device
        slider = dict(continuous_update=False, style={"description_width": "initial"})
        controls = {
            "n_in": W.IntSlider(value=n_in, min=1, max=16, description="inputs", **slider),
            "width": log_slider(width, 1, max(64, width), "width"),
            "depth": W.IntSlider(value=depth, min=1, max=8, description="hidden layers", **slider),
            "activation": dropdown(options=list(ACTIVATIONS), value=activation, description="activation"),
            "shortcuts": dropdown(options=_SHORTCUT_OPTIONS, value=shortcuts or "plain", description="shortcuts"),
            "inputs": dropdown(options=list(INPUTS), value=inputs, description="input dist."),
            "samples": log_slider(samples, 2, max(1000, samples), "samples", per_octave=3),
            "seed": W.IntText(value=seed, description="seed"),
        }
        super().__init__(controls, auto=auto, background=background, budget=budget)

    def update(self, *, wait: bool = True, **params) -> ESDPanel:
        """As :meth:`Panel.update`; ``shortcuts=None`` means the plain MLP (the control's ``"plain"``)."""
        if "shortcuts" in params and params["shortcuts"] is None:
            params["shortcuts"] = "plain"
        return super().update(wait=wait, **params)

    def widths(self, n_in: int, width: int, depth: int) -> list[int]:
        """The architecture the controls describe."""
        return [n_in] + [width] * depth + [1]

    def cost(self, *, n_in, width, depth, shortcuts, samples, **_):
        net = mlp(self.widths(n_in, width, depth), "relu", shortcuts=_mode(shortcuts))
        P = sum(p.numel() for p in net.parameters())
        pts = self.n_points or P
        # one sample's Jacobian (points x parameters, float32), its copy and the SVD's workspace
        mib = (2 * pts * P + min(pts, P) ** 2) * 4 / 2**20
        return {"parameters": P, "samples": samples, "MiB per sample": round(mib, 1)}

    calibration_parameters = 1_000
    """Parameter count of the one-sample run :meth:`estimate_seconds` times (about a second on 2 cores)."""

    def estimate_seconds(self, *, n_in, width, depth, activation, shortcuts, inputs, samples, **_) -> float:
        """Rough seconds for ``samples`` samples: one sample of the same architecture timed at the width with
        at most :attr:`calibration_parameters` parameters (after a small warm-up run), scaled by ``(P / P0)³``
        (the rank of the ``P x P`` Jacobian dominates; measured on 2 cores from 593 to 2,483 parameters the
        time grew 76x where the cube says 73x).  Cached per architecture family."""
        def size(w):
            return self.cost(n_in=n_in, width=w, depth=depth, shortcuts=shortcuts, samples=1)["parameters"]

        def timed(w):
            t0 = time.perf_counter()
            esd(self.widths(n_in, w, depth), activation, shortcuts=_mode(shortcuts), samples=1, n_points=self.n_points,
                inputs=inputs, seed=0, device=self.device, progress=False)
            return time.perf_counter() - t0

        P = size(width)
        w0 = 1
        while w0 < width and size(w0 + 1) <= self.calibration_parameters:
            w0 += 1
        key = (n_in, w0, depth, activation, shortcuts, inputs, self.n_points)
        cache = self.__dict__.setdefault("_calibration", {})
        if key not in cache:
            timed(1)  # warm-up
            cache[key] = timed(w0)
        return samples * cache[key] * max(1.0, P / size(w0)) ** 3

    def compute(self, *, n_in, width, depth, activation, shortcuts, inputs, samples, seed):
        ws = self.widths(n_in, width, depth)
        t0 = time.perf_counter()
        values, first, done, chunk, warning = [], None, 0, 1, None
        while done < samples:
            c = min(chunk, samples - done)
            t = time.perf_counter()
            r = esd(ws, activation, shortcuts=_mode(shortcuts), samples=c, n_points=self.n_points, inputs=inputs,
                    seed=seed + done, device=self.device, progress=False)
            per_sample = (time.perf_counter() - t) / c
            first = first or r
            values.append(r.values)
            done += c
            warning = warning or r.config.get("numerical_warning")  # the first chunk's that warned
            cfg = dict(first.config, samples=done, seed=seed)
            cfg.pop("numerical_warning", None)
            if warning:
                cfg["numerical_warning"] = warning
            yield ESDResult(np.concatenate(values), cfg, first.n_params, time.perf_counter() - t0)
            chunk = max(1, min(4 * c, int(self.chunk_seconds / max(per_sample, 1e-6))))

    def draw(self, result, *, n_in, width, depth, activation, shortcuts, inputs, samples, seed):
        ws = "-".join(str(w) for w in self.widths(n_in, width, depth))
        done = len(result.values)
        more = "" if done >= samples else f" ({done}/{samples} samples)"
        ax = plot_sd_distribution(result, title=f"MLP {ws}, {activation}, {_mode(shortcuts) or 'plain'}, "
                                                f"{inputs} inputs{more}")
        return ax.figure

    def describe(self, result, **params) -> str:
        return (f"ESD = {result.mean:.3f} ± {result.sem:.3f} (std {result.std:.3f}) over {len(result.values)} "
                f"samples; {result.n_params} parameters, {result.config['n_points']} points per sample; "
                f"{result.seconds:.2f} s" + _warning_html(result))


def _warning_html(result) -> str:
    """The ESD's ``NumericalWarning`` (a layer under- or overflowing its dtype) for the status line, else ''."""
    w = result.config.get("numerical_warning")
    return f"<br><span style='color:#b00'>&#9888; {html.escape(w)}</span>" if w else ""
