"""The closed-form spanning-dimension routes of plain MLPs (issue 29) equal the torch.func routes they replace."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb
from workbench.measures.spanning import structured
from workbench.measures.spanning.dimension import lowrank_singular_values, parameter_jacobian
from workbench.measures.spanning.rank import batched_effective_rank
from workbench.papers.esd.sampling import draw_inputs, esd

ACTS = list(structured.CLOSED_FORM_ACTIVATIONS)


def _jac_old(net, X, reduce):
    with structured.closed_form_enabled(False):
        return parameter_jacobian(net, X, reduce, device="cpu")


@settings(max_examples=40, deadline=None)
@given(widths=st.lists(st.integers(1, 6), min_size=2, max_size=5), act=st.sampled_from(ACTS),
       reduce=st.sampled_from(["pick_first", "sum_squares"]), bias=st.booleans(), seed=st.integers(0, 10**6),
       n=st.integers(1, 30), scale=st.sampled_from([0.1, 1.0, 3.0]))
def test_closed_form_jacobian_equals_torch_func(widths, act, reduce, bias, seed, n, scale):
    net = wb.mlp(widths, act, seed=seed, bias=bias).double()
    assert structured.supports_closed_form(net)
    X = scale * draw_inputs(n, widths[0], seed=seed + 1, dtype=torch.float64)
    J0 = _jac_old(net, X, reduce)
    J1 = parameter_jacobian(net, X, reduce, device="cpu")
    assert J1.shape == J0.shape
    torch.testing.assert_close(J1, J0, rtol=1e-12, atol=1e-12 * float(J0.abs().max() + 1))


@settings(max_examples=25, deadline=None)
@given(i=st.integers(1, 16), j=st.integers(1, 16), act=st.sampled_from(ACTS), seed=st.integers(0, 10**6),
       reduce=st.sampled_from(["pick_first", "sum_squares"]))
def test_basis_routes_equal_lowrank_effective_rank(i, j, act, seed, reduce):
    """Whatever the certified basis routes accept has the lowrank route's effective rank to 1e-9."""
    nets = [wb.mlp([1, i, j, 1], act, seed=seed + s).double() for s in range(3)]
    P = wb.count_parameters(nets[0])
    X = torch.stack([draw_inputs(P, 1, seed=seed + 7 + s, dtype=torch.float64) for s in range(3)])
    Ws, bs = structured.mlp_weights(nets, dtype=torch.float64, device="cpu")
    J = structured.mlp_jacobian(nets[0], Ws, bs, X, reduce)
    e0 = batched_effective_rank(lowrank_singular_values(J))
    if act in structured.PIECEWISE_LINEAR_ACTS and reduce == "pick_first":
        s, ok, _ = structured.piecewise_linear_singular_values(nets[0], Ws, bs, X)
    else:
        s, ok = structured.basis_singular_values(J, X[..., 0])
    assert ok.dtype == torch.bool and ok.shape == (3,)
    if ok.any():
        np.testing.assert_allclose(batched_effective_rank(s)[ok].numpy(), e0[ok].numpy(), rtol=0, atol=1e-9)


@pytest.mark.parametrize("act,i,j,route", [("relu", 12, 9, "regions"), ("leaky_relu", 6, 7, "regions"),
                                           ("tanh", 12, 10, "chebyshev"), ("sigmoid", 20, 3, "chebyshev")])
def test_esd_selects_and_matches_the_old_route(act, i, j, route):
    kw = dict(samples=4, dtype=torch.float64, method="lowrank", progress=False, device="cpu", seed=3)
    new = esd([1, i, j, 1], act, **kw)
    with structured.closed_form_enabled(False):
        old = esd([1, i, j, 1], act, **kw)
    assert new.config["route"] == f"closed-form {route}" and old.config["route"] == "torch.func"
    np.testing.assert_allclose(new.values, old.values, rtol=0, atol=1e-9)


