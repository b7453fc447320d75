"""nets.mixed: MLPs with one activation per hidden layer (ESD Fig. 3's random networks)."""

import pytest
import torch

import workbench as wb
from workbench.nets import MixedMLP, mixed_mlp


def test_mixed_mlp_forward_is_layer_by_layer():
    net = mixed_mlp([2, 3, 4, 1], ["relu", "sigmoid"], seed=3)
    x = torch.randn(5, 2)
    h = torch.relu(net.layers[0](x))
    h = torch.sigmoid(net.layers[1](h))
    assert torch.allclose(net(x), net.layers[2](h))
    assert net.activations == ["relu", "sigmoid"] and net.widths == [2, 3, 4, 1]


def test_mixed_mlp_parameters_equal_mlp_and_leave_global_rng():
    state = torch.random.get_rng_state()
    net = mixed_mlp([1, 5, 1], ["tanh"], seed=7)
    assert torch.equal(torch.random.get_rng_state(), state)
    ref = wb.mlp([1, 5, 1], "tanh", seed=7)
    for a, b in zip(net.parameters(), ref.parameters()):
        assert torch.equal(a, b)
    assert not torch.equal(mixed_mlp([1, 5, 1], ["tanh"], seed=8).layers[0].weight, net.layers[0].weight)


def test_mixed_mlp_errors():
    with pytest.raises(ValueError, match="one name per hidden layer"):
        MixedMLP([1, 3, 1], ["relu", "tanh"])
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        MixedMLP([1, 3, 1], ["gelu"])
    with pytest.raises(ValueError, match="widths"):
        MixedMLP([1], [])
    with pytest.raises(TypeError):
        mixed_mlp([1, 3, 1], ["relu"], 0)  # seed is keyword-only


def test_random_mlp_is_gone_and_says_where_to_go():
    with pytest.raises(AttributeError, match="workbench.mixed_mlp"):
        wb.random_mlp  # noqa: B018
    with pytest.raises(ImportError):
        from workbench.papers.esd.sampling import random_mlp  # noqa: F401
    with pytest.raises(ImportError):
        from workbench.papers.esd.sampling import table1  # noqa: F401  (lives in workbench.papers.esd.figures)

