"""Expected spanning dimension (ESD) experiments: Algorithm 1 and the paper's §3-5 figures.

Berthiaume, Paffenroth & Guo (2020), *Understanding Deep Learning: Expected
Spanning Dimension and Controlling the Flexibility of Neural Networks*.

* :func:`esd` is Algorithm 1: ``samples`` times draw random weights and
  ``n_points`` random inputs, compute the spanning dimension (effective rank of
  the parameter Jacobian, :mod:`workbench.measures.spanning`), and average.
  All samples of one architecture run as a stacked ensemble through nested
  ``torch.func.vmap`` and one batched SVD per chunk.
* :func:`esd_grid`: Fig. 4 (two-hidden-layer MLPs, ``n1 x n2`` nodes).
* :func:`random_mlp_fit`: Fig. 3 (random MLPs fitting 8 random points:
  training error against ESD and against parameter count).
* :func:`noise_fit`: Fig. 6 (fitting random-noise images with an MLP,
  add-shortcuts and add-inputs).
* :func:`table1`: Table 1 (Fashion-MNIST when available locally, otherwise the
  bundled digits; the result says which).
"""
from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Callable, Sequence

import numpy as np
import pandas as pd
import torch
from torch import nn

from .._runtime import DeviceLike, SeedLike, generator, int_seed, resolve_device
from ..measures.spanning import (
    RANKS,
    REDUCTIONS,
    ensemble_parameter_jacobian,
    jacobian_spanning_dimension,
)
from ..nets.ensemble import Ensemble
from ..nets.mlp import ACTIVATIONS, INITS, SHORTCUTS, _validate_widths, mlp

__all__ = [
    "INPUTS",
    "INPUT_SEED_OFFSET",
    "ESDResult",
    "draw_inputs",
    "esd",
    "esd_of",
    "esd_grid",
    "RandomFitConfig",
    "random_mlp_fit",
    "random_mlp",
    "fit_correlations",
    "NoiseFitConfig",
    "noise_fit",
    "Table1Config",
    "table1",
    "train_classifier",
    "psd_over_depths",
]

INPUTS = ("uniform", "normal", "sign")
"""Input distributions of :func:`esd`: uniform on [-1, 1], standard normal, entries in {-1, 1} (§3.3)."""

INPUT_SEED_OFFSET = 1_000_003
"""Sample ``i`` of ``esd(seed=s)`` draws its inputs from ``generator(s + i + INPUT_SEED_OFFSET)``."""

_ELEMENT_BUDGET = 2**24
"""Jacobian entries held at once by :func:`esd_of` (chunks of samples are sized to this)."""


def _check(name, value, allowed):
    if value not in allowed:
        raise ValueError(f"unknown {name} {value!r}; allowed values: {', '.join(repr(a) for a in allowed)}")


