"""``all_finite``: the one-pass finiteness test behind check_finite / check_net, against isfinite().all()."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.validation import all_finite, check_finite, check_net

BAD = [float("nan"), float("inf"), -float("inf")]


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 300), where=st.integers(0, 10_000), bad=st.sampled_from(BAD + [0.0]),
       dtype=st.sampled_from([torch.float32, torch.float64, torch.float16, torch.bfloat16]))
def test_all_finite_equals_isfinite_all(n, where, bad, dtype):
    t = torch.randn(n, generator=torch.Generator().manual_seed(n)).to(dtype)
    t[where % n] = bad  # first, last or anywhere: the min or the max must carry it
    assert all_finite(t) == bool(torch.isfinite(t).all())


def test_all_finite_other_kinds():
    assert all_finite(torch.zeros(0)) and all_finite(torch.arange(5)) and all_finite(torch.ones(3, dtype=torch.bool))
    z = torch.ones(3, dtype=torch.complex64)
    assert all_finite(z)
    z[1] = complex(float("nan"), 0)
    assert not all_finite(z)
    w = torch.randn(4, 4, requires_grad=True)
    assert all_finite(w)  # no autograd error on a leaf that requires grad


@pytest.mark.parametrize("bad", BAD)
def test_check_finite_and_check_net_still_refuse(bad):
    X = torch.zeros(5, 3)
    X[4, 2] = bad
    with pytest.raises(ValueError, match="first at row 4"):
        check_finite(X)
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    with torch.no_grad():
        net[2].weight[0, 3] = bad
    with pytest.raises(ValueError, match=r"parameter '2.weight' contains (NaN|infinite)"):
        check_net(net)


# issue 29: check_net walks the module tree once per call and caches no verdict; a network changed in place after
# a first, clean call must still be refused, however the change was made (``.data`` and numpy writes do not move
# Tensor._version, so a cache keyed on it would miss them)
def _write_nan_no_grad(w):
    with torch.no_grad():
        w[0, 0] = float("nan")


def _write_nan_data(w):
    w.data[0, 0] = float("nan")


def _write_nan_numpy(w):
    w.detach().numpy()[0, 0] = float("nan")


@pytest.mark.parametrize("write", [_write_nan_no_grad, _write_nan_data, _write_nan_numpy])
def test_a_weight_set_to_nan_in_place_after_a_clean_call_is_refused(write):
    import workbench as wb
    from workbench.measures.spanning.dimension import spanning_dimension

    net = wb.mlp([1, 8, 8, 10, 1], "relu", seed=0).double()
    X = torch.linspace(-1, 1, 189, dtype=torch.float64).unsqueeze(1)
    assert spanning_dimension(net, X) > 0
    check_net(net)
    write(net.layers[1].weight)
    with pytest.raises(ValueError, match=r"parameter 'layers.1.weight' contains NaN"):
        check_net(net)
    with pytest.raises(ValueError, match=r"parameter 'layers.1.weight' contains NaN"):
        spanning_dimension(net, X)


def test_a_replaced_parameter_a_buffer_and_a_constant_are_seen_after_a_clean_call():
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.LeakyReLU(),
                              torch.nn.Linear(4, 1))
    check_net(net)
    net[3].weight = torch.nn.Parameter(torch.full((1, 4), float("inf")))  # a new tensor, not an in-place write
    with pytest.raises(ValueError, match=r"parameter '3.weight' contains infinite"):
        check_net(net)
    net[3].weight = torch.nn.Parameter(torch.ones(1, 4))
    check_net(net)
    net[1].running_var[2] = float("nan")  # a buffer (num_batches_tracked, an int buffer, is skipped)
    with pytest.raises(ValueError, match=r"parameter '1.running_var' contains NaN"):
        check_net(net)
    net[1].running_var.fill_(1.0)
    net[2].negative_slope = float("nan")
    with pytest.raises(ValueError, match=r"net.2 \(LeakyReLU\) has negative_slope=nan"):
        check_net(net)


def test_shared_parameters_and_mixed_dtypes_still_checked():
    lin = torch.nn.Linear(2, 2)
    net = torch.nn.Sequential(lin, torch.nn.Tanh(), lin)  # one tensor twice
    assert check_net(net) is net
    with torch.no_grad():
        lin.bias[1] = -float("inf")
    with pytest.raises(ValueError, match=r"parameter '0.bias' contains infinite"):
        check_net(net)
    mixed = torch.nn.Sequential(torch.nn.Linear(2, 2).double(), torch.nn.Linear(2, 1))  # float64 then float32
    assert check_net(mixed) is mixed
    with torch.no_grad():
        mixed[1].weight[0, 1] = float("nan")
    with pytest.raises(ValueError, match=r"parameter '1.weight' contains NaN"):
        check_net(mixed)
    half = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1).half())
    with pytest.raises(TypeError, match=r"parameter '1.weight' has dtype torch.float16"):
        check_net(half)
    with pytest.raises(ValueError, match=r"'meta' device"):
        check_net(torch.nn.Linear(2, 2, device="meta"))
    with pytest.raises(TypeError, match="must be a torch.nn.Module"):
        check_net([lin])
