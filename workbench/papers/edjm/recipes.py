"""The experiments of Wang et al. (2016), *Analysis of Deep Neural Networks with the EDJM*, step by step.

Every network is trained by :func:`workbench.training.fit` (SGD with momentum,
as in the paper; a fixed learning rate, where the paper halves it when the
validation accuracy stalls), then measured by :func:`workbench.edjm` on the
validation inputs, as the paper does.  Each figure recipe returns an
:class:`EDJMStudy`: a tidy table of models (parameters, hidden units,
validation accuracy, score, the score as a fraction of its maximum) and a tidy
table of the normalised spectra averaged over the outputs (the curves of the
paper's figures).

Data: MNIST / CIFAR-10 from the local data folder when present, else
scikit-learn's bundled 8x8 digits (:func:`edjm_data` says which in its
``note``).  The digits have ``d_in = 64``, so an EDJM has 64 singular values per
output and the score is at most 7 (values above the 90th percentile), where the
paper's MNIST EDJMs have 784 (score at most 79) and CIFAR-10's 3072 (at most
308): compare the ``score_fraction`` column, not raw scores.

Trained networks are kept in an in-memory cache keyed by everything that
determines them (architecture, data, recipe, seed, teacher), so widgets and
reruns do not retrain.

The paper's numbers and claims against ours (:data:`PAPER_EDJM`, :func:`paper_comparison`,
:func:`edjm_claims`) live in :mod:`workbench.papers.edjm.paper_numbers`, the 2-D toy problem that leads to
the partitions notebook (:func:`toy_2d`, :func:`toy_regions`) in :mod:`workbench.papers.edjm.toy`; both are
re-exported here.
"""
from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import torch
from torch import nn

from workbench._runtime import DeviceLike, SeedLike, int_seed, progress_bar, resolve_device
from workbench.data import Dataset, load
from workbench.experiments.presets import Presets, validate_fields
from workbench.measures.edjm import EDJM, edjm, max_score
from workbench.nets.feedforward import Averaged, conv_net, count_parameters, dense_net, hidden_units
from workbench.nets.svd_layers import reorthonormalize_every, svd_log_penalty, svd_net
from workbench.papers.edjm.paper_numbers import (  # noqa: F401 (the paper's numbers live there; importable from here)
    _PAPER_ROWS,
    PAPER_EDJM,
    _score_of,
    edjm_claims,
    paper_comparison,
)
from workbench.papers.edjm.toy import ToyRegions, toy_2d, toy_regions
from workbench.training import FitConfig, accuracy, fit

__all__ = [
    "ModelSpec", "EDJMConfig", "EDJMData", "edjm_data", "TrainedModel", "train_model", "clear_model_cache",
    "EDJMStudy", "measure_models", "fig1_depth", "fig2_conv_vs_fc", "fig3_compression", "fig4_dropout",
    "fig5_ensemble", "fig6_spectral_regularization", "PAPER_EDJM", "paper_comparison",
    "width_for_params", "edjm_claims", "toy_2d", "ToyRegions", "toy_regions",
]

KINDS = ("dense", "conv", "svd")


