"""Slope (Paper II Definition 1), power iteration (Paper IV), per-layer spectral norms, attacks."""
from __future__ import annotations

import itertools
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import workbench as wb
from workbench.measures.slope import SLOPE_NORMS


def _pts(n, d, seed=0):
    return torch.randn(n, d, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def _conv_net(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.ReLU(), nn.Conv2d(3, 4, 3, stride=2, padding=1),
                         nn.LeakyReLU(0.1), nn.Flatten(), nn.Linear(4 * 3 * 3, 5)).double()


NETS = {
    "relu": lambda: wb.mlp([4, 12, 9, 3], "relu", seed=1),
    "leaky_shortcuts": lambda: wb.mlp([4, 6, 6, 2], "leaky_relu", shortcuts="add-shortcuts", seed=2),
    "hardtanh_inputs": lambda: wb.mlp([4, 8, 8, 3], "hardtanh", shortcuts="add-inputs", seed=3),
}


@pytest.mark.parametrize("name", sorted(NETS))
@pytest.mark.parametrize("p", [1, 2, math.inf])
def test_slope_is_operator_norm_of_local_affine(name, p, device):
    net = NETS[name]()
    X = _pts(40, 4)
    W, _ = wb.local_affine(net, X, device="cpu")
    s = wb.slope(net, X.to(device), p=p, device=device)
    torch.testing.assert_close(s.cpu(), torch.linalg.matrix_norm(W, ord=p), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("p", [1, 2, math.inf])
def test_slope_conv_net_matches_local_affine(p):
    net = _conv_net()
    X = torch.randn(6, 1, 6, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    W, _ = wb.local_affine(net, X)
    torch.testing.assert_close(wb.slope(net, X, p=p), torch.linalg.matrix_norm(W, ord=p), rtol=1e-10, atol=1e-12)


def test_slope_matches_per_point_autograd_jacobian():
    net = wb.mlp([5, 16, 16, 4], seed=0)
    X = _pts(12, 5).float()
    ours = wb.slope(net, X, chunk_size=5)  # several chunks
    ref = torch.stack([torch.linalg.matrix_norm(torch.autograd.functional.jacobian(net.double(), x.double()), ord=2)
                       for x in X])
    torch.testing.assert_close(ours, ref, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("p", [1, math.inf])
def test_slope_brute_force_definition_1(p):
    """Definition 1 by finite differences over the extreme directions of the unit p-ball.

    The sup of the convex map v -> ||W v||_p over the p-ball is attained at an extreme
    point: +-e_i for p = 1, the sign vectors for p = inf.
    """
    net = wb.mlp([3, 10, 10, 2], seed=4).double()
    X = _pts(15, 3, seed=5)
    if p == 1:
        dirs = torch.cat([torch.eye(3), -torch.eye(3)]).double()
    else:
        dirs = torch.tensor(list(itertools.product([-1.0, 1.0], repeat=3)), dtype=torch.float64)
    t = 1e-7
    with torch.no_grad():
        f0 = net(X)
        fd = torch.stack([torch.linalg.vector_norm(net(X + t * v) - f0, ord=p, dim=1) / t for v in dirs], 1)
    torch.testing.assert_close(wb.slope(net, X, p=p), fd.max(1).values, rtol=1e-6, atol=1e-9)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0.1, 10.0))
def test_slope_properties(seed, scale):
    net = wb.mlp([3, 7, 5, 2], seed=seed)
    X = _pts(8, 3, seed=seed)
    s2, s1, si = (wb.slope(net, X, p=p) for p in (2, 1, math.inf))
    assert (s2 <= torch.sqrt(s1 * si) * (1 + 1e-9) + 1e-12).all()  # ||A||_2 <= sqrt(||A||_1 ||A||_inf)
    assert (s2 <= wb.measures.spectral_norm_bound(net, iters=300) * (1 + 1e-4) + 1e-9).all()
    with torch.no_grad():
        net.layers[-1].weight.mul_(scale)
    torch.testing.assert_close(wb.slope(net, X, p=2), scale * s2, rtol=1e-5, atol=1e-9)


def test_slope_bad_inputs():
    net = wb.mlp([2, 4, 1], seed=0)
    X = torch.randn(3, 2)
    for bad in (3, 0.5, "two", None, True):
        with pytest.raises(ValueError, match=r"p.*(1, 2|p = 1)"):
            wb.slope(net, X, p=bad)  # message names p and the accepted values
    assert SLOPE_NORMS == (1, 2, math.inf)
    torch.testing.assert_close(wb.slope(net, X, p="inf"), wb.slope(net, X, p=math.inf))
    with pytest.raises(TypeError, match="not piecewise linear"):
        wb.slope(wb.mlp([2, 4, 1], "tanh", seed=0), X)
    with pytest.raises(ValueError, match="NaN or infinite"):
        wb.slope(net, torch.tensor([[0.0, math.nan]]))
    with pytest.raises(ValueError, match="NaN or infinite"):
        wb.slope(net, torch.tensor([[0.0, math.inf]]))
    # integer points are converted (issue 14), not refused
    torch.testing.assert_close(wb.slope(net, torch.ones(2, 2, dtype=torch.long)), wb.slope(net, torch.ones(2, 2)))
    with pytest.raises(ValueError, match="empty"):
        wb.slope(net, torch.zeros(0, 2))
    with pytest.raises(ValueError, match="chunk_size"):
        wb.slope(net, X, chunk_size=0)
    broken = wb.mlp([2, 4, 1], seed=0)
    with torch.no_grad():
        broken.layers[0].weight[0, 0] = math.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        wb.slope(broken, X)
    with torch.no_grad():
        broken.layers[0].weight[0, 0] = math.inf
    with pytest.raises(ValueError, match="NaN or infinite"):
        wb.slope_power_iteration(broken, X)


def test_jacobian_slope_smooth_network_is_documented_escape_hatch():
    net = wb.mlp([3, 6, 2], "tanh", seed=0).double()
    X = _pts(4, 3)
    ref = torch.stack([torch.linalg.matrix_norm(torch.autograd.functional.jacobian(net, x), ord=2) for x in X])
    torch.testing.assert_close(wb.measures.jacobian_slope(net, X), ref)


# -- power iteration -----------------------------------------------------------
@pytest.mark.parametrize("make", [lambda: wb.mlp([6, 20, 20, 4], seed=0).double(), _conv_net])
def test_power_iteration_converges_to_exact_slope(make):
    net = make()
    X = _pts(6, 6) if isinstance(net, wb.MLP) else torch.randn(6, 1, 6, 6, dtype=torch.float64)
    exact = wb.slope(net, X)
    res = wb.slope_power_iteration(net, X, iters=200, seed=0, history=True)
    torch.testing.assert_close(res.estimate.detach(), exact, rtol=1e-6, atol=1e-10)
    H = res.history
    assert (H <= exact[:, None] * (1 + 1e-10)).all()  # ||W v|| <= ||W||_2 at every iteration
    assert (H[:, 1:] >= H[:, :-1] - 1e-10).all()  # power iteration's Rayleigh quotient never decreases


def test_power_iteration_seed_and_v0():
    net = wb.mlp([4, 8, 3], seed=0)
    X = torch.randn(5, 4)
    a = wb.slope_power_iteration(net, X, iters=2, seed=7)
    b = wb.slope_power_iteration(net, X, iters=2, seed=7)
    torch.testing.assert_close(a, b)
    v0 = torch.randn(5, 4)
    c = wb.slope_power_iteration(net, X, iters=1, v0=v0)
    d = wb.slope_power_iteration(net, X, iters=1, v0=3 * v0)  # scale of the start does not matter
    torch.testing.assert_close(c, d)
    with pytest.raises(ValueError, match="iters"):
        wb.slope_power_iteration(net, X, iters=0)
    with pytest.raises(ValueError, match="v0 must have the shape"):
        wb.slope_power_iteration(net, X, v0=torch.randn(4, 4))


def test_power_iteration_gradient_matches_exact_slope_gradient():
    """At convergence d||W v||/d theta equals d sigma_max(W_R)/d theta (v held fixed)."""
    from torch.func import functional_call, jacrev

    net = wb.mlp([3, 8, 2], seed=5).double()
    x = _pts(1, 3, seed=6)
    est = wb.slope_power_iteration(net, x, iters=500, seed=0)
    g_pi = torch.autograd.grad(est.sum(), list(net.parameters()), allow_unused=True)
    params = dict(net.named_parameters())
    J = jacrev(lambda xx: functional_call(net, params, (xx,)))(x).reshape(2, 3)
    g_ex = torch.autograd.grad(torch.linalg.svdvals(J)[0], list(params.values()), allow_unused=True)
    assert g_pi[-1] is None and g_ex[-1] is None  # the output bias does not move the slope
    for a, b in zip(g_pi[:-1], g_ex[:-1]):
        torch.testing.assert_close(a, b, rtol=1e-6, atol=1e-9)


# -- per-layer spectral norms ---------------------------------------------------
def test_layer_spectral_norms_linear_and_conv_as_operators():
    net = _conv_net(1)
    s = wb.measures.layer_spectral_norms(net, input_shape=(1, 6, 6), iters=1000, seed=0)
    layers = wb.measures.spectral_layers(net, (1, 6, 6))
    assert [n for n, _, _ in layers] == ["0", "2", "5"]
    for (_name, m, shp), val in zip(layers, s):
        if isinstance(m, nn.Linear):
            exact = torch.linalg.svdvals(m.weight.detach())[0]
        else:  # dense matrix of the operator on images of the layer's input shape
            n = math.prod(shp)
            E = torch.eye(n, dtype=torch.float64).reshape(n, *shp)
            A = nn.functional.conv2d(E, m.weight.detach(), None, stride=m.stride, padding=m.padding).reshape(n, -1).T
            exact = torch.linalg.svdvals(A)[0]
            kernel = torch.linalg.svdvals(m.weight.detach().reshape(m.weight.shape[0], -1))[0]
            assert not torch.isclose(exact, kernel, rtol=1e-3)  # the reshaped kernel is a different number
        # power iteration approaches from below; close top singular values of a conv operator slow it down
        assert val <= exact * (1 + 1e-9)
        torch.testing.assert_close(val, exact, rtol=1e-3, atol=1e-9)
    X = torch.randn(20, 1, 6, 6, dtype=torch.float64)
    assert (wb.slope(net, X) <= s.prod() * (1 + 1e-3)).all()


def test_spectral_errors():
    with pytest.raises(ValueError, match="input_shape is needed"):
        wb.measures.layer_spectral_norms(_conv_net())
    bn = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 1))
    with pytest.raises(TypeError, match="batch norm"):
        wb.measures.layer_spectral_norms(bn)
    with pytest.raises(ValueError, match="no Linear or Conv2d"):
        wb.measures.layer_spectral_norms(nn.Sequential(nn.ReLU()), input_shape=(2,))
    with pytest.raises(ValueError, match="iters"):
        wb.measures.layer_spectral_norms(wb.mlp([2, 3, 1]), iters=0)


