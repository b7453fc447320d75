"""The extended data Jacobian matrix (EDJM) of Wang et al. (2016).

For every input ``x_i`` the data Jacobian matrix ``DJM(x_i) = d y_i / d x_i``
(eq. 8-10, ``d_out x d_in``) is computed by ``torch.func`` (``vmap`` over the
inputs of ``jacrev``, or ``jacfwd`` when there are more outputs than input
dimensions), chunk by chunk so that memory stays bounded, never a Python loop
over inputs.  Stacking row ``j`` of every DJM gives the ``j``-th EDJM
(``n x d_in``, §3); :class:`EDJM` holds the ``d_out`` EDJMs, their singular
values, the normalised spectra and the score of eq. 12.

**Exact or not.**  For a network made of linear maps (``Linear``,
``Conv1d/2d``, SVD layers), ReLU / LeakyReLU, max / average pooling, flatten
and (eval-mode) dropout, the DJM *is* the exact local linear map ``W_R`` of the
region containing ``x_i`` (eq. 10; the autograd derivative of the active piece).
Such a network is positively homogeneous in ``(x, t)`` when every bias is
scaled by ``t``, so the region's offset is ``b_i = d f(x_i; t b) / dt`` at
``t = 1`` (taken in the same batched Jacobian call as the DJM) and Euler's identity
``net(x_i) = DJM(x_i) x_i + b_i`` (eq. 11 with the bias term) holds exactly.
:func:`edjm` checks this identity on every input and reports the largest
residual; ``exact=True`` refuses any network where it cannot be established.
Smooth activations (tanh, sigmoid, softplus, ...) and ``output="softmax"`` give
the Jacobian, a linearisation, not an exact map: the result says so in
:attr:`EDJM.note`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.func import functional_call, jacfwd, jacrev, vmap

from workbench._runtime import DeviceLike
from workbench.limits import check_bytes
from workbench.nets.multilayer import PIECEWISE_LINEAR
from workbench.nets.piecewise import MODULE_KINDS, PIECES, hooked_activation_pattern, module_kind, pieces_of
from workbench.nets.svd_layers import SVDLinear
from workbench.validation import as_tensor, check_device, check_net, check_real, describe, warn_layer_range

__all__ = [
    "EDJM", "edjm", "edjm_score", "max_score", "exact_route_problem", "DJMCount", "distinct_djms", "OUTPUTS",
]

OUTPUTS = ("logits", "softmax")

_EXACT_KINDS = ("affine", "linear", "max_pool", "container")
"""Kinds of the core's table (:data:`workbench.nets.piecewise.MODULE_KINDS`) the exact route takes as they are;
a ``"piecewise_linear"`` activation qualifies when it is positively homogeneous (its pieces are linear)."""


def exact_route_problem(net: nn.Module) -> str | None:
    """Why the exact route (eq. 10-11) cannot handle ``net``, or ``None`` when it can.

    The exact route needs every leaf module to be a linear map or a positively
    homogeneous piecewise-linear piece (ReLU, LeakyReLU, max / average pooling,
    flatten, eval-mode dropout).  ``workbench.mlp`` networks qualify with relu,
    leaky_relu or identity activations.  The answer names the first module that
    does not qualify and why.  What each module is comes from the piecewise-linear
    core's table of module kinds (:data:`workbench.nets.piecewise.MODULE_KINDS`)
    and of activation pieces (:data:`workbench.nets.piecewise.PIECES`).
    """
    from workbench.nets.multilayer import MLP

    _check_net(net)
    for name, m in net.named_modules():
        name = name or type(m).__name__
        if isinstance(m, MLP):
            if not (m.activation in PIECEWISE_LINEAR and PIECES[m.activation]().linear):
                kind = "not homogeneous" if m.activation in PIECEWISE_LINEAR else "smooth"
                return (f"module {name!r} is an MLP with activation {m.activation!r} ({kind}); "
                        "the exact local linear map needs relu, leaky_relu or identity")
            continue
        kind = module_kind(m)
        if kind in _EXACT_KINDS:
            continue
        if kind in ("smooth", "not_elementwise"):
            return (f"module {name!r} ({type(m).__name__}) is a smooth activation: its DJM is the Jacobian, "
                    "a linearisation, not an exact local linear map")
        if kind == "piecewise_linear":
            if pieces_of(m, name).linear:
                continue
            return (f"module {name!r} ({type(m).__name__}) is piecewise linear but not positively homogeneous "
                    "(its breakpoints are not at 0), so eq. 11's offset cannot be checked; use "
                    "workbench.local_affine for it, or exact=False")
        if kind == "batch_norm":
            return (f"module {name!r} ({type(m).__name__}) is not supported by the exact route "
                    "(fold it into the preceding layer first), use exact=False")
        if not list(m.children()):
            return (f"module {name!r} ({type(m).__name__}) is not a layer the exact route knows "
                    "(linear/conv layers, ReLU, LeakyReLU, max/avg pooling, flatten, dropout)")
    return None


def max_score(k: int, keep: float = 0.10) -> int:
    """The largest score of eq. 12 for ``k`` singular values: how many can lie strictly above the percentile.

    With ``k`` distinct values, those of rank ``> (1 - keep)(k - 1)`` (0-based,
    ascending) are strictly above numpy's linearly interpolated percentile: 7 of
    64 (the digits), 79 of 784 (MNIST), 308 of 3,072 (CIFAR-10).
    """
    keep = _check_keep(keep)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive int, got {k!r}")
    s = np.arange(int(k), dtype=float)
    return int((s > np.quantile(s, 1.0 - keep)).sum())


def _check_keep(keep) -> float:
    if isinstance(keep, bool) or not isinstance(keep, (int, float)) or not math.isfinite(keep) or not 0 < keep <= 1:
        raise ValueError(f"keep must be a fraction in (0, 1] (0.10 keeps the top 10%), got {keep!r}")
    return float(keep)


def edjm_score(singular_values, keep: float = 0.10):
    """The EDJM score of Wang et al. (2016), eq. 12.

    ``score(S) = sum_{sigma in S, sigma > eps} sigma / max(S)`` with ``eps`` the
    ``100 (1 - keep)``-th percentile of ``S`` (numpy's default linear
    interpolation; the paper's ``keep = 0.10`` is the 90th percentile).  Values
    strictly above ``eps`` count.

    Parameters
    ----------
    singular_values
        Array-like ``(..., k)``: one spectrum per row (any order).
    keep
        Fraction in ``(0, 1]``.

    Returns
    -------
    float for a 1-D input, else an ``ndarray`` of shape ``(...)``.
    """
    keep = _check_keep(keep)
    if isinstance(singular_values, torch.Tensor):
        singular_values = as_tensor(singular_values, "singular_values").detach().cpu().double().numpy()
    if singular_values is None or isinstance(singular_values, (str, bytes, dict, set)):
        raise TypeError(f"singular_values must be an array of numbers, got {describe(singular_values)}")
    try:
        s = np.asarray(singular_values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"singular_values must be an array of numbers, got {describe(singular_values)}: "
                        f"{exc}") from None
    if s.ndim == 0 or s.shape[-1] == 0:
        raise ValueError(f"singular_values must hold at least one value per spectrum, got shape {s.shape}")
    if not np.isfinite(s).all():
        raise ValueError("singular_values contain NaN or inf")
    if (s < 0).any():
        raise ValueError(f"singular_values must be >= 0, got a minimum of {s.min():g}")
    smax = s.max(-1, keepdims=True)
    if (smax == 0).any():
        raise ValueError("a spectrum is all zeros (the network is constant on these inputs): its score is undefined")
    eps = np.quantile(s, 1.0 - keep, axis=-1, keepdims=True)
    score = np.where(s > eps, s / smax, 0.0).sum(-1)
    return float(score) if score.ndim == 0 else score


@dataclass(frozen=True)
class EDJM:
    """The ``d_out`` extended data Jacobian matrices of a network on a data set (Wang et al. 2016, §3).

    Attributes
    ----------
    singular_values : Tensor ``(d_out, min(n, d_in))``, descending per output.
    matrices : Tensor ``(d_out, n, d_in)`` or ``None`` (``store="gram"``): EDJM ``j`` is ``matrices[j]``.
    bias : Tensor ``(n, d_out)`` or ``None``: the offsets ``b_i`` of eq. 11 (exact route only).
    exact : whether the matrices are exact local linear maps (eq. 10-11), checked.
    residual : ``max_i |net(x_i) - (DJM_i x_i + b_i)| / (1 + |net(x_i)|)`` (exact route), else ``None``.
    output : ``"logits"`` or ``"softmax"``.
    note : one sentence saying what the matrices are.
    n, d_in, d_out : sizes.
    """

    singular_values: torch.Tensor
    matrices: torch.Tensor | None
    bias: torch.Tensor | None
    exact: bool
    residual: float | None
    output: str
    note: str
    n: int
    d_in: int
    d_out: int

    @property
    def normalized(self) -> torch.Tensor:
        """Singular values divided by each output's largest, ``(d_out, k)`` (curves start at 1.0)."""
        s = self.singular_values
        return s / s[:, :1].clamp_min(torch.finfo(s.dtype).tiny)

    @property
    def mean_normalized(self) -> torch.Tensor:
        """The normalised spectrum averaged over the outputs, ``(k,)``: the curves of the paper's figures."""
        return self.normalized.mean(0)

    def scores(self, keep: float = 0.10) -> np.ndarray:
        """Eq. 12 per output, ``(d_out,)``."""
        return np.atleast_1d(edjm_score(self.singular_values, keep))

    @property
    def score(self) -> float:
        """The mean over outputs of eq. 12 with ``keep = 0.10``: the number the paper reports."""
        return float(self.scores().mean())

    @property
    def max_score(self) -> int:
        """The largest possible score: the number of values strictly above the 90th percentile when all differ."""
        return max_score(int(self.singular_values.shape[1]))

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per (output, component) with ``sigma``, ``normalized`` and the output's score."""
        s = self.singular_values.detach().cpu().double().numpy()
        d_out, k = s.shape
        sc = self.scores()
        return pd.DataFrame({
            "output": np.repeat(np.arange(d_out), k),
            "component": np.tile(np.arange(1, k + 1), d_out),
            "sigma": s.ravel(),
            "normalized": (s / np.maximum(s[:, :1], np.finfo(float).tiny)).ravel(),
            "score": np.repeat(sc, k),
            "exact": self.exact,
            "output_kind": self.output,
        })

    def __repr__(self) -> str:
        return (f"EDJM({self.d_out} matrices of {self.n} x {self.d_in}, output={self.output!r}, "
                f"exact={self.exact}, score={self.score:.3f})")


# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------
def _check_net(net) -> None:
    check_net(net)  # a Module; finite, real, float32/64, not on meta; no NaN activation constants
    if isinstance(net, nn.Sequential) and len(net) == 0:
        raise ValueError("net is an empty nn.Sequential: a network with no layers has no output to differentiate")


def _expected_input(net: nn.Module) -> str | None:
    for m in net.modules():
        if isinstance(m, nn.Linear):
            return f"its first Linear layer takes {m.in_features} features"
        if isinstance(m, SVDLinear):
            return f"its first SVD layer takes {m.in_features} features"
        if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
            return f"its first convolution takes {m.in_channels} channels"
    return None


def _check_X(net: nn.Module, X, dtype, dev) -> torch.Tensor:
    X = as_tensor(X, "X", dtype=None if isinstance(X, torch.Tensor) else dtype)
    if X.dim() < 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (n, *input_shape) with n >= 1, got {tuple(X.shape)}")
    if not torch.isfinite(X).all():
        bad = int((~torch.isfinite(X)).reshape(len(X), -1).any(1).sum())
        raise ValueError(f"X contains NaN or inf ({bad} of {len(X)} inputs)")
    from workbench.nets.multilayer import MLP

    if isinstance(net, MLP) and (X.dim() != 2 or X.shape[1] != net.widths[0]):
        raise ValueError(f"X has shape {tuple(X.shape)} but the network takes inputs of width {net.widths[0]} "
                         f"(widths {net.widths}); pass X of shape (n, {net.widths[0]})")
    X = X.detach().to(dev, dtype)
    try:
        with torch.no_grad():
            out = net(X[:1])
    except RuntimeError as exc:
        hint = _expected_input(net)
        raise ValueError(f"X has input shape {tuple(X.shape[1:])}, which does not match the network"
                         f"{' (' + hint + ')' if hint else ''}: {exc}") from None
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"the network must return a tensor, got {type(out).__name__}")
    if out.numel() == 0 or out.dim() == 0 or out.shape[0] != 1:
        raise ValueError(f"the network has no output to differentiate: one input gives an output of shape "
                         f"{tuple(out.shape)}")
    return X


