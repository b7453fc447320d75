"""Exact, numerical and effective rank of a matrix.

* :func:`effective_rank`: Roy & Vetterli (2007), the rank measure of the ESD
  paper (Berthiaume, Paffenroth & Guo 2020, §3.1.1, Eqs. 8-9):
  ``p_k = s_k / ||s||_1`` and ``erank = exp(H(p))`` with the Shannon entropy
  ``H(p) = -sum_k p_k log p_k`` (``0 log 0 = 0``).
* :func:`numerical_rank`: the number of singular values above a tolerance,
  by default the NumPy / LAPACK rule ``max(m, n) * eps * s_max``.
* :func:`exact_rank`: the rank over the rationals of an integer / rational
  matrix (fraction-exact Gaussian elimination, no floating point), as the paper
  does with symbolic software for the polynomial spanning dimension (§2.1).
"""
from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import torch

from workbench.validation import as_tensor, check_real, describe

__all__ = ["effective_rank", "numerical_rank", "exact_rank", "singular_values"]


def _as_tensor(x: Any, name: str = "A") -> torch.Tensor:
    """``x`` as a float64 (integers, lists, numpy) or float32/64 / complex tensor, via :func:`validation.as_tensor`.

    Complex matrices are kept (their singular values are real and defined);
    half precision, the ``meta`` device, strings and ``None`` are refused by name.
    """
    if isinstance(x, torch.Tensor) and x.is_complex() and x.device.type != "meta":
        return x.detach()
    if isinstance(x, np.ndarray) and np.iscomplexobj(x):
        return torch.as_tensor(x)
    if isinstance(x, torch.Tensor) and not x.is_floating_point() and x.device.type != "meta":
        return as_tensor(x, name, dtype=torch.float64).detach()
    return as_tensor(x, name, dtype=None if isinstance(x, torch.Tensor) else torch.float64).detach()


def singular_values(A: Any) -> torch.Tensor:
    """Singular values of ``A`` (``(..., m, n)``), batched over leading dims, descending.

    Raises ``ValueError`` for non-finite entries (an SVD of NaN/inf is
    meaningless) and for inputs with fewer than two dimensions.
    """
    t = _as_tensor(A, "A")
    if t.dim() < 2:
        raise ValueError(f"A must be a matrix (..., m, n), got shape {tuple(t.shape)}")
    if not torch.isfinite(t).all():
        raise ValueError("the matrix A contains NaN or infinite entries; its singular values are undefined")
    if t.shape[-1] == 0 or t.shape[-2] == 0:
        return t.new_zeros(t.shape[:-2] + (0,)).real
    return torch.linalg.svdvals(t)


def effective_rank(x: Any, *, is_singular_values: bool | None = None) -> float | torch.Tensor:
    """Effective rank (Roy & Vetterli 2007; ESD paper §3.1.1, Eqs. 8-9).

    With singular values ``s_1..s_n`` (``>= 0``)::

        p_k   = s_k / sum_j s_j                 (Eq. 8)
        erank = exp(-sum_k p_k log p_k)         (Eq. 9, with 0 log 0 = 0)

    Properties (tested): ``1 <= erank(A) <= rank(A)``;
    ``erank(A) = erank(A.T) = erank(cA)`` for ``c != 0``; invariant under
    unitary transformations.

    Parameters
    ----------
    x
        Either a vector of singular values (1-D, or ``(..., n)`` batched when
        ``is_singular_values=True``) or a matrix ``(m, n)`` / a batch of
        matrices ``(..., m, n)``.  A 1-D input is always read as singular values;
        a >= 2-D input is read as matrices unless ``is_singular_values=True``.
        Torch tensors, NumPy arrays and nested lists are accepted.
    is_singular_values
        Force the interpretation of a >= 2-D input (see above).

    Returns
    -------
    float or torch.Tensor
        A Python ``float`` for a single vector/matrix, otherwise a tensor of
        the leading (batch) shape, on the input's device.

    Notes
    -----
    **The zero matrix** (all singular values 0) has rank 0 and no
    distribution ``p``; its effective rank is defined here as ``0.0`` (it can
    move in no direction at all), the only value consistent with
    ``erank <= rank``.  Negative or non-finite singular values raise
    ``ValueError``.
    """
    t = _as_tensor(x, "x")
    if t.dim() == 0:
        raise ValueError("effective_rank needs a vector of singular values or a matrix x, got a scalar")
    sv_input = t.dim() == 1 if is_singular_values is None else bool(is_singular_values)
    if sv_input:
        if not torch.isfinite(t).all():
            raise ValueError("x: the singular values contain NaN or inf")
        if t.is_complex():
            raise TypeError("x: singular values are real; got a complex vector (pass the matrix itself)")
        if (t < 0).any():
            raise ValueError("x: singular values must be >= 0; pass the matrix itself or abs() of the values")
        s = t.real if t.is_complex() else t
    else:
        s = singular_values(t)
    out = batched_effective_rank(s)
    if out.dim() == 0:
        return float(out)
    return out


