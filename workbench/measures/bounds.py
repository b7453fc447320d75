"""Theory bounds the papers state, in one place (closed forms, no network needed).

* :func:`region_upper_bound`: hyperplane-arrangement bound on the number of
  linear regions (Raghu et al. 2017, Theorem 1);
* :func:`growth_rate_bounds`: per-layer growth factors of trajectory length
  (Raghu et al. 2017, Theorem 3), with the linear bound and the mean-field rate;
* :func:`identity_rank`: the rank of the local affine map predicted by the
  activation pattern (Johansson 2022, eq. 2.3 / Corollary 1);
* :func:`sv_difference_bound`: bound on the singular-value change between
  adjacent regions (Johansson 2022, eq. 2.13).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from workbench.nets.multilayer import ACTIVATIONS
from workbench.validation import as_tensor, check_choice, check_int, check_real, describe

__all__ = ["region_upper_bound", "growth_rate_bounds", "identity_rank", "sv_difference_bound"]


def region_upper_bound(hidden_widths: Sequence[int], n_in: int = 2, activation: str = "relu") -> int:
    """Hyperplane-arrangement upper bound on the number of linear regions (Raghu et al. 2017, Theorem 1).

    The proof of Theorem 1 bounds the regions layer by layer: each region of the
    previous layers is cut by the layer's ``n_l`` hyperplanes (``2 n_l`` for hard
    tanh, two breakpoints per neuron) into at most ``sum_{j=0}^{n_in} C(N, j)``
    pieces (Zaslavsky), so the count is at most the product over hidden layers,
    ``O(n^{n_in k})`` for ``k`` layers of width ``n``.
    """
    per = {"relu": 1, "leaky_relu": 1, "hardtanh": 2, "identity": 0}
    if activation not in per:
        raise ValueError(f"activation must be one of {sorted(per)}, got {activation!r}")
    if isinstance(hidden_widths, (str, bytes)) or not hasattr(hidden_widths, "__iter__"):
        raise TypeError(f"hidden_widths must be a sequence of positive ints, got {describe(hidden_widths)}")
    hidden_widths = [check_int(f"hidden_widths[{i}]", w) for i, w in enumerate(hidden_widths)]
    n_in = check_int("n_in", n_in)
    if n_in <= 0 or any(int(w) <= 0 for w in hidden_widths):
        raise ValueError(f"n_in and the hidden widths must be positive, got n_in={n_in}, "
                         f"hidden_widths={list(hidden_widths)}")
    total = 1
    for w in hidden_widths:
        Nh = per[activation] * int(w)
        total *= sum(math.comb(Nh, j) for j in range(min(n_in, Nh) + 1))
    return total


def growth_rate_bounds(activation: str, width: int, sigma_w2: float, sigma_b2: float = 0.0) -> dict[str, float]:
    """Per-layer growth factors of the trajectory length that Raghu et al. (2017) state.

    Theorem 3 (Bound on Growth of Trajectory Length), for a random network of
    hidden width ``k``, weights ``N(0, sigma_w^2 / k)`` and biases
    ``N(0, sigma_b^2)``, and a trajectory with a non-trivial perpendicular
    component (e.g. a circle)::

        ReLU:      E[l(z^(d))] >= O( (sigma_w sqrt(k) / sqrt(k + 1))^d ) l(x)
        hard tanh: E[l(z^(d))] >= O( (sigma_w sqrt(k) /
                                      sqrt(sigma_w^2 + sigma_b^2 + k sqrt(sigma_w^2 + sigma_b^2)))^d ) l(x)

    Returned as ``lower`` (the base of the power).  ``upper = sigma_w`` is the
    linear-network bound (appendix: replacing hard tanh, or ReLU, by the
    identity can only lengthen the image, and ``E||W v|| <= sigma_w ||v||`` by
    Jensen).  ``mean_field`` is the small-perturbation (chaos) rate
    ``sqrt(sigma_w^2 E[phi'(z)^2])`` for ReLU (``sigma_w / sqrt 2``), reported
    for context: Hanin, Jeong & Rolnick (ICLR 2022) proved that ReLU networks
    at the usual scale preserve expected length, i.e. that the ReLU lower bound
    above cannot hold as stated; notebook 04 shows the measured rates beside
    both.  ``O(.)`` hides a constant, which the plots set to 1.

    Returns
    -------
    dict with ``lower``, ``upper`` and (ReLU only) ``mean_field``; ``nan`` where
    the paper states no bound (e.g. tanh).
    """
    check_choice("activation", activation, ACTIVATIONS)
    k = float(check_int("width", width, min=1))
    sw = math.sqrt(check_real("sigma_w2", sigma_w2, min=0.0))
    sb2 = check_real("sigma_b2", sigma_b2, min=0.0)
    out = {"lower": math.nan, "upper": sw, "mean_field": math.nan}
    if activation == "relu":
        out["lower"] = sw * math.sqrt(k) / math.sqrt(k + 1)
        out["mean_field"] = sw / math.sqrt(2.0)
    elif activation == "hardtanh":
        q = float(sigma_w2) + sb2
        out["lower"] = sw * math.sqrt(k) / math.sqrt(q + k * math.sqrt(q))
    elif activation == "identity":
        out["lower"] = out["upper"]
    else:
        out["upper"] = math.nan if activation not in ("tanh", "leaky_relu") else sw
    return out


def identity_rank(n_in: int, n_out: int, active: torch.Tensor) -> torch.Tensor:
    """``min(n0, nc, min_i trace(Z_i))`` (Johansson 2022, eq. 2.3 / Corollary 1) for ``active (B, L)``.

    ``active[b, i]``: the number of active neurons of layer ``i`` at point ``b``.  Returns a ``(B,)`` int64
    tensor on ``active``'s device: the bound on ``rank(W_R)`` at each point.
    """
    n_in, n_out = check_int("n_in", n_in, min=1), check_int("n_out", n_out, min=1)
    active = as_tensor(active, "active", dtype=torch.float64) if not isinstance(active, torch.Tensor) else active
    if active.is_floating_point():
        active = as_tensor(active, "active")
        if not bool(torch.isfinite(active).all()) or bool((active != active.round()).any()) or bool((active < 0).any()):
            raise ValueError("active must hold counts of active neurons (non-negative integers), "
                             "got NaN, inf, negative or fractional values")
        active = active.to(torch.long)
    if active.dim() != 2:
        raise ValueError(f"active must have shape (batch, n_activation_layers), got {tuple(active.shape)}")
    r = torch.full((active.shape[0],), min(n_in, n_out), dtype=torch.long, device=active.device)
    if active.shape[1]:
        r = torch.minimum(r, active.min(1).values)
    return r


def sv_difference_bound(n_out: int, n_hidden: int, C: float = 1.0 / 3.0) -> float:
    """``C^2 n_c / n_1``: bound on ``E[sum_i (sigma_i - sigma~_i)^2]`` between adjacent regions.

    Johansson (2022), eq. 2.13, one hidden layer of ``n_1`` neurons, ``n_c``
    outputs, weights with variance ``C / fan_in`` (PyTorch's default uniform
    init ``U(-1/sqrt(n), 1/sqrt(n))`` has ``C = 1/3``).
    """
    n_out, n_hidden = check_int("n_out", n_out), check_int("n_hidden", n_hidden)
    C = check_real("C", C)
    if n_out <= 0 or n_hidden <= 0 or C <= 0:
        raise ValueError(f"n_out, n_hidden and C must be positive, got {n_out}, {n_hidden}, {C}")
    return C * C * n_out / n_hidden