def _param_dtype(net: nn.Module) -> torch.dtype:
    for p in net.parameters():
        if p.is_floating_point():
            return p.dtype
    return torch.get_default_dtype()


def _bias_names(net: nn.Module) -> list[str]:
    names = []
    for mname, m in net.named_modules():
        if isinstance(m, MODULE_KINDS["affine"]) and getattr(m, "bias", None) is not None:
            names.append(f"{mname}.bias" if mname else "bias")
    return names


# ---------------------------------------------------------------------------
# the measure
# ---------------------------------------------------------------------------
def edjm(net: nn.Module, X, *, output: str = "logits", exact: bool | None = None, store: str = "matrices",
         chunk_size: int | None = None, max_bytes: float | None = None, tol: float | None = None,
         device: DeviceLike = None) -> EDJM:
    """The extended data Jacobian matrices of ``net`` on the inputs ``X`` (Wang et al. 2016, eq. 8-11, §3).

    Parameters
    ----------
    net
        Any ``nn.Module`` mapping ``(B, *input_shape)`` to ``(B, d_out)``
        (``workbench.mlp``, ``nn.Sequential`` dense / conv stacks with max or
        average pooling, :class:`workbench.nets.svd_layers.SVDLinear` nets,
        averaged ensembles).  It is evaluated in eval mode (dropout off); its
        training flag is restored.
    X
        Inputs ``(n, *input_shape)``, finite.
    output
        ``"logits"`` (the network's output) or ``"softmax"`` (the Jacobian of
        the softmax of it; the paper says it applies softmax but not whether
        before the Jacobian, so both are offered).
    exact
        ``None``: the exact route when the network qualifies (see
        :func:`exact_route_problem`) and eq. 11 then holds, the Jacobian route
        otherwise, said in ``note``.  ``True``: raise unless the matrices are
        exact local linear maps with eq. 11 verified.  ``False``: Jacobians only.
    store
        ``"matrices"`` keeps the ``d_out`` EDJMs (``d_out * n * d_in`` numbers)
        and takes their singular values by SVD; ``"gram"`` keeps only
        ``sum_i DJM_i^T DJM_i`` per output in float64 (``d_out * d_in^2``) and
        takes square roots of its eigenvalues (small singular values lose
        relative accuracy this way; the score uses the largest ones).
    chunk_size
        Inputs per batched Jacobian call (default: as many as fit in about
        256 MB of intermediate tensors).
    max_bytes
        Refuse (:class:`workbench.ResourceLimitError`, with the estimate) when the stored matrices
        would exceed this (default: the memory budget, :func:`workbench.limits.default_max_bytes`).
    tol
        Largest accepted relative residual of eq. 11 (default ``1e-4`` in
        float32, ``1e-9`` in float64).

    Returns
    -------
    EDJM
    """
    if output not in OUTPUTS:
        raise ValueError(f"output must be one of {OUTPUTS}, got {output!r}")
    if tol is not None:
        tol = check_real("tol", tol, min=0.0)
    if store not in ("matrices", "gram"):
        raise ValueError(f"store must be 'matrices' or 'gram', got {store!r}")
    if exact not in (None, True, False):
        raise ValueError(f"exact must be None, True or False, got {exact!r}")
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1):
        raise ValueError(f"chunk_size must be a positive int or None, got {chunk_size!r}")
    _check_net(net)
    dev = check_device(device)
    was_training = net.training
    net.to(dev)
    net.eval()
    try:
        dtype = _param_dtype(net)
        X = _check_X(net, X, dtype, dev)
        warn_layer_range(net, X, dtype=dtype, what="the EDJM")
        problem = exact_route_problem(net)
        if output == "softmax":
            problem = "output='softmax' is a smooth function of the logits: its DJM is a Jacobian, not a linear map"
        if exact is True and problem is not None:
            raise ValueError(f"the exact route cannot handle this network: {problem}")
        want_exact = exact is not False and problem is None
        return _compute(net, X, output, want_exact, exact is True, problem, store, chunk_size, max_bytes, tol,
                        dtype)
    finally:
        net.train(was_training)


