"""Layer-algebra experiments of Badias & Banerjee (§7, App. A): tidy tables from architectures alone.

* :func:`vc_comparison` (Fig. 6): our GCC against a VC-dimension estimate of
  fully connected and convolutional ReLU networks.  The estimate is the rate
  of the nearly tight bound of Bartlett, Harvey, Liaw & Mehrabian (JMLR 2019,
  the paper's ref. [44]), ``VC ~ W L log2 W`` (``W`` parameters, ``L`` layers
  with weights), with constant 1; the paper cites [44] for fully connected and
  Jiang et al. (2019, ref. [45]) for convolutional networks, whose VC measure
  has the same ``W L log W`` form, and does not give its constants.
* :func:`resnet_vs_plainnet` (Figs. 8-9): ResNet-18 ... 152 against PlainNets.
* :func:`layer_algebra_zoo` (Figs. 10-11): every classifier of
  :func:`workbench.zoo`, built on the meta device, at the evaluation crop of
  its default weights; :func:`power_fit` fits ``accuracy = a x^b``.
* :func:`activation_study` (App. A.1, Figs. 12-13): data-driven constants.

Configurations are frozen dataclasses with ``smoke()`` and ``full()`` presets.
"""
from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench._runtime import DeviceLike, SeedLike, progress_bar
from workbench.experiments.presets import Presets
from workbench.measures.layer_algebra.constants import activation_variances, moving_average_variance
from workbench.measures.layer_algebra.graph import layer_algebra
from workbench.measures.layer_algebra.rule_table import LayerAlgebraOptions
from workbench.nets.layer_nets import RESNET_DEPTHS, resnet_family, small_cnn
from workbench.nets.torchvision_zoo import zoo
from workbench.nets.zoo_meta import zoo_input_shape, zoo_meta_model

__all__ = [
    "vc_estimate", "vc_comparison", "ResNetPlainResult", "resnet_vs_plainnet", "LayerAlgebraZooConfig",
    "layer_algebra_zoo", "PowerFit", "power_fit", "ActivationStudyConfig", "activation_study",
    "PAPER_FIT_R2", "PAPER_TABLE1_MODELS", "ReadingsComparison", "compare_readings",
]

PAPER_TABLE1_MODELS = (
    "alexnet", "densenet121", "densenet161", "densenet169", "densenet201", "googlenet", "inception_v3",
    "mnasnet0_5", "mnasnet1_0", "mobilenet_v2", "resnet101", "resnet152", "resnet18", "resnet34", "resnet50",
    "resnext101_32x8d", "resnext50_32x4d", "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "squeezenet1_0",
    "squeezenet1_1", "vgg11", "vgg13", "vgg16", "vgg19", "wide_resnet101_2", "wide_resnet50_2",
)
"""The torchvision models with accuracies in the paper's Table 1 (App. A.2; its values are the V1 weights)."""

PAPER_FIT_R2 = {"top1": 0.751, "top5": 0.755}
"""R^2 of the paper's power-function fits of ImageNet accuracy against GWC (§7.4, Fig. 11)."""


# ------------------------------------------------------------------ Fig. 6


def vc_estimate(n_params: int, n_layers: int) -> float:
    """``W L log2 W``: the rate of the VC-dimension bound of Bartlett et al. (2019) for ReLU networks."""
    if n_params < 2 or n_layers < 1:
        raise ValueError(f"need n_params >= 2 and n_layers >= 1, got {n_params}, {n_layers}")
    return float(n_params * n_layers * math.log2(n_params))


def _count(model) -> tuple[int, int]:
    from torch import nn

    w = sum(p.numel() for p in model.parameters())
    layers = sum(1 for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d)))
    return int(w), int(layers)


