"""The piecewise-linear core (workbench.nets.piecewise) and the exact measures on a small conv net.

Exact transitions and dichotomies now run on every network the core compiles:
checked here on a 1x4x4-input conv net against brute force (forward hooks on the
activation modules, dense sampling of the path, the weight sweep redone by hand).
"""
from __future__ import annotations

import copy
import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

import workbench as wb
from workbench.measures.paths.dichotomies import count_dichotomies, weight_sweep_labels
from workbench.nets.multilayer import PIECEWISE_LINEAR, match_width
from workbench.nets.piecewise import (
    PIECES,
    Activation,
    Pieces,
    activation_state,
    apply_activation,
    compile_network,
    piece_index,
    pieces_of,
    propagate,
)


# ---------------------------------------------------------------- the table of pieces
def test_every_mlp_piecewise_linear_activation_is_in_the_table():
    assert PIECEWISE_LINEAR <= set(PIECES)


@pytest.mark.parametrize("name,mod,fn", [
    ("relu", nn.ReLU(), torch.relu),
    ("leaky_relu", nn.LeakyReLU(0.2), lambda z: torch.nn.functional.leaky_relu(z, 0.2)),
    ("hardtanh", nn.Hardtanh(-0.5, 2.0), lambda z: torch.nn.functional.hardtanh(z, -0.5, 2.0)),
    ("relu6", nn.ReLU6(), torch.nn.functional.relu6),
    ("identity", nn.Identity(), lambda z: z),
])
def test_pieces_reproduce_the_activation(name, mod, fn):
    act = Activation(pieces_of(mod), name)
    z = torch.linspace(-5, 8, 1001, dtype=torch.float64).reshape(1, -1)
    _, out = apply_activation(act, None, z, piece_index(z, act), z.shape[1:], None, None)
    assert torch.allclose(out, fn(z), atol=1e-15)


def test_abs_pieces_and_validation():
    act = Activation(PIECES["abs"](), "abs")
    z = torch.linspace(-3, 3, 61, dtype=torch.float64).reshape(1, -1)
    _, out = apply_activation(act, None, z, piece_index(z, act), z.shape[1:], None, None)
    assert torch.allclose(out, z.abs())
    with pytest.raises(ValueError, match="one slope and one offset per piece"):
        Pieces("bad", (0.0,), (1.0,), (0.0,))
    with pytest.raises(ValueError, match="breakpoints must increase"):
        Pieces("bad", (1.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 0.0))
    with pytest.raises(TypeError, match="not piecewise linear"):
        pieces_of(nn.Tanh(), "x")


def test_activation_state_is_raghus_convention():
    z = torch.tensor([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0])
    ht = Activation(pieces_of(nn.Hardtanh()), "h")
    assert activation_state(z, ht).tolist() == [-1, 0, 0, 0, 0, 1]
    assert activation_state(z, Activation(pieces_of(nn.ReLU()), "r")).tolist() == [0, 0, 0, 1, 1, 1]
    assert activation_state(z, Activation(None, "t", fn=nn.Tanh())).tolist() == [0, 0, 0, 1, 1, 1]


def test_match_width_along_any_dim():
    t = torch.arange(6.0).reshape(2, 3)
    assert torch.equal(match_width(t, 2), t[:, :2])
    assert torch.equal(match_width(t, 5)[:, 3:], torch.zeros(2, 2))
    assert torch.equal(match_width(t, 4, dim=0)[2:], torch.zeros(2, 3))


def test_compile_errors_name_the_layer():
    with pytest.raises(NotImplementedError, match="max pooling"):
        compile_network(nn.Sequential(nn.Conv2d(1, 2, 3), nn.MaxPool2d(2)), device="cpu")
    with pytest.raises(TypeError, match=r"'1'.*Softmax"):
        compile_network(nn.Sequential(nn.Linear(2, 3), nn.Softmax(-1)), device="cpu", allow_smooth=True)
    with pytest.raises(TypeError, match="unsupported network type"):
        compile_network(nn.GRU(2, 3), device="cpu")
    cn = compile_network(wb.mlp([3, 4, 1], "tanh", seed=0), device="cpu", allow_smooth=True)
    assert not cn.piecewise_linear and cn.first_smooth().name == "layers.0.act"


@given(seed=st.integers(0, 10_000), sc=st.sampled_from([None, "add-shortcuts", "add-inputs"]),
       act=st.sampled_from(["relu", "leaky_relu", "hardtanh", "identity", "tanh"]))
