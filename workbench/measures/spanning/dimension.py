"""Spanning dimension of a network at a set of points (ESD paper §3).

Berthiaume, Paffenroth & Guo (2020), *Understanding Deep Learning: Expected
Spanning Dimension ...*, §3.1 and §3.2: the spanning dimension (SD) of a network
``N_theta`` at points ``x_1..x_n`` is the (effective) rank of the Jacobian

    J_n[i, j] = d g_theta(x_i) / d theta_j        (n_points x n_params)

of a scalar output ``g`` with respect to all parameters.  ``g`` comes from the
network's outputs by a *reduction* (§3.2):

``"pick_first"``
    ``g = f(x)[0]`` (the paper's *pick_first*; the cheapest; ``"first"`` is its
    former spelling, accepted for one release with a ``DeprecationWarning``).
``"sum_squares"``
    ``g = sum_k f(x)[k]**2`` (the paper's *sum_squares*).
``"mean"``
    §3.2 option (1), "compute the ESD of each output and then average": the SD
    is ``(1/K) sum_k rank(J^{(k)})`` where ``J^{(k)}`` is the ``n_points x
    n_params`` Jacobian of output ``k`` alone.  The ``K`` Jacobians come from one
    ``jacrev`` per point and their ranks from one batched SVD.

Per-point gradients are computed with ``torch.func`` (``functional_call`` +
``vmap(grad)`` / ``vmap(jacrev)``), optionally in chunks of points to bound
memory, never with a Python loop over points.
"""
from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn
from torch.func import functional_call, grad, jacrev, vmap

from workbench._runtime import DeviceLike, SeedLike, generator
from workbench.limits import check_bytes, default_max_bytes
from workbench.measures.spanning import structured
from workbench.measures.spanning.rank import batched_effective_rank, default_tolerance, singular_values_from_gram
from workbench.measures.spanning.reductions import REDUCTIONS, check_reduction
from workbench.nets.multilayer import Square
from workbench.validation import (
    as_tensor,
    check_choice,
    check_device,
    check_finite,
    check_int,
    check_net,
    check_net_parts,
    check_real,
    check_seed,
    warn_layer_range,
    warn_underflow,
)

__all__ = [
    "parameter_jacobian",
    "spanning_dimension",
    "jacobian_spanning_dimension",
    "RANKS",
    "per_point_gradient_loop",
    "jacobian_singular_values",
    "SV_METHODS",
]


RANKS = ("effective", "numerical")
"""Rank measures accepted by :func:`spanning_dimension`."""


def _check_J(J, name: str = "J") -> torch.Tensor:
    """A Jacobian argument: a finite float32/64 tensor of at least 2 dimensions (lists and numpy converted)."""
    J = as_tensor(J, name, dtype=None if isinstance(J, torch.Tensor) else torch.float64)
    if J.dim() < 2:
        raise ValueError(f"{name} must be a matrix (..., n_points, n_params), got shape {tuple(J.shape)}")
    return check_finite(J, name, rows=False)


def _check_tol(tol):
    return None if tol is None else check_real("tol", tol, min=0.0)


