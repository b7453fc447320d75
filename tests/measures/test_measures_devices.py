"""Every measure on every device present (the ``device`` fixture: CPU always, CUDA when there is one).

Each test computes a measure on ``device`` and compares it with the CPU numbers;
on a GPU machine the first run exercises every CUDA path: results come back
where they are documented to (no ``.numpy()`` on a device tensor), in the
documented dtype (no silent float64 where the network's float32 is meant).
"""
from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import torch
from torch import nn

import workbench as wb
from workbench.measures.paths.dichotomies import count_dichotomies


def _close(a, b, tol=1e-9):
    return torch.allclose(torch.as_tensor(a).cpu().double(), torch.as_tensor(b).cpu().double(), atol=tol, rtol=tol)


def _net(act="relu", shortcuts=None, widths=(4, 6, 6, 2), seed=0):
    return wb.mlp(list(widths), act, init="gaussian", sigma_w2=3.0, sigma_b2=0.2, seed=seed, shortcuts=shortcuts)


def _pts(n, d, seed=0, dtype=torch.float32):
    return torch.randn(n, d, generator=torch.Generator().manual_seed(seed), dtype=dtype)


# ---------------------------------------------------------------- trajectories
def test_trajectories_on_device(device):
    x0, x1 = _pts(2, 4).to(device)
    X = wb.circle(x0, x1, 200)
    assert X.device.type == device.type and X.dtype == torch.float32
    S = wb.segment(x0, x1, 50)
    assert S.device.type == device.type
    net = _net()
    ref = wb.layer_images(copy.deepcopy(net), X.cpu(), device="cpu")
    imgs = wb.layer_images(copy.deepcopy(net), X, device=device)
    assert all(i.device.type == device.type and i.dtype == torch.float32 for i in imgs)
    assert all(_close(a, b, 1e-5) for a, b in zip(imgs, ref))
    L = wb.trajectory_length(imgs)
    assert L.device.type == device.type and L.dtype == torch.float32
    ll = wb.layer_lengths(copy.deepcopy(net), X, device=device, chunk_size=64)
    assert ll.dtype == torch.float64 and _close(ll, wb.trajectory_length(ref), 1e-4)


def test_ensemble_trajectories_on_device(device):
    ens = wb.mlp_ensemble([3, 5, 5, 1], 3, "hardtanh", seed=1, device=device)
    x0, x1 = _pts(2, 3, seed=2)
    X = wb.circle(x0, x1, 64)
    imgs = wb.layer_images(ens, X)
    assert imgs[1].shape == (3, 64, 5) and imgs[1].device.type == device.type
    s = wb.sampled_transitions(ens, X)
    assert s.per_layer.shape == (3, 2) and s.per_layer.device.type == "cpu"


# ---------------------------------------------------------------- transitions
@pytest.mark.parametrize("method", ["refine", "walk"])
@pytest.mark.parametrize("act,sc", [("relu", "add-shortcuts"), ("hardtanh", "add-inputs"), ("leaky_relu", None)])
def test_exact_transitions_on_device(device, method, act, sc):
    net = _net(act, sc).double()
    x0, x1 = _pts(2, 4, seed=3, dtype=torch.float64)
    ref = wb.circle_transitions(net, x0, x1, device="cpu", method=method)
    res = wb.circle_transitions(net, x0.to(device), x1.to(device), device=device, method=method)
    assert torch.equal(res.per_layer, ref.per_layer) and res.per_layer.device.type == "cpu"
    assert all(torch.allclose(p, q, atol=1e-9) for p, q in zip(res.breakpoints, ref.breakpoints))
    seg = wb.segment_transitions(net, torch.stack([x0, x1]), torch.stack([x1, -x0]), device=device, method=method)
    assert seg.n_pieces.shape == (2,)
    assert wb.count_regions_on_segment(net, x0, x1, device=device, method=method) == \
        wb.count_regions_on_segment(net, x0, x1, device="cpu", method=method)
    samp = wb.sampled_transitions(copy.deepcopy(net), wb.circle(x0, x1, 256).to(device), device=device)
    assert (samp.per_layer <= res.per_layer).all()


def test_exact_transitions_of_an_ensemble_on_device(device):
    ens = wb.mlp_ensemble([3, 6, 6, 1], 4, "relu", seed=0, device=device, init="gaussian", sigma_w2=4.0)
    x0, x1 = _pts(2, 3, seed=4)
    res = wb.circle_transitions(ens, x0, x1)
    for i in range(len(ens)):
        one = wb.circle_transitions(ens.member(i).cpu(), x0, x1, device="cpu")
        assert torch.equal(res.per_layer[i], one.per_layer)


# ---------------------------------------------------------------- partitions and local maps
def test_partition_on_device(device):
    net = wb.mlp([2, 8, 8, 1], "relu", seed=0)
    ref = wb.partition_2d(net, device="cpu")
    P = wb.partition_2d(net, device=device)
    assert len(P) == len(ref) and P.vertices.device.type == device.type and P.vertices.dtype == torch.float64
    assert _close(P.area().sum(), 4.0)
    assert _close(torch.sort(P.area()).values, torch.sort(ref.area()).values)
    df = P.table()
    assert len(df) == len(P) and np.isfinite(df["area"]).all()
    assert P.edges().shape[1:] == (2, 2) and len(P.polygons) == len(P)
    rp = P.representative_points()
    assert torch.equal(P.locate(rp).cpu(), torch.arange(len(P)))
    assert wb.regions_on_line(P, 0.1) == wb.regions_on_line(ref, 0.1)
    xs = torch.rand(3, 5, generator=torch.Generator().manual_seed(0))
    plane = wb.partition_plane(wb.mlp([5, 6, 1], "relu", seed=1), *xs.to(device), device=device)
    assert plane.origin.device.type == device.type


