"""Local affine maps, distance to the region edge, ranks and singular values (issue 4)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import workbench as wb
from workbench.measures.affine import (
    activation_pattern,
    adjacent_sv_difference,
    distance_to_edge,
    identity_rank,
    local_affine,
    local_rank,
    local_singular_values,
    sv_difference_bound,
)
from workbench.measures.partition import partition_2d

CASES = [(a, s) for a in ("relu", "leaky_relu", "hardtanh", "identity") for s in (None, "add-shortcuts", "add-inputs")]


@pytest.mark.parametrize("act,sc", CASES)
def test_local_affine_equals_autograd_jacobian(act, sc, device):
    net = wb.mlp([5, 7, 3, 6, 4], act, shortcuts=sc, seed=0).double()
    x = torch.randn(40, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    W, b = local_affine(net, x.to(device), device=device)
    assert W.device.type == device.type and W.dtype == torch.float64
    W, b = W.cpu(), b.cpu()
    J = torch.func.vmap(torch.func.jacrev(net))(x)
    assert torch.allclose(W, J, atol=1e-12)
    with torch.no_grad():
        assert torch.allclose(torch.einsum("boi,bi->bo", W, x) + b, net(x), atol=1e-12)


def test_local_affine_conv_net():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(),
                        nn.Linear(8, 3)).double().eval()
    x = torch.randn(6, 1, 4, 4, dtype=torch.float64)
    W, b = local_affine(net, x)
    J = torch.func.vmap(torch.func.jacrev(lambda t: net(t[None])[0]))(x).reshape(6, 3, 16)
    assert W.shape == (6, 3, 16)
    assert torch.allclose(W, J, atol=1e-12)


@settings(max_examples=20)
@given(widths=st.lists(st.integers(1, 8), min_size=1, max_size=3),
       act=st.sampled_from(["relu", "leaky_relu", "hardtanh"]), seed=st.integers(0, 1000))
def test_distance_is_the_radius_of_the_largest_ball_in_the_region(widths, act, seed):
    net = wb.mlp([3, *widths, 2], act, init="gaussian", sigma_w2=2.0, sigma_b2=0.5, seed=seed).double()
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(30, 3, dtype=torch.float64, generator=g)
    ed = distance_to_edge(net, x)
    d = ed.distance
    p = activation_pattern(net, x)
    dirs = torch.randn(30, 3, dtype=torch.float64, generator=g)
    dirs = dirs / dirs.norm(dim=1, keepdim=True)
    ok = torch.isfinite(d)
    # anywhere strictly inside the ball: the same region
    assert torch.equal(activation_pattern(net, x[ok] + 0.999 * d[ok, None] * dirs[ok]), p[ok])
    # just beyond d towards the nearest edge: another region
    W, _ = local_affine(net, x)
    pre_grad = []  # gradient of the nearest neuron's pre-activation, by autograd
    for i in torch.nonzero(ok).squeeze(1).tolist():
        l, k = int(ed.layer[i]) - 1, int(ed.neuron[i])
        xi = x[i].clone().requires_grad_(True)
        z = net.trace(xi[None]).preacts[l][0, k]
        (gz,) = torch.autograd.grad(z, xi)
        step = -torch.sign(z.detach() - ed.breakpoint[i]) * gz / gz.norm()
        pre_grad.append((i, step))
    for i, step in pre_grad:
        y = x[i] + 1.001 * d[i] * step
        assert not torch.equal(activation_pattern(net, y[None])[0], p[i])
        y = x[i] + 0.999 * d[i] * step
        assert torch.equal(activation_pattern(net, y[None])[0], p[i])


def test_distance_equals_distance_to_the_region_polygon():
    net = wb.mlp([2, 10, 10, 1], "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.5, seed=7).double()
    P = partition_2d(net, bounds=(-40, 40, -40, 40))  # the border is far away from the test points
    x = torch.rand(50, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0)) * 2 - 1
    reg = P.locate(x)
    d = distance_to_edge(net, x).distance
    polys = P.polygons
    dp = torch.tensor([polys[r].exterior.distance(shapely.Point(*pt)) for r, pt in zip(reg.tolist(), x.tolist())],
                      dtype=torch.float64)
    assert torch.allclose(d, dp, rtol=1e-9, atol=1e-12)


def test_distance_without_boundaries_is_infinite():
    net = wb.mlp([2, 3, 1], "identity", seed=0)
    assert torch.isinf(distance_to_edge(net, torch.zeros(4, 2)).distance).all()


def test_rank_equals_identity_rank_at_init():
    net = wb.mlp([6, 9, 4, 7, 5], "relu", seed=1)
    x = torch.randn(200, 6, generator=torch.Generator().manual_seed(0))
    r = local_rank(net, x)
    assert torch.equal(r.rank, r.identity_rank)
    assert r.active.shape == (200, 3)
    assert (r.identity_rank <= 4).all() and (r.identity_rank < 4).any()
    sv = local_singular_values(net, x)
    assert sv.shape == (200, 5)
    assert (sv[:, :-1] >= sv[:, 1:] - 1e-12).all()
    assert torch.equal(identity_rank(3, 2, torch.tensor([[5, 1], [4, 4]])), torch.tensor([1, 2]))


def test_adjacent_region_map_is_the_map_just_across_the_edge():
    net = wb.mlp([4, 12, 10], "relu", seed=2).double()
    x = torch.randn(25, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    res = adjacent_sv_difference(net, x)
    W, _ = local_affine(net, x)
    # the neighbour: step just across the nearest neuron's hyperplane
    W1 = net.layers[0].weight.detach()
    for i in range(25):
        k = int(res.neuron[i])
        z = W1[k] @ x[i] + net.layers[0].bias[k]
        y = x[i] - torch.sign(z) * (res.distance[i] * 1.0001) * W1[k] / W1[k].norm()
        Wy, _ = local_affine(net, y[None])
        E = W[i] - Wy[0]
        assert math.isclose(float((E ** 2).sum()), float(res.frob2[i]), rel_tol=1e-9)
        # eq. 2.8: ||E||_F^2 = sum_ij W2[j,k]^2 W1[k,i]^2 for one hidden layer
        W2k = net.layers[1].weight.detach()[:, k]
        assert math.isclose(float(res.frob2[i]), float((W2k ** 2).sum() * (W1[k] ** 2).sum()), rel_tol=1e-9)
        sv, svy = torch.linalg.svdvals(W[i]), torch.linalg.svdvals(Wy[0])
        assert math.isclose(float(((sv - svy) ** 2).sum()), float(res.sq_diff[i]), rel_tol=1e-7, abs_tol=1e-14)
    assert (res.sq_diff <= res.frob2 + 1e-12).all()  # eq. 2.7
    assert math.isclose(sv_difference_bound(10, 30), 10 / 9 / 30)


def test_errors():
    net = wb.mlp([3, 4, 1], seed=0)
    with pytest.raises(ValueError, match="shape"):
        local_affine(net, torch.zeros(5, 2))
    with pytest.raises(ValueError, match="empty"):
        distance_to_edge(net, torch.zeros(0, 3))
    with pytest.raises(ValueError, match="NaN"):
        local_affine(net, torch.full((2, 3), float("nan")))
    with pytest.raises(TypeError, match="piecewise-linear"):
        local_affine(wb.mlp([3, 4, 1], "sigmoid", seed=0), torch.zeros(2, 3))
    with pytest.raises(ValueError, match="positive"):
        sv_difference_bound(0, 3)
    # a single point without batch dimension is accepted
    W, b = local_affine(net, torch.zeros(3))
    assert W.shape == (1, 1, 3)


def test_sv_difference_sweep_follows_the_bound():
    from workbench.papers.pl_geometry.regions import sv_difference_sweep

    df = sv_difference_sweep((10, 100), n_in=5, n_out=10, n_points=100, n_nets=2, progress=False)
    assert list(df["width"]) == [10, 100]
    # E||E||_F^2 equals C^2 n_c / n_1 in expectation (eq. 2.9-2.13); 200 samples: within 30%
    assert np.allclose(df["frob2_mean"], df["bound"], rtol=0.3)
    assert (df["sq_diff_mean"] <= df["frob2_mean"]).all()


def test_mislabel_experiment_and_digit_slice():
    from workbench.data import digits
    from workbench.papers.pl_geometry.regions import (
        DigitsTrainConfig,
        MislabelConfig,
        digit_slice,
        mislabel_edge_distances,
        train_digits_mlp,
    )

    data = digits(n=200)
    net, d2, info = train_digits_mlp(DigitsTrainConfig(hidden=(16,), epochs=2, n_flip=10), data=data,
                                     progress=False)
    assert int(info["flipped"].sum()) == 10
    assert (d2.y[info["flipped"]] != info["true_y"][info["flipped"]]).all()
    assert torch.equal(d2.y[~info["flipped"]], info["true_y"][~info["flipped"]])
    with pytest.raises(ValueError, match="optimizer"):
        train_digits_mlp(DigitsTrainConfig(epochs=1, optimizer="lbfgs"), data=data, progress=False)
    table, _ = mislabel_edge_distances(MislabelConfig(DigitsTrainConfig(hidden=(16,), epochs=1, n_flip=20), 30),
                                       progress=False)
    assert table["mislabeled"].sum() == 20 and len(table) == 50
    assert (table["distance"] > 0).all()
    sl = digit_slice(net, d2, (0, 1, 2))
    assert len(sl.partition) >= 1 and len(sl.table()) == len(sl.partition)
    with pytest.raises(ValueError, match="out of range"):
        digit_slice(net, d2, (0, 1, 999))
    with pytest.raises(ValueError, match="three"):
        digit_slice(net, d2, (0, 1))