# ---------------------------------------------------------------------------
# architectures and data
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ModelSpec:
    """One network of the paper: ``kind`` is ``"dense"``, ``"conv"`` or ``"svd"`` (SVD layers, §5).

    ``hidden``: dense hidden widths; ``channels`` / ``pool_after`` / ``kernel`` /
    ``pool``: the convolutions (kind ``"conv"``); ``bottleneck``: a linear layer
    before the dense part (the §4.3 students); ``dropout``: after every dense
    hidden activation; ``lam`` / ``reorth_every``: the SVD layers' log
    regulariser and re-orthonormalisation period in steps (kind ``"svd"``).
    """

    label: str
    kind: str = "dense"
    hidden: tuple[int, ...] = ()
    channels: tuple[int, ...] = ()
    pool_after: tuple[bool, ...] | None = None
    kernel: int = 3
    pool: str = "max"
    bottleneck: int | None = None
    activation: str = "relu"
    dropout: float = 0.0
    lam: float = 0.0
    reorth_every: int = 1

    def __post_init__(self):
        validate_fields(self)
        if self.kind not in KINDS:
            raise ValueError(f"ModelSpec.kind must be one of {KINDS}, got {self.kind!r}")
        if self.kind == "conv" and not self.channels:
            raise ValueError(f"ModelSpec {self.label!r}: kind='conv' needs channels")

    def build(self, in_shape: Sequence[int], n_out: int, *, seed: SeedLike = 0) -> nn.Module:
        """The untrained network for inputs of ``in_shape`` (without the batch dimension)."""
        n_in = int(np.prod(in_shape))
        if self.kind == "dense":
            return dense_net(n_in, self.hidden, n_out, activation=self.activation, dropout=self.dropout,
                             bottleneck=self.bottleneck, seed=seed)
        if self.kind == "svd":
            return svd_net(n_in, self.hidden, n_out, seed=seed)
        return conv_net(in_shape, self.channels, self.hidden, n_out, kernel=self.kernel, pool=self.pool,
                        pool_after=self.pool_after, bottleneck=self.bottleneck, activation=self.activation,
                        dropout=self.dropout, seed=seed)


@dataclass(frozen=True)
class EDJMData:
    """Training and validation splits and what they are."""

    train: Dataset
    val: Dataset
    requested: str
    name: str
    fallback: bool

    @property
    def note(self) -> str:
        base = (f"{self.name}: {len(self.train)} training and {len(self.val)} validation inputs of shape "
                f"{tuple(self.train.X.shape[1:])}")
        if self.fallback:
            return (f"{self.requested} is not in the local data folder, so this runs on the bundled digits "
                    f"instead ({base}); the paper's numbers are for {self.requested}")
        return base

    @property
    def key(self) -> tuple:
        return (self.name, len(self.train), len(self.val), float(self.train.X.sum()))


def edjm_data(name: str = "mnist", *, n_train: int | None = None, n_val: int = 500, seed: SeedLike = 0) -> EDJMData:
    """``name`` ("mnist", "cifar10", "digits") split into training and validation sets, as images.

    The paper holds 10,000 training images out for validation; here ``n_val``
    of the (seeded, shuffled) training set.  When the files are absent the
    bundled digits (1,797 images of 1x8x8) are used and ``fallback`` is set.
    """
    if name not in ("mnist", "cifar10", "digits"):
        raise ValueError(f"name must be 'mnist', 'cifar10' or 'digits', got {name!r}")
    if isinstance(n_val, bool) or not isinstance(n_val, int) or n_val < 1:
        raise ValueError(f"n_val must be a positive int, got {n_val!r}")
    n = None if n_train is None else n_train + n_val
    kw = dict(n=n, seed=seed) if name == "digits" else dict(train=True, n=n, seed=seed)
    ds = load(name, fallback="digits", **kw)
    fallback = name != "digits" and ds.name == "digits"
    if ds.X.dim() == 2:  # digits come flat
        ds = Dataset(ds.X.reshape(-1, 1, 8, 8), ds.y, ds.name, ds.source, ds.n_classes)
    if n_val >= len(ds):
        raise ValueError(f"n_val={n_val} leaves no training data out of {len(ds)} inputs")
    train, val = ds.split(len(ds) - n_val, seed=seed)
    return EDJMData(train, val, name, ds.name, fallback)


# ---------------------------------------------------------------------------
# training, cached
# ---------------------------------------------------------------------------
@dataclass
class TrainedModel:
    """A trained network, its :func:`fit` history, its validation accuracy and the training time."""

    spec: ModelSpec
    net: nn.Module
    history: pd.DataFrame
    val_acc: float
    seconds: float
    cached: bool = False

    def to_frame(self) -> pd.DataFrame:
        """The training history with the model's name, validation accuracy and training time."""
        return self.history.assign(model=self.spec.name, val_acc=self.val_acc, seconds=self.seconds)


_CACHE: dict[tuple, TrainedModel] = {}


def clear_model_cache() -> int:
    """Forget every cached trained network; returns how many there were."""
    n = len(_CACHE)
    _CACHE.clear()
    return n


