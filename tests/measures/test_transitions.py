"""Exact transitions and activation patterns along circles and segments (Raghu et al. 2017, Defs. 1-2)."""
from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import workbench as wb
from workbench.measures.paths import (
    ExactTransitionsError,
    activation_states,
    circle,
    circle_transitions,
    count_regions_on_segment,
    sampled_transitions,
    segment,
    segment_transitions,
)

PL = ["relu", "leaky_relu", "hardtanh"]


def _net(widths, act, seed, shortcuts=None, sw2=4.0):
    return wb.mlp(widths, act, init="gaussian", sigma_w2=sw2, sigma_b2=0.3, seed=seed, shortcuts=shortcuts).double()


def _vecs(d, seed, k=2, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    return [scale * torch.randn(d, generator=g, dtype=torch.float64) for _ in range(k)]


def _states_at(net, X):
    return torch.cat(activation_states(net, net.trace(X).preacts), -1)


# ---------------------------------------------------------------- closed forms by hand
def test_single_relu_layer_circle_crossings_by_hand():
    net = _net([3, 12, 1], "relu", seed=4)
    x0, x1 = _vecs(3, 0)
    W, b = net.layers[0].weight.detach(), net.layers[0].bias.detach()
    A, B = W @ x0, W @ x1
    R = torch.hypot(A, B)
    crosses = b.abs() < R
    res = circle_transitions(net, x0, x1, device="cpu")
    assert int(res.per_layer[0]) == 2 * int(crosses.sum())
    # breakpoints: t with A cos t + B sin t + b = 0, i.e. t = phi +- arccos(-b / R)
    phi, alpha = torch.atan2(B, A), torch.arccos((-b / R).clamp(-1, 1))
    roots = torch.cat([phi[crosses] + alpha[crosses], phi[crosses] - alpha[crosses]]).remainder(2 * math.pi)
    assert torch.allclose(res.breakpoints[0], roots.sort().values, atol=1e-12)


def test_single_layer_segment_crossings_by_hand():
    net = _net([4, 20, 1], "relu", seed=5)
    a, b = _vecs(4, 1, scale=2.0)
    W, c = net.layers[0].weight.detach(), net.layers[0].bias.detach()
    za, zb = W @ a + c, W @ b + c
    flips = int(((za > 0) != (zb > 0)).sum())
    res = segment_transitions(net, a, b, device="cpu")
    assert int(res.per_layer[0]) == flips
    assert count_regions_on_segment(net, a, b, device="cpu") == flips + 1
    roots = (-za / (zb - za))[(za > 0) != (zb > 0)]
    assert torch.allclose(res.breakpoints[0], roots.sort().values, atol=1e-12)


def test_identity_network_has_no_transitions():
    net = _net([3, 5, 5, 1], "identity", seed=0)
    x0, x1 = _vecs(3, 2)
    res = circle_transitions(net, x0, x1, device="cpu")
    assert int(res.total) == 0 and int(res.n_patterns) == 1 and int(res.n_pieces) == 1


def test_tangent_neuron_is_not_a_transition():
    """z(t) = cos(t - 1) - 1 touches 0 at t = 1 without crossing."""
    net = wb.mlp([2, 1, 1], "relu", seed=0).double()
    with torch.no_grad():
        net.layers[0].weight.copy_(torch.tensor([[math.cos(1.0), math.sin(1.0)]], dtype=torch.float64))
        net.layers[0].bias.fill_(-1.0)
    res = circle_transitions(net, torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), device="cpu")
    assert int(res.total) == 0
    with torch.no_grad():
        net.layers[0].bias.fill_(-0.999)  # now it crosses twice, in a short arc
    res = circle_transitions(net, torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), device="cpu")
    assert int(res.total) == 2


# ---------------------------------------------------------------- exact vs sampled / brute force
@pytest.mark.parametrize("act", PL)
@pytest.mark.parametrize("shortcuts", [None, "add-shortcuts", "add-inputs"])
def test_exact_at_least_sampled_and_equal_when_fine(act, shortcuts, device):
    net = _net([4, 7, 6, 5, 1], act, seed=11, shortcuts=shortcuts)
    x0, x1 = _vecs(4, 3)
    exact = circle_transitions(net, x0.to(device), x1.to(device), device=device)
    ex = exact.per_layer.cpu()
    coarse = sampled_transitions(net, circle(x0, x1, 50).to(device), device=device)
    assert (coarse.per_layer.cpu() <= ex).all()
    fine = sampled_transitions(net, circle(x0, x1, 200_000).to(device), device=device)
    assert torch.equal(fine.per_layer.cpu(), ex)
    assert int(fine.n_patterns) == int(exact.n_patterns)


