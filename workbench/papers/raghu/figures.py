"""Raghu et al. (2017): the figures and remarks that notebook 04 did not reproduce yet.

* Fig. 2: transitions against depth, width and sigma_w^2 on a circle through two
  data points, counted exactly (:func:`workbench.circle_transitions`) and by
  sampling the circle (:func:`workbench.sampled_transitions`, what the paper does);
* Theorem 4's scaling: the measured growth base of transitions per layer against
  ``sqrt(k) / sqrt(1 + sigma_b^2 / sigma_w^2)``;
* dichotomies against transitions, beside the paper's random-walk simulation (at
  each transition one label, chosen uniformly, flips);
* the Sauer-Shelah bound on the number of dichotomies;
* trajectory length after every module of a (convolutional) network: growth on
  image data at several init scales, and batch norm shrinking it during training.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import torch
from torch import nn

from workbench._runtime import DeviceLike, SeedLike, generator, int_seed, progress_bar, resolve_device
from workbench.experiments.presets import Presets
from workbench.measures import circle, circle_transitions, sampled_transitions, trajectory_length
from workbench.nets import mlp_ensemble

__all__ = [
    "TransitionGridConfig", "transition_grid", "transition_growth_base",
    "random_walk_dichotomies", "distinct_prefix_counts", "sauer_shelah_bound", "min_vc_dimension",
    "lengths_through_modules", "ConvGrowthConfig", "conv_length_growth",
    "BatchNormLengthConfig", "batchnorm_length_during_training",
]


def _circle_ends(dataset: str, seed: SeedLike) -> tuple[torch.Tensor, torch.Tensor, str]:
    """Two standardised data points (MNIST when on disk, else the bundled digits) and the data set's name."""
    from workbench import data

    ds = data.load(dataset, n=2000, seed=0) if dataset != "digits" else data.digits()
    X = ds.flat().double()
    X = (X - X.mean(0)) / (X.std(0) + 1e-6)
    g = generator(seed)
    i, j = torch.randperm(len(X), generator=g)[:2].tolist()
    return X[i], X[j], ds.name


# --------------------------------------------------------------------------------------
# Fig. 2: transitions against depth, width and sigma_w^2
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TransitionGridConfig(Presets):
    """Fig. 2 of Raghu et al. (2017): transitions on a circle through two data points.

    The paper uses MNIST points and hard-tanh networks; ``dataset="mnist"``
    falls back to the bundled 8x8 digits (64 inputs) when MNIST is not on disk,
    and the tables say which was used.  Every cell is counted exactly and with
    ``n_samples`` samples of the circle.
    """

    activation: str = "hardtanh"
    depths: tuple = (2, 4, 6, 8)
    widths: tuple = (20, 50, 100)
    sigma_w2s: tuple = (1.0, 4.0, 16.0)
    sigma_b2: float = 0.0
    n_seeds: int = 3
    n_samples: int = 1000
    dataset: str = "mnist"
    max_pieces: int = 2_000_000

    @classmethod
    def smoke(cls, **kw) -> TransitionGridConfig:
        return replace(cls(depths=(1, 3), widths=(8, 16), sigma_w2s=(1.0, 8.0), n_seeds=2, n_samples=400), **kw)

    @classmethod
    def full(cls, **kw) -> TransitionGridConfig:
        return replace(cls(), **kw)