def _gram_scaled(J: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``(J / c, c)`` in float64 with ``c = max |J|`` (1 for a zero J): the Gram product then cannot overflow."""
    Jd = J.to(torch.float64)
    c = Jd.abs().amax((-2, -1), keepdim=True) if Jd.numel() else torch.ones((), dtype=torch.float64)
    c = torch.where(c > 0, c, torch.ones_like(c))
    return Jd / c, c


def has_square_activation(net, modules: list[nn.Module] | None = None) -> bool:
    """Whether ``net`` uses the square activation (a polynomial network, ESD paper §2); ``modules``:
    ``list(net.modules())`` when the caller has it already."""
    return (getattr(net, "activation", None) == "square"
            or any(isinstance(m, Square) for m in (net.modules() if modules is None else modules)))


def _warn_zero_rows(net, J: torch.Tensor, modules: list[nn.Module] | None = None) -> None:
    """Rows of exactly 0 in a polynomial (square) network's Jacobian: float underflow, not a property of the net."""
    if J.dim() != 2 or not has_square_activation(net, modules):
        return
    zero = (J == 0).all(-1)
    if bool(zero.any()):
        warn_underflow(J[zero], f"the parameter gradient at {int(zero.sum())} of {J.shape[0]} points", stacklevel=4)


def _reduction(reduce: str) -> Callable[[torch.Tensor], torch.Tensor]:
    """The scalar ``g`` of one point's output (or the output vector for ``reduce="none"``)."""

    def g(out):
        out = out.reshape(-1)
        if reduce == "pick_first":
            return out[0]
        if reduce == "sum_squares":
            return (out * out).sum()
        return out  # "none": all outputs

    return g


def per_sample_gradient_fn(module: nn.Module, scalar: Callable[[torch.Tensor], torch.Tensor], *,
                           jacobian: bool = False, chunk_size: int | None = None) -> Callable:
    """``fn(params, buffers, X)``: the gradient of ``scalar(module(x))`` w.r.t. ``params`` at every point of ``X``.

    The one vectorised per-sample gradient of the workbench:
    ``vmap(grad(functional_call))`` over the points (``jacobian=True``:
    ``jacrev``, for a vector ``scalar``), each point passed alone as a batch of
    one.  ``params`` and ``buffers`` are dicts (``functional_call`` takes the
    two together, so a dict of selected parameters plus the rest as
    ``buffers`` differentiates only the selected ones).  Returns a dict of
    per-parameter gradients with a leading point axis.
    """

    def f(p, b, x):
        return scalar(functional_call(module, (p, b), (x.unsqueeze(0),)))

    return vmap((jacrev if jacobian else grad)(f), in_dims=(None, None, 0), chunk_size=chunk_size)


def per_point_gradients(model: nn.Module, X: torch.Tensor, scalar: Callable[[torch.Tensor], torch.Tensor],
                        params: list[torch.Tensor], *, device, dtype: torch.dtype | None = None):
    """One ``torch.autograd.grad`` per point (the paper's method, §6): yields ``(i, grads)``.

    ``grads`` lists the gradient of ``scalar(model(X[i:i+1]))`` for each tensor
    of ``params`` (zeros where the output does not depend on it).
    """
    for i in range(X.shape[0]):
        x = X[i:i + 1].to(device) if dtype is None else X[i:i + 1].to(device, dtype)
        with torch.enable_grad():
            grads = torch.autograd.grad(scalar(model(x)), params, allow_unused=True)
        yield i, [gi if gi is not None else torch.zeros_like(p) for gi, p in zip(grads, params)]


def _flatten_grads(g: dict, names: list[str], lead: int) -> torch.Tensor:
    """Concatenate a dict of per-parameter gradients into ``(*lead_shape, n_params)``."""
    parts = [g[k] for k in names]
    lead_shape = parts[0].shape[:lead]
    return torch.cat([t.reshape(*lead_shape, -1) for t in parts], dim=-1)


def _validate_points(net: nn.Module, X: torch.Tensor) -> torch.Tensor:
    if not isinstance(X, torch.Tensor):
        ps = [p for p in net.parameters() if p.is_floating_point()]
        X = as_tensor(X, "X", dtype=ps[0].dtype if ps else None)
    X = as_tensor(X, "X")
    widths = getattr(net, "widths", None)
    n_in = widths[0] if widths is not None else None
    if X.dim() == 0:
        raise ValueError("X must hold points as rows, shape (n_points, n_inputs); got a scalar")
    if X.dim() == 1:
        if n_in == 1:
            X = X.unsqueeze(1)
        else:
            raise ValueError(
                f"X has shape {tuple(X.shape)}; pass points as rows, shape (n_points, n_inputs)"
                + (f" with n_inputs = {n_in}" if n_in else "")
                + " (a 1-D X is read as points only for a one-input network)"
            )
    if X.shape[0] == 0:
        raise ValueError("X has no points (shape[0] == 0); the spanning dimension needs at least one point")
    if n_in is not None and (X.dim() != 2 or X.shape[1] != n_in):
        raise ValueError(
            f"X has shape {tuple(X.shape)} but the network takes {n_in} inputs; "
            f"pass points as rows, shape (n_points, {n_in})"
        )
    if not math.isfinite(float(X.sum())) and not bool(torch.isfinite(X).all()):  # the sum: one op (issue 29)
        bad = int((~torch.isfinite(X.reshape(X.shape[0], -1))).any(1).nonzero()[0])
        raise ValueError(f"X contains NaN or inf (first at point {bad}); the network cannot be evaluated there")
    return X


def _no_parameters(net: nn.Module) -> ValueError:
    return ValueError(
        f"{type(net).__name__} has no parameters: its outputs do not depend on any weight, so there is "
        "no Jacobian with respect to parameters and no spanning dimension; give a network with weights"
    )


def _named_params(net: nn.Module):
    params = {k: v.detach() for k, v in net.named_parameters()}
    if not params or sum(v.numel() for v in params.values()) == 0:
        raise _no_parameters(net)
    buffers = {k: v.detach() for k, v in net.named_buffers()}
    return params, buffers


def _check_finite_rows(J: torch.Tensor) -> None:
    """Raise naming the first point whose gradient has NaN/inf (J is (..., n_points, n_params))."""
    if math.isfinite(float(J.sum())) or torch.isfinite(J).all():  # the sum: one read, no mask (issue 29)
        return
    bad_rows = ~torch.isfinite(J).all(-1)  # (..., n_points)
    idx = bad_rows.nonzero()[0].tolist()
    where = f"point {idx[-1]}" if len(idx) == 1 else f"point {idx[-1]} (batch index {tuple(idx[:-1])})"
    raise FloatingPointError(
        f"the parameter gradient at {where} contains NaN or inf; the network overflows or divides by zero "
        "there. Check the weights (init scale) and the inputs, or use float64"
    )


def jacobian_bytes(n_points: int, n_params: int, n_outputs: int = 1, dtype: torch.dtype = torch.float32) -> int:
    """Bytes of a parameter Jacobian ``(n_points, [n_outputs,] n_params)`` (the result alone)."""
    return int(n_points) * int(n_outputs) * int(n_params) * dtype.itemsize


def _jacobian_budget(net, X, params, buffers, reduce, chunk_size, dtype, dev, closed: bool, P: int | None = None):
    """Refuse a Jacobian that cannot fit; pick a ``chunk_size`` when the whole-batch working memory would not.

    The result takes ``points x outputs x params`` numbers; computing it all at
    once (``chunk_size=None``) takes about as much again in per-point gradients.
    ``P``: the number of parameters when known (then ``params`` and ``buffers`` are
    needed only for a ``reduce`` with several outputs).
    """
    n = X.shape[0]
    P = sum(v.numel() for v in params.values()) if P is None else P
    n_out = 1
    if reduce not in ("pick_first", "sum_squares"):
        with torch.no_grad():
            n_out = int(functional_call(net, {**params, **buffers}, (X[:1],)).reshape(-1).numel())
    res = jacobian_bytes(n, P, n_out, dtype)
    per_point = res // max(n, 1)
    what = (f"the parameter Jacobian of {n:,} points x {P:,} parameters"
            + (f" x {n_out:,} outputs" if n_out > 1 else ""))
    check_bytes(res + per_point * min(n, chunk_size or 1), what,
                "pass fewer points (or a network with fewer parameters); workbench.sampled_spanning_dimension "
                "samples k parameter coordinates instead", device=dev)
    if chunk_size is None and not closed:
        budget = default_max_bytes(device=dev)  # vmap's per-point working memory (the closed form has none)
        if 2 * res > budget:  # all at once would not fit: chunk the points
            chunk_size = max(1, int((budget - res) // max(per_point, 1)))
    return chunk_size


def parameter_jacobian(
    net: nn.Module,
    X,
    reduce: str = "pick_first",
    *,
    chunk_size: int | None = None,
    device: DeviceLike = None,
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    """Jacobian of the network's (reduced) output at each point w.r.t. all parameters.

    ``J[i, j] = d g(x_i) / d theta_j`` (ESD paper §3.1, the ``J_n`` of Eq. 7),
    with ``theta`` every entry of ``net.parameters()`` in ``named_parameters``
    order, each flattened row-major.  Computed with ``torch.func``
    (``vmap(grad(functional_call))``), no Python loop over points.

    Parameters
    ----------
    net
        Any ``nn.Module`` mapping a batch ``(1, *in_shape)`` to outputs.  It
        should be in eval mode if it has batch-dependent layers.
    X
        Points as rows, ``(n_points, n_in)`` (or ``(n_points, *in_shape)`` for a
        module without ``widths``); a 1-D ``X`` is read as points of a one-input
        network.
    reduce
        ``"pick_first"`` or ``"sum_squares"``: a scalar per point, result
        ``(n_points, n_params)``.  ``"mean"`` or ``"none"``: every output,
        result ``(n_points, n_outputs, n_params)`` (``jacrev``).
    chunk_size
        Points per vectorised chunk (``vmap(..., chunk_size=)``), bounding the
        memory to about ``chunk_size * n_params`` gradients at once.  ``None``:
        all points at once.
    device, dtype
        Where and in what precision to compute (default: the workbench device;
        the network's dtype).  The network is not modified.

    Raises
    ------
    ValueError
        Network without parameters, wrong shape of ``X``, NaN/inf in ``X``.
    FloatingPointError
        A non-finite gradient; the message names the offending point.
    """
    reduce = check_reduction(reduce, REDUCTIONS + ("none",))
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1):
        raise ValueError(f"chunk_size must be a positive int or None, got {chunk_size!r}")
    check_net(net)
    check_choice("dtype", dtype, (None, torch.float32, torch.float64))
    J, _ = _parameter_jacobian(net, X, reduce, chunk_size, device, dtype)
    _check_finite_rows(J if J.dim() == 2 else J.transpose(-2, -3))
    return J


def _takes_closed_form(net, reduce, chunk_size, params: list[torch.Tensor] | None = None) -> bool:
    """Whether :func:`_parameter_jacobian` takes the closed form (:mod:`structured`) rather than ``torch.func``."""
    return (reduce in ("pick_first", "sum_squares") and chunk_size is None
            and structured.supports_closed_form(net, params))


def _parameter_jacobian(net, X, reduce, chunk_size, device, dtype, *, keep: bool = False, closed: bool | None = None,
                        validated: bool = False, params_list: list[torch.Tensor] | None = None):
    """:func:`parameter_jacobian` after its argument checks, without the finiteness check: ``(J, outs)``.

    ``outs``: every layer output of the closed-form route when ``keep`` (else ``None``).  ``closed``:
    :func:`_takes_closed_form` when the caller knows it already; ``validated``: ``X`` has passed
    :func:`_validate_points` (and ``device``, a ``torch.device``, :func:`check_device`).  ``params_list``:
    ``list(net.parameters())`` when the caller has it (:func:`workbench.validation.check_net_parts`).
    """
    if closed is None:
        closed = _takes_closed_form(net, reduce, chunk_size)
    dev = device if validated else check_device(device)
    if closed:
        # a plain MLP: one batched forward and backward pass write J (issue 29), no vmap(grad), and no dict of
        # parameters (mlp_weights reads the layers)
        ps = list(net.parameters()) if params_list is None else params_list
        P = sum(p.numel() for p in ps)
        if P == 0:
            raise _no_parameters(net)
        X = X if validated else _validate_points(net, X)
        pdtype = dtype or ps[0].dtype
        X = X.to(dev, pdtype)
        _jacobian_budget(net, X, None, None, reduce, chunk_size, pdtype, dev, closed, P=P)
        Ws, bs = structured.mlp_weights([net], dtype=pdtype, device=dev)
        if keep:
            J, outs = structured.mlp_jacobian(net, Ws, bs, X.unsqueeze(0), reduce, keep=True)
            return J[0], outs
        return structured.mlp_jacobian(net, Ws, bs, X.unsqueeze(0), reduce)[0], None
    params, buffers = _named_params(net)
    X = X if validated else _validate_points(net, X)
    pdtype = dtype or next(iter(params.values())).dtype
    params = {k: v.to(dev, pdtype) for k, v in params.items()}
    buffers = {k: (v.to(dev, pdtype) if v.is_floating_point() else v.to(dev)) for k, v in buffers.items()}
    X = X.to(dev, pdtype)
    names = list(params)
    chunk_size = _jacobian_budget(net, X, params, buffers, reduce, chunk_size, pdtype, dev, closed)
    if reduce in ("pick_first", "sum_squares"):
        g = per_sample_gradient_fn(net, _reduction(reduce), chunk_size=chunk_size)(params, buffers, X)
        return _flatten_grads(g, names, 1), None
    g = per_sample_gradient_fn(net, _reduction("none"), jacobian=True, chunk_size=chunk_size)(params, buffers, X)
    return _flatten_grads(g, names, 2), None


SV_METHODS = ("svd", "gram", "lowrank")


def lowrank_singular_values(J: torch.Tensor, *, k: int = 64, tol: float | None = None,
                            seed: SeedLike = 0) -> torch.Tensor:
    """Singular values of ``J`` (``(..., m, n)``) through a certified randomized range finder.

    Network Jacobians with one input are square (``n_points = n_params``) but
    of very low numerical rank (a ``[1, 40, 40, 1]`` ReLU network: rank about 57
    of 1,761).  This route (Halko, Martinsson & Tropp 2011, Alg. 4.1 with an
    a-posteriori check) costs ``O(m n k)`` instead of the SVD's ``O(m n q)``:

    1. ``Y = J Ω`` with a Gaussian ``Ω`` (``n x k``, drawn from ``seed``: an int or a
       ``torch.Generator``, whose stream it continues);
       ``Q = qr(Y).Q``; ``B = Qᵀ J``; singular values of the small ``B``.
    2. **Check**: ``E = J - Q B``.  If ``‖E‖_F <= tol`` (default: the
       numerical-rank tolerance ``max(m, n) · eps · s_max``), Weyl's inequality
       bounds every error: ``|s_i(J) - s_i(B)| <= ‖E‖_2 <= tol`` for ``i < k``
       and ``s_i(J) <= tol`` for ``i >= k``; those are returned as ``0``.
    3. Otherwise ``k`` doubles; once ``2k >= min(m, n)`` the exact
       ``torch.linalg.svdvals`` is used instead.

    So the result never depends on luck, only its speed does: every value is
    within the tolerance at which ``svdvals`` itself separates signal from
    rounding.  In float64 the effective rank agrees with ``svdvals`` to about
    ``1e-11`` on Fig. 4's networks.  Batched: ``k`` grows until every member
    passes.  Returns ``(..., min(m, n))``, descending.
    """
    J = _check_J(J)
    if check_int("k", k) < 1:
        raise ValueError(f"k must be positive, got {k}")
    tol = _check_tol(tol)
    gen = generator(check_seed(seed))
    m, n = J.shape[-2], J.shape[-1]
    q = min(m, n)
    kk = min(k, q)
    while 2 * kk < q:
        omega = torch.randn(n, kk, generator=gen, dtype=J.dtype).to(J.device)
        Q = torch.linalg.qr(J @ omega).Q
        B = Q.mT @ J
        s = torch.linalg.svdvals(B)
        err = torch.linalg.matrix_norm(J - Q @ B)  # Frobenius >= spectral
        bound = (torch.full_like(s[..., 0], float(tol)) if tol is not None
                 else default_tolerance(s[..., 0], J.shape, J.dtype))
        if bool((err <= bound).all()):
            out = s.new_zeros(J.shape[:-2] + (q,))
            out[..., :kk] = s
            return out
        kk *= 2
    return torch.linalg.svdvals(J)


__all__ += ["lowrank_singular_values"]


def jacobian_singular_values(J: torch.Tensor, method: str = "svd") -> torch.Tensor:
    """Singular values of ``J`` (``(..., m, n)``), batched, descending.

    ``"svd"``: ``torch.linalg.svdvals`` in ``J``'s dtype.  ``"gram"``: square
    roots of the eigenvalues of the smaller Gram matrix (``J J^T`` or
    ``J^T J``) computed in float64, the memory-saving route of ESD paper §6;
    several times faster for large square ``J`` on the CPU.  Singular values
    below about ``sqrt(eps64) * s_max ~ 1e-8 s_max`` are then inaccurate: the
    effective rank moves by at most about ``1e-5`` (measured: ``5e-6`` for the
    sigmoid Fig. 1 network, whose spectrum has ~180 such values), a numerical
    rank can change.  ``"lowrank"``: :func:`lowrank_singular_values`, certified
    to the numerical-rank tolerance and 8-30x faster than ``svdvals`` for the
    low-rank square Jacobians of one-input networks (Fig. 4).
    """
    check_choice("method", method, SV_METHODS)
    return _singular_values(_check_J(J), method)


def _singular_values(J: torch.Tensor, method: str) -> torch.Tensor:
    """:func:`jacobian_singular_values` of a checked ``J`` (finite float tensor) and ``method``."""
    if method == "svd":
        return torch.linalg.svdvals(J)
    if method == "lowrank":
        return lowrank_singular_values(J)
    Jd, c = _gram_scaled(J)  # scaled by max |J|: J J^T of entries 1e200 would overflow
    G = Jd @ Jd.mT if J.shape[-2] <= J.shape[-1] else Jd.mT @ Jd
    return (singular_values_from_gram(G) * c.squeeze(-1)).to(J.dtype)


def spanning_from_singular_values(s: torch.Tensor, shape, rank: str = "effective",
                                  tol: float | None = None) -> torch.Tensor:
    """Spanning dimension(s) from singular values ``s`` (``(..., q)``, descending) of ``(..., m, n)`` Jacobians.

    ``rank="effective"``: Roy-Vetterli effective rank; ``"numerical"``: values
    above ``tol`` (default ``max(m, n) * eps * s_max`` in ``s``'s dtype).
    """
    if rank == "effective":
        return batched_effective_rank(s)
    smax = s[..., :1]
    thr = torch.full_like(smax, float(tol)) if tol is not None else default_tolerance(smax, shape, s.dtype)
    return (s > thr).sum(-1).to(s.dtype)


__all__ += ["spanning_from_singular_values"]


def jacobian_spanning_dimension(J: torch.Tensor, *, rank: str = "effective", tol: float | None = None,
                                mean_axis: int | None = None, method: str = "svd") -> torch.Tensor:
    """Spanning dimension(s) of Jacobian(s) ``J`` of shape ``(..., n_points, n_params)``, batched.

    ``rank="effective"``: Roy-Vetterli effective rank of the singular values
    (§3.1.1).  ``rank="numerical"``: singular values above ``tol`` (default
    ``max(n_points, n_params) * eps * s_max``).  ``mean_axis``: average the
    result over that batch axis (``reduce="mean"``).  ``method``: see
    :func:`jacobian_singular_values`.  An all-zero Jacobian has spanning
    dimension ``0`` under both ranks (see :func:`spanning_dimension`).
    """
    check_choice("rank", rank, RANKS)
    check_choice("method", method, SV_METHODS)
    tol = _check_tol(tol)
    J = _check_J(J)
    if J.shape[-1] == 0 or J.shape[-2] == 0:
        raise ValueError(f"empty Jacobian of shape {tuple(J.shape)}")
    sd = spanning_from_singular_values(_singular_values(J, method), J.shape, rank, tol)
    if mean_axis is not None:
        sd = sd.mean(mean_axis)
    return sd


def spanning_dimension(
    net: nn.Module,
    X,
    *,
    reduce: str = "pick_first",
    rank: str = "effective",
    tol: float | None = None,
    chunk_size: int | None = None,
    device: DeviceLike = None,
    dtype: torch.dtype | None = None,
    method: str = "svd",
) -> float:
    """Spanning dimension of ``net`` at the points ``X`` (ESD paper §3.1-3.2).

    The (effective or numerical) rank of the Jacobian of the network's reduced
    output at the points ``X`` with respect to all parameters (see
    :func:`parameter_jacobian`).

    Parameters
    ----------
    net, X, chunk_size, device, dtype
        As in :func:`parameter_jacobian`.
    reduce
        ``"pick_first"``, ``"sum_squares"`` or ``"mean"`` (the average
        over outputs ``k`` of the spanning dimension of output ``k`` alone,
        §3.2 option 1; one ``jacrev`` per point and a batched SVD).  For a
        one-output network all three coincide except that ``sum_squares``
        differentiates ``f**2``.
    rank
        ``"effective"`` (Roy & Vetterli 2007, the paper's choice) or
        ``"numerical"`` (count of singular values above ``tol``, default
        ``max(m, n) * eps * s_max``).
    method
        ``"svd"`` (default) or ``"gram"``, see :func:`jacobian_singular_values`.

    Returns
    -------
    float
        The spanning dimension.  **All-zero Jacobian**: ``0.0``.  The outputs
        do not move with any parameter at these points (for example a
        ``sum_squares`` reduction where every output is exactly 0), so the
        reachable set is a single point of dimension 0; effective rank is
        defined as 0 there (:func:`workbench.effective_rank`).
    """
    check_choice("rank", rank, RANKS)
    reduce = check_reduction(reduce, REDUCTIONS)
    check_choice("method", method, SV_METHODS)
    tol = _check_tol(tol)
    modules, params, _ = check_net_parts(net)  # check_net, keeping its walk (issue 29)
    check_choice("dtype", dtype, (None, torch.float32, torch.float64))
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1):
        raise ValueError(f"chunk_size must be a positive int or None, got {chunk_size!r}")
    dev = check_device(device)
    X = _validate_points(net, X)
    closed = _takes_closed_form(net, reduce, chunk_size, params)
    screen = closed and (dtype or params[0].dtype) == torch.float64
    # the closed form computes every layer in float64 anyway: its outputs are screened, and only a network they
    # flag is re-run with hooks (issue 29: the re-run, a deepcopy and a forward pass, was a third of a Fig. 1 call)
    warned = None if screen else warn_layer_range(net, X, dtype=dtype, what="the spanning dimension")
    J, outs = _parameter_jacobian(net, X, reduce, chunk_size, dev, dtype, keep=screen, closed=closed, validated=True,
                                  params_list=params)
    if screen and outs is not None and net.activation in ("relu", "identity"):
        # h = max(z, 0) or h = z: every activation value is a pre-activation's or an exact 0 (never flagged, NaN
        # stays NaN), so the pre-activations and the output (outs = [z1, h1, z2, h2, ..., out]) screen the same
        # values at half the data (issue 29)
        outs = outs[0::2]
    if screen and (outs is None or structured.layer_range_suspects(outs, torch.float64)):
        warned = warn_layer_range(net, X, dtype=dtype, what="the spanning dimension")
    _check_finite_rows(J if J.dim() == 2 else J.transpose(-2, -3))
    if not warned:  # once: the layer that underflows is named above, the zero gradients follow from it
        _warn_zero_rows(net, J, modules)
    m, k = J.shape[0], J.shape[-1]  # the (batched) points x parameters matrices the SVD gets
    check_bytes((J.numel() + (J.numel() // (m * k)) * min(m, k) ** 2) * J.element_size(),
                f"the singular values of the {m:,} x {k:,} Jacobian (a copy and the SVD's workspace)",
                "pass fewer points, or use method='gram'", device=J.device)
    if reduce == "mean":  # J is ours and checked finite above: straight to the singular values
        Jm = J.transpose(0, 1)
        return float(spanning_from_singular_values(_singular_values(Jm, method), Jm.shape, rank, tol).mean(0))
    return float(spanning_from_singular_values(_singular_values(J, method), J.shape, rank, tol))


def per_point_gradient_loop(net: nn.Module, X, reduce: str = "pick_first") -> torch.Tensor:
    """The paper's method (§6): one ``torch.autograd.grad`` call per input point.

    A reference implementation kept for tests and benchmarks (it is what
    :func:`parameter_jacobian` replaces); only ``reduce`` in
    ``{"pick_first", "sum_squares"}``.  Returns ``(n_points, n_params)`` on the
    network's device.
    """
    reduce = check_reduction(reduce, ("pick_first", "sum_squares"))
    check_net(net)
    params = [p for p in net.parameters()]
    if not params:
        raise ValueError(f"{type(net).__name__} has no parameters")
    X = _validate_points(net, X)
    rows = [torch.cat([gi.reshape(-1) for gi in grads])
            for _, grads in per_point_gradients(net, X, _reduction(reduce), params, device=params[0].device,
                                                dtype=params[0].dtype)]
    return torch.stack(rows)


# -- batched over an ensemble (used by workbench.papers.esd.sampling) --------------

def ensemble_parameter_jacobian(
    base: nn.Module,
    params: dict,
    buffers: dict,
    X: torch.Tensor,
    reduce: str = "pick_first",
    *,
    chunk_size: int | None = None,
) -> torch.Tensor:
    """Jacobians of many networks of one architecture at their own points, in one call.

    ``params``/``buffers`` hold stacked tensors with a leading axis of ``S``
    members (as in :class:`workbench.Ensemble`); ``X`` is ``(S, n_points, n_in)``.
    Returns ``(S, n_points, n_params)`` (``reduce`` ``pick_first``/``sum_squares``) or
    ``(S, n_outputs, n_points, n_params)`` (``mean``/``none``).  Nested
    ``vmap`` over members and points; ``chunk_size`` chunks the members.
    """
    reduce = check_reduction(reduce, REDUCTIONS + ("none",))
    names = list(params)
    if reduce in ("pick_first", "sum_squares"):
        inner = per_sample_gradient_fn(base, _reduction(reduce))
        g = vmap(inner, in_dims=(0, 0, 0), chunk_size=chunk_size)(params, buffers, X)
        J = _flatten_grads(g, names, 2)
    else:
        inner = per_sample_gradient_fn(base, _reduction("none"), jacobian=True)
        g = vmap(inner, in_dims=(0, 0, 0), chunk_size=chunk_size)(params, buffers, X)
        J = _flatten_grads(g, names, 3).transpose(1, 2)
    return J


__all__ += ["ensemble_parameter_jacobian"]
