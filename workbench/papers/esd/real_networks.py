"""ESD of real-world networks: torchvision's ImageNet classifiers (ESD paper §6, Figs. 9-13, Tables 3-4).

Berthiaume, Paffenroth & Guo (2020), §6: for each of 18 torchvision
architectures with random weights, sample 1,000,000 gradient coordinates of
``g = f_1`` (pick_first) or ``g = sum_i f_i^2`` (sum_squares), evaluate them
at 500 inputs ``x in {-1, 1}^(3x224x224)``, take the singular values of the
500 x 10^6 matrix ``J`` through ``J J^T``, repeat 10 times, and correlate the
resulting ESD (effective rank) with the networks' ImageNet top-1 / top-5 error.

* :class:`ESDRealConfig` with presets ``smoke`` (a few small architectures at
  small inputs: minutes on a CPU, *not* the paper's numbers) and ``full`` (the
  paper's sizes, for a GPU).
* :func:`esd_real_networks` -> tidy table, one row per (model, reduce, repeat).
* :func:`esd_real_summary` -> one row per (model, reduce): mean / min / max ESD.
* :func:`esd_real_fits` -> least-squares lines of error vs ESD and vs parameter
  count with one-sigma bootstrap bands (1,000 resamples) and Pearson /
  Spearman correlations with p-values.
"""
from __future__ import annotations

import time
import warnings
import zlib
from dataclasses import asdict, dataclass, field, replace
from typing import ClassVar

import numpy as np
import pandas as pd
import torch

from workbench._runtime import SeedLike, int_seed, resolve_device
from workbench.experiments.presets import Presets
from workbench.measures.spanning.reductions import SAMPLED_REDUCES, check_reduction
from workbench.measures.spanning.sampled import count_parameters, sample_coordinates, sampled_spectrum
from workbench.nets.torchvision_zoo import ESD_PAPER_MODELS, zoo, zoo_model

__all__ = [
    "ESDRealConfig",
    "ESD_REAL_PRESETS",
    "ESDRealFits",
    "esd_real_networks",
    "esd_real_summary",
    "esd_real_fits",
    "fit_line_bootstrap",
    "accuracy_metadata",
    "real_inputs",
]

_INPUTS = ("sign", "uniform", "normal", "digits")


