"""The resource guards (issue 14): every guard refuses a request just over a small budget, before allocating.

Each test sets a small budget with ``workbench.limits.max_bytes_budget`` (or a small ``max_regions`` /
``max_terms``) and asks for a little more than it allows, so nothing large is ever allocated.
"""
from __future__ import annotations

import html
import time

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import workbench as wb
from workbench import limits
from workbench.limits import ResourceLimitError, max_bytes_budget
from workbench.measures.spanning.polynomial import DEFAULT_MAX_TERMS, expansion_work

CPU = "cpu"
KNOB = "raise the budget"


def test_budget_context_and_environment(monkeypatch):
    monkeypatch.delenv(limits.ENV_MAX_BYTES, raising=False)
    with max_bytes_budget("1MiB") as b:
        assert b == 2**20 and limits.default_max_bytes() == 2**20
        with max_bytes_budget(1000):
            assert limits.default_max_bytes() == 1000
        assert limits.default_max_bytes() == 2**20
    monkeypatch.setenv(limits.ENV_MAX_BYTES, "3GiB")
    assert limits.default_max_bytes() == 3 * 2**30
    monkeypatch.setenv(limits.ENV_MAX_BYTES, "lots")
    with pytest.raises(ValueError, match="WORKBENCH_MAX_BYTES='lots' is not a size"):
        limits.default_max_bytes()


def test_default_budget_is_half_the_physical_memory(monkeypatch):
    import os

    monkeypatch.delenv(limits.ENV_MAX_BYTES, raising=False)
    phys = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert limits.default_max_bytes(device=CPU) == phys // 2


# -- measures: trajectories -------------------------------------------------------------
def test_circle_and_segment_refuse_over_budget():
    x0, x1 = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])
    with max_bytes_budget(10_000):
        assert wb.circle(x0, x1, 100).shape == (100, 2)  # 100 * (3 * 8 + 24) bytes fits
        with pytest.raises(ResourceLimitError, match=r"circle of n=1,000 points in 2 dimensions.*Pass a smaller n"):
            wb.circle(x0, x1, 1000)
        with pytest.raises(ResourceLimitError, match=r"segment of n=1,000 points"):
            wb.segment(x0, x1, 1000)


def test_layer_images_refuse_over_budget():
    net = wb.mlp([2, 64, 64, 1], seed=0)
    X = torch.randn(200, 2)
    with max_bytes_budget(100_000):
        with pytest.raises(ResourceLimitError, match=r"layer images of 200 points through \[2, 64, 64, 1\]"):
            wb.layer_images(net, X, device=CPU)
    with max_bytes_budget(1_000_000):
        assert len(wb.layer_images(net, X, device=CPU)) == 4


