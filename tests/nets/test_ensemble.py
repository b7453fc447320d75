"""Batched ensembles equal their members run one by one."""
from __future__ import annotations

import pytest
import torch

import workbench as wb


@pytest.mark.parametrize("shortcuts", [None, "add-shortcuts", "add-inputs"])
@pytest.mark.parametrize("activation", ["relu", "tanh", "square"])
def test_ensemble_equals_individual_networks(activation, shortcuts):
    widths = [3, 7, 5, 2]
    ens = wb.mlp_ensemble(widths, 5, activation, shortcuts=shortcuts, seed=10, device="cpu")
    x = torch.randn(11, 3, generator=torch.Generator().manual_seed(1))
    out = ens(x)
    assert out.shape == (5, 11, 2)
    for i in range(5):
        net = wb.mlp(widths, activation, shortcuts=shortcuts, seed=10 + i)
        torch.testing.assert_close(out[i], net(x), rtol=1e-6, atol=1e-6)
        torch.testing.assert_close(ens.member(i)(x), net(x), rtol=1e-6, atol=1e-6)
    assert ens.seeds == [10, 11, 12, 13, 14]


def test_ensemble_trace_and_per_member_inputs():
    ens = wb.mlp_ensemble([2, 4, 4, 1], 3, "relu", init="gaussian", sigma_w2=2.0, seed=0, device="cpu")
    X = torch.randn(3, 6, 2)
    out = ens(X)
    tr = ens.trace(X)
    assert len(tr.preacts) == 2 and tr.preacts[0].shape == (3, 6, 4)
    for i in range(3):
        net = wb.mlp([2, 4, 4, 1], "relu", init="gaussian", sigma_w2=2.0, seed=i)
        torch.testing.assert_close(out[i], net(X[i]))
        ref = net.trace(X[i])
        for a, b in zip(tr.acts, ref.acts):
            torch.testing.assert_close(a[i], b)


def test_ensemble_seed_contract():
    a = wb.mlp_ensemble([2, 3, 1], 4, seed=7, device="cpu")
    b = wb.mlp_ensemble([2, 3, 1], 4, seed=7, device="cpu")
    x = torch.randn(5, 2)
    assert torch.equal(a(x), b(x))
    c = wb.mlp_ensemble([2, 3, 1], 4, seed=8, device="cpu")
    assert not torch.equal(a(x), c(x))


def test_ensemble_from_models_and_errors():
    models = [wb.mlp([2, 3, 1], seed=i) for i in range(2)]
    ens = wb.Ensemble(models, device="cpu")
    assert len(ens) == 2
    with pytest.raises(ValueError, match="at least one model"):
        wb.Ensemble([])
    with pytest.raises(ValueError, match="does not have the architecture"):
        wb.Ensemble([wb.mlp([2, 3, 1]), wb.mlp([2, 4, 1])])
    with pytest.raises(ValueError, match="positive int"):
        wb.mlp_ensemble([2, 3, 1], 0)
    with pytest.raises(IndexError, match="out of range"):
        ens.member(5)


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(
    widths=st.lists(st.integers(1, 6), min_size=2, max_size=5),
    n=st.integers(1, 4),
    activation=st.sampled_from(["relu", "leaky_relu", "hardtanh", "sigmoid", "identity"]),
    shortcuts=st.sampled_from([None, "add-shortcuts", "add-inputs"]),
    seed=st.integers(0, 1000),
)
def test_ensemble_property(widths, n, activation, shortcuts, seed):
    ens = wb.mlp_ensemble(widths, n, activation, shortcuts=shortcuts, seed=seed, device="cpu")
    x = torch.randn(4, widths[0], generator=torch.Generator().manual_seed(seed))
    out = ens(x)
    for i in range(n):
        ref = wb.mlp(widths, activation, shortcuts=shortcuts, seed=seed + i)(x)
        torch.testing.assert_close(out[i], ref, rtol=1e-5, atol=1e-6)