def transition_grid(config: TransitionGridConfig = TransitionGridConfig(), *, seed: SeedLike = 0,
                    device: DeviceLike = None, progress: bool = True) -> pd.DataFrame:
    """Exact and sampled transitions of every hidden layer, for every (depth, width, sigma_w^2, seed).

    Returns one row per network and hidden layer: ``activation, depth, width,
    sigma_w2, sigma_b2, seed, layer, exact, sampled`` (neuron transitions of
    that layer), ``exact_total, sampled_total`` (whole network),
    ``n_samples, dataset``.  The sampled count can only undercount the exact
    one (tested).  A cell whose exact count would exceed ``max_pieces``
    pieces raises the engine's error: lower the sizes.
    """
    x0, x1, name = _circle_ends(config.dataset, seed)
    X = circle(x0, x1, config.n_samples)
    s0 = int_seed(seed)
    rows = []
    cells = [(d, w, s) for d in config.depths for w in config.widths for s in config.sigma_w2s]
    for depth, width, s2 in progress_bar(cells, None, "Fig. 2 transitions", progress, unit="network"):
        widths = [x0.numel()] + [width] * depth + [1]
        ens = mlp_ensemble(widths, config.n_seeds, config.activation, init="gaussian", sigma_w2=s2,
                           sigma_b2=config.sigma_b2, seed=s0 * 1000 + 17 * depth + width, device=device)
        exact = circle_transitions(ens, x0, x1, keep_patterns=False, max_pieces=config.max_pieces).per_layer.cpu()
        samp = sampled_transitions(ens, X).per_layer.cpu()
        for m in range(config.n_seeds):
            for layer in range(depth):
                rows.append(dict(activation=config.activation, depth=depth, width=width, sigma_w2=s2,
                                 sigma_b2=config.sigma_b2, seed=int(ens.seeds[m]), layer=layer + 1,
                                 exact=int(exact[m, layer]), sampled=int(samp[m, layer]),
                                 exact_total=int(exact[m].sum()), sampled_total=int(samp[m].sum()),
                                 n_samples=config.n_samples, dataset=name))
    return pd.DataFrame(rows)


def transition_growth_base(table: pd.DataFrame, *, count: str = "exact") -> pd.DataFrame:
    """Theorem 4's scaling: measured growth base of transitions per layer against the theorem's base.

    For each (width, sigma_w2) the deepest network's per-layer transition counts
    (mean over seeds) are fitted as ``T_l ~ c * base^l`` (least squares on
    ``log T_l`` over layers with ``T_l > 0``).  ``theory`` is
    ``sqrt(k) / sqrt(1 + sigma_b^2 / sigma_w^2)``: Theorem 4 says transitions grow
    as ``O(theory^n)`` for hard tanh under its saturation assumption (large
    sigma_w), so the measured base should approach it from below as sigma_w grows
    and fall short of it for small sigma_w, where most neurons are linear.
    """
    need = {"depth", "width", "sigma_w2", "sigma_b2", "layer", count}
    if not isinstance(table, pd.DataFrame) or not need <= set(table.columns):
        raise ValueError(f"expected transition_grid()'s table with columns {sorted(need)}")
    rows = []
    for (width, s2), g in table.groupby(["width", "sigma_w2"], sort=True):
        deepest = g[g.depth == g.depth.max()]
        mean = deepest.groupby("layer")[count].mean()
        ok = mean[mean > 0]
        base = float(np.exp(np.polyfit(ok.index.to_numpy(float), np.log(ok.to_numpy(float)), 1)[0])) \
            if len(ok) >= 2 else float("nan")
        sb2 = float(g.sigma_b2.iloc[0])
        theory = math.sqrt(width) / math.sqrt(1 + sb2 / s2)
        rows.append(dict(width=int(width), sigma_w2=float(s2), sigma_b2=sb2, depth=int(deepest.depth.iloc[0]),
                         measured_base=base, theory_base=theory, ratio=base / theory, layers_fitted=len(ok)))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# dichotomies: random walk and Sauer-Shelah
# --------------------------------------------------------------------------------------
def distinct_prefix_counts(keys: np.ndarray) -> np.ndarray:
    """``out[w, t]`` = number of distinct values among ``keys[w, :t + 1]``, for every row at once (sorting, no loop)."""
    keys = np.asarray(keys)
    if keys.ndim != 2:
        raise ValueError(f"keys must be 2-D (walks, steps), got shape {keys.shape}")
    order = np.argsort(keys, axis=1, kind="stable")
    sk = np.take_along_axis(keys, order, axis=1)
    first_sorted = np.ones_like(sk, dtype=bool)
    first_sorted[:, 1:] = sk[:, 1:] != sk[:, :-1]  # stable sort: the first of each run is its earliest visit
    first = np.zeros_like(first_sorted)
    np.put_along_axis(first, order, first_sorted, axis=1)
    return np.cumsum(first, axis=1)


