"""Piecewise-linear geometry while a network learns (Johansson 2022, §2.2, Papers II and IV).

* :func:`rank_during_training`: rank of ``W_R`` (exact and eq. 2.3) over training at two
  learning rates (Fig. 2.2, §2.2.1).
* :func:`power_iteration_convergence`: the forward-backward estimate against the exact slope.
* :func:`segment_regions`: regions in a unit interval and the singular-value change across
  it for one-input one-output networks (eqs. 2.14-2.18, Fig. 2.3 right).
* :func:`slope_generalisation`: slope on train and test points through training, several
  widths and depths, early stopping marked (Paper II); :func:`slope_claims` checks the
  thesis' three statements.
* :func:`slope_regularisation`: none vs the power-iteration slope penalty vs spectral-norm
  regularisation; test accuracy and FGSM / PGD robustness (Paper IV).

Every run trains through :func:`workbench.training.fit`; a diverged run is a row with
``diverged=True`` in its history, never an exception.  The thesis' statements checked against the
histories (:func:`rank_claims`, :func:`slope_claims`, :func:`rate_outcomes`, :func:`failing_rate`) live in
:mod:`workbench.papers.pl_geometry.training_claims` and are re-exported here.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import torch
from torch import nn

from workbench._runtime import DeviceLike, SeedLike, generator, int_seed, progress_bar, resolve_device
from workbench.data import Dataset, load
from workbench.experiments.presets import Presets
from workbench.measures.affine import local_rank
from workbench.measures.attacks import fgsm, pgd
from workbench.measures.paths import count_regions_on_segment
from workbench.measures.slope import (
    SlopePenalty,
    SpectralNormPenalty,
    slope,
    slope_power_iteration,
    spectral_norm_bound,
)
from workbench.nets.multilayer import mlp
from workbench.papers.pl_geometry.training_claims import (  # noqa: F401 (the claims live there; importable from here)
    FAIL_FRACTION,
    failing_rate,
    rank_claims,
    rate_outcomes,
    slope_claims,
)
from workbench.training import FitConfig, accuracy, fit

__all__ = [
    "rank_claims",
    "RankTrainingConfig", "RankTraining", "rank_during_training", "rate_outcomes", "failing_rate",
    "power_iteration_convergence",
    "SegmentConfig", "segment_regions", "segment_summary", "ratio_breakpoint_cdf",
    "SlopeGenConfig", "SlopeGeneralisation", "slope_generalisation", "slope_claims",
    "RegularisationConfig", "Regularisation", "slope_regularisation", "conv_digits_net",
]



def _dataset(name: str, n: int, seed: int, flatten: bool = True) -> tuple[Dataset, Dataset, str]:
    """Train/test split of ``name`` (Fashion-MNIST when local, else digits): (train, test, loaded name)."""
    if name == "digits":
        from workbench.data import digits
        ds = digits(n, flatten=flatten, seed=seed)
    else:
        ds = load(name, fallback="digits", n=n, seed=seed)
        if not flatten and ds.name == "digits":
            ds = Dataset(ds.X.reshape(-1, 1, 8, 8), ds.y, ds.name, ds.source, ds.n_classes)
    if flatten:
        ds = Dataset(ds.flat(), ds.y, ds.name, ds.source, ds.n_classes)
    tr, te = ds.split(0.75, seed=seed)
    return tr, te, ds.name


def _diverged_note(hist: pd.DataFrame) -> str | None:
    if bool(hist["diverged"].any()):
        ep = int(hist.loc[hist["diverged"], "epoch"].iloc[0])
        return f"diverged at epoch {ep} (loss NaN/inf): the run stops there"
    return None


# ---------------------------------------------------------------------------
# Rank during training (Fig. 2.2)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RankTrainingConfig(Presets):
    """Fig. 2.2: a 2x200 ReLU network trained at two learning rates (thesis Appendix A.2.2:
    SGD, momentum 0.8, batch 32, 100 epochs, Fashion-MNIST).

    ``lrs`` are the thesis' rates; ``probe_lrs`` are larger ones, trained from the same
    initial network, to find where training on *this* data fails to converge
    (:func:`failing_rate`): the thesis' claim is about a rate "too large for the training
    dynamics to properly converge", which 0.1 need not be on other data."""

    dataset: str = "fashion_mnist"
    hidden: tuple[int, ...] = (200, 200)
    lrs: tuple[float, ...] = (0.01, 0.1)
    probe_lrs: tuple[float, ...] = (0.3, 0.5, 0.7, 1.0)
    epochs: int = 100
    batch_size: int = 32
    momentum: float = 0.8
    n_samples: int = 1797
    n_rank_points: int = 500
    eval_every: int = 1

    @classmethod
    def smoke(cls, **overrides) -> RankTrainingConfig:
        return replace(RANK_PRESETS["smoke"], **overrides)

    @classmethod
    def full(cls, **overrides) -> RankTrainingConfig:
        return replace(RANK_PRESETS["full"], **overrides)