def train_model(spec: ModelSpec, data: EDJMData, fit_config: FitConfig, *, teacher: TrainedModel | None = None,
                seed: SeedLike = 0, cache: bool = True, device: DeviceLike = None) -> TrainedModel:
    """Build ``spec`` and train it with :func:`workbench.training.fit` on ``data.train``.

    With a ``teacher`` the network is a student (Wang et al. §4.3, Ba & Caruana
    2014): it regresses the teacher's logits on the training inputs with an L2
    loss (``fit_config.loss`` is set to ``"mse"``).  Kind ``"svd"`` adds the log
    regulariser ``-lam sum log S`` as ``penalty=`` and re-orthonormalises every
    ``spec.reorth_every`` steps through ``on_step=``.  Results are cached in
    memory (``cache=False`` retrains).
    """
    s = int_seed(seed)
    key = (spec, data.key, fit_config, None if teacher is None else (teacher.spec, teacher.val_acc), s,
           str(resolve_device(device)))
    if cache and key in _CACHE:
        hit = _CACHE[key]
        return replace(hit, cached=True)
    in_shape = tuple(data.train.X.shape[1:])
    n_out = int(data.train.n_classes or int(data.train.y.max()) + 1)
    net = spec.build(in_shape, n_out, seed=s)
    train = (data.train.X, data.train.y)
    cfg = fit_config
    if teacher is not None:
        dev = resolve_device(device)
        with torch.no_grad():
            tnet = teacher.net.eval().to(dev)
            logits = torch.cat([tnet(data.train.X[i:i + 2048].to(dev)).cpu() for i in range(0, len(data.train), 2048)])
        train = (data.train.X, logits)
        cfg = fit_config.but(loss="mse")
    kw = {}
    if spec.kind == "svd":
        if spec.lam > 0:
            kw["penalty"] = svd_log_penalty(spec.lam)
        kw["on_step"] = reorthonormalize_every(spec.reorth_every)
    t0 = time.perf_counter()
    # dropout draws its masks from torch's global generator: seed it inside a fork so that a run is
    # reproducible and the caller's global RNG state is left as it was
    devices = [resolve_device(device)] if resolve_device(device).type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(s)
        hist = fit(net, train, cfg, seed=s, device=device, **kw)
    seconds = time.perf_counter() - t0
    acc = accuracy(net, data.val.X, data.val.y, device=device)
    out = TrainedModel(spec, net, hist, acc, seconds)
    if cache:
        _CACHE[key] = out
    return out


# ---------------------------------------------------------------------------
# measuring
# ---------------------------------------------------------------------------
@dataclass
class EDJMStudy:
    """Models and spectra of one figure: ``models`` (one row per network), ``spectra`` (tidy curves)."""

    figure: str
    models: pd.DataFrame
    spectra: pd.DataFrame
    data_note: str
    nets: dict[str, TrainedModel] = field(default_factory=dict)
    results: dict[str, EDJM] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.models.copy()


def measure_models(figure: str, models: Mapping[str, TrainedModel | nn.Module], data: EDJMData, *,
                   panel: str = "", output: str = "logits", val_acc: Mapping[str, float] | None = None,
                   device: DeviceLike = None) -> EDJMStudy:
    """The EDJM of every model on ``data.val`` (logits by default; ``output="softmax"`` also possible)."""
    rows, curves, results = [], [], {}
    X = data.val.X
    in_shape = tuple(X.shape[1:])
    for label, m in models.items():
        net = m.net if isinstance(m, TrainedModel) else m
        r = edjm(net, X, output=output, device=device)
        results[label] = r
        acc = m.val_acc if isinstance(m, TrainedModel) else (val_acc or {}).get(
            label, accuracy(net, X, data.val.y, device=device))
        k = r.singular_values.shape[1]
        rows.append(dict(figure=figure, panel=panel, label=label, params=count_parameters(net),
                         hidden_units=hidden_units(net, in_shape), val_acc=acc, score=r.score,
                         score_fraction=r.score / max(1, max_score(k)), exact=r.exact, output=output,
                         train_seconds=m.seconds if isinstance(m, TrainedModel) else float("nan")))
        curves.append(pd.DataFrame(dict(figure=figure, panel=panel, label=label, component=np.arange(1, k + 1),
                                        normalized=r.mean_normalized.detach().cpu().double().numpy())))
    nets = {k: v for k, v in models.items() if isinstance(v, TrainedModel)}
    return EDJMStudy(figure, pd.DataFrame(rows), pd.concat(curves, ignore_index=True), data.note, nets, results)