def draw_inputs(n_points: int, dim: int, inputs: str = "uniform", *, seed: SeedLike = 0,
                dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """``n_points`` random input points of dimension ``dim``, on the CPU.

    ``"uniform"``: entries uniform on ``[-1, 1]``; ``"normal"``: standard normal;
    ``"sign"``: entries uniform on ``{-1, 1}`` (ESD paper §3.3: every basis
    function of the standard, Legendre or Chebyshev basis is then ``+-1``, so
    ``V`` has rows of constant norm).  Note that a one-input network sees only
    two distinct ``"sign"`` points, so its spanning dimension is at most 2.
    """
    _check("inputs", inputs, INPUTS)
    if n_points < 1 or dim < 1:
        raise ValueError(f"n_points and dim must be positive, got {n_points}, {dim}")
    g = generator(seed)
    if inputs == "uniform":
        X = torch.rand((n_points, dim), generator=g, dtype=torch.float64) * 2 - 1
    elif inputs == "normal":
        X = torch.randn((n_points, dim), generator=g, dtype=torch.float64)
    else:
        X = torch.randint(0, 2, (n_points, dim), generator=g).to(torch.float64) * 2 - 1
    return X.to(dtype)


@dataclass(frozen=True)
class ESDResult:
    """The spanning dimensions of one architecture over random weights and inputs.

    Attributes
    ----------
    values
        One spanning dimension per sample (random weights + random inputs).
    config
        The settings that produced it (widths, activation, shortcuts, samples,
        n_points, inputs, reduce, rank, init, seed, ...).
    n_params
        Number of trainable parameters of the architecture.
    seconds
        Wall time of the computation.
    """

    values: np.ndarray
    config: dict
    n_params: int
    seconds: float = float("nan")

    @property
    def mean(self) -> float:
        """The ESD: the mean spanning dimension (Algorithm 1)."""
        return float(np.mean(self.values))

    @property
    def std(self) -> float:
        """Standard deviation of the spanning dimension over samples."""
        return float(np.std(self.values, ddof=1)) if len(self.values) > 1 else 0.0

    @property
    def sem(self) -> float:
        """Standard error of the ESD (``std / sqrt(samples)``)."""
        return self.std / math.sqrt(len(self.values))

    @property
    def table(self) -> pd.DataFrame:
        """Tidy table: one row per sample (``sample, seed, sd``) plus the configuration."""
        df = pd.DataFrame({"sample": np.arange(len(self.values)), "sd": self.values})
        if "seed" in self.config and isinstance(self.config["seed"], int):
            df["seed"] = self.config["seed"] + df["sample"]
        for k, v in self.config.items():
            if k == "seed":
                continue
            df[k] = str(v) if isinstance(v, (list, tuple)) else v
        df["n_params"] = self.n_params
        return df

    def __repr__(self) -> str:
        name = self.config.get("name") or self.config.get("widths")
        return (f"ESDResult({name}, {self.config.get('activation', '')}: ESD = {self.mean:.3f} ± {self.sem:.3f} "
                f"(sd {self.std:.3f}, {len(self.values)} samples, {self.n_params} params))")


def _count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def _progress(iterable, total, desc, progress):
    if not progress:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, leave=False)


