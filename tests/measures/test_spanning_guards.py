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

