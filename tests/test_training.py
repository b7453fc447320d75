"""The one trainer: same updates as a hand-written loop, seeded, penalties, callbacks, divergence, errors."""
from __future__ import annotations

import pytest
import torch
from torch import nn

import workbench as wb
from workbench.training import FitConfig, accuracy, fit


def _toy(n=64, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 4, generator=g)
    y = (X[:, 0] + X[:, 1] > 0).long()
    return X, y


def _net(seed=0):
    return wb.mlp([4, 8, 2], "relu", seed=seed)


def test_fit_equals_hand_written_sgd_loop():
    X, y = _toy()
    cfg = FitConfig(epochs=3, batch_size=16, lr=0.05, momentum=0.9)
    a, b = _net(), _net()
    fit(a, (X, y), cfg, seed=7, device="cpu")
    opt = torch.optim.SGD(b.parameters(), lr=0.05, momentum=0.9)
    g = torch.Generator().manual_seed(7)
    for _ in range(3):
        perm = torch.randperm(len(X), generator=g)
        for lo in range(0, len(X), 16):
            idx = perm[lo:lo + 16]
            opt.zero_grad()
            nn.functional.cross_entropy(b(X[idx]), y[idx]).backward()
            opt.step()
    for pa, pb in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(pa, pb, rtol=0, atol=1e-6)


def test_history_columns_and_seed_reproducibility():
    X, y = _toy()
    h1 = fit(_net(), (X[:48], y[:48]), FitConfig(epochs=4, batch_size=8), test=(X[48:], y[48:]), seed=3, device="cpu")
    h2 = fit(_net(), (X[:48], y[:48]), FitConfig(epochs=4, batch_size=8), test=(X[48:], y[48:]), seed=3, device="cpu")
    h3 = fit(_net(), (X[:48], y[:48]), FitConfig(epochs=4, batch_size=8), test=(X[48:], y[48:]), seed=4, device="cpu")
    assert list(h1.epoch) == [0, 1, 2, 3, 4]
    assert {"step", "loss", "penalty", "train_acc", "test_acc", "test_loss", "diverged"} <= set(h1.columns)
    assert list(h1.step) == [0, 6, 12, 18, 24]
    assert h1.equals(h2)
    assert not h1.loss.equals(h3.loss)  # a different batch order gives a different run
    assert h1.loss.iloc[-1] < h1.loss.iloc[0]
    assert not h1.diverged.any()


def test_generator_seed_continues_its_stream():
    X, y = _toy()
    g = torch.Generator().manual_seed(1)
    h1 = fit(_net(), (X, y), FitConfig(epochs=1, batch_size=8), seed=g, device="cpu")
    h2 = fit(_net(), (X, y), FitConfig(epochs=1, batch_size=8), seed=g, device="cpu")
    assert h1.loss.iloc[-1] != h2.loss.iloc[-1]


def test_penalty_on_epoch_and_params():
    X, y = _toy()
    net = _net()
    frozen = net.layers[0].weight.detach().clone()
    seen = []
    h = fit(net, (X, y), FitConfig(epochs=2, batch_size=None, lr=0.1),
            params=list(net.layers[-1].parameters()),
            penalty=lambda m, xb, yb: 0.5 * (m.layers[-1].weight ** 2).sum(),
            on_epoch=lambda ep, m: {"w_norm": float(m.layers[-1].weight.norm())},
            on_step=lambda s, m, l: seen.append(s), device="cpu")
    assert torch.equal(net.layers[0].weight, frozen)  # only the last layer was trained
    assert seen == [1, 2]
    assert "w_norm" in h and h.penalty.iloc[1] > 0 and h.penalty.iloc[0] == 0


def test_on_step_false_stops():
    X, y = _toy()
    h = fit(_net(), (X, y), FitConfig(epochs=5, batch_size=8), on_step=lambda s, m, l: s < 3, device="cpu")
    assert h.step.iloc[-1] == 3 and h.epoch.iloc[-1] == 1


def test_divergence_is_recorded_not_raised():
    X, y = _toy()
    h = fit(_net(), (X * 1e3, y), FitConfig(epochs=50, batch_size=None, lr=1e6, loss="mse"), device="cpu")
    assert h.diverged.iloc[-1] and h.attrs["diverged"]
    assert len(h) < 51


def test_mse_with_integer_labels_is_one_hot():
    X, y = _toy()
    h = fit(_net(), (X, y), FitConfig(epochs=2, batch_size=None, lr=0.1, loss="mse"), device="cpu")
    assert "train_acc" not in h and h.loss.iloc[-1] < h.loss.iloc[0]


def test_accuracy_restores_mode():
    X, y = _toy()
    net = _net().train()
    a = accuracy(net, X, y, device="cpu")
    assert net.training and 0 <= a <= 1
    assert a == float((net(X).argmax(1) == y).float().mean())


@pytest.mark.parametrize("kw, msg", [
    (dict(epochs=-1), "epochs"), (dict(batch_size=0), "batch_size"), (dict(lr=float("nan")), "lr"),
    (dict(optimizer="lbfgs"), "optimizer"), (dict(loss="hinge"), "loss"), (dict(eval_every=0), "eval_every"),
])
def test_config_errors(kw, msg):
    with pytest.raises(ValueError, match=msg):
        FitConfig(**kw)


def test_fit_errors():
    X, y = _toy()
    with pytest.raises(TypeError, match="model"):
        fit("net", (X, y))
    with pytest.raises(TypeError, match="data"):
        fit(_net(), None)
    with pytest.raises(ValueError, match="samples"):
        fit(_net(), (X, y[:3]))
    with pytest.raises(ValueError, match="NaN"):
        fit(_net(), (X * float("nan"), y))
    bad = _net()
    with torch.no_grad():
        bad.layers[0].weight[0, 0] = float("inf")
    with pytest.raises(ValueError, match="NaN or inf"):
        fit(bad, (X, y))
    with pytest.raises(ValueError, match="on_epoch"):
        fit(_net(), (X, y), FitConfig(epochs=1), on_epoch=lambda e, m: {"loss": 0.0}, device="cpu")
