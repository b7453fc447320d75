"""Panel: TensorFlow Playground's controls, trained live, with the exact regions instead of a sampled map."""
from __future__ import annotations

import html
import threading
from dataclasses import dataclass, field

import ipywidgets as W
import torch

from workbench.measures.partition import RegionLimitError, partition_2d
from workbench.papers.pl_geometry.playground import (
    PIECEWISE_ACTIVATIONS,
    PLAYGROUND_BOUNDS,
    PLAYGROUND_DATASETS,
    PLAYGROUND_REGULARIZATIONS,
    Playground,
    PlaygroundSetup,
    PlaygroundSnapshot,
    decision_map,
    neuron_edges,
    preactivation_map,
)
from workbench.plots.playground import plot_playground
from workbench.validation import check_int
from workbench.widgets._base import Panel, check_control_value
from workbench.widgets.explore import has_ipympl, show_on_canvas

__all__ = ["PlaygroundPanel", "PlaygroundFrame"]

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
"""The Playground's learning-rate menu."""
RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
"""The Playground's regularization-rate menu."""
ACTIVATION_OPTIONS = (("ReLU", "relu"), ("leaky ReLU", "leaky_relu"), ("hardtanh", "hardtanh"), ("ReLU6", "relu6"),
                      ("tanh", "tanh"), ("sigmoid", "sigmoid"))
INTERACTIVE_DPI = 60
"""Pixels per inch of the interactive map's canvas: the 13-inch figure is then 780 px wide and fits a
notebook column (a canvas, unlike the PNG, is not scaled down to the page)."""
SMOOTH_NOTE = "{act} is smooth: exact regions need a piecewise-linear activation"


def neuron_options(width: int, depth: int) -> list:
    """The neuron menu: ``("none", "none")`` and ``("layer l, neuron j", (l, j))`` (layers 1-based, neurons 0-based,
    as in ``Partition.boundaries``)."""
    return [("none", "none")] + [(f"layer {l}, neuron {j}", (l, j)) for l in range(1, depth + 1) for j in range(width)]


@dataclass
class PlaygroundFrame:
    """What one picture shows: the snapshot, and the exact ``partition`` (piecewise-linear activations) or
    the sampled ``decision`` map, filled in when the frame is drawn."""

    snapshot: PlaygroundSnapshot
    partition: object = None
    decision: object = None
    note: str | None = None
    neuron: tuple | None = None
    neuron_segments: object = None
    extra: dict = field(default_factory=dict)

    @property
    def epoch(self) -> int:
        return self.snapshot.epoch