def esd_of(
    factory: Callable[[int], nn.Module],
    n_in: int,
    *,
    samples: int = 100,
    n_points: int | None = None,
    inputs: str = "uniform",
    reduce: str = "first",
    rank: str = "effective",
    seed: int = 0,
    device: DeviceLike = None,
    dtype: torch.dtype = torch.float32,
    chunk_samples: int | None = None,
    progress: bool = False,
    config: dict | None = None,
    method: str = "svd",
    on_progress: Callable[[int, int], None] | None = None,
) -> ESDResult:
    """Algorithm 1 for any architecture: ``factory(seed_i)`` builds sample ``i``'s network.

    Sample ``i`` uses the network ``factory(seed + i)`` and the inputs
    ``draw_inputs(n_points, n_in, inputs, seed=seed + i + INPUT_SEED_OFFSET)``;
    its spanning dimension equals
    ``spanning_dimension(factory(seed + i), X_i, reduce=reduce, rank=rank)``.
    Samples are evaluated in chunks (stacked parameters, nested ``vmap``,
    batched SVD) sized so that a chunk's Jacobians hold about ``2**24`` entries.
    ``on_progress(done, total)`` is called after each chunk (widgets use it).
    """
    _check("inputs", inputs, INPUTS)
    _check("reduce", reduce, REDUCTIONS)
    _check("rank", rank, RANKS)
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise ValueError(f"samples must be a positive int, got {samples!r}")
    s0 = int_seed(seed)
    dev = resolve_device(device)
    probe = factory(s0)
    P = _count(probe)
    if P == 0:
        raise ValueError("the network has no parameters, so it has no spanning dimension; give a network with weights")
    n_pts = P if n_points is None else int(n_points)
    if n_pts < 1:
        raise ValueError(f"n_points must be positive, got {n_points}")
    with torch.no_grad():
        n_out = int(probe(torch.zeros(1, n_in)).reshape(-1).numel())
    per_sample = n_pts * P * (n_out if reduce == "mean" else 1)
    chunk = chunk_samples or max(1, min(samples, _ELEMENT_BUDGET // max(per_sample, 1)))
    t0 = time.perf_counter()
    values = []
    starts = range(0, samples, chunk)
    for start in _progress(starts, len(starts), "ESD samples", progress):
        c = min(chunk, samples - start)
        models = [probe if start + i == 0 else factory(s0 + start + i) for i in range(c)]
        ens = Ensemble(models, device=dev)
        params = {k: v.to(dtype) for k, v in ens.params.items()}
        buffers = {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in ens.buffers.items()}
        X = torch.stack([draw_inputs(n_pts, n_in, inputs, seed=s0 + start + i + INPUT_SEED_OFFSET, dtype=dtype)
                         for i in range(c)]).to(dev)
        J = ensemble_parameter_jacobian(ens.base, params, buffers, X, reduce)
        if not torch.isfinite(J).all():
            bad = (~torch.isfinite(J).all(-1)).nonzero()[0].tolist()  # (member, [output,] point)
            x = X[bad[0], bad[-1]].tolist()
            raise FloatingPointError(
                f"the parameter gradient of sample {start + bad[0]} (network seed {s0 + start + bad[0]}) at its "
                f"point {bad[-1]} (x = {x}) contains NaN or inf; the network overflows or divides by zero there. "
                "Check the initialisation scale and the input distribution, or use dtype=torch.float64")
        sd = jacobian_spanning_dimension(J, rank=rank, mean_axis=1 if reduce == "mean" else None, method=method)
        values.append(sd.detach().cpu().to(torch.float64).numpy())
        if on_progress is not None:
            on_progress(start + c, samples)
    cfg = dict(config or {})
    cfg.update(samples=samples, n_points=n_pts, inputs=inputs, reduce=reduce, rank=rank, seed=s0,
               dtype=str(dtype).replace("torch.", ""), device=str(dev), method=method)
    return ESDResult(np.concatenate(values), cfg, P, time.perf_counter() - t0)


def esd(
    widths: Sequence[int],
    activation: str = "relu",
    *,
    shortcuts: str | None = None,
    samples: int = 100,
    n_points: int | None = None,
    inputs: str = "uniform",
    reduce: str = "first",
    rank: str = "effective",
    init: str = "default",
    seed: int = 0,
    device: DeviceLike = None,
    dtype: torch.dtype = torch.float32,
    method: str = "svd",
    progress: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> ESDResult:
    """Expected spanning dimension of ``mlp(widths, activation, shortcuts=...)`` (Algorithm 1).

    For each of ``samples`` draws: random weights (``mlp(..., init=init,
    seed=seed + i)``), ``n_points`` random inputs (:func:`draw_inputs` with
    ``seed + i + INPUT_SEED_OFFSET``), the Jacobian of the reduced output with
    respect to all parameters, and its effective rank (§3.1.1).  The ESD is the
    mean; the result keeps every value (the SD distribution of Figs. 1-2).

    Parameters
    ----------
    widths, activation, shortcuts, init
        The architecture, as in :func:`workbench.mlp`.
    samples
        Number of (weights, inputs) draws (the paper's lambda).
    n_points
        Points per draw; default: the number of parameters (§3.1 uses as many
        points as weights).
    inputs
        ``"uniform"`` on ``[-1, 1]``, ``"normal"`` or ``"sign"`` (entries in
        ``{-1, 1}``, §3.3).  The paper does not pin this down for §3-5.
    reduce
        ``"first"``, ``"sum_squares"`` or ``"mean"`` (§3.2; see
        :func:`workbench.spanning_dimension`).
    rank
        ``"effective"`` (the paper) or ``"numerical"``.
    seed
        Sample ``i`` is reproducible on its own (see :func:`esd_of`).
    device, dtype
        Where and in what precision (default float32, PyTorch's default) the
        Jacobians and SVDs are computed.  float32 rounding leaves ~P tiny
        noise singular values that add entropy: measured on Fig. 4's networks,
        SDs come out up to about ``5e-3`` higher than in float64 for
        ``P`` around 1,000-1,800 (``1e-3`` at ``P = 481``).  Use
        ``dtype=torch.float64`` (with ``method="lowrank"`` it is also fast) when
        that matters.
    method
        ``"svd"``, ``"gram"`` (eigenvalues of ``J J^T`` in float64) or
        ``"lowrank"`` (a randomized range finder certified to the
        numerical-rank tolerance, much faster for the low-rank square
        Jacobians of one-input networks); see
        :func:`workbench.jacobian_singular_values`.
    progress
        Show a ``tqdm`` bar over chunks of samples.
    on_progress
        ``on_progress(done, total)`` after each chunk of samples.
    """
    ws = _validate_widths(widths)
    _check("activation", activation, tuple(ACTIVATIONS))
    _check("shortcuts", shortcuts, SHORTCUTS)
    _check("init", init, INITS)

    def factory(s: int) -> nn.Module:
        return mlp(ws, activation, shortcuts=shortcuts, init=init, seed=s)

    cfg = dict(widths=tuple(ws), activation=activation, shortcuts=shortcuts or "none", init=init)
    return esd_of(factory, ws[0], samples=samples, n_points=n_points, inputs=inputs, reduce=reduce, rank=rank,
                  seed=seed, device=device, dtype=dtype, progress=progress, config=cfg, method=method,
                  on_progress=on_progress)


def esd_grid(
    n1: Sequence[int] = range(1, 41),
    n2: Sequence[int] = range(1, 41),
    activations: Sequence[str] = ("relu", "sigmoid", "tanh"),
    *,
    samples: int = 10,
    n_points: int | None = None,
    inputs: str = "uniform",
    reduce: str = "first",
    seed: int = 0,
    device: DeviceLike = None,
    dtype: torch.dtype = torch.float64,
    method: str = "lowrank",
    progress: bool = True,
    client=None,
    store=None,
) -> pd.DataFrame:
    """ESD of every MLP ``[1, i, j, 1]`` for ``i in n1``, ``j in n2`` and each activation (Fig. 4, §4.1).

    The paper sweeps ``i, j in 1..40`` for ReLU, sigmoid and tanh (4,800
    networks).  Returns a tidy table with columns ``activation, n1, n2,
    n_params, esd, std, samples, n_points, seed, seconds``.  Each cell draws
    its own weights and inputs: its row equals ``esd([1, i, j, 1], activation,
    samples=samples, seed=row.seed, ...)`` with ``row.seed = seed + samples * k``
    for the ``k``-th cell.  (With one seed for every cell, all networks with
    the same ``i`` would share their first-layer weights, which paints
    horizontal stripes into the heat map.)

    Defaults: float64 Jacobians and the certified low-rank singular values
    (``method="lowrank"``).  These square Jacobians (``n_points = n_params``
    up to 1,761) have numerical rank below about 100, so the certified route
    gives the SVD's effective rank to about ``1e-11`` many times faster; in
    float32 the rounding noise in the ~1,700 tiny singular values raises the
    effective rank by up to about ``5e-3`` (see BENCHMARKS.md).

    ``client``, ``store``: where the cells run and where finished cells are
    kept for resuming (:func:`workbench.experiments.distributed.run_cells`).
    """
    from .distributed import run_cells

    combos = [(a, i, j) for a in activations for i in n1 for j in n2]
    # independent draws per cell (no shared weights along a row)
    cells = [dict(activation=a, n1=int(i), n2=int(j), seed=int_seed(seed) + samples * k)
             for k, (a, i, j) in enumerate(combos)]

    def cell(c):
        r = esd([1, c["n1"], c["n2"], 1], c["activation"], samples=samples, n_points=n_points, inputs=inputs,
                reduce=reduce, seed=c["seed"], device=device, dtype=dtype, method=method)
        return dict(activation=c["activation"], n1=c["n1"], n2=c["n2"], n_params=r.n_params, esd=r.mean, std=r.std,
                    samples=samples, n_points=r.config["n_points"], seed=c["seed"], seconds=r.seconds)

    sweep = dict(name="esd_grid", samples=samples, n_points=n_points, inputs=inputs, reduce=reduce,
                 dtype=str(dtype), method=method)
    return run_cells(cell, cells, client=client, store=store, sweep=sweep, desc="Fig. 4 grid", progress=progress)


# ---------------------------------------------------------------------------
# Fig. 3: random MLPs fitting 8 random points
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RandomFitConfig:
    """Fig. 3 (§4): random MLPs, ESD and best training error fitting ``n_fit`` random points.

    The paper: 200 networks, 1-6 hidden layers, 2-30 nodes per layer, one of
    tanh/ReLU/sigmoid per layer, 8 random points, SGD from 10 seeds keeping the
    best.  ``esd_max_points`` caps the points per ESD draw (the paper uses as
    many as parameters); ``steps``/``lr``/``momentum`` are our choices (the
    paper does not give them).
    """

    n_networks: int = 200
    n_fit: int = 8
    layers: tuple[int, int] = (1, 6)
    nodes: tuple[int, int] = (2, 30)
    activations: tuple[str, ...] = ("tanh", "relu", "sigmoid")
    restarts: int = 10
    steps: int = 2000
    lr: float = 0.01
    momentum: float = 0.9
    esd_samples: int = 20
    esd_max_points: int | None = 256
    inputs: str = "uniform"
    seed: int = 0

    @classmethod
    def smoke(cls) -> "RandomFitConfig":
        return cls(n_networks=16, layers=(1, 3), nodes=(2, 10), restarts=3, steps=300, esd_samples=4,
                   esd_max_points=64)

    @classmethod
    def full(cls) -> "RandomFitConfig":
        return cls()


class _MixedMLP(nn.Module):
    """An MLP with its own activation per hidden layer (Fig. 3's random networks)."""

    def __init__(self, widths: Sequence[int], acts: Sequence[str]):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:]))
        self.acts = nn.ModuleList(ACTIVATIONS[a]() for a in acts)
        self.widths = list(widths)
        self.activations = list(acts)

    def forward(self, x):
        for lin, act in zip(self.layers[:-1], self.acts):
            x = act(lin(x))
        return self.layers[-1](x)