@dataclass(frozen=True)
class ESDRealConfig(Presets):
    """What to measure in the ESD of real-world networks (ESD paper §6).

    Attributes
    ----------
    models : tuple of str
        torchvision classification model names (see :func:`workbench.zoo`).
    input_shape : tuple of int
        Shape of one input; the paper uses ``(3, 224, 224)``.
    n_inputs : int
        Rows of ``J`` (the paper: 500).
    n_coords : int
        Sampled gradient coordinates, columns of ``J`` (the paper: 1,000,000).
    repeats : int
        Independent repetitions per model (the paper: 10); each draws new
        weights (if ``redraw_weights``), inputs and coordinates.
    reduces : tuple of str
        ``"pick_first"`` and/or ``"sum_squares"`` (§6).  Within one repeat all
        reduces share weights, inputs and coordinates (a paired comparison).
    inputs : str
        ``"sign"`` (entries in {-1, 1}, the paper's synthetic inputs, §3.3),
        ``"uniform"`` on [-1, 1] or ``"normal"``.
    softmax : bool
        Scalarise the softmax probabilities instead of the logits torchvision
        returns (the paper speaks of a "probability vector").  Default logits.
    weights : str
        Which torchvision weight metadata supplies the errors:
        ``"IMAGENET1K_V1"`` (default: the original recipes, the values of the
        paper's 2019-2020 torchvision) or ``"DEFAULT"`` (today's best weights,
        e.g. ResNet-50 80.9 % instead of 76.1 % top-1).  The *networks* always
        have random weights; this only chooses the accuracy column.
    redraw_weights : bool
        Draw new random weights for every repeat (the ESD is an expectation over
        weights and inputs); ``False`` keeps one network per model.
    chunk_size : int or None
        Inputs per backward pass (:func:`workbench.measures.sampled_gradient_rows`).
    seed : int
        Master seed; (seed, model name, repeat) fixes weights, inputs and coordinates.
    device : str or None
        ``None`` is :func:`workbench.device` (CUDA when present).
    """

    models: tuple[str, ...] = ESD_PAPER_MODELS
    input_shape: tuple[int, ...] = (3, 224, 224)
    n_inputs: int = 500
    n_coords: int = 1_000_000
    repeats: int = 10
    reduces: tuple[str, ...] = SAMPLED_REDUCES
    inputs: str = "sign"
    softmax: bool = False
    weights: str = "IMAGENET1K_V1"
    redraw_weights: bool = True
    chunk_size: int | None = None
    seed: int = 0
    device: str | None = None

    PRESETS: ClassVar[tuple[str, ...]] = ("smoke", "cpu", "full")

    @classmethod
    def smoke(cls, **overrides) -> ESDRealConfig:
        """Five small architectures, 3x32x32 inputs, 12 inputs, 5,000 coordinates, 3 repeats.

        About 20 s on 2 idle CPU cores.

        Small inputs and few coordinates: the numbers are *not* the paper's.
        """
        base = cls(
            models=("squeezenet1_1", "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "mobilenet_v2", "resnet18"),
            input_shape=(3, 32, 32), n_inputs=12, n_coords=5_000, repeats=3,
        )
        return replace(base, **overrides)

    @classmethod
    def cpu(cls, **overrides) -> ESDRealConfig:
        """All 18 paper models at CPU-sized inputs: 3x64x64, 64 inputs, 100,000 coordinates, 3 repeats.

        Every architecture of the paper, so the correlations have the paper's 18
        points; the inputs, rows and coordinates are far below the paper's
        (ESD at most 64), so the ESD values are *not* the paper's.  Tens of
        minutes on 2 CPU cores (42.5 min measured on 2 idle cores on 2026-12-07; see notebook 02).
        """
        return replace(cls(input_shape=(3, 64, 64), n_inputs=64, n_coords=100_000, repeats=3), **overrides)

    @classmethod
    def full(cls, **overrides) -> ESDRealConfig:
        """The paper's 18 models, 3x224x224 sign inputs, 500 inputs, 10^6 coordinates, 10 repeats (a GPU job)."""
        return replace(cls(), **overrides)

    def validate(self) -> ESDRealConfig:
        """Check every field before any work starts; returns ``self``."""
        if not self.models:
            raise ValueError("models is empty; give at least one torchvision model name (see workbench.zoo())")
        known = set(zoo()["name"])
        unknown = [m for m in self.models if m not in known]
        if unknown:
            raise ValueError(
                f"unknown model name(s) {unknown}; use torchvision classification models listed by "
                "workbench.zoo() (e.g. workbench.nets.ESD_PAPER_MODELS)"
            )
        for r in self.reduces:
            check_reduction(r, SAMPLED_REDUCES)
        if not self.reduces:
            raise ValueError(f"reduces is empty; use some of {SAMPLED_REDUCES}")
        if self.inputs not in _INPUTS:
            raise ValueError(f"unknown inputs {self.inputs!r}; use one of {_INPUTS}")
        for nm in ("n_inputs", "n_coords", "repeats"):
            v = getattr(self, nm)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{nm} must be a positive int, got {v!r}")
        if len(self.input_shape) != 3 or min(self.input_shape) < 1:
            raise ValueError(f"input_shape must be (channels, height, width), got {self.input_shape}")
        if self.weights not in ("IMAGENET1K_V1", "DEFAULT"):
            raise ValueError(f"weights must be 'IMAGENET1K_V1' or 'DEFAULT', got {self.weights!r}")
        return self


ESD_REAL_PRESETS = {"smoke": ESDRealConfig.smoke, "cpu": ESDRealConfig.cpu, "full": ESDRealConfig.full}
"""Named configurations: ``ESD_REAL_PRESETS[name]()``."""


def accuracy_metadata(models, weights: str = "IMAGENET1K_V1") -> pd.DataFrame:
    """ImageNet-1K errors of torchvision's ``weights`` for each model (shipped metadata, no download).

    Columns: ``model``, ``family``, ``params``, ``top1_error``, ``top5_error``,
    ``weights``.  ``weights="DEFAULT"`` reads :func:`workbench.zoo`; a named
    weight set (``"IMAGENET1K_V1"``) is read from the model's weight enum and
    falls back to ``DEFAULT`` for a model without it (said in ``weights``).
    """
    import torchvision.models as tvm

    z = zoo().set_index("name")
    rows = []
    for m in models:
        if m not in z.index:
            raise ValueError(f"unknown model {m!r}; see workbench.zoo() for the names")
        rec = dict(model=m, family=z.loc[m, "family"], params=int(z.loc[m, "params"]),
                   top1_error=float(z.loc[m, "top1_error"]), top5_error=float(z.loc[m, "top5_error"]),
                   weights=str(z.loc[m, "weights"]))
        if weights != "DEFAULT":
            enum = tvm.get_model_weights(m)
            if weights in enum.__members__:
                w = enum[weights]
                met = w.meta["_metrics"]["ImageNet-1K"]
                rec.update(top1_error=100.0 - float(met["acc@1"]), top5_error=100.0 - float(met["acc@5"]),
                           weights=str(w))
        rows.append(rec)
    return pd.DataFrame(rows)


def _repeat_seeds(seed: int, model: str, repeat: int) -> tuple[int, int, int]:
    ss = np.random.SeedSequence([int(seed), zlib.crc32(model.encode()), int(repeat)])
    a, b, c = (int(v) for v in ss.generate_state(3, dtype=np.uint32))
    return a, b, c


def real_inputs(n: int, shape: tuple[int, ...], kind: str = "sign", *, seed: SeedLike = 0) -> torch.Tensor:
    """``n`` inputs of ``shape``.

    ``"sign"`` (entries in {-1, 1}, ESD §3.3/§6), ``"uniform"`` [-1, 1], ``"normal"``, or ``"digits"``
    (real images: :func:`workbench.papers.esd.image_inputs.digit_images`, for Figs. 11-12).

    Drawn on the CPU from ``seed`` (float32).
    """
    seed = int_seed(seed)  # an int or a torch.Generator
    g = torch.Generator().manual_seed(int(seed))
    if kind == "sign":
        return torch.randint(0, 2, (n, *shape), generator=g).to(torch.float32).mul_(2).sub_(1)
    if kind == "uniform":
        return torch.rand((n, *shape), generator=g).mul_(2).sub_(1)
    if kind == "normal":
        return torch.randn((n, *shape), generator=g)
    if kind == "digits":  # real images (Figs. 11-12 use ImageNet crops; these ship with scikit-learn)
        from workbench.papers.esd.image_inputs import digit_images

        return digit_images(n, tuple(shape), seed=g)
    raise ValueError(f"unknown inputs {kind!r}; use one of {_INPUTS}")


def esd_real_networks(config: ESDRealConfig | None = None, *, progress: bool = True, store=None,
                      client=False) -> pd.DataFrame:
    """Run the ESD of real-world networks (ESD paper §6) and return a tidy table.

    For each model and repeat: build the network with random weights (seeded),
    draw ``n_inputs`` inputs and ``n_coords`` coordinates, and for each reduce
    compute the singular values of the sampled Jacobian through its Gram
    matrix (:func:`workbench.sampled_spectrum`) and their effective rank.

    Each (model, repeat) is one cell of :func:`workbench.experiments.run_cells`,
    computed here (``client=False``, the default: one device, one network at a
    time) or on the Dask cluster ``client`` names (each worker then uses
    ``config.device`` itself).  With ``store=FOLDER`` every finished cell is kept
    there, so a run stopped part-way and started again with the same
    configuration computes only the cells that had not finished; a store made
    for another configuration, device type or library version is refused.
    ``table.attrs["sweep"]`` says how many cells were read back
    (:func:`workbench.experiments.resumed_note`); their ``seconds`` are the
    earlier run's.

    Returns
    -------
    pandas.DataFrame
        One row per (model, reduce, repeat): ``model``, ``family``,
        ``reduce``, ``repeat``, ``esd`` (effective rank), ``sv_max``,
        ``params`` (trainable parameters), ``top1_error``, ``top5_error`` (%,
        from ``config.weights``), ``n_inputs``, ``n_coords``, ``input_shape``,
        ``inputs``, ``seconds``.
    """
    from functools import partial

    from workbench.experiments.distributed import run_cells, sweep_versions

    cfg = (config or ESDRealConfig.smoke()).validate()
    meta = accuracy_metadata(cfg.models, cfg.weights).set_index("model")
    meta = {m: (str(meta.loc[m, "family"]), float(meta.loc[m, "top1_error"]), float(meta.loc[m, "top5_error"]))
            for m in cfg.models}
    dev = resolve_device(cfg.device)
    cells = [dict(model=name, repeat=r) for name in cfg.models for r in range(cfg.repeats)]
    sweep = dict(sweep="esd_real_networks", config={k: v for k, v in asdict(cfg).items() if k != "device"},
                 device=dev.type, **sweep_versions())
    cell_dev = str(dev) if client is False else cfg.device  # on a cluster each worker resolves its own device
    return run_cells(partial(_esd_real_cell, cfg, cell_dev, meta), cells, client=client, store=store, sweep=sweep,
                     batch_size=1 if store is not None else None, desc="ESD §6 (model, repeat)", progress=progress)


def _esd_real_cell(cfg: ESDRealConfig, dev: str | None, meta: dict, cell: dict) -> list[dict]:
    """The rows of one (model, repeat) of :func:`esd_real_networks`, one per reduce."""
    name, r = cell["model"], int(cell["repeat"])
    dev = resolve_device(dev)
    w_seed, x_seed, c_seed = _repeat_seeds(cfg.seed, name, r)
    if not cfg.redraw_weights:  # one network per model: the weights of repeat 0
        w_seed = _repeat_seeds(cfg.seed, name, 0)[0]
    if dev.type == "cuda":
        torch.cuda.empty_cache()
    model = zoo_model(name, seed=w_seed)
    P = count_parameters(model)
    k = cfg.n_coords
    if k > P:
        raise ValueError(f"n_coords={k} exceeds the {P} parameters of {name}; lower n_coords")
    X = real_inputs(cfg.n_inputs, cfg.input_shape, cfg.inputs, seed=x_seed)
    coords = sample_coordinates(P, k, seed=c_seed)
    family, top1, top5 = meta[name]
    rows = []
    for red in cfg.reduces:
        t0 = time.perf_counter()
        spec = sampled_spectrum(model, X, k, reduce=red, coords=coords, softmax=cfg.softmax,
                                chunk_size=cfg.chunk_size, device=dev)
        rows.append(dict(
            model=name, family=family, reduce=spec.reduce, repeat=r,
            esd=float(spec.effective_rank), sv_max=float(spec.singular_values[0]), params=int(P),
            top1_error=top1, top5_error=top5,
            n_inputs=cfg.n_inputs, n_coords=k, input_shape="x".join(map(str, cfg.input_shape)),
            inputs=cfg.inputs, seconds=time.perf_counter() - t0,
        ))
    return rows


def esd_real_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per (model, reduce): ``esd`` (mean over repeats), ``esd_min``, ``esd_max``, ``esd_std``, ``repeats``,
    and the model's ``family``, ``params``, ``top1_error``, ``top5_error``."""
    _check_table(table)
    g = table.groupby(["model", "reduce"], sort=False)
    out = g.agg(esd=("esd", "mean"), esd_min=("esd", "min"), esd_max=("esd", "max"), esd_std=("esd", "std"),
                repeats=("esd", "size"), family=("family", "first"), params=("params", "first"),
                top1_error=("top1_error", "first"), top5_error=("top5_error", "first")).reset_index()
    return out


def _check_table(table: pd.DataFrame) -> None:
    need = {"model", "reduce", "esd", "params", "top1_error", "top5_error"}
    if not isinstance(table, pd.DataFrame) or not need <= set(table.columns):
        raise ValueError(f"expected the table of esd_real_networks() with columns {sorted(need)}")
    if table.empty:
        raise ValueError("the table is empty; run esd_real_networks() with at least one model")
    if not np.isfinite(table["esd"].to_numpy(dtype=float)).all():
        raise ValueError("the table has NaN/inf ESD values; rerun or drop those rows")


def fit_line_bootstrap(x, y, *, n_boot: int = 1000, seed: SeedLike = 0, grid=None, n_grid: int = 100) -> dict:
    """Least-squares line ``y = a + b x`` with a one-sigma bootstrap band (ESD paper Figs. 9-13).

    ``n_boot`` resamples of the (x, y) pairs with replacement (seeded); the band
    at each grid point is the fit plus / minus the standard deviation of the
    resampled lines' predictions there (resamples with constant x are skipped).

    Returns
    -------
    dict
        ``slope``, ``intercept``, ``slope_sd`` (bootstrap), ``n_boot_used``,
        ``grid``, ``fit``, ``lo``, ``hi`` (arrays over the grid).
    """
    seed = int_seed(seed)  # an int or a torch.Generator
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"x and y must be 1-D of the same length, got {x.shape} and {y.shape}")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("x or y contains NaN or inf; drop those points before fitting")
    if x.size < 3:
        raise ValueError(f"a line with a bootstrap band needs at least 3 points, got {x.size}")
    if np.ptp(x) == 0:
        raise ValueError("all x values are equal; a least-squares line through them is undefined")
    if n_boot < 2:
        raise ValueError(f"n_boot must be >= 2, got {n_boot}")
    b, a = np.polyfit(x, y, 1)
    grid = np.linspace(x.min(), x.max(), n_grid) if grid is None else np.asarray(grid, dtype=float)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    xb, yb = x[idx], y[idx]
    xm, ym = xb.mean(1, keepdims=True), yb.mean(1, keepdims=True)
    sxx = ((xb - xm) ** 2).sum(1)
    ok = sxx > 1e-12 * max(1.0, float(np.var(x)) * x.size)
    slopes = ((xb - xm) * (yb - ym)).sum(1)[ok] / sxx[ok]
    inter = ym[ok, 0] - slopes * xm[ok, 0]
    preds = inter[:, None] + slopes[:, None] * grid[None, :]
    sd = preds.std(0, ddof=1)
    fit = a + b * grid
    return dict(slope=float(b), intercept=float(a), slope_sd=float(slopes.std(ddof=1)), n_boot_used=int(ok.sum()),
                grid=grid, fit=fit, lo=fit - sd, hi=fit + sd)