# -- penalties -----------------------------------------------------------------
def _blobs(n=200, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 2, generator=g)
    y = (X[:, 0] * X[:, 1] > 0).long()
    return X, y


def test_slope_penalty_lowers_the_slope_in_training():
    X, y = _blobs()
    cfg = wb.FitConfig(epochs=15, batch_size=50, lr=0.1, momentum=0.9)
    out = {}
    for lam in (0.0, 0.5):
        net = wb.mlp([2, 32, 32, 2], seed=0)
        pen = wb.SlopePenalty(lam, iters=2, seed=0) if lam else None
        h = wb.fit(net, (X, y), cfg, penalty=pen, seed=0)
        out[lam] = float(wb.slope(net, X).median())
        if lam:
            assert (h["penalty"].iloc[1:] > 0).all()
    assert out[0.5] < out[0.0]


def test_spectral_penalty_keeps_state_and_lowers_the_bound():
    X, y = _blobs()
    cfg = wb.FitConfig(epochs=15, batch_size=50, lr=0.1, momentum=0.9)
    bounds = {}
    for lam in (0.0, 0.5):
        net = wb.mlp([2, 32, 32, 2], seed=0)
        pen = wb.SpectralNormPenalty(lam, form="product") if lam else None
        wb.fit(net, (X, y), cfg, penalty=pen, seed=0)
        bounds[lam] = wb.measures.spectral_norm_bound(net)
        if lam:
            assert set(pen.state) == {"layers.0", "layers.1", "layers.2"}
    assert bounds[0.5] < bounds[0.0]
    with pytest.raises(ValueError, match="form"):
        wb.SpectralNormPenalty(0.1, form="max")
    with pytest.raises(ValueError, match="strength"):
        wb.SlopePenalty(-1.0)
    with pytest.raises(ValueError, match="strength"):
        wb.SpectralNormPenalty(math.nan)
    with pytest.raises(ValueError, match="iters"):
        wb.SlopePenalty(0.1, iters=0)


