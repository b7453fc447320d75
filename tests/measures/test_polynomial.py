"""Polynomial spanning dimension (ESD paper §2, §3.1, Theorem 2.1), exact."""
from __future__ import annotations

import pytest
import sympy
import torch
from hypothesis import given
from hypothesis import strategies as st

import workbench as wb
from workbench.measures.spanning.polynomial import (
    coefficient_jacobian,
    network_jacobian_at_points,
    polynomial_spanning_dimension,
    polynomial_spanning_dimension_points,
)
from workbench.measures.spanning.rank import exact_rank

TOY = [1, 1, 1, 1]  # one input, two hidden layers of one node, one output (§2.1)
# the paper's parameter values w1=3, w2=9, w3=7, b1=2, b2=4, b3=6 in named_parameters order (w1, b1, w2, b2, w3, b3)
PAPER_THETA = [3, 2, 9, 4, 7, 6]


def test_toy_network_psd_is_4():
    net = wb.mlp(TOY, "square", seed=0)
    assert polynomial_spanning_dimension(net) == 4
    assert polynomial_spanning_dimension_points(net) == 4
    assert polynomial_spanning_dimension_points(net, exact=False) == 4


def test_paper_coefficient_jacobian():
    """Eq. 2 differentiated by hand at the paper's values, rows x^0..x^4."""
    net = wb.mlp(TOY, "square", seed=0)
    w1, b1, w2, b2, w3, b3 = sympy.symbols("w1 b1 w2 b2 w3 b3")
    coeffs = [  # Eq. 2 of the paper
        b1**4 * w2**2 * w3 + 2 * b1**2 * b2 * w2 * w3 + b2**2 * w3 + b3,
        4 * b1**3 * w1 * w2**2 * w3 + 4 * b1 * b2 * w1 * w2 * w3,
        6 * b1**2 * w1**2 * w2**2 * w3 + 2 * b2 * w1**2 * w2 * w3,
        4 * b1 * w1**3 * w2**2 * w3,
        w1**4 * w2**2 * w3,
    ]
    syms = [w1, b1, w2, b2, w3, b3]
    sub = dict(zip(syms, PAPER_THETA))
    expected = [[int(sympy.diff(c, s).subs(sub)) for s in syms] for c in coeffs]
    assert coefficient_jacobian(net, PAPER_THETA) == expected
    assert coefficient_jacobian(net, PAPER_THETA, method="sympy") == expected
    assert exact_rank(expected) == 4
    # §3.1: six distinct points, J_n at the same parameters has the same rank
    assert exact_rank(network_jacobian_at_points(net, [1, 3, 5, -1, -3, 4], PAPER_THETA)) == 4


@pytest.mark.parametrize("widths", [[1, 2, 1], [1, 2, 2, 1], [1, 3, 1, 1]])
@pytest.mark.parametrize("shortcuts", [None, "add-shortcuts", "add-inputs"])
def test_forward_mode_equals_sympy_and_points_route(widths, shortcuts):
    net = wb.mlp(widths, "square", shortcuts=shortcuts, seed=0)
    Jc = coefficient_jacobian(net, seed=5)
    assert Jc == coefficient_jacobian(net, seed=5, method="sympy")
    # J_n = V J_c (Eq. 7) exactly
    pts = [1, -1, 2, -2, 3, -3, 4, -4, 5]
    Jn = network_jacobian_at_points(net, pts, seed=5)
    V = sympy.Matrix([[x**k for k in range(len(Jc))] for x in pts])
    assert sympy.Matrix(Jn) == V * sympy.Matrix(Jc)
    assert polynomial_spanning_dimension(net, seed=5) == polynomial_spanning_dimension_points(net, seed=5)


def test_network_jacobian_matches_autograd():
    net = wb.mlp([1, 2, 2, 1], "square", shortcuts="add-inputs", seed=0)
    theta = [1, -2, 3, 1, 2, -1, 1, 2, -3, 1, 1, 2, -1]
    Jn = network_jacobian_at_points(net, [1, -2, 3], theta)
    net2 = net.double()
    torch.nn.utils.vector_to_parameters(torch.tensor(theta, dtype=torch.float64), net2.parameters())
    J = wb.parameter_jacobian(net2, torch.tensor([[1.0], [-2.0], [3.0]], dtype=torch.float64), device="cpu")
    assert torch.equal(J, torch.tensor(Jn, dtype=torch.float64))


@pytest.mark.parametrize("l", range(1, 7))
def test_theorem_2_1_height_one(l):
    net = wb.mlp([1] * (l + 2), "square", seed=0)
    psd = polynomial_spanning_dimension(net, trials=2)
    assert psd <= l + 2
    assert psd == l + 2  # the bound is attained for these depths


@given(st.integers(0, 10_000))
def test_random_integer_points_give_the_same_rank(seed):
    """Sard: the rank at random integer parameters is the same almost everywhere (§2.1)."""
    net = wb.mlp(TOY, "square", seed=0)
    assert polynomial_spanning_dimension(net, seed=seed) == 4


def test_psd_over_depths_table():
    from workbench.papers.esd.figures import psd_over_depths

    df = psd_over_depths(range(1, 4))
    assert list(df.psd) == [3, 4, 5] and list(df.psd_points) == [3, 4, 5] and list(df.bound) == [3, 4, 5]


def test_errors():
    with pytest.raises(ValueError, match="not a polynomial"):
        polynomial_spanning_dimension(wb.mlp(TOY, "relu", seed=0))
    with pytest.raises(TypeError, match="workbench MLP"):
        polynomial_spanning_dimension(torch.nn.Linear(1, 1))
    with pytest.raises(ValueError, match="one input and one output"):
        polynomial_spanning_dimension(wb.mlp([2, 1, 1], "square", seed=0))
    net = wb.mlp(TOY, "square", seed=0)
    with pytest.raises(ValueError, match="6 parameters"):
        coefficient_jacobian(net, [1, 2, 3])
    with pytest.raises(TypeError, match="integers"):
        coefficient_jacobian(net, [1.5, 2, 3, 4, 5, 6])
    with pytest.raises(ValueError, match="distinct"):
        network_jacobian_at_points(net, [1, 1, 2])
    with pytest.raises(ValueError, match="unknown method"):
        coefficient_jacobian(net, method="numeric")
    with pytest.raises(ValueError, match="trials"):
        polynomial_spanning_dimension(net, trials=0)