RANK_PRESETS = {
    "smoke": RankTrainingConfig(epochs=4, n_samples=600, n_rank_points=100),
    "full": RankTrainingConfig(),
}


@dataclass
class RankTraining:
    """Histories of :func:`rank_during_training`: one row per (lr, epoch)."""

    history: pd.DataFrame
    dataset: str
    config: RankTrainingConfig

    def to_frame(self) -> pd.DataFrame:
        return self.history.copy()

    def notes(self) -> list[str]:
        out = []
        for lr, h in self.history.groupby("lr"):
            d = _diverged_note(h)
            if d:
                out.append(f"lr={lr:g}: {d}")
        return out


def _rank_recorder(Xr: torch.Tensor):
    def on_epoch(epoch, model):
        r = local_rank(model, Xr)
        rank, ident = r.rank.double(), r.identity_rank.double()
        return dict(rank_mean=float(rank.mean()), rank_min=int(r.rank.min()), rank_max=int(r.rank.max()),
                    identity_rank_mean=float(ident.mean()),
                    agree=float((r.rank == r.identity_rank).double().mean()),
                    active_min_mean=float(r.active.min(1).values.double().mean()) if r.active.shape[1] else math.nan)
    return on_epoch


def rank_during_training(config: RankTrainingConfig = RankTrainingConfig(), *, seed: SeedLike = 0,
                         device: DeviceLike = None, progress: bool = True) -> RankTraining:
    """Rank of ``W_R`` at ``n_rank_points`` test points after every epoch, for each learning rate
    (``config.lrs`` and then ``config.probe_lrs``).

    Columns (besides :func:`fit`'s): ``lr, rank_mean, rank_min, rank_max`` (numerical rank,
    ``torch.linalg.matrix_rank``), ``identity_rank_mean`` (eq. 2.3,
    ``min(n0, nc, min_i trace Z_i)``), ``agree`` (fraction of points where the two are equal),
    ``active_min_mean`` (mean of ``min_i trace Z_i``).  The same initial network for every lr.
    """
    s = int_seed(seed)
    tr, te, name = _dataset(config.dataset, config.n_samples, s)
    Xr = te.X[: config.n_rank_points]
    widths = [tr.X.shape[1], *config.hidden, int(tr.n_classes or int(tr.y.max()) + 1)]
    init = mlp(widths, "relu", seed=s)
    rows = []
    for lr in progress_bar(tuple(config.lrs) + tuple(config.probe_lrs), None, "learning rates", progress, unit="rate"):
        net = copy.deepcopy(init)
        cfg = FitConfig(epochs=config.epochs, batch_size=config.batch_size, lr=float(lr), momentum=config.momentum,
                        eval_every=config.eval_every)
        h = fit(net, tr, cfg, test=te, on_epoch=_rank_recorder(Xr), seed=s, device=device)
        h.insert(0, "lr", float(lr))
        rows.append(h)
    return RankTraining(pd.concat(rows, ignore_index=True), name, config)