def batched_effective_rank(s: torch.Tensor) -> torch.Tensor:
    """Batched effective rank of singular values along the last axis (no checks; 0 for all-zero values).

    The values are divided by their maximum before summing: ``p_k = s_k / sum s``
    is scale invariant, and the plain sum overflows for huge values (two
    singular values ``1e308`` gave an effective rank of 1 instead of 2).
    """
    s = s.to(torch.float64) if s.dtype in (torch.float16, torch.bfloat16) else s
    if s.shape[-1]:
        m = s.amax(-1, keepdim=True)
        s = s / torch.where(m > 0, m, torch.ones_like(m))
    total = s.sum(-1, keepdim=True)
    safe = torch.where(total > 0, total, torch.ones_like(total))
    p = s / safe
    plogp = torch.where(p > 0, p * torch.log(torch.where(p > 0, p, torch.ones_like(p))), torch.zeros_like(p))
    er = torch.exp(-plogp.sum(-1))
    return torch.where(total.squeeze(-1) > 0, er, torch.zeros_like(er))


_erank_from_sv = batched_effective_rank  # the former private name


def singular_values_from_gram(G: torch.Tensor) -> torch.Tensor:
    """Singular values from a Gram matrix ``G = J J^T`` (or ``J^T J``), batched, descending.

    Square roots of the eigenvalues of the symmetric ``G`` (``eigvalsh``),
    clipped at 0 (rounding makes tiny eigenvalues negative).  The one Gram
    route of the workbench: :func:`workbench.measures.spanning.dimension.jacobian_singular_values`
    (``method="gram"``) and :func:`workbench.measures.spanning.sampled.gram_singular_values`
    (ESD paper §6) both end here.
    """
    return torch.linalg.eigvalsh(G).flip(-1).clamp_min(0).sqrt()


def default_tolerance(s_max: float | torch.Tensor, shape: Sequence[int], dtype: torch.dtype) -> Any:
    """``max(m, n) * eps(dtype) * s_max``: the NumPy ``matrix_rank`` / LAPACK default."""
    eps = torch.finfo(dtype).eps
    return max(shape[-2], shape[-1]) * eps * s_max


def numerical_rank(A: Any, tol: float | None = None, *, rtol: float | None = None) -> int | torch.Tensor:
    """Number of singular values of ``A`` greater than a tolerance.

    Parameters
    ----------
    A
        Matrix ``(m, n)`` or batch ``(..., m, n)``.
    tol
        Absolute tolerance.  Default (``tol`` and ``rtol`` both ``None``):
        ``max(m, n) * eps * s_max`` with ``eps`` the machine epsilon of ``A``'s
        floating dtype (float64 for integer input) and ``s_max`` the largest
        singular value, as in ``numpy.linalg.matrix_rank``.
    rtol
        Relative tolerance: the threshold is ``rtol * s_max``.  Give at most
        one of ``tol`` and ``rtol``.

    Returns
    -------
    int or torch.Tensor
        An ``int`` for one matrix, a tensor of ints for a batch.  The zero
        matrix has rank 0.
    """
    if tol is not None and rtol is not None:
        raise ValueError("give at most one of tol (absolute) and rtol (relative)")
    if tol is not None:
        tol = check_real("tol", tol, min=0.0)
    if rtol is not None:
        rtol = check_real("rtol", rtol, min=0.0)
    t = _as_tensor(A)
    s = singular_values(t)
    if s.shape[-1] == 0:
        r = torch.zeros(s.shape[:-1], dtype=torch.int64)
        return int(r) if r.dim() == 0 else r
    smax = s[..., :1]
    if tol is not None:
        if not (tol >= 0):
            raise ValueError(f"tol must be >= 0, got {tol}")
        thr = torch.full_like(smax, float(tol))
    elif rtol is not None:
        if not (rtol >= 0):
            raise ValueError(f"rtol must be >= 0, got {rtol}")
        thr = rtol * smax
    else:
        thr = default_tolerance(smax, t.shape, s.dtype)
    r = (s > thr).sum(-1)
    return int(r) if r.dim() == 0 else r


