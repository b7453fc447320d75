"""The extended data Jacobian matrix (Wang et al. 2016): exactness, score, bound, bad input."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

import workbench as wb
from workbench.nets import Averaged, conv_net, dense_net, svd_net

CPU = "cpu"


def brute_force_jacobians(net, X):
    """One torch.autograd.functional.jacobian call per input: the reference."""
    net.eval()
    return torch.stack([torch.autograd.functional.jacobian(lambda x: net(x[None])[0], x).reshape(-1, x.numel())
                        for x in X])


# ---------------------------------------------------------------- exactness
def test_relu_mlp_matrices_equal_local_affine_and_reproduce_outputs(device):
    net = wb.mlp([5, 12, 9, 4], "relu", seed=1).double()
    X = torch.randn(40, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    r = wb.edjm(net, X.to(device), device=device)
    W, b = wb.local_affine(net, X, device=CPU)
    assert r.exact and r.matrices.shape == (4, 40, 5)
    M, bias = r.matrices.cpu(), r.bias.cpu()
    torch.testing.assert_close(M.permute(1, 0, 2), W, rtol=0, atol=1e-12)
    torch.testing.assert_close(bias, b, rtol=0, atol=1e-12)
    # eq. 11: the EDJM reproduces every output exactly
    rec = torch.einsum("oni,ni->no", M, X) + bias
    torch.testing.assert_close(rec, net(X), rtol=0, atol=1e-12)
    assert r.residual < 1e-12


def test_bias_free_relu_net_output_is_djm_times_x():
    """Eq. 11 as the paper writes it (no biases): y_i = DJM(x_i) x_i."""
    net = wb.mlp([6, 10, 10, 3], "relu", bias=False, seed=2).double()
    X = torch.randn(30, 6, dtype=torch.float64)
    r = wb.edjm(net, X, device=CPU)
    torch.testing.assert_close(torch.einsum("oni,ni->no", r.matrices, X), net(X), rtol=0, atol=1e-12)
    assert r.bias.abs().max() < 1e-12


@pytest.mark.parametrize("pool", ["max", "avg"])
def test_conv_net_matches_per_input_autograd_and_eq11(pool):
    net = conv_net((1, 8, 8), [3, 4], [7], 5, pool=pool, seed=0).double()
    X = wb.data.digits(n=25, flatten=False).X.double()
    r = wb.edjm(net, X, device=CPU, chunk_size=7)
    ref = brute_force_jacobians(net, X)
    torch.testing.assert_close(r.matrices.permute(1, 0, 2), ref, rtol=0, atol=1e-12)
    assert r.exact and r.residual < 1e-10
    rec = torch.einsum("oni,ni->no", r.matrices, X.reshape(25, -1)) + r.bias
    torch.testing.assert_close(rec, net(X), rtol=0, atol=1e-10)


def test_singular_values_match_numpy_svd_per_output():
    net = dense_net(64, [20, 20], 10, seed=3).double()
    X = wb.data.digits(n=90).X.double()
    r = wb.edjm(net, X, device=CPU)
    ref = brute_force_jacobians(net, X)
    assert r.singular_values.shape == (10, 64)
    for j in range(10):
        s = np.linalg.svd(ref[:, j, :].numpy(), compute_uv=False)
        np.testing.assert_allclose(r.singular_values[j].numpy(), s, rtol=1e-10, atol=1e-12)
    assert (r.singular_values[:, :-1] >= r.singular_values[:, 1:]).all()
    torch.testing.assert_close(r.normalized[:, 0], torch.ones(10, dtype=torch.float64))


def test_gram_route_agrees_on_the_large_singular_values():
    net = dense_net(64, [30], 10, seed=4).double()
    X = wb.data.digits(n=200).X.double()
    a = wb.edjm(net, X, device=CPU)
    b = wb.edjm(net, X, store="gram", device=CPU)
    assert b.matrices is None
    top = a.singular_values[:, :10]
    torch.testing.assert_close(b.singular_values[:, :10], top, rtol=1e-8, atol=0)
    assert abs(a.score - b.score) < 1e-8


def test_fewer_inputs_than_dimensions_gives_n_singular_values():
    net = dense_net(64, [16], 3, seed=0)
    r = wb.edjm(net, wb.data.digits(n=10).X, device=CPU)
    assert r.singular_values.shape == (3, 10)


def test_svd_layer_and_ensemble_are_exact():
    X = wb.data.digits(n=60).X.double()
    s = svd_net(64, [16, 16], 10).double()
    assert wb.edjm(s, X, device=CPU, exact=True).residual < 1e-10
    members = [dense_net(64, [16], 10, seed=i).double() for i in range(3)]
    e = wb.edjm(Averaged(members), X, device=CPU, exact=True)
    mean_m = torch.stack([wb.edjm(m, X, device=CPU).matrices for m in members]).mean(0)
    torch.testing.assert_close(e.matrices, mean_m, rtol=0, atol=1e-12)


def test_smooth_activation_is_a_jacobian_and_says_so():
    net = dense_net(64, [16], 10, activation="tanh", seed=0).double()
    X = wb.data.digits(n=20).X.double()
    r = wb.edjm(net, X, device=CPU)
    assert not r.exact and r.bias is None and "not an exact" in r.note and "Tanh" in r.note
    torch.testing.assert_close(r.matrices.permute(1, 0, 2), brute_force_jacobians(net, X), rtol=0, atol=1e-12)


def test_softmax_output_is_the_jacobian_of_softmax():
    net = dense_net(64, [16], 10, seed=0).double()
    X = wb.data.digits(n=15).X.double()
    r = wb.edjm(net, X, output="softmax", device=CPU)
    ref = torch.stack([torch.autograd.functional.jacobian(lambda x: torch.softmax(net(x[None])[0], 0), x)
                       for x in X])
    torch.testing.assert_close(r.matrices.permute(1, 0, 2), ref, rtol=0, atol=1e-12)
    assert not r.exact and "softmax" in r.note


def test_training_mode_is_restored_and_dropout_is_off():
    net = dense_net(64, [32], 10, dropout=0.5, seed=0).double()
    net.train()
    X = wb.data.digits(n=20).X.double()
    a = wb.edjm(net, X, device=CPU)
    b = wb.edjm(net, X, device=CPU)
    assert net.training
    torch.testing.assert_close(a.matrices, b.matrices)
    assert a.exact


def test_hidden_nonlinearity_in_forward_is_caught_by_eq11():
    class Sneaky(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(4, 3)

        def forward(self, x):
            return torch.sin(self.lin(x))

    net = Sneaky().double()
    X = torch.randn(10, 4, dtype=torch.float64)
    r = wb.edjm(net, X, device=CPU)
    assert not r.exact and "eq. 11 fails" in r.note
    with pytest.raises(ValueError, match="exact route cannot handle.*eq. 11 fails"):
        wb.edjm(net, X, exact=True, device=CPU)


# ---------------------------------------------------------------- the score (eq. 12)
def brute_score(s, keep):
    s = np.asarray(s, float)
    eps = np.percentile(s, 100 * (1 - keep))
    return sum(v / s.max() for v in s if v > eps)


@given(st.lists(st.floats(0.0, 100.0), min_size=1, max_size=60).filter(lambda v: max(v) > 0),
       st.sampled_from([0.1, 0.25, 0.5, 1.0]))
def test_score_matches_brute_force(values, keep):
    assert edjm_score_close(values, keep)


def edjm_score_close(values, keep):
    return abs(wb.edjm_score(values, keep) - brute_score(values, keep)) < 1e-9


def test_score_hand_example():
    s = np.arange(1.0, 21.0)  # 90th percentile of 1..20 is 18.1 (linear interpolation)
    assert wb.edjm_score(s) == pytest.approx((19 + 20) / 20)
    assert wb.edjm_score(np.ones(10)) == 0.0  # nothing strictly above the percentile
    np.testing.assert_allclose(wb.edjm_score(np.stack([s, 2 * s])), [(19 + 20) / 20] * 2)


def test_result_score_is_mean_of_scores_and_frame():
    net = dense_net(64, [16], 10, seed=0)
    r = wb.edjm(net, wb.data.digits(n=100).X, device=CPU)
    assert r.score == pytest.approx(float(np.mean([wb.edjm_score(s) for s in r.singular_values])))
    df = r.to_frame()
    assert len(df) == 10 * 64 and set(df.columns) >= {"output", "component", "sigma", "normalized", "score"}
    assert df.groupby("output")["normalized"].max().eq(1.0).all()
    assert r.score <= r.max_score


# ---------------------------------------------------------------- distinct DJMs vs 2^H
def test_distinct_djms_within_bound_and_equal_to_patterns_for_one_hidden_layer():
    net = dense_net(64, [6], 10, seed=0)
    X = wb.data.digits(n=500).X
    c = wb.distinct_djms(net, X, device=CPU)
    assert c.hidden_units == 6 and c.bound == 2 ** 6
    assert c.distinct_matrices <= c.distinct_patterns <= c.bound
    # brute force: patterns from the hidden pre-activations
    z = net[1](net[0](X))
    pats = {tuple(row) for row in (z > 0).int().tolist()}
    assert c.distinct_patterns == len(pats)
    # one hidden layer with 10 independent output rows: distinct patterns give distinct maps
    assert c.distinct_matrices == c.distinct_patterns
    assert "bound" in c.to_frame().columns


def test_distinct_djms_linear_network_has_one():
    net = nn.Sequential(nn.Linear(64, 5), nn.ReLU(), nn.Linear(5, 3))
    with torch.no_grad():
        net[0].bias.fill_(100.0)  # every unit always on: one linear system for all inputs
    c = wb.distinct_djms(net, wb.data.digits(n=50).X, device=CPU)
    assert c.distinct_matrices == 1 and c.distinct_patterns == 1
    assert wb.edjm(net, wb.data.digits(n=50).X, device=CPU).singular_values[:, 1].abs().max() < 1e-4


# ---------------------------------------------------------------- bad input
def test_width_mismatch():
    with pytest.raises(ValueError, match=r"width 5.*\(n, 5\)"):
        wb.edjm(wb.mlp([5, 4, 2], seed=0), torch.randn(3, 6), device=CPU)
    with pytest.raises(ValueError, match="does not match the network.*first Linear layer takes 64 features"):
        wb.edjm(dense_net(64, [8], 2), torch.randn(3, 63), device=CPU)
    with pytest.raises(ValueError, match="first convolution takes 1 channels"):
        wb.edjm(conv_net((1, 8, 8), [2], [], 2), torch.randn(3, 3, 8, 8), device=CPU)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_nan_inf_inputs(bad):
    X = torch.randn(4, 5)
    X[2, 1] = bad
    with pytest.raises(ValueError, match=r"X contains NaN or inf \(1 of 4 inputs\)"):
        wb.edjm(wb.mlp([5, 4, 2], seed=0), X, device=CPU)


def test_nan_weights():
    net = wb.mlp([5, 4, 2], seed=0)
    with torch.no_grad():
        net.layers[1].weight[0, 0] = float("nan")
    with pytest.raises(ValueError, match="parameter .layers.1.weight. contains NaN"):
        wb.edjm(net, torch.randn(3, 5), device=CPU)


def test_network_with_no_output():
    with pytest.raises(ValueError, match="no layers"):
        wb.edjm(nn.Sequential(), torch.randn(3, 5), device=CPU)
    with pytest.raises(ValueError, match="no output"):
        wb.edjm(nn.Linear(5, 0), torch.randn(3, 5), device=CPU)

    class Nothing(nn.Module):
        def forward(self, x):
            return None

    with pytest.raises(TypeError, match="must return a tensor"):
        wb.edjm(Nothing(), torch.randn(3, 5), device=CPU)


@pytest.mark.parametrize("keep", [0, -0.1, 1.5, float("nan"), True])
def test_keep_outside_unit_interval(keep):
    with pytest.raises(ValueError, match=r"keep must be a fraction in \(0, 1\]"):
        wb.edjm_score([1.0, 2.0], keep)


def test_score_bad_values():
    with pytest.raises(ValueError, match="all zeros"):
        wb.edjm_score([0.0, 0.0])
    with pytest.raises(ValueError, match=">= 0"):
        wb.edjm_score([1.0, -2.0])
    with pytest.raises(ValueError, match="at least one"):
        wb.edjm_score([])


def test_exact_route_refuses_what_it_cannot_handle():
    X = torch.rand(5, 64)
    with pytest.raises(ValueError, match="exact route cannot handle.*Tanh.*smooth"):
        wb.edjm(dense_net(64, [8], 2, activation="tanh"), X, exact=True, device=CPU)
    with pytest.raises(ValueError, match="exact route cannot handle.*Hardtanh.*not positively homogeneous"):
        wb.edjm(nn.Sequential(nn.Linear(64, 4), nn.Hardtanh(), nn.Linear(4, 2)), X, exact=True, device=CPU)
    with pytest.raises(ValueError, match="exact route cannot handle.*BatchNorm1d"):
        wb.edjm(nn.Sequential(nn.Linear(64, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2)), X, exact=True,
                device=CPU)
    with pytest.raises(ValueError, match="exact route cannot handle.*softmax"):
        wb.edjm(dense_net(64, [8], 2), X, output="softmax", exact=True, device=CPU)
    with pytest.raises(ValueError, match="exact route cannot handle.*MLP with activation 'sigmoid'"):
        wb.edjm(wb.mlp([64, 4, 2], "sigmoid"), X, exact=True, device=CPU)


def test_bad_options():
    net, X = dense_net(64, [8], 2), torch.rand(5, 64)
    with pytest.raises(ValueError, match="output must be one of"):
        wb.edjm(net, X, output="probs", device=CPU)
    with pytest.raises(ValueError, match="store must be"):
        wb.edjm(net, X, store="disk", device=CPU)
    with pytest.raises(ValueError, match="chunk_size"):
        wb.edjm(net, X, chunk_size=0, device=CPU)
    # integer inputs are converted to the network's dtype (issue 14), not refused
    assert wb.edjm(net, torch.ones(5, 64, dtype=torch.int64), device=CPU).score == \
        wb.edjm(net, torch.ones(5, 64), device=CPU).score
    with pytest.raises(TypeError, match="torch.nn.Module"):
        wb.edjm("net", X, device=CPU)
    with pytest.raises(MemoryError, match="store='gram'"):
        wb.edjm(net, X, max_bytes=10, device=CPU)


@given(st.lists(st.integers(1, 9), min_size=1, max_size=3), st.integers(1, 4), st.integers(1, 5),
       st.integers(0, 10_000), st.sampled_from([None, "add-shortcuts", "add-inputs"]))
def test_property_edjm_is_the_local_affine_map_of_any_relu_mlp(hidden, n_in, n_out, seed, shortcuts):
    """For every ReLU MLP (any shortcuts): EDJM rows = W_R of the PL core, and eq. 11 reproduces the outputs."""
    net = wb.mlp([n_in, *hidden, n_out], "relu", shortcuts=shortcuts, init="gaussian", sigma_w2=2.0,
                 sigma_b2=0.2, seed=seed).double()
    X = torch.randn(12, n_in, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    r = wb.edjm(net, X, device=CPU, exact=True)
    W, b = wb.local_affine(net, X, device=CPU)
    torch.testing.assert_close(r.matrices.permute(1, 0, 2), W, rtol=0, atol=1e-10)
    torch.testing.assert_close(torch.einsum("oni,ni->no", r.matrices, X) + r.bias, net(X), rtol=0, atol=1e-10)
    assert r.singular_values.shape == (n_out, min(12, n_in))