# -- attacks -------------------------------------------------------------------
def test_fgsm_closed_form_on_a_linear_model():
    lin = nn.Linear(3, 2).double()
    X = _pts(10, 3)
    y = torch.randint(0, 2, (10,), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        P = torch.softmax(lin(X), 1)
        G = (P - nn.functional.one_hot(y, 2).double()) @ lin.weight  # d CE / d x per sample
    torch.testing.assert_close(wb.fgsm(lin, X, y, 0.1), X + 0.1 * G.sign())
    Xc = wb.fgsm(lin, X.clamp(0, 1), y, 0.5, clamp=(0.0, 1.0))
    assert Xc.min() >= 0 and Xc.max() <= 1


def test_pgd_stays_in_ball_and_is_at_least_as_strong_as_fgsm():
    X, y = _blobs(300)
    net = wb.mlp([2, 32, 2], seed=0)
    wb.fit(net, (X, y), wb.FitConfig(epochs=20, lr=0.1, momentum=0.9), seed=0)
    eps = 0.3
    Xp = wb.pgd(net, X, y, eps, steps=20, seed=0)
    assert (Xp - X).abs().max() <= eps + 1e-6
    acc = lambda Z: wb.accuracy(net, Z, y)  # noqa: E731
    assert acc(Xp) <= acc(wb.fgsm(net, X, y, eps)) + 0.01
    assert acc(Xp) < acc(X)
    torch.testing.assert_close(wb.pgd(net, X, y, eps, steps=3, seed=1), wb.pgd(net, X, y, eps, steps=3, seed=1))
    assert net.training is False
    with pytest.raises(ValueError, match="eps"):
        wb.fgsm(net, X, y, -0.1)
    with pytest.raises(ValueError, match="steps"):
        wb.pgd(net, X, y, 0.1, steps=0)
    with pytest.raises(ValueError, match="NaN"):
        wb.fgsm(net, torch.full((2, 2), math.nan), y[:2], 0.1)
    with pytest.raises(ValueError, match="same length"):
        wb.fgsm(net, X[:3], y[:2], 0.1)
    with pytest.raises(ValueError, match="clamp"):
        wb.pgd(net, X, y, 0.1, clamp=(1.0, 0.0))


def test_device_other_than_the_networks_runs_on_copies_and_keeps_the_gradient():
    """device= (issue 24) for slope_power_iteration, fgsm and pgd: the network is not moved; on another device
    it runs on copies of its parameters, with the same numbers and a gradient that reaches the network.
    ``"cpu:0"`` is not the parameters' ``"cpu"`` to :func:`workbench._runtime.module_on`, so the copy path
    runs on a CPU-only machine too."""
    from workbench._runtime import module_on

    net = wb.mlp([2, 6, 6, 3], "relu", seed=0).double()
    X = torch.randn(5, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    assert module_on(net, torch.device("cpu")) is net and module_on(net, torch.device("cpu:0")) is not net
    params = list(net.parameters())
    a = wb.slope_power_iteration(net, X, iters=3, seed=0, device="cpu")
    b = wb.slope_power_iteration(net, X, iters=3, seed=0, device="cpu:0")
    torch.testing.assert_close(a, b, rtol=0, atol=0)
    # the slope does not depend on the biases (unused there: None)
    ga = torch.autograd.grad(a.sum(), params, allow_unused=True)
    gb = torch.autograd.grad(b.sum(), params, allow_unused=True)
    assert any(g is not None and bool(g.abs().sum() > 0) for g in gb)
    for u, v in zip(ga, gb):
        assert (u is None) == (v is None)
        if u is not None:
            torch.testing.assert_close(u, v, rtol=0, atol=0)
    y = torch.tensor([0, 1, 2, 0, 1])
    torch.testing.assert_close(wb.fgsm(net, X, y, 0.1, device="cpu"), wb.fgsm(net, X, y, 0.1, device="cpu:0"),
                               rtol=0, atol=0)
    torch.testing.assert_close(wb.pgd(net, X, y, 0.1, steps=3, seed=2, device="cpu"),
                               wb.pgd(net, X, y, 0.1, steps=3, seed=2, device="cpu:0"), rtol=0, atol=0)
    assert all(p.device == torch.device("cpu") for p in net.parameters())
