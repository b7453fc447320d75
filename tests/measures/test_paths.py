"""Trajectories: circles, segments, layer images and lengths (Raghu et al. 2017, §3)."""
from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import workbench as wb
from workbench.measures.paths import circle, layer_images, layer_lengths, segment, trajectory_length


def _orthonormal_pair(d, seed=0):
    g = torch.Generator().manual_seed(seed)
    Q, _ = torch.linalg.qr(torch.randn(d, 2, generator=g, dtype=torch.float64))
    return Q[:, 0], Q[:, 1]


def test_circle_points_and_shape(device):
    x0, x1 = (v.to(device) for v in _orthonormal_pair(7))
    X = circle(x0, x1, 12)
    assert X.shape == (12, 7) and X.device.type == device.type
    X, x0, x1 = X.cpu(), x0.cpu(), x1.cpu()
    assert torch.allclose(X[0], x0)
    assert torch.allclose(X[3], x1, atol=1e-12)  # t = pi/2
    assert torch.allclose(X.norm(dim=1), torch.ones(12, dtype=torch.float64))
    # batched x0, x1
    Xb = circle(torch.stack([x0, 2 * x0]), torch.stack([x1, x1]), 5)
    assert Xb.shape == (2, 5, 7)


def test_polygon_length_of_unit_circle_closed_form():
    x0, x1 = _orthonormal_pair(5)
    for n in (3, 4, 100):
        L = trajectory_length(circle(x0, x1, n))
        assert float(L) == pytest.approx(2 * n * math.sin(math.pi / n), rel=1e-12)


def test_segment_length_and_endpoints(device):
    a, b = torch.zeros(3, dtype=torch.float64), torch.tensor([3.0, 4.0, 0.0], dtype=torch.float64)
    S = segment(a.to(device), b.to(device), 11)
    assert S.device.type == device.type
    assert float(trajectory_length(S, closed=False)) == pytest.approx(5.0)
    S = S.cpu()
    assert torch.equal(S[0], a) and torch.allclose(S[-1], b)


@given(n=st.integers(3, 400), scale=st.floats(0.1, 10.0), seed=st.integers(0, 50))
def test_circle_length_bounded_by_circumference_and_increasing(n, scale, seed):
    x0, x1 = _orthonormal_pair(4, seed)
    L = float(trajectory_length(circle(scale * x0, scale * x1, n)))
    L2 = float(trajectory_length(circle(scale * x0, scale * x1, 2 * n)))
    assert L <= 2 * math.pi * scale * (1 + 1e-12)
    assert L <= L2 * (1 + 1e-12)


def test_layer_images_match_trace_and_output():
    net = wb.mlp([4, 6, 5, 2], "relu", seed=0)
    X = torch.randn(50, 4, generator=torch.Generator().manual_seed(1))
    imgs = layer_images(net, X, chunk_size=7, device="cpu")
    tr = net.trace(X)
    assert len(imgs) == net.n_hidden + 2
    assert torch.equal(imgs[0], X)
    for a, b in zip(imgs[1:-1], tr.acts):
        assert torch.allclose(a, b)
    assert torch.allclose(imgs[-1], net(X))


def test_layer_images_of_an_ensemble():
    ens = wb.mlp_ensemble([3, 5, 5, 1], 4, "tanh", seed=2, device="cpu")
    X = circle(torch.randn(3), torch.randn(3), 20)
    imgs = layer_images(ens, X)
    assert [tuple(z.shape) for z in imgs] == [(4, 20, 3), (4, 20, 5), (4, 20, 5), (4, 20, 1)]
    L = trajectory_length(imgs)
    assert L.shape == (4, 4)
    m = ens.member(2)
    L2 = trajectory_length(layer_images(m, X, device="cpu"))
    assert torch.allclose(L[:, 2], L2, rtol=1e-5)


def test_identity_network_scales_length_exactly():
    """Identity activation, W_l = c_l Q_l (orthogonal): the image is the circle scaled by prod c_l."""
    d = 6
    net = wb.mlp([d, d, d, d, 1], "identity", seed=0).double()
    g = torch.Generator().manual_seed(3)
    cs = [0.5, 2.0, 3.0]
    with torch.no_grad():
        for c, lin in zip(cs, net.layers[:-1]):
            Q, _ = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=torch.float64))
            lin.weight.copy_(c * Q)
    x0, x1 = _orthonormal_pair(d)
    X = circle(x0, x1, 64)
    L = trajectory_length(layer_images(net, X, device="cpu"))
    L0 = 2 * 64 * math.sin(math.pi / 64)
    assert float(L[0]) == pytest.approx(L0)
    assert [float(v) for v in L[1:-1]] == pytest.approx([L0 * 0.5, L0 * 1.0, L0 * 3.0], rel=1e-10)


def test_streaming_lengths_equal_kept_images():
    net = wb.mlp([5, 16, 16, 1], "hardtanh", init="gaussian", sigma_w2=4.0, seed=1)
    X = circle(torch.randn(5), torch.randn(5), 101)
    full = trajectory_length([z.double() for z in layer_images(net, X, device="cpu")])
    for chunk in (2, 7, 50, 1000):
        s = layer_lengths(net, X, chunk_size=chunk, device="cpu")
        assert torch.allclose(s, full, rtol=1e-5), chunk
    assert torch.allclose(layer_lengths(net, X, closed=False, chunk_size=9, device="cpu"),
                          trajectory_length([z.double() for z in layer_images(net, X, device="cpu")], closed=False),
                          rtol=1e-5)


# ---------------------------------------------------------------- bad input
def test_zero_vector_is_an_error():
    with pytest.raises(ValueError, match="zero vector"):
        circle(torch.zeros(3), torch.ones(3), 10)
    with pytest.raises(ValueError, match="x1 is the zero vector"):
        circle(torch.ones(3), torch.zeros(3), 10)


def test_parallel_vectors_are_an_error():
    with pytest.raises(ValueError, match="parallel"):
        circle(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([-2.0, -4.0, -6.0]), 10)


def test_too_few_points_are_an_error():
    with pytest.raises(ValueError, match="at least 3 points"):
        circle(torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), 2)
    with pytest.raises(ValueError, match="at least 3 points"):
        trajectory_length(torch.randn(2, 4))
    with pytest.raises(ValueError, match="at least 2 points"):
        trajectory_length(torch.randn(1, 4), closed=False)
    with pytest.raises(ValueError, match="at least 2 points"):
        segment(torch.zeros(2), torch.ones(2), 1)
    with pytest.raises(ValueError, match="same point"):
        segment(torch.ones(2), torch.ones(2), 5)


def test_network_without_hidden_layers_is_an_error():
    net = wb.mlp([3, 1], "relu", seed=0)
    with pytest.raises(ValueError, match="no hidden layers"):
        layer_images(net, torch.randn(5, 3))
    with pytest.raises(ValueError, match="no hidden layers"):
        wb.circle_transitions(net, torch.tensor([1.0, 0, 0]), torch.tensor([0, 1.0, 0]))


def test_wrong_input_width_is_an_error():
    net = wb.mlp([3, 4, 1], seed=0)
    with pytest.raises(ValueError, match=r"shape \(n, 3\)"):
        layer_images(net, torch.randn(5, 4))