def random_mlp(widths: Sequence[int], acts: Sequence[str], seed: int) -> nn.Module:
    """An MLP with activation ``acts[l]`` after hidden layer ``l``, PyTorch's default init drawn from ``seed``."""
    base = mlp(widths, "identity", seed=seed)  # seeded default init
    net = _MixedMLP(widths, acts)
    net.load_state_dict(base.state_dict())
    return net


def _train_restarts(models: list[nn.Module], X: torch.Tensor, Y: torch.Tensor, steps: int, lr: float,
                    momentum: float) -> np.ndarray:
    """Full-batch gradient descent with momentum on all restarts at once; final MSE per restart.

    ``models`` are :func:`random_mlp` networks of one architecture.  Their
    weights are stacked (``(R, out, in)``) and trained together with batched
    matrix products and ordinary autograd: the update is exactly
    ``torch.optim.SGD(lr=lr, momentum=momentum)`` on each model on its own
    (``v <- momentum v + g``, ``p <- p - lr v``; tested), 3-16x faster than
    ``vmap(grad)`` for these tiny networks in an ad-hoc timing (per-step overhead dominates).
    """
    base = models[0]
    acts = list(base.acts)
    Ws = [torch.stack([m.layers[i].weight.detach() for m in models]).clone().requires_grad_(True)
          for i in range(len(base.layers))]
    bs = [torch.stack([m.layers[i].bias.detach() for m in models]).unsqueeze(1).clone().requires_grad_(True)
          for i in range(len(base.layers))]
    params = [p for pair in zip(Ws, bs) for p in pair]
    Xr = X.to(Ws[0].dtype).expand(len(models), *X.shape)
    Yr = Y.to(Ws[0].dtype)

    def per_restart_loss():
        h = Xr
        for i, (W, b) in enumerate(zip(Ws, bs)):
            h = torch.baddbmm(b, h, W.mT)
            if i < len(acts):
                h = acts[i](h)
        return ((h - Yr) ** 2).mean(dim=(1, 2))

    vel = [torch.zeros_like(p) for p in params]
    for _ in range(steps):
        grads = torch.autograd.grad(per_restart_loss().sum(), params)
        with torch.no_grad():
            for p, v, g in zip(params, vel, grads):
                v.mul_(momentum).add_(g)
                p.sub_(lr * v)
    with torch.no_grad():
        final = per_restart_loss()
    final = final.cpu().numpy().astype(float)
    final[~np.isfinite(final)] = np.inf
    return final