@dataclass(frozen=True)
class ESDRealFits:
    """Fits of error against ESD and parameter count (ESD paper Figs. 9-13, Tables 3-4).

    Attributes
    ----------
    stats : pandas.DataFrame
        One row per (reduce, predictor, target): ``n_models``, ``slope``,
        ``intercept``, ``slope_sd`` (bootstrap), ``pearson_r``, ``pearson_p``,
        ``spearman_rho``, ``spearman_p``.  ``predictor`` is ``"esd"``,
        ``"params"`` or ``"log10_params"``; parameter rows have
        ``reduce == "none"`` (the count does not depend on the reduce).
    bands : pandas.DataFrame
        Tidy fit lines: (reduce, predictor, target, x, fit, lo, hi), ``x`` in
        the predictor's units (log10 for ``"log10_params"``).
    """

    stats: pd.DataFrame
    bands: pd.DataFrame
    n_boot: int = 1000
    seed: int = 0
    meta: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The fit statistics, one row per (reduce, predictor, target) (``stats``)."""
        return self.stats.copy()


def esd_real_fits(table: pd.DataFrame, *, n_boot: int = 1000, seed: SeedLike = 0, n_grid: int = 100) -> ESDRealFits:
    """Least-squares lines, one-sigma bootstrap bands and correlations of error vs ESD and vs parameter count.

    Fits use one point per model (the ESD averaged over repeats), as in the
    paper's Figs. 9-13.  Pearson's r with its two-sided p-value is the test of a
    linear relationship (the paper's Tables 3-4); Spearman's rho is reported
    beside it.
    """
    seed = int_seed(seed)  # an int or a torch.Generator
    from scipy import stats as st

    summ = esd_real_summary(table)
    if summ["model"].nunique() < 3:
        raise ValueError(f"correlations over models need at least 3 models, got {summ['model'].nunique()}")
    srows, brows = [], []

    def add(reduce, predictor, x, target, y):
        fit = fit_line_bootstrap(x, y, n_boot=n_boot, seed=seed, n_grid=n_grid)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pr = st.pearsonr(x, y)
            sr = st.spearmanr(x, y)
        srows.append(dict(reduce=reduce, predictor=predictor, target=target, n_models=len(x), slope=fit["slope"],
                          intercept=fit["intercept"], slope_sd=fit["slope_sd"], pearson_r=float(pr[0]),
                          pearson_p=float(pr[1]), spearman_rho=float(sr[0]), spearman_p=float(sr[1])))
        brows.append(pd.DataFrame(dict(reduce=reduce, predictor=predictor, target=target, x=fit["grid"],
                                       fit=fit["fit"], lo=fit["lo"], hi=fit["hi"])))

    targets = ("top1_error", "top5_error")
    for red, sub in summ.groupby("reduce", sort=False):
        for t in targets:
            add(red, "esd", sub["esd"].to_numpy(float), t, sub[t].to_numpy(float))
    per_model = summ.drop_duplicates("model")
    for t in targets:
        p = per_model["params"].to_numpy(float)
        add("none", "params", p, t, per_model[t].to_numpy(float))
        add("none", "log10_params", np.log10(p), t, per_model[t].to_numpy(float))
    return ESDRealFits(pd.DataFrame(srows), pd.concat(brows, ignore_index=True), n_boot, seed,
                       dict(models=list(per_model["model"])))