def _mlp(widths, device="meta"):
    import torch
    from torch import nn

    layers = []
    with torch.device(device):
        for a, b in zip(widths, widths[1:]):
            layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def vc_comparison(*, fc_widths: Sequence[int] = (16, 32, 64, 128, 256), fc_depths: Sequence[int] = (1, 2, 3),
                  cnn_widths: Sequence[int] = (4, 8, 16, 32), cnn_depths: Sequence[int] = (1, 2, 3),
                  fc_input: int = 784, cnn_input: tuple = (1, 28, 28), num_classes: int = 10,
                  accumulate: str = "product") -> pd.DataFrame:
    """GCC and the VC estimate of simple ReLU networks (Fig. 6).

    ``accumulate``: ``"product"`` (default, §6) or ``"sum"`` (eq. 2), see
    :func:`workbench.layer_algebra`.

    Fully connected: ``fc_input -> [width] * depth -> num_classes``.
    Convolutional: :func:`workbench.small_cnn` with ``depth`` units of
    ``width`` channels (3x3, stride 1).  Columns: ``family`` (fc / cnn),
    ``width``, ``depth``, ``params``, ``weight_layers``, ``vc``, ``gcc``,
    ``log10_gcc``, ``gsc``.
    """
    LayerAlgebraOptions(accumulate=accumulate)  # a bad value fails before any network is built
    rows = []
    for fam, widths, depths in (("fc", fc_widths, fc_depths), ("cnn", cnn_widths, cnn_depths)):
        for d in depths:
            for w in widths:
                if fam == "fc":
                    m, shape = _mlp([fc_input] + [w] * d + [num_classes]), (fc_input,)
                else:
                    m = small_cnn(d, w, 3, 1, in_channels=cnn_input[0], num_classes=num_classes, device="meta")
                    shape = tuple(cnn_input)
                r = layer_algebra(m, shape, accumulate=accumulate)
                n_w, n_l = _count(m)
                rows.append(dict(family=fam, width=w, depth=d, params=n_w, weight_layers=n_l,
                                 vc=vc_estimate(n_w, n_l), gcc=r.gcc, log10_gcc=r.log10_gcc, gsc=r.gsc))
    return pd.DataFrame(rows)


# --------------------------------------------------------------- Figs. 8-9


@dataclass
class ResNetPlainResult:
    """``summary``: one row per (family, depth); ``curves``: cumulative values along each network."""

    summary: pd.DataFrame
    curves: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.summary.copy()


def resnet_vs_plainnet(depths: Sequence[int] = (18, 34, 50, 101, 152), *, input_shape=(3, 224, 224),
                       num_classes: int = 1000, **options) -> ResNetPlainResult:
    """GCIP and GCC of ResNet-``depth`` and its PlainNet (Figs. 8-9), no weights allocated.

    ``summary`` columns: ``family`` (ResNet / PlainNet), ``depth``, ``n_layers``
    (non-neutral operations: the paper's 'equivalent local layers'), ``gcip``,
    ``log10_gcip``, ``gcc``, ``log10_gcc``, ``gsc``.  ``curves``: ``family``,
    ``depth``, ``layer`` (index among non-neutral operations), ``name``,
    ``log10_cumulative_power``, ``log10_cumulative_complexity``.
    """
    rows, curves = [], []
    for d in depths:
        if d not in RESNET_DEPTHS:
            raise ValueError(f"depths: {d!r} is not one of {sorted(RESNET_DEPTHS)}")
        for fam, sc in (("ResNet", True), ("PlainNet", False)):
            r = layer_algebra(resnet_family(d, shortcuts=sc, num_classes=num_classes, device="meta"),
                              input_shape, **options)
            rows.append(dict(family=fam, depth=d, n_layers=r.n_layers, gcip=r.gcip, log10_gcip=r.log10_gcip,
                             gcc=r.gcc, log10_gcc=r.log10_gcc, gsc=r.gsc))
            f = r.frame[r.frame["kind"].isin(["kernel", "activation", "composite", "merge"])]
            curves.append(pd.DataFrame(dict(family=fam, depth=d, layer=np.arange(1, len(f) + 1), name=f["name"].values,
                                            kind=f["kind"].values,
                                            log10_cumulative_power=f["log10_cumulative_power"].values,
                                            log10_cumulative_complexity=f["log10_cumulative_complexity"].values)))
    return ResNetPlainResult(pd.DataFrame(rows), pd.concat(curves, ignore_index=True))


# ------------------------------------------------------------- Figs. 10-11


