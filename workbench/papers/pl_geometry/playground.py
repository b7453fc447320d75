"""TensorFlow Playground's 2-D problems and a trainer that runs epoch by epoch (the Playground panel's library side).

Smilkov, Carter et al.'s *TensorFlow Playground* (playground.tensorflow.org, ``dataset.ts``) trains a small
network on one of four 2-D data sets and samples its decision map on a grid.  This module gives the same data
sets (plus two moons, which the Playground lacks) and a :class:`Playground` that trains through
:func:`workbench.training.fit` one epoch at a time, so a panel can pause, step and redraw between epochs; for a
piecewise-linear activation the exact partition of the domain (:func:`workbench.partition_2d`) is drawn instead
of a sampled map.

Where ours differs from the Playground (said here, once):

* coordinates are the Playground's divided by 6, so every data set lies in the square ``[-1, 1]²``
  (:data:`PLAYGROUND_BOUNDS`); a linear rescaling of the input, which moves no region boundary relative to the
  data;
* labels are 0/1 and the network has two outputs trained with cross-entropy (the Playground: ±1 labels, one
  tanh output, squared loss);
* plain SGD (no momentum) at the learning rate, like the Playground; L1 and L2 penalise the weights (not the
  biases) as ``rate * sum |w|`` and ``rate / 2 * sum w²``; ``"slope"`` is Johansson's slope penalty
  (:class:`workbench.measures.slope.SlopePenalty`, one power iteration), which the Playground lacks;
* the batch order of epoch ``e`` comes from ``sub_seed(seed, e)``, so a run paused, stepped and resumed is the
  same run as one played straight through.
"""
from __future__ import annotations

import copy
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from torch import nn

from workbench._runtime import SeedLike, int_seed, sub_seed
from workbench.measures.slope import SlopePenalty, jacobian_slope, slope
from workbench.nets.multilayer import mlp
from workbench.training import FitConfig, fit
from workbench.validation import check_real

__all__ = [
    "PLAYGROUND_DATASETS",
    "PLAYGROUND_ACTIVATIONS",
    "PIECEWISE_ACTIVATIONS",
    "PLAYGROUND_REGULARIZATIONS",
    "PLAYGROUND_BOUNDS",
    "playground_data",
    "playground_net",
    "PlaygroundSetup",
    "PlaygroundSnapshot",
    "Playground",
    "decision_map",
    "preactivation_map",
    "neuron_edges",
]

PLAYGROUND_DATASETS = ("circle", "xor", "gauss", "spiral", "two moons")
"""The data sets: the Playground's four and scikit-learn's two moons."""

PLAYGROUND_ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "hardtanh": nn.Hardtanh,
    "relu6": nn.ReLU6,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
}
PIECEWISE_ACTIVATIONS = ("relu", "leaky_relu", "hardtanh", "relu6")
"""The activations whose networks have exact linear regions (the others are drawn as a sampled map)."""

PLAYGROUND_REGULARIZATIONS = ("none", "L1", "L2", "slope")

PLAYGROUND_BOUNDS = (-1.0, 1.0, -1.0, 1.0)
"""The square every data set lies in (the Playground's ``[-6, 6]²`` divided by 6)."""

_SCALE = 6.0  # the Playground's half-width


def _uniform(g: np.random.Generator, lo, hi, n):
    return g.uniform(lo, hi, n)


