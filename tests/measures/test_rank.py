"""Ranks: effective rank (Roy & Vetterli 2007, ESD paper §3.1.1), numerical rank, exact rank."""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
import torch
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import workbench as wb
from workbench.measures.spanning.rank import effective_rank, exact_rank, numerical_rank, singular_values

finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False, width=64)
matrices = st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
    lambda s: arrays(np.float64, s, elements=finite))


def _orthogonal(n, seed):
    q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    return q


def test_reexported():
    assert wb.effective_rank is effective_rank and wb.numerical_rank is numerical_rank
    assert wb.exact_rank is exact_rank


def test_closed_forms():
    # equal singular values: erank = their count; one nonzero value: 1
    assert effective_rank([2.0, 2.0, 2.0]) == pytest.approx(3.0)
    assert effective_rank([5.0, 0.0, 0.0]) == pytest.approx(1.0)
    assert effective_rank(np.eye(4)) == pytest.approx(4.0)
    # p = (3/4, 1/4): exp(H)
    h = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    assert effective_rank([3.0, 1.0]) == pytest.approx(math.exp(h))


def test_zero_matrix_documented_value():
    assert effective_rank(np.zeros((3, 4))) == 0.0
    assert numerical_rank(np.zeros((3, 4))) == 0


@given(matrices)
def test_bounds_1_le_erank_le_rank(A):
    r = numerical_rank(A)
    assume(r >= 1)
    e = effective_rank(A)
    assert 1.0 - 1e-9 <= e <= r + 1e-9


@given(matrices, st.floats(0.01, 100) | st.floats(-100, -0.01))
def test_transpose_and_scale_invariance(A, c):
    assume(np.abs(A).max() > 1e-3)
    e = effective_rank(A)
    assert effective_rank(A.T) == pytest.approx(e, rel=1e-9, abs=1e-9)
    assert effective_rank(c * A) == pytest.approx(e, rel=1e-9, abs=1e-9)


@given(matrices, st.integers(0, 1000))
def test_unitary_invariance(A, seed):
    assume(np.abs(A).max() > 1e-3)
    U, V = _orthogonal(A.shape[0], seed), _orthogonal(A.shape[1], seed + 1)
    assert effective_rank(U @ A @ V) == pytest.approx(effective_rank(A), rel=1e-8, abs=1e-8)


def test_batched_matches_single(device):
    A = torch.randn(3, 4, 5, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    on_device = effective_rank(A.to(device))
    assert torch.allclose(torch.as_tensor(on_device).cpu(), effective_rank(A), rtol=1e-10)
    assert torch.equal(torch.as_tensor(numerical_rank(A.to(device))).cpu(), torch.full((3, 4), 5))
    batched = effective_rank(A)
    assert batched.shape == (3, 4)
    for i in range(3):
        for j in range(4):
            assert float(batched[i, j]) == pytest.approx(effective_rank(A[i, j]))
    sv = torch.linalg.svdvals(A)
    assert torch.allclose(effective_rank(sv, is_singular_values=True), batched)
    assert torch.equal(numerical_rank(A), torch.full((3, 4), 5))


def test_numerical_rank_tolerance():
    A = np.diag([1.0, 1e-3, 1e-20])
    assert numerical_rank(A) == 2  # default max(m,n)*eps*s_max ~ 7e-16
    assert numerical_rank(A, tol=1e-2) == 1
    assert numerical_rank(A, rtol=1e-4) == 2
    assert numerical_rank(A) == np.linalg.matrix_rank(A)
    with pytest.raises(ValueError, match="at most one"):
        numerical_rank(A, tol=1.0, rtol=1.0)
    with pytest.raises(ValueError, match="tol must be"):
        numerical_rank(A, tol=-1.0)


@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.integers(0, 10_000))
def test_exact_rank_of_products(m, n, k, seed):
    rng = np.random.default_rng(seed)
    A = rng.integers(-3, 4, (m, k)) @ rng.integers(-3, 4, (k, n))
    assert exact_rank(A) == sympy.Matrix(A.tolist()).rank()
    assert exact_rank(A) <= min(m, n, k)


def test_exact_rank_inputs():
    assert exact_rank([[1, 2], [2, 4]]) == 1
    assert exact_rank([[Fraction(1, 3), Fraction(2, 3)], [1, 2]]) == 1
    assert exact_rank(sympy.Matrix([[1, 0], [0, sympy.Rational(1, 7)]])) == 2
    assert exact_rank(torch.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])) == 2
    assert exact_rank(np.array([[2.0, 4.0], [1.0, 2.0]])) == 1
    # a huge-integer matrix that floating point gets wrong: [[1, N], [N, N^2 + 1]] has rank 2
    N = 10**20
    assert exact_rank([[1, N], [N, N * N + 1]]) == 2
    assert np.linalg.matrix_rank(np.array([[1, N], [N, N * N + 1]], dtype=float)) == 1
    assert exact_rank([]) == 0


def test_errors():
    with pytest.raises(ValueError, match="scalar"):
        effective_rank(3.0)
    with pytest.raises(ValueError, match=">= 0"):
        effective_rank([1.0, -1.0])
    with pytest.raises(ValueError, match="NaN"):
        effective_rank(np.array([[1.0, np.nan], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="NaN or inf"):
        effective_rank([1.0, np.inf])
    with pytest.raises(TypeError, match="numerical_rank"):
        exact_rank([[0.5, 1.0]])
    with pytest.raises(TypeError, match="rational"):
        exact_rank(sympy.Matrix([[sympy.sqrt(2)]]))
    with pytest.raises(ValueError, match="rectangular"):
        exact_rank([[1, 2], [3]])
    with pytest.raises(ValueError, match="2-D"):
        exact_rank(np.zeros((2, 2, 2), dtype=int))
    with pytest.raises(ValueError, match="matrix"):
        singular_values(np.ones(3))