# ---------------------------------------------------------------------------
# Power iteration against the exact slope
# ---------------------------------------------------------------------------
def power_iteration_convergence(net: nn.Module, X, *, iters: int = 20, seed: SeedLike = 0,
                                device: DeviceLike = None) -> pd.DataFrame:
    """Relative error of the forward-backward estimate after each iteration, per point.

    Columns: ``point, iteration, estimate, exact, rel_error`` (``(exact - estimate) / exact``,
    >= 0 up to rounding because ``||W v|| <= ||W||_2``), ``gap`` (``sigma_2 / sigma_1`` of the
    point's ``W_R``: the convergence rate is ``gap**(2k)``).  ``net`` is evaluated in float64.
    """
    dev = resolve_device(device)
    net64 = copy.deepcopy(net).to(dev, torch.float64).eval()
    X = torch.as_tensor(X).to(dev, torch.float64)
    exact = slope(net64, X, device=dev)
    from workbench.measures.affine import local_singular_values
    sv = local_singular_values(net64, X, device=dev)
    gap = (sv[:, 1] / sv[:, 0]) if sv.shape[1] > 1 else torch.zeros(len(X), dtype=torch.float64)
    res = slope_power_iteration(net64, X, iters=iters, seed=seed, history=True, differentiable=False,
                                device=dev)
    H = res.history.cpu().numpy()
    B, K = H.shape
    ex = exact.cpu().numpy()
    return pd.DataFrame(dict(point=np.repeat(np.arange(B), K), iteration=np.tile(np.arange(1, K + 1), B),
                             estimate=H.ravel(), exact=np.repeat(ex, K),
                             rel_error=((ex[:, None] - H) / ex[:, None]).ravel(),
                             gap=np.repeat(gap.cpu().numpy(), K)))


# ---------------------------------------------------------------------------
# Regions and singular values on a unit interval (eqs. 2.14-2.18)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SegmentConfig(Presets):
    """One input, one output, PyTorch's default init (``C = 1/3``); intervals ``[a, a+1]``, ``a ~ N(0, 1)``."""

    widths: tuple[int, ...] = (2, 5, 10, 20, 50, 100, 200)
    depth: int = 1
    n_nets: int = 20
    n_intervals: int = 50

    @classmethod
    def smoke(cls, **overrides) -> SegmentConfig:
        return replace(SEGMENT_PRESETS["smoke"], **overrides)

    @classmethod
    def full(cls, **overrides) -> SegmentConfig:
        return replace(SEGMENT_PRESETS["full"], **overrides)


SEGMENT_PRESETS = {
    "smoke": SegmentConfig(widths=(2, 10, 50), n_nets=3, n_intervals=10),
    "full": SegmentConfig(),
}


