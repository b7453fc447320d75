"""Trajectories through a network: circles, segments, their images at every layer, their lengths.

Raghu, Poole, Kleinberg, Ganguli & Sohl-Dickstein (2017), *On the Expressive
Power of Deep Neural Networks* (ICML), §2-3:

* a one-dimensional **trajectory** ``x(t)`` in input space, here the circle
  ``x(t) = cos(t) x0 + sin(t) x1``, ``t in [0, 2 pi)`` (their Fig. 3 and
  Fig. 4) or a straight segment;
* its **image** ``z^(d)(t)`` at every layer ``d`` and the **trajectory length**
  ``l(z^(d)(t))`` (Definition "trajectory length"; Theorem 3 bounds its
  growth with depth: :func:`workbench.measures.bounds.growth_rate_bounds`).

Transitions along these paths are in :mod:`workbench.measures.paths.transitions`.
"""
from __future__ import annotations

import math

import torch

from workbench._runtime import DeviceLike
from workbench.limits import check_bytes
from workbench.nets.ensemble import is_ensemble
from workbench.validation import (
    as_points,
    as_tensor,
    check_device,
    check_finite,
    check_int,
    check_net,
    warn_layer_range,
    warn_underflow,
)

__all__ = ["circle", "segment", "layer_images", "trajectory_length", "layer_lengths"]

TWO_PI = 2.0 * math.pi


# --------------------------------------------------------------------------------------
# paths
# --------------------------------------------------------------------------------------
def as_vector(x, name: str) -> torch.Tensor:
    """``x`` as a floating tensor of at least one dimension (``ValueError`` naming ``name`` for a scalar)."""
    t = as_tensor(x, name)
    if t.dim() == 0:
        raise ValueError(f"{name} must be a vector (or a batch of vectors), got a scalar")
    return check_finite(t, name, rows=False)


def vector_norms(D: torch.Tensor) -> torch.Tensor:
    """``||D||_2`` along the last axis without overflow or underflow of the squares.

    ``torch.linalg.vector_norm`` squares the entries: ``(3e200, 4e200)`` gives
    ``inf`` and ``(3e-200, 4e-200)`` gives ``0`` in float64 although the norm
    (``5e200``, ``5e-200``) fits.  Each vector is scaled by its largest entry
    before the norm and the scale multiplied back (LAPACK's ``dnrm2`` idea).
    """
    m = D.abs().amax(-1)
    safe = torch.where(m > 0, m, torch.ones_like(m))
    return m * (D / safe.unsqueeze(-1)).norm(dim=-1)


def check_plane(x0: torch.Tensor, x1: torch.Tensor) -> None:
    """Raise a clear error when x0 or x1 is zero or the two are parallel."""
    if x0.shape != x1.shape:
        raise ValueError(f"x0 and x1 must have the same shape, got {tuple(x0.shape)} and {tuple(x1.shape)}")
    a = x0.reshape(-1, x0.shape[-1]).double()
    b = x1.reshape(-1, x1.shape[-1]).double()
    na, nb = vector_norms(a), vector_norms(b)
    if bool((na == 0).any()) or bool((nb == 0).any()):
        which = "x0" if bool((na == 0).any()) else "x1"
        raise ValueError(
            f"{which} is the zero vector: the circle cos(t) x0 + sin(t) x1 needs two non-zero, "
            "non-parallel vectors (e.g. two data points, or two random Gaussian vectors)"
        )
    # on unit vectors: the products of the norms of two points of size 1e200 would overflow
    ua = a / torch.where(na > 0, na, torch.ones_like(na)).unsqueeze(-1)
    ub = b / torch.where(nb > 0, nb, torch.ones_like(nb)).unsqueeze(-1)
    cos = (ua * ub).sum(-1).abs()
    if bool((cos > 1 - 1e-12).any()):
        raise ValueError(
            "x0 and x1 are parallel: cos(t) x0 + sin(t) x1 would be a line segment traversed twice, "
            "not a circle; pick two linearly independent vectors (or use segment(a, b, n) for a line)"
        )


def _check_path_bytes(kind: str, n: int, x: torch.Tensor) -> None:
    """Refuse a path of ``n`` points whose tensor (and the float64 parameters behind it) would not fit."""
    batch = x.numel() // max(1, x.shape[-1])
    need = n * (3 * x.numel() * x.element_size() + 3 * 8)  # the result and two temporaries; t, cos t, sin t
    check_bytes(need, f"the {kind} of n={n:,} points in {x.shape[-1]:,} dimensions"
                      + (f" ({batch:,} paths)" if batch > 1 else ""), "pass a smaller n", device=x.device)