@dataclass(frozen=True)
class LayerAlgebraZooConfig(Presets):
    """Which zoo classifiers to measure (``models=None``: all of :func:`workbench.zoo`) and with which options."""

    models: tuple | None = None
    options: dict = field(default_factory=dict)

    @classmethod
    def smoke(cls, **kw) -> LayerAlgebraZooConfig:
        """Six small classifiers of different families (seconds)."""
        kw.setdefault("models", ("alexnet", "resnet18", "resnet34", "mobilenet_v2", "squeezenet1_1",
                                 "vgg11", "shufflenet_v2_x0_5", "googlenet"))
        return cls(**kw)

    @classmethod
    def full(cls, **kw) -> LayerAlgebraZooConfig:
        """Every classifier with ImageNet accuracy metadata (80 in torchvision 0.29)."""
        return cls(**kw)



def layer_algebra_zoo(config: LayerAlgebraZooConfig | None = None, *, accumulate: str | None = None,
                      progress: bool = True) -> pd.DataFrame:
    """GCIP, GCC, GSC, GWC of zoo classifiers with their ImageNet accuracy (Figs. 10-11).

    ``accumulate``: ``"product"`` (§6) or ``"sum"`` (eq. 2), see
    :func:`workbench.layer_algebra`; ``None`` keeps the config's options
    (default: the product).

    One row per model: the :func:`workbench.zoo` columns (name, family,
    params, top1, top5, ...) plus ``input_shape``, ``gcip``, ``gcc``, ``gsc``,
    ``gwc`` with their ``log10_`` forms, ``n_ops``, ``n_layers`` and
    ``seconds`` (build + trace + propagate).  Models are built on the meta
    device (no weights).
    """
    cfg = config or LayerAlgebraZooConfig.full()
    options = dict(cfg.options)
    if accumulate is not None:
        options["accumulate"] = accumulate
    LayerAlgebraOptions(**options)  # bad options fail before any model is built
    table = zoo()
    if cfg.models is not None:
        unknown = sorted(set(cfg.models) - set(table["name"]))
        if unknown:
            raise ValueError(f"models: {unknown} are not in workbench.zoo() (models with ImageNet metadata)")
        table = table[table["name"].isin(cfg.models)]
    rows = []
    for name in progress_bar(list(table["name"]), None, "layer algebra", progress, unit="model"):
        t0 = time.perf_counter()
        shape = zoo_input_shape(name)
        r = layer_algebra(zoo_meta_model(name), shape, **options)
        s = r.summary()
        s.pop("model")
        rows.append(dict(name=name, **s, seconds=time.perf_counter() - t0))
    return table.merge(pd.DataFrame(rows), on="name").reset_index(drop=True)


@dataclass
class PowerFit:
    """A power function fitted by least squares on ``y``.

    ``scale="linear"``: ``y = a x^b`` (the paper's form), evaluated through
    ``log10 x`` because ``x`` may exceed float64: ``a 10^(b log10 x)``.
    ``scale="log"``: ``y = a (log10 x)^b``, a power function of the order of
    magnitude of ``x``.
    """

    a: float
    b: float
    r2: float
    n: int
    x: str
    y: str
    scale: str = "linear"

    def predict(self, log10_x) -> np.ndarray:
        u = np.asarray(log10_x, dtype=float)
        if self.scale == "log":
            return self.a * np.power(u, self.b)
        return self.a * np.power(10.0, self.b * u)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([dict(x=self.x, y=self.y, scale=self.scale, a=self.a, b=self.b, r2=self.r2, n=self.n)])