def ratio_breakpoint_cdf(t):
    """CDF of ``-b / w`` for independent ``w, b ~ U(-1, 1)``: a first-layer breakpoint of a 1-input net.

    The ratio of two independent ``U(-1, 1)`` has density ``1/4`` on ``[-1, 1]`` and
    ``1 / (4 t^2)`` outside, so ``F(t) = 1/2 + t/4`` on ``[-1, 1]``, ``1 - 1/(4t)`` above and
    ``-1/(4t)`` below.  With PyTorch's default init and ``n0 = 1`` each hidden neuron of a
    one-hidden-layer network has its breakpoint there, so the expected number of regions in
    ``[a, a+1]`` is ``1 + n1 (F(a+1) - F(a))`` exactly.
    """
    t = np.asarray(t, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(t < -1, -1 / (4 * t), np.where(t > 1, 1 - 1 / (4 * t), 0.5 + t / 4))


def segment_regions(config: SegmentConfig = SegmentConfig(), *, seed: SeedLike = 0, device: DeviceLike = None,
                    progress: bool = True) -> pd.DataFrame:
    """Exact regions in ``[a, a+1]`` and the squared slope change ``(sigma(a) - sigma(a+1))^2``.

    For ``n0 = nc = 1``, ``W_R`` is ``1x1`` and its one singular value is the 2-slope
    ``|W_R|`` (:func:`workbench.slope`).  Columns: ``width, depth, neurons, net, a, regions``
    (:func:`workbench.count_regions_on_segment`, exact), ``expected_regions`` (closed form for
    ``depth=1``, :func:`ratio_breakpoint_cdf`; NaN deeper), ``sigma_a, sigma_b, sq_diff``,
    ``other_region`` (the end point lies in another region: the pairs the thesis measures).
    """
    s = int_seed(seed)
    rng = np.random.default_rng(s)
    rows = []
    for w in progress_bar(config.widths, None, "widths", progress, unit="width"):
        for j in range(config.n_nets):
            net = mlp([1] + [int(w)] * config.depth + [1], "relu", seed=s + 1009 * j + 17 * int(w))
            a = rng.standard_normal(config.n_intervals)
            pts = torch.tensor(np.stack([a, a + 1]).T.reshape(-1, 1))
            sig = slope(net, pts, device=device).cpu().numpy().reshape(-1, 2)
            for i, ai in enumerate(a):
                n_reg = count_regions_on_segment(net, torch.tensor([ai]), torch.tensor([ai + 1.0]), device=device)
                exp = 1 + w * (ratio_breakpoint_cdf(ai + 1) - ratio_breakpoint_cdf(ai)) if config.depth == 1 \
                    else math.nan
                rows.append(dict(width=int(w), depth=config.depth, neurons=int(w) * config.depth, net=j, a=float(ai),
                                 regions=n_reg, expected_regions=float(exp), sigma_a=float(sig[i, 0]),
                                 sigma_b=float(sig[i, 1]), sq_diff=float((sig[i, 0] - sig[i, 1]) ** 2),
                                 other_region=n_reg > 1))
    return pd.DataFrame(rows)


def segment_summary(table: pd.DataFrame, C: float = 1.0 / 3.0) -> pd.DataFrame:
    """Per width: mean regions (measured, closed form, Hanin & Rolnick's ``#neurons``), mean squared
    slope change over all intervals and over those ending in another region, and the bound
    ``2 C^2 - 2 C^2 / n1`` (eq. 2.18)."""
    g = table.groupby("width")
    out = pd.DataFrame(dict(
        neurons=g["neurons"].first(), regions_mean=g["regions"].mean(),
        regions_sem=g["regions"].std() / np.sqrt(g.size()), expected_regions=g["expected_regions"].mean(),
        sq_diff_mean=g["sq_diff"].mean(),
        sq_diff_other_mean=table[table["other_region"]].groupby("width")["sq_diff"].mean(),
        n=g.size()))
    out["bound_2_18"] = 2 * C * C - 2 * C * C / out.index.to_numpy()
    return out.reset_index()


# ---------------------------------------------------------------------------
# Slope and generalisation (Paper II)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SlopeGenConfig(Presets):
    """Widths x depths of ReLU MLPs trained past the best test loss; slope recorded per epoch."""

    dataset: str = "digits"
    widths: tuple[int, ...] = (32, 128, 512)
    depths: tuple[int, ...] = (1, 2, 3)
    epochs: int = 60
    lr: float = 0.05
    batch_size: int = 32
    momentum: float = 0.9
    n_samples: int = 1797
    n_slope_points: int = 300
    eval_every: int = 2

    @classmethod
    def smoke(cls, **overrides) -> SlopeGenConfig:
        return replace(SLOPE_GEN_PRESETS["smoke"], **overrides)

    @classmethod
    def full(cls, **overrides) -> SlopeGenConfig:
        return replace(SLOPE_GEN_PRESETS["full"], **overrides)


SLOPE_GEN_PRESETS = {
    "smoke": SlopeGenConfig(widths=(16, 64), depths=(1, 2), epochs=6, n_samples=500, n_slope_points=60,
                            eval_every=1),
    "full": SlopeGenConfig(),
}

_QUANTS = (0.1, 0.25, 0.5, 0.75, 0.9)


def _slope_recorder(Xtr, Xte):
    def on_epoch(epoch, model):
        row = {}
        for tag, X in (("train", Xtr), ("test", Xte)):
            s = slope(model, X).cpu()
            q = torch.quantile(s, torch.tensor(_QUANTS, dtype=s.dtype))
            row[f"slope_{tag}_mean"] = float(s.mean())
            for qq, v in zip(_QUANTS, q):
                row[f"slope_{tag}_q{int(qq * 100)}"] = float(v)
        return row
    return on_epoch


@dataclass
class SlopeGeneralisation:
    """Histories of :func:`slope_generalisation`, one row per (width, depth, epoch)."""

    history: pd.DataFrame
    dataset: str
    config: SlopeGenConfig

    def to_frame(self) -> pd.DataFrame:
        return self.history.copy()

    def early_stopping(self) -> pd.DataFrame:
        """Per architecture, the epoch of the lowest test loss and the slopes there and at the end."""
        rows = []
        for (w, d), h in self.history.groupby(["width", "depth"]):
            h = h[~h["diverged"]]
            best = h.loc[h["test_loss"].idxmin()]
            last = h.iloc[-1]
            rows.append(dict(width=w, depth=d, es_epoch=int(best["epoch"]), es_test_acc=best["test_acc"],
                             es_slope=best["slope_test_q50"], last_epoch=int(last["epoch"]),
                             last_test_acc=last["test_acc"], last_slope=last["slope_test_q50"],
                             init_slope=h.iloc[0]["slope_test_q50"]))
        return pd.DataFrame(rows)


def slope_generalisation(config: SlopeGenConfig = SlopeGenConfig(), *, seed: SeedLike = 0,
                         device: DeviceLike = None, progress: bool = True) -> SlopeGeneralisation:
    """Train every (width, depth) and record the exact 2-slope quantiles on train and test points.

    Columns (besides :func:`fit`'s): ``width, depth, slope_{train,test}_{mean,q10,q25,q50,q75,q90}``.
    """
    s = int_seed(seed)
    tr, te, name = _dataset(config.dataset, config.n_samples, s)
    n_cls = int(tr.n_classes or int(tr.y.max()) + 1)
    rec = _slope_recorder(tr.X[: config.n_slope_points], te.X[: config.n_slope_points])
    cfg = FitConfig(epochs=config.epochs, batch_size=config.batch_size, lr=config.lr, momentum=config.momentum,
                    eval_every=config.eval_every)
    grid = [(w, d) for d in config.depths for w in config.widths]
    rows = []
    for w, d in progress_bar(grid, None, "architectures", progress, unit="architecture"):
        net = mlp([tr.X.shape[1]] + [int(w)] * int(d) + [n_cls], "relu", seed=s + 31 * w + d)
        h = fit(net, tr, cfg, test=te, on_epoch=rec, seed=s, device=device)
        h.insert(0, "depth", int(d))
        h.insert(0, "width", int(w))
        rows.append(h)
    return SlopeGeneralisation(pd.concat(rows, ignore_index=True), name, config)


# ---------------------------------------------------------------------------
# Slope regularisation and robustness (Paper IV)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RegularisationConfig(Presets):
    """None vs slope penalty (power iteration) vs spectral-norm regularisation, then attacks.

    ``strengths`` maps a method to its penalty strength: ``"slope"`` is
    ``lambda * mean slope`` (:class:`workbench.SlopePenalty`, ``pi_iters`` iterations per step),
    ``"spectral"`` Yoshida & Miyato's ``lambda / 2 * sum_l sigma_l^2``
    (:class:`workbench.SpectralNormPenalty`).  ``arch`` is ``"mlp"`` (``hidden`` widths) or
    ``"conv"`` (:func:`conv_digits_net`, digits as 1x8x8 images).  Attacks are L-inf with
    radii ``eps`` on pixels in [0, 1] (clamped), PGD with ``pgd_steps`` steps.
    """

    dataset: str = "digits"
    arch: str = "mlp"
    hidden: tuple[int, ...] = (256, 256)
    methods: tuple[str, ...] = ("none", "slope", "spectral")
    strengths: tuple[tuple[str, float], ...] = (("slope", 0.05), ("spectral", 0.01))
    pi_iters: int = 1
    epochs: int = 40
    lr: float = 0.05
    batch_size: int = 32
    momentum: float = 0.9
    n_samples: int = 1797
    eps: tuple[float, ...] = (0.0, 0.02, 0.05, 0.1, 0.2)
    pgd_steps: int = 10
    n_attack: int = 450
    n_slope_points: int = 300

    def __post_init__(self):
        super().__post_init__()
        bad = set(self.methods) - {"none", "slope", "spectral"}
        if bad:
            raise ValueError(f"RegularisationConfig.methods: unknown {sorted(bad)}; "
                             "allowed 'none', 'slope', 'spectral'")
        if self.arch not in ("mlp", "conv"):
            raise ValueError(f"RegularisationConfig.arch must be 'mlp' or 'conv', got {self.arch!r}")

    @classmethod
    def smoke(cls, **overrides) -> RegularisationConfig:
        return replace(REG_PRESETS["smoke"], **overrides)

    @classmethod
    def full(cls, **overrides) -> RegularisationConfig:
        return replace(REG_PRESETS["full"], **overrides)


REG_PRESETS = {
    "smoke": RegularisationConfig(hidden=(64, 64), epochs=4, n_samples=600, eps=(0.0, 0.05, 0.1), pgd_steps=3,
                                  n_attack=100, n_slope_points=60),
    "full": RegularisationConfig(),
}


def conv_digits_net(*, seed: SeedLike = 0) -> nn.Sequential:
    """A small ReLU conv net for 1x8x8 digits: conv 3x3 (8) - conv 3x3 stride 2 (16) - linear 10."""
    g = generator(seed)
    net = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU(),
                        nn.Flatten(), nn.Linear(16 * 4 * 4, 10))
    with torch.no_grad():
        for m in net:
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                b = 1 / math.sqrt(fan_in)
                m.weight.copy_(torch.empty(m.weight.shape).uniform_(-b, b, generator=g))
                m.bias.copy_(torch.empty(m.bias.shape).uniform_(-b, b, generator=g))
    return net


