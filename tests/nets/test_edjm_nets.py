"""Networks of the EDJM paper: dense / conv stacks, averaged ensembles, SVD layers (Wang et al. 2016, §5)."""
from __future__ import annotations

import pytest
import torch
from torch import nn

import workbench as wb
from workbench.nets import (
    Averaged,
    SVDLinear,
    conv_net,
    dense_net,
    hidden_units,
    orthonormality_error,
    reorthonormalize,
    reorthonormalize_every,
    svd_log_penalty,
    svd_net,
)


def test_dense_net_shapes_params_and_seed():
    a, b = dense_net(64, [30, 20], 10, seed=1), dense_net(64, [30, 20], 10, seed=1)
    assert wb.count_parameters(a) == 64 * 30 + 30 + 30 * 20 + 20 + 20 * 10 + 10
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert hidden_units(a, (64,)) == 50
    with pytest.raises(AttributeError, match=r"n_parameters was removed .*workbench\.count_parameters"):
        wb.nets.n_parameters(a)  # the 0.1 name: removed in 0.2.0, the error names the new one
    d = dense_net(64, [30], 10, dropout=0.3, bottleneck=12)
    assert any(isinstance(m, nn.Dropout) for m in d) and d[1].out_features == 12
    assert d(torch.rand(4, 1, 8, 8)).shape == (4, 10)


def test_conv_net_hidden_units_count_every_feature_map_entry():
    net = conv_net((1, 8, 8), [4, 6], [16], 10, seed=0)
    assert net(torch.rand(2, 1, 8, 8)).shape == (2, 10)
    assert hidden_units(net, (1, 8, 8)) == 4 * 64 + 6 * 16 + 16  # conv outputs before pooling, size kept


def test_net_builder_errors():
    with pytest.raises(ValueError, match="dropout must be a probability"):
        dense_net(4, [3], 2, dropout=1.0)
    with pytest.raises(ValueError, match="unknown activation"):
        dense_net(4, [3], 2, activation="swish")
    with pytest.raises(ValueError, match=r"hidden\[1\] must be >= 1, got 0"):
        dense_net(4, [3, 0], 2)
    with pytest.raises(ValueError, match="too many pooling layers"):
        conv_net((1, 2, 2), [2, 2], [], 2)
    with pytest.raises(ValueError, match="unknown pool"):
        conv_net((1, 8, 8), [2], [], 2, pool="median")
    with pytest.raises(ValueError, match="at least one member"):
        Averaged([])


def test_svd_layer_is_the_svd_of_a_default_linear():
    m = SVDLinear(7, 5, seed=0)
    W = m.weight()
    U, S, Vh = torch.linalg.svd(W, full_matrices=False)
    torch.testing.assert_close(m.S, S)
    assert orthonormality_error(nn.Sequential(m)) < 1e-5
    x = torch.randn(3, 7)
    torch.testing.assert_close(m(x), x @ W.T + m.bias)


def test_reorthonormalize_keeps_the_matrix_and_restores_orthonormality():
    net = svd_net(10, [8, 6], 3, seed=0).double()
    with torch.no_grad():
        for p in net.parameters():
            p.add_(0.1 * torch.randn_like(p))
    assert orthonormality_error(net) > 1e-2
    before = [m.weight().clone() for m in net.modules() if isinstance(m, SVDLinear)]
    x = torch.randn(5, 10, dtype=torch.float64)
    y = net(x)
    assert reorthonormalize(net) == 2
    assert orthonormality_error(net) < 1e-12
    after = [m.weight() for m in net.modules() if isinstance(m, SVDLinear)]
    for a, b in zip(before, after):
        torch.testing.assert_close(a, b)
    torch.testing.assert_close(net(x), y)
    assert all((m.S >= 0).all() for m in net.modules() if isinstance(m, SVDLinear))


def test_svd_penalty_and_on_step_through_fit():
    d = wb.data.digits(n=200)
    net = svd_net(64, [16], 10, seed=0)
    S0 = [m.S.detach().clone() for m in net.modules() if isinstance(m, SVDLinear)]
    pen = svd_log_penalty(0.01)
    expected = -0.01 * sum(s.log().sum() for s in S0)
    torch.testing.assert_close(pen(net, d.X, d.y), expected)
    hist = wb.fit(net, d, wb.FitConfig(epochs=2, lr=0.05, batch_size=50), penalty=pen,
                  on_step=reorthonormalize_every(1), device="cpu")
    assert orthonormality_error(net) < 1e-4
    assert (hist["penalty"].iloc[1:] != 0).all()
    # the regulariser raises the layer singular values against the same run without it
    plain = svd_net(64, [16], 10, seed=0)
    wb.fit(plain, d, wb.FitConfig(epochs=2, lr=0.05, batch_size=50), on_step=reorthonormalize_every(1), device="cpu")
    def logS(n):
        return float(sum(m.S.log().sum() for m in n.modules() if isinstance(m, SVDLinear)))

    assert logS(net) > logS(plain)
    with pytest.raises(ValueError, match="no SVDLinear"):
        svd_log_penalty(0.1)(dense_net(64, [4], 2), d.X, d.y)
    with pytest.raises(ValueError, match="lam must be"):
        svd_log_penalty(-1.0)
    with pytest.raises(ValueError, match="period must be"):
        reorthonormalize_every(0)