@pytest.mark.parametrize("act", PL)
def test_patterns_equal_the_network_at_midpoints(act):
    """Every recorded piece's pattern is what the network computes between its breakpoints."""
    net = _net([3, 9, 9, 9, 1], act, seed=21)
    x0, x1 = _vecs(3, 4)
    res = circle_transitions(net, x0, x1, device="cpu")
    bp = res.breakpoints[0]
    end = torch.tensor([2 * math.pi])
    edges = torch.cat([torch.zeros(1, dtype=torch.float64), bp, end]) if len(bp) == 0 or bp[0] > 0 \
        else torch.cat([bp, end])
    mids = (edges[:-1] + edges[1:]) / 2
    X = torch.cos(mids)[:, None] * x0 + torch.sin(mids)[:, None] * x1
    st = _states_at(net, X)
    pats = res.patterns[0]
    assert torch.equal(st[: len(pats)], pats)
    # the pattern changes at every breakpoint
    assert (pats[1:] != pats[:-1]).any(-1).all()


def test_count_regions_on_segment_brute_force():
    for seed in range(3):
        net = _net([6, 10, 10, 1], "relu", seed=seed)
        a, b = _vecs(6, seed + 10, scale=2.0)
        n = count_regions_on_segment(net, a, b, device="cpu")
        S = segment(a, b, 100_000)
        st = _states_at(net, S)
        changes = int((st[1:] != st[:-1]).any(-1).sum())
        distinct = int(torch.unique(st, dim=0).shape[0])
        assert n == changes + 1 == distinct


def test_count_regions_784_inputs():
    net = wb.mlp([784, 32, 32, 10], "relu", init="he", seed=0).double()
    a, b = _vecs(784, 7)
    n = count_regions_on_segment(net, a, b, device="cpu")
    st = _states_at(net, segment(a, b, 50_000))
    assert n >= int(torch.unique(st, dim=0).shape[0]) >= 2


def test_batched_paths_and_ensembles_match_single_walks():
    ens = wb.mlp_ensemble([5, 8, 8, 1], 3, "hardtanh", init="gaussian", sigma_w2=6.0, seed=3, device="cpu")
    g = torch.Generator().manual_seed(0)
    X0, X1 = torch.randn(4, 5, generator=g), torch.randn(4, 5, generator=g)
    res = circle_transitions(ens, X0, X1)
    assert res.per_layer.shape == (3, 4, 2)
    for m in range(3):
        net = ens.member(m)
        one = circle_transitions(net, X0, X1, device="cpu")
        assert torch.equal(one.per_layer, res.per_layer[m])
        assert torch.equal(one.n_patterns, res.n_patterns[m])
        single = circle_transitions(net, X0[2], X1[2], device="cpu")
        assert torch.equal(single.per_layer, res.per_layer[m, 2])
        assert torch.allclose(single.breakpoints[0], res.breakpoints[m * 4 + 2])
    segs = segment_transitions(ens, X0, X1, keep_patterns=False)
    assert segs.n_pieces.shape == (3, 4)
    assert (segs.n_pieces == segs.n_patterns).all()  # a line never returns to a region


def test_to_frame_is_tidy():
    net = _net([3, 4, 4, 1], "relu", seed=0)
    x0, x1 = torch.randn(2, 3, dtype=torch.float64), torch.randn(2, 3, dtype=torch.float64)
    df = circle_transitions(net, x0, x1, device="cpu").to_frame()
    assert len(df) == 2 * 2 and {"layer", "transitions", "n_patterns"} <= set(df.columns)


@given(depth=st.integers(1, 3), width=st.integers(1, 6), act=st.sampled_from(PL), seed=st.integers(0, 10_000))
def test_property_exact_dominates_sampled(depth, width, act, seed):
    net = _net([3] + [width] * depth + [1], act, seed=seed)
    x0, x1 = _vecs(3, seed + 1)
    if abs(torch.nn.functional.cosine_similarity(x0, x1, dim=0)) > 0.999:
        return
    exact = circle_transitions(net, x0, x1, device="cpu")
    samp = sampled_transitions(net, circle(x0, x1, 128), device="cpu")
    assert (samp.per_layer <= exact.per_layer).all()
    assert int(samp.n_patterns) <= int(exact.n_patterns) <= max(1, int(exact.n_pieces))
    assert int(exact.n_breakpoints) <= int(exact.total)


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("act", ["tanh", "sigmoid", "softplus"])
def test_smooth_activation_is_an_error_that_offers_sampling(act):
    net = wb.mlp([3, 4, 1], act, seed=0)
    with pytest.raises(ExactTransitionsError, match="sampled_transitions"):
        circle_transitions(net, torch.tensor([1.0, 0, 0]), torch.tensor([0, 1.0, 0]))
    with pytest.raises(ExactTransitionsError, match="smooth activation"):
        count_regions_on_segment(net, torch.zeros(3), torch.ones(3))
    # the offered alternative works
    s = sampled_transitions(net, circle(torch.tensor([1.0, 0, 0]), torch.tensor([0, 1.0, 0]), 100), device="cpu")
    assert s.per_layer.shape == (1,)