@dataclass
class Regularisation:
    """:func:`slope_regularisation` results: training ``history`` (one row per method and epoch),
    ``robustness`` (method, attack, eps, accuracy) and ``slopes`` (per method: exact test
    slope quantiles, the per-layer product bound, clean test accuracy, training seconds)."""

    history: pd.DataFrame
    robustness: pd.DataFrame
    slopes: pd.DataFrame
    dataset: str
    config: RegularisationConfig

    def to_frame(self) -> pd.DataFrame:
        return self.robustness.merge(self.slopes, on="method")


def slope_regularisation(config: RegularisationConfig = RegularisationConfig(), *, seed: SeedLike = 0,
                         device: DeviceLike = None, progress: bool = True) -> Regularisation:
    """Train one network per method from the same initialisation; attack each on test points."""
    import time

    s = int_seed(seed)
    conv = config.arch == "conv"
    tr, te, name = _dataset(config.dataset, config.n_samples, s, flatten=not conv)
    n_cls = int(tr.n_classes or int(tr.y.max()) + 1)
    init = conv_digits_net(seed=s) if conv else mlp([tr.X.shape[1], *config.hidden, n_cls], "relu", seed=s)
    strengths = dict(config.strengths)
    in_shape = tuple(tr.X.shape[1:])
    cfg = FitConfig(epochs=config.epochs, batch_size=config.batch_size, lr=config.lr, momentum=config.momentum)
    hists, robs, slopes = [], [], []
    Xa, ya = te.X[: config.n_attack], te.y[: config.n_attack]
    dev = resolve_device(device)
    for method in progress_bar(config.methods, None, "methods", progress, unit="method"):
        net = copy.deepcopy(init)
        pen = None
        if method == "slope":
            pen = SlopePenalty(strengths.get("slope", 0.05), iters=config.pi_iters, seed=s)
        elif method == "spectral":
            pen = SpectralNormPenalty(strengths.get("spectral", 0.01), input_shape=in_shape, seed=s)
        t0 = time.perf_counter()
        h = fit(net, tr, cfg, test=te, penalty=pen, seed=s, device=dev)
        secs = time.perf_counter() - t0
        h.insert(0, "method", method)
        hists.append(h)
        if bool(h["diverged"].any()):
            slopes.append(dict(method=method, strength=strengths.get(method, 0.0), diverged=True, seconds=secs))
            continue
        net.eval()
        for eps in config.eps:
            for attack in ("FGSM", "PGD"):
                if eps == 0:
                    Xadv = Xa
                elif attack == "FGSM":
                    Xadv = fgsm(net, Xa, ya, eps, clamp=(0.0, 1.0), device=dev)
                else:
                    Xadv = pgd(net, Xa, ya, eps, steps=config.pgd_steps, clamp=(0.0, 1.0), seed=s, device=dev)
                robs.append(dict(method=method, attack=attack, eps=float(eps),
                                 accuracy=accuracy(net, Xadv, ya, device=dev)))
        sl = slope(net, te.X[: config.n_slope_points], device=dev).cpu()
        slopes.append(dict(method=method, strength=strengths.get(method, 0.0), diverged=False, seconds=secs,
                           test_acc=accuracy(net, te.X, te.y, device=dev), slope_q50=float(sl.median()),
                           slope_q90=float(torch.quantile(sl, 0.9)), slope_mean=float(sl.mean()),
                           product_bound=spectral_norm_bound(net, input_shape=in_shape)))
    return Regularisation(pd.concat(hists, ignore_index=True), pd.DataFrame(robs), pd.DataFrame(slopes), name, config)