def test_route_selection():
    relu = wb.mlp([1, 4, 4, 1], "relu", seed=0)
    assert structured.closed_form_route(relu, 1, "pick_first", "lowrank") == "regions"
    assert structured.closed_form_route(relu, 1, "sum_squares", "lowrank") == "jacobian"
    assert structured.closed_form_route(relu, 1, "pick_first", "svd") == "jacobian"
    assert structured.closed_form_route(relu, 1, "mean", "lowrank") is None
    assert structured.closed_form_route(wb.mlp([2, 4, 1], "tanh", seed=0), 2, "pick_first", "lowrank") == "jacobian"
    assert structured.closed_form_route(wb.mlp([1, 4, 1], "tanh", seed=0), 1, "pick_first", "lowrank") == "chebyshev"
    assert structured.closed_form_route(wb.mlp([1, 4, 1], "softplus", seed=0), 1, "pick_first", "lowrank") is None
    short = wb.mlp([1, 4, 4, 1], "relu", shortcuts="add-shortcuts", seed=0)
    assert structured.closed_form_route(short, 1, "pick_first", "lowrank") is None
    hooked = wb.mlp([1, 4, 1], "relu", seed=0)
    hooked.layers[0].register_forward_hook(lambda m, a, o: o * 2)
    assert not structured.supports_closed_form(hooked)
    with structured.closed_form_enabled(False):
        assert structured.closed_form_route(relu, 1, "pick_first", "lowrank") is None
    assert structured.closed_form_route(relu, 1, "pick_first", "lowrank") == "regions"


@pytest.mark.parametrize("act,method,rank,dtype,atol", [
    ("sigmoid", "svd", "effective", torch.float64, 1e-9),
    ("relu", "svd", "numerical", torch.float64, 0),  # a clear gap above the tolerance: counts are stable
    ("tanh", "gram", "effective", torch.float64, 1e-5),  # the Gram route's documented resolution
    ("sigmoid", "svd", "effective", torch.float32, 1e-4),
])
def test_esd_other_methods_and_ranks_match(act, method, rank, dtype, atol):
    kw = dict(samples=3, dtype=dtype, method=method, rank=rank, progress=False, device="cpu", seed=1)
    new = esd([1, 5, 4, 1], act, **kw)
    with structured.closed_form_enabled(False):
        old = esd([1, 5, 4, 1], act, **kw)
    assert new.config["route"] == "closed-form jacobian"
    np.testing.assert_allclose(new.values, old.values, rtol=0, atol=atol)


def test_failed_certificate_falls_back_to_lowrank(monkeypatch):
    """A member whose basis residual is too large takes the randomized route: same values as the old route."""
    real = structured.basis_singular_values

    def failing(J, x, **kw):
        s, ok = real(J, x, **kw)
        return s, torch.zeros_like(ok)

    monkeypatch.setattr(structured, "basis_singular_values", failing)
    kw = dict(samples=3, dtype=torch.float64, method="lowrank", progress=False, device="cpu", seed=5)
    new = esd([1, 9, 8, 1], "tanh", **kw)
    with structured.closed_form_enabled(False):
        old = esd([1, 9, 8, 1], "tanh", **kw)
    np.testing.assert_allclose(new.values, old.values, rtol=0, atol=1e-12)


def test_layer_range_screen_flags_what_the_hooked_check_reports():
    net = wb.mlp([1, 3, 1], "relu", seed=0).double()
    with torch.no_grad():
        net.layers[0].weight.mul_(1e-310)
        net.layers[0].bias.zero_()
    X = torch.linspace(-1, 1, 20, dtype=torch.float64).reshape(1, 20, 1)
    Ws, bs = structured.mlp_weights([net], dtype=torch.float64, device="cpu")
    _, outs = structured.mlp_jacobian(net, Ws, bs, X, keep=True)
    assert structured.layer_range_suspects(outs, torch.float64) == [0]
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        esd([1, 3, 1], "relu", samples=1, dtype=torch.float64, method="lowrank", progress=False, device="cpu")
    assert not [x for x in w if "not meaningful" in str(x.message)]


