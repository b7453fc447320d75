"""Networks: widths, activations, shortcuts, inits, the trace, seeds and errors."""
from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import workbench as wb
from workbench.nets.multilayer import ACTIVATIONS, INITS, SHORTCUTS


def manual_forward(net, x):
    """An independent forward pass written from the docstring's definition."""
    Ws = [l.weight for l in net.layers]
    bs = [l.bias for l in net.layers]
    act = {
        "relu": torch.relu, "leaky_relu": lambda z: torch.where(z > 0, z, 0.01 * z),
        "hardtanh": lambda z: z.clamp(-1, 1), "tanh": torch.tanh, "sigmoid": torch.sigmoid,
        "softplus": torch.nn.functional.softplus, "square": lambda z: z * z, "identity": lambda z: z,
    }[net.activation]
    h = x
    for W, b in zip(Ws[:-1], bs[:-1]):
        z = h @ W.T + b
        new = act(z)
        src = {"add-shortcuts": h, "add-inputs": x, None: None}[net.shortcuts]
        if src is not None:
            k = min(src.shape[1], new.shape[1])
            new = new.clone()
            new[:, :k] += src[:, :k]
        h = new
    return h @ Ws[-1].T + bs[-1]


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("shortcuts", SHORTCUTS)
def test_forward_matches_definition(activation, shortcuts):
    net = wb.mlp([3, 5, 2, 4, 1], activation, shortcuts=shortcuts, seed=1)
    x = torch.randn(7, 3, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(net(x), manual_forward(net, x), rtol=1e-6, atol=1e-6)


def test_shortcuts_add_no_parameters_and_change_the_function():
    counts = {s: sum(p.numel() for p in wb.mlp([1, 8, 8, 10, 1], shortcuts=s, seed=0).parameters()) for s in SHORTCUTS}
    assert len(set(counts.values())) == 1
    assert counts[None] == 1 * 8 + 8 + 8 * 8 + 8 + 8 * 10 + 10 + 10 * 1 + 1
    x = torch.linspace(-1, 1, 11).unsqueeze(1)
    outs = [wb.mlp([1, 8, 8, 10, 1], shortcuts=s, seed=0)(x) for s in SHORTCUTS]
    assert not torch.allclose(outs[0], outs[1]) and not torch.allclose(outs[1], outs[2])


def test_shortcut_row_alignment_by_hand():
    # identity activation, zero weights: every hidden layer's output is only its shortcut term
    net = wb.mlp([3, 2, 4, 1], "identity", shortcuts="add-shortcuts", seed=0)
    for lin in net.layers:
        torch.nn.init.zeros_(lin.weight)
        torch.nn.init.zeros_(lin.bias)
    x = torch.tensor([[1.0, 2.0, 3.0]])
    tr = net.trace(x)
    assert tr.acts[0].tolist() == [[1.0, 2.0]]  # row 3 of the input dropped (truncation)
    assert tr.acts[1].tolist() == [[1.0, 2.0, 0.0, 0.0]]  # rows 3, 4 get nothing (zero padding)
    net.shortcuts = "add-inputs"
    tr = net.trace(x)
    assert tr.acts[1].tolist() == [[1.0, 2.0, 3.0, 0.0]]  # the network input, row-aligned


def test_trace_is_consistent_with_forward():
    net = wb.mlp([2, 6, 6, 3], "leaky_relu", shortcuts="add-inputs", seed=3)
    x = torch.randn(5, 2)
    tr = net.trace(x)
    assert len(tr.preacts) == len(tr.acts) == net.n_hidden == 2
    assert [z.shape[-1] for z in tr.preacts] == [6, 6]
    torch.testing.assert_close(tr.output, net(x))
    assert isinstance(net(x, trace=True), wb.Trace)
    # preactivation of layer 2 is the linear map of layer 1's output
    torch.testing.assert_close(tr.preacts[1], net.layers[1](tr.acts[0]))


def test_activation_applied_after_hidden_layers_only():
    net = wb.mlp([1, 4, 1], "relu", seed=0)
    with torch.no_grad():
        net.layers[1].bias.fill_(-100.0)
    assert (net(torch.randn(20, 1)) < 0).all()  # no ReLU after the output layer


@given(seed=st.integers(0, 2**31 - 1), init=st.sampled_from(INITS))
def test_same_seed_same_network(seed, init):
    a = wb.mlp([2, 5, 5, 1], init=init, seed=seed)
    b = wb.mlp([2, 5, 5, 1], init=init, seed=seed)
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)


