"""Neuron transitions and activation patterns along a path (Raghu et al. 2017, Definitions 1-2).

A neuron **transitions** where the input crossing makes its activation switch
linear piece (ReLU: on/off; hard tanh: saturated -1, linear, saturated +1); the
**activation pattern** is the string of every neuron's piece along the path
(Theorem 4: for hard tanh the number of transitions is proportional to the
trajectory length).

* :func:`sampled_transitions`: the counting every public reproduction uses,
  between consecutive samples of the path (any activation; it undercounts);
* :func:`circle_transitions`, :func:`segment_transitions`,
  :func:`count_regions_on_segment`: **exact** counts in closed form, for every
  network the piecewise-linear core compiles (:mod:`workbench.nets.piecewise`);
  the method and why no crossing is missed are in
  :mod:`workbench.measures.paths.exact`.

Smooth activations (tanh, sigmoid, softplus) have no pieces: asking them for
exact transitions is an error that points to :func:`sampled_transitions`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from workbench._runtime import DeviceLike, resolve_device
from workbench.measures.paths.exact import (
    PathTransitions,
    count_unique_rows,
    pattern_keys,
    refine_transitions,
    single_thread_on_cpu,
    walk_transitions,
)
from workbench.measures.paths.trajectories import (
    as_vector,
    check_forward_finite,
    check_net_and_points,
    check_plane,
    mlp_architecture,
    net_dtype,
)
from workbench.nets.ensemble import is_ensemble
from workbench.nets.multilayer import PIECEWISE_LINEAR
from workbench.nets.piecewise import Activation, activation_state, compile_network, pieces_of
from workbench.validation import as_tensor, check_finite, check_int, check_net

__all__ = [
    "activation_states", "sampled_transitions", "SampledTransitions",
    "PathTransitions", "circle_transitions", "segment_transitions", "count_regions_on_segment",
    "ExactTransitionsError",
]


class ExactTransitionsError(ValueError):
    """Exact transitions were asked of a network that is not piecewise linear."""


# --------------------------------------------------------------------------------------
# sampled transitions
# --------------------------------------------------------------------------------------
def _mlp_activation(base) -> Activation:
    if base.activation in PIECEWISE_LINEAR:
        return Activation(pieces_of(base.act), base.activation)
    return Activation(None, base.activation, fn=base.act)


def activation_states(net, preacts: Sequence[torch.Tensor]) -> list[torch.Tensor]:
    """The linear piece of every neuron, from its pre-activations.

    ReLU / LeakyReLU: ``1`` where ``z > 0`` else ``0``; hard tanh: ``-1``
    (``z < min_val``), ``0`` (linear part), ``+1`` (``z > max_val``); identity:
    ``0``; smooth activations (tanh, sigmoid, softplus): the sign bit
    ``z > 0`` (documented convention, there are no pieces).  The pieces come
    from the one table :data:`workbench.nets.piecewise.PIECES`.

    Returns a list (one per hidden layer) of int8 tensors shaped like ``preacts``.
    """
    if not is_ensemble(net):
        check_net(net)
    base = mlp_architecture(net)
    if isinstance(preacts, torch.Tensor) or not isinstance(preacts, Sequence) or isinstance(preacts, str):
        raise TypeError(f"preacts must be a list of tensors (one per hidden layer, e.g. net.trace(X).preacts), "
                        f"got {type(preacts).__name__}")
    act = _mlp_activation(base)
    zs = [check_finite(as_tensor(z, f"preacts[{i}]"), f"preacts[{i}]") for i, z in enumerate(preacts)]
    return [activation_state(z, act) for z in zs]


@dataclass(frozen=True)
class SampledTransitions:
    """Transitions counted between consecutive samples of a trajectory.

    ``per_layer``: ``(..., n_hidden)`` number of neuron switches in each hidden
    layer; ``n_patterns``: number of distinct activation patterns among the
    samples; ``n_points``: samples used.
    """

    per_layer: torch.Tensor
    n_patterns: torch.Tensor
    n_points: int

    @property
    def total(self) -> torch.Tensor:
        return self.per_layer.sum(-1)

    def to_frame(self) -> pd.DataFrame:
        """One row per path and hidden layer: ``index_0 ..`` (the batch position, e.g. the ensemble member;
        none for one network), ``layer`` (1-based), ``transitions``, ``n_patterns``, ``n_points``."""
        pl = self.per_layer.detach().cpu()
        batch = tuple(pl.shape[:-1])
        L = pl.shape[-1]
        flat = pl.reshape(-1, L).numpy()
        npat = self.n_patterns.detach().cpu().reshape(-1).numpy()
        idx = np.array(list(np.ndindex(*batch))) if batch else np.zeros((1, 0), dtype=int)
        df = pd.DataFrame({f"index_{j}": np.repeat(idx[:, j], L) for j in range(idx.shape[1])})
        df["layer"] = np.tile(np.arange(1, L + 1), len(flat))
        df["transitions"] = flat.reshape(-1)
        df["n_patterns"] = np.repeat(npat, L)
        df["n_points"] = int(self.n_points)
        return df


def sampled_transitions(net, X: torch.Tensor, *, closed: bool = True, chunk_size: int = 65536,
                        device: DeviceLike = None) -> SampledTransitions:
    """Transitions and distinct activation patterns counted on samples of a path.

    The counting every public reproduction of Raghu et al. (2017, Fig. 2/6)
    uses: push the samples through the network, take every neuron's piece
    (:func:`activation_states`) and count, per layer, how many neurons change
    piece between consecutive samples (``|state_k - state_{k+1}|``, so a hard
    tanh neuron jumping from -1 to +1 between samples counts 2).  It can only
    undercount: each counted change needs at least one crossing in between; it
    equals the exact count (:func:`circle_transitions`) once the samples are
    fine enough.  Works for every activation (smooth ones use the sign of the
    pre-activation).

    Parameters
    ----------
    net
        An MLP (or an Ensemble: results gain a member axis).
    X
        Samples ``(n, d)`` in path order (e.g. :func:`circle` / :func:`segment`).
    closed
        Whether the last sample is followed by the first (a circle).
    """
    net, X = check_net_and_points(net, X)
    step = check_int("chunk_size", chunk_size, min=1)
    base = mlp_architecture(net)
    if X.shape[-1] != base.widths[0]:
        raise ValueError(f"X must have shape (n, {base.widths[0]}), got {tuple(X.shape)}")
    ens = is_ensemble(net)
    dev = net.device if ens else resolve_device(device)
    if not ens:
        net = net.to(dev)
    n = X.shape[0]
    if n < (3 if closed else 2):
        raise ValueError(f"a trajectory needs at least {3 if closed else 2} points, got {n}")
    L = base.n_hidden
    counts = None
    keys = []
    first = prev = None
    step = max(2, step)
    with torch.no_grad():
        for lo in range(0, n, step):
            xb = X[lo:lo + step].to(dev, dtype=net_dtype(net))
            tr = net.trace(xb)
            check_forward_finite([xb, *tr.preacts, tr.output], lo)
            st = activation_states(net, tr.preacts)  # each (..., b, w)
            cat = torch.cat(st, dim=-1)
            if first is None:
                first = cat[..., :1, :]
            seq = cat if prev is None else torch.cat([prev, cat], dim=-2)
            diff = (seq[..., 1:, :] - seq[..., :-1, :]).abs().to(torch.int64)
            widths = [s.shape[-1] for s in st]
            c = torch.stack([d.sum((-1, -2)) for d in diff.split(widths, dim=-1)], dim=-1)
            counts = c if counts is None else counts + c
            keys.append(pattern_keys(cat))
            prev = cat[..., -1:, :]
        if closed:
            d = (first - prev).abs().to(torch.int64)
            widths = [w for w in base.widths[1:-1]]
            counts = counts + torch.stack([x.sum((-1, -2)) for x in d.split(widths, dim=-1)], dim=-1)
    K = torch.cat(keys, dim=-2)
    if ens:
        npat = torch.tensor([count_unique_rows(K[i]) for i in range(K.shape[0])])
    else:
        npat = torch.tensor(count_unique_rows(K))
    _ = L
    return SampledTransitions(per_layer=counts.cpu(), n_patterns=npat, n_points=n)


# --------------------------------------------------------------------------------------
# exact transitions
# --------------------------------------------------------------------------------------
def _compile_exact(net, dev):
    """Compile ``net`` for the exact engines; smooth activations raise :class:`ExactTransitionsError`."""
    cn = compile_network(net, device=dev, allow_smooth=True)
    smooth = cn.first_smooth()
    if smooth is not None:
        base = net.base if is_ensemble(net) else net
        name = getattr(base, "activation", None) or type(smooth.fn).__name__
        raise ExactTransitionsError(
            f"exact transitions need a piecewise-linear activation ({', '.join(sorted(PIECEWISE_LINEAR))}); "
            f"this network uses the smooth activation {name!r}, which has no linear pieces to "
            "switch between. Use workbench.sampled_transitions(net, workbench.circle(x0, x1, n)) for the "
            "dense-sampling count (sign changes of the pre-activations), or build the network with "
            "activation='hardtanh' (the piecewise-linear counterpart of tanh)."
        )
    return cn.require_hidden_layers(getattr(net.base if is_ensemble(net) else net, "widths", None))


def _path_batch(cn, u: torch.Tensor, v: torch.Tensor, names=("the first vector", "the second vector")):
    """Flatten the paths to ``(P, *in_shape)``; ``single``: one path (no batch axis)."""
    nd = cn.in_ndim
    if nd == 1:
        d = cn.in_shape[0]
        for name, x in zip(names, (u, v)):
            if x.shape[-1] != d:
                raise ValueError(f"{name} has dimension {x.shape[-1]} but the network's input has {d}")
        single = u.dim() == 1
        return u.reshape(-1, d), v.reshape(-1, d), single
    if nd is None or u.dim() not in (nd, nd + 1):
        raise ValueError(
            f"the path's end points have shape {tuple(u.shape)}; this network takes inputs with {nd} "
            f"dimensions, so pass {nd}-D points (one path) or a batch of them ({nd + 1}-D)"
            if nd is not None else
            "this network's input shape is unknown (its first layer is neither Linear nor Conv2d)"
        )
    single = u.dim() == nd
    if single:
        u, v = u.unsqueeze(0), v.unsqueeze(0)
    return u, v, single


def _run_exact(net, u, v, kind: str, *, keep_patterns: bool, max_pieces: int, method: str,
               device: DeviceLike) -> PathTransitions:
    if method not in ("refine", "walk"):
        raise ValueError(
            f"method must be 'refine' (layer-by-layer, batched) or 'walk' (region to region), got {method!r}")
    max_pieces = check_int("max_pieces", max_pieces, min=1)
    ens = is_ensemble(net)
    if not ens:
        check_net(net)
    dev = net.device if ens else resolve_device(device)
    cn = _compile_exact(net, dev)
    U, V, single = _path_batch(cn, u, v, ("x0", "x1") if kind == "circle" else ("a", "b"))
    if kind == "circle":
        flat_u, flat_v = U.reshape(U.shape[0], -1), V.reshape(V.shape[0], -1)
        check_plane(flat_u, flat_v)
        A0 = torch.stack([U, V], -1)  # x(t) = cos t U + sin t V
        c0 = torch.zeros_like(U)
    else:
        A0 = (V - U).unsqueeze(-1)  # x(t) = U + t (V - U)
        c0 = U
    A0, c0 = A0.to(dev, torch.float64), c0.to(dev, torch.float64)
    P = c0.shape[0]
    G = cn.n_members
    group = None
    if G > 1:
        A0 = A0.repeat(G, *([1] * (A0.dim() - 1)))
        c0 = c0.repeat(G, *([1] * (c0.dim() - 1)))
        group = torch.div(torch.arange(G * P, device=dev), P, rounding_mode="floor")
    shape = ((len(net),) if ens else ()) + (() if single else (P,))
    with torch.no_grad(), single_thread_on_cpu(dev):
        if method == "refine":
            return refine_transitions(cn, A0, c0, group, kind, shape, keep_patterns=keep_patterns,
                                      max_pieces=max_pieces)
        return walk_transitions(cn, A0, c0, group, kind, shape, keep_patterns=keep_patterns, max_steps=max_pieces)


def circle_transitions(net, x0, x1, *, keep_patterns: bool = True, max_pieces: int = 2_000_000,
                       method: str = "refine", device: DeviceLike = None) -> PathTransitions:
    """Exact neuron transitions and activation patterns along ``cos(t) x0 + sin(t) x1``.

    Raghu et al. (2017), Definitions 1-2 and Fig. 2/6 (counted there by
    sampling); here computed exactly (:mod:`workbench.measures.paths.exact`:
    closed-form crossings, layer-by-layer refinement or a region-to-region
    walk with right-limit re-evaluation, tangencies not counted).

    Parameters
    ----------
    net
        A piecewise-linear network: an MLP or Ensemble with a piecewise-linear
        activation (relu, leaky_relu, hardtanh, identity), shortcuts allowed, or
        any ``nn.Sequential`` that :func:`workbench.partition_2d` accepts
        (conv, batch norm in eval mode, average pooling).
    x0, x1
        ``(d,)`` or ``(P, d)`` (P circles walked at once), for a conv net
        ``(C, H, W)`` or ``(P, C, H, W)``; non-zero, not parallel.
    keep_patterns
        Keep the pattern of every piece (memory ``pieces x neurons`` int8 per path).
    max_pieces
        Stop with a clear error (instead of running out of memory) when the
        paths would be cut into more pieces than this.
    method
        ``"refine"`` (default): all neurons of one layer at once on every piece
        of the path, one batched pass per layer; ``"walk"``: step from region to
        region along ``t``, one batched pass per breakpoint (the same closed
        forms; slower, kept as an independent check).

    Returns
    -------
    PathTransitions
    """
    x0, x1 = as_vector(x0, "x0"), as_vector(x1, "x1")
    if x0.shape != x1.shape:
        raise ValueError(f"x0 and x1 must have the same shape, got {tuple(x0.shape)} and {tuple(x1.shape)}")
    return _run_exact(net, x0, x1, "circle", keep_patterns=keep_patterns, max_pieces=max_pieces, method=method,
                      device=device)


def segment_transitions(net, a, b, *, keep_patterns: bool = True, max_pieces: int = 2_000_000,
                        method: str = "refine", device: DeviceLike = None) -> PathTransitions:
    """Exact transitions along the segment ``x(t) = a + t (b - a)``, ``t in [0, 1]``.

    Same walker as :func:`circle_transitions`; ``a``, ``b`` are ``(d,)`` or
    ``(P, d)``.  By Raghu et al. (2017, Theorem 2 / its corollary) a line never
    returns to a region it left, so ``n_patterns == n_pieces`` is the number of
    linear regions the segment crosses.
    """
    a, b = as_vector(a, "a"), as_vector(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {tuple(a.shape)} and {tuple(b.shape)}")
    return _run_exact(net, a, b, "segment", keep_patterns=keep_patterns, max_pieces=max_pieces, method=method,
                      device=device)


def count_regions_on_segment(net, a, b, *, method: str = "refine", device: DeviceLike = None) -> int:
    """Exact number of linear regions (activation patterns) the segment ``[a, b]`` crosses.

    Walks the breakpoints (:func:`segment_transitions`) in any input dimension.
    Raghu et al. (2017) Theorem 2: the regions are convex polytopes, so the
    count equals the number of maximal pieces of constant pattern.

    Parameters
    ----------
    net
        A piecewise-linear network (any that :func:`workbench.partition_2d` accepts).
    a, b
        End points: vectors of the input dimension (for a conv net, two ``(C, H, W)`` inputs).
    """
    a, b = as_vector(a, "a"), as_vector(b, "b")
    if not is_ensemble(net):
        check_net(net)
    one = "count_regions_on_segment takes one segment (vectors a, b); use segment_transitions for a batch"
    vector_input = getattr(net.base if is_ensemble(net) else net, "widths", None) is not None
    if a.dim() != 1 and vector_input:
        raise ValueError(one)
    if is_ensemble(net):
        raise TypeError("count_regions_on_segment takes one network; use segment_transitions(ensemble, a, b)")
    res = segment_transitions(net, a, b, keep_patterns=False, method=method, device=device)
    if res.batch_shape != ():
        raise ValueError(one)
    return int(res.n_pieces)