def _concat(figure: str, studies: Sequence[EDJMStudy]) -> EDJMStudy:
    nets, res = {}, {}
    for s in studies:
        nets.update({f"{s.models['panel'].iloc[0]}: {k}" if s.models['panel'].iloc[0] else k: v
                     for k, v in s.nets.items()})
        res.update(s.results)
    return EDJMStudy(figure, pd.concat([s.models for s in studies], ignore_index=True),
                     pd.concat([s.spectra for s in studies], ignore_index=True), studies[0].data_note, nets, res)


# ---------------------------------------------------------------------------
# configuration
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class EDJMConfig(Presets):
    """Sizes of the paper's experiments; :meth:`smoke` and :meth:`full` are presets for the digits.

    The paper's MNIST sizes (6k hidden units, 10 M parameters, 4 * 1536 vs a
    conv net with 2 * 1943, 2 * 3k / 3 * 2k with dropout, 2 * 1k SVD layers)
    are :meth:`paper`; they need MNIST and a GPU.
    """

    epochs: int = 30
    lr: float = 0.05
    momentum: float = 0.9
    batch_size: int = 64
    distill_lr: float = 0.005
    depths: tuple[int, ...] = (1, 2, 3, 4)
    hidden_total: int = 512           # Fig. 1 A/B: fixed number of hidden units
    param_budget: int = 100_000       # Fig. 1 D/E: fixed number of parameters
    fc_width: int = 128               # Fig. 2: the feed-forward 4 * w
    conv_channels: tuple[int, ...] = (16, 32)
    conv_dense: int = 128             # Fig. 2: the conv net's 2 * w dense part
    teacher_channels: tuple[int, ...] = (32, 64, 128)
    teacher_dense: int = 256
    student_channels: int = 64
    student_bottleneck: int = 100
    student_dense: int = 400
    fc_student_bottleneck: int = 120
    fc_student_dense: int = 1000
    dropout_structures: tuple[tuple[int, ...], ...] = ((256, 256), (192, 192, 192))
    dropout: float = 0.5
    ensemble_width: int = 128
    spectral_hidden: tuple[int, ...] = (256, 256)
    spectral_lam: float = 1e-3
    spectral_lr: float = 0.01         # Fig. 6: all three nets (SVD layers diverge at lr=0.05 with momentum 0.9)
    reorth_every: int = 1
    seed: int = 0

    PRESETS = ("smoke", "full", "paper")

    @classmethod
    def smoke(cls, **overrides) -> EDJMConfig:
        return replace(cls(epochs=3, hidden_total=48, param_budget=8_000, fc_width=24, conv_channels=(4, 8),
                   conv_dense=24,
                   teacher_channels=(4, 8, 8), teacher_dense=24, student_channels=8, student_bottleneck=16,
                   student_dense=32, fc_student_bottleneck=16, fc_student_dense=48,
                   dropout_structures=((32, 32), (24, 24, 24)), ensemble_width=24, spectral_hidden=(32, 32)),
                       **overrides)

    @classmethod
    def full(cls, **overrides) -> EDJMConfig:
        return replace(cls(), **overrides)

    @classmethod
    def paper(cls, **overrides) -> EDJMConfig:
        return replace(cls(epochs=100, hidden_total=6000, param_budget=10_000_000, fc_width=1536,
                   conv_channels=(64, 128),
                   conv_dense=1943, teacher_channels=(64, 128, 256), teacher_dense=1024, student_channels=128,
                   student_bottleneck=800, student_dense=5000, fc_student_bottleneck=1200, fc_student_dense=30000,
                   dropout_structures=((3000, 3000), (2000, 2000, 2000)), ensemble_width=3072,
                   spectral_hidden=(1000, 1000)), **overrides)

    def fit_config(self) -> FitConfig:
        return FitConfig(epochs=self.epochs, batch_size=self.batch_size, lr=self.lr, optimizer="sgd",
                         momentum=self.momentum, eval_every=max(1, self.epochs))