def circle(x0, x1, n: int) -> torch.Tensor:
    """``n`` points of the circular trajectory ``x(t) = cos(t) x0 + sin(t) x1``.

    Raghu et al. (2017), §3 (the trajectory of Fig. 3/4 and of Theorem 3).
    ``t = 2 pi k / n`` for ``k = 0..n-1`` (``[0, 2 pi)``, the endpoint is not
    repeated; the path is closed).  Works in any input dimension; the circle
    passes through ``x0`` (``t = 0``) and ``x1`` (``t = pi / 2``), so two data
    points give a circle through the data.

    Parameters
    ----------
    x0, x1
        Vectors of shape ``(d,)`` or batches ``(..., d)`` of the same shape;
        non-zero and not parallel.
    n
        Number of points, at least 3.

    Returns
    -------
    Tensor of shape ``(..., n, d)``.
    """
    x0, x1 = as_vector(x0, "x0"), as_vector(x1, "x1")
    check_plane(x0, x1)
    n = check_int("n", n)
    if n < 3:
        raise ValueError(f"a circular trajectory needs at least 3 points, got n={n!r}")
    _check_path_bytes("circle", n, x0)
    t = torch.arange(n, dtype=torch.float64) * (TWO_PI / n)
    c = torch.cos(t).to(x0.dtype).to(x0.device)
    s = torch.sin(t).to(x0.dtype).to(x0.device)
    return c[:, None] * x0.unsqueeze(-2) + s[:, None] * x1.unsqueeze(-2)