def playground_data(name: str, n: int = 500, *, noise: float = 0.0, seed: SeedLike = 0
                    ) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` points of a 2-D data set, ``X`` float32 ``(n, 2)`` in ``[-1, 1]²`` and labels ``y`` int64 in {0, 1}.

    ``circle``, ``xor``, ``gauss`` and ``spiral`` follow TensorFlow Playground's ``dataset.ts`` (its
    coordinates divided by 6); ``noise`` is the Playground's noise slider as a fraction in ``[0, 0.5]``: for
    circle and XOR it flips labels near the boundary (the label is taken at a jittered point, the point is
    kept), for gauss it widens the clusters (variance 0.5 to 4 in the Playground's units), for spiral it moves
    the points.  ``two moons`` is scikit-learn's ``make_moons`` with Gaussian noise of standard deviation
    ``noise`` (in its own units), centred and scaled by 0.6 into the square.  Classes alternate in order, half
    each (``n`` odd: one more of class 1).
    """
    if name not in PLAYGROUND_DATASETS:
        raise ValueError(f"unknown data set {name!r}; allowed values: {', '.join(map(repr, PLAYGROUND_DATASETS))}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 4:
        raise ValueError(f"n must be an int >= 4, got {n!r}")
    check_real("noise", noise, min=0.0, max=0.5)
    g = np.random.default_rng(int_seed(seed) % (2**32))
    n1, n0 = (n + 1) // 2, n // 2
    if name == "circle":
        radius = 5.0
        pts, labels = [], []
        for count, (r0, r1) in ((n1, (0.0, radius * 0.5)), (n0, (radius * 0.7, radius))):
            r, a = g.uniform(r0, r1, count), g.uniform(0, 2 * math.pi, count)
            x, y = r * np.sin(a), r * np.cos(a)
            jx, jy = (g.uniform(-radius, radius, count) * noise for _ in range(2))
            pts.append(np.stack([x, y], 1))
            labels.append((np.hypot(x + jx, y + jy) < radius * 0.5).astype(np.int64))
        X, y = np.concatenate(pts), np.concatenate(labels)
    elif name == "xor":
        x, y0 = g.uniform(-5, 5, n), g.uniform(-5, 5, n)
        x, y0 = x + np.where(x > 0, 0.3, -0.3), y0 + np.where(y0 > 0, 0.3, -0.3)
        jx, jy = (g.uniform(-5, 5, n) * noise for _ in range(2))
        X, y = np.stack([x, y0], 1), ((x + jx) * (y0 + jy) >= 0).astype(np.int64)
    elif name == "gauss":
        var = 0.5 + (4.0 - 0.5) * noise / 0.5
        X = np.concatenate([g.normal(2, math.sqrt(var), (n1, 2)), g.normal(-2, math.sqrt(var), (n0, 2))])
        y = np.concatenate([np.ones(n1, np.int64), np.zeros(n0, np.int64)])
    elif name == "spiral":
        pts, labels = [], []
        for count, delta, lab in ((n1, 0.0, 1), (n0, math.pi, 0)):
            i = np.arange(count)
            r = i / count * 5
            t = 1.75 * i / count * 2 * math.pi + delta
            x = r * np.sin(t) + g.uniform(-1, 1, count) * noise
            yy = r * np.cos(t) + g.uniform(-1, 1, count) * noise
            pts.append(np.stack([x, yy], 1))
            labels.append(np.full(count, lab, np.int64))
        X, y = np.concatenate(pts), np.concatenate(labels)
    else:  # two moons
        from sklearn.datasets import make_moons

        Xm, ym = make_moons(n, noise=noise, random_state=int_seed(seed) % (2**32))
        X, y = (Xm - np.array([0.5, 0.25])) * 0.6 * _SCALE, ym.astype(np.int64)
    perm = g.permutation(n)  # mixed order: a train/test split by position takes both classes
    X = np.clip(X[perm] / _SCALE, -1.0, 1.0)  # gauss's tails: kept in the drawn square
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y[perm], dtype=torch.int64)


def playground_net(width: int, depth: int, activation: str = "relu", *, seed: SeedLike = 0) -> nn.Sequential:
    """``depth`` hidden layers of ``width`` units with ``activation`` and two outputs, as an ``nn.Sequential``.

    The weights are :func:`workbench.mlp`'s default initialisation for ``seed`` (the same for every activation,
    so switching the activation keeps the starting weights); ``relu6`` is not one of ``mlp``'s activations,
    hence the Sequential.
    """
    if activation not in PLAYGROUND_ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; allowed values: "
                         f"{', '.join(map(repr, PLAYGROUND_ACTIVATIONS))}")
    for nm, v, hi in (("width", width, 128), ("depth", depth, 8)):
        if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= hi:
            raise ValueError(f"{nm} must be an int in [1, {hi}], got {v!r}")
    base = mlp([2] + [width] * depth + [2], "relu", seed=seed)
    mods: list[nn.Module] = []
    for i, lin in enumerate(base.layers):
        mods.append(lin)
        if i < depth:
            mods.append(PLAYGROUND_ACTIVATIONS[activation]())
    return nn.Sequential(*mods)


@dataclass(frozen=True)
class PlaygroundSetup:
    """What a run starts from: changing any of it starts a new run (the Playground resets too)."""

    dataset: str = "circle"
    noise: float = 0.0
    train_ratio: float = 0.5
    activation: str = "relu"
    width: int = 8
    depth: int = 2
    n_points: int = 500
    seed: int = 0

    def __post_init__(self):
        if self.dataset not in PLAYGROUND_DATASETS:
            raise ValueError(f"unknown data set {self.dataset!r}; allowed values: {PLAYGROUND_DATASETS}")
        check_real("noise", self.noise, min=0.0, max=0.5)
        check_real("train_ratio", self.train_ratio, min=0.0, max=1.0, min_open=True, max_open=True)
        if self.activation not in PLAYGROUND_ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r}; allowed values: "
                             f"{tuple(PLAYGROUND_ACTIVATIONS)}")
        k = int(round(self.train_ratio * self.n_points))
        if not 0 < k < self.n_points:
            raise ValueError(f"train_ratio={self.train_ratio} leaves no train or no test point of {self.n_points}")

    @property
    def piecewise_linear(self) -> bool:
        return self.activation in PIECEWISE_ACTIVATIONS


@dataclass
class PlaygroundSnapshot:
    """The network at one epoch (a copy: training may go on) with the history up to it."""

    epoch: int
    net: nn.Module
    history: pd.DataFrame
    setup: PlaygroundSetup
    X_train: torch.Tensor
    y_train: torch.Tensor
    X_test: torch.Tensor
    y_test: torch.Tensor
    diverged: bool = False


class Playground:
    """One run: the data split of ``setup``, its network, and the history of the epochs trained so far.

    :meth:`train` runs epochs one at a time through :func:`workbench.training.fit` (plain SGD, one call per
    epoch with the batch order of that epoch), records train/test loss and accuracy and the mean exact 2-slope
    on the training points (:func:`workbench.measures.slope.slope`; for tanh / sigmoid the Jacobian's norm,
    :func:`~workbench.measures.slope.jacobian_slope`).  Region counts are recorded by whoever computes a
    partition (:meth:`record_regions`), so the history has them only at those epochs.  Thread-safe: the
    panel trains in one thread and draws :meth:`snapshot` copies in another.
    """

    def __init__(self, setup: PlaygroundSetup = PlaygroundSetup()):
        if not isinstance(setup, PlaygroundSetup):
            raise TypeError(f"setup must be a PlaygroundSetup, got {type(setup).__name__}")
        self.setup = setup
        X, y = playground_data(setup.dataset, setup.n_points, noise=setup.noise, seed=setup.seed)
        k = int(round(setup.train_ratio * setup.n_points))
        self.X_train, self.y_train, self.X_test, self.y_test = X[:k], y[:k], X[k:], y[k:]
        self.net = playground_net(setup.width, setup.depth, setup.activation, seed=setup.seed)
        self.epoch = 0
        self.diverged = False
        self.lock = threading.RLock()
        self._rows: list[dict] = []
        self._regions: dict[int, int] = {}
        self._record(self._evaluate(), {})

    # -- measuring ------------------------------------------------------
    def _evaluate(self) -> dict:
        f = nn.functional
        with torch.no_grad():
            out_tr, out_te = self.net(self.X_train), self.net(self.X_test)
            row = dict(loss=float(f.cross_entropy(out_tr, self.y_train)),
                       test_loss=float(f.cross_entropy(out_te, self.y_test)),
                       train_acc=float((out_tr.argmax(1) == self.y_train).double().mean()),
                       test_acc=float((out_te.argmax(1) == self.y_test).double().mean()))
        finite = all(math.isfinite(v) for v in row.values()) and all(
            bool(torch.isfinite(p).all()) for p in self.net.parameters())
        if finite:
            s = (slope if self.setup.piecewise_linear else jacobian_slope)(self.net, self.X_train, device="cpu")
            row["slope_mean"] = float(s.double().mean())
        else:
            row["slope_mean"] = float("nan")
        row["diverged"] = not finite
        return row

    def _record(self, row: dict, hyper: dict) -> None:
        self._rows.append(dict(epoch=self.epoch, **row, **hyper))

    def record_regions(self, epoch: int, count: int) -> None:
        """Note the exact region count of the partition at ``epoch`` (shown in the history's ``regions``)."""
        with self.lock:
            self._regions[int(epoch)] = int(count)

    @property
    def history(self) -> pd.DataFrame:
        """One row per epoch: ``epoch, loss, test_loss, train_acc, test_acc, slope_mean, diverged``, the
        hyperparameters it was trained with, and ``regions`` (NaN where no partition was computed)."""
        with self.lock:
            h = pd.DataFrame(self._rows)
            h["regions"] = h["epoch"].map(self._regions).astype(float)
            return h

    # -- training -------------------------------------------------------
    def penalty(self, regularization: str, rate: float, epoch: int):
        """The penalty ``fit`` adds to the loss (``None`` for ``"none"`` or a zero rate)."""
        if regularization not in PLAYGROUND_REGULARIZATIONS:
            raise ValueError(f"unknown regularization {regularization!r}; allowed values: "
                             f"{PLAYGROUND_REGULARIZATIONS}")
        check_real("rate", rate, min=0.0)
        if regularization == "none" or rate == 0:
            return None
        if regularization == "slope":
            return SlopePenalty(float(rate), iters=1, seed=sub_seed(self.setup.seed, 1, epoch))
        weights = [m.weight for m in self.net if isinstance(m, nn.Linear)]
        if regularization == "L1":
            return lambda model, xb, yb: rate * sum(w.abs().sum() for w in weights)
        return lambda model, xb, yb: 0.5 * rate * sum((w * w).sum() for w in weights)

    def train(self, epochs: int = 1, *, lr: float = 0.03, batch_size: int = 10, regularization: str = "none",
              rate: float = 0.0, should_stop: Callable[[], bool] | None = None) -> int:
        """Train ``epochs`` more epochs (fewer if ``should_stop()`` turns true between epochs or the run
        diverges); returns the number trained.  A run whose loss or weights become NaN/inf keeps the weights of
        its last finite epoch, sets ``diverged`` and trains no more; its history ends with a ``diverged`` row."""
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
            raise ValueError(f"epochs must be an int >= 0, got {epochs!r}")
        check_real("lr", lr, min=0.0, min_open=True)
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        hyper = dict(lr=float(lr), batch_size=batch_size, regularization=regularization, rate=float(rate))
        done = 0
        for _ in range(epochs):
            if self.diverged or (should_stop is not None and should_stop()):
                break
            with self.lock:
                pen = self.penalty(regularization, rate, self.epoch + 1)
                cfg = FitConfig(epochs=1, batch_size=batch_size, lr=float(lr), momentum=0.0)
                before = copy.deepcopy(self.net.state_dict())
                fit(self.net, (self.X_train, self.y_train), cfg, penalty=pen, seed=sub_seed(self.setup.seed, 0,
                    self.epoch + 1), device="cpu", progress=False)
                row = self._evaluate()
                if row["diverged"]:  # keep the last finite weights; the history says where it broke
                    self.net.load_state_dict(before)
                    self.diverged = True
                    self._rows.append(dict(epoch=self.epoch + 1, **row, **hyper))
                    break
                self.epoch += 1
                self._record(row, hyper)
            done += 1
        return done

    def snapshot(self) -> PlaygroundSnapshot:
        """A copy of the network and the history as they are now."""
        with self.lock:
            return PlaygroundSnapshot(self.epoch, copy.deepcopy(self.net).eval(), self.history, self.setup,
                                      self.X_train, self.y_train, self.X_test, self.y_test, self.diverged)


def _grid(bounds, resolution: int) -> torch.Tensor:
    if isinstance(resolution, bool) or not isinstance(resolution, int) or not 2 <= resolution <= 2000:
        raise ValueError(f"resolution must be an int in [2, 2000], got {resolution!r}")
    u0, u1, v0, v1 = bounds
    u = (torch.arange(resolution, dtype=torch.float64) + 0.5) / resolution
    gx, gy = torch.meshgrid(u0 + (u1 - u0) * u, v0 + (v1 - v0) * u, indexing="xy")
    return torch.stack([gx.reshape(-1), gy.reshape(-1)], 1)


def decision_map(net: nn.Module, *, bounds=PLAYGROUND_BOUNDS, resolution: int = 200) -> np.ndarray:
    """The probability of class 1 sampled at the centres of a ``resolution²`` grid on ``bounds``
    (row 0 at the bottom, as ``imshow(origin="lower")`` draws it): what the Playground shows."""
    g = _grid(bounds, resolution)
    dt = next(net.parameters()).dtype
    with torch.no_grad():
        p = torch.softmax(net(g.to(dt)).double(), 1)[:, 1]
    return p.reshape(resolution, resolution).numpy()


def _check_neuron(net: nn.Module, layer: int, neuron: int) -> int:
    lins = [i for i, m in enumerate(net) if isinstance(m, nn.Linear)]
    if isinstance(layer, bool) or not isinstance(layer, int) or not 1 <= layer < len(lins):
        raise ValueError(f"layer must be a hidden layer in [1, {len(lins) - 1}], got {layer!r}")
    width = net[lins[layer - 1]].out_features
    if isinstance(neuron, bool) or not isinstance(neuron, int) or not 0 <= neuron < width:
        raise ValueError(f"neuron must be an int in [0, {width - 1}] (layer {layer} has {width}), got {neuron!r}")
    return lins[layer - 1]


def preactivation_map(net: nn.Module, layer: int, neuron: int, *, bounds=PLAYGROUND_BOUNDS,
                      resolution: int = 200) -> np.ndarray:
    """The pre-activation of ``neuron`` (0-based) of hidden ``layer`` (1-based) sampled like :func:`decision_map`."""
    idx = _check_neuron(net, layer, neuron)
    g = _grid(bounds, resolution).to(next(net.parameters()).dtype)
    with torch.no_grad():
        z = net[: idx + 1](g)[:, neuron].double()
    return z.reshape(resolution, resolution).numpy()


def neuron_edges(part, net: nn.Module, layer: int, neuron: int) -> np.ndarray:
    """The boundary of one neuron in an exact partition: the region edges its breakpoints made, ``(E, 2, 2)``.

    Inside every region of the layers before it the neuron's pre-activation is affine, so its breakpoint set
    (ReLU: ``z = 0``; hardtanh / ReLU6: two levels) is a straight segment there, and the partition has an
    edge along it wherever it bends the function: the edges whose boundary column (``part.boundaries``) is
    this neuron's.  Each edge once (from the region on the column's ``True`` side).
    """
    _check_neuron(net, layer, neuron)
    b = part.boundaries
    cols = b.index[(b["layer"] == layer) & (b["neuron"] == neuron)].to_numpy()
    if len(cols) == 0 or part.patterns.shape[1] == 0:
        return np.zeros((0, 2, 2))
    V, Vn, valid = (t.detach().cpu() for t in part.vertex_pairs())
    eb = part.edge_boundary.cpu()
    mine = torch.isin(eb, torch.tensor(cols.tolist(), dtype=eb.dtype)) & valid
    true_side = part.patterns.cpu().gather(1, torch.where(eb >= 0, eb, torch.zeros_like(eb)).long())
    m = mine & true_side
    return torch.stack([V[m], Vn[m]], 1).numpy()