# -- measures: Jacobians ------------------------------------------------------------------
def test_parameter_jacobian_refuses_and_chunks():
    net = wb.mlp([2, 16, 1], seed=0)  # 65 parameters
    X = torch.rand(100, 2)
    need = wb.measures.spanning.dimension.jacobian_bytes(100, 65, 1, torch.float32)
    with max_bytes_budget(need // 2):
        with pytest.raises(ResourceLimitError, match=r"parameter Jacobian of 100 points x 65 parameters.*fewer points"):
            wb.parameter_jacobian(net, X, device=CPU)
        with pytest.raises(ResourceLimitError, match=r"parameter Jacobian of 100 points x 65 parameters"):
            wb.spanning_dimension(net, X, device=CPU)
    # the whole batch's working memory does not fit but the result does: it is chunked, same numbers
    J_all = wb.parameter_jacobian(net, X, device=CPU)
    with max_bytes_budget(int(1.5 * need)):
        J = wb.parameter_jacobian(net, X, device=CPU)
    assert torch.equal(J, J_all)


def test_spanning_dimension_refuses_the_svd_copy():
    net = wb.mlp([2, 16, 1], seed=0)
    X = torch.rand(100, 2)
    need = wb.measures.spanning.dimension.jacobian_bytes(100, 65, 1, torch.float32)
    with max_bytes_budget(need + 1000):  # the Jacobian fits (chunked), its copy and the SVD workspace do not
        with pytest.raises(ResourceLimitError, match=r"singular values of the 100 x 65 Jacobian"):
            wb.spanning_dimension(net, X, device=CPU)


def test_esd_refuses_one_sample_over_budget():
    with max_bytes_budget(100_000):
        with pytest.raises(ResourceLimitError, match=r"one sample's Jacobian of 97 points x 97 parameters"):
            wb.esd([1, 8, 8, 1], samples=1, device=CPU)
        assert wb.esd([1, 2, 1], samples=2, device=CPU).n_params == 7


def test_sampled_jacobian_and_gram_refuse_over_budget():
    net = wb.mlp([2, 32, 1], seed=0).eval()
    X = torch.rand(50, 2)
    coords = torch.arange(wb.count_parameters(net))
    with max_bytes_budget(5_000):
        with pytest.raises(ResourceLimitError, match=r"sampled Jacobian of 50 inputs x 129 coordinates"):
            wb.measures.sampled_gradient_rows(net, X, coords, device=CPU)
        with pytest.raises(ResourceLimitError, match=r"50 x 50 Gram matrix"):
            wb.sampled_spanning_dimension(net, X, k=129, seed=0, device=CPU)


def test_edjm_refuses_over_budget_with_the_gram_hint():
    net = wb.mlp([16, 8, 3], seed=0)
    X = torch.rand(40, 16)
    with max_bytes_budget(1_000):
        with pytest.raises(ResourceLimitError, match=r"3 EDJMs of 40 inputs x 16 input dimensions.*store='gram'"):
            wb.edjm(net, X, device=CPU)
    with pytest.raises(ResourceLimitError, match=r"3 Gram matrices of 16 x 16"):
        wb.edjm(net, X, store="gram", max_bytes=100, device=CPU)
    assert wb.edjm(net, X, device=CPU).exact


def test_dichotomy_sweep_refuses_n_steps_over_budget():
    net = wb.mlp([4, 16, 1], seed=0)
    X = torch.randn(5, 4)
    with max_bytes_budget(200_000):
        with pytest.raises(ResourceLimitError, match=r"weight sweep of 100,000 steps over 5 inputs.*smaller n_steps"):
            wb.count_dichotomies(net, X, n_steps=100_000, device=CPU)
        assert wb.count_dichotomies(net, X, n_steps=50, device=CPU).n_steps == 50


def test_circle_transitions_pieces_bound_bytes_too():
    net = wb.mlp([2, 64, 1], seed=0)
    x0, x1 = torch.tensor([3.0, 0.0]), torch.tensor([0.0, 3.0])
    with max_bytes_budget(2_000):
        with pytest.raises(ResourceLimitError, match=r"pieces of the path\(s\) at hidden layer 1 \(width 64\)"):
            wb.circle_transitions(net, x0, x1, device=CPU)
    assert wb.circle_transitions(net, x0, x1, device=CPU).n_pieces > 1


# -- measures: partition ------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_max_regions_stops_inside_a_layer_quickly(engine):
    """A 2-256x3 partition (far more than 3,000 regions) stops within seconds at max_regions=3,000."""
    net = wb.mlp([2, 256, 256, 256, 1], seed=0)
    t = time.perf_counter()
    with pytest.raises(wb.RegionLimitError, match=r"max_regions=3,000"):
        wb.partition_2d(net, max_regions=3_000, engine=engine, device=CPU)
    assert time.perf_counter() - t < 30


def test_fast_engine_counts_queued_regions(monkeypatch):
    """Regions queued in unfinished chunks count: the breach comes in the first chunk of layer 2,
    before the engine has finished even half of the regions of layer 1."""
    from workbench.measures.partition import engine as pe

    net = wb.mlp([2, 128, 32, 1], seed=0)
    r1 = len(wb.partition_2d(net, layers=1, device=CPU))
    assert r1 > 3 * 256
    monkeypatch.setattr(pe, "_CHUNK_BYTES", 1)  # chunks of 256 regions
    emitted = []
    emit = pe._Engine._emit
    monkeypatch.setattr(pe._Engine, "_emit", lambda self, V, *a: (emitted.append(V.shape[0]), emit(self, V, *a)))
    with pytest.raises(wb.RegionLimitError, match=r"max_regions="):
        wb.partition_2d(net, max_regions=r1 + 10, device=CPU)
    assert sum(emitted) < r1 / 2
    emitted.clear()
    n = len(wb.partition_2d(net, device=CPU))
    assert sum(emitted) == n > r1 + 10


def test_reference_engine_refuses_over_budget():
    net = wb.mlp([2, 32, 32, 1], seed=0)
    with max_bytes_budget(20_000):
        with pytest.raises(ResourceLimitError, match=r"regions.*layer"):
            wb.partition_2d(net, engine="reference", device=CPU)


# -- measures: polynomial -------------------------------------------------------------------
def test_polynomial_expansion_refuses_deep_and_wide_networks_before_starting():
    deep = wb.mlp([1] + [8] * 12 + [1], "square")
    t = time.perf_counter()
    with pytest.raises(ResourceLimitError, match=r"degree 4096, 817 parameters; forward route.*max_terms="):
        wb.polynomial_spanning_dimension(deep)
    with pytest.raises(ResourceLimitError, match=r"points route"):
        wb.polynomial_spanning_dimension_points(deep)
    with pytest.raises(ResourceLimitError, match=r"sympy route"):
        wb.measures.coefficient_jacobian(wb.mlp([1, 2, 2, 2, 1], "square"), method="sympy")
    assert time.perf_counter() - t < 2
    assert expansion_work(deep) > DEFAULT_MAX_TERMS


def test_polynomial_max_terms_is_the_knob():
    net = wb.mlp([1, 1, 1, 1], "square")
    w = expansion_work(net)
    with pytest.raises(ResourceLimitError, match=r"more than the limit of 100"):
        wb.polynomial_spanning_dimension(net, max_terms=100)
    assert wb.polynomial_spanning_dimension(net, max_terms=w) == 4
    with pytest.raises(ValueError, match="max_terms must be a positive number"):
        wb.polynomial_spanning_dimension(net, max_terms=-1)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4))