def random_mlp_fit(config: RandomFitConfig = RandomFitConfig(), *, device: DeviceLike = None,
                   progress: bool = True) -> pd.DataFrame:
    """Fig. 3: random MLPs, their ESD and their best training error on ``n_fit`` random points.

    Returns one row per network: ``network, widths, activations, n_hidden,
    n_params, esd, esd_std, train_error`` (best MSE over ``restarts``).  Use
    :func:`fit_correlations` for the correlations and p-values.
    """
    from ..data import random_points

    rng = np.random.default_rng(config.seed)
    pts = random_points(config.n_fit, 1, seed=config.seed)
    X, Y = pts.X.double(), pts.y.double()
    rows = []
    for k in _progress(range(config.n_networks), config.n_networks, "Fig. 3 networks", progress):
        L = int(rng.integers(config.layers[0], config.layers[1] + 1))
        hidden = [int(v) for v in rng.integers(config.nodes[0], config.nodes[1] + 1, size=L)]
        acts = [str(a) for a in rng.choice(config.activations, size=L)]
        widths = [1, *hidden, 1]
        s_net = config.seed * 10_000 + 100 * k
        P = sum(a * b + b for a, b in zip(widths[:-1], widths[1:]))
        npts = P if config.esd_max_points is None else min(P, config.esd_max_points)
        r = esd_of(lambda s: random_mlp(widths, acts, s), 1, samples=config.esd_samples, n_points=npts,
                   inputs=config.inputs, seed=s_net, device=device)
        models = [random_mlp(widths, acts, s_net + 50 + i).double() for i in range(config.restarts)]
        errs = _train_restarts(models, X, Y, config.steps, config.lr, config.momentum)
        rows.append(dict(network=k, widths=str(widths), activations="/".join(acts), n_hidden=L, n_params=P,
                         n_points=npts, esd=r.mean, esd_std=r.std, train_error=float(np.min(errs))))
    return pd.DataFrame(rows)


