"""Issue 28 item 2 (time half): wb.fit estimates its time before the first step and refuses past the budget."""
from __future__ import annotations

import pytest
import torch

import workbench as wb
from workbench.limits import (
    DEFAULT_MAX_SECONDS,
    ENV_MAX_SECONDS,
    ResourceLimitError,
    format_seconds,
    max_seconds_budget,
    parse_seconds,
    time_budget,
)

X = torch.rand(40, 2, generator=torch.Generator().manual_seed(0))
Y = (X[:, 0] > 0.5).long()


def _net():
    return wb.mlp([2, 8, 2], seed=0)


def test_astronomical_epochs_are_refused_without_touching_the_model():
    net = _net()
    before = [p.detach().clone() for p in net.parameters()]
    with pytest.raises(ResourceLimitError) as e:
        wb.fit(net, (X, Y), wb.FitConfig(epochs=10**12, batch_size=None), progress=False)
    msg = str(e.value)
    assert "1,000,000,000,000 epochs" in msg and "would take about" in msg  # the estimate
    assert "time budget of 1.0 days (the default of one day)" in msg  # the budget and its source
    assert "FitConfig(epochs=...)" in msg and "max_seconds=" in msg and ENV_MAX_SECONDS in msg  # the knobs
    assert all(torch.equal(a, b) for a, b in zip(before, net.parameters()))


def test_a_measured_step_past_a_small_budget_is_refused_and_names_the_step_time():
    net = _net()
    before = [p.detach().clone() for p in net.parameters()]
    with pytest.raises(ResourceLimitError, match=r"a step \(measured on a copy of the model\).*max_seconds=1\)"):
        wb.fit(net, (X, Y), wb.FitConfig(epochs=10_000, batch_size=4), progress=False, max_seconds=1)
    assert all(torch.equal(a, b) for a, b in zip(before, net.parameters()))


def test_the_budget_knobs_context_and_environment(monkeypatch):
    cfg = wb.FitConfig(epochs=10**12, batch_size=None)
    with max_seconds_budget(float("inf")):
        assert time_budget() == (float("inf"), "workbench.limits.max_seconds_budget(...)")
    monkeypatch.setenv(ENV_MAX_SECONDS, "2h")
    assert time_budget() == (7200.0, f"{ENV_MAX_SECONDS}=2h")
    with pytest.raises(ResourceLimitError, match=f"time budget of 2.0 h \\({ENV_MAX_SECONDS}=2h\\)"):
        wb.fit(_net(), (X, Y), cfg, progress=False)
    assert time_budget(max_seconds="30min")[0] == 1800.0


def test_an_ordinary_fit_runs_under_the_default_budget():
    assert time_budget()[0] == DEFAULT_MAX_SECONDS
    h = wb.fit(_net(), (X, Y), wb.FitConfig(epochs=2, batch_size=10), progress=False)
    assert list(h["epoch"]) == [0, 1, 2]


@pytest.mark.parametrize("bad,err", [("soon", ValueError), (0, ValueError), (-5, ValueError), (True, TypeError),
                                     (float("nan"), ValueError), ([1], TypeError)])
def test_bad_max_seconds_are_refused(bad, err):
    with pytest.raises(err, match="max_seconds"):
        parse_seconds(bad)
    with pytest.raises(err, match="max_seconds"):
        wb.fit(_net(), (X, Y), wb.FitConfig(epochs=1), progress=False, max_seconds=bad)


def test_parse_and_format_seconds():
    assert parse_seconds("90s") == 90 and parse_seconds("1.5h") == 5400 and parse_seconds("inf") == float("inf")
    assert format_seconds(0.5) == "0.5 s" and format_seconds(5400) == "1.5 h" and format_seconds(86400) == "1.0 days"