def test_expansion_work_grows_with_depth_and_width(hidden):
    net = wb.mlp([1, *hidden, 1], "square")
    deeper = wb.mlp([1, *hidden, hidden[-1], 1], "square")
    wider = wb.mlp([1, *[h + 1 for h in hidden], 1], "square")
    for route in ("forward", "points", "sympy"):
        assert expansion_work(deeper, route) > expansion_work(net, route)
        assert expansion_work(wider, route) > expansion_work(net, route)


# -- nets and data ------------------------------------------------------------------------
def test_network_constructors_refuse_parameters_over_budget():
    with max_bytes_budget(10_000):
        with pytest.raises(ResourceLimitError, match=r"widths \[2, 100, 100, 1\] \(10,501 parameters\)"):
            wb.mlp([2, 100, 100, 1])
        with pytest.raises(ResourceLimitError, match="parameters"):
            wb.dense_net(2, [100, 100], 1)
        with pytest.raises(ResourceLimitError, match="parameters"):
            wb.mixed_mlp([2, 100, 100, 1], ["relu", "tanh"])
        assert wb.mlp([2, 8, 1]).widths == [2, 8, 1]


def test_synthetic_data_refuse_over_budget():
    with max_bytes_budget(10_000):
        with pytest.raises(ResourceLimitError, match=r"1,000 noise images of shape \(28, 28\)"):
            wb.data.noise_images(1000)
        with pytest.raises(ResourceLimitError, match=r"10,000 random points in 1 dimensions"):
            wb.data.random_points(10_000)
        with pytest.raises(ResourceLimitError, match=r"10,000 random inputs of dimension 2"):
            wb.papers.esd.draw_inputs(10_000, 2)


def test_messages_name_the_knobs_and_the_budget():
    with max_bytes_budget("1KiB"):
        with pytest.raises(ResourceLimitError) as e:
            wb.circle(torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), 10_000)
    msg = str(e.value)
    assert "more than the memory budget of 1.0 KiB" in msg and KNOB in msg and "WORKBENCH_MAX_BYTES" in msg
    assert isinstance(e.value, MemoryError)


def test_esd_panel_compute_anyway_is_refused_under_the_plot():
    from workbench.widgets.esd_panel import ESDPanel

    p = ESDPanel(auto=False, samples=2, width=8, depth=2, device=CPU)
    assert "MiB per sample" in p.cost(**p.params)
    with max_bytes_budget(10_000):
        p.refresh(force=True)
    assert isinstance(p.last_error, ResourceLimitError)
    assert "one sample's Jacobian" in html.unescape(p.status.value)
    assert "one sample's Jacobian" in p.errors.outputs[0]["text"]  # under the plot, with the traceback
    p.update(width=2, depth=1)  # the next valid input works
    assert p.last_error is None and p.result is not None


def test_sequential_with_a_nan_slope_is_refused_by_the_exact_engines():
    net = nn.Sequential(nn.Linear(2, 4), nn.LeakyReLU(float("nan")), nn.Linear(4, 1))
    with pytest.raises(ValueError, match=r"LeakyReLU\) has negative_slope=nan; give a finite number"):
        wb.partition_2d(net, device=CPU)


def test_circle_transitions_estimate_is_linear_in_width():
    """The pieces' bytes are coefficients x width per piece, not width squared (which refused notebooks 04/08)."""
    net = wb.mlp([2, 200, 200, 200, 1], init="gaussian", sigma_w2=2.0, seed=0)
    x0, x1 = torch.tensor([3.0, 0.0]), torch.tensor([0.0, 3.0])
    free = wb.circle_transitions(net, x0, x1, device=CPU)
    per_piece_squared = 3 * 3 * 200 * 200 * 8  # the old, wrong estimate
    n = int(torch.as_tensor(free.n_pieces).sum())
    with max_bytes_budget(n * per_piece_squared // 50):
        assert int(torch.as_tensor(wb.circle_transitions(net, x0, x1, device=CPU).n_pieces).sum()) == n