def fit_correlations(table: pd.DataFrame, y: str = "train_error", xs: Sequence[str] = ("esd", "n_params"),
                     log_y: bool = False) -> pd.DataFrame:
    """Pearson correlation and two-sided p-value of ``y`` against each column in ``xs`` (scipy)."""
    from scipy import stats

    rows = []
    yy = table[y].to_numpy(float)
    if log_y:
        yy = np.log10(np.maximum(yy, 1e-300))
    for x in xs:
        xx = table[x].to_numpy(float)
        ok = np.isfinite(xx) & np.isfinite(yy)
        r, p = stats.pearsonr(xx[ok], yy[ok])
        slope, intercept = np.polyfit(xx[ok], yy[ok], 1)
        rows.append(dict(x=x, y=("log10 " if log_y else "") + y, r=float(r), p_value=float(p), slope=float(slope),
                         intercept=float(intercept), n=int(ok.sum())))
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# Fig. 6 and Table 1: training MLP / add-shortcuts / add-inputs
# ---------------------------------------------------------------------------

ARCHS = {"MLP": None, "add-shortcuts": "add-shortcuts", "add-inputs": "add-inputs"}


def train_classifier(net: nn.Module, X: torch.Tensor, y: torch.Tensor, *, epochs: int, batch_size: int = 100,
                     lr: float = 0.1, momentum: float = 0.9, optimizer: str = "sgd", seed: int = 0,
                     X_test: torch.Tensor | None = None, y_test: torch.Tensor | None = None,
                     device: DeviceLike = None) -> pd.DataFrame:
    """Minibatch training with cross-entropy; one row per epoch (``epoch, loss, train_acc[, test_acc]``)."""
    dev = resolve_device(device)
    net = net.to(dev)
    X, y = X.to(dev), y.to(dev)
    g = generator(seed)
    opt = (torch.optim.SGD(net.parameters(), lr=lr, momentum=momentum) if optimizer == "sgd"
           else torch.optim.Adam(net.parameters(), lr=lr))
    lossf = nn.CrossEntropyLoss()

    def acc(A, b):
        with torch.no_grad():
            return float((net(A).argmax(1) == b).float().mean())

    rows = []
    for ep in range(1, epochs + 1):
        perm = torch.randperm(len(X), generator=g).to(dev)
        tot = 0.0
        for i in range(0, len(X), batch_size):
            idx = perm[i : i + batch_size]
            opt.zero_grad()
            loss = lossf(net(X[idx]), y[idx])
            loss.backward()
            opt.step()
            tot += float(loss.detach()) * len(idx)
        row = dict(epoch=ep, loss=tot / len(X), train_acc=acc(X, y))
        if X_test is not None:
            row["test_acc"] = acc(X_test.to(dev), y_test.to(dev))
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class NoiseFitConfig:
    """Fig. 6 (§5.1): fit ``n`` noise images of ``shape`` with ``n_classes`` random labels.

    The paper: 1,000 images of 28x28, ten classes, three hidden layers of 784
    sigmoid nodes, gradient descent (optimizer settings not given: ours are
    SGD with momentum, ``lr``, ``batch_size``).
    """

    n: int = 1000
    shape: tuple[int, int] = (28, 28)
    n_classes: int = 10
    hidden_layers: int = 3
    activation: str = "sigmoid"
    epochs: int = 50
    batch_size: int = 50
    lr: float = 0.1
    momentum: float = 0.9
    seed: int = 0

    @classmethod
    def smoke(cls) -> "NoiseFitConfig":
        return cls(n=200, shape=(8, 8), epochs=15)

    @classmethod
    def full(cls) -> "NoiseFitConfig":
        return cls()


