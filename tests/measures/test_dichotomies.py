"""Dichotomies under great-circle weight sweeps (Raghu et al. 2017, Figs. 7-8, remaining depth)."""
from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import workbench as wb
from workbench.measures.paths.dichotomies import count_dichotomies, weight_sweep_labels


def _X(n, d, seed=0):
    return torch.randn(n, d, generator=torch.Generator().manual_seed(seed))


def test_sweeping_the_output_layer_by_hand():
    """Output layer swept: label_i(t) = sign(cos t a_i + sin t c_i + b) flips twice iff |b| < hypot(a_i, c_i)."""
    net = wb.mlp([4, 6, 6, 1], "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.5, seed=1).double()
    X = _X(10, 4).double()
    g = torch.Generator().manual_seed(9)
    W1 = torch.randn(1, 6, generator=g, dtype=torch.float64)
    d = count_dichotomies(net, X, layer=2, n_steps=20_000, W1=W1)
    h = X
    for l in range(2):
        _, h = net.hidden_step(l, h, X)
    W0, b = net.layers[2].weight.detach(), float(net.layers[2].bias.detach())
    a, c = (h @ W0.T)[:, 0], (h @ W1.T)[:, 0]
    expected_flips = 2 * int((torch.hypot(a, c) > abs(b)).sum())
    assert d.n_label_flips == expected_flips
    assert d.remaining_depth == 0 and d.layer == 2
    assert d.n_transitions == 0  # hidden layers below the swept output layer never change
    # distinct labellings: each flip event makes a new labelling except returning ones; at most the flips
    assert 1 <= d.n_dichotomies <= max(1, expected_flips)


def test_labels_at_t0_are_the_networks_labels(device):
    net = wb.mlp([5, 8, 8, 1], "hardtanh", init="gaussian", sigma_w2=4.0, seed=2)
    X = _X(12, 5)
    want = net(X)[:, 0] > 0
    for layer in range(3):
        labels, _ = weight_sweep_labels(net, X.to(device), layer, n_steps=16, device=device)
        assert torch.equal(labels[0].cpu(), want)
    net, X = net.double(), X.double()  # float64: the counts on every device agree to the last flip
    d = count_dichotomies(net, X.to(device), 0, n_steps=64, device=device)
    ref = count_dichotomies(net, X, 0, n_steps=64, device="cpu")
    assert (d.n_dichotomies, d.n_label_flips, d.n_transitions) == (ref.n_dichotomies, ref.n_label_flips,
                                                                   ref.n_transitions)
    assert d.n_dichotomies >= 1


def test_count_converges_with_finer_sweeps():
    net = wb.mlp([6, 10, 10, 1], "hardtanh", init="gaussian", sigma_w2=8.0, seed=4).double()
    X = _X(8, 6).double()
    a = count_dichotomies(net, X, 0, n_steps=20_000)
    b = count_dichotomies(net, X, 0, n_steps=80_000)
    assert a.n_dichotomies == b.n_dichotomies and a.n_label_flips == b.n_label_flips


def test_remaining_depth_increases_dichotomies_on_average():
    X = _X(15, 16)
    first, last = [], []
    for seed in range(3):
        net = wb.mlp([16] + [32] * 5 + [1], "hardtanh", init="gaussian", sigma_w2=8.0, seed=seed)
        first.append(count_dichotomies(net, X, 0, n_steps=1500).n_dichotomies)
        last.append(count_dichotomies(net, X, 5, n_steps=1500).n_dichotomies)
    assert sum(first) > sum(last)


@given(seed=st.integers(0, 1000), layer=st.integers(0, 2), n=st.integers(1, 8))
def test_property_bounds(seed, layer, n):
    net = wb.mlp([3, 5, 5, 1], "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.2, seed=seed)
    d = count_dichotomies(net, _X(n, 3, seed), layer, n_steps=200, seed=seed)
    assert 1 <= d.n_dichotomies <= min(2 ** n, max(1, d.n_label_flips))
    assert d.labels.shape == (200, n)
    assert d.remaining_depth == 2 - layer


def test_negative_layer_index_and_multiclass():
    net = wb.mlp([3, 5, 5, 4], "relu", seed=0)
    d = count_dichotomies(net, _X(6, 3), -1, n_steps=50)
    assert d.layer == 2 and d.labels.dtype == torch.int64


def test_bad_input_errors():
    net = wb.mlp([3, 5, 1], "relu", seed=0)
    X = _X(4, 3)
    with pytest.raises(ValueError, match="does not exist"):
        count_dichotomies(net, X, 5)
    with pytest.raises(ValueError, match="at least 3 steps"):
        count_dichotomies(net, X, 0, n_steps=2)
    with pytest.raises(ValueError, match="shape"):
        count_dichotomies(net, _X(4, 2), 0)
    with pytest.raises(ValueError, match="weight shape"):
        count_dichotomies(net, X, 0, W1=torch.randn(2, 2))
    with pytest.raises(ValueError, match="no hidden layers"):
        count_dichotomies(wb.mlp([3, 1], seed=0), X, 0)
    with pytest.raises(TypeError):
        count_dichotomies(net, X, 0.5)
    assert math.isfinite(count_dichotomies(net, X, 0, n_steps=10).n_dichotomies)