def segment(a, b, n: int) -> torch.Tensor:
    """``n`` equally spaced points of the segment from ``a`` to ``b`` (both included).

    Parameters
    ----------
    a, b
        Vectors ``(d,)`` or batches ``(..., d)``; ``a != b``.
    n
        Number of points, at least 2.

    Returns
    -------
    Tensor of shape ``(..., n, d)``.
    """
    a, b = as_vector(a, "a"), as_vector(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {tuple(a.shape)} and {tuple(b.shape)}")
    if bool(((a - b).reshape(-1, a.shape[-1]).abs().sum(-1) == 0).any()):
        raise ValueError("a and b are the same point: a segment needs two distinct end points")
    n = check_int("n", n)
    if n < 2:
        raise ValueError(f"a segment needs at least 2 points, got n={n!r}")
    _check_path_bytes("segment", n, a)
    t = torch.linspace(0, 1, n, dtype=torch.float64).to(a.dtype).to(a.device)
    return a.unsqueeze(-2) + t[:, None] * (b - a).unsqueeze(-2)



# --------------------------------------------------------------------------------------
# layer images and lengths
# --------------------------------------------------------------------------------------
def net_dtype(net) -> torch.dtype:
    """The floating dtype of a network's (or an ensemble's) parameters."""
    if is_ensemble(net):
        return next(iter(net.params.values())).dtype
    return next(net.parameters()).dtype


def mlp_architecture(net):
    """The module that describes the architecture (an MLP or an Ensemble's meta base)."""
    base = net.base if is_ensemble(net) else net
    if not hasattr(base, "layers") or not hasattr(base, "activation"):
        raise TypeError(
            f"expected a workbench MLP (workbench.mlp) or Ensemble (workbench.mlp_ensemble), got {type(net).__name__}"
        )
    if base.n_hidden < 1:
        raise ValueError(
            f"the network {list(base.widths)} has no hidden layers: there is no layer to trace a "
            "trajectory through; build one with at least one hidden layer, e.g. widths=[d, 64, 1]"
        )
    return base


def _place(net, base, X: torch.Tensor, device: DeviceLike):
    """Shared setup of the layer-image functions: check ``X`` is ``(n, n_in)``; put a plain net on the device.

    An ensemble stays where it is.  Returns ``(net, device)``.
    """
    if X.dim() != 2 or X.shape[-1] != base.widths[0]:
        raise ValueError(f"X must have shape (n, {base.widths[0]}), got {tuple(X.shape)}")
    check_finite(X, "X")
    if is_ensemble(net):
        return net, net.device
    dev = check_device(device)
    return net.to(dev), dev


def layer_images(net, X: torch.Tensor, *, chunk_size: int = 65536, device: DeviceLike = None,
                 out_device: DeviceLike = None, dtype: torch.dtype | None = None) -> list[torch.Tensor]:
    """The image of a trajectory at every layer, from one batched forward pass.

    Raghu et al. (2017): ``z^(0) = x(t)``, ``z^(d)`` the output of hidden layer
    ``d`` (after the activation and any shortcut), and the network output.

    Parameters
    ----------
    net
        A :class:`workbench.MLP` or an :class:`workbench.Ensemble` (then every
        image gains a leading member axis).
    X
        Points ``(n, d_in)``, e.g. from :func:`circle`.
    chunk_size
        Points per forward pass (``net.trace``); memory stays bounded for 10^6
        points.
    device
        Where the forward passes run (``None``: :func:`workbench.device`, or the
        ensemble's device).
    out_device, dtype
        Where (default: ``device``) and in which dtype (default: the network's)
        the images are kept.

    Returns
    -------
    list of ``n_hidden + 2`` tensors: ``[X, h_1, ..., h_L, output]``, each
    ``(n, width)`` (``(members, n, width)`` for an ensemble).
    """
    net, X = check_net_and_points(net, X)
    base = mlp_architecture(net)
    net, dev = _place(net, base, X, device)
    ens = is_ensemble(net)
    odev = dev if out_device is None else torch.device(out_device)
    n = X.shape[0]
    step = check_int("chunk_size", chunk_size, min=1)
    members = len(net) if ens else 1
    width_sum = sum(base.widths) + sum(base.widths[1:-1])  # images (kept) and pre-activations (per chunk)
    item = torch.empty((), dtype=dtype or net_dtype(net)).element_size()
    kept = members * n * sum(base.widths) * item
    per_chunk = members * min(n, step) * width_sum * net_dtype(net).itemsize * 2
    check_bytes(kept + per_chunk,
                f"the layer images of {n:,} points through {list(base.widths)}"
                + (f" ({members} members)" if ens else "")
                + f" (kept: {kept / 2**20:,.0f} MiB, one chunk of {min(n, step):,}: {per_chunk / 2**20:,.0f} MiB)",
                "pass fewer points (a smaller n of the circle) or a smaller chunk_size", device=odev)
    outs: list[torch.Tensor] | None = None
    warned = warn_layer_range(net.member(0) if ens else net, X, dtype=net_dtype(net), what="the layer images",
                              stacklevel=4)
    with torch.no_grad():
        for lo in range(0, n, step):
            xb = X[lo:lo + step].to(dev, dtype=net_dtype(net))
            tr = net.trace(xb)
            parts = [xb.expand(len(net), *xb.shape) if ens else xb, *tr.acts, tr.output]
            check_forward_finite(parts, lo)
            if n <= step:  # one chunk: no copies
                if not warned:  # once: a layer named above, or whole points lost
                    warn_layer_underflow(base, parts)
                return [p.to(odev, dtype=dtype or p.dtype) for p in parts]
            if outs is None:  # preallocate: peak memory = the kept images + one chunk
                outs = [torch.empty(*p.shape[:-2], n, p.shape[-1], dtype=dtype or p.dtype, device=odev) for p in parts]
            for o, p in zip(outs, parts):
                o[..., lo:lo + p.shape[-2], :] = p
    assert outs is not None
    if not warned:
        warn_layer_underflow(base, outs)
    return outs


def check_net_and_points(net, X):
    """The boundary checks of the layer-image functions: ``net`` finite and real, ``X`` finite points."""
    if not is_ensemble(net):
        check_net(net)
    X = as_tensor(X, "X", dtype=None if isinstance(X, torch.Tensor) else net_dtype(net))
    if X.dim() != 2:
        raise ValueError(f"X must hold points as rows, shape (n_points, n_inputs); got shape {tuple(X.shape)}")
    return net, as_points(X, "X", allow_empty=True)


def check_forward_finite(parts, lo: int = 0) -> None:
    """``FloatingPointError`` naming the first point of ``X`` whose image overflowed to inf / NaN (finite weights)."""
    for d, p in enumerate(parts):
        bad = ~torch.isfinite(p).all(-1)
        if bool(bad.any()):
            i = int(bad.reshape(-1, bad.shape[-1]).any(0).nonzero()[0])
            raise FloatingPointError(
                f"the network overflows to inf / NaN at point {lo + i} of X (layer {d}, {p.dtype}); every count "
                "or length there would be meaningless. Use smaller inputs or weights"
                f"{', or float64' if p.dtype != torch.float64 else ''}."
            )


def warn_layer_underflow(base, parts) -> bool:
    """``NumericalWarning`` when a polynomial (square) network's layer images collapse to exactly 0 in floating point.

    The square of a nonzero number times nonzero weights is 0 only by underflow
    (float32 below ~1e-45): a point whose image is nonzero at one layer and
    exactly 0 at the next has lost all information there, and every measure on
    those images (lengths, ESD) reports a plausible but meaningless number.
    """
    act = getattr(base, "activation", None)
    if act != "square":
        return False
    prev = None
    for d, p in enumerate(parts):
        zero = (p == 0).all(-1)
        if prev is not None:
            lost = zero & ~prev
            if bool(lost.any()):
                return warn_underflow(p[lost], f"the image at layer {d} of {int(lost.sum())} point(s)", stacklevel=4)
        prev = zero
    return False


def trajectory_length(Z, closed: bool = True) -> torch.Tensor:
    """Length of a piecewise-linear trajectory through its points.

    ``l(z) = sum_k ||z_{k+1} - z_k||`` (plus ``||z_0 - z_{n-1}||`` when
    ``closed``), Raghu et al. (2017), Definition of trajectory length, on the
    polygon through the samples (it converges to the arc length from below as
    the sampling gets finer).

    Parameters
    ----------
    Z
        A tensor ``(..., n, d)`` (any batch axes) or a list of such tensors of
        different widths, e.g. :func:`layer_images` (batched over layers).
    closed
        Whether the last point joins the first (True for :func:`circle`).

    Returns
    -------
    Tensor ``(...)`` of lengths, or ``(len(Z), ...)`` for a list.
    """
    if isinstance(Z, (list, tuple)) and len(Z) and isinstance(Z[0], torch.Tensor):
        return torch.stack([trajectory_length(z, closed) for z in Z])
    Z = as_tensor(Z, "Z")
    if Z.dim() < 2:
        raise ValueError(f"Z must have shape (..., n_points, dim), got {tuple(Z.shape)}")
    n = Z.shape[-2]
    need = 3 if closed else 2
    if n < need:
        raise ValueError(f"a {'closed' if closed else 'open'} trajectory needs at least {need} points, got {n}")
    check_finite(Z, "Z", rows=False)
    d = vector_norms(Z[..., 1:, :] - Z[..., :-1, :]).sum(-1)
    if closed:
        d = d + vector_norms(Z[..., 0, :] - Z[..., -1, :])
    return d


def layer_lengths(net, X: torch.Tensor, *, closed: bool = True, chunk_size: int = 65536,
                  device: DeviceLike = None) -> torch.Tensor:
    """Trajectory length at every layer without keeping the images (streaming).

    Same numbers as ``trajectory_length(layer_images(net, X), closed)`` but in
    memory ``O(chunk_size * width)``: consecutive chunks overlap by one point.

    Returns
    -------
    Tensor ``(n_hidden + 2,)`` (``(n_hidden + 2, members)`` for an ensemble),
    float64.
    """
    net, X = check_net_and_points(net, X)
    base = mlp_architecture(net)
    n = X.shape[0]
    step = check_int("chunk_size", chunk_size, min=1)
    if n < (3 if closed else 2):
        raise ValueError(f"a trajectory needs at least {3 if closed else 2} points, got {n}")
    net, dev = _place(net, base, X, device)
    ens = is_ensemble(net)
    step = max(2, step)
    total = first = prev = None
    with torch.no_grad():
        for lo in range(0, n, step):
            xb = X[lo:lo + step].to(dev, dtype=net_dtype(net))
            tr = net.trace(xb)
            parts = [xb.expand(len(net), *xb.shape) if ens else xb, *tr.acts, tr.output]
            if first is None:
                first = [p[..., :1, :] for p in parts]
            # one point of overlap with the previous chunk
            seq = parts if prev is None else [torch.cat([q, p], -2) for q, p in zip(prev, parts)]
            check_forward_finite(parts, lo)
            if lo == 0:
                warn_layer_underflow(base, parts)
            L = torch.stack([vector_norms((z[..., 1:, :] - z[..., :-1, :]).double()).sum(-1) for z in seq])
            total = L if total is None else total + L
            prev = [p[..., -1:, :] for p in parts]
    if closed:
        total = total + torch.stack([vector_norms((a - b).double()).sum(-1) for a, b in zip(first, prev)])
    return total