def test_different_seeds_differ_and_generator_continues():
    a = wb.mlp([2, 5, 1], seed=0)
    b = wb.mlp([2, 5, 1], seed=1)
    assert not torch.equal(a.layers[0].weight, b.layers[0].weight)
    g = torch.Generator().manual_seed(0)
    c, d = wb.mlp([2, 5, 1], seed=g), wb.mlp([2, 5, 1], seed=g)
    assert torch.equal(c.layers[0].weight, a.layers[0].weight)
    assert not torch.equal(d.layers[0].weight, c.layers[0].weight)


def test_default_init_matches_pytorch_bounds():
    net = wb.mlp([50, 400, 1], seed=0)
    w = net.layers[0].weight
    bound = 1 / math.sqrt(50)
    assert w.abs().max() <= bound and w.abs().max() > 0.95 * bound
    assert abs(w.var().item() - bound**2 / 3) < 0.05 * bound**2 / 3


@pytest.mark.parametrize("sw2, sb2", [(1.0, 0.0), (4.0, 0.5)])
def test_gaussian_init_variances(sw2, sb2):
    net = wb.mlp([100, 2000, 1], init="gaussian", sigma_w2=sw2, sigma_b2=sb2, seed=0)
    w, b = net.layers[0].weight, net.layers[0].bias
    assert abs(w.var().item() * 100 - sw2) < 0.03 * sw2
    assert abs(w.mean().item()) < 0.01
    if sb2 == 0:
        assert torch.count_nonzero(b) == 0
    else:
        assert abs(b.var().item() - sb2) < 0.1 * sb2


def test_he_init():
    net = wb.mlp([200, 2000, 1], init="he", seed=0)
    assert abs(net.layers[0].weight.var().item() * 200 - 2.0) < 0.05
    assert torch.count_nonzero(net.layers[0].bias) == 0


def test_no_bias():
    net = wb.mlp([2, 3, 1], bias=False, seed=0)
    assert all(l.bias is None for l in net.layers)
    assert torch.equal(net(torch.zeros(1, 2)), torch.zeros(1, 1))


def test_square_activation_is_polynomial():
    net = wb.mlp([1, 1, 1], "square", seed=0)
    w1, b1 = net.layers[0].weight.item(), net.layers[0].bias.item()
    w2, b2 = net.layers[1].weight.item(), net.layers[1].bias.item()
    x = torch.tensor([[0.3]])
    assert net(x).item() == pytest.approx(w2 * (w1 * 0.3 + b1) ** 2 + b2, rel=1e-6)


# --- bad input -------------------------------------------------------------
@pytest.mark.parametrize("widths, exc, msg", [
    ([], ValueError, "at least an input and an output"),
    ([3], ValueError, "at least an input and an output"),
    ([2, 0, 1], ValueError, r"widths\[1\] = 0 must be positive"),
    ([2, -3, 1], ValueError, "must be positive"),
    ([2, 2.5, 1], TypeError, "is not an int"),
    (5, TypeError, "sequence of positive ints"),
])
def test_bad_widths(widths, exc, msg):
    with pytest.raises(exc, match=msg):
        wb.mlp(widths)


@pytest.mark.parametrize("kw, msg", [
    (dict(activation="gelu"), "unknown activation 'gelu'; allowed values: 'relu'"),
    (dict(shortcuts="resnet"), "unknown shortcuts 'resnet'; allowed values: None, 'add-shortcuts'"),
    (dict(init="xavier"), "unknown init 'xavier'; allowed values: 'default', 'gaussian', 'he'"),
    (dict(init="he", sigma_w2=2.0), "only apply to init='gaussian'"),
    (dict(init="gaussian", sigma_w2=-1.0), "finite and >= 0"),
    (dict(seed=-1), "non-negative"),
    (dict(seed="a"), "seed must be an int"),
])
def test_bad_options(kw, msg):
    activation = kw.pop("activation", "relu")
    with pytest.raises((ValueError, TypeError), match=msg):
        wb.mlp([2, 3, 1], activation, **kw)


def test_variances_select_the_gaussian_scheme():
    """issue 26: ``mlp(..., sigma_w2=4)`` means the Gaussian init with that variance, not an error."""
    a = wb.mlp([3, 50, 2], sigma_w2=4.0, seed=1)
    b = wb.mlp([3, 50, 2], init="gaussian", sigma_w2=4.0, seed=1)
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert torch.equal(pa, pb)
    c = wb.mlp([3, 50, 2], init="gaussian", seed=1)  # sigma_w2 = 1: a different draw scale
    assert not torch.equal(a.layers[0].weight, c.layers[0].weight)
    assert torch.allclose(a.layers[0].weight, 2.0 * c.layers[0].weight)
