"""nets.trajreg and nets.conv: the trajectory-regularisation layer and its penalty (Raghu et al. 2017, §5)."""
import pytest
import torch
from torch import nn

from workbench.nets import (
    TrajectoryRegularization,
    minibatch_trajectory_length,
    small_convnet,
    trajectory_penalty,
)


def test_minibatch_trajectory_length_closed_form():
    a = torch.tensor([[0.0, 0.0], [3.0, 4.0], [3.0, 5.0]])
    assert float(minibatch_trajectory_length(a)) == pytest.approx(6.0)
    assert float(minibatch_trajectory_length(a[:1])) == 0.0
    with pytest.raises(ValueError, match="batch axis"):
        minibatch_trajectory_length(torch.tensor(1.0))


def test_penalty_is_lambda_times_length_ratio():
    lin = nn.Linear(2, 2, bias=False)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[2.0, 0.0], [0.0, 2.0]]))  # doubles every length
    layer = TrajectoryRegularization()
    with torch.no_grad():
        layer.lam.fill_(0.5)
    model = nn.Sequential(lin, layer).train()
    X = torch.randn(6, 2)
    out = model(X)
    assert torch.allclose(out, 0.5 * 2 * X)
    pen = trajectory_penalty(model, X, strength=0.01)
    assert float(pen.detach()) == pytest.approx(0.01 * 0.5 * 2.0, rel=1e-6)  # strength * lambda * (2 |X| / |X|)
    pen.backward()
    assert float(layer.lam.grad) == pytest.approx(0.01 * 2.0, rel=1e-6)  # d/d lambda = strength * ratio
    model.eval()
    model(X)
    assert float(trajectory_penalty(model, X)) == 0.0  # no length recorded in eval mode
    with pytest.raises(ValueError, match="no TrajectoryRegularization layer"):
        trajectory_penalty(lin, X)


def test_small_convnet_is_seeded_without_global_rng():
    state = torch.random.get_rng_state()
    a = small_convnet("batchnorm", seed=5)
    assert torch.equal(torch.random.get_rng_state(), state)
    torch.manual_seed(5)  # the old recipe: global seed, then the constructors
    ref = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                        nn.AvgPool2d(2), nn.Flatten(), nn.Linear(32 * 16, 10))
    for (n1, p1), (n2, p2) in zip(a.state_dict().items(), ref.state_dict().items()):
        assert n1 == n2 and torch.equal(p1, p2)
    with pytest.raises(ValueError, match="channels must be two positive ints"):
        small_convnet(channels=(4,))
    t = small_convnet("trajreg", channels=(2, 3), seed=0)
    assert sum(isinstance(m, TrajectoryRegularization) for m in t.modules()) == 2
