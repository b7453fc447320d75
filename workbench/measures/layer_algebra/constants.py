"""Data-driven intrinsic power of activations and filters (Badias & Banerjee, App. A.1, Figs. 12-13).

The paper sets the local power of an activation to the output / input
variance ratio (eq. 5) measured on random data, and its complexity to the
inverse (eq. 7).  Its constants (ReLU 0.584, tanh 0.628, sigmoid 0.208) are
reproduced here by the ratio of *standard deviations* at a standard normal
input, ``sqrt(Var f(Z) / Var Z)`` (ReLU: ``sqrt(1/2 - 1/(2 pi)) = 0.5838``),
not by the variance ratio of eq. 5 (ReLU: 0.3408); both are computed.
:func:`estimate_activation_constants` turns either into the mapping the
layer algebra takes as ``constants=``.

:func:`moving_average_variance` is the paper's check of the convolution rule
(Fig. 12): the variance of a length-``K`` moving average (kernel ``1/K``) of
i.i.d. standard normal vectors against eq. 8's ``S_o / (K S_i)``.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import torch

from workbench._runtime import DeviceLike, SeedLike, generator, resolve_device
from workbench.validation import check_choice, check_int, check_real

__all__ = ["ACTIVATION_FUNCTIONS", "activation_variances", "estimate_activation_constants",
           "moving_average_variance"]

ACTIVATION_FUNCTIONS = {
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softmax": lambda x: torch.softmax(x, dim=-1),
}
"""The four activation families of the paper (§5.6-5.9) as tensor functions."""

_DISTRIBUTIONS = ("normal", "uniform")


def _draw(distribution: str, variance: float, shape, g: torch.Generator, device) -> torch.Tensor:
    if distribution == "normal":
        x = torch.randn(shape, generator=g, dtype=torch.float64)
        return (x * math.sqrt(variance)).to(device)
    a = math.sqrt(3.0 * variance)  # U(-a, a) has variance a^2 / 3
    x = torch.rand(shape, generator=g, dtype=torch.float64)
    return ((2 * x - 1) * a).to(device)


def activation_variances(activations: Sequence[str] = tuple(ACTIVATION_FUNCTIONS),
                         input_variances: Sequence[float] = (1.0,), *, distributions: Sequence[str] = _DISTRIBUTIONS,
                         n_vectors: int = 100, length: int = 1000, seed: SeedLike = 0,
                         device: DeviceLike = None) -> pd.DataFrame:
    """Output variance of each activation for normal / uniform inputs of each variance (App. A.1, Fig. 13).

    ``n_vectors`` vectors of ``length`` i.i.d. entries (softmax acts on each
    vector; the others element-wise); the sample variances over all entries
    are compared.  Columns: ``activation``, ``distribution``,
    ``input_variance`` (the sample's), ``output_variance``, ``variance_ratio``
    (eq. 5), ``std_ratio`` (its square root).
    """
    if isinstance(activations, str):
        activations = (activations,)
    if isinstance(distributions, str):
        distributions = (distributions,)
    for a in activations:
        if a not in ACTIVATION_FUNCTIONS:
            raise ValueError(f"activations: unknown {a!r}; accepted: {sorted(ACTIVATION_FUNCTIONS)}")
    for d in distributions:
        if d not in _DISTRIBUTIONS:
            raise ValueError(f"distributions: unknown {d!r}; accepted: {_DISTRIBUTIONS}")
    if isinstance(input_variances, (int, float)) and not isinstance(input_variances, bool):
        input_variances = (input_variances,)
    variances = [check_real(f"input_variances[{i}]", v, finite=False) if not isinstance(v, float) else v
                 for i, v in enumerate(input_variances)]
    if not variances or not all(math.isfinite(v) and v > 0 for v in variances):
        raise ValueError(f"input_variances must be finite and > 0, got {list(input_variances)!r}")
    for name, v in (("n_vectors", n_vectors), ("length", length)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 2:
            raise ValueError(f"{name} must be an int >= 2, got {v!r}")
    dev = resolve_device(device)
    g = generator(seed)
    rows = []
    for dist in distributions:
        for var in variances:
            x = _draw(dist, var, (n_vectors, length), g, dev)
            vin = float(x.var())
            for a in activations:
                vout = float(ACTIVATION_FUNCTIONS[a](x).var())
                rows.append(dict(activation=a, distribution=dist, input_variance=vin, output_variance=vout,
                                 variance_ratio=vout / vin, std_ratio=math.sqrt(vout / vin)))
    return pd.DataFrame(rows)


def estimate_activation_constants(*, distribution: str = "normal", input_variance: float = 1.0,
                                  statistic: str = "std", n_vectors: int = 100, length: int = 1000,
                                  seed: SeedLike = 0, device: DeviceLike = None) -> dict[str, tuple[float, float]]:
    """Data-driven ``family -> (power, complexity)`` for :func:`workbench.layer_algebra` (``constants=``).

    ``statistic="std"`` (the ratio of standard deviations: reproduces the
    paper's ReLU, tanh and sigmoid constants at a standard normal input) or
    ``"variance"`` (eq. 5 as written).  Complexity is ``1 / power`` (eq. 7).
    The softmax value depends on the vector ``length`` (its output variance
    falls like ``(e - 1) / length^2``).
    """
    if statistic not in ("std", "variance"):
        raise ValueError(f"statistic must be 'std' or 'variance', got {statistic!r}")
    input_variance = check_real("input_variance", input_variance, min=0.0, min_open=True)
    check_choice("distribution", distribution, _DISTRIBUTIONS)
    t = activation_variances(input_variances=(input_variance,), distributions=(distribution,),
                             n_vectors=n_vectors, length=length, seed=seed, device=device)
    col = "std_ratio" if statistic == "std" else "variance_ratio"
    return {r.activation: (float(getattr(r, col)), 1.0 / float(getattr(r, col))) for r in t.itertuples()}


def moving_average_variance(kernel_sizes: Sequence[int], *, n_vectors: int = 100, length: int = 15000,
                            seed: SeedLike = 0, device: DeviceLike = None) -> pd.DataFrame:
    """The paper's Fig. 12: variance after a ``1/K`` filter of length ``K`` against eq. 8.

    ``n_vectors`` standard normal vectors of ``length``; for each ``K`` a valid
    convolution with the kernel ``(1/K, ..., 1/K)`` (prefix sums, exact).
    Columns: ``K``, ``variance`` (mean over vectors of the output variance,
    divided by the variance of the first input vector, as in the paper),
    ``power_eq8`` = ``S_o / (K S_i)`` with ``S_o = length - K + 1``.
    """
    length = check_int("length", length, min=1)
    ks = [check_int(f"kernel_sizes[{i}]", k) for i, k in enumerate(kernel_sizes)]
    if not ks or min(ks) < 1 or max(ks) > length:
        raise ValueError(f"kernel_sizes must lie in 1..length={length}, got {list(kernel_sizes)[:5]}...")
    dev = resolve_device(device)
    x = torch.randn((n_vectors, length), generator=generator(seed), dtype=torch.float64).to(dev)
    csum = torch.nn.functional.pad(torch.cumsum(x, dim=1), (1, 0))
    v0 = float(x[0].var())
    rows = []
    for k in ks:
        y = (csum[:, k:] - csum[:, :-k]) / k
        rows.append(dict(K=k, variance=float(y.var(dim=1).mean()) / v0,
                         power_eq8=(length - k + 1) / (k * length)))
    return pd.DataFrame(rows)