def test_propagate_on_values_is_the_forward_pass(seed, sc, act):
    net = wb.mlp([3, 5, 4, 2], act, shortcuts=sc, seed=seed).double()
    X = torch.randn(7, 3, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    cn = compile_network(net, device="cpu", allow_smooth=True)
    with torch.no_grad():
        assert torch.allclose(propagate(cn.ops, None, X).c, net(X), atol=1e-12)


# ---------------------------------------------------------------- a small conv net
def _convnet(seed=0, bn=True):
    torch.manual_seed(seed)
    layers = [nn.Conv2d(1, 3, 3, padding=1), nn.BatchNorm2d(3), nn.ReLU(), nn.AvgPool2d(2),
              nn.Conv2d(3, 4, 2), nn.LeakyReLU(0.1), nn.Flatten(), nn.Linear(4, 3), nn.Hardtanh(), nn.Linear(3, 1)]
    if not bn:
        layers[1] = nn.Identity()
    net = nn.Sequential(*layers).double()
    if bn:
        with torch.no_grad():
            net[1].running_mean.uniform_(-0.2, 0.2)
            net[1].running_var.uniform_(0.5, 1.5)
    return net.eval()


def _simple_convnet(seed=0):
    """The brief's example: 1x4x4 input, conv -> relu -> flatten -> linear."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(32, 1)).double().eval()


def _states_by_hooks(net, X):
    """Raghu et al.'s states of every activation neuron, from forward hooks (the brute force)."""
    out = []

    def hook(mod, inp, _):
        z = inp[0].reshape(inp[0].shape[0], -1)
        out.append(activation_state(z, Activation(pieces_of(mod), "h")))

    hs = [m.register_forward_hook(hook) for m in net.modules() if isinstance(m, (nn.ReLU, nn.LeakyReLU, nn.Hardtanh))]
    with torch.no_grad():
        net(X)
    for h in hs:
        h.remove()
    return torch.cat(out, 1)


def _check_against_dense_sampling(net, res, path, t_end, n=6000):
    """Every dense sample's pattern is the recorded pattern of the piece containing it."""
    t = torch.linspace(0, t_end, n + 1, dtype=torch.float64)[:-1] + 0.37 * t_end / n
    S = _states_by_hooks(net, path(t))
    bps = res.breakpoints[0] if isinstance(res.breakpoints, list) else res.breakpoints
    pats = res.patterns[0]
    # piece index of every sample: the number of breakpoints at or below it
    idx = torch.searchsorted(bps, t, right=True)
    if res.kind == "circle" and len(bps) and float(bps[0]) == 0.0:
        idx = idx - 1  # a breakpoint at t = 0 starts the first piece
    idx = idx % len(pats)
    far = torch.ones_like(t, dtype=torch.bool)
    for b in bps:
        far &= (t - b).abs() > 1e-7
    assert torch.equal(S[far], pats[idx[far]].to(S.dtype))
    # consecutive pieces differ, and the transitions are the sum of the pattern changes
    d = (pats[1:].to(torch.int16) - pats[:-1].to(torch.int16)).abs()
    assert (d.sum(1) > 0).all()
    total = int(d.sum())
    if res.kind == "circle" and len(pats) > 1:
        total += int((pats[0].to(torch.int16) - pats[-1].to(torch.int16)).abs().sum())
    assert total == int(res.total)


@pytest.mark.parametrize("make", [_simple_convnet, _convnet])
@pytest.mark.parametrize("method", ["refine", "walk"])
def test_conv_circle_transitions_match_dense_sampling(make, method):
    net = make()
    g = torch.Generator().manual_seed(3)
    x0, x1 = (2 * torch.randn(1, 4, 4, generator=g, dtype=torch.float64) for _ in range(2))
    res = wb.circle_transitions(net, x0, x1, method=method, device="cpu")
    assert int(res.total) > 4 and res.per_layer.shape == (wb.measures.paths.transitions.compile_network(
        net, device="cpu").n_activation_layers,)

    def path(t):
        return torch.cos(t)[:, None, None, None] * x0 + torch.sin(t)[:, None, None, None] * x1

    _check_against_dense_sampling(net, res, path, 2 * math.pi)


def test_conv_refine_and_walk_agree_batched():
    net = _convnet(seed=2)
    g = torch.Generator().manual_seed(5)
    x0, x1 = torch.randn(3, 1, 4, 4, generator=g, dtype=torch.float64), torch.randn(3, 1, 4, 4, generator=g,
                                                                                        dtype=torch.float64)
    a = wb.circle_transitions(net, x0, x1, method="refine", device="cpu")
    b = wb.circle_transitions(net, x0, x1, method="walk", device="cpu")
    assert a.batch_shape == (3,) and torch.equal(a.per_layer, b.per_layer)
    assert torch.equal(a.n_patterns, b.n_patterns)
    for p, q in zip(a.breakpoints, b.breakpoints):
        assert torch.allclose(p, q, atol=1e-9)


def test_conv_segment_regions_match_dense_sampling():
    net = _simple_convnet(seed=1)
    g = torch.Generator().manual_seed(7)
    a, b = (3 * torch.randn(1, 4, 4, generator=g, dtype=torch.float64) for _ in range(2))
    res = wb.segment_transitions(net, a, b, device="cpu")
    _check_against_dense_sampling(net, res, lambda t: a + t[:, None, None, None] * (b - a), 1.0)
    n = wb.count_regions_on_segment(net, a, b, device="cpu")
    assert n == int(res.n_pieces) == int(res.n_patterns) > 2
    # the local maps are the network on every piece
    mids = torch.cat([torch.zeros(1, dtype=torch.float64), res.breakpoints[0], torch.ones(1, dtype=torch.float64)])
    mids = (mids[1:] + mids[:-1]) / 2
    X = a + mids[:, None, None, None] * (b - a)
    W, c = wb.local_affine(net, X, device="cpu")
    with torch.no_grad():
        assert torch.allclose(torch.einsum("boi,bi->bo", W, X.reshape(len(X), -1)) + c, net(X), atol=1e-10)


def test_conv_ensemble_transitions_are_the_members():
    models = [_simple_convnet(seed=s) for s in range(3)]
    ens = wb.Ensemble(models, device="cpu")
    g = torch.Generator().manual_seed(1)
    x0, x1 = torch.randn(2, 1, 4, 4, generator=g, dtype=torch.float64), torch.randn(2, 1, 4, 4, generator=g,
                                                                                        dtype=torch.float64)
    for method in ("refine", "walk"):
        res = wb.circle_transitions(ens, x0, x1, method=method)
        assert res.batch_shape == (3, 2)
        for i, m in enumerate(models):
            one = wb.circle_transitions(m, x0, x1, method=method, device="cpu")
            assert torch.equal(res.per_layer[i], one.per_layer)
            assert torch.equal(res.n_patterns[i], one.n_patterns)


def test_conv_input_errors():
    net = _simple_convnet()
    with pytest.raises(ValueError, match="3 dimensions"):
        wb.circle_transitions(net, torch.randn(16), torch.randn(16))
    with pytest.raises(ValueError, match="one segment"):
        wb.count_regions_on_segment(net, torch.randn(2, 1, 4, 4), torch.randn(2, 1, 4, 4))
    with pytest.raises(NotImplementedError, match="max pooling"):
        wb.circle_transitions(nn.Sequential(nn.Conv2d(1, 2, 3), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(2, 1)),
                              torch.randn(1, 4, 4), torch.randn(1, 4, 4))
    smooth = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Tanh(), nn.Flatten(), nn.Linear(8, 1))
    with pytest.raises(wb.ExactTransitionsError, match="Tanh"):
        wb.circle_transitions(smooth, torch.randn(1, 4, 4), torch.randn(1, 4, 4))


