"""L-infinity adversarial attacks written with torch alone: FGSM and PGD.

FGSM (Goodfellow et al. 2015): ``x' = x + eps * sign(grad_x loss)``.
PGD (Madry et al. 2018): ``steps`` signed-gradient steps of size ``step_size``
from a random start in the eps-ball, each projected back onto the ball (and onto
``clamp``, the valid pixel range, when given).  Both use the cross-entropy of the
true labels and leave the model's parameters and mode untouched (evaluated in
eval mode, mode restored).  Used by Paper IV's robustness comparison
(Johansson 2022, §3.5).
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .._runtime import SeedLike, generator

__all__ = ["fgsm", "pgd"]


def _check(model, X, y, eps, clamp):
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    X = torch.as_tensor(X)
    y = torch.as_tensor(y)
    if not X.is_floating_point():
        raise TypeError(f"X must be a floating-point tensor, got {X.dtype}")
    if len(X) != len(y) or len(X) == 0:
        raise ValueError(f"X and y must be non-empty with the same length, got {len(X)} and {len(y)}")
    if not torch.isfinite(X).all():
        raise ValueError("X contains NaN or infinite values")
    if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not math.isfinite(eps) or eps < 0:
        raise ValueError(f"eps must be a finite number >= 0, got {eps!r}")
    if clamp is not None:
        lo, hi = clamp
        if not lo < hi:
            raise ValueError(f"clamp must be (low, high) with low < high, got {clamp!r}")
    p = next(model.parameters())
    return X.detach().to(p.device, p.dtype), y.to(p.device)


def _grad_sign(model, X, y):
    X = X.clone().requires_grad_(True)
    loss = F.cross_entropy(model(X), y)
    (g,) = torch.autograd.grad(loss, X)
    return g.sign()


def _clamp(X, clamp):
    return X if clamp is None else X.clamp(clamp[0], clamp[1])


def fgsm(model: nn.Module, X, y, eps: float, *, clamp: tuple[float, float] | None = None) -> torch.Tensor:
    """Fast gradient sign attack of L-inf radius ``eps``; returns the perturbed inputs."""
    X, y = _check(model, X, y, eps, clamp)
    was = model.training
    model.eval()
    try:
        return _clamp(X + eps * _grad_sign(model, X, y), clamp).detach()
    finally:
        model.train(was)


def pgd(model: nn.Module, X, y, eps: float, *, steps: int = 10, step_size: float | None = None,
        random_start: bool = True, clamp: tuple[float, float] | None = None, seed: SeedLike = 0) -> torch.Tensor:
    """Projected gradient descent attack in the L-inf ball of radius ``eps`` (Madry et al. 2018).

    ``step_size`` defaults to ``2.5 * eps / steps``; ``random_start`` draws the
    start uniformly in the ball from ``seed``.
    """
    X, y = _check(model, X, y, eps, clamp)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    alpha = 2.5 * eps / steps if step_size is None else float(step_size)
    if not math.isfinite(alpha) or alpha < 0:
        raise ValueError(f"step_size must be a finite number >= 0, got {step_size!r}")
    was = model.training
    model.eval()
    try:
        Xa = X.clone()
        if random_start and eps > 0:
            noise = torch.rand(X.shape, generator=generator(seed), dtype=X.dtype).to(X.device)
            Xa = _clamp(X + eps * (2 * noise - 1), clamp)
        for _ in range(steps):
            Xa = Xa + alpha * _grad_sign(model, Xa, y)
            Xa = _clamp(torch.max(torch.min(Xa, X + eps), X - eps), clamp)
        return Xa.detach()
    finally:
        model.train(was)