def test_local_maps_on_device(device):
    net = _net("leaky_relu", "add-shortcuts")
    X = _pts(20, 4, seed=5)
    W, b = wb.local_affine(net, X.to(device), device=device)
    Wr, br = wb.local_affine(net, X, device="cpu")
    assert W.device.type == device.type and W.dtype == torch.float64 and _close(W, Wr) and _close(b, br)
    assert torch.equal(wb.activation_pattern(net, X, device=device).cpu(), wb.activation_pattern(net, X, device="cpu"))
    ed = wb.distance_to_edge(net, X, device=device)
    assert _close(ed.distance, wb.distance_to_edge(net, X, device="cpu").distance)
    lr = wb.local_rank(net, X, device=device)
    assert torch.equal(lr.rank.cpu(), wb.local_rank(net, X, device="cpu").rank)
    assert _close(wb.local_singular_values(net, X, device=device), wb.local_singular_values(net, X, device="cpu"))
    sv = wb.adjacent_sv_difference(net, X, device=device)
    assert _close(sv.frob2, wb.adjacent_sv_difference(net, X, device="cpu").frob2)


def test_conv_net_exact_measures_on_device(device):
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(32, 1)).double().eval()
    g = torch.Generator().manual_seed(1)
    x0, x1 = (torch.randn(1, 4, 4, generator=g, dtype=torch.float64) for _ in range(2))
    ref = wb.circle_transitions(net, x0, x1, device="cpu")
    res = wb.circle_transitions(net, x0.to(device), x1.to(device), device=device)
    assert torch.equal(res.per_layer, ref.per_layer)
    W, _ = wb.local_affine(net, x0.unsqueeze(0), device=device)
    assert W.shape == (1, 1, 16)


# ---------------------------------------------------------------- dichotomies
def test_dichotomies_on_device(device):
    net = _net("hardtanh", widths=(4, 6, 6, 1)).double()
    X = _pts(8, 4, seed=6, dtype=torch.float64)
    ref = count_dichotomies(copy.deepcopy(net), X, 0, n_steps=400, device="cpu")
    d = count_dichotomies(copy.deepcopy(net), X.to(device), 0, n_steps=400, device=device)
    assert d.labels.device.type == "cpu" and torch.equal(d.labels, ref.labels)
    assert (d.n_dichotomies, d.n_transitions) == (ref.n_dichotomies, ref.n_transitions)


# ---------------------------------------------------------------- spanning dimension and ranks
def test_spanning_on_device(device):
    net = _net("tanh", widths=(3, 8, 8, 2))
    X = _pts(30, 3, seed=7)
    J = wb.parameter_jacobian(net, X, device=device)
    Jr = wb.parameter_jacobian(net, X, device="cpu")
    assert J.device.type == device.type and J.dtype == torch.float32 and _close(J, Jr, 1e-4)
    for method in ("svd", "gram", "lowrank"):
        s = wb.measures.jacobian_singular_values(J, method)
        assert s.device.type == device.type and s.dtype == torch.float32
    sd = wb.spanning_dimension(net, X, device=device)
    assert abs(sd - wb.spanning_dimension(net, X, device="cpu")) < 1e-3
    assert abs(wb.spanning_dimension(net, X, reduce="mean", device=device) -
               wb.spanning_dimension(net, X, reduce="mean", device="cpu")) < 1e-3
    ens = wb.mlp_ensemble([3, 5, 1], 2, "tanh", seed=0, device=device)
    Je = wb.measures.ensemble_parameter_jacobian(ens.base, ens.params, ens.buffers,
                                                 X[None].expand(2, -1, -1).to(device))
    assert Je.shape == (2, 30, 26) and Je.device.type == device.type
    er = wb.effective_rank(J)
    assert math.isfinite(er)
    assert int(wb.numerical_rank(J)) == int(wb.numerical_rank(Jr))


@pytest.mark.parametrize("chunk_size", [1, 4])
def test_sampled_spectrum_on_device(device, chunk_size):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.Flatten(), nn.Linear(3 * 6 * 6, 4)).eval()
    X = torch.rand(6, 1, 8, 8, generator=torch.Generator().manual_seed(1))
    coords = wb.measures.sample_coordinates(model, 50, seed=0)
    ref = wb.measures.sampled_gradient_rows(copy.deepcopy(model), X, coords, chunk_size=chunk_size, device="cpu")
    J = wb.measures.sampled_gradient_rows(copy.deepcopy(model), X, coords, chunk_size=chunk_size, device=device)
    assert J.device.type == device.type and J.dtype == torch.float32 and _close(J, ref, 1e-5)
    sv = wb.measures.gram_singular_values(J)
    assert sv.dtype == torch.float64 and sv.device.type == device.type
    spec = wb.sampled_spectrum(copy.deepcopy(model), X, 50, seed=0, chunk_size=chunk_size, device=device)
    assert spec.singular_values.device.type == "cpu" and math.isfinite(spec.effective_rank)