def noise_fit(config: NoiseFitConfig = NoiseFitConfig(), *, device: DeviceLike = None,
              progress: bool = True) -> pd.DataFrame:
    """Fig. 6: training curves of MLP, add-shortcuts and add-inputs on random-noise images.

    Hidden width = number of pixels (784 for 28x28), as in the paper.  Returns
    a tidy table ``model, epoch, loss, train_acc`` plus the sizes.
    """
    from ..data import noise_images

    d = noise_images(config.n, config.shape, config.n_classes, seed=config.seed)
    X = d.flat()
    width = X.shape[1]
    widths = [width] + [width] * config.hidden_layers + [config.n_classes]
    frames = []
    for name, sc in _progress(ARCHS.items(), len(ARCHS), "Fig. 6 models", progress):
        net = mlp(widths, config.activation, shortcuts=sc, seed=config.seed)
        df = train_classifier(net, X, d.y, epochs=config.epochs, batch_size=config.batch_size, lr=config.lr,
                              momentum=config.momentum, seed=config.seed, device=device)
        df.insert(0, "model", name)
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out["n_images"], out["width"], out["n_params"] = config.n, width, _count(mlp(widths, config.activation))
    return out


@dataclass(frozen=True)
class Table1Config:
    """Table 1 (§5.2): MLP vs add-shortcuts vs add-inputs on Fashion-MNIST, mean of ``runs`` runs.

    ``dataset`` is loaded with :func:`workbench.data.load`, which falls back to
    the bundled digits when Fashion-MNIST is not on disk.  The hidden width is
    the number of pixels (row-aligned shortcuts, as in Fig. 5).
    """

    dataset: str = "fashion_mnist"
    n_train: int | None = 10000
    n_test: int | None = 2000
    hidden_layers: int = 3
    activation: str = "sigmoid"
    epochs: tuple[int, ...] = (1, 5, 10)
    runs: int = 3
    batch_size: int = 100
    lr: float = 0.1
    momentum: float = 0.9
    seed: int = 0

    @classmethod
    def smoke(cls) -> "Table1Config":
        return cls(n_train=600, n_test=300, epochs=(1, 5), runs=1)

    @classmethod
    def full(cls) -> "Table1Config":
        return cls()