def random_walk_dichotomies(n_inputs: int, n_flips: int, *, n_walks: int = 200, seed: SeedLike = 0) -> pd.DataFrame:
    """The paper's random-walk model of dichotomies (Raghu et al. 2017, App., dichotomies vs transitions).

    Each walk starts at a random labelling of ``n_inputs`` points and, at each of
    ``n_flips`` transitions, flips one label chosen uniformly at random; the
    number of distinct labellings visited after ``t`` flips is recorded.
    Vectorised over walks (labellings are ``n_inputs``-bit integers, distinct
    prefixes counted by sorting).  Returns ``flips, mean, std, lo, hi``
    (5th/95th percentiles over walks) and ``max_dichotomies = 2^n_inputs``.
    """
    for name, v in (("n_inputs", n_inputs), ("n_flips", n_flips), ("n_walks", n_walks)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive int, got {v!r}")
    if n_inputs > 62:
        raise ValueError(f"n_inputs={n_inputs} does not fit the 62-bit labelling keys; use at most 62")
    if n_walks * (n_flips + 1) > 50_000_000:
        raise ValueError(f"n_walks x (n_flips + 1) = {n_walks * (n_flips + 1):,} keys is too large (limit 5e7); "
                         "lower n_walks or n_flips")
    rng = np.random.default_rng(int_seed(seed))
    start = rng.integers(0, 2**n_inputs, size=n_walks, dtype=np.int64)
    bits = np.left_shift(np.int64(1), rng.integers(0, n_inputs, size=(n_walks, n_flips)).astype(np.int64))
    keys = np.concatenate([start[:, None], np.bitwise_xor.accumulate(bits, axis=1) ^ start[:, None]], axis=1)
    distinct = distinct_prefix_counts(keys)  # (walks, flips + 1)
    return pd.DataFrame(dict(flips=np.arange(n_flips + 1), mean=distinct.mean(0), std=distinct.std(0),
                             lo=np.percentile(distinct, 5, axis=0), hi=np.percentile(distinct, 95, axis=0),
                             max_dichotomies=float(2**n_inputs)))


def sauer_shelah_bound(n: int, d: int) -> int:
    """Sauer-Shelah lemma: VC dimension ``d`` allows at most ``sum_{i<=d} C(n, i)`` labellings of ``n`` points."""
    for name, v in (("n", n), ("d", d)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
            raise ValueError(f"{name} must be a non-negative int, got {v!r}")
    return int(sum(math.comb(int(n), i) for i in range(min(int(d), int(n)) + 1)))


def min_vc_dimension(n: int, n_dichotomies: int) -> int:
    """The smallest VC dimension ``d`` whose Sauer-Shelah bound admits ``n_dichotomies`` labellings of ``n`` points."""
    if isinstance(n_dichotomies, bool) or not isinstance(n_dichotomies, (int, np.integer)) or n_dichotomies < 1:
        raise ValueError(f"n_dichotomies must be a positive int, got {n_dichotomies!r}")
    if n_dichotomies > 2**n:
        raise ValueError(f"{n_dichotomies} labellings exceed the 2^{n} possible ones of {n} points")
    d = 0
    while sauer_shelah_bound(n, d) < n_dichotomies:
        d += 1
    return d


# --------------------------------------------------------------------------------------
# trajectory length after every module (conv nets, batch norm)
# --------------------------------------------------------------------------------------
def _leaf_modules(model: nn.Module) -> list[tuple[str, nn.Module]]:
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"lengths_through_modules needs an nn.Sequential, got {type(model).__name__}")
    out = []
    for name, m in model.named_children():
        if isinstance(m, nn.Sequential):
            out += [(f"{name}.{n}", c) for n, c in _leaf_modules(m)]
        else:
            out.append((name, m))
    return out


@torch.no_grad()
def lengths_through_modules(model: nn.Sequential, X: torch.Tensor, *, closed: bool = True,
                            device: DeviceLike = None) -> pd.DataFrame:
    """Length of the trajectory ``X`` (samples in order) after every module of a Sequential.

    Row 0 is the input.  Returns ``index, module, kind, length, ratio`` (to the
    input's length).  The model runs in eval mode (batch norm uses its running
    statistics) and is restored to its mode afterwards.
    """
    dev = resolve_device(device)
    X = torch.as_tensor(X)
    if X.ndim < 2 or len(X) < 2:
        raise ValueError(f"X must hold at least two samples along its first dimension, got shape {tuple(X.shape)}")
    if not torch.isfinite(X).all():
        raise ValueError("X contains NaN or inf")
    mods = _leaf_modules(model)
    was = model.training
    model.eval()
    try:
        dtype = next(model.parameters()).dtype
        h = X.to(dev, dtype)
        Z = [h.reshape(len(h), -1).double()]
        for _, m in mods:
            h = m(h)
            Z.append(h.reshape(len(h), -1).double())
    finally:
        model.train(was)
    L = torch.stack([trajectory_length(z, closed=closed) for z in Z]).cpu().numpy()
    names = ["input"] + [n for n, _ in mods]
    kinds = ["input"] + [type(m).__name__ for _, m in mods]
    return pd.DataFrame(dict(index=np.arange(len(L)), module=names, kind=kinds, length=L, ratio=L / L[0]))


def _conv_stack(depth: int, channels: int, sigma_w2: float, batchnorm: bool, pool_every: int, seed: int,
                in_channels: int = 1, n_classes: int = 10) -> nn.Sequential:
    """[conv3x3 -> (bn) -> relu] x depth, avg-pool every ``pool_every`` convs, init N(0, sigma_w2 / fan_in)."""
    g = torch.Generator().manual_seed(seed)
    layers: list[nn.Module] = []
    c = in_channels
    for i in range(depth):
        conv = nn.Conv2d(c, channels, 3, padding=1)
        with torch.no_grad():
            conv.weight.copy_(torch.randn(conv.weight.shape, generator=g) * math.sqrt(sigma_w2 / (c * 9)))
            conv.bias.zero_()
        layers += [conv] + ([nn.BatchNorm2d(channels)] if batchnorm else []) + [nn.ReLU()]
        if pool_every and (i + 1) % pool_every == 0:
            layers.append(nn.AvgPool2d(2))
        c = channels
    head = nn.Linear(1, n_classes)  # replaced lazily below (needs the flattened size)
    layers += [nn.Flatten(), head]
    return nn.Sequential(*layers)


def _fix_head(model: nn.Sequential, shape: tuple[int, ...], seed: int) -> nn.Sequential:
    with torch.no_grad():
        n = model[:-1](torch.zeros(1, *shape)).shape[1]
    lin = nn.Linear(n, model[-1].out_features)
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        lin.weight.copy_(torch.randn(lin.weight.shape, generator=g) / math.sqrt(n))
        lin.bias.zero_()
    model[-1] = lin
    return model


def _image_circle(seed: SeedLike, n_points: int, size: int):
    from workbench import data

    ds = data.digits(flatten=False)
    X = ds.X.float()
    if size != X.shape[-1]:
        X = nn.functional.interpolate(X, size=(size, size), mode="bilinear", align_corners=False)
    X = (X - X.mean()) / X.std()
    g = generator(seed)
    i, j = torch.randperm(len(X), generator=g)[:2].tolist()
    flat = circle(X[i].reshape(-1).double(), X[j].reshape(-1).double(), n_points)
    return flat.reshape(n_points, *X.shape[1:]), ds


@dataclass(frozen=True)
class ConvGrowthConfig(Presets):
    """Trajectory growth through a random conv net on image data (Raghu et al. 2017, conv-net growth figure).

    The paper: CIFAR-10 and a conv net at several init scales.  Here: a circle
    through two bundled digits (upsampled to ``size`` x ``size``), ``depth``
    ReLU conv layers of ``channels`` channels with average pooling every
    ``pool_every`` layers, Gaussian weights ``N(0, sigma_w^2 / fan_in)``.
    """

    sigma_w2s: tuple = (1.0, 2.0, 4.0, 8.0)
    depth: int = 8
    channels: int = 16
    pool_every: int = 3
    size: int = 16
    n_points: int = 400
    n_seeds: int = 3

    @classmethod
    def smoke(cls, **kw) -> ConvGrowthConfig:
        return replace(cls(sigma_w2s=(1.0, 4.0), depth=4, channels=8, pool_every=2, size=8, n_points=100, n_seeds=1),
                       **kw)

    @classmethod
    def full(cls, **kw) -> ConvGrowthConfig:
        return replace(cls(), **kw)


def conv_length_growth(config: ConvGrowthConfig = ConvGrowthConfig(), *, seed: SeedLike = 0,
                       device: DeviceLike = None, progress: bool = True) -> pd.DataFrame:
    """Length of a circle through two images after every module of random conv nets, per ``sigma_w2`` and seed.

    Returns :func:`lengths_through_modules`' columns plus ``sigma_w2, seed``.
    """
    s0 = int_seed(seed)
    X, _ = _image_circle(s0, config.n_points, config.size)
    frames = []
    cells = [(s2, k) for s2 in config.sigma_w2s for k in range(config.n_seeds)]
    for s2, k in progress_bar(cells, None, "conv growth", progress, unit="network"):
        net = _conv_stack(config.depth, config.channels, s2, False, config.pool_every, s0 * 1000 + k)
        net = _fix_head(net, tuple(X.shape[1:]), s0 * 1000 + k).double()
        df = lengths_through_modules(net, X, device=device)
        df["sigma_w2"], df["seed"] = s2, s0 * 1000 + k
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class BatchNormLengthConfig(Presets):
    """Batch norm shrinks trajectory length during training (Raghu et al. 2017, §5, batch-norm figure).

    A conv net with and without batch norm is trained on the bundled digits
    (the paper: CIFAR-10); at the optimisation steps in ``checkpoints`` the
    length of a circle through two test images is measured after every module.
    """

    depth: int = 4
    channels: int = 16
    pool_every: int = 2
    sigma_w2: float = 2.0
    epochs: int = 50
    batch_size: int = 64
    lr: float = 0.01
    n_points: int = 200
    checkpoints: tuple = (0, 10, 100, 500, 1000)

    @classmethod
    def smoke(cls, **kw) -> BatchNormLengthConfig:
        return replace(cls(depth=2, channels=8, epochs=1, n_points=60, checkpoints=(0, 5, 20)), **kw)

    @classmethod
    def full(cls, **kw) -> BatchNormLengthConfig:
        return replace(cls(), **kw)


def batchnorm_length_during_training(config: BatchNormLengthConfig = BatchNormLengthConfig(), *,
                                     seed: SeedLike = 0, device: DeviceLike = None,
                                     progress: bool = True) -> pd.DataFrame:
    """Per-module trajectory lengths at training checkpoints, with and without batch norm.

    Returns :func:`lengths_through_modules`' columns plus ``batchnorm, step,
    test_acc``.  Trained with :func:`workbench.training.fit` (Adam).
    """
    from workbench import data
    from workbench.training import FitConfig, accuracy, fit

    s0 = int_seed(seed)
    X, _ = _image_circle(s0, config.n_points, 8)
    ds = data.digits(flatten=False)
    Xd = (ds.X.float() - ds.X.float().mean()) / ds.X.float().std()
    train, test = data.Dataset(Xd, ds.y, ds.name, ds.source, ds.n_classes).split(0.8, seed=s0)
    cfg = FitConfig(epochs=config.epochs, batch_size=config.batch_size, lr=config.lr, optimizer="adam")
    frames = []
    dev = resolve_device(device)
    for bn in progress_bar((False, True), None, "batch norm lengths", progress, unit="network"):
        net = _conv_stack(config.depth, config.channels, config.sigma_w2, bn, config.pool_every, s0)
        net = _fix_head(net, (1, 8, 8), s0)

        def record(step, model, bn=bn):
            if step in config.checkpoints:
                df = lengths_through_modules(model, X, device=dev)
                df["batchnorm"], df["step"] = bn, step
                df["test_acc"] = accuracy(model, test.X, test.y, device=dev)
                frames.append(df)

        record(0, net.to(dev))
        fit(net, train, cfg, on_step=lambda step, model, loss: record(step, model), seed=s0, device=dev)
    return pd.concat(frames, ignore_index=True)
