"""Slope of piecewise-linear networks (Johansson 2022, Paper II Definition 1; Paper IV, Fig. 3.6).

The *p-slope* of ``f`` at ``x`` is ``sup_{||v||_p = 1} lim_{t->0+} ||f(x + t v) - f(x)||_p / t``
(Paper II, Definition 1).  Inside an activation region ``R`` a piecewise-linear
network is ``f(y) = W_R y + b_R`` (thesis eq. 2.2), so the slope is the operator
p-norm of ``W_R``: its largest singular value for ``p = 2``, its largest
absolute column sum for ``p = 1`` and its largest absolute row sum for
``p = inf``.

* :func:`slope` computes it exactly for every point, batched: the per-point
  Jacobian ``W_R`` comes from ``torch.func.vmap(jacrev(...))`` in chunks, in
  float64 by default; the network is first checked by the piecewise-linear core
  (:func:`workbench.local_affine` on one point), which raises for smooth
  activations, unsupported layers and NaN/inf weights.
* :func:`slope_power_iteration` is Paper IV's forward-backward estimate of
  ``||W_R||_2``: a direction ``v`` is sent forward through the network at ``x``
  (``u = W_R v``) and back (``W_R^T u``); repeating
  is power iteration on ``W_R^T W_R``.  No Jacobian is formed and the last
  forward product keeps its graph, so the estimate is a training penalty.
* :func:`layer_spectral_norms` / :func:`spectral_norm_bound` give the per-layer
  spectral norms of Yoshida & Miyato (2017) -- convolutions as the linear
  operators they are on their input shape (power iteration with ``conv2d`` and
  ``conv_transpose2d``), not reshaped kernels -- and their product, an upper
  bound on the 2-slope of every point.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from workbench._runtime import DeviceLike, SeedLike, generator, module_on
from workbench.measures.affine import local_affine
from workbench.measures.spanning.sampled import input_width
from workbench.validation import (
    NumericalWarning,
    as_tensor,
    check_choice,
    check_device,
    check_net,
    check_seed,
    warn_layer_range,
)

__all__ = [
    "SLOPE_NORMS",
    "slope",
    "jacobian_slope",
    "slope_power_iteration",
    "PowerIteration",
    "layer_spectral_norms",
    "spectral_norm_bound",
    "spectral_layers",
    "SlopePenalty",
    "SpectralNormPenalty",
]

SLOPE_NORMS = (1, 2, math.inf)
"""The p accepted by :func:`slope`: operator norms with a closed form."""


def _check_p(p) -> float:
    if isinstance(p, str) and p.strip().lower() in ("inf", "infinity"):
        return math.inf
    if isinstance(p, bool) or not isinstance(p, (int, float)):
        raise ValueError(f"p must be one of 1, 2, math.inf (or 'inf'), got {p!r}")
    if p not in SLOPE_NORMS:
        raise ValueError(
            f"p={p!r} is not supported: the operator p-norm of W_R has a closed form only for p = 1 "
            "(largest column sum), p = 2 (largest singular value) and p = inf (largest row sum); use one of those"
        )
    return float(p)


def _net_dtype(net: nn.Module) -> torch.dtype:
    for t in net.parameters():
        return t.dtype
    return torch.get_default_dtype()


def _check_net_finite(net: nn.Module) -> None:
    if not isinstance(net, nn.Module):
        check_net(net)  # the TypeError naming net
    for name, t in list(net.named_parameters()) + list(net.named_buffers()):
        if t.dtype in (torch.float32, torch.float64) and t.device.type != "meta" and not torch.isfinite(t).all():
            raise ValueError(
                f"parameter {name!r} contains NaN or infinite values; the slope is undefined. "
                "Check the training run that produced these weights (a diverged run)."
            )
    check_net(net)  # half precision, complex, the meta device, NaN activation constants


def _check_points(X, name: str = "X", net: nn.Module | None = None) -> torch.Tensor:
    X = as_tensor(X, name, dtype=None if isinstance(X, torch.Tensor) else torch.float64)
    if X.dim() < 2:
        raise ValueError(f"{name} must have shape (batch, *input_shape), got {tuple(X.shape)}")
    if X.shape[0] == 0:
        raise ValueError(f"{name} is empty: pass at least one point")
    if not torch.isfinite(X).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    n_in = input_width(net) if net is not None else None
    if n_in is not None and (X.dim() != 2 or X.shape[1] != n_in):
        raise ValueError(f"{name} must have shape (batch, {n_in}) for this network, got {tuple(X.shape)}")
    return X


def _operator_norm(J: torch.Tensor, p: float) -> torch.Tensor:
    """Operator p-norm of a batch of matrices ``(B, n_out, n_in)``."""
    if p == 2:
        return torch.linalg.svdvals(J)[:, 0]
    if p == 1:
        return J.abs().sum(1).max(1).values
    return J.abs().sum(2).max(1).values


def jacobian_slope(net: nn.Module, X, *, p=2, chunk_size: int = 1024, dtype: torch.dtype | None = torch.float64,
                   device: DeviceLike = None) -> torch.Tensor:
    """Operator p-norm of the input-output Jacobian at each point, no piecewise-linearity check.

    For a differentiable network this is its slope at ``x`` (Definition 1 with the
    limit equal to ``J v``); for a piecewise-linear one it equals :func:`slope`.
    Used by :func:`slope` after the check; call it directly for smooth networks.
    ``dtype=None`` keeps the network's own dtype.  Returns a ``(n,)`` tensor, one slope per point of ``X``, in
    ``dtype`` on ``device``.
    """
    p = _check_p(p)
    check_choice("dtype", dtype, (None, torch.float32, torch.float64))
    _check_net_finite(net)
    X = _check_points(X, net=net)
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}")
    from torch.func import functional_call, jacrev, vmap

    dev = check_device(device)
    dt = _net_dtype(net) if dtype is None else dtype
    warned = warn_layer_range(net, X, dtype=dt, what="the slope")
    params = {k: v.detach().to(dev, dt) for k, v in net.named_parameters()}
    buffers = {k: (v.detach().to(dev, dt) if v.is_floating_point() else v.to(dev)) for k, v in net.named_buffers()}

    def f(xi):
        return functional_call(net, (params, buffers), (xi.unsqueeze(0),)).reshape(-1)

    jac = vmap(jacrev(f))
    out = []
    with torch.no_grad():
        for s in range(0, X.shape[0], chunk_size):
            xc = X[s:s + chunk_size].to(dev, dt)
            J = jac(xc)
            out.append(_operator_norm(J.reshape(J.shape[0], J.shape[1], -1), p))
    res = torch.cat(out)
    if not warned and not bool(torch.isfinite(res).all()):
        i = int((~torch.isfinite(res)).nonzero()[0])
        fix = "use dtype=torch.float64" if dt != torch.float64 else "use smaller weights or inputs"
        warnings.warn(f"the slope at point {i} is {float(res[i])}: the input-output Jacobian overflows {dt} there "
                      f"(its entries are products of the layers' weights); {fix}", NumericalWarning, stacklevel=3)
    return res


def slope(net: nn.Module, X, *, p=2, chunk_size: int = 1024, dtype: torch.dtype | None = torch.float64,
          device: DeviceLike = None) -> torch.Tensor:
    """Exact p-slope of a piecewise-linear network at each point (Paper II, Definition 1).

    ``Slope_f(x) = ||W_R||_p``, the operator p-norm of the local map of the
    region containing ``x`` (thesis eq. 2.2): ``p = 2`` its largest singular
    value, ``p = 1`` its largest absolute column sum, ``p = inf`` its largest
    absolute row sum.  ``W_R`` is the per-point Jacobian, computed batched with
    ``torch.func.vmap(jacrev(f))`` in chunks of ``chunk_size`` points; inside a
    region it is exactly ``W_R`` (up to floating-point rounding: float64 by
    default).  A point exactly on a region boundary gets the piece that torch's
    derivative of the activation picks there (ReLU'(0) = 0).

    Parameters
    ----------
    net
        Any network the piecewise-linear core compiles (``workbench.mlp`` with a
        piecewise-linear activation and any shortcuts, ``nn.Sequential`` of
        Linear / Conv2d / BatchNorm (eval) / AvgPool / Flatten and ReLU-like
        activations).  Smooth activations raise ``TypeError`` (use
        :func:`jacobian_slope` for the Jacobian norm of a smooth network).
    X
        Points ``(B, *input_shape)``, finite.
    p
        ``1``, ``2`` or ``math.inf`` (also ``"inf"``); anything else raises ``ValueError``.

    Returns
    -------
    Tensor ``(B,)`` of ``dtype`` on ``device``.
    """
    p = _check_p(p)
    check_choice("dtype", dtype, (None, torch.float32, torch.float64))
    _check_net_finite(net)
    X = _check_points(X, net=net)
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}")
    local_affine(net, X[:1], device=device)  # the core's verdict: smooth / unsupported / NaN weights raise
    return jacobian_slope(net, X, p=p, chunk_size=chunk_size, dtype=dtype, device=device)


class PowerIteration(NamedTuple):
    """Result of :func:`slope_power_iteration` with ``history=True``.

    ``estimate (B,)`` is the last estimate (with its graph when differentiable);
    ``history (B, iters)`` the detached estimate after each iteration;
    ``direction`` the last unit input direction ``v``.
    """

    estimate: torch.Tensor
    history: torch.Tensor
    direction: torch.Tensor

    def to_frame(self):
        """One row per point and iteration: ``point, iteration, estimate``."""
        import pandas as pd

        H = self.history.detach().cpu().numpy()
        B, K = H.shape
        return pd.DataFrame({"point": np.repeat(np.arange(B), K), "iteration": np.tile(np.arange(1, K + 1), B),
                             "estimate": H.ravel()})


def _unit(V: torch.Tensor) -> torch.Tensor:
    n = torch.linalg.vector_norm(V.reshape(V.shape[0], -1), dim=1).clamp_min(1e-30)
    return V / n.view(-1, *([1] * (V.dim() - 1)))


def slope_power_iteration(net: nn.Module, X, *, iters: int = 5, seed: SeedLike = None, v0: torch.Tensor | None = None,
                          differentiable: bool = True, history: bool = False, device: DeviceLike = None):
    """Forward-backward power-iteration estimate of the 2-slope ``||W_R||_2`` (Paper IV, Fig. 3.6).

    Start from a random unit direction ``v`` per point; each iteration sends it
    forward through the network at ``x`` (``u = W_R v``, a Jacobian-vector
    product) and backward (``w = W_R^T u``, a vector-Jacobian product) and
    normalises ``v = w / ||w||``: power iteration on ``W_R^T W_R``.  The
    estimate after ``k`` iterations is ``||W_R v_k||_2``, a lower bound of the
    exact slope that converges to it at the rate ``(sigma_2 / sigma_1)^(2k)``.
    No Jacobian is formed: each iteration costs about two passes through the net.

    Both products reuse one forward pass: backward through it gives ``W_R^T u``
    and backward through that (linear) map gives ``W_R v`` -- cheaper on the CPU
    than ``torch.func.jvp`` in our timings.
    The iterations run without a graph; the last forward product is taken with
    the network's parameters in the graph when ``differentiable`` (the standard
    treatment of spectral-norm estimates: ``v`` is held fixed), so
    ``slope_power_iteration(net, xb).mean()`` is a training penalty.  Runs in the
    network's dtype and mode (put a network with dropout or batch norm in eval
    mode first; a batch-norm layer in training mode couples the points).

    Parameters
    ----------
    iters
        Number of forward-backward iterations, >= 1.
    seed
        Seed of the random start (int or ``torch.Generator``), drawn on the CPU.
    v0
        Optional start directions ``(B, *input_shape)`` instead of a random draw.
    history
        Return a :class:`PowerIteration` with the estimate after every iteration.
    device
        Where to compute (default :func:`workbench.device`); the result is there.  The network is not
        moved: on another device it runs on copies of its parameters (``Tensor.to``), through which the
        gradient of a ``differentiable`` estimate still reaches the network.  As a training penalty,
        pass the device of the batch (``SlopePenalty`` does).

    Returns
    -------
    Tensor ``(B,)`` (or :class:`PowerIteration` when ``history``).
    """
    if isinstance(iters, bool) or not isinstance(iters, int) or iters < 1:
        raise ValueError(f"iters must be a positive int, got {iters!r}")
    _check_net_finite(net)
    X = _check_points(X, net=net)
    check_seed(seed)
    dt = _net_dtype(net)
    dev = check_device(device)
    fwd = module_on(net, dev)
    X = X.detach().to(dev, dt)
    warn_layer_range(net, X, dtype=dt, what="the slope estimate")
    if v0 is None:
        V = torch.randn(X.shape, generator=generator(seed), dtype=dt).to(dev)
    else:
        V = as_tensor(v0, "v0").detach().to(dev, dt)
        if V.shape != X.shape:
            raise ValueError(f"v0 must have the shape of X {tuple(X.shape)}, got {tuple(V.shape)}")
        if not torch.isfinite(V).all():
            raise ValueError("v0 contains NaN or infinite values")
    V = _unit(V)
    B = len(X)
    hist = []
    with torch.enable_grad():
        # One forward pass with its graph.  Backward through it is W_R^T u (the "backward mode");
        # g(w) = W_R^T w is linear in w, so backward through g gives W_R v (the "forward mode")
        # without forward-mode AD (double backward: about one backward pass per product).
        Xr = X.requires_grad_(True)
        out = fwd(Xr)
        w0 = torch.zeros_like(out, requires_grad=True)
        (g,) = torch.autograd.grad(out, Xr, w0, create_graph=True)

        def forward_mode(v, create=False):
            return torch.autograd.grad(g, w0, v, retain_graph=True, create_graph=create)[0]

        U = forward_mode(V)
        for k in range(iters):
            (Wt,) = torch.autograd.grad(out, Xr, U.detach(), retain_graph=True)
            V = _unit(Wt.detach())
            U = forward_mode(V, create=differentiable and k == iters - 1)
            if history:
                hist.append(torch.linalg.vector_norm(U.detach().reshape(B, -1), dim=1))
    est = torch.linalg.vector_norm(U.reshape(B, -1), dim=1)
    if not differentiable:
        est = est.detach()
    if history:
        return PowerIteration(est, torch.stack(hist, 1), V)
    return est


# ---------------------------------------------------------------------------
# Per-layer spectral norms (Yoshida & Miyato 2017)
# ---------------------------------------------------------------------------
def spectral_layers(net: nn.Module, input_shape: Sequence[int] | None = None) -> list[tuple[str, nn.Module, tuple]]:
    """The Linear and Conv2d layers of ``net`` with the shape of their input (without batch).

    Found by one forward pass of a zero input of ``input_shape`` (default: the
    first Linear layer's ``in_features``).  Batch norm has no fixed operator
    in training and is refused; activations, Flatten and average pooling are
    1-Lipschitz and do not enter the product bound.
    """
    if not isinstance(net, nn.Module):
        check_net(net)  # the TypeError naming net
    mods = [(n, m) for n, m in net.named_modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
    for n, m in net.named_modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            raise TypeError(f"layer {n!r} ({type(m).__name__}): the per-layer spectral bound does not cover batch norm")
        if isinstance(m, (nn.MaxPool2d, nn.Upsample)):
            raise TypeError(f"layer {n!r} ({type(m).__name__}) is not covered by the per-layer spectral bound")
    if not mods:
        raise ValueError("the network has no Linear or Conv2d layer")
    if input_shape is None:
        first = mods[0][1]
        if not isinstance(first, nn.Linear):
            raise ValueError("input_shape is needed for a network whose first layer is a convolution, e.g. (1, 8, 8)")
        input_shape = (first.in_features,)
    shapes: dict[str, tuple] = {}
    hooks = [m.register_forward_hook(lambda mod, inp, out, n=n: shapes.__setitem__(n, tuple(inp[0].shape[1:])))
             for n, m in mods]
    try:
        with torch.no_grad():
            p0 = next(net.parameters())
            net(torch.zeros((1, *input_shape), dtype=p0.dtype, device=p0.device))
    finally:
        for h in hooks:
            h.remove()
    return [(n, m, shapes[n]) for n, m in mods if n in shapes]


def _conv_maps(m: nn.Conv2d, in_shape):
    if m.padding_mode != "zeros":
        raise ValueError(f"Conv2d with padding_mode={m.padding_mode!r} is not supported (only 'zeros')")
    kw = dict(stride=m.stride, padding=m.padding, dilation=m.dilation, groups=m.groups)
    H, Wd = in_shape[-2:]
    with torch.no_grad():
        Ho, Wo = F.conv2d(torch.zeros((1, *in_shape), dtype=m.weight.dtype, device=m.weight.device),
                          m.weight, None, **kw).shape[-2:]
    op = []
    for size, out, k, s, pd, d in zip((H, Wd), (Ho, Wo), m.kernel_size, m.stride, m.padding, m.dilation):
        op.append(size - ((out - 1) * s - 2 * pd + d * (k - 1) + 1))
    fwd = lambda v, w: F.conv2d(v, w, None, **kw)  # noqa: E731
    bwd = lambda u, w: F.conv_transpose2d(u, w, None, stride=m.stride, padding=m.padding,  # noqa: E731
                                          output_padding=tuple(op), groups=m.groups, dilation=m.dilation)
    return fwd, bwd


def _layer_operator(m: nn.Module, in_shape):
    if isinstance(m, nn.Linear):
        return (lambda v, w: v @ w.T), (lambda u, w: u @ w)
    return _conv_maps(m, in_shape)


def layer_spectral_norms(net: nn.Module, *, input_shape: Sequence[int] | None = None, iters: int = 100,
                         seed: SeedLike = 0, state: dict | None = None, differentiable: bool = False) -> torch.Tensor:
    """Spectral norm of every Linear / Conv2d layer as an operator on its input (Yoshida & Miyato 2017).

    Power iteration with the layer's own map and its adjoint (``x @ W.T`` /
    ``u @ W``; ``conv2d`` / ``conv_transpose2d`` on the layer's input shape), so a
    convolution's norm is that of the operator it applies to images of that
    size, not of its reshaped kernel.  ``state`` (a dict) keeps the right
    vectors between calls, as Yoshida & Miyato do during training (one
    iteration per step then suffices); ``differentiable`` keeps the final
    ``||A v||`` in the graph of the weights.

    Returns
    -------
    Tensor ``(L,)`` in the order of :func:`spectral_layers`.
    """
    if isinstance(iters, bool) or not isinstance(iters, int) or iters < 1:
        raise ValueError(f"iters must be a positive int, got {iters!r}")
    _check_net_finite(net)
    check_seed(seed)
    layers = spectral_layers(net, input_shape)
    g = generator(seed)
    st = {} if state is None else state
    norms = []
    for name, m, shp in layers:
        fwd, bwd = _layer_operator(m, shp)
        w = m.weight
        v = st.get(name)
        if v is None or v.shape[1:] != torch.Size(shp) or v.dtype != w.dtype or v.device != w.device:
            v = _unit(torch.randn((1, *shp), generator=g, dtype=w.dtype).to(w.device))
        with torch.no_grad():
            wd = w.detach()
            for _ in range(iters):
                v = _unit(bwd(fwd(v, wd), wd))
        st[name] = v
        if differentiable:
            norms.append(torch.linalg.vector_norm(fwd(v, w)))
        else:
            with torch.no_grad():
                norms.append(torch.linalg.vector_norm(fwd(v, w.detach())))
    return torch.stack(norms)


def spectral_norm_bound(net: nn.Module, *, input_shape: Sequence[int] | None = None, iters: int = 100,
                        seed: SeedLike = 0) -> float:
    """Product of the per-layer spectral norms: an upper bound on the 2-slope at every point.

    ``||W_R||_2 = ||W_n Z_{n-1} ... Z_1 W_1||_2 <= prod_l ||W_l||_2`` because every
    ``Z_l`` (ReLU pattern; also LeakyReLU/HardTanh slopes <= 1) has norm <= 1.
    """
    return float(layer_spectral_norms(net, input_shape=input_shape, iters=iters, seed=seed).prod())


# ---------------------------------------------------------------------------
# Penalties for workbench.training.fit(penalty=...)
# ---------------------------------------------------------------------------
class SlopePenalty:
    """``strength * mean_x slope_power_iteration(model, x)``: Paper IV's slope penalty for :func:`fit`.

    A fresh random start per batch (from one generator seeded by ``seed``),
    ``iters`` forward-backward iterations, gradient through the last forward
    product.  Use as ``fit(..., penalty=SlopePenalty(0.01, iters=1))``.
    """

    def __init__(self, strength: float, *, iters: int = 1, seed: SeedLike = 0):
        if isinstance(strength, bool) or not isinstance(strength, (int, float)) or not math.isfinite(strength) \
                or strength < 0:
            raise ValueError(f"strength must be a finite number >= 0, got {strength!r}")
        if isinstance(iters, bool) or not isinstance(iters, int) or iters < 1:
            raise ValueError(f"iters must be a positive int, got {iters!r}")
        self.strength, self.iters = float(strength), iters
        self.gen = generator(seed)

    def __call__(self, model: nn.Module, xb: torch.Tensor, yb: torch.Tensor) -> torch.Tensor:
        est = slope_power_iteration(model, xb, iters=self.iters, seed=self.gen, device=xb.device)
        return self.strength * est.mean()


class SpectralNormPenalty:
    """Spectral-norm regularisation (Yoshida & Miyato 2017) for :func:`fit`.

    ``form="sum_squares"`` is their regulariser ``strength / 2 * sum_l sigma(W_l)^2``
    (eq. 5 of their paper); ``form="product"`` penalises ``strength * prod_l sigma(W_l)``,
    the Lipschitz bound itself.  ``sigma(W_l)`` is the operator norm of each
    Linear / Conv2d layer on its input shape (:func:`layer_spectral_norms`), with
    the power-iteration vectors kept between steps and ``iters`` iterations per step
    (one, as in their paper).
    """

    FORMS = ("sum_squares", "product")

    def __init__(self, strength: float, *, input_shape: Sequence[int] | None = None, iters: int = 1,
                 form: str = "sum_squares", seed: SeedLike = 0):
        if isinstance(strength, bool) or not isinstance(strength, (int, float)) or not math.isfinite(strength) \
                or strength < 0:
            raise ValueError(f"strength must be a finite number >= 0, got {strength!r}")
        if form not in self.FORMS:
            raise ValueError(f"form must be one of {self.FORMS}, got {form!r}")
        self.strength, self.iters, self.form = float(strength), iters, form
        self.input_shape = None if input_shape is None else tuple(input_shape)
        self.state: dict = {}
        self.seed = seed

    def __call__(self, model: nn.Module, xb: torch.Tensor, yb: torch.Tensor) -> torch.Tensor:
        shape = self.input_shape if self.input_shape is not None else tuple(xb.shape[1:])
        s = layer_spectral_norms(model, input_shape=shape, iters=self.iters, seed=self.seed, state=self.state,
                                 differentiable=True)
        if self.form == "product":
            return self.strength * s.prod()
        return 0.5 * self.strength * (s ** 2).sum()
