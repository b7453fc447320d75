"""Closed-form parameter Jacobians of plain MLPs and certified singular values from a known range basis.

Two shortcuts for the spanning dimension of :func:`workbench.mlp` networks
(ESD paper §3; issue 29), each exact to the tolerance of the routes they replace:

**The Jacobian without autograd** (:func:`mlp_jacobian`).  For a plain MLP
(``z_l = W_l h_{l-1} + b_l``, ``h_l = act(z_l)``, a linear output layer) the
gradient of ``g(x)`` with respect to ``W_l`` is the outer product
``delta_l h_{l-1}^T`` of the back-propagated signal and the layer's input, and
with respect to ``b_l`` it is ``delta_l``, where ``delta_L`` is ``dg/df`` (the
unit vector ``e_0`` for ``pick_first``, ``2 f`` for ``sum_squares``) and
``delta_l = (W_{l+1}^T delta_{l+1}) * act'(z_l)``.  One batched forward pass,
one backward pass and one broadcast product per layer write ``J`` directly,
for any number of networks of one shape at once (``(S, N, P)``): no
``vmap(grad)`` tracing, no per-parameter gradients to concatenate.  The
derivative formulas are autograd's own (``relu``: ``z > 0``; ``sigmoid``:
``h (1 - h)``; ``tanh``: ``1 - h^2`` ...), so ``J`` agrees with
:func:`workbench.parameter_jacobian`'s ``torch.func`` route to rounding.

**Singular values from a range basis** (:func:`basis_singular_values`).  A
one-input network's Jacobian rows are functions of the scalar ``x``.  For a
piecewise-linear activation every entry of row ``n`` is affine in ``x`` on the
interval of ``x_n``'s activation pattern, so the rows of one pattern span at
most two dimensions: with ``Q_m`` an orthonormal basis of ``[1, x]`` on the
points of pattern ``m``, ``J = Q (Q^T J)`` where ``Q = blockdiag(Q_m)`` has
orthonormal columns, and the singular values of ``J`` are those of the small
``B = Q^T J`` (``2M x P``, ``M`` patterns), computed in ``O(N P)``.  For a
smooth activation the rows are analytic in ``x`` and a Chebyshev basis of
degree ``D`` on the points' range takes ``Q``'s place.  Either way the residual
``E = J - Q B`` is formed and checked exactly as in
:func:`workbench.measures.spanning.dimension.lowrank_singular_values`:
``||E||_F <= max(N, P) eps s_max`` bounds every singular-value error by
Weyl's inequality; a member whose residual is larger is handed to the
randomized route (then to ``svdvals``), so the result never depends on the
basis being right, only the speed does.
"""
from __future__ import annotations

import math
from contextlib import contextmanager

import torch
from torch import nn

from workbench.measures.spanning.rank import default_tolerance
from workbench.nets.multilayer import ACTIVATIONS, MLP, Square

__all__ = [
    "CLOSED_FORM_ACTIVATIONS",
    "closed_form_enabled",
    "supports_closed_form",
    "mlp_weights",
    "mlp_jacobian",
    "region_basis",
    "chebyshev_basis",
    "basis_singular_values",
]

CLOSED_FORM_ACTIVATIONS = ("relu", "leaky_relu", "hardtanh", "identity", "tanh", "sigmoid", "square")
"""Activations of :func:`workbench.mlp` with a closed-form derivative here."""

PIECEWISE_LINEAR_ACTS = ("relu", "leaky_relu", "hardtanh", "identity")
"""Activations whose Jacobian rows are affine in ``x`` on each activation pattern's interval."""


_ENABLED = [True]


@contextmanager
def closed_form_enabled(enabled: bool):
    """``with closed_form_enabled(False):`` sends every plain MLP through the ``torch.func`` routes again.

    For benchmarks and tests that compare the routes in one process.
    """
    old = _ENABLED[0]
    _ENABLED[0] = bool(enabled)
    try:
        yield
    finally:
        _ENABLED[0] = old