class PlaygroundPanel(Panel):
    """TensorFlow Playground's control set on :class:`~workbench.papers.pl_geometry.playground.Playground`.

    Controls: ``dataset`` (circle, xor, gauss, spiral, two moons), ``noise``, ``train_ratio``,
    ``batch_size``, ``activation``, ``lr``, ``regularization`` (none, L1, L2, slope) and its ``rate``,
    ``width`` (1-128), ``depth`` (1-8), ``epoch`` and ``neuron``.  The data set, noise, ratio, activation,
    width and depth define the run (changing one starts a new run, as in the Playground); learning rate,
    batch size and regularization apply from the next epoch on.  ``epoch`` is the epoch the picture shows:
    a larger value trains on to it, a smaller one retrains the run from its start with the current settings
    (the same batch orders: :class:`Playground`).

    **Play / pause / step**: :meth:`play` trains in a background thread until :meth:`pause` (or
    ``max_epochs``), and the picture follows every few epochs (at most every :attr:`refine_interval` s and
    never more than half the time: the panel machinery); a control change while playing applies at once and
    playing goes on.  :meth:`step` pauses and trains ``step_epochs`` more.  The buttons call these.

    Headless, ``panel.update(epoch=200, dataset="xor")`` trains synchronously to epoch 200 and draws a static
    picture.  For ReLU, leaky ReLU, hardtanh and ReLU6 the picture is the exact partition
    (:func:`workbench.partition_2d`) coloured by the predicted class; for tanh and sigmoid a sampled map with
    a note.  A selected ``neuron`` is drawn as its boundary: the partition's edges its breakpoints made
    (exact), or the zero contour of its sampled pre-activation (smooth).  More than ``max_regions`` regions
    fall back to the sampled map, and the note says so.

    **Click a neuron**: with ``interactive=True`` (needs ipympl, the ``notebooks`` extra) the picture is an ipympl
    canvas, drawn into again each frame, and a click on the map selects the neuron whose boundary passes nearest
    the point (:meth:`pick_neuron`, exact); the menu follows.  Off by default: the PNG picture scales to any page
    and saves with the notebook, the canvas does neither.
    """

    title = "The Playground, exact: train on 2-D data and watch the linear regions move"
    refine_interval = 0.5

    def __init__(self, *, dataset: str = "circle", noise: float = 0.0, train_ratio: float = 0.5,
                 batch_size: int = 10, activation: str = "relu", lr: float = 0.1, regularization: str = "none",
                 rate: float = 0.0, width: int = 8, depth: int = 2, epoch: int = 0, neuron=None,
                 n_points: int = 500, seed: int = 0, max_epochs: int = 5000, step_epochs: int = 1,
                 resolution: int = 160, max_regions: int = 100_000, auto: bool = True, background: bool | None = None,
                 interactive: bool = False):
        for nm, v in (("max_epochs", max_epochs), ("step_epochs", step_epochs), ("n_points", n_points)):
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{nm} must be a positive int, got {v!r}")
        seed = check_int("seed", seed)
        if neuron is not None and neuron not in [v for _, v in neuron_options(width, depth)]:
            raise ValueError(f"control 'neuron': {neuron!r} is not a neuron of width {width}, depth {depth}; allowed "
                             f"values: None or (layer, neuron) with 1 <= layer <= {depth}, 0 <= neuron < {width}")
        self.interactive = bool(interactive)
        if self.interactive and not has_ipympl():
            raise ImportError("interactive=True needs ipympl (the clickable map): pip install ipympl "
                              "(in the notebooks extra)")
        self.canvas = None  # the ipympl canvas of the interactive map, made on the first picture
        self._fig = self._map_ax = None
        self._draw_lock = threading.RLock()  # one figure: drawn into by the play thread, rendered by the canvas
        self.n_points, self.seed, self.max_epochs, self.step_epochs = n_points, seed, max_epochs, step_epochs
        self.resolution, self.max_regions = int(resolution), int(max_regions)
        self.playground: Playground | None = None
        self.state = "paused"
        self._stop_play = False
        self._play_lock = threading.Lock()
        self._background_before: bool | None = None
        sl = dict(continuous_update=False, style={"description_width": "initial"})
        dd = dict(style={"description_width": "initial"}, layout=W.Layout(width="auto"))
        controls = {
            "dataset": W.Dropdown(options=list(PLAYGROUND_DATASETS), value=dataset, description="data", **dd),
            "noise": W.FloatSlider(value=noise, min=0.0, max=0.5, step=0.05, description="noise", **sl),
            "train_ratio": W.FloatSlider(value=train_ratio, min=0.1, max=0.9, step=0.1, description="train ratio",
                                         **sl),
            "batch_size": W.IntSlider(value=batch_size, min=1, max=100, description="batch size", **sl),
            "activation": W.Dropdown(options=list(ACTIVATION_OPTIONS), value=activation, description="activation",
                                     **dd),
            "lr": W.SelectionSlider(options=list(LEARNING_RATES), value=lr, description="learning rate", **sl),
            "regularization": W.Dropdown(options=list(PLAYGROUND_REGULARIZATIONS), value=regularization,
                                         description="regularization", **dd),
            "rate": W.SelectionSlider(options=list(RATES), value=rate, description="regularization rate", **sl),
            "width": W.IntSlider(value=width, min=1, max=128, description="width", **sl),
            "depth": W.IntSlider(value=depth, min=1, max=8, description="depth", **sl),
            "epoch": W.BoundedIntText(value=epoch, min=0, max=max_epochs, description="epoch",
                                      style={"description_width": "initial"}, layout=W.Layout(width="11em")),
            "neuron": W.Dropdown(options=neuron_options(width, depth), value="none" if neuron is None else neuron,
                                 description="neuron", **dd),
        }
        self.play_button = W.Button(description="play", icon="play", button_style="success",
                                    layout=W.Layout(width="auto"))
        self.pause_button = W.Button(description="pause", icon="pause", layout=W.Layout(width="auto"))
        self.step_button = W.Button(description="step", icon="step-forward", layout=W.Layout(width="auto"))
        self.reset_button = W.Button(description="reset", icon="undo", layout=W.Layout(width="auto"))
        self.play_button.on_click(lambda _b: self.play())
        self.pause_button.on_click(lambda _b: self.pause())
        self.step_button.on_click(lambda _b: self.step())
        self.reset_button.on_click(lambda _b: self.reset())
        super().__init__(controls, auto=auto, background=background)
        buttons = W.HBox([self.play_button, self.pause_button, self.step_button, self.reset_button])
        self.widget.children = (self.widget.children[0], buttons, *self.widget.children[1:])
        self._sync_buttons()

    # -- controls -------------------------------------------------------
    def _set_quietly(self, name: str, **traits) -> None:
        self._suspend, before = True, self._suspend
        try:
            for k, v in traits.items():
                setattr(self.controls[name], k, v)
        finally:
            self._suspend = before

    def _rebuild_neurons(self, width: int, depth: int, keep=None) -> None:
        opts = neuron_options(width, depth)
        keep = keep if keep is not None else self.controls["neuron"].value
        value = keep if keep in [v for _, v in opts] else "none"
        self._set_quietly("neuron", options=opts, value=value)

    def _on_change(self, change) -> None:
        if change.get("owner") in (self.controls["width"], self.controls["depth"]) and not self._suspend:
            self._rebuild_neurons(self.controls["width"].value, self.controls["depth"].value)
        super()._on_change(change)

    def update(self, *, wait: bool = True, **params) -> PlaygroundPanel:
        """Set several controls at once and redraw once; ``neuron`` is checked against the new width and depth."""
        if params.get("neuron", "") is None:
            params["neuron"] = "none"
        if "width" in params or "depth" in params:
            for k in ("width", "depth"):
                if k in params:
                    check_control_value(k, self.controls[k], params[k])
            w = params.get("width", self.controls["width"].value)
            d = params.get("depth", self.controls["depth"].value)
            given = "neuron" in params
            neuron = params.pop("neuron", self.controls["neuron"].value)
            opts = [v for _, v in neuron_options(w, d)]
            if neuron not in opts and not given:  # the selected neuron is gone: none
                neuron = "none"
            if neuron not in opts:
                raise ValueError(f"control 'neuron': {neuron!r} is not a neuron of width {w}, depth {d}; "
                                 f"allowed values: 'none' or (layer, neuron) with 1 <= layer <= {d}, "
                                 f"0 <= neuron < {w}")
            for k in ("dataset", "noise", "train_ratio", "batch_size", "activation", "lr", "regularization",
                      "rate", "epoch"):
                if k in params:
                    check_control_value(k, self.controls[k], params[k])
            unknown = set(params) - set(self.controls)
            if unknown:
                raise ValueError(f"unknown control(s) {sorted(unknown)}; this panel has {sorted(self.controls)}")
            self._rebuild_neurons(w, d, keep=neuron)
            params["neuron"] = self.controls["neuron"].value
        return super().update(wait=wait, **params)

    # -- play / pause / step -------------------------------------------
    def _sync_buttons(self) -> None:
        playing = self.state == "playing"
        self.play_button.disabled = playing
        self.pause_button.disabled = not playing

    def play(self) -> None:
        """Train in a background thread until :meth:`pause` (or ``max_epochs``); the picture follows."""
        with self._play_lock:
            if self.state == "playing":
                return
            self.state, self._stop_play = "playing", False
            self._background_before, self.background = self.background, True
        self._sync_buttons()
        self.refresh()

    def pause(self) -> None:
        """Stop training after the epoch in flight; the picture shows where it stopped, ``epoch`` says which."""
        with self._play_lock:
            if self.state != "playing":
                return
            self._stop_play = True
        self.wait()
        self._finish_play()

    def _finish_play(self) -> None:
        with self._play_lock:
            if self.state != "playing":
                return
            self.state = "paused"
            if self._background_before is not None:
                self.background = self._background_before
            self._background_before = None
        pg = self.playground
        if pg is not None:
            self._set_quietly("epoch", value=min(pg.epoch, self.max_epochs))
        self._sync_buttons()
        if self.result is not None:
            self.status.value = self.describe(self.result, **self.params)

    def step(self, epochs: int | None = None) -> None:
        """Pause if playing, then train ``epochs`` (default ``step_epochs``) more and draw."""
        self.pause()
        n = self.step_epochs if epochs is None else epochs
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"epochs must be a positive int, got {n!r}")
        cur = self.playground.epoch if self.playground is not None else self.controls["epoch"].value
        if cur >= self.max_epochs:
            self.status.value = (f"epoch {cur} is this panel's last (max_epochs={self.max_epochs}): "
                                 "reset, or build the panel with a larger max_epochs")
            return
        self.update(epoch=min(cur + n, self.max_epochs), wait=not self.background)

    def pick_neuron(self, x: float, y: float) -> tuple[int, int] | None:
        """Select the neuron whose boundary passes nearest the map point ``(x, y)`` (what a click on the map means).

        Exact: :func:`workbench.measures.distance_to_edge` on the network now drawn finds the nearest of the local
        boundary lines of the point's region, with its layer and neuron; the neuron control is set to it and the
        picture redraws with that neuron's boundary.  Returns ``(layer, neuron)``, or ``None`` (the control set to
        "none") when no neuron bends there.  Needs a piecewise-linear activation (a smooth one has no boundaries).
        """
        from workbench.measures import distance_to_edge
        from workbench.validation import check_real

        x, y = check_real("x", x), check_real("y", y)
        if self.result is None:
            raise RuntimeError("PlaygroundPanel.pick_neuron: nothing is drawn yet; call refresh() or update() first")
        snap = self.result.snapshot
        if snap.setup.activation not in PIECEWISE_ACTIVATIONS:
            raise ValueError(f"pick_neuron needs a piecewise-linear activation (the map of {snap.setup.activation!r} "
                             "is sampled and its neurons have no boundary lines); choose one from the neuron menu")
        e = distance_to_edge(snap.net, torch.tensor([[x, y]], dtype=torch.float32), device="cpu")
        pick = None if not torch.isfinite(e.distance[0]) else (int(e.layer[0]), int(e.neuron[0]))
        self.update(neuron=pick)
        return pick

    def reset(self) -> None:
        """Pause and go back to epoch 0 (the same initial weights)."""
        self.pause()
        self.playground = None
        self.update(epoch=0, wait=not self.background)

    # -- compute / draw -------------------------------------------------
    def setup(self, *, dataset, noise, train_ratio, activation, width, depth, **_) -> PlaygroundSetup:
        return PlaygroundSetup(dataset=dataset, noise=float(noise), train_ratio=float(train_ratio),
                               activation=activation, width=int(width), depth=int(depth), n_points=self.n_points,
                               seed=self.seed)

    def cost(self, **params) -> dict[str, float]:
        w, d = int(params["width"]), int(params["depth"])
        return {"parameters": 2 * w + w + (d - 1) * (w * w + w) + 2 * w + 2}

    def compute(self, **params):
        setup = self.setup(**params)
        pg = self.playground
        playing = self.state == "playing"
        if pg is None or pg.setup != setup or (not playing and params["epoch"] < pg.epoch):
            pg = self.playground = Playground(setup)
        hyper = dict(lr=float(params["lr"]), batch_size=int(params["batch_size"]),
                     regularization=params["regularization"], rate=float(params["rate"]))
        neuron = None if params["neuron"] == "none" else params["neuron"]
        yield PlaygroundFrame(pg.snapshot(), neuron=neuron)
        while True:
            if self.state == "playing":
                if self._stop_play or pg.epoch >= self.max_epochs or pg.diverged:
                    break
            elif pg.epoch >= params["epoch"] or pg.diverged:
                break
            pg.train(1, **hyper)
            yield PlaygroundFrame(pg.snapshot(), neuron=neuron)
        if self.state == "playing" and not self._stop_play:  # ran to max_epochs or diverged: stop playing
            threading.Thread(target=self._finish_play, daemon=True).start()

    def _fill(self, frame: PlaygroundFrame) -> PlaygroundFrame:
        snap = frame.snapshot
        act = snap.setup.activation
        if frame.partition is None and frame.decision is None:
            if act in PIECEWISE_ACTIVATIONS:
                try:
                    frame.partition = partition_2d(snap.net, bounds=PLAYGROUND_BOUNDS, max_regions=self.max_regions,
                                                   device="cpu", progress=False)
                except RegionLimitError:
                    frame.note = f"more than {self.max_regions:,} regions (max_regions): sampled instead"
                else:
                    if self.playground is not None and self.playground.setup == snap.setup:
                        self.playground.record_regions(snap.epoch, len(frame.partition))
                        snap.history.loc[snap.history["epoch"] == snap.epoch, "regions"] = len(frame.partition)
            else:
                frame.note = SMOOTH_NOTE.format(act={v: k for k, v in ACTIVATION_OPTIONS}[act])
            if frame.partition is None:
                frame.decision = decision_map(snap.net, bounds=PLAYGROUND_BOUNDS, resolution=self.resolution)
            if frame.neuron is not None:
                layer, j = frame.neuron
                if frame.partition is not None:
                    frame.neuron_segments = neuron_edges(frame.partition, snap.net, layer, j)
                else:
                    frame.extra["neuron_map"] = preactivation_map(snap.net, layer, j, bounds=PLAYGROUND_BOUNDS,
                                                                  resolution=self.resolution)
        return frame

    def draw(self, result, **params):
        f = self._fill(result)
        with self._draw_lock:
            axes = plot_playground(f.snapshot, partition=f.partition, decision=f.decision, neuron=f.neuron,
                                   neuron_segments=f.neuron_segments, neuron_map=f.extra.get("neuron_map"),
                                   note=f.note, bounds=PLAYGROUND_BOUNDS, fig=self._fig if self.interactive else None)
        if self.interactive:  # one figure for the canvas, drawn into again each frame
            self._fig, self._map_ax = axes[0].figure, axes[0]
            self._fig.set_dpi(INTERACTIVE_DPI)
        return axes[0].figure

    def _render(self, fig) -> None:
        if not self.interactive:
            return super()._render(fig)
        with self._draw_lock:
            show_on_canvas(self, fig, self._connect)

    def _connect(self, canvas) -> None:
        render = canvas.draw

        def draw_locked(*args, **kwargs):  # the canvas renders on the kernel's thread, the play thread draws
            with self._draw_lock:
                return render(*args, **kwargs)

        canvas.draw = draw_locked
        canvas.mpl_connect("button_press_event", self._on_map_click)

    def _on_map_click(self, event) -> None:
        """A click on the interactive map picks the neuron whose boundary passes nearest (:meth:`pick_neuron`)."""
        if event.inaxes is not self._map_ax or event.xdata is None or self._map_ax is None:
            return
        try:
            self.pick_neuron(float(event.xdata), float(event.ydata))
        except (ValueError, RuntimeError) as exc:  # a smooth activation, nothing drawn yet: said, not raised
            self.status.value = f"<span style='color:#8a3b00'>{html.escape(str(exc))}</span>"

    def describe(self, result, **params) -> str:
        snap = result.snapshot
        row = snap.history.iloc[-1]
        regions = f", <b>{len(result.partition):,}</b> exact regions" if result.partition is not None else ""
        msg = (f"epoch <b>{snap.epoch}</b>: train loss {row['loss']:.3g}, test loss {row['test_loss']:.3g}, "
               f"test accuracy {row['test_acc']:.2f}, mean slope {row['slope_mean']:.3g}{regions}")
        if self.state == "playing":
            msg = "<b>▶ playing</b> · " + msg
        if snap.diverged:
            msg = (f"<span style='color:#b00'><b>diverged at epoch {snap.epoch}</b> (loss or weights NaN/inf): "
                   "lower the learning rate and reset.</span> " + msg)
        return msg
