"""Panel: trajectory-length growth and the circle's image layer by layer (Raghu et al. 2017)."""
from __future__ import annotations

import time

import ipywidgets as W

from workbench.papers.raghu.trajectories import GrowthConfig, circle_through_layers, length_growth
from workbench.plots._base import new_figure
from workbench.plots.trajectories import plot_layer_image, plot_length_growth, plot_length_per_layer
from workbench.widgets._base import Panel, calibrate_power, dropdown, log_slider

__all__ = ["TrajectoryPanel"]

_ACTS = ("relu", "hardtanh", "tanh", "leaky_relu", "sigmoid", "identity")


class TrajectoryPanel(Panel):
    """Depth, width, σ_w², σ_b², activation and seed redraw the growth curve and the layer view.

    The layer shown is chosen by ``layer_slider``, linked (``jslink``) to a
    ``Play`` control, so pressing play walks the circle's image through the
    layers; changing the layer only redraws (no recomputation).
    ``animation_html()`` returns a self-contained HTML player (no CDN), ``player()`` a ``FramePlayer``.

    Refines in three steps: the growth curve of one network, then the circle's
    layer images, then the growth curves of all ``n_seeds`` networks.
    Budget: hidden neurons (width x depth).
    """

    title = "Trajectory length through the layers of a random network"
    budget = {"neurons": 4_000}

    def __init__(self, *, depth: int = 6, width: int = 100, sigma_w2: float = 4.0, sigma_b2: float = 0.0,
                 activation: str = "tanh", seed: int = 0, n_seeds: int = 4, n_points: int = 400,
                 input_dim: int = 32, auto: bool = True, background: bool | None = None,
                 budget: dict | None = None):
        self.n_seeds, self.n_points, self.input_dim = n_seeds, n_points, input_dim
        slider = dict(continuous_update=False, style={"description_width": "initial"})
        controls = {
            "depth": W.IntSlider(value=depth, min=1, max=20, description="depth", **slider),
            "width": log_slider(width, 2, max(400, width), "width k", per_octave=3),
            "sigma_w2": W.FloatLogSlider(value=sigma_w2, base=2, min=-2, max=5, step=0.25, description="σ_w²",
                                         **slider),
            "sigma_b2": W.FloatSlider(value=sigma_b2, min=0.0, max=4.0, step=0.1, description="σ_b²", **slider),
            "activation": dropdown(options=_ACTS, value=activation, description="activation"),
            "seed": W.IntText(value=seed, description="seed"),
        }
        self.layer_slider = W.IntSlider(value=0, min=0, max=depth + 1, description="layer", continuous_update=True)
        self.play = W.Play(value=0, min=0, max=depth + 1, step=1, interval=700, description="play layers")
        self.link = W.jslink((self.play, "value"), (self.layer_slider, "value"))
        self.layer_slider.observe(self._on_layer, names="value")
        super().__init__(controls, auto=False, background=background, budget=budget)
        self.widget.children = (self.widget.children[:2] + (W.HBox([self.play, self.layer_slider]),)
                                + self.widget.children[2:])
        if auto:
            self.refresh()

    @property
    def layer(self) -> int:
        return int(self.layer_slider.value)

    def cost(self, *, depth, width, **_):
        return {"neurons": depth * width}

    calibration_width = 64
    """Width of the smaller of the two runs :meth:`estimate_seconds` times (the other has twice)."""

    def estimate_seconds(self, *, depth, width, sigma_w2, sigma_b2, activation, seed, **_) -> float:
        """Rough seconds: the whole computation timed at widths :attr:`calibration_width` and twice that
        (same depth, activation and scales) gives the fit ``a + b k²`` (the layers' matrix products;
        :func:`~workbench.widgets._base.calibrate_power`), evaluated at width ``k``.  Cached per depth and
        activation."""
        key = (depth, activation)
        cache = self.__dict__.setdefault("_calibration", {})
        if key not in cache:
            def timed(k):
                t0 = time.perf_counter()
                for _ in self._steps(depth=depth, width=int(k), sigma_w2=sigma_w2, sigma_b2=sigma_b2,
                                     activation=activation, seed=seed, resize=False):
                    pass
                return time.perf_counter() - t0

            cache[key] = calibrate_power(timed, self.calibration_width, 2)
        a, b = cache[key]
        return a + b * width**2

    def compute(self, *, depth, width, sigma_w2, sigma_b2, activation, seed):
        yield from self._steps(depth=depth, width=width, sigma_w2=sigma_w2, sigma_b2=sigma_b2,
                               activation=activation, seed=seed)

    def _steps(self, *, depth, width, sigma_w2, sigma_b2, activation, seed, resize: bool = True):
        def growth(n_seeds):
            cfg = GrowthConfig(depth=depth, widths=(width,), sigma_w2s=(float(sigma_w2),),
                               sigma_b2s=(float(sigma_b2),), activations=(activation,), input_dim=self.input_dim,
                               n_seeds=n_seeds, n_points=self.n_points)
            return length_growth(cfg, seed=seed, progress=False)

        g1 = growth(1)
        yield {"growth": g1, "traj": None}
        traj = circle_through_layers([self.input_dim] + [width] * depth + [2], activation, sigma_w2=sigma_w2,
                                     sigma_b2=sigma_b2, n_points=self.n_points, seed=seed)
        if resize:
            for w in (self.layer_slider, self.play):
                w.max = traj.n_layers - 1
        if self.n_seeds > 1:
            yield {"growth": g1, "traj": traj}
        yield {"growth": growth(self.n_seeds), "traj": traj}

    def draw(self, result, *, depth, width, sigma_w2, sigma_b2, activation, seed):
        fig, (a1, a2, a3) = new_figure(1, 3, figsize=(12, 3.8))
        n = result["growth"]["seed"].nunique()
        plot_length_growth(result["growth"], a1, title=f"{activation}, k={width}: {n} seed{'s' * (n > 1)}")
        if result["traj"] is None:
            for a in (a2, a3):
                a.set_axis_off()
                a.text(0.5, 0.5, "computing the layer images…", ha="center", va="center", transform=a.transAxes)
            return fig
        layer = min(self.layer, result["traj"].n_layers - 1)
        plot_layer_image(result["traj"], layer, a2)
        plot_length_per_layer(result["traj"], layer, a3)
        return fig

    def describe(self, result, **params) -> str:
        if result["traj"] is None:
            return "growth curve of one network; layer images follow"
        L = result["traj"].lengths
        return f"length grows ×{L[-2] / L[0]:.3g} from the input to the last hidden layer (seed {params['seed']})"

    def _on_layer(self, change) -> None:
        if self.result is None or self.result["traj"] is None:
            return
        try:
            fig = self.draw(self.result, **self.params)
        except Exception as exc:  # shown, kept for tests
            self._report(exc)
            return
        self.figure = fig
        self._render(fig)

    def explorer(self, **kw):
        """A :class:`workbench.widgets.TrajectoryExplorer` of the network now shown (hover the circle)."""
        from workbench.widgets.explore import TrajectoryExplorer

        return TrajectoryExplorer(self._traj(), **kw)

    def animation_html(self) -> str:
        """The current network's layer animation as self-contained HTML (offline assets, first frame shown)."""
        from workbench.plots.player import animation_frames, offline_html
        from workbench.plots.trajectories import animate_layers

        traj = self._traj()
        return offline_html(animation_frames(animate_layers(traj)), labels=[traj.layer_name(i)
                                                                           for i in range(traj.n_layers)])

    def player(self):
        """A :class:`workbench.widgets.FramePlayer` of the current network's layer animation."""
        from workbench.plots.player import animation_frames
        from workbench.plots.trajectories import animate_layers
        from workbench.widgets.player import FramePlayer

        traj = self._traj()
        return FramePlayer(animation_frames(animate_layers(traj)), interval=700,
                           labels=[traj.layer_name(i) for i in range(traj.n_layers)])

    def _traj(self):
        self.wait()
        if self.result is None or self.result["traj"] is None:
            raise RuntimeError("the panel has no layer images yet (see panel.status for why)")
        return self.result["traj"]