# ---------------------------------------------------------------- dichotomies on a conv net
@pytest.mark.parametrize("layer", [0, 1, -1])
def test_conv_weight_sweep_by_hand(layer):
    net = _convnet(seed=4)
    X = torch.randn(6, 1, 4, 4, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    weighted = [m for m in net if isinstance(m, (nn.Linear, nn.Conv2d))]
    target = weighted[layer]
    W1 = torch.randn(target.weight.shape, generator=torch.Generator().manual_seed(8), dtype=torch.float64)
    n_steps = 12
    labels, pre = weight_sweep_labels(net, X, layer, n_steps=n_steps, W1=W1, device="cpu")
    assert labels.shape == (n_steps, 6) and len(pre) == 3
    W0 = target.weight.detach().clone()
    for k in range(n_steps):
        t = 2 * math.pi * k / n_steps
        m = copy.deepcopy(net)
        mt = [x for x in m if isinstance(x, (nn.Linear, nn.Conv2d))][layer]
        with torch.no_grad():
            mt.weight.copy_(math.cos(t) * W0 + math.sin(t) * W1)
            assert torch.equal(labels[k], m(X)[:, 0] > 0)
    d = count_dichotomies(net, X, layer, n_steps=n_steps, W1=W1, device="cpu")
    assert d.remaining_depth == {0: 3, 1: 2, -1: 0}[layer]
    assert 1 <= d.n_dichotomies <= max(1, d.n_label_flips)


@pytest.mark.parametrize("sc", [None, "add-shortcuts", "add-inputs"])
@pytest.mark.parametrize("layer", [0, 1, 2])
def test_mlp_dichotomies_keep_their_numbers(sc, layer):
    """The core's forward is nn.Linear's arithmetic: labels are those of the network at t = 0, in float32."""
    net = wb.mlp([5, 8, 6, 1], "hardtanh", init="gaussian", sigma_w2=4.0, seed=2, shortcuts=sc)
    X = torch.randn(12, 5, generator=torch.Generator().manual_seed(0))
    labels, pre = weight_sweep_labels(net, X, layer, n_steps=16, device="cpu")
    assert labels.dtype == torch.bool and pre[0].dtype == torch.float32
    assert torch.equal(labels[0], net(X)[:, 0] > 0)
    tr = net.trace(X).preacts
    assert all(torch.allclose(p[0], q, atol=1e-6) for p, q in zip(pre, tr))
    if layer > 0:
        assert torch.equal(pre[0][3], tr[0])


# ---------------------------------------------------------------- the table of module kinds (issue 24 item 5)
def test_module_kinds_classify_each_class_once_and_name_the_layers():
    from workbench.nets.piecewise import MODULE_KINDS, SMOOTH_ACTIVATIONS, module_kind
    from workbench.nets.svd_layers import SVDLinear

    classes = [(k, c) for k, cs in MODULE_KINDS.items() for c in cs]
    for k1, c1 in classes:
        for k2, c2 in classes:
            if k1 != k2:
                assert not issubclass(c1, c2), (c1, k1, c2, k2)
    # the core's smooth activations are the "smooth" kind plus the two hard ones, nothing lost
    assert set(SMOOTH_ACTIVATIONS) == set(MODULE_KINDS["smooth"]) | set(MODULE_KINDS["hard_activation"])
    expect = {nn.Linear(2, 2): "affine", nn.Conv1d(1, 1, 1): "affine", SVDLinear(3, 2): "affine",
              nn.AvgPool2d(2): "linear", nn.Flatten(): "linear", nn.Dropout(0.5): "linear",
              nn.MaxPool2d(2): "max_pool", nn.AdaptiveMaxPool1d(2): "max_pool", nn.ReLU(): "piecewise_linear",
              nn.ReLU6(): "piecewise_linear", nn.Identity(): "piecewise_linear", nn.Hardsigmoid(): "hard_activation",
              nn.Tanh(): "smooth", nn.Softmax(1): "not_elementwise", nn.BatchNorm2d(3): "batch_norm",
              nn.Sequential(): "container", nn.Upsample(scale_factor=2): None}
    assert {type(m).__name__: module_kind(m) for m in expect} == {type(m).__name__: k for m, k in expect.items()}


def test_hooked_activation_pattern_equals_the_compiled_pattern():
    """Same columns as workbench.activation_pattern (float64 nets: no unit within rounding of a breakpoint)."""
    from workbench.nets.piecewise import hooked_activation_pattern

    g = torch.Generator().manual_seed(3)
    X = torch.randn(50, 3, dtype=torch.float64, generator=g)
    nets = [wb.mlp([3, 6, 5, 2], "relu", shortcuts=s, seed=1).double() for s in (None, "add-shortcuts")]
    nets.append(nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.1), nn.Linear(4, 5), nn.Hardtanh(-0.3, 0.4),
                              nn.Linear(5, 2)).double())
    for net in nets:
        net.train()
        P = hooked_activation_pattern(net, X)
        assert net.training  # the flag is restored
        assert P.dtype == torch.bool and P.shape[1] > 0
        assert torch.equal(P, wb.activation_pattern(net, X, device="cpu"))