def width_for_params(n_in: int, n_out: int, depth: int, budget: int) -> int:
    """The width ``w`` of ``depth`` equal hidden layers whose network has about ``budget`` parameters."""
    # (n_in + 1) w + (depth - 1)(w + 1) w + (w + 1) n_out = budget
    a, b, c = depth - 1, n_in + 1 + (depth - 1) + n_out, n_out - budget
    w = -c / b if a == 0 else (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)
    return max(1, int(round(w)))


def _train_all(specs: Sequence[ModelSpec], data: EDJMData, cfg: EDJMConfig, device, progress, desc,
               teacher: TrainedModel | None = None, fit_config: FitConfig | None = None) -> dict[str, TrainedModel]:
    out = {}
    it = progress_bar(specs, None, desc, progress, unit="model")
    for sp in it:
        out[sp.label] = train_model(sp, data, fit_config or cfg.fit_config(), teacher=teacher, seed=cfg.seed,
                                    device=device)
    return out


# ---------------------------------------------------------------------------
# the figures
# ---------------------------------------------------------------------------
def fig1_depth(data: EDJMData, config: EDJMConfig = EDJMConfig(), *, output: str = "logits",
               device: DeviceLike = None, progress: bool = True) -> EDJMStudy:
    """Fig. 1: depth 1-4 at a fixed number of hidden units (panel "hidden units") and of parameters."""
    n_in = int(np.prod(data.train.X.shape[1:]))
    H, P = config.hidden_total, config.param_budget
    fixed_h = [ModelSpec(f"{d} x {H // d}", hidden=(H // d,) * d) for d in config.depths]
    fixed_p = [ModelSpec(f"{d} x {w}", hidden=(w,) * d)
               for d in config.depths for w in [width_for_params(n_in, 10, d, P)]]
    a = measure_models("Fig. 1", _train_all(fixed_h, data, config, device, progress, "Fig. 1 (hidden units)"), data,
                       panel=f"{H} hidden units", output=output, device=device)
    b = measure_models("Fig. 1", _train_all(fixed_p, data, config, device, progress, "Fig. 1 (parameters)"), data,
                       panel=f"~{P:,} parameters", output=output, device=device)
    for s, sp in ((a, fixed_h), (b, fixed_p)):
        s.models["depth"] = [len(x.hidden) for x in sp]
    return _concat("Fig. 1", [a, b])


def fig2_conv_vs_fc(data: EDJMData, config: EDJMConfig = EDJMConfig(), *, output: str = "logits",
                    device: DeviceLike = None, progress: bool = True) -> EDJMStudy:
    """Fig. 2: a 4 * w feed-forward net against conv - pool - conv - pool - 2 * w' at comparable parameters."""
    w, ch, cd = config.fc_width, config.conv_channels, config.conv_dense
    specs = [ModelSpec(f"feed-forward 4 x {w}", hidden=(w,) * 4),
             ModelSpec(f"conv {'-'.join(map(str, ch))} + 2 x {cd}", kind="conv", channels=ch, hidden=(cd, cd))]
    return measure_models("Fig. 2", _train_all(specs, data, config, device, progress, "Fig. 2"), data,
                          output=output, device=device)


def fig3_compression(data: EDJMData, config: EDJMConfig = EDJMConfig(), *, output: str = "logits",
                     device: DeviceLike = None, progress: bool = True) -> EDJMStudy:
    """Fig. 3: a deep conv teacher; conv / feed-forward students on its logits; the same shallow nets on labels.

    Teacher: conv c1 - conv c1 - pool - conv c2 - conv c2 - pool - conv c3 - pool - 2 * dense (the paper's
    64-64-pool-128-128-pool-256-pool-2*1024).  Students (L2 on the teacher's logits, Ba & Caruana 2014): conv
    c 5x5 - pool - linear bottleneck - 1 dense layer; linear bottleneck - 1 wide dense layer.
    """
    c1, c2, c3 = config.teacher_channels
    td = config.teacher_dense
    teacher_spec = ModelSpec("conv teacher", kind="conv", channels=(c1, c1, c2, c2, c3),
                             pool_after=(False, True, False, True, True), hidden=(td, td))
    conv_small = dict(kind="conv", channels=(config.student_channels,), kernel=5,
                      bottleneck=config.student_bottleneck, hidden=(config.student_dense,))
    fc_small = dict(bottleneck=config.fc_student_bottleneck, hidden=(config.fc_student_dense,))
    teacher = train_model(teacher_spec, data, config.fit_config(), seed=config.seed, device=device)
    hard = _train_all([ModelSpec("feed-forward shallow", **fc_small), ModelSpec("conv shallow", **conv_small)],
                      data, config, device, progress, "Fig. 3 (hard labels)")
    soft = _train_all([ModelSpec("feed-forward student", **fc_small), ModelSpec("conv student", **conv_small)],
                      data, config, device, progress, "Fig. 3 (students)", teacher=teacher,
                      fit_config=config.fit_config().but(lr=config.distill_lr))
    models = {"feed-forward shallow": hard["feed-forward shallow"],
              "feed-forward student": soft["feed-forward student"],
              "conv shallow": hard["conv shallow"], "conv student": soft["conv student"], "conv teacher": teacher}
    return measure_models("Fig. 3", models, data, output=output, device=device)


def fig4_dropout(data: EDJMData, config: EDJMConfig = EDJMConfig(), *, output: str = "logits",
                 device: DeviceLike = None, progress: bool = True) -> EDJMStudy:
    """Fig. 4: two feed-forward structures with and without dropout."""
    studies = []
    for hid in config.dropout_structures:
        name = f"{len(hid)} x {hid[0]}"
        specs = [ModelSpec(f"{name}", hidden=hid), ModelSpec(f"{name} dropout {config.dropout:g}", hidden=hid,
                                                              dropout=config.dropout)]
        studies.append(measure_models("Fig. 4", _train_all(specs, data, config, device, progress, f"Fig. 4 ({name})"),
                                      data, panel=name, output=output, device=device))
    return _concat("Fig. 4", studies)


def fig5_ensemble(data: EDJMData, config: EDJMConfig = EDJMConfig(), *, output: str = "logits",
                  device: DeviceLike = None, progress: bool = True) -> EDJMStudy:
    """Fig. 5: 2-, 3- and 4-layer feed-forward nets and their averaged ensemble (mean of the logits)."""
    w = config.ensemble_width
    specs = [ModelSpec(f"feed-forward {d} layer", hidden=(w,) * d) for d in (2, 3, 4)]
    members = _train_all(specs, data, config, device, progress, "Fig. 5")
    ens = Averaged([m.net for m in members.values()])
    models: dict = dict(members)
    models["ensemble"] = ens
    return measure_models("Fig. 5", models, data, output=output, device=device)


def fig6_spectral_regularization(data: EDJMData, config: EDJMConfig = EDJMConfig(), *, output: str = "logits",
                                 device: DeviceLike = None, progress: bool = True) -> EDJMStudy:
    """Fig. 6 and Table 1: baseline, dropout and SVD layers with ``-lam sum log S`` on the same structure.

    All three are trained with ``config.spectral_lr``: the factorised layer
    ``U diag(S) V`` takes steps several times larger in ``W`` than a plain layer
    at the same learning rate (every factor moves), and at the other figures'
    ``lr = 0.05`` with momentum 0.9 it diverges; one recipe for the three keeps
    Table 1's comparison fair.
    """
    hid = config.spectral_hidden
    name = f"{len(hid)} x {hid[0]}"
    specs = [ModelSpec(f"{name} feed-forward", hidden=hid),
             ModelSpec(f"{name} dropout {config.dropout:g}", hidden=hid, dropout=config.dropout),
             ModelSpec(f"{name} spectral reg. (lambda={config.spectral_lam:g})", kind="svd", hidden=hid,
                       lam=config.spectral_lam, reorth_every=config.reorth_every)]
    fc = config.fit_config().but(lr=config.spectral_lr)
    return measure_models("Fig. 6", _train_all(specs, data, config, device, progress, "Fig. 6", fit_config=fc),
                          data, output=output, device=device)
