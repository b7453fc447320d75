"""The ESD paper's figures and tables: Fig. 3, Fig. 4, Fig. 6, Table 1 and Theorem 2.1.

Berthiaume, Paffenroth & Guo (2020), *Understanding Deep Learning: Expected
Spanning Dimension and Controlling the Flexibility of Neural Networks*.
Algorithm 1 itself is :mod:`workbench.papers.esd.sampling`; the study of real
(torchvision) networks is :mod:`workbench.papers.esd.real_networks`.

* :func:`esd_grid`: Fig. 4 (two-hidden-layer MLPs, ``n1 x n2`` nodes).
* :func:`random_mlp_fit`: Fig. 3 (random MLPs fitting 8 random points:
  training error against ESD and against parameter count).
* :func:`noise_fit`: Fig. 6 (fitting random-noise images with an MLP,
  add-shortcuts and add-inputs).
* :func:`table1`: Table 1 (Fashion-MNIST when available locally, otherwise the
  bundled digits; the result says which).
* :func:`psd_over_depths`: Theorem 2.1 (polynomial spanning dimension of
  height-1 square networks).

Every training goes through :func:`workbench.training.fit` (Fig. 6, Table 1)
or its stacked-restart sibling :func:`workbench.training.fit_restarts` (Fig. 3).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
import torch
from torch import nn

from workbench._runtime import DeviceLike, SeedLike, int_seed, progress_bar
from workbench.experiments.presets import Presets
from workbench.measures import count_parameters
from workbench.measures.spanning.reductions import REDUCTIONS, check_reduction
from workbench.nets.mixed import mixed_mlp
from workbench.nets.multilayer import mlp
from workbench.papers.esd.sampling import esd, esd_of, reused_jacobian_memory
from workbench.training import FitConfig, fit, fit_restarts

__all__ = [
    "esd_grid",
    "RandomFitConfig",
    "random_mlp_fit",
    "fit_correlations",
    "train_classifier",
    "NoiseFitConfig",
    "noise_fit",
    "Table1Config",
    "table1",
    "psd_over_depths",
]


def esd_grid(
    n1: Sequence[int] = range(1, 41),
    n2: Sequence[int] = range(1, 41),
    activations: Sequence[str] = ("relu", "sigmoid", "tanh"),
    *,
    samples: int = 10,
    n_points: int | None = None,
    inputs: str = "uniform",
    reduce: str = "pick_first",
    seed: SeedLike = 0,
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
    effective rank by up to about ``5e-3`` (see BENCHMARKS.md).  The grid's
    networks are plain one-input MLPs, so :func:`esd` takes the closed-form
    routes of :mod:`workbench.measures.spanning.structured` (issue 29): the
    same effective ranks as the randomized route to about ``1e-12``.

    ``client``, ``store``: where the cells run and where finished cells are
    kept for resuming (:func:`workbench.experiments.distributed.run_cells`).
    """
    from workbench.experiments.distributed import run_cells, sweep_versions
    from workbench.validation import check_device

    reduce = check_reduction(reduce, REDUCTIONS)
    dev_type = check_device(device).type  # a clear ValueError for a bad name, before any work
    combos = [(a, i, j) for a in activations for i in n1 for j in n2]
    # independent draws per cell (no shared weights along a row)
    cells = [dict(activation=a, n1=int(i), n2=int(j), seed=int_seed(seed) + samples * k)
             for k, (a, i, j) in enumerate(combos)]

    def cell(c):
        r = esd([1, c["n1"], c["n2"], 1], c["activation"], samples=samples, n_points=n_points, inputs=inputs,
                reduce=reduce, seed=c["seed"], device=device, dtype=dtype, method=method,
                progress=False)  # the grid has its own progress; no bar per cell
        return dict(activation=c["activation"], n1=c["n1"], n2=c["n2"], n_params=r.n_params, esd=r.mean, std=r.std,
                    samples=samples, n_points=r.config["n_points"], seed=c["seed"], seconds=r.seconds)

    # a store refuses a resume with other settings, another device type or other library versions
    sweep = dict(name="esd_grid", samples=samples, n_points=n_points, inputs=inputs, reduce=reduce,
                 dtype=str(dtype), method=method, device=dev_type, **sweep_versions())
    with reused_jacobian_memory():  # the cells run here share one Jacobian buffer (issue 29)
        return run_cells(cell, cells, client=client, store=store, sweep=sweep, desc="Fig. 4 grid",
                         progress=progress)