def test_hooked_activation_pattern_on_a_net_the_compiler_refuses():
    """Max pooling: the compiler refuses it; the hooks read the activations' inputs in the network's own pass."""
    from workbench.nets.piecewise import hooked_activation_pattern

    net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8, 3),
                        nn.Hardtanh(-0.2, 0.3, inplace=True), nn.Linear(3, 2)).double()
    X = torch.randn(20, 1, 6, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    with pytest.raises(NotImplementedError, match="max pooling"):
        wb.activation_pattern(net, X, device="cpu")
    z1 = net[0](X)
    z2 = net[4](net[3](net[2](torch.relu(z1))))
    bp = torch.tensor([-0.2, 0.3], dtype=torch.float64)
    want = torch.cat([(z1 > 0).reshape(20, -1), (z2.unsqueeze(-1) > bp).reshape(20, -1)], 1)
    assert want[:, -6:][:, 1::2].any()  # some units above the upper breakpoint 0.3 (what clipping would hide)
    # the in-place Hardtanh clips its input to <= 0.3: the pattern is read before it does
    assert torch.equal(hooked_activation_pattern(net, X), want)
    assert hooked_activation_pattern(nn.Sequential(nn.Linear(3, 2), nn.Identity()).double(),
                                     X.reshape(20, -1)[:, :3]).shape == (20, 0)