def table1(config: Table1Config = Table1Config(), *, device: DeviceLike = None, progress: bool = True) -> pd.DataFrame:
    """Table 1: train/test accuracy of the three architectures after each number of epochs.

    Returns one row per (dataset, model, epochs) with mean ``train_acc`` and
    ``test_acc`` over ``runs`` (and their std); the ``dataset`` and ``source``
    columns say which data set was used (Fashion-MNIST or the digits fallback).
    """
    from ..data import load

    if config.dataset == "digits":
        full = load("digits")
        train, test = full.split(0.7, seed=config.seed)
    else:
        train = load(config.dataset, train=True, n=config.n_train, seed=config.seed)
        if train.name == "digits":  # fallback: split the bundled set
            train, test = load("digits").split(0.7, seed=config.seed)
        else:
            test = load(config.dataset, train=False, n=config.n_test, seed=config.seed)
    if config.n_train is not None and len(train) > config.n_train:
        train = type(train)(train.X[: config.n_train], train.y[: config.n_train], train.name, train.source, train.n_classes)
    if config.n_test is not None and len(test) > config.n_test:
        test = type(test)(test.X[: config.n_test], test.y[: config.n_test], test.name, test.source, test.n_classes)
    Xtr, Xte = train.flat(), test.flat()
    width = Xtr.shape[1]
    n_classes = int(train.n_classes or int(train.y.max()) + 1)
    widths = [width] + [width] * config.hidden_layers + [n_classes]
    E = max(config.epochs)
    rows = []
    jobs = [(m, r) for m in ARCHS for r in range(config.runs)]
    for name, run in _progress(jobs, len(jobs), "Table 1 runs", progress):
        net = mlp(widths, config.activation, shortcuts=ARCHS[name], seed=config.seed + run)
        df = train_classifier(net, Xtr, train.y, epochs=E, batch_size=config.batch_size, lr=config.lr,
                              momentum=config.momentum, seed=config.seed + run, X_test=Xte, y_test=test.y,
                              device=device)
        for ep in config.epochs:
            r = df[df.epoch == ep].iloc[0]
            rows.append(dict(model=name, run=run, epochs=ep, train_acc=r.train_acc, test_acc=r.test_acc))
    raw = pd.DataFrame(rows)
    out = (raw.groupby(["model", "epochs"], sort=False)
           .agg(train_acc=("train_acc", "mean"), train_std=("train_acc", "std"),
                test_acc=("test_acc", "mean"), test_std=("test_acc", "std"), runs=("run", "count"))
           .reset_index())
    name = train.name.replace(" (train)", "")
    out.insert(0, "dataset", name)
    out["source"] = train.source
    out["n_train"], out["n_test"], out["width"] = len(train), len(test), width
    return out


def psd_over_depths(depths: Sequence[int] = range(1, 7), *, shortcuts: str | None = None, seed: int = 0,
                    trials: int = 2, progress: bool = False) -> pd.DataFrame:
    """Exact polynomial spanning dimension of height-1 square networks ``[1, 1 x l, 1]`` (Theorem 2.1).

    One row per depth: ``hidden_layers, n_params, degree, psd, psd_points,
    bound`` where ``psd`` comes from the coefficient Jacobian and
    ``psd_points`` from the network Jacobian at distinct points (§3.1); the
    theorem says ``psd <= bound = l + 2``.
    """
    from ..measures.polynomial import polynomial_spanning_dimension, polynomial_spanning_dimension_points

    rows = []
    ds = list(depths)
    for l in _progress(ds, len(ds), "PSD over depths", progress):
        net = mlp([1] * (l + 2), "square", shortcuts=shortcuts, seed=0)
        rows.append(dict(hidden_layers=l, n_params=_count(net), degree=2**l,
                         psd=polynomial_spanning_dimension(net, seed=seed, trials=trials),
                         psd_points=polynomial_spanning_dimension_points(net, seed=seed), bound=l + 2))
    return pd.DataFrame(rows)
