"""Spanning dimension (ESD paper §3.1-3.2): batched torch.func Jacobian vs one autograd.grad per point."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

import workbench as wb
from workbench.measures.spanning.dimension import (
    jacobian_singular_values,
    jacobian_spanning_dimension,
    parameter_jacobian,
    per_point_gradient_loop,
    spanning_dimension,
)
from workbench.measures.spanning.rank import effective_rank, numerical_rank


def brute_force(net, X, reduce):
    """One torch.autograd.grad call per point and (for 'none') per output."""
    params = list(net.parameters())
    rows = []
    for x in X:
        out = net(x.unsqueeze(0)).reshape(-1)
        if reduce == "pick_first":
            gs = [out[0]]
        elif reduce == "sum_squares":
            gs = [(out ** 2).sum()]
        else:
            gs = list(out)
        per_out = [torch.cat([g.reshape(-1) for g in torch.autograd.grad(s, params, retain_graph=True)]) for s in gs]
        rows.append(torch.stack(per_out))
    J = torch.stack(rows)  # (n_points, n_outs, n_params)
    return J[:, 0] if reduce in ("pick_first", "sum_squares") else J


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "square"])
@pytest.mark.parametrize("shortcuts", [None, "add-shortcuts", "add-inputs"])
@pytest.mark.parametrize("reduce", ["pick_first", "sum_squares", "none"])
def test_batched_jacobian_matches_brute_force(activation, shortcuts, reduce, device):
    net = wb.mlp([3, 4, 5, 2], activation, shortcuts=shortcuts, seed=7).double()
    X = torch.rand(11, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(1)) * 2 - 1
    J = parameter_jacobian(net, X.to(device), reduce, device=device)
    assert J.device.type == device.type and J.dtype == torch.float64
    J = J.cpu()
    ref = brute_force(net, X, reduce)
    assert J.shape == ref.shape
    assert torch.allclose(J, ref, atol=1e-6, rtol=0)


@given(st.lists(st.integers(1, 5), min_size=2, max_size=4), st.integers(0, 100), st.integers(1, 9))
def test_chunked_equals_unchunked_and_paper_loop(widths, seed, chunk):
    net = wb.mlp(widths, "tanh", seed=seed).double()
    X = torch.randn(13, widths[0], dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    J = parameter_jacobian(net, X, device="cpu")
    assert torch.allclose(parameter_jacobian(net, X, chunk_size=chunk, device="cpu"), J, atol=1e-12)
    assert torch.allclose(per_point_gradient_loop(net, X), J, atol=1e-6, rtol=0)
    assert J.shape == (13, sum(p.numel() for p in net.parameters()))


def test_spanning_dimension_is_rank_of_jacobian():
    net = wb.mlp([2, 6, 6, 3], "relu", seed=3).double()
    X = torch.rand(40, 2, dtype=torch.float64) * 2 - 1
    J = per_point_gradient_loop(net, X, "pick_first")
    assert spanning_dimension(net, X, device="cpu") == pytest.approx(effective_rank(J), abs=1e-9)
    assert spanning_dimension(net, X, rank="numerical", device="cpu") == numerical_rank(J)
    assert spanning_dimension(net, X, method="gram", device="cpu") == pytest.approx(effective_rank(J), abs=1e-5)
    Js = per_point_gradient_loop(net, X, "sum_squares")
    assert spanning_dimension(net, X, reduce="sum_squares", device="cpu") == pytest.approx(effective_rank(Js), abs=1e-9)


def test_mean_is_average_over_outputs():
    net = wb.mlp([2, 5, 3], "tanh", seed=2).double()
    X = torch.randn(30, 2, dtype=torch.float64)
    full = brute_force(net, X, "none")
    expected = np.mean([effective_rank(full[:, k]) for k in range(3)])
    assert spanning_dimension(net, X, reduce="mean", device="cpu") == pytest.approx(expected, abs=1e-9)
    expected_num = np.mean([numerical_rank(full[:, k]) for k in range(3)])
    assert spanning_dimension(net, X, reduce="mean", rank="numerical", device="cpu") == pytest.approx(expected_num)


def test_one_output_reductions_agree():
    net = wb.mlp([1, 4, 1], "sigmoid", seed=0).double()
    X = torch.linspace(-1, 1, 9).unsqueeze(1).double()
    a = spanning_dimension(net, X, reduce="pick_first", device="cpu")
    assert spanning_dimension(net, X, reduce="mean", device="cpu") == pytest.approx(a, abs=1e-12)
    # 1-D X is read as points of a one-input network
    assert spanning_dimension(net, X[:, 0], device="cpu") == pytest.approx(a, abs=1e-12)


def test_any_module_and_dtype():
    net = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 2))
    X = torch.randn(10, 2)
    J = parameter_jacobian(net, X, dtype=torch.float64, device="cpu")
    assert J.dtype == torch.float64 and J.shape == (10, 17)
    assert next(net.parameters()).dtype == torch.float32  # the network is not modified


def test_jacobian_spanning_dimension_batched():
    J = torch.randn(4, 7, 5, dtype=torch.float64)
    sd = jacobian_spanning_dimension(J)
    assert sd.shape == (4,)
    assert float(sd[2]) == pytest.approx(effective_rank(J[2]))
    assert torch.allclose(jacobian_singular_values(J, "gram"), torch.linalg.svdvals(J), atol=1e-10)
    assert float(jacobian_spanning_dimension(J, mean_axis=0)) == pytest.approx(float(sd.mean()))


# -- bad input ---------------------------------------------------------------

class _NoParams(nn.Module):
    def forward(self, x):
        return x.sum(-1, keepdim=True)


class _Log(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.ones(1))

    def forward(self, x):
        return self.w * torch.log(x)


def test_no_parameters():
    with pytest.raises(ValueError, match="no parameters"):
        spanning_dimension(_NoParams(), torch.randn(4, 2), device="cpu")
    with pytest.raises(ValueError, match="no parameters"):
        per_point_gradient_loop(_NoParams(), torch.randn(4, 2))


def test_wrong_shapes():
    net = wb.mlp([3, 4, 1], seed=0)
    with pytest.raises(ValueError, match=r"\(n_points, 3\)"):
        spanning_dimension(net, torch.randn(5, 2), device="cpu")
    with pytest.raises(ValueError, match="one-input"):
        spanning_dimension(net, torch.randn(5), device="cpu")
    with pytest.raises(ValueError, match="no points"):
        spanning_dimension(net, torch.randn(0, 3), device="cpu")
    with pytest.raises(ValueError, match="scalar"):
        spanning_dimension(net, torch.tensor(1.0), device="cpu")
    with pytest.raises(ValueError, match="NaN or inf.*point 2"):
        X = torch.randn(4, 3)
        X[2, 1] = float("nan")
        spanning_dimension(net, X, device="cpu")


def test_nonfinite_gradient_names_the_point():
    X = torch.tensor([[1.0], [2.0], [0.5], [0.0], [3.0]])
    with pytest.raises(FloatingPointError, match="point 3"):
        spanning_dimension(_Log(), X, device="cpu")


def test_all_zero_jacobian_is_zero():
    net = wb.mlp([2, 3, 2], seed=0)
    for p in net.parameters():
        nn.init.zeros_(p)
    X = torch.randn(6, 2)
    # every output is 0, so d(sum f^2)/dtheta = 2 f df/dtheta = 0 everywhere
    assert torch.count_nonzero(parameter_jacobian(net, X, "sum_squares", device="cpu")) == 0
    assert spanning_dimension(net, X, reduce="sum_squares", device="cpu") == 0.0
    assert spanning_dimension(net, X, reduce="sum_squares", rank="numerical", device="cpu") == 0.0


def test_bad_options():
    net = wb.mlp([1, 2, 1], seed=0)
    X = torch.randn(3, 1)
    with pytest.raises(ValueError, match="unknown reduce"):
        spanning_dimension(net, X, reduce="max")
    with pytest.raises(ValueError, match="unknown rank"):
        spanning_dimension(net, X, rank="exact")
    with pytest.raises(ValueError, match="chunk_size"):
        parameter_jacobian(net, X, chunk_size=0)
    with pytest.raises(ValueError, match="unknown method"):
        spanning_dimension(net, X, method="qr", device="cpu")
    with pytest.raises(ValueError, match="unknown reduce"):
        per_point_gradient_loop(net, X, "mean")


# --- certified low-rank singular values (method="lowrank") -----------------------------------------------

from workbench.measures.spanning.dimension import lowrank_singular_values  # noqa: E402
from workbench.measures.spanning.rank import default_tolerance  # noqa: E402


@given(st.integers(0, 10_000), st.integers(1, 40), st.integers(130, 260), st.integers(130, 260),
       st.sampled_from([torch.float64, torch.float32]))
def test_lowrank_equals_svdvals_on_low_rank_matrices(seed, r, m, n, dtype):
    g = torch.Generator().manual_seed(seed)
    # a rank-r matrix with a decaying spectrum, as a network Jacobian has
    A = (torch.randn(m, r, generator=g, dtype=torch.float64) * torch.logspace(0, -6, r, dtype=torch.float64)) \
        @ torch.randn(r, n, generator=g, dtype=torch.float64)
    A = A.to(dtype)
    exact = torch.linalg.svdvals(A.double())
    got = lowrank_singular_values(A, k=8)
    assert got.shape == exact.shape
    tol = default_tolerance(exact[0], A.shape, dtype)
    # certified: every value within the numerical-rank tolerance (plus the dtype's own rounding)
    assert (got.double() - exact).abs().max() <= 2 * tol + 10 * torch.finfo(dtype).eps * exact[0]


def test_lowrank_full_rank_falls_back_to_svd():
    g = torch.Generator().manual_seed(1)
    A = torch.randn(3, 150, 140, generator=g, dtype=torch.float64)  # full rank: the check fails until 2k >= q
    assert torch.equal(lowrank_singular_values(A, k=4), torch.linalg.svdvals(A))
    small = torch.randn(20, 30, generator=g, dtype=torch.float64)  # 2k >= q at once
    assert torch.equal(lowrank_singular_values(small), torch.linalg.svdvals(small))


def test_lowrank_batched_and_tolerance_option():
    g = torch.Generator().manual_seed(2)
    U = torch.randn(4, 200, 5, generator=g, dtype=torch.float64)
    V = torch.randn(4, 5, 180, generator=g, dtype=torch.float64)
    A = U @ V
    s = lowrank_singular_values(A, k=8)
    assert s.shape == (4, 180)
    assert torch.allclose(s[:, :5], torch.linalg.svdvals(A)[:, :5], rtol=1e-10)
    assert (s[:, 8:] == 0).all()  # beyond the certified k the values are returned as zero
    # an impossible tolerance forces the exact fallback
    assert torch.equal(lowrank_singular_values(A, k=8, tol=0.0), torch.linalg.svdvals(A))
    with pytest.raises(ValueError, match="k must be positive"):
        lowrank_singular_values(A, k=0)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_lowrank_spanning_dimension_matches_svd_on_fig4_network(activation):
    net = wb.mlp([1, 12, 12, 1], activation, seed=3).double()
    P = sum(p.numel() for p in net.parameters())
    X = torch.linspace(-1, 1, P, dtype=torch.float64).unsqueeze(1)
    J = parameter_jacobian(net, X)
    a = jacobian_spanning_dimension(J, method="svd")
    b = jacobian_spanning_dimension(J, method="lowrank")
    assert abs(float(a) - float(b)) < 1e-9
    assert spanning_dimension(net, X, method="lowrank", device="cpu") == pytest.approx(float(a), abs=1e-9)
