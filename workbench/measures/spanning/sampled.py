"""Spanning dimension of large networks from sampled gradient coordinates.

Berthiaume, Paffenroth & Guo (2020), *Expected Spanning Dimension*, §6: for a
network ``f_theta`` with many outputs, turn it into a scalar ``g_theta`` with

* ``"pick_first"``:  ``g(x) = f(x)_1``  (the paper's pick_1st), or
* ``"sum_squares"``: ``g(x) = sum_i f(x)_i^2``,

choose ``K`` gradient coordinates at random (the paper: ``K = 1,000,000``),
evaluate those ``K`` entries of ``grad_theta g(x)`` for ``n`` inputs (the
paper: ``n = 500``) to form ``J`` (``n x K``), and take the singular values of
``J`` through the Gram matrix ``J J^T`` (``n x n``): eigenvalues, clipped at
zero, square roots.  The spanning dimension is the effective rank of those
singular values (:func:`workbench.measures.spanning.rank.effective_rank`, Eqs. 8-9).

Memory
------
Nothing of size ``n x P`` (``P`` = number of parameters) is ever held.  Peak
memory, in bytes, is about::

    model (4 P)  +  one chunk of per-input gradients (4 c P_s)
                 +  activations of one forward/backward on c inputs
                 +  J (4 n K)  +  Gram (8 n^2)  +  one Gram column block (8 n B)

with ``c`` the chunk size, ``P_s`` the parameters that hold at least one
sampled coordinate (all of them for K = 10^6 on a torchvision model) and ``B``
the Gram column-block width (:data:`GRAM_BLOCK`).  For ResNet-152 at the
paper's sizes that is 0.24 GB + 0.24 c GB + activations + 2 GB (J) + 2 MB:
``J`` itself dominates and is intrinsic to the method.  See BENCHMARKS.md
("ESD of real-world networks") for measured peaks.

Chunking: ``chunk_size=1`` is an ordinary ``torch.autograd.grad`` backward per
input; ``chunk_size=c > 1`` computes ``c`` per-input gradients at once with
``torch.func.vmap(torch.func.grad(...))``.  ``chunk_size=None`` picks 1 on the
CPU (measured: the per-input backward is as fast as vmap there and lighter)
and, on CUDA, the largest ``c`` with ``4 c P_s <= max_chunk_bytes``.

Models with BatchNorm must be in eval mode (running statistics), otherwise a
"gradient of one input" is not defined; :func:`sampled_gradient_rows` refuses
a model in training mode.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal, Union

import numpy as np
import pandas as pd
import torch
from torch import nn

from workbench._runtime import DeviceLike, SeedLike, generator, resolve_device
from workbench.limits import check_bytes
from workbench.measures.spanning.dimension import has_square_activation, per_point_gradients, per_sample_gradient_fn
from workbench.measures.spanning.rank import effective_rank, singular_values_from_gram
from workbench.measures.spanning.reductions import SAMPLED_REDUCES, check_reduction
from workbench.nets.feedforward import count_parameters
from workbench.validation import (
    as_tensor,
    check_int,
    check_net,
    check_seed,
    describe,
    renamed_keywords,
    warn_layer_range,
    warn_underflow,
)

__all__ = [
    "SampledSpectrum",
    "count_parameters",
    "sample_coordinates",
    "sampled_gradient_rows",
    "gram_singular_values",
    "sampled_spectrum",
    "sampled_spanning_dimension",
]


GRAM_BLOCK = 1 << 16
"""Column-block width of the float64 Gram accumulation in :func:`gram_singular_values`."""

DEFAULT_MAX_CHUNK_BYTES = 1 << 30
"""Budget for one chunk of per-input gradients when the chunk size is chosen automatically."""

Reduce = Literal["pick_first", "sum_squares"]


def _trainable(model: nn.Module) -> list[tuple[str, torch.Tensor]]:
    return [(n, p) for n, p in model.named_parameters() if p.requires_grad]


def sample_coordinates(model_or_n: Union[nn.Module, int], k: int, *, seed: SeedLike = None) -> torch.Tensor:
    """``k`` distinct flat gradient coordinates drawn uniformly at random, sorted.

    The flat index runs over all trainable parameters in ``named_parameters()``
    order, each tensor flattened row-major (``torch.nn.utils.parameters_to_vector``
    order).  Drawn on the CPU from ``seed`` without ever allocating a
    permutation of all ``P`` indices (draw, deduplicate, top up, then a seeded
    subset), so it is cheap even for VGG-19's 1.4e8 parameters.

    Parameters
    ----------
    model_or_n
        A module (its :func:`count_parameters`) or the number of parameters ``P``.
    k
        Number of coordinates, ``1 <= k <= P`` (the ESD paper §6 uses 10^6).
    seed
        int, ``torch.Generator`` or ``None``.

    Returns
    -------
    torch.Tensor
        int64 tensor of shape ``(k,)``, strictly increasing, on the CPU.
    """
    n = count_parameters(model_or_n) if isinstance(model_or_n, nn.Module) else check_int("model_or_n", model_or_n)
    check_seed(seed)
    if n <= 0:
        raise ValueError("the network has no trainable parameters, so there are no gradient coordinates to sample")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k (number of sampled coordinates) must be a positive int, got {k!r}")
    k = int(k)
    if k > n:
        raise ValueError(
            f"cannot sample k={k} coordinates from a network with only {n} parameters; "
            f"use k <= {n} (k = {n} takes the full gradient)"
        )
    g = generator(seed)
    if k > n // 2:  # dense: a permutation is cheap relative to k
        idx = torch.randperm(n, generator=g)[:k]
        return torch.sort(idx).values
    pool = torch.empty(0, dtype=torch.int64)
    while pool.numel() < k:
        extra = max(16, int(1.1 * (k - pool.numel())) + 16)
        pool = torch.unique(torch.cat([pool, torch.randint(0, n, (extra,), generator=g)]))
    if pool.numel() > k:  # unique() sorts: pick a seeded random subset, not the smallest ones
        pool = pool[torch.randperm(pool.numel(), generator=g)[:k]]
    return torch.sort(pool).values


def _split_coordinates(params: list[tuple[str, torch.Tensor]], coords: torch.Tensor):
    """Group sorted flat coordinates by parameter tensor: [(name, local_indices)] in flat order."""
    sizes = torch.tensor([p.numel() for _, p in params], dtype=torch.int64)
    ends = torch.cumsum(sizes, 0)
    starts = ends - sizes
    which = torch.searchsorted(ends, coords, right=True)
    groups = []
    for j in torch.unique(which).tolist():
        mask = which == j
        groups.append((params[j][0], coords[mask] - starts[j]))
    return groups


def _check_inputs(X, model: nn.Module | None = None) -> torch.Tensor:
    """``X`` as a finite tensor in the model's dtype (lists, numpy arrays, integer tensors converted)."""
    ps = [p for p in model.parameters() if p.is_floating_point()] if isinstance(model, nn.Module) else []
    X = as_tensor(X, "X", dtype=ps[0].dtype if ps else None)
    if X.dim() < 2:
        raise ValueError(f"X (the inputs) must have shape (n, *input_shape), e.g. (n, 3, 224, 224); "
                         f"got {tuple(X.shape)}")
    if X.shape[0] == 0:
        raise ValueError("no inputs: X has 0 rows; the spanning dimension needs at least one input point")
    n_in = input_width(model)
    if n_in is not None and (X.dim() != 2 or X.shape[1] != n_in):
        raise ValueError(f"X has shape {tuple(X.shape)} but the model takes {n_in} inputs; "
                         f"pass inputs as rows, shape (n, {n_in})")
    flat = X.reshape(X.shape[0], -1)
    for s in range(0, flat.shape[0], 64):  # blockwise: no full-size temporaries for large input sets
        bad = (~torch.isfinite(flat[s : s + 64])).any(1)
        if bad.any():
            raise ValueError(f"X: input {s + int(bad.nonzero()[0])} contains NaN or inf; "
                             "replace or drop that sample")
    return X