def power_fit(table: pd.DataFrame, x: str = "gwc", y: str = "top1", *, scale: str = "linear") -> PowerFit:
    """Fit ``table[y] = a * table[x] ** b`` (the paper's power function, §7.4) and its R^2.

    Uses the column ``log10_<x>`` so that values beyond float64 (GWC of deep
    networks) are fitted exactly.  ``scale="log"`` fits ``a (log10 x)^b``
    instead.  Rows with a missing ``y`` or a non-finite ``log10_<x>`` are
    dropped.  R^2 = 1 - SS_res / SS_tot on ``y``.
    """
    from scipy.optimize import curve_fit

    if scale not in ("linear", "log"):
        raise ValueError(f"scale must be 'linear' or 'log', got {scale!r}")
    lx = f"log10_{x}"
    for c in (lx, y):
        if c not in table.columns:
            raise ValueError(f"table has no column {c!r}; columns: {list(table.columns)}")
    d = table[[lx, y]].replace([np.inf, -np.inf], np.nan).dropna()
    if scale == "log":
        d = d[d[lx] > 0]
    if len(d) < 3:
        raise ValueError(f"power_fit needs at least 3 finite rows, got {len(d)}")
    u, v = d[lx].to_numpy(float), d[y].to_numpy(float)
    logv = np.log10(np.clip(v, 1e-12, None))
    if scale == "log":
        b0, loga0 = np.polyfit(np.log10(u), logv, 1)  # a straight line in log-log coordinates
        f = lambda uu, a, b: a * np.power(uu, b)  # noqa: E731
    else:
        b0, loga0 = np.polyfit(u, logv, 1)
        f = lambda uu, a, b: a * np.power(10.0, b * uu)  # noqa: E731
    (a, b), _ = curve_fit(f, u, v, p0=(10 ** loga0, b0), maxfev=20000)
    pred = f(u, a, b)
    r2 = 1.0 - float(np.sum((v - pred) ** 2) / np.sum((v - v.mean()) ** 2))
    return PowerFit(float(a), float(b), r2, len(d), x, y, scale)


# ------------------------------------------------- two readings (issue 25)


def _fig6_slope(vc: pd.DataFrame, family: str) -> float:
    g = vc[vc["family"] == family]
    return float(np.polyfit(np.log10(g["vc"].to_numpy(float)), g["log10_gcc"].to_numpy(float), 1)[0])


@dataclass
class ReadingsComparison:
    """Figs. 6, 10 and 11 under each reading of the accumulation: ``table`` (one row per quantity, one column per
    reading and the paper's value) and ``sentence`` (which reading matches the paper's Fig. 6 rate and R^2)."""

    table: pd.DataFrame
    sentence: str
    slopes: dict
    r2: dict

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def compare_readings(vc: dict, zoo_tables: dict, *, rate_bound: float = 0.5,
                     r2_tolerance: float = 0.05) -> ReadingsComparison:
    """Compare ``accumulate="product"`` and ``"sum"`` on Figs. 6, 10 and 11.

    ``vc`` and ``zoo_tables`` map a reading (``"product"``, ``"sum"``) to a
    :func:`vc_comparison` and a :func:`layer_algebra_zoo` table made under it.
    Fig. 6: least-squares slope of ``log10 GCC`` on ``log10 VC`` per family
    (the paper: "substantially slower rates", read as under ``rate_bound``, the
    catalogue's ``la.fig6.rate_*`` rule); Fig. 10: the ranges of ``log10 GCIP``
    and ``log10 GCC``; Fig. 11: the range of ``log10 GWC`` and the R^2 of the
    paper's fit ``accuracy = a x^b`` (:func:`power_fit`) on GWC, GCC and GSC,
    beside the paper's R^2 (0.751 / 0.755, within ``r2_tolerance`` as in
    ``la.fig11c.r2_top1``). The paper prints no GCC or GWC value in its text.
    """
    readings = list(vc)
    if not readings or set(readings) != set(zoo_tables) or not set(readings) <= {"product", "sum"}:
        raise ValueError(f"vc and zoo_tables need the same readings among ('product', 'sum'), got "
                         f"{sorted(vc)} and {sorted(zoo_tables)}")
    fams = ("fc", "cnn")
    slopes = {k: {f: _fig6_slope(vc[k], f) for f in fams} for k in readings}
    r2 = {k: {(x, acc): power_fit(zoo_tables[k], x, acc).r2 for acc in ("top1", "top5") for x in ("gwc", "gcc", "gsc")}
          for k in readings}
    names = {"product": "product (§6, eq. 18)", "sum": "sum (eq. 2)"}

    def span(t, col):
        return f"{t[col].min():.1f} .. {t[col].max():.1f}"

    cols = {}
    for k in readings:
        z = zoo_tables[k]
        col = {f"Fig. 6: slope of log10 GCC on log10 VC, {f}": f"{slopes[k][f]:.3f}" for f in fams}
        col |= {f"Fig. 10: log10 {m.upper()} over the zoo": span(z, f"log10_{m}") for m in ("gcip", "gcc")}
        col["Fig. 11: log10 GWC over the zoo"] = span(z, "log10_gwc")
        col |= {f"Fig. 11: R² of {acc} = a {x.upper()}^b": f"{v:.3f}" for (x, acc), v in r2[k].items()}
        cols[names[k]] = col
    paper = {f"Fig. 6: slope of log10 GCC on log10 VC, {f}": f"'substantially slower' (< {rate_bound:g})"
             for f in fams}
    paper |= {f"Fig. 11: R² of {acc} = a GWC^b": f"{PAPER_FIT_R2[acc]:.3f}" for acc in ("top1", "top5")}
    first = next(iter(cols.values()))
    cols["paper"] = {q: paper.get(q, "not printed") for q in first}
    table = pd.DataFrame(cols)
    table.index.name = "quantity"

    slower = [names[k] for k in readings if max(slopes[k].values()) < rate_bound]
    miss = {k: max(abs(r2[k][("gwc", acc)] - PAPER_FIT_R2[acc]) for acc in ("top1", "top5")) for k in readings}
    closer = min(miss, key=miss.get)
    fits = "; ".join(f"{r2[k][('gwc', 'top1')]:.3f} / {r2[k][('gwc', 'top5')]:.3f} under the {names[k]}"
                     for k in readings)
    within = (f"within ±{r2_tolerance:g}" if miss[closer] <= r2_tolerance
              else f"but {miss[closer]:.3f} away, outside ±{r2_tolerance:g}")
    gsc = max(r2[closer][("gsc", "top1")], r2[closer][("gsc", "top5")])
    sentence = (
        f"Fig. 6: GCC grows substantially slower than the VC estimate (both slopes under {rate_bound:g}) under "
        f"{' and '.join(slower) if slower else 'neither reading'}. Fig. 11: the paper's power fit of accuracy on "
        f"GWC has R² {PAPER_FIT_R2['top1']:.3f} / {PAPER_FIT_R2['top5']:.3f} (top-1 / top-5); ours is {fits}: "
        f"the {names[closer]} is closer, {within}"
        + (f" (the plain sum GSC fits better than either: R² up to {gsc:.3f})" if gsc > max(
            r2[k][("gwc", a)] for k in readings for a in ("top1", "top5")) else "")
        + ". Fig. 10: log10 GCC spans "
        + " and ".join(f"{zoo_tables[k]['log10_gcc'].min():.1f} to {zoo_tables[k]['log10_gcc'].max():.1f} under "
                       f"the {names[k]}" for k in readings)
        + "; the paper prints no value to compare them with.")
    return ReadingsComparison(table, sentence, slopes, r2)