def test_nonfinite_gradient_names_the_sample():
    def factory(s):
        net = wb.mlp([1, 3, 1], "relu", seed=s)
        with torch.no_grad():
            net.layers[1].weight.fill_(float("inf"))
        return net

    with pytest.raises(FloatingPointError, match="sample 0"):
        wb.papers.esd.esd_of(factory, 1, samples=2, dtype=torch.float64, method="lowrank", progress=False,
                             device="cpu")


@pytest.mark.parametrize("block", [1, 7, 128, 1000])
def test_residual_norm_equals_the_explicit_residual(block):
    """The blockwise residual (one reused buffer, member by member) is ||J - Q B||_F of each member."""
    g = torch.Generator().manual_seed(0)
    J = torch.randn(3, 40, 23, generator=g, dtype=torch.float64)
    Q = torch.linalg.qr(torch.randn(3, 40, 6, generator=g, dtype=torch.float64)).Q
    B = Q.mT @ J + 1e-3 * torch.randn(3, 6, 23, generator=g, dtype=torch.float64)
    want = torch.linalg.matrix_norm(J - Q @ B)
    torch.testing.assert_close(structured._residual_norm(J, Q, B, block=block), want, rtol=1e-12, atol=0)


def test_jacobian_into_a_buffer_equals_a_fresh_one_and_a_bad_buffer_is_refused():
    from workbench.papers.esd.sampling import _JACOBIAN_MEMORY, _jacobian_memory, reused_jacobian_memory

    net = wb.mlp([1, 5, 4, 1], "tanh", seed=3).double()
    Ws, bs = structured.mlp_weights([net, net], dtype=torch.float64, device="cpu")
    X = draw_inputs(20, 1, seed=4, dtype=torch.float64).expand(2, 20, 1)
    J0 = structured.mlp_jacobian(net, Ws, bs, X)
    P = J0.shape[-1]
    buf = torch.full((2 * 20 * P + 7,), float("nan"), dtype=torch.float64)  # stale values must all be overwritten
    J1 = structured.mlp_jacobian(net, Ws, bs, X, buffer=buf)
    assert J1.data_ptr() == buf.data_ptr() and torch.equal(J1, J0)
    for bad in (torch.empty(2 * 20 * P - 1, dtype=torch.float64), torch.empty(2 * 20 * P, dtype=torch.float32),
                torch.empty(2, 20 * P, dtype=torch.float64), torch.empty(2 * 20 * P * 2, dtype=torch.float64)[::2]):
        with pytest.raises(ValueError, match="buffer must be a contiguous 1-D"):
            structured.mlp_jacobian(net, Ws, bs, X, buffer=bad)
    # the workspace: none outside a block; one buffer shared by nested blocks, grown on demand, gone at the end
    assert _jacobian_memory(10, torch.float64, torch.device("cpu")) is None
    with reused_jacobian_memory():
        a = _jacobian_memory(10, torch.float64, torch.device("cpu"))
        with reused_jacobian_memory():
            assert _jacobian_memory(8, torch.float64, torch.device("cpu")) is a
        b = _jacobian_memory(100, torch.float64, torch.device("cpu"))
        assert b.numel() == 100 and _jacobian_memory(50, torch.float64, torch.device("cpu")) is b
        assert _jacobian_memory(50, torch.float32, torch.device("cpu")).dtype == torch.float32
    assert _JACOBIAN_MEMORY.get() is None


def test_esd_grid_values_do_not_depend_on_the_shared_jacobian_memory(monkeypatch):
    from workbench.papers.esd import sampling

    kw = dict(n1=[2, 7], n2=[3, 9], activations=("sigmoid", "tanh", "relu"), samples=3, progress=False)
    with_memory = wb.papers.esd.esd_grid(**kw)
    monkeypatch.setattr(sampling, "_jacobian_memory", lambda *a: None)
    fresh = wb.papers.esd.esd_grid(**kw)
    np.testing.assert_array_equal(with_memory.esd.values, fresh.esd.values)
    for row in with_memory.itertuples(index=False):  # each cell equals esd() called alone (its own buffer)
        assert esd([1, row.n1, row.n2, 1], row.activation, samples=3, seed=int(row.seed), dtype=torch.float64,
                   method="lowrank", progress=False).mean == row.esd