def input_width(model) -> int | None:
    """The input width of an MLP (``widths[0]``) or of a model whose first leaf module is ``nn.Linear``; else None."""
    widths = getattr(model, "widths", None)
    if widths is not None:
        return int(widths[0])
    if isinstance(model, nn.Module):
        for m in model.modules():
            if not list(m.children()):  # the first leaf module
                return int(m.in_features) if isinstance(m, nn.Linear) else None
    return None


def _auto_chunk(dev: torch.device, n_sel_params: int, n: int, max_chunk_bytes: int) -> int:
    if dev.type != "cuda":
        return 1
    return max(1, min(n, max_chunk_bytes // max(1, 4 * n_sel_params)))


@renamed_keywords(model="net")
def sampled_gradient_rows(
    net: nn.Module,
    X: torch.Tensor,
    coords: torch.Tensor,
    *,
    reduce: str = "pick_first",
    softmax: bool = False,
    chunk_size: int | None = None,
    max_chunk_bytes: int = DEFAULT_MAX_CHUNK_BYTES,
    device: DeviceLike = None,
) -> torch.Tensor:
    """The sampled Jacobian ``J`` (``n x K``): row ``i`` holds entries ``coords`` of ``grad_theta g(X[i])``.

    ESD paper §6: ``g(x) = f(x)_1`` (``reduce="pick_first"``) or
    ``g(x) = sum_i f(x)_i^2`` (``"sum_squares"``), each input passed alone
    (batch of one), so row ``i`` is the gradient of ``g`` at ``X[i]`` only.

    Parameters
    ----------
    net
        A module mapping ``(b, *input_shape)`` to ``(b, outputs)``; must be in
        eval mode (BatchNorm uses running statistics).  It is moved to
        ``device`` (``nn.Module.to`` is in place).
    X
        Inputs ``(n, *input_shape)``, ``n >= 1``, finite.
    coords
        Sorted distinct flat parameter indices (:func:`sample_coordinates`).
    reduce
        ``"pick_first"`` or ``"sum_squares"`` (:func:`workbench.measures.check_reduction`; the 0.1 spellings
        ``"first"`` and ``"pick_1st"`` are refused with the new name).
    softmax
        Apply a softmax to the outputs first.  torchvision models return
        logits; the paper speaks of a "probability vector", so ``True`` follows
        its wording.  Default ``False`` (the raw network output).
    chunk_size
        Inputs per backward pass: 1 = one ``torch.autograd.grad`` per input,
        ``c > 1`` = ``torch.func.vmap`` of per-input gradients over ``c``
        inputs.  ``None``: 1 on the CPU, on CUDA the largest ``c`` with
        ``4 c P_s <= max_chunk_bytes`` (module docstring).
    max_chunk_bytes
        Memory budget of one chunk of per-input gradients (automatic chunking).
    device
        Where to compute; ``None`` is :func:`workbench.device`.

    Returns
    -------
    torch.Tensor
        float32 (the network's dtype) ``(n, K)`` on ``device``; column ``j`` is
        coordinate ``coords[j]``.

    Raises
    ------
    ValueError
        Unknown ``reduce``, empty / non-finite inputs, coordinates out of range
        or not sorted, a network in training mode, or a non-finite gradient (the
        offending input is named).
    """
    red = check_reduction(reduce, SAMPLED_REDUCES)
    check_net(net, "net")
    X = _check_inputs(X, net)
    if net.training:
        raise ValueError(
            "the network is in training mode; call net.eval() first (BatchNorm must use its running "
            "statistics so that each row is the gradient of one input alone)"
        )
    params = _trainable(net)
    P = sum(p.numel() for _, p in params)
    if P == 0:
        raise ValueError("the network has no trainable parameters, so its Jacobian has no columns")
    if not isinstance(coords, torch.Tensor):  # lists / numpy arrays keep their integer dtype (no float32 detour:
        try:                                   # indices above 2**24 would collide)
            coords = torch.as_tensor(coords)
        except (TypeError, ValueError, RuntimeError):
            raise TypeError(f"coords must be integer parameter indices (sample_coordinates(net, k)), got "
                            f"{describe(coords)}") from None
    if coords.dtype == torch.bool or coords.is_complex() or coords.device.type == "meta":
        raise TypeError(f"coords must be integer parameter indices, got {describe(coords)}")
    if coords.is_floating_point():  # integral floats are accepted, NaN / fractions are not
        coords = coords.to(torch.float64)
        if not bool(torch.isfinite(coords).all()) or bool((coords != coords.round()).any()):
            raise ValueError("coords must be integer parameter indices (sample_coordinates(net, k)); "
                             "got NaN, inf or fractions")
    coords = coords.to(torch.int64).reshape(-1).cpu()
    if coords.numel() == 0:
        raise ValueError("no coordinates given; draw them with sample_coordinates(net, k)")
    if int(coords.min()) < 0 or int(coords.max()) >= P:
        raise ValueError(f"coords: coordinates must lie in [0, {P}) for this network ({P} parameters)")
    if coords.numel() > 1 and not bool((coords[1:] > coords[:-1]).all()):
        raise ValueError("coordinates must be strictly increasing (sorted, distinct); use sample_coordinates")
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1):
        raise ValueError(f"chunk_size must be a positive int or None, got {chunk_size!r}")

    dev = resolve_device(device)
    net.to(dev)
    groups = _split_coordinates(params, coords)
    by_name = dict(params)
    sel_names = [name for name, _ in groups]
    local = [idx.to(dev) for _, idx in groups]
    n = X.shape[0]
    n_sel = sum(by_name[nm].numel() for nm in sel_names)
    c = chunk_size if chunk_size is not None else _auto_chunk(dev, n_sel, n, max_chunk_bytes)

    def scalar(out: torch.Tensor) -> torch.Tensor:
        out = out.reshape(out.shape[0], -1)[0]
        if softmax:
            out = torch.softmax(out, dim=0)
        return out[0] if red == "pick_first" else (out * out).sum()

    item = next(iter(by_name.values())).element_size()
    check_bytes((n * coords.numel() + c * n_sel) * item,
                f"the sampled Jacobian of {n:,} inputs x {coords.numel():,} coordinates "
                f"(plus the gradients of {c:,} input(s) at a time over {n_sel:,} parameters)",
                "pass fewer inputs or coordinates (k), or a smaller chunk_size", device=dev)
    rows = torch.empty((n, coords.numel()), dtype=next(iter(by_name.values())).dtype, device=dev)
    if c == 1:
        sel = [by_name[nm] for nm in sel_names]
        for i, grads in per_point_gradients(net, X, scalar, sel, device=dev):
            rows[i] = torch.cat([gr.reshape(-1)[li] for gr, li in zip(grads, local)])
            if not torch.isfinite(rows[i]).all():
                raise ValueError(_nonfinite_message(i))
    else:
        sel = {nm: by_name[nm].detach() for nm in sel_names}
        rest = {k: v.detach() for k, v in net.named_parameters() if k not in sel}
        rest.update(dict(net.named_buffers()))
        per_input = per_sample_gradient_fn(net, scalar)
        for s in range(0, n, c):
            xs = X[s : s + c].to(dev)
            G = per_input(sel, rest, xs)
            block = torch.cat([G[nm].reshape(xs.shape[0], -1)[:, li] for nm, li in zip(sel_names, local)], 1)
            del G
            ok = torch.isfinite(block).all(1)
            if not ok.all():
                raise ValueError(_nonfinite_message(s + int((~ok).nonzero()[0])))
            rows[s : s + xs.shape[0]] = block
    return rows


def _nonfinite_message(i: int) -> str:
    return (
        f"the gradient at input {i} has NaN or inf entries (overflow in the network or in sum_squares); "
        "check that input and the weights, or use reduce='pick_first' / smaller inputs"
    )


def gram_singular_values(J: torch.Tensor, *, block: int = GRAM_BLOCK) -> torch.Tensor:
    """Singular values of ``J`` (``n x K``, ``n <= K`` typical) through the Gram matrix ``J J^T``.

    ESD paper §6: "we compute the singular values of J_n by first computing the
    Gram matrix J_n J_n^T, computing the singular values of J_n J_n^T, and
    taking their square roots".  ``G = J J^T`` is accumulated in float64 over
    column blocks of width ``block`` (so the float64 copy never exceeds
    ``8 n block`` bytes); ``eigvalsh(G)`` is clipped at 0 and square-rooted.

    Precision: the Gram route squares the condition number; singular values
    below about ``1e-8 * s_max`` (float64 Gram) are not resolved, which does not
    move the effective rank (their share of ``sum s`` is negligible).

    Returns
    -------
    torch.Tensor
        float64, shape ``(min(n, K),)``, descending, on ``J``'s device.
    """
    J = as_tensor(J, "J", dtype=None if isinstance(J, torch.Tensor) else torch.float64)
    if J.dim() != 2:
        raise ValueError(f"J must be a 2-D tensor (n inputs x K coordinates), got {tuple(J.shape)}")
    n, K = J.shape
    if n == 0 or K == 0:
        raise ValueError(f"J is empty ({n} x {K}); it needs at least one input and one coordinate")
    block = check_int("block", block, min=1)
    # scale by max |J| (found block by block, no full-size copy): J J^T of entries 1e200 would overflow
    c = 0.0
    for s in range(0, K, block):
        c = max(c, float(J[:, s : s + block].abs().amax()))
    c = c if 0.0 < c < float("inf") else 1.0
    G = torch.zeros((n, n), dtype=torch.float64, device=J.device)
    for s in range(0, K, block):
        Jb = J[:, s : s + block].to(torch.float64) / c
        G.addmm_(Jb, Jb.T)
        del Jb
    # G_ii = sum_j J_ij^2 is finite iff row i is (float32/64 squares cannot overflow float64 sums of
    # realistic length), so the check costs no copy of J (torch.isfinite(J) would allocate ~2.5x J).
    bad = ~torch.isfinite(torch.diagonal(G))
    if bad.any():
        raise ValueError(f"row {int(bad.nonzero()[0])} of J has NaN or inf entries; its singular values are undefined")
    return singular_values_from_gram(G)[: min(n, K)] * c


@dataclass(frozen=True)
class SampledSpectrum:
    """Result of :func:`sampled_spectrum`.

    Attributes
    ----------
    singular_values : torch.Tensor
        float64, descending, ``min(n, K)`` values (CPU).
    n_params : int
        Trainable parameters ``P`` of the model.
    n_coords : int
        Sampled coordinates ``K``.
    n_inputs : int
        Inputs ``n``.
    reduce : str
        ``"pick_first"`` or ``"sum_squares"``.
    """

    singular_values: torch.Tensor
    n_params: int
    n_coords: int
    n_inputs: int
    reduce: str

    @property
    def effective_rank(self) -> float:
        """The spanning dimension: effective rank of the singular values (Eqs. 8-9)."""
        return float(effective_rank(self.singular_values))

    def to_frame(self) -> pd.DataFrame:
        """One row per singular value: ``index`` (0 = largest), ``singular_value``, and the constants
        ``n_params, n_coords, n_inputs, reduce, effective_rank``."""
        sv = self.singular_values.detach().cpu().double().numpy()
        return pd.DataFrame({"index": np.arange(len(sv)), "singular_value": sv, "n_params": self.n_params,
                             "n_coords": self.n_coords, "n_inputs": self.n_inputs, "reduce": self.reduce,
                             "effective_rank": self.effective_rank})


@renamed_keywords(model="net")
def sampled_spectrum(
    net: nn.Module,
    X: torch.Tensor,
    k: int,
    *,
    reduce: str = "pick_first",
    seed: SeedLike = None,
    coords: torch.Tensor | None = None,
    softmax: bool = False,
    chunk_size: int | None = None,
    max_chunk_bytes: int = DEFAULT_MAX_CHUNK_BYTES,
    device: DeviceLike = None,
) -> SampledSpectrum:
    """Singular values of the sampled Jacobian of one network at inputs ``X`` (ESD paper §6).

    Draws ``k`` coordinates from ``seed`` (unless ``coords`` is given), builds
    ``J`` with :func:`sampled_gradient_rows` and takes
    :func:`gram_singular_values`.  See those functions for the parameters.
    """
    red = check_reduction(reduce, SAMPLED_REDUCES)
    check_net(net, "net")
    X = _check_inputs(X, net)
    check_seed(seed)
    P = count_parameters(net)
    if coords is None:
        coords = sample_coordinates(P, k, seed=seed)
    q = min(int(X.shape[0]), int(torch.as_tensor(coords).numel()))
    check_bytes(q * q * 8 * 2, f"the {q:,} x {q:,} Gram matrix of the sampled Jacobian (float64, and its "
                "eigendecomposition)", "pass fewer inputs or a smaller k", device=device)
    warned = warn_layer_range(net, X, what="the sampled spectrum")
    J = sampled_gradient_rows(net, X, coords, reduce=red, softmax=softmax, chunk_size=chunk_size,
                              max_chunk_bytes=max_chunk_bytes, device=device)
    zero = (J == 0).all(1)
    if not warned and has_square_activation(net) and bool(zero.any()):
        warn_underflow(J[zero], f"the sampled gradient at {int(zero.sum())} of {J.shape[0]} inputs")
    sv = gram_singular_values(J).cpu()
    del J
    if float(sv[0]) == 0.0:
        warnings.warn(
            "the sampled Jacobian is all zeros (no sampled coordinate moves g at these inputs); "
            "its effective rank is 0 by definition. Sample more coordinates or check the inputs.",
            RuntimeWarning, stacklevel=2,
        )
    return SampledSpectrum(sv, P, int(coords.numel()), int(X.shape[0]), red)


@renamed_keywords(model="net")
def sampled_spanning_dimension(
    net: nn.Module,
    X: torch.Tensor,
    k: int,
    *,
    reduce: str = "pick_first",
    seed: SeedLike = None,
    softmax: bool = False,
    chunk_size: int | None = None,
    device: DeviceLike = None,
) -> float:
    """Spanning dimension of ``net`` at ``X`` from ``k`` sampled gradient coordinates.

    The effective rank (Roy & Vetterli 2007; ESD paper Eqs. 8-9) of the
    singular values of the ``n x k`` sampled Jacobian, computed through the Gram
    matrix (ESD paper §6).  Averaging this over random weights, inputs and
    coordinates gives the ESD of a real-world network
    (:func:`workbench.papers.esd.real_networks`).
    """
    return sampled_spectrum(net, X, k, reduce=reduce, seed=seed, softmax=softmax,
                            chunk_size=chunk_size, device=device).effective_rank