def supports_closed_form(net, params: list[torch.Tensor] | None = None) -> bool:
    """Whether ``net`` is a plain :class:`workbench.nets.multilayer.MLP` that :func:`mlp_jacobian` computes.

    Plain: no shortcuts, one of :data:`CLOSED_FORM_ACTIVATIONS` with its stock
    module, ``nn.Linear`` layers, no hooks, floating-point parameters.
    Anything else (a subclass, shortcuts, softplus, a hook) goes through ``torch.func``.
    ``params``: ``list(net.parameters())`` when the caller has walked the module tree already.
    """
    if not _ENABLED[0] or type(net) is not MLP or net.shortcuts is not None:
        return False
    if net.activation not in CLOSED_FORM_ACTIVATIONS:
        return False
    if type(net.act) is not ACTIVATIONS[net.activation] or len(net.layers) < 1:
        return False
    mods = [net, net.act, net.layers, *net.layers]
    if any(type(m) is not nn.Linear for m in net.layers):
        return False
    if any(m._forward_hooks or m._forward_pre_hooks or m._backward_hooks for m in mods):
        return False
    if nn.modules.module._global_forward_hooks or nn.modules.module._global_forward_pre_hooks:
        return False
    return all(p.is_floating_point() for p in (net.parameters() if params is None else params))


def mlp_weights(nets: list[MLP], *, dtype: torch.dtype,
                device) -> tuple[list[torch.Tensor], list[torch.Tensor | None]]:
    """Weights ``(S, out, in)`` and biases ``(S, out)`` (``None`` without bias) of ``S`` MLPs of one shape."""
    Ws, bs = [], []
    for l in range(len(nets[0].layers)):
        Ws.append(torch.stack([n.layers[l].weight.detach() for n in nets]).to(device, dtype))
        b = nets[0].layers[l].bias
        bs.append(None if b is None else torch.stack([n.layers[l].bias.detach() for n in nets]).to(device, dtype))
    return Ws, bs


def _act(name: str, module: nn.Module, z: torch.Tensor) -> torch.Tensor:
    return module(z) if not isinstance(module, Square) else z * z