# ---------------------------------------------------------- App. A.1 study


@dataclass(frozen=True)
class ActivationStudyConfig(Presets):
    """Sizes of the data-driven study (App. A.1): the paper uses 100 vectors of 15,000 and K = 1..500."""

    input_variances: tuple = tuple(float(v) for v in np.logspace(-2, 1, 13))
    n_vectors: int = 100
    length: int = 15000
    kernel_sizes: tuple = tuple(range(1, 501))
    softmax_length: int = 1000

    @classmethod
    def smoke(cls, **kw) -> ActivationStudyConfig:
        kw.setdefault("input_variances", (0.1, 1.0, 10.0))
        kw.setdefault("n_vectors", 20)
        kw.setdefault("length", 2000)
        kw.setdefault("kernel_sizes", (1, 2, 5, 10, 20, 50, 100))
        return cls(**kw)

    @classmethod
    def full(cls, **kw) -> ActivationStudyConfig:
        return cls(**kw)



def activation_study(config: ActivationStudyConfig | None = None, *, seed: SeedLike = 0,
                     device: DeviceLike = None) -> dict:
    """``{"activations": table, "filters": table}`` of App. A.1 (Figs. 12-13).

    ``activations``: :func:`workbench.measures.activation_variances` over the input
    variances for normal and uniform inputs (softmax on vectors of
    ``softmax_length``); ``filters``: :func:`workbench.measures.moving_average_variance`.
    """
    cfg = config or ActivationStudyConfig.full()
    act = activation_variances(input_variances=cfg.input_variances, n_vectors=cfg.n_vectors,
                               length=cfg.softmax_length, seed=seed, device=device)
    filt = moving_average_variance(cfg.kernel_sizes, n_vectors=cfg.n_vectors, length=cfg.length, seed=seed,
                                   device=device)
    return {"activations": act, "filters": filt}
