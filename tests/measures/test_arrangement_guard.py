"""The reference engine's first-layer guard: the exact region count of a line arrangement, and the refusals."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb
from workbench.measures.partition.clipping import arrangement_regions


@settings(max_examples=15, deadline=None)
@given(width=st.integers(1, 40), seed=st.integers(0, 10_000), half=st.sampled_from([0.5, 1.0, 3.0]))
def test_arrangement_count_equals_the_one_layer_partition(width, seed, half):
    net = wb.mlp([2, width, 1], "relu", seed=seed)
    bounds = (-half, half, -half, half)
    part = wb.partition_2d(net, bounds, engine="reference", device="cpu")
    W, b = net.layers[0].weight.detach(), net.layers[0].bias.detach()
    assert arrangement_regions(W, b, bounds) == len(part)


def test_arrangement_degenerate_positions():
    box = (-1.0, 1.0, -1.0, 1.0)
    # four lines through the origin (one of them twice): 8 sectors
    a = torch.tensor([[1.0, 0], [0, 1], [1, 1], [1, -1], [2, 0]])
    assert arrangement_regions(a, torch.zeros(5), box) == 8
    # parallel lines: n + 1 strips; a line missing the box adds nothing
    a = torch.tensor([[1.0, 0], [1.0, 0], [1.0, 0], [1.0, 0]])
    assert arrangement_regions(a, torch.tensor([-0.5, 0.0, 0.5, 5.0]), box) == 4
    assert arrangement_regions(a[:0], torch.zeros(0), box) == 1


def test_reference_engine_refuses_a_first_layer_beyond_max_regions_at_once():
    net = wb.mlp([2, 300, 1], "relu", seed=0)
    n = arrangement_regions(net.layers[0].weight.detach(), net.layers[0].bias.detach(), (-1, 1, -1, 1))
    with pytest.raises(wb.RegionLimitError, match=rf"alone cuts the domain into {n:,} regions"):
        wb.partition_2d(net, engine="reference", max_regions=n - 1, device="cpu")
    assert len(wb.partition_2d(net, engine="reference", max_regions=n, device="cpu")) == n


def test_reference_engine_refuses_minutes_of_work(monkeypatch):
    import workbench.measures.partition.clipping as clipping

    net = wb.mlp([2, 200, 1], "relu", seed=0)
    monkeypatch.setattr(clipping, "REFERENCE_MAX_WORK", 1_000)
    with pytest.raises(wb.ResourceLimitError, match=r"reference engine would clip about .* engine='fast'"):
        wb.partition_2d(net, engine="reference", device="cpu")
    assert len(wb.partition_2d(net, device="cpu")) > 1  # the fast engine is not affected