# ---------------------------------------------------------------------------
# Fig. 3: random MLPs fitting 8 random points
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RandomFitConfig(Presets):
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
    def smoke(cls, **overrides) -> RandomFitConfig:
        return replace(cls(n_networks=16, layers=(1, 3), nodes=(2, 10), restarts=3, steps=300, esd_samples=4,
                           esd_max_points=64), **overrides)

    @classmethod
    def full(cls, **overrides) -> RandomFitConfig:
        return replace(cls(), **overrides)


def random_mlp_fit(config: RandomFitConfig = RandomFitConfig(), *, device: DeviceLike = None,
                   progress: bool = True, store=None) -> pd.DataFrame:
    """Fig. 3: random MLPs, their ESD and their best training error on ``n_fit`` random points.

    Returns one row per network: ``network, widths, activations, n_hidden,
    n_params, esd, esd_std, train_error`` (best MSE over ``restarts``).  Use
    :func:`fit_correlations` for the correlations and p-values.

    The architectures are drawn first (from ``config.seed``); each network is then
    one cell of :func:`workbench.experiments.run_cells`, here (never on Dask: this
    runs inside the notebook's per-seed tasks).  With ``store=FOLDER`` each finished
    network is kept there and a run started again with the same configuration
    computes only the networks that had not finished.
    """
    from functools import partial

    from workbench.data import random_points
    from workbench.experiments.distributed import run_cells, sweep_versions
    from workbench.validation import check_device

    dev_type = check_device(device).type  # a clear ValueError for a bad name, before any work

    rng = np.random.default_rng(config.seed)
    archs = []
    for _ in range(config.n_networks):
        L = int(rng.integers(config.layers[0], config.layers[1] + 1))
        hidden = [int(v) for v in rng.integers(config.nodes[0], config.nodes[1] + 1, size=L)]
        acts = [str(a) for a in rng.choice(config.activations, size=L)]
        archs.append(([1, *hidden, 1], acts))
    cells = [dict(network=k) for k in range(config.n_networks)]
    dev = None if device is None else str(device)
    sweep = dict(sweep="random_mlp_fit", config=asdict(config), device=dev_type,
                 **sweep_versions())
    pts = random_points(config.n_fit, 1, seed=config.seed)
    return run_cells(partial(_random_fit_cell, config, archs, pts.X.double(), pts.y.double(), dev), cells,
                     client=False, store=store, sweep=sweep, batch_size=1 if store is not None else None,
                     desc="Fig. 3 networks", progress=progress)


def _random_fit_cell(config: RandomFitConfig, archs: list, X: torch.Tensor, Y: torch.Tensor, device,
                     cell: dict) -> dict:
    """One network of :func:`random_mlp_fit`: its ESD and its best training error over the restarts."""
    k = int(cell["network"])
    widths, acts = archs[k]
    s_net = config.seed * 10_000 + 100 * k
    P = sum(a * b + b for a, b in zip(widths[:-1], widths[1:]))
    npts = P if config.esd_max_points is None else min(P, config.esd_max_points)

    def factory(s, widths=widths, acts=acts):
        return mixed_mlp(widths, acts, seed=s)

    r = esd_of(factory, 1, samples=config.esd_samples, n_points=npts, inputs=config.inputs, seed=s_net,
               device=device)
    models = [mixed_mlp(widths, acts, seed=s_net + 50 + i).double() for i in range(config.restarts)]
    errs = fit_restarts(models, X, Y, steps=config.steps, lr=config.lr, momentum=config.momentum)
    return dict(network=k, widths=str(widths), activations="/".join(acts), n_hidden=len(widths) - 2, n_params=P,
                n_points=npts, esd=float(r.mean), esd_std=float(r.std), train_error=float(np.min(errs)))


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
                     lr: float = 0.1, momentum: float = 0.9, optimizer: str = "sgd", seed: SeedLike = 0,
                     X_test: torch.Tensor | None = None, y_test: torch.Tensor | None = None,
                     device: DeviceLike = None) -> pd.DataFrame:
    """Minibatch cross-entropy training through :func:`workbench.training.fit`; one row per epoch.

    Columns ``epoch`` (from 1), ``loss`` (the epoch's minibatch losses averaged
    over its samples: fit's ``batch_loss``), ``train_acc[, test_acc]``.
    """
    cfg = FitConfig(epochs=epochs, batch_size=batch_size, lr=lr, momentum=momentum, optimizer=optimizer)
    test = (X_test, y_test) if X_test is not None else None
    hist = fit(net, (X, y), cfg, test=test, seed=seed, device=device)
    cols = ["epoch", "batch_loss", "train_acc"] + (["test_acc"] if test is not None else [])
    return hist.loc[hist.epoch >= 1, cols].rename(columns={"batch_loss": "loss"}).reset_index(drop=True)


