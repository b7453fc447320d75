"""Paper-figure recipes for Raghu et al. (2017), *On the Expressive Power of Deep Neural Networks*.

Configuration in (frozen dataclasses with ``smoke`` / ``full`` presets), tidy
``pandas`` tables out.  Figure numbers follow the order of the captions in the
paper (regions 1, transitions 2, circle 3, conv growth 4, transitions vs
length 5, layer noise 6, one trained layer 7, length during training 8, batch
norm 9-10, trajectory regularisation 11; appendix: 12-13 growth, 14-16
dichotomies, 17 one layer on CIFAR-10, 18 length during training on MNIST).
Random networks come from :func:`workbench.mlp_ensemble`
(many seeds in one batched call); measures from :mod:`workbench.measures.paths`
and :mod:`workbench.measures.paths.dichotomies`.

* :func:`length_growth`: trajectory length per layer over depth, width ``k``,
  ``sigma_w^2``, ``sigma_b^2`` and activation (Theorem 3; Figs. 4, 12 and 13)
  with the paper's bounds beside every row (:func:`workbench.growth_rate_bounds`).
* :func:`transitions_vs_length`: exact transitions per layer against the length
  of the trajectory entering that layer (Theorem 4; Fig. 5).
* :func:`dichotomy_sweep`: distinct labellings vs depth, width and remaining
  depth (Figs. 14-16).
* Trained networks on the bundled digits: :func:`train_one_layer` (remaining
  depth, Figs. 7 and 17), :func:`layer_noise` (noise added to one layer at a time, Fig. 6),
  :func:`length_during_training` (Figs. 8 and 18) and :func:`trajreg_vs_batchnorm`
  (trajectory regularisation against batch norm on a small conv net, §5, Fig. 11).
* :func:`circle_through_layers`: the circle's image at every layer, with a
  stable 2-D projection per layer, for the animation (Fig. 3); it lives in
  :mod:`workbench.papers.raghu.circle_animation` and is re-exported here.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, replace
from functools import partial

import numpy as np
import pandas as pd
import torch

from workbench._runtime import DeviceLike, SeedLike, generator, int_seed, progress_bar, resolve_device
from workbench.experiments.distributed import run_cells
from workbench.experiments.presets import Presets
from workbench.measures.bounds import growth_rate_bounds
from workbench.measures.paths import (
    circle,
    circle_transitions,
    layer_images,
    trajectory_length,
)
from workbench.measures.paths.dichotomies import count_dichotomies
from workbench.nets import mlp, mlp_ensemble
from workbench.nets.conv import small_convnet
from workbench.nets.trajreg import trajectory_penalty
from workbench.papers.raghu.circle_animation import (  # noqa: F401 (Fig. 3 lives there; importable from here)
    LayerTrajectory,
    _pca_2d,
    _plane,
    circle_through_layers,
)
from workbench.training import FitConfig, accuracy, fit

__all__ = [
    "GrowthConfig", "length_growth", "growth_rates",
    "TransitionsConfig", "transitions_vs_length",
    "DichotomyConfig", "dichotomy_sweep",
    "TrainConfig", "train_one_layer", "layer_noise", "length_during_training",
    "trajreg_vs_batchnorm",
    "LayerTrajectory", "circle_through_layers",
]


def _grid(**axes):
    keys = list(axes)
    return [dict(zip(keys, vals)) for vals in itertools.product(*(axes[k] for k in keys))]


# --------------------------------------------------------------------------------------
# length growth
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GrowthConfig(Presets):
    """A sweep of trajectory-length growth (Raghu et al. 2017, Theorem 3, Figs. 4, 12 and 13)."""

    depth: int = 10
    widths: tuple = (20, 100)
    sigma_w2s: tuple = (1.0, 4.0, 16.0)
    sigma_b2s: tuple = (0.0,)
    activations: tuple = ("relu", "hardtanh", "tanh")
    input_dim: int = 32
    n_seeds: int = 8
    n_points: int = 2000

    @classmethod
    def smoke(cls, **kw) -> GrowthConfig:
        return replace(cls(depth=6, widths=(20, 100), sigma_w2s=(2.0, 8.0), n_seeds=3, n_points=300), **kw)

    @classmethod
    def full(cls, **kw) -> GrowthConfig:
        return replace(cls(depth=12, widths=(10, 50, 200), sigma_w2s=(1.0, 2.0, 4.0, 16.0), sigma_b2s=(0.0, 1.0),
                           n_seeds=16, n_points=4000), **kw)


def length_growth(config: GrowthConfig = GrowthConfig(), *, seed: SeedLike = 0, device: DeviceLike = None,
                  progress: bool = True, client=None, store=None) -> pd.DataFrame:
    """Trajectory length at every layer for random Gaussian networks.

    For every (activation, width, sigma_w^2, sigma_b^2) an ensemble of
    ``n_seeds`` networks of ``depth`` hidden layers (``init="gaussian"``) is
    evaluated in one batched pass on the circle ``cos t x0 + sin t x1``
    (``x0, x1`` Gaussian in ``input_dim`` dimensions, the same for all).

    Returns
    -------
    DataFrame with columns ``activation, width, sigma_w2, sigma_b2, seed, layer,
    length, ratio`` (length / input length) and the bounds' predictions
    ``lower_bound = lower^layer``, ``upper_bound = upper^layer`` as ratios,
    ``lower_rate``, ``upper_rate``.
    ``client``, ``store``: see :func:`workbench.experiments.distributed.run_cells`.
    """
    seed = int_seed(seed)  # an int or a torch.Generator
    x0, x1 = _plane(config.input_dim, seed)
    X = circle(x0, x1, config.n_points)
    L0 = float(trajectory_length(X.double()))
    grid = _grid(activation=config.activations, width=config.widths, sigma_w2=config.sigma_w2s,
                 sigma_b2=config.sigma_b2s)

    def cell(g):
        rows = []
        widths = [config.input_dim] + [g["width"]] * config.depth + [1]
        ens = mlp_ensemble(widths, config.n_seeds, g["activation"], init="gaussian", sigma_w2=g["sigma_w2"],
                           sigma_b2=g["sigma_b2"], seed=seed * 1000 + 1, device=device)
        imgs = layer_images(ens, X)[:-1]  # input + hidden layers
        lengths = trajectory_length([z.double() for z in imgs]).cpu()  # (depth + 1, n_seeds)
        b = growth_rate_bounds(g["activation"], g["width"], g["sigma_w2"], g["sigma_b2"])
        for s in range(config.n_seeds):
            for layer in range(config.depth + 1):
                L = float(lengths[layer, s])
                rows.append({**g, "seed": ens.seeds[s], "layer": layer, "length": L, "ratio": L / L0,
                             "lower_rate": b["lower"], "upper_rate": b["upper"],
                             "lower_bound": b["lower"] ** layer, "upper_bound": b["upper"] ** layer})
        return rows

    sweep = dict(name="length_growth", seed=seed, depth=config.depth, input_dim=config.input_dim,
                 n_seeds=config.n_seeds, n_points=config.n_points)
    return run_cells(cell, grid, client=client, store=store, sweep=sweep, desc="length growth", progress=progress)


def growth_rates(df: pd.DataFrame, *, skip_layers: int = 1) -> pd.DataFrame:
    """Measured per-layer growth factor: ``exp`` of the slope of ``log length`` over layers.

    One row per network (all columns of :func:`length_growth` except the
    per-layer ones) with ``rate`` (least-squares over layers ``>= skip_layers``,
    skipping the input whose scale differs) beside ``lower_rate``/``upper_rate``.
    """
    keys = [c for c in ("activation", "width", "sigma_w2", "sigma_b2", "seed") if c in df.columns]
    out = []
    for key, g in df[df["layer"] >= skip_layers].groupby(keys):
        x, y = g["layer"].to_numpy(float), np.log(g["length"].to_numpy(float))
        slope = np.polyfit(x, y, 1)[0] if len(x) > 1 else np.nan
        row = dict(zip(keys, key))
        row.update(rate=float(np.exp(slope)), lower_rate=float(g["lower_rate"].iloc[0]),
                   upper_rate=float(g["upper_rate"].iloc[0]))
        out.append(row)
    return pd.DataFrame(out)


# --------------------------------------------------------------------------------------
# transitions vs length
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TransitionsConfig(Presets):
    """Exact transitions against trajectory length (Raghu et al. 2017, Theorem 4)."""

    activation: str = "hardtanh"
    depth: int = 6
    widths: tuple = (20, 50)
    sigma_w2s: tuple = (2.0, 8.0, 16.0)
    sigma_b2: float = 0.0
    input_dim: int = 32
    n_seeds: int = 4
    n_points: int = 2000

    @classmethod
    def smoke(cls, **kw) -> TransitionsConfig:
        return replace(cls(depth=4, widths=(8, 16), sigma_w2s=(2.0, 8.0), n_seeds=2, n_points=500), **kw)

    @classmethod
    def full(cls, **kw) -> TransitionsConfig:
        return replace(cls(depth=8, widths=(20, 50, 100), sigma_w2s=(1.0, 4.0, 16.0), n_seeds=6, n_points=4000), **kw)


def transitions_vs_length(config: TransitionsConfig = TransitionsConfig(), *, seed: SeedLike = 0,
                          device: DeviceLike = None, progress: bool = True, client=None, store=None) -> pd.DataFrame:
    """Exact per-layer transitions on a circle beside the trajectory length entering each layer.

    Raghu et al. (2017), Theorem 4 (transitions proportional to trajectory
    length): for a hard-tanh network with ``n`` hidden layers of width ``k``,
    ``T(F(x(t); W)) = O(g(k, sigma_w, sigma_b, n))`` with
    ``g = (sqrt(k) / sqrt(1 + sigma_b^2 / sigma_w^2))^n``, proved assuming the
    neurons are saturated except while transitioning (large ``sigma_w``; the
    ICLR 2017 version states it for very large ``sigma_w``); the proof shows the
    transitions of layer ``d + 1`` proportional to the length of the trajectory
    at layer ``d``.  Transitions are exact (:func:`workbench.circle_transitions`, all seeds
    walked in one batch); lengths come from ``n_points`` samples.

    Returns
    -------
    DataFrame: ``activation, width, sigma_w2, sigma_b2, seed, layer,
    transitions, length_in`` (length of the image at layer ``layer - 1``),
    ``length_out`` (at ``layer``), ``n_patterns`` (whole network, per seed).
    ``client``, ``store``: see :func:`workbench.experiments.distributed.run_cells`.
    """
    seed = int_seed(seed)  # an int or a torch.Generator
    x0, x1 = _plane(config.input_dim, seed)
    X = circle(x0, x1, config.n_points)
    grid = _grid(width=config.widths, sigma_w2=config.sigma_w2s)

    def cell(g):
        rows = []
        widths = [config.input_dim] + [g["width"]] * config.depth + [1]
        ens = mlp_ensemble(widths, config.n_seeds, config.activation, init="gaussian", sigma_w2=g["sigma_w2"],
                           sigma_b2=config.sigma_b2, seed=seed * 1000 + 7, device=device)
        lengths = trajectory_length([z.double() for z in layer_images(ens, X)[:-1]]).cpu()
        res = circle_transitions(ens, x0, x1, keep_patterns=False)
        for s in range(config.n_seeds):
            for layer in range(1, config.depth + 1):
                rows.append({"activation": config.activation, **g, "sigma_b2": config.sigma_b2,
                             "seed": ens.seeds[s], "layer": layer,
                             "transitions": int(res.per_layer[s, layer - 1]),
                             "length_in": float(lengths[layer - 1, s]), "length_out": float(lengths[layer, s]),
                             "n_patterns": int(res.n_patterns[s])})
        return rows

    sweep = dict(name="transitions_vs_length", seed=seed, activation=config.activation, depth=config.depth,
                 sigma_b2=config.sigma_b2, input_dim=config.input_dim, n_seeds=config.n_seeds,
                 n_points=config.n_points)
    return run_cells(cell, grid, client=client, store=store, sweep=sweep, desc="transitions", progress=progress)


# --------------------------------------------------------------------------------------
# dichotomies
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DichotomyConfig(Presets):
    """Dichotomies vs depth, width and remaining depth (Raghu et al. 2017, Figs. 14-16)."""

    activation: str = "hardtanh"
    depths: tuple = (2, 4, 6, 8)
    widths: tuple = (20, 100)
    sigma_w2: float = 8.0
    n_inputs: int = 15
    input_dim: int = 32
    n_steps: int = 2000
    n_seeds: int = 3
    all_layers: bool = True

    @classmethod
    def smoke(cls, **kw) -> DichotomyConfig:
        return replace(cls(depths=(2, 4), widths=(20,), n_steps=600, n_seeds=2), **kw)

    @classmethod
    def full(cls, **kw) -> DichotomyConfig:
        return replace(cls(depths=(2, 4, 6, 8, 10), widths=(10, 50, 100), n_steps=4000, n_seeds=5), **kw)


def dichotomy_sweep(config: DichotomyConfig = DichotomyConfig(), *, seed: SeedLike = 0, device: DeviceLike = None,
                    progress: bool = True, client=None, store=None) -> pd.DataFrame:
    """Distinct labellings of ``n_inputs`` random inputs as one layer sweeps a great circle.

    Every (depth, width, seed) network is swept at its first layer, or at every
    layer when ``all_layers`` (remaining depth).  Returns a DataFrame with
    ``depth, width, seed, layer, remaining_depth, n_dichotomies, n_transitions,
    n_label_flips, max_dichotomies`` (``2^n_inputs``).
    ``client``, ``store``: see :func:`workbench.experiments.distributed.run_cells`.
    """
    seed = int_seed(seed)  # an int or a torch.Generator
    g = generator(seed)
    X = torch.randn(config.n_inputs, config.input_dim, generator=g)
    grid = _grid(depth=config.depths, width=config.widths, s=range(config.n_seeds))

    def cell(c):
        rows = []
        net = mlp([config.input_dim] + [c["width"]] * c["depth"] + [1], config.activation, init="gaussian",
                  sigma_w2=config.sigma_w2, seed=seed * 1000 + c["s"])
        layers = range(c["depth"] + 1) if config.all_layers else [0]
        for layer in layers:
            d = count_dichotomies(net, X, layer, n_steps=config.n_steps, seed=seed * 1000 + 500 + c["s"], device=device)
            rows.append({"activation": config.activation, "depth": c["depth"], "width": c["width"],
                         "sigma_w2": config.sigma_w2, "seed": seed * 1000 + c["s"], "layer": layer,
                         "remaining_depth": d.remaining_depth, "n_dichotomies": d.n_dichotomies,
                         "n_transitions": d.n_transitions, "n_label_flips": d.n_label_flips,
                         "max_dichotomies": 2 ** config.n_inputs})
        return rows

    sweep = dict(name="dichotomy_sweep", seed=seed, activation=config.activation, sigma_w2=config.sigma_w2,
                 n_inputs=config.n_inputs, input_dim=config.input_dim, n_steps=config.n_steps,
                 all_layers=config.all_layers)
    return run_cells(cell, grid, client=client, store=store, sweep=sweep, desc="dichotomies", progress=progress)


# --------------------------------------------------------------------------------------
# trained networks on the bundled digits
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrainConfig(Presets):
    """Training on the bundled 8x8 digits (Raghu et al. 2017, §4-5 use MNIST / CIFAR-10)."""

    depth: int = 5
    width: int = 100
    activation: str = "hardtanh"
    sigma_w2: float = 2.0
    epochs: int = 30
    lr: float = 1e-2
    batch_size: int = 128
    n_train: float = 0.8
    noise_levels: tuple = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0)
    n_seeds: int = 2
    checkpoints: tuple = (0, 1, 5, 20, 50, 100, 300)
    n_points: int = 500

    @classmethod
    def smoke(cls, **kw) -> TrainConfig:
        return replace(cls(depth=4, width=48, epochs=6, n_seeds=1, noise_levels=(0.0, 0.5, 1.0, 2.0),
                           checkpoints=(0, 10, 40, 80), n_points=200), **kw)

    @classmethod
    def full(cls, **kw) -> TrainConfig:
        return replace(cls(depth=6, width=100, epochs=60, n_seeds=3), **kw)


def _digits_split(seed: int, flatten: bool = True):
    from workbench import data

    ds = data.digits(flatten=flatten, seed=0)
    X = ds.X
    if flatten:
        X = (X - X.mean(0)) / (X.std(0) + 1e-6)  # standardised pixels
    else:
        X = (X - X.mean()) / X.std()
    ds = data.Dataset(X, ds.y, ds.name, ds.source, ds.n_classes)
    return ds.split(0.8, seed=seed)


def _accuracy(model, X, y, device) -> float:
    return accuracy(model, X, y, device=device)


def _fit(model, params, train, cfg: TrainConfig, device, seed: int, on_step=None) -> pd.DataFrame:
    """Adam, cross-entropy, ``cfg.epochs`` epochs of minibatches: :func:`workbench.training.fit`.

    ``on_step(step)`` is called at step 0 (before training) and after every step.
    """
    if on_step:
        on_step(0)
    fc = FitConfig(epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr, optimizer="adam",
                   eval_every=max(cfg.epochs, 1))
    return fit(model, train, fc, params=params, seed=seed, device=device,
               on_step=None if on_step is None else (lambda step, m, loss: on_step(step)))


def train_one_layer(config: TrainConfig = TrainConfig(), *, data=None, seed: SeedLike = 0, device: DeviceLike = None,
                    progress: bool = True) -> pd.DataFrame:
    """Train exactly one layer of a random network, the others frozen (Raghu et al. 2017, Figs. 7 and 17).

    ``data`` (a :class:`workbench.data.Dataset`, default the bundled digits) is
    flattened, standardised per feature and split 80/20 with ``seed``; the
    paper's second data set is CIFAR-10 (Fig. 17).  Returns ``seed, layer``
    (0-based index of the trained linear map; the output layer is ``depth``),
    ``remaining_depth``, ``n_trained`` (parameters), ``train_acc``,
    ``test_acc``, ``dataset``.
    """
    from workbench import data as _data

    seed = int_seed(seed)  # an int or a torch.Generator
    dev = resolve_device(device)
    rows = []
    if data is None:
        train, test = _digits_split(seed)
    else:
        X = data.flat().float()
        X = (X - X.mean(0)) / (X.std(0) + 1e-6)
        train, test = _data.Dataset(X, data.y, data.name, data.source, data.n_classes).split(0.8, seed=seed)
    n_classes = int(train.n_classes or int(train.y.max()) + 1)
    widths = [train.X.shape[1]] + [config.width] * config.depth + [n_classes]
    grid = _grid(s=range(config.n_seeds), layer=range(config.depth + 1))
    for c in progress_bar(grid, None, "train one layer", progress, unit="run"):
        net = mlp(widths, config.activation, init="gaussian", sigma_w2=config.sigma_w2,
                  seed=seed * 1000 + c["s"]).to(dev)
        for p in net.parameters():
            p.requires_grad_(False)
        params = list(net.layers[c["layer"]].parameters())
        for p in params:
            p.requires_grad_(True)
        _fit(net, params, train, config, dev, seed + c["s"])
        rows.append({"seed": seed * 1000 + c["s"], "layer": c["layer"], "remaining_depth": config.depth - c["layer"],
                     "n_trained": sum(p.numel() for p in params),
                     "train_acc": _accuracy(net, train.X, train.y, dev),
                     "test_acc": _accuracy(net, test.X, test.y, dev), "dataset": train.name.replace(" (train)", "")})
    return pd.DataFrame(rows)


def layer_noise(config: TrainConfig = TrainConfig(), *, seed: SeedLike = 0, device: DeviceLike = None,
                progress: bool = True) -> pd.DataFrame:
    """Accuracy after Gaussian noise is added to one layer's weights (Raghu et al. 2017, §4, Fig. 6).

    A network is trained (all layers), then for each layer ``l`` and noise level
    ``eps`` the weights become ``W_l + eps * rms(W_l) * N(0, 1)`` (noise
    relative to the layer's own weight scale, so layers of different fan-in
    are comparable), the others untouched.  Returns ``seed, layer, noise,
    test_acc`` (5 noise draws averaged).
    """
    seed = int_seed(seed)  # an int or a torch.Generator
    dev = resolve_device(device)
    train, test = _digits_split(seed)
    widths = [train.X.shape[1]] + [config.width] * config.depth + [10]
    rows = []
    for s in progress_bar(range(config.n_seeds), None, "layer noise", progress, unit="seed"):
        net = mlp(widths, config.activation, init="gaussian", sigma_w2=config.sigma_w2, seed=seed * 1000 + s).to(dev)
        _fit(net, list(net.parameters()), train, config, dev, seed + s)
        g = generator(seed * 1000 + 77 + s)
        for layer, lin in enumerate(net.layers):
            W = lin.weight.detach().clone()
            rms = W.pow(2).mean().sqrt()
            for eps in config.noise_levels:
                accs = []
                for _ in range(5 if eps > 0 else 1):
                    with torch.no_grad():
                        lin.weight.copy_(W + eps * rms * torch.randn(W.shape, generator=g).to(dev))
                    accs.append(_accuracy(net, test.X, test.y, dev))
                rows.append({"seed": seed * 1000 + s, "layer": layer, "noise": eps, "test_acc": float(np.mean(accs))})
            with torch.no_grad():
                lin.weight.copy_(W)
    return pd.DataFrame(rows)


def length_during_training(config: TrainConfig = TrainConfig(), *, seed: SeedLike = 0, device: DeviceLike = None,
                           progress: bool = True) -> pd.DataFrame:
    """Trajectory length per layer at checkpoints during training (Raghu et al. 2017, §5, Figs. 8 and 18).

    The circle passes through two test digits (``x0``, ``x1``, standardised);
    its length is measured at every hidden layer of the network being trained
    at the optimisation steps in ``checkpoints``.  Returns ``seed, step, layer,
    length, ratio`` (to layer 0) and ``test_acc`` at that step.
    """
    seed = int_seed(seed)  # an int or a torch.Generator
    dev = resolve_device(device)
    train, test = _digits_split(seed)
    widths = [train.X.shape[1]] + [config.width] * config.depth + [10]
    rows = []
    X = circle(test.X[0], test.X[1], config.n_points)
    for s in progress_bar(range(config.n_seeds), None, "length during training", progress, unit="seed"):
        net = mlp(widths, config.activation, init="gaussian", sigma_w2=config.sigma_w2, seed=seed * 1000 + s).to(dev)

        def record(step, net=net, s=s):
            if step not in config.checkpoints:
                return
            L = trajectory_length([z.double() for z in layer_images(net, X, device=dev)[:-1]]).cpu()
            acc = _accuracy(net, test.X, test.y, dev)
            for layer in range(len(L)):
                rows.append({"seed": seed * 1000 + s, "step": step, "layer": layer, "length": float(L[layer]),
                             "ratio": float(L[layer] / L[0]), "test_acc": acc})

        _fit(net, list(net.parameters()), train, config, dev, seed + s, on_step=record)
    return pd.DataFrame(rows)


def trajreg_vs_batchnorm(config: TrainConfig = TrainConfig(), *, strength: float = 0.01, seed: SeedLike = 0,
                         device: DeviceLike = None, progress: bool = True) -> pd.DataFrame:
    """Test accuracy per epoch of a small conv net: no normalisation, batch norm, trajectory regularisation.

    Raghu et al. (2017), §5, Fig. 11 (CIFAR-10 there; the bundled 8x8 digits
    here, ``flatten=False``).  The ``"trajreg"`` variant replaces each batch
    norm by a :class:`workbench.TrajectoryRegularization` layer and adds the
    paper's penalty :func:`workbench.nets.trajectory_penalty` (``strength`` times
    ``lambda * current length / orig length`` per layer, ``lambda`` the
    layer's learnt output scale) to the loss.  Adam with ``config.lr / 5``.
    Returns ``variant, seed, epoch, test_acc, train_loss`` (the epoch's
    minibatch losses, penalty included, averaged over samples), ``penalty``
    (mean over the epoch's batches), ``seconds`` (cumulative wall time).
    """
    seed = int_seed(seed)  # an int or a torch.Generator
    dev = resolve_device(device)
    train, test = _digits_split(seed, flatten=False)
    rows = []
    grid = _grid(variant=("none", "batchnorm", "trajreg"), s=range(config.n_seeds))
    fc = FitConfig(epochs=config.epochs, batch_size=config.batch_size, lr=config.lr / 5, optimizer="adam")
    for c in progress_bar(grid, None, "trajreg vs batchnorm", progress, unit="run"):
        model = small_convnet(c["variant"], seed=seed * 1000 + c["s"])
        pen = partial(trajectory_penalty, strength=strength) if c["variant"] == "trajreg" else None
        t0 = time.perf_counter()
        hist = fit(model, train, fc, test=test, penalty=pen, seed=seed + c["s"], device=dev,
                   on_epoch=lambda epoch, m, t0=t0: {"seconds": time.perf_counter() - t0})
        for r in hist[hist.epoch >= 1].itertuples():
            rows.append({"variant": c["variant"], "seed": seed * 1000 + c["s"], "epoch": int(r.epoch),
                         "test_acc": float(r.test_acc), "train_loss": float(r.batch_loss + r.penalty),
                         "penalty": float(r.penalty), "seconds": float(r.seconds)})
    return pd.DataFrame(rows)
