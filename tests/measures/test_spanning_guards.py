"""spanning_dimension's guards after the issue-29 trimming: the float64 layer-range screen of the closed form still
warns wherever the hooked check (warn_layer_range) does, for ReLU / identity networks whose screen reads only the
pre-activations and the output."""
from __future__ import annotations

import warnings

import pytest
import torch

import workbench as wb
from workbench.measures.spanning import structured
from workbench.measures.spanning.dimension import spanning_dimension
from workbench.validation import NumericalWarning


def _warnings(net, X):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        spanning_dimension(net, X)
    return [str(x.message) for x in w if issubclass(x.category, NumericalWarning)]


@pytest.mark.parametrize("act", ["relu", "identity", "tanh"])
@pytest.mark.parametrize("layer", [0, 1, 2])
def test_a_subnormal_layer_output_warns_through_the_closed_form(act, layer):
    net = wb.mlp([1, 4, 3, 1], act, seed=0).double()
    X = torch.linspace(0.1, 1, 30, dtype=torch.float64).unsqueeze(1)
    assert structured.supports_closed_form(net)
    assert _warnings(net, X) == []
    with torch.no_grad():  # layer `layer`'s outputs (and for the last, the network's output) become subnormal
        net.layers[layer].weight.mul_(1e-310)
        net.layers[layer].bias.zero_()
    msgs = _warnings(net, X)
    assert any("not meaningful" in m and f"layers.{layer}" in m and "underflows" in m for m in msgs), msgs



@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_the_range_screen_flags_what_it_promises(dtype):
    """``layer_range_suspects`` flags non-finite values, |v| > max / 2**10 and 0 < |v| < tiny * 2**10, each member
    on its own (the exact edges may go either way: the screen may flag a superset); exact zeros (of either sign)
    and ordinary values pass.  The smallest subnormal is flagged (the earlier one-comparison screen rounded
    it away)."""
    from workbench.measures.spanning.structured import layer_range_suspects

    fi = torch.finfo(dtype)
    sub = float(torch.nextafter(torch.zeros((), dtype=dtype), torch.ones((), dtype=dtype)))
    flagged = [fi.max / 1000, fi.max / 2, float("inf"), float("nan"), fi.tiny * 1000, fi.tiny, sub, fi.tiny * 3]
    passed = [0.0, -0.0, 1.0, 1e-3, fi.max / 2048, fi.tiny * 2048, 0.5 * fi.max / 1024]
    for v in flagged + passed:
        for sign in (1.0, -1.0):
            x = torch.tensor([[1.0, 2.0, sign * v], [0.5, 0.0, 3.0]], dtype=dtype)
            other = torch.tensor([[1.0], [2.0]], dtype=dtype)
            want = [0] if v in flagged or v != v else []
            assert layer_range_suspects([other, x], dtype) == want, (v, sign)
