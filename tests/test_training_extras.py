"""training: fit_restarts (the stacked multi-restart trainer; its SGD test is in test_esd.py) and fit's batch_loss."""
import numpy as np
import pytest
import torch

import workbench as wb
from workbench.training import fit_restarts


def _data():
    g = torch.Generator().manual_seed(1)
    return torch.rand(6, 2, generator=g, dtype=torch.float64), torch.rand(6, 1, generator=g, dtype=torch.float64)


def test_plain_mlp_restarts_equal_sgd_and_leave_models_untouched():
    X, Y = _data()
    models = [wb.mlp([2, 4, 1], "tanh", seed=s).double() for s in range(2)]
    before = [m.layers[0].weight.clone() for m in models]
    got = fit_restarts(models, X, Y, steps=25, lr=0.1, momentum=0.5)
    for m, w in zip(models, before):
        assert torch.equal(m.layers[0].weight, w)
    want = []
    for m in models:
        opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.5)
        for _ in range(25):
            opt.zero_grad()
            ((m(X) - Y) ** 2).mean().backward()
            opt.step()
        want.append(float(((m(X) - Y) ** 2).mean().detach()))
    assert np.allclose(got, want, rtol=1e-10)


def test_fit_restarts_errors():
    X, Y = _data()
    m = wb.mlp([2, 3, 1], "relu", seed=0).double()
    with pytest.raises(ValueError, match="at least one model"):
        fit_restarts([], X, Y, steps=1, lr=0.1)
    with pytest.raises(ValueError, match="architecture of model 0"):
        fit_restarts([m, wb.mlp([2, 4, 1], "relu", seed=0).double()], X, Y, steps=1, lr=0.1)
    with pytest.raises(TypeError, match="shortcuts"):
        fit_restarts([wb.mlp([2, 2, 1], "relu", shortcuts="add-inputs", seed=0)], X, Y, steps=1, lr=0.1)
    with pytest.raises(TypeError, match="must have .layers"):
        fit_restarts([torch.nn.Linear(2, 1)], X, Y, steps=1, lr=0.1)
    with pytest.raises(ValueError, match="steps must be"):
        fit_restarts([m], X, Y, steps=-1, lr=0.1)
    with pytest.raises(ValueError, match="lr must be"):
        fit_restarts([m], X, Y, steps=1, lr=float("nan"))
    with pytest.raises(ValueError, match="X must have shape"):
        fit_restarts([m], X[:, :1], Y, steps=1, lr=0.1)
    with pytest.raises(ValueError, match="Y must have shape"):
        fit_restarts([m], X, Y[:3], steps=1, lr=0.1)


def test_diverged_restart_is_inf():
    X, Y = _data()
    m = wb.mlp([2, 8, 1], "relu", seed=0).double()
    assert np.isinf(fit_restarts([m], X * 1e3, Y, steps=400, lr=10.0, momentum=0.9)).all()


def test_batch_loss_is_the_sample_weighted_mean_of_the_minibatch_losses():
    g = torch.Generator().manual_seed(0)
    X = torch.randn(10, 3, generator=g)
    y = (X[:, 0] > 0).long()
    net = wb.mlp([3, 5, 2], "relu", seed=1)
    seen = []
    hist = wb.fit(net, (X, y), wb.FitConfig(epochs=2, batch_size=4, lr=0.1), seed=3, device="cpu",
                  on_step=lambda step, m, loss: seen.append(loss))
    assert np.isnan(hist.batch_loss[0])
    sizes = [4, 4, 2]  # 10 samples in batches of 4
    for epoch in (1, 2):
        losses = seen[3 * (epoch - 1): 3 * epoch]
        want = sum(loss * n for loss, n in zip(losses, sizes)) / 10
        assert hist.batch_loss[epoch] == pytest.approx(want, rel=1e-6)
