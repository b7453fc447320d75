"""L-infinity adversarial attacks written with torch alone: FGSM and PGD.

FGSM (Goodfellow et al. 2015): ``x' = x + eps * sign(grad_x loss)``.
PGD (Madry et al. 2018): ``steps`` signed-gradient steps of size ``step_size``
from a random start in the eps-ball, each projected back onto the ball (and onto
``clamp``, the valid pixel range, when given).  Both use the cross-entropy of the
true labels and leave the network's parameters and mode untouched (evaluated in
eval mode, mode restored).  ``device`` (default :func:`workbench.device`) is where the attack runs and
where the perturbed inputs are returned; the network itself is not moved.  Used by Paper IV's robustness comparison
(Johansson 2022, §3.5).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from workbench._runtime import DeviceLike, SeedLike, generator, module_on
from workbench.validation import (
    as_tensor,
    check_device,
    check_net,
    check_real,
    check_seed,
    describe,
    renamed_keywords,
)

__all__ = ["fgsm", "pgd"]


def _check(net, X, y, eps, clamp, device):
    check_net(net, "net")
    dev = check_device(device)
    ps = [q for q in net.parameters() if q.is_floating_point()]
    if not ps:
        raise ValueError("net has no floating-point parameters: there is nothing to attack")
    p = ps[0]
    X = as_tensor(X, "X", dtype=None if isinstance(X, torch.Tensor) else p.dtype)
    if y is None or isinstance(y, (str, bytes, dict, set)):
        raise TypeError(f"y must be integer class labels (a tensor, array or list of ints), got {describe(y)}")
    try:
        y = torch.as_tensor(y)
    except (TypeError, ValueError, RuntimeError) as exc:
        raise TypeError(f"y must be integer class labels, got {describe(y)}: {exc}") from None
    if y.is_floating_point() or y.is_complex() or y.dtype == torch.bool:
        raise TypeError(f"y must hold integer class labels (dtype int64), got dtype {y.dtype}")
    if X.dim() == 0 or y.dim() != 1 or len(X) != len(y) or len(X) == 0:
        raise ValueError(f"X and y must be non-empty with the same length (y one label per row of X), got "
                         f"shapes {tuple(X.shape)} and {tuple(y.shape)}")
    if not torch.isfinite(X).all():
        raise ValueError("X contains NaN or infinite values")
    eps = check_real("eps", eps, min=0.0)
    if clamp is not None:
        try:
            lo, hi = clamp
        except (TypeError, ValueError):
            raise ValueError(f"clamp must be (low, high) with low < high, got {describe(clamp)}") from None
        lo, hi = check_real("clamp[0]", lo), check_real("clamp[1]", hi)
        if not lo < hi:
            raise ValueError(f"clamp must be (low, high) with low < high, got {clamp!r}")
    X, y = X.detach().to(dev, p.dtype), y.to(dev)
    fwd = module_on(net, dev)
    with torch.no_grad():
        try:
            n_classes = fwd(X[:1]).shape[-1]
        except RuntimeError as exc:
            raise ValueError(f"X has shape {tuple(X.shape)}, which the network does not accept: {exc}") from None
    if int(y.min()) < 0 or int(y.max()) >= n_classes:
        raise ValueError(f"y must hold class labels in [0, {n_classes}) for this network's {n_classes} outputs, "
                         f"got labels from {int(y.min())} to {int(y.max())}")
    return X, y, fwd


def _grad_sign(fwd, X, y):
    X = X.clone().requires_grad_(True)
    loss = F.cross_entropy(fwd(X), y)
    (g,) = torch.autograd.grad(loss, X)
    return g.sign()


def _clamp(X, clamp):
    return X if clamp is None else X.clamp(clamp[0], clamp[1])


@renamed_keywords(model="net")
def fgsm(net: nn.Module, X, y, eps: float, *, clamp: tuple[float, float] | None = None,
         device: DeviceLike = None) -> torch.Tensor:
    """Fast gradient sign attack of L-inf radius ``eps``; returns the perturbed inputs (on ``device``).

    The result has ``X``'s shape ``(n, *input_shape)`` and the network's dtype, detached.
    """
    X, y, fwd = _check(net, X, y, eps, clamp, device)
    was = net.training
    net.eval()
    try:
        return _clamp(X + eps * _grad_sign(fwd, X, y), clamp).detach()
    finally:
        net.train(was)


@renamed_keywords(model="net")
def pgd(net: nn.Module, X, y, eps: float, *, steps: int = 10, step_size: float | None = None,
        random_start: bool = True, clamp: tuple[float, float] | None = None, seed: SeedLike = 0,
        device: DeviceLike = None) -> torch.Tensor:
    """Projected gradient descent attack in the L-inf ball of radius ``eps`` (Madry et al. 2018).

    ``step_size`` defaults to ``2.5 * eps / steps``; ``random_start`` draws the
    start uniformly in the ball from ``seed`` (drawn on the CPU, so the same on every device).
    Returns the perturbed inputs on ``device``: ``X``'s shape ``(n, *input_shape)``, the network's dtype,
    detached.
    """
    X, y, fwd = _check(net, X, y, eps, clamp, device)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    check_seed(seed)
    alpha = 2.5 * eps / steps if step_size is None else check_real("step_size", step_size, min=0.0)
    was = net.training
    net.eval()
    try:
        Xa = X.clone()
        if random_start and eps > 0:
            noise = torch.rand(X.shape, generator=generator(seed), dtype=X.dtype).to(X.device)
            Xa = _clamp(X + eps * (2 * noise - 1), clamp)
        for _ in range(steps):
            Xa = Xa + alpha * _grad_sign(fwd, Xa, y)
            Xa = _clamp(torch.max(torch.min(Xa, X + eps), X - eps), clamp)
        return Xa.detach()
    finally:
        net.train(was)
