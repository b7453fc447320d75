"""Expected spanning dimension (ESD): Algorithm 1 of the ESD paper.

Berthiaume, Paffenroth & Guo (2020), *Understanding Deep Learning: Expected
Spanning Dimension and Controlling the Flexibility of Neural Networks*.

* :func:`esd` is Algorithm 1: ``samples`` times draw random weights and
  ``n_points`` random inputs, compute the spanning dimension (effective rank of
  the parameter Jacobian, :mod:`workbench.measures.spanning.dimension`), and average.
  All samples of one architecture run as a stacked ensemble through nested
  ``torch.func.vmap`` and one batched SVD per chunk.
The paper's figures and tables (Figs. 3, 4, 6, Table 1, Theorem 2.1) are in
:mod:`workbench.papers.esd.figures`, the real-network study in
:mod:`workbench.papers.esd.real_networks`.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from torch import nn

from workbench._runtime import DeviceLike, SeedLike, generator, int_seed, progress_meter
from workbench.limits import check_bytes
from workbench.measures import count_parameters
from workbench.measures.spanning import structured
from workbench.measures.spanning.dimension import (
    RANKS,
    ensemble_parameter_jacobian,
    jacobian_spanning_dimension,
    lowrank_singular_values,
    spanning_from_singular_values,
)
from workbench.measures.spanning.reductions import REDUCTIONS, check_reduction
from workbench.nets.ensemble import Ensemble
from workbench.nets.multilayer import ACTIVATIONS, INITS, SHORTCUTS, mlp, validate_widths
from workbench.validation import check_choice, check_device, warn_layer_range

__all__ = [
    "INPUTS",
    "INPUT_SEED_OFFSET",
    "ESDResult",
    "draw_inputs",
    "esd",
    "esd_of",
]

INPUTS = ("uniform", "normal", "sign")
"""Input distributions of :func:`esd`: uniform on [-1, 1], standard normal, entries in {-1, 1} (§3.3)."""

INPUT_SEED_OFFSET = 1_000_003
"""Sample ``i`` of ``esd(seed=s)`` draws its inputs from ``generator(s + i + INPUT_SEED_OFFSET)``."""

_ELEMENT_BUDGET = 2**24
"""Jacobian entries held at once by :func:`esd_of` (chunks of samples are sized to this)."""


def draw_inputs(n_points: int, dim: int, inputs: str = "uniform", *, seed: SeedLike = 0,
                dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """``n_points`` random input points of dimension ``dim``, on the CPU.

    ``"uniform"``: entries uniform on ``[-1, 1]``; ``"normal"``: standard normal;
    ``"sign"``: entries uniform on ``{-1, 1}`` (ESD paper §3.3: every basis
    function of the standard, Legendre or Chebyshev basis is then ``+-1``, so
    ``V`` has rows of constant norm).  Note that a one-input network sees only
    two distinct ``"sign"`` points, so its spanning dimension is at most 2.
    """
    check_choice("inputs", inputs, INPUTS)
    if isinstance(n_points, bool) or not isinstance(n_points, int) or isinstance(dim, bool) \
            or not isinstance(dim, int) or n_points < 1 or dim < 1:
        raise ValueError(f"n_points and dim must be positive ints, got {n_points!r}, {dim!r}")
    check_bytes(n_points * dim * 8 * 2, f"{n_points:,} random inputs of dimension {dim:,}", "pass a smaller n_points")
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

    def to_frame(self) -> pd.DataFrame:
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

    @property
    def table(self) -> pd.DataFrame:
        """The same as :meth:`to_frame` (kept for old code)."""
        return self.to_frame()

    def __repr__(self) -> str:
        name = self.config.get("name") or self.config.get("widths")
        return (f"ESDResult({name}, {self.config.get('activation', '')}: ESD = {self.mean:.3f} ± {self.sem:.3f} "
                f"(sd {self.std:.3f}, {len(self.values)} samples, {self.n_params} params))")


def esd_of(
    factory: Callable[[int], nn.Module],
    n_in: int,
    *,
    samples: int = 100,
    n_points: int | None = None,
    inputs: str = "uniform",
    reduce: str = "pick_first",
    rank: str = "effective",
    seed: SeedLike = 0,
    device: DeviceLike = None,
    dtype: torch.dtype = torch.float32,
    chunk_samples: int | None = None,
    progress: bool = True,
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
    check_choice("inputs", inputs, INPUTS)
    reduce = check_reduction(reduce, REDUCTIONS)
    check_choice("rank", rank, RANKS)
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise ValueError(f"samples must be a positive int, got {samples!r}")
    check_choice("dtype", dtype, (torch.float32, torch.float64))
    s0 = int_seed(seed)
    dev = check_device(device)
    probe = factory(s0)
    P = count_parameters(probe)
    if P == 0:
        raise ValueError("the network has no parameters, so it has no spanning dimension; give a network with weights")
    n_pts = P if n_points is None else int(n_points)
    if n_pts < 1:
        raise ValueError(f"n_points must be positive, got {n_points}")
    with torch.no_grad():
        n_out = int(probe(torch.zeros(1, n_in)).reshape(-1).numel())
    per_sample = n_pts * P * (n_out if reduce == "mean" else 1)
    item = torch.empty((), dtype=dtype).element_size()
    check_bytes(2 * per_sample * item + min(n_pts, P) ** 2 * item,
                f"one sample's Jacobian of {n_pts:,} points x {P:,} parameters"
                + (f" x {n_out} outputs" if reduce == "mean" else "") + " (and its SVD)",
                "pass a smaller network or n_points= (by default there are as many points as parameters)",
                device=dev)
    chunk = chunk_samples or max(1, min(samples, _ELEMENT_BUDGET // max(per_sample, 1)))
    route = structured.closed_form_route(probe, n_in, reduce, method)
    t0 = time.perf_counter()
    values = []
    starts = range(0, samples, chunk)
    warned = None
    bar = progress_meter(samples, "ESD", "sample", progress)
    try:
        with reused_jacobian_memory():  # one Jacobian buffer for all chunks (issue 29)
            for start in starts:
                c = min(chunk, samples - start)
                models = [probe if start + i == 0 else factory(s0 + start + i) for i in range(c)]
                X = torch.stack([draw_inputs(n_pts, n_in, inputs, seed=s0 + start + i + INPUT_SEED_OFFSET,
                                             dtype=dtype) for i in range(c)]).to(dev)
                if route is None:
                    sd, warned = _chunk_torch_func(models, X, dev, dtype, reduce, rank, method, start, s0, warned)
                else:
                    sd, warned = _chunk_closed_form(route, models, X, dev, dtype, reduce, rank, method, start, s0,
                                                    warned)
                values.append(sd.detach().cpu().to(torch.float64).numpy())
                bar.update(c)
                if on_progress is not None:
                    on_progress(start + c, samples)
    finally:
        bar.close()
    cfg = dict(config or {})
    cfg.update(samples=samples, n_points=n_pts, inputs=inputs, reduce=reduce, rank=rank, seed=s0,
               dtype=str(dtype).replace("torch.", ""), device=str(dev), method=method,
               route=f"closed-form {route}" if route else "torch.func")
    if warned:  # the NumericalWarning's text, for a panel's status line
        cfg["numerical_warning"] = warned
    return ESDResult(np.concatenate(values), cfg, P, time.perf_counter() - t0)


def _warn_range(models, X, dtype, start, s0, members) -> str | None:
    for i in members:  # until one sample's layers leave the dtype's range
        warned = warn_layer_range(models[i], X[i], dtype=dtype, stacklevel=5,
                                  what=f"the ESD (sample {start + i}, network seed {s0 + start + i})")
        if warned:
            return warned
    return None


def _raise_nonfinite(J, X, start, s0):
    if not torch.isfinite(J).all():
        bad = (~torch.isfinite(J).all(-1)).nonzero()[0].tolist()  # (member, [output,] point)
        x = X[bad[0], bad[-1]].tolist()
        raise FloatingPointError(
            f"the parameter gradient of sample {start + bad[0]} (network seed {s0 + start + bad[0]}) at its "
            f"point {bad[-1]} (x = {x}) contains NaN or inf; the network overflows or divides by zero there. "
            "Check the initialisation scale and the input distribution, or use dtype=torch.float64")


def _chunk_torch_func(models, X, dev, dtype, reduce, rank, method, start, s0, warned):
    """One chunk of samples through ``torch.func`` (any architecture): stacked ensemble, nested vmap."""
    ens = Ensemble(models, device=dev)
    params = {k: v.to(dtype) for k, v in ens.params.items()}
    buffers = {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in ens.buffers.items()}
    if not warned:
        warned = _warn_range(models, X, dtype, start, s0, range(len(models)))
    J = ensemble_parameter_jacobian(ens.base, params, buffers, X, reduce)
    _raise_nonfinite(J, X, start, s0)
    return jacobian_spanning_dimension(J, rank=rank, mean_axis=1 if reduce == "mean" else None, method=method), warned


_JACOBIAN_MEMORY: ContextVar[list | None] = ContextVar("workbench_esd_jacobian_memory", default=None)


@contextmanager
def reused_jacobian_memory() -> Iterator[None]:
    """Inside this block the closed-form routes write every chunk's Jacobian into one buffer, kept until the end.

    :func:`esd_of` opens it around its chunks and :func:`workbench.papers.esd.esd_grid` around its cells run
    here, so a sweep of thousands of networks touches its Jacobian memory once (a fresh allocation of 10^8
    bytes is mapped page by page on its first write: issue 29).  The buffer grows to the largest chunk and is
    freed when the outermost block ends; nested blocks share it; other threads and processes (Dask workers)
    have their own.  The Jacobians never leave a chunk, so reusing their memory changes no result.
    """
    if _JACOBIAN_MEMORY.get() is not None:
        yield
        return
    token = _JACOBIAN_MEMORY.set([None])
    try:
        yield
    finally:
        _JACOBIAN_MEMORY.reset(token)


def _jacobian_memory(numel: int, dtype: torch.dtype, device: torch.device) -> torch.Tensor | None:
    """The reused buffer of :func:`reused_jacobian_memory` with at least ``numel`` entries, or ``None`` outside."""
    slot = _JACOBIAN_MEMORY.get()
    if slot is None:
        return None
    buf = slot[0]
    if buf is None or buf.numel() < numel or buf.dtype != dtype or buf.device != device:
        slot[0] = None  # free the smaller one first
        buf = slot[0] = torch.empty(numel, dtype=dtype, device=device)
    return buf


def _chunk_closed_form(route, models, X, dev, dtype, reduce, rank, method, start, s0, warned):
    """One chunk of samples of a plain MLP through :mod:`workbench.measures.spanning.structured` (issue 29)."""
    net = models[0]
    Ws, bs = structured.mlp_weights(models, dtype=dtype, device=dev)
    N, P = X.shape[1], sum(p.numel() for p in net.parameters())
    J = None
    if route == "regions":
        s, ok, outs = structured.piecewise_linear_singular_values(net, Ws, bs, X)
    else:
        J, outs = structured.mlp_jacobian(net, Ws, bs, X, reduce, keep=True,
                                          buffer=_jacobian_memory(X.shape[0] * N * P, X.dtype, X.device))
    if not warned:  # float64: screen the outputs at hand, re-check only the flagged members with hooks
        members = (structured.layer_range_suspects(outs, dtype) if dtype == torch.float64
                   else range(len(models)))
        warned = _warn_range(models, X, dtype, start, s0, members)
    if route == "chebyshev":  # a NaN / inf in J makes its member's values non-finite: checked below
        s, ok = structured.basis_singular_values(J, X[..., 0])
    elif route == "jacobian":
        if not bool(torch.isfinite(J.sum())):
            _raise_nonfinite(J, X, start, s0)
        return jacobian_spanning_dimension(J, rank=rank, method=method), warned
    if not bool(torch.isfinite(s).all()) or not bool(ok.all()):
        bad = (~ok | ~torch.isfinite(s).all(-1)).nonzero().flatten()
        Jb = J[bad] if J is not None else structured.mlp_jacobian(
            net, [W[bad] for W in Ws], [None if b is None else b[bad] for b in bs], X[bad], reduce)
        _raise_nonfinite(Jb, X[bad], start, s0)
        s[bad] = lowrank_singular_values(Jb)
    return spanning_from_singular_values(s, (N, P), rank), warned


def esd(
    widths: Sequence[int],
    activation: str = "relu",
    *,
    shortcuts: str | None = None,
    samples: int = 100,
    n_points: int | None = None,
    inputs: str = "uniform",
    reduce: str = "pick_first",
    rank: str = "effective",
    init: str = "default",
    seed: SeedLike = 0,
    device: DeviceLike = None,
    dtype: torch.dtype = torch.float32,
    method: str = "svd",
    progress: bool = True,
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
        ``"pick_first"``, ``"sum_squares"`` or ``"mean"`` (§3.2; see
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
        :func:`workbench.measures.jacobian_singular_values`.  A plain MLP
        (no shortcuts; relu, leaky_relu, hardtanh, identity, tanh, sigmoid or
        square) skips ``torch.func``: its Jacobians come in closed form, and
        with ``"lowrank"`` and one input its singular values come from a known
        range basis (activation-pattern intervals for piecewise-linear
        activations, without forming ``J``; Chebyshev polynomials for smooth
        ones), certified by the same residual bound as ``"lowrank"``
        (:mod:`workbench.measures.spanning.structured`; the result's
        ``config["route"]`` names the route taken).
    progress
        A ``tqdm`` bar of samples with an ETA, shown once the call has run 2 s; ``False`` silences it.
    on_progress
        ``on_progress(done, total)`` after each chunk of samples.
    """
    ws = validate_widths(widths)
    check_choice("activation", activation, tuple(ACTIVATIONS))
    check_choice("shortcuts", shortcuts, SHORTCUTS)
    check_choice("init", init, INITS)

    def factory(s: int) -> nn.Module:
        return mlp(ws, activation, shortcuts=shortcuts, init=init, seed=s)

    cfg = dict(widths=tuple(ws), activation=activation, shortcuts=shortcuts or "none", init=init)
    return esd_of(factory, ws[0], samples=samples, n_points=n_points, inputs=inputs, reduce=reduce, rank=rank,
                  seed=seed, device=device, dtype=dtype, progress=progress, config=cfg, method=method,
                  on_progress=on_progress)
