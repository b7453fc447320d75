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