def _compute(net, X, output, want_exact, require_exact, problem, store, chunk_size, max_bytes, tol, dtype):
    n = X.shape[0]
    in_shape = tuple(X.shape[1:])
    d_in = int(np.prod(in_shape))
    with torch.no_grad():
        act_numel, d_out = _activation_size(net, X[:1])
    itemsize = torch.finfo(dtype).bits // 8
    if store == "matrices":
        need = n * d_out * d_in * itemsize
        # the chunks, their concatenation and the SVD's copy
        check_bytes(3 * need, f"the {d_out} EDJMs of {n:,} inputs x {d_in:,} input dimensions (the matrices, "
                    "their concatenation and the SVD's copy)",
                    f"use store='gram' ({d_out * d_in * d_in * 8 / 1e9:.3f} GB) or fewer inputs", max_bytes=max_bytes,
                    device=X.device)
    else:
        check_bytes(3 * d_out * d_in * d_in * 8, f"the {d_out} Gram matrices of {d_in:,} x {d_in:,} (float64)",
                    "use inputs of fewer dimensions", max_bytes=max_bytes, device=X.device)
    if chunk_size is None:
        per = max(1, (d_out if d_out <= d_in else d_in) * (act_numel + d_in) * itemsize * 3)
        chunk_size = int(max(1, min(n, 2.56e8 // per)))

    def f(x):
        y = net(x.unsqueeze(0)).reshape(-1)
        return torch.softmax(y, 0) if output == "softmax" else y

    jac = vmap(jacrev(f) if d_out <= d_in else jacfwd(f))
    params = dict(net.named_parameters())
    buffers = dict(net.named_buffers())
    bias_names = _bias_names(net)

    def g(x, t):  # one input, biases scaled by t: positively homogeneous in (x, t) on the exact route
        p = {k: (v * t if k in bias_names else v) for k, v in params.items()}
        return functional_call(net, {**p, **buffers}, (x.unsqueeze(0),)).reshape(-1)

    # DJM and offset from the same pass, so that a unit at a near-tie cannot take one piece in the
    # matrix and the other in the offset (two separate float32 passes did that at the paper's size)
    jac_xt = vmap((jacrev if d_out <= d_in else jacfwd)(g, argnums=(0, 1)), in_dims=(0, None))

    mats, grams, biases = [], None, []
    resid = 0.0
    with torch.no_grad():
        for lo in range(0, n, chunk_size):
            xc = X[lo:lo + chunk_size]
            if want_exact:
                one = torch.ones((), dtype=dtype, device=X.device)
                J, b = jac_xt(xc, one)
                J = J.reshape(len(xc), d_out, d_in)
            else:
                J = jac(xc).reshape(len(xc), d_out, d_in)
            if not torch.isfinite(J).all():
                raise ValueError(f"the data Jacobians of inputs {lo}..{lo + len(xc) - 1} are not finite (NaN or inf): "
                                 f"the network overflows in {dtype} on these inputs (a diverged training run?)")
            if want_exact:
                out = net(xc).reshape(len(xc), -1)
                rec = torch.einsum("boi,bi->bo", J, xc.reshape(len(xc), d_in)) + b
                r = float(((out - rec).abs() / (1 + out.abs())).max())
                resid = max(resid, r)
                biases.append(b)
            if store == "matrices":
                mats.append(J)
            else:
                Jd = J.double()
                g = torch.einsum("boi,boj->oij", Jd, Jd)
                grams = g if grams is None else grams + g
    tol = (1e-9 if dtype == torch.float64 else 1e-4) if tol is None else tol
    exact = want_exact
    if want_exact and resid > tol:
        msg = (f"eq. 11 fails: max relative residual |net(x) - (DJM x + b)| = {resid:.3g} > tol={tol:g}, so this "
               "network is not piecewise linear and homogeneous in (x, biases) (a nonlinearity inside forward?)")
        if require_exact:
            raise ValueError(f"the exact route cannot handle this network: {msg}")
        exact, problem = False, msg
    k = min(n, d_in)
    if store == "matrices":
        M = torch.cat(mats).permute(1, 0, 2)  # (d_out, n, d_in)
        sv = torch.linalg.svdvals(M)
    else:
        M = None
        ev = torch.linalg.eigvalsh(grams).flip(-1)[:, :k]
        sv = ev.clamp_min(0).sqrt().to(dtype)
    if exact:
        note = ("exact: each DJM is the local linear map W_R of the input's activation region (eq. 10), and "
                f"net(x) = DJM x + b holds on every input (eq. 11, max relative residual {resid:.1e})")
    else:
        note = f"Jacobian, not an exact local linear map: {problem}" if problem else \
            "Jacobian (exact=False was asked for): the exactness check was not run"
    return EDJM(sv, M, torch.cat(biases) if exact else None, exact, resid if exact else None, output, note,
                n, d_in, d_out)


def _activation_size(net: nn.Module, x1: torch.Tensor) -> tuple[int, int]:
    """Entries of every leaf module's output on one input (to size the chunks) and the output's size.

    Nothing in the core counts this (``workbench.nets.feedforward.hidden_units`` counts activation outputs only).
    """
    total = [0]

    def hook(_m, _i, out):
        if isinstance(out, torch.Tensor):
            total[0] += out.numel()

    hs = [m.register_forward_hook(hook) for m in net.modules() if not list(m.children())]
    try:
        out = net(x1)
    finally:
        for h in hs:
            h.remove()
    return max(total[0], 1), int(out[0].numel())


# ---------------------------------------------------------------------------
# distinct DJMs vs the 2^H bound (§4.1)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DJMCount:
    """How many distinct data Jacobian matrices a ReLU network produces on a data set (§4.1).

    ``distinct_matrices`` counts different DJMs (equal up to ``rtol``),
    ``distinct_patterns`` different on/off patterns of the hidden units (every
    distinct DJM has a distinct pattern, not conversely); ``hidden_units`` is
    ``H`` and the bound is ``min(n, 2^H)`` (``log2_bound = H``).
    """

    n: int
    distinct_matrices: int
    distinct_patterns: int
    hidden_units: int

    @property
    def bound(self) -> int:
        """``min(n, 2^H)``: at most one DJM per input and per activation pattern."""
        return self.n if self.hidden_units >= 63 else min(self.n, 2 ** self.hidden_units)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([dict(n=self.n, distinct_matrices=self.distinct_matrices,
                                  distinct_patterns=self.distinct_patterns, hidden_units=self.hidden_units,
                                  log2_pattern_bound=self.hidden_units, bound=self.bound)])


def distinct_djms(net: nn.Module, X, *, rtol: float = 1e-6, device: DeviceLike = None) -> DJMCount:
    """Count distinct DJMs and ReLU activation patterns of ``net`` on ``X`` against the ``2^H`` bound (§4.1).

    Needs a network the exact route handles with ReLU / LeakyReLU units (the
    pattern is ``pre-activation > 0`` of every unit, recorded during the network's
    own forward pass by the core's :func:`workbench.nets.piecewise.hooked_activation_pattern`,
    which takes max pooling and SVD layers where the compiled
    :func:`workbench.activation_pattern` does not; max pooling choices are part of
    the DJM but not of ``H``, as in the paper).
    """
    rtol = check_real("rtol", rtol, min=0.0, min_open=True)
    res = edjm(net, X, exact=True, device=device)
    dev = check_device(device)
    Xd = as_tensor(X, "X", dtype=_param_dtype(net)).to(dev)
    P = hooked_activation_pattern(net, Xd)  # exact route: ReLU / LeakyReLU (one column per unit) or Identity (none)
    if P.shape[1] == 0:
        raise ValueError("the network has no ReLU / LeakyReLU units: there are no activation patterns to count")
    H = P.shape[1]
    n_pat = int(torch.unique(P.to(torch.uint8), dim=0).shape[0])
    M = res.matrices.permute(1, 0, 2).reshape(res.n, -1).double()
    scale = float(M.abs().max()) or 1.0
    q = torch.round(M / (scale * rtol)).to(torch.int64)
    n_mat = int(torch.unique(q, dim=0).shape[0])
    return DJMCount(res.n, n_mat, n_pat, H)