def test_exact_transitions_input_errors():
    net = wb.mlp([3, 4, 1], "relu", seed=0)
    with pytest.raises(ValueError, match="parallel"):
        circle_transitions(net, torch.tensor([1.0, 1, 1]), torch.tensor([2.0, 2, 2]))
    with pytest.raises(ValueError, match="zero vector"):
        circle_transitions(net, torch.zeros(3), torch.ones(3))
    with pytest.raises(ValueError, match="dimension 2"):
        circle_transitions(net, torch.tensor([1.0, 0]), torch.tensor([0.0, 1]))
    with pytest.raises(ValueError, match="one segment"):
        count_regions_on_segment(net, torch.zeros(2, 3), torch.ones(2, 3))
    bad = wb.mlp([3, 4, 1], "relu", seed=0)
    with torch.no_grad():
        bad.layers[0].weight[0, 0] = float("nan")
    with pytest.raises(ValueError, match="NaN"):
        count_regions_on_segment(bad, torch.zeros(3), torch.ones(3))


@pytest.mark.parametrize("act", PL)
@pytest.mark.parametrize("kind", ["circle", "segment"])
def test_refine_and_walk_methods_agree(act, kind):
    """The two exact methods (layer-wise refinement, region-to-region walk) give identical results."""
    net = _net([5, 8, 8, 8, 1], act, seed=31, shortcuts="add-shortcuts" if act == "relu" else None)
    x0, x1 = torch.randn(3, 5, dtype=torch.float64), torch.randn(3, 5, dtype=torch.float64)
    fn = circle_transitions if kind == "circle" else segment_transitions
    a = fn(net, x0, x1, device="cpu", method="refine")
    b = fn(net, x0, x1, device="cpu", method="walk")
    assert torch.equal(a.per_layer, b.per_layer)
    assert torch.equal(a.n_patterns, b.n_patterns) and torch.equal(a.n_pieces, b.n_pieces)
    for p, q in zip(a.breakpoints, b.breakpoints):
        assert torch.allclose(p, q, atol=1e-9)
    for p, q in zip(a.patterns, b.patterns):
        assert torch.equal(p, q)


def test_tangency_with_the_walk_method_and_bad_method():
    net = wb.mlp([2, 1, 1], "relu", seed=0).double()
    with torch.no_grad():
        net.layers[0].weight.copy_(torch.tensor([[math.cos(1.0), math.sin(1.0)]], dtype=torch.float64))
        net.layers[0].bias.fill_(-1.0)
    res = circle_transitions(net, torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), device="cpu", method="walk")
    assert int(res.total) == 0
    with pytest.raises(ValueError, match="method must be"):
        circle_transitions(net, torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), method="sample")


def test_max_pieces_stops_with_a_clear_error():
    net = _net([4, 30, 30, 1], "relu", seed=1, sw2=8.0)
    x0, x1 = _vecs(4, 0, scale=3.0)
    with pytest.raises(RuntimeError, match="max_pieces"):
        circle_transitions(net, x0, x1, device="cpu", max_pieces=5)


def test_pattern_keys_gemm_route_is_the_integer_projection():
    """The float64 GEMM route of ``pattern_keys`` gives exactly the int64 sums (20-bit halves: no rounding)."""
    from workbench.measures.paths.exact import _key_weights, pattern_keys

    g = torch.Generator().manual_seed(7)
    for dtype, lo, hi, n in [(torch.int8, -1, 2, 1537), (torch.int8, -128, 128, 3001), (torch.int64, -9, 10, 700),
                             (torch.bool, 0, 2, 64), (torch.int64, -2**45, 2**45, 50)]:
        s = torch.randint(lo, hi, (257, n), generator=g).to(dtype)
        r = _key_weights(12345, n)
        ref = torch.stack([(s.long() * r[0]).sum(-1), (s.long() * r[1]).sum(-1)], -1)
        assert torch.equal(pattern_keys(s), ref), dtype
    # equal rows, equal keys, whatever the batch; one flipped entry changes them
    s = torch.randint(0, 2, (5, 40), generator=g).to(torch.int8)
    assert torch.equal(pattern_keys(s)[2], pattern_keys(s[2:3])[0])
    t = s.clone()
    t[2, 17] ^= 1
    assert not torch.equal(pattern_keys(t)[2], pattern_keys(s)[2])