def _act_derivative(name: str, module: nn.Module, z: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
    """``act'(z)`` as autograd's backward formulas compute it."""
    if name == "relu":
        return (h > 0).to(z.dtype)
    if name == "leaky_relu":
        return torch.where(z > 0, torch.ones_like(z), torch.full_like(z, module.negative_slope))
    if name == "hardtanh":
        return ((z > module.min_val) & (z < module.max_val)).to(z.dtype)
    if name == "identity":
        return torch.ones_like(z)
    if name == "tanh":
        return 1 - h * h
    if name == "sigmoid":
        return (1 - h) * h
    if name == "square":
        return z + z
    raise ValueError(f"no closed-form derivative for activation {name!r}")


def mlp_jacobian(net: MLP, Ws: list[torch.Tensor], bs: list[torch.Tensor | None], X: torch.Tensor,
                 reduce: str = "pick_first", *, keep: bool = False, buffer: torch.Tensor | None = None):
    """``J[s, n, :] = d g_s(x_{s,n}) / d theta_s`` for ``S`` MLPs of ``net``'s shape at their points ``X``.

    ``Ws[l]``: ``(S, out, in)``, ``bs[l]``: ``(S, out)`` or ``None`` (see
    :func:`mlp_weights`); ``X``: ``(S, N, n_in)``; ``reduce``: ``"pick_first"``
    or ``"sum_squares"``.  Columns in ``named_parameters`` order (each layer's
    weight row-major, then its bias), as :func:`workbench.parameter_jacobian`.
    ``keep=True`` also returns the list of every layer output (pre-activations,
    activations, the network output) for range checks and activation patterns.
    ``buffer``: a contiguous 1-D tensor of ``X``'s dtype and device with at least
    ``S * N * P`` entries; ``J`` is then a view of its start (every entry is
    written).  Writing into memory already touched is several times faster than
    into a fresh allocation of this size, whose pages the kernel maps on first
    write (issue 29: about 190 against 30 ms for 5 x 1,761 x 1,761 float64).
    """
    name, act = net.activation, net.act
    S, N = X.shape[0], X.shape[1]
    L = len(Ws)
    hs, zs, outs = [X], [], []
    h = X
    for l in range(L):
        z = h @ Ws[l].mT
        if bs[l] is not None:
            z = z + bs[l].unsqueeze(1)
        if l == L - 1:
            out = z
            break
        zs.append(z)
        h = _act(name, act, z)
        hs.append(h)
    if keep:
        for z, h in zip(zs, hs[1:]):
            outs += [z, h]
        outs.append(out)
    if reduce == "pick_first":
        delta = torch.zeros_like(out)
        delta[..., 0] = 1
    elif reduce == "sum_squares":
        delta = out + out
    else:
        raise ValueError(f"the closed-form Jacobian takes reduce 'pick_first' or 'sum_squares', got {reduce!r}")
    sizes = [W.shape[1] * W.shape[2] + (0 if b is None else b.shape[1]) for W, b in zip(Ws, bs)]
    shape = (S, N, sum(sizes))
    if buffer is None:
        J = torch.empty(shape, dtype=X.dtype, device=X.device)
    else:
        if (buffer.dim() != 1 or not buffer.is_contiguous() or buffer.dtype != X.dtype or buffer.device != X.device
                or buffer.numel() < math.prod(shape)):
            raise ValueError(f"buffer must be a contiguous 1-D {X.dtype} tensor on {X.device} with at least "
                             f"{math.prod(shape):,} entries, got {tuple(buffer.shape)} {buffer.dtype} on "
                             f"{buffer.device}")
        J = buffer[:math.prod(shape)].view(shape)
    off = sum(sizes)
    for l in range(L - 1, -1, -1):
        o, i = Ws[l].shape[1], Ws[l].shape[2]
        off -= sizes[l]
        blk = J[..., off:off + o * i].unflatten(-1, (o, i))
        torch.mul(delta.unsqueeze(-1), hs[l].unsqueeze(-2), out=blk)
        if bs[l] is not None:
            J[..., off + o * i:off + sizes[l]] = delta
        if l:
            delta = (delta @ Ws[l]) * _act_derivative(name, act, zs[l - 1], hs[l])
    return (J, outs) if keep else J


def region_basis(patterns: torch.Tensor, x: torch.Tensor):
    """Orthonormal bases of ``[1, x]`` on each activation pattern's points, as ``(region, q0, q1, n_regions)``.

    ``patterns``: ``(S, N, W)`` (booleans or derivative values); ``x``: ``(S, N)``.
    ``region[s, n]`` numbers member ``s``'s maximal runs of one pattern along
    the sorted ``x`` (``0..n_regions[s]-1``, offset by ``s * max(n_regions)``);
    ``q0[s, n] = 1/sqrt(|I_m|)`` and ``q1[s, n] = (x_n - mean_m) / ||x - mean_m||``
    on the points ``I_m`` of ``n``'s run ``m`` (``0`` where the run holds one
    point or one value).  ``Q_m = [q0, q1]`` restricted to ``I_m``.
    """
    S, N = x.shape
    # along the sorted points a pattern holds on runs; each maximal run is one region (in one input dimension a
    # pattern's points form one interval, and if two runs shared a pattern, two bases would only cost two rows)
    order = x.argsort(-1)
    ps = torch.take_along_dim(patterns.reshape(S, N, -1), order.unsqueeze(-1), 1)
    change = (ps[:, 1:] != ps[:, :-1]).any(-1)
    run = torch.cat([change.new_zeros((S, 1), dtype=torch.int64), change.to(torch.int64).cumsum(-1)], 1)
    region = torch.empty_like(run).scatter_(1, order, run)
    counts = (run[:, -1] + 1).tolist()
    M = max(counts)
    flat = region + M * torch.arange(S, device=x.device).unsqueeze(1)  # (S, N) in 0..S*M-1
    fl = flat.reshape(-1)
    xs = x.reshape(-1)
    cnt = torch.zeros(S * M, dtype=x.dtype, device=x.device).index_add_(0, fl, torch.ones_like(xs))
    mean = torch.zeros_like(cnt).index_add_(0, fl, xs) / cnt.clamp_min(1)
    dx = xs - mean[fl]
    nrm = torch.zeros_like(cnt).index_add_(0, fl, dx * dx).sqrt()
    q0 = cnt.clamp_min(1).rsqrt()[fl]
    scale = nrm[fl]
    # a spread below rounding of the mean is no second direction: drop it (the residual check covers the rest)
    tiny = scale <= 64 * torch.finfo(x.dtype).eps * (xs.abs() + mean[fl].abs() + 1e-300) * cnt[fl].sqrt()
    q1 = torch.where(tiny, torch.zeros_like(dx), dx / torch.where(tiny, torch.ones_like(scale), scale))
    return flat, q0.reshape(S, N), q1.reshape(S, N), torch.tensor(counts)


def chebyshev_basis(x: torch.Tensor, degree: int) -> torch.Tensor:
    """Orthonormal basis ``(S, N, degree+1)`` of the polynomials of degree ``<= degree`` at points ``x`` ``(S, N)``.

    Chebyshev polynomials on each member's ``[min x, max x]`` (well conditioned),
    orthonormalised by a batched QR.
    """
    lo, hi = x.amin(-1, keepdim=True), x.amax(-1, keepdim=True)
    t = (2 * x - (lo + hi)) / torch.where(hi > lo, hi - lo, torch.ones_like(hi))
    T = [torch.ones_like(t), t]
    for _ in range(2, degree + 1):
        T.append(2 * t * T[-1] - T[-2])
    V = torch.stack(T[:degree + 1], -1)
    return torch.linalg.qr(V).Q


def _svdvals(B: torch.Tensor) -> torch.Tensor:
    """Singular values of a wide ``B`` (``(..., k, P)``, ``k < P``) through its tall transpose (measured 4x faster)."""
    return torch.linalg.svdvals(B.mT if B.shape[-2] < B.shape[-1] else B)


def _residual_norm(J: torch.Tensor, Q: torch.Tensor, B: torch.Tensor, block: int = 128) -> torch.Tensor:
    """``||J - Q B||_F`` per member, member by member and column block by column block.

    Each block of ``J - Q B`` is written by one ``addmm`` into one reused
    ``(N, block)`` buffer (in cache for its norm; a fresh ``(S, N, 256)`` block
    per step cost its page faults and a pass through memory: 1.6x slower at
    ``N = P = 1761``, issue 29).
    """
    S, N, P = J.shape
    block = min(block, P)
    err2 = J.new_zeros(S)
    buf = J.new_empty((N, block))
    for m in range(S):
        acc = J.new_zeros(())
        for c in range(0, P, block):
            w = min(block, P - c)
            E = buf[:, :w]
            torch.addmm(J[m, :, c:c + w], Q[m], B[m, :, c:c + w], alpha=-1, out=E)
            acc += torch.linalg.vector_norm(E).square()
        err2[m] = acc
    return err2.sqrt()


def _certified(J: torch.Tensor, B: torch.Tensor, err: torch.Tensor):
    """Singular values of ``B`` (zero-padded to ``min(N, P)``) and whether ``err <= max(N, P) eps s_max``."""
    s = _svdvals(B)
    ok = err <= default_tolerance(s[..., 0], J.shape, J.dtype)
    q = min(J.shape[-2], J.shape[-1])
    out = s.new_zeros(B.shape[:-2] + (q,))
    k = min(q, s.shape[-1])
    out[..., :k] = s[..., :k]
    return out, ok


def basis_singular_values(J: torch.Tensor, x: torch.Tensor, *, patterns: torch.Tensor | None = None,
                          degrees: tuple[int, ...] = (32, 64)):
    """Certified singular values of one-input Jacobians ``J`` (``(S, N, P)``) from a range basis; ``(s, ok)``.

    ``x``: the points ``(S, N)``.  With ``patterns`` (``(S, N, W)`` activation
    patterns of a piecewise-linear network): the per-pattern ``[1, x]`` basis;
    otherwise Chebyshev bases of the ``degrees`` in turn (members that fail one
    try the next).  ``ok[s]`` says whether member ``s`` passed the residual
    check; ``s[s]`` of a member that did not is not to be used (the caller
    takes another route for it).  See the module docstring.
    """
    S, N, P = J.shape
    q = min(N, P)
    s_out = J.new_zeros((S, q))
    ok_out = torch.zeros(S, dtype=torch.bool, device=J.device)
    if patterns is not None:
        flat, q0, q1, counts = region_basis(patterns, x)
        if 2 * int(counts.max()) >= q:
            return s_out, ok_out
        M = int(counts.max())
        Jf = J.reshape(S * N, P)
        fl = flat.reshape(-1)
        B = J.new_zeros((S * M * 2, P))
        B[0::2].index_add_(0, fl, Jf * q0.reshape(-1, 1))
        B[1::2].index_add_(0, fl, Jf * q1.reshape(-1, 1))
        Bv = B.view(S * M, 2, P)
        E = Jf - q0.reshape(-1, 1) * Bv[fl, 0] - q1.reshape(-1, 1) * Bv[fl, 1]
        return _certified(J, B.view(S, 2 * M, P), torch.linalg.matrix_norm(E.view(S, N, P)))
    todo = torch.arange(S, device=J.device)
    for d in degrees:
        if d + 1 >= q / 2 or todo.numel() == 0:
            break
        Jt, xt = (J, x) if todo.numel() == S else (J[todo], x[todo])
        Q = chebyshev_basis(xt, d)
        B = Q.mT @ Jt
        s, ok = _certified(Jt, B, _residual_norm(Jt, Q, B))
        s_out[todo[ok]] = s[ok]
        ok_out[todo[ok]] = True
        todo = todo[~ok]
    return s_out, ok_out


def _forward_backward(net: MLP, Ws, bs, X, reduce: str = "pick_first"):
    """Layer inputs ``us[l]`` (``us[0] = X``), signals ``ds[l] = dg/dz_l``, the derivatives and every layer output."""
    name, act = net.activation, net.act
    L = len(Ws)
    us, zs, outs = [X], [], []
    for l in range(L):
        z = us[-1] @ Ws[l].mT
        if bs[l] is not None:
            z = z + bs[l].unsqueeze(1)
        if l == L - 1:
            out = z
            break
        zs.append(z)
        h = _act(name, act, z)
        us.append(h)
        outs += [z, h]
    outs.append(out)
    if reduce == "pick_first":
        delta = torch.zeros_like(out)
        delta[..., 0] = 1
    else:
        delta = out + out
    ds, derivs = [None] * L, [None] * (L - 1)
    ds[L - 1] = delta
    for l in range(L - 1, 0, -1):
        derivs[l - 1] = _act_derivative(name, act, zs[l - 1], us[l])
        ds[l - 1] = (ds[l] @ Ws[l]) * derivs[l - 1]
    return us, ds, derivs, outs


def piecewise_linear_singular_values(net: MLP, Ws, bs, X: torch.Tensor):
    """Certified singular values of one-input piecewise-linear MLPs' ``pick_first`` Jacobians, without forming ``J``.

    ``(s, ok, outs)``: singular values ``(S, min(N, P))``, whether each member
    passed the residual check, and every layer output (for range checks).  On
    the interval of one activation pattern ``m`` every signal ``delta_l`` is
    the same vector ``delta_{l,m}`` (bit for bit: it is computed from the same
    weights and the same derivative values), and the layer inputs ``u_{l}``
    are affine in ``x``.  So ``B = Q^T J`` (see the module docstring) has the
    rows ``delta_{l,m} (x) (Q_m^T u_l)`` and ``delta_{l,m} (Q_m^T 1)`` per
    layer, and the residual ``J - Q B`` has, row by row, the Frobenius norm
    ``sum_l ||delta_l[n]||^2 (||r_l[n]||^2 + r_1[n]^2)`` with ``r`` the
    residuals of ``u_l`` and of the constant ``1`` in ``Q_m``: all in
    ``O(N x widths)`` plus the small SVD of ``B`` (``2M x P``).  The
    constancy of ``delta`` on each pattern is not assumed: where the computed
    rows differ by rounding (a batched matmul rounds equal rows by their place
    in memory), the difference enters the residual bound, which stays a
    certificate.
    """
    S, N = X.shape[0], X.shape[1]
    us, ds, derivs, outs = _forward_backward(net, Ws, bs, X, "pick_first")
    P = sum(W.shape[1] * W.shape[2] + (0 if b is None else b.shape[1]) for W, b in zip(Ws, bs))
    q = min(N, P)
    x = X[..., 0]
    fail = (X.new_zeros((S, q)), torch.zeros(S, dtype=torch.bool, device=X.device), outs)
    pattern = torch.cat(derivs, -1) if derivs else X.new_zeros((S, N, 1))
    flat, q0, q1, counts = region_basis(pattern, x)
    M = int(counts.max())
    if 2 * M >= q:
        return fail
    fl = flat.reshape(-1)
    rep = torch.zeros(S * M, dtype=torch.int64, device=X.device).scatter_(0, fl, torch.arange(S * N, device=X.device))
    q0f, q1f = q0.reshape(-1, 1), q1.reshape(-1, 1)

    def project(u):  # (S, N, w) -> coefficients (S*M, 2, w) in the region bases and the row residuals (S*N,)
        uf = u.reshape(S * N, -1)
        c = u.new_zeros((S * M, 2, uf.shape[1]))
        c[:, 0].index_add_(0, fl, uf * q0f)
        c[:, 1].index_add_(0, fl, uf * q1f)
        r = uf - q0f * c[fl, 0] - q1f * c[fl, 1]
        return c, (r * r).sum(-1)

    ones = X.new_ones((S, N, 1))
    c1, r1 = project(ones)
    B = X.new_zeros((S, M, 2, P))
    err2 = X.new_zeros(S * N)
    off = 0
    r1n = r1.sqrt()
    for l in range(len(Ws)):
        d = ds[l].reshape(S * N, -1)
        dm = d[rep]  # (S*M, o): the signal of each pattern, read at one point of it
        dmf = dm[fl]
        # On a pattern the signal is one vector in exact arithmetic, but a batched matmul may round equal rows
        # differently by their place in memory (the last bits of some rows differ at widths of about 10 and
        # more).  B uses the pattern's signal dm; the row n's block of J - Q B is then
        # (d_n - dm) (x) u_n + dm (x) r_n, so ||block|| <= ||d_n - dm|| ||u_n|| + ||dm|| ||r_n|| is added to the
        # residual bound (the first term is 0 where the rows agree bit for bit), which stays a certificate.
        e = torch.linalg.vector_norm(d - dmf, dim=-1)
        dmn = torch.linalg.vector_norm(dmf, dim=-1)
        o, i = Ws[l].shape[1], Ws[l].shape[2]
        cu, ru = project(us[l])
        dm = dm.view(S, M, 1, o)
        B[..., off:off + o * i].view(S, M, 2, o, i).copy_(dm.unsqueeze(-1) * cu.view(S, M, 2, 1, i))
        off += o * i
        err2 += (e * torch.linalg.vector_norm(us[l].reshape(S * N, -1), dim=-1) + dmn * ru.sqrt()).square()
        if bs[l] is not None:
            B[..., off:off + o].copy_(dm * c1.view(S, M, 2, 1))
            off += o
            err2 += (e + dmn * r1n).square()
    B = B.view(S, 2 * M, P)
    finite = torch.isfinite(B).all(-1).all(-1) & torch.isfinite(err2.view(S, N)).all(-1)
    if not bool(finite.all()):  # a NaN / inf signal or input: not certified here (the caller names the point)
        B = torch.where(finite.view(S, 1, 1), B, torch.zeros_like(B))
    s = _svdvals(B)
    err = err2.view(S, N).sum(-1).sqrt()
    ok = (err <= default_tolerance(s[..., 0], (N, P), X.dtype)) & finite
    out = s.new_zeros((S, q))
    out[..., :2 * M] = s
    return out, ok, outs


__all__ += ["piecewise_linear_singular_values"]


SMOOTH_ACTS = ("tanh", "sigmoid", "square")
"""Activations whose one-input Jacobian rows are analytic in ``x`` (a Chebyshev basis captures them)."""

ROUTES = ("regions", "chebyshev", "jacobian")
"""What :func:`closed_form_route` picks: the J-free pattern route, the Chebyshev-basis route, or the closed-form
Jacobian followed by the requested singular-value method."""


def closed_form_route(net, n_in: int, reduce: str, method: str) -> str | None:
    """The closed-form route for ``net`` (see :data:`ROUTES`), or ``None`` where only ``torch.func`` applies.

    ``"regions"``: a one-input piecewise-linear MLP, ``reduce="pick_first"``,
    ``method="lowrank"`` (:func:`piecewise_linear_singular_values`).
    ``"chebyshev"``: a one-input tanh / sigmoid / square MLP with
    ``method="lowrank"`` (:func:`basis_singular_values`).  ``"jacobian"``: any
    other plain MLP with ``reduce`` ``pick_first`` / ``sum_squares``
    (:func:`mlp_jacobian`, then ``method``).  Both basis routes are certified to
    the same residual bound as ``method="lowrank"``; members that fail it go
    through :func:`workbench.measures.spanning.dimension.lowrank_singular_values`.
    """
    if reduce not in ("pick_first", "sum_squares") or not supports_closed_form(net):
        return None
    if method == "lowrank" and n_in == 1:
        if net.activation in PIECEWISE_LINEAR_ACTS and reduce == "pick_first":
            return "regions"
        if net.activation in SMOOTH_ACTS:
            return "chebyshev"
    return "jacobian"


def layer_range_suspects(outs: list[torch.Tensor], dtype: torch.dtype, max_points: int = 256) -> list[int]:
    """Members whose layer outputs (first ``max_points`` points) come near the edges of ``dtype``'s range.

    A cheap screen in front of :func:`workbench.validation.warn_layer_range`
    (which re-runs one network in float64 with hooks): it flags any value that
    is not finite, above ``max / 2**10`` or nonzero below ``tiny * 2**10``, a
    superset of what that check reports for float64 outputs.
    """
    fi = torch.finfo(dtype)
    if not outs:
        return []
    a = torch.cat([v[:, :max_points].flatten(1) for v in outs], 1).abs()
    # NaN fails every comparison, so the max (NaN) flags it.  0 < |v| < small as two comparisons: the one-
    # comparison form |(|v| - h)| < h (h = small / 2) rounded the smallest subnormals to h and missed them.
    flagged = ~(a.amax(1) <= fi.max / 1024) | ((a < fi.tiny * 1024) & (a > 0)).any(1)
    return flagged.nonzero().flatten().tolist() if bool(flagged.any()) else []


__all__ += ["ROUTES", "closed_form_route", "layer_range_suspects"]