@dataclass(frozen=True)
class NoiseFitConfig(Presets):
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
    def smoke(cls, **overrides) -> NoiseFitConfig:
        return replace(cls(n=200, shape=(8, 8), epochs=15), **overrides)

    @classmethod
    def full(cls, **overrides) -> NoiseFitConfig:
        return replace(cls(), **overrides)


def noise_fit(config: NoiseFitConfig = NoiseFitConfig(), *, device: DeviceLike = None,
              progress: bool = True) -> pd.DataFrame:
    """Fig. 6: training curves of MLP, add-shortcuts and add-inputs on random-noise images.

    Hidden width = number of pixels (784 for 28x28), as in the paper.  Returns
    a tidy table ``model, epoch, loss, train_acc`` plus the sizes.
    """
    from workbench.data import noise_images

    d = noise_images(config.n, config.shape, config.n_classes, seed=config.seed)
    X = d.flat()
    width = X.shape[1]
    widths = [width] + [width] * config.hidden_layers + [config.n_classes]
    frames = []
    for name, sc in progress_bar(ARCHS.items(), len(ARCHS), "Fig. 6 models", progress, unit="model"):
        net = mlp(widths, config.activation, shortcuts=sc, seed=config.seed)
        df = train_classifier(net, X, d.y, epochs=config.epochs, batch_size=config.batch_size, lr=config.lr,
                              momentum=config.momentum, seed=config.seed, device=device)
        df.insert(0, "model", name)
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out["n_images"], out["width"], out["n_params"] = config.n, width, count_parameters(mlp(widths, config.activation))
    return out


@dataclass(frozen=True)
class Table1Config(Presets):
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
    def smoke(cls, **overrides) -> Table1Config:
        return replace(cls(n_train=600, n_test=300, epochs=(1, 5), runs=1), **overrides)

    @classmethod
    def full(cls, **overrides) -> Table1Config:
        return replace(cls(), **overrides)


def table1(config: Table1Config = Table1Config(), *, device: DeviceLike = None, progress: bool = True) -> pd.DataFrame:
    """Table 1: train/test accuracy of the three architectures after each number of epochs.

    Returns one row per (dataset, model, epochs) with mean ``train_acc`` and
    ``test_acc`` over ``runs`` (and their std); the ``dataset`` and ``source``
    columns say which data set was used (Fashion-MNIST or the digits fallback).
    """
    from workbench.data import load

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
        train = type(train)(train.X[: config.n_train], train.y[: config.n_train], train.name, train.source,
                            train.n_classes)
    if config.n_test is not None and len(test) > config.n_test:
        test = type(test)(test.X[: config.n_test], test.y[: config.n_test], test.name, test.source, test.n_classes)
    Xtr, Xte = train.flat(), test.flat()
    width = Xtr.shape[1]
    n_classes = int(train.n_classes or int(train.y.max()) + 1)
    widths = [width] + [width] * config.hidden_layers + [n_classes]
    E = max(config.epochs)
    rows = []
    jobs = [(m, r) for m in ARCHS for r in range(config.runs)]
    for name, run in progress_bar(jobs, len(jobs), "Table 1 runs", progress, unit="run"):
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


def psd_over_depths(depths: Sequence[int] = range(1, 7), *, shortcuts: str | None = None, seed: SeedLike = 0,
                    trials: int = 2, progress: bool = False) -> pd.DataFrame:
    """Exact polynomial spanning dimension of height-1 square networks ``[1, 1 x l, 1]`` (Theorem 2.1).

    One row per depth: ``hidden_layers, n_params, degree, psd, psd_points,
    bound`` where ``psd`` comes from the coefficient Jacobian and
    ``psd_points`` from the network Jacobian at distinct points (§3.1); the
    theorem says ``psd <= bound = l + 2``.
    """
    seed = int_seed(seed)  # an int or a torch.Generator
    from workbench.measures.spanning.polynomial import (
        polynomial_spanning_dimension,
        polynomial_spanning_dimension_points,
    )

    rows = []
    ds = list(depths)
    for l in progress_bar(ds, len(ds), "PSD over depths", progress, unit="depth"):
        net = mlp([1] * (l + 2), "square", shortcuts=shortcuts, seed=0)
        rows.append(dict(hidden_layers=l, n_params=count_parameters(net), degree=2**l,
                         psd=polynomial_spanning_dimension(net, seed=seed, trials=trials),
                         psd_points=polynomial_spanning_dimension_points(net, seed=seed), bound=l + 2))
    return pd.DataFrame(rows)