def _to_fraction(v: Any) -> Fraction:
    if isinstance(v, Fraction):
        return v
    if isinstance(v, (bool, np.bool_)):
        return Fraction(int(v))
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    try:  # sympy Rational / Integer
        import sympy

        if isinstance(v, sympy.Basic):
            if v.is_Rational:
                return Fraction(int(v.p), int(v.q))
            raise TypeError(f"exact_rank needs rational entries, got the symbolic/irrational entry {v}")
    except ImportError:  # pragma: no cover
        pass
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if not np.isfinite(f):
            raise ValueError("A: exact_rank got a NaN or infinite entry; give integers or fractions")
        if f != int(f):
            raise TypeError(
                f"A: exact_rank needs integer or rational entries, got the float {f}; "
                "use numerical_rank for floating-point matrices or pass fractions.Fraction"
            )
        return Fraction(int(f))
    raise TypeError(f"A: exact_rank cannot read the entry {v!r} of type {type(v).__name__}")


def exact_rank(A: Any) -> int:
    """Exact rank over the rationals of an integer / rational matrix.

    Fraction-exact Gaussian elimination (no floating point), as the ESD paper
    computes the rank of the integer Jacobian of §2.1 with symbolic software.

    Parameters
    ----------
    A
        A 2-D array-like of ints, ``fractions.Fraction``, sympy Rationals or
        integral floats (a ``sympy.Matrix``, a NumPy integer array, an integer
        torch tensor, nested lists).

    Raises
    ------
    TypeError
        For non-integral floats or symbolic entries (use :func:`numerical_rank`).
    """
    try:
        import sympy

        if isinstance(A, sympy.MatrixBase):
            rows = [[A[i, j] for j in range(A.cols)] for i in range(A.rows)]
            A = rows
    except ImportError:  # pragma: no cover
        pass
    if A is None or isinstance(A, (str, bytes, dict, set)):
        raise TypeError(f"A must be a matrix (nested lists, an array or a tensor of integers), got {describe(A)}")
    if isinstance(A, torch.Tensor):
        if A.device.type == "meta":
            as_tensor(A, "A")  # refuses the meta device by name
        if A.is_floating_point() or A.is_complex():
            A = A.detach().cpu().numpy()
        else:
            A = A.detach().cpu().tolist()
    if isinstance(A, np.ndarray):
        if A.ndim != 2:
            raise ValueError(f"exact_rank expects a 2-D matrix A, got shape {A.shape}")
        A = A.tolist()
    try:
        rows = [list(r) for r in A]
    except TypeError:
        raise TypeError(f"A must be a 2-D matrix (a list of rows), got {describe(A)}") from None
    if rows and any(len(r) != len(rows[0]) for r in rows):
        raise ValueError("exact_rank expects a rectangular 2-D matrix A (rows of different lengths)")
    M = [[_to_fraction(v) for v in r] for r in rows]
    if not M or not M[0]:
        return 0
    m, n = len(M), len(M[0])
    rank, row = 0, 0
    for col in range(n):
        piv = next((i for i in range(row, m) if M[i][col] != 0), None)
        if piv is None:
            continue
        M[row], M[piv] = M[piv], M[row]
        pv = M[row][col]
        for i in range(row + 1, m):
            if M[i][col] != 0:
                f = M[i][col] / pv
                Mi, Mr = M[i], M[row]
                for j in range(col, n):
                    Mi[j] -= f * Mr[j]
        row += 1
        rank += 1
        if row == m:
            break
    return rank
