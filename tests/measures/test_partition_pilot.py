"""The pilot estimate of the fast partition engine (issue 29): a sample of the domain first, so that a partition
that cannot fit is refused before it starts, with the estimate."""
from __future__ import annotations

import math

import pytest
import torch

import workbench as wb
from workbench.measures.partition import RegionLimitError, partition_2d, pilot
from workbench.measures.partition import engine as pe
from workbench.measures.partition.engine import MemoryBudgetError
from workbench.nets.piecewise import compile_network

CPU = torch.device("cpu")


def _net(ws, seed=0):
    return wb.mlp(ws, "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.1, seed=seed)


@pytest.mark.parametrize("G, S", [(32, 8), (64, 8), (64, 16)])
def test_windows_count_each_region_once_by_its_lowest_vertex(G, S):
    """The pieces of the windows that the pilot counts are exactly the regions of the whole partition whose
    lowest vertex lies in a window (half-open cells), region for region."""
    net = _net([2, 32, 32, 32, 1], seed=3)
    bounds = (-1.0, 1.0, -1.0, 1.0)
    P = partition_2d(net, bounds, device=CPU, progress=False)
    V = torch.nan_to_num(P.vertices, nan=math.inf)
    y = V[..., 1]
    k = torch.where(y == y.amin(1, keepdim=True), V[..., 0], torch.full_like(y, math.inf)).argmin(1)
    low = V[torch.arange(len(P)), k]
    cn = compile_network(net, device=CPU)
    A0, c0 = torch.eye(2, dtype=torch.float64).unsqueeze(0), torch.zeros((1, 2), dtype=torch.float64)
    eng = pe._Engine(cn.ops, A0, c0, bounds, CPU, 10**6, None, None, pe._CHUNK_BYTES, True, False)
    Vw, nvw, Lw = pilot.window_boxes(bounds, G, S, CPU)
    eng._descend(Vw, nvw, Lw, torch.zeros((S * S, 0), dtype=torch.uint8), torch.zeros((S * S, 0), dtype=torch.long),
                 A0, c0, None, 0, 0)
    counted = sum(pilot.count_lowest(r[0], r[1], r[2]) for r in eng.results)
    truth = 0
    for w in range(S * S):
        u0, u1, v0, v1 = Vw[w, 0, 0], Vw[w, 1, 0], Vw[w, 0, 1], Vw[w, 2, 1]
        truth += int(((low[:, 0] >= u0) & (low[:, 0] < u1) & (low[:, 1] >= v0) & (low[:, 1] < v1)).sum())
    assert counted == truth > 0


def test_pilot_refuses_over_max_regions_and_the_budget_before_starting(monkeypatch):
    """2-64x6 on [-1, 1]^2 has 53,094 regions: with the pilot on, max_regions=20,000 and a 20 MB budget are each
    refused with the estimate and the sample; a limit it fits runs as before (the same partition)."""
    net = _net([2, 64, 64, 64, 64, 64, 64, 1])
    monkeypatch.setattr(pilot, "PILOT_MIN_COLUMNS", 0)
    with pytest.raises(RegionLimitError, match=r"the partition would have about [0-9,]+ regions \(estimated from an "
                       r"exact partition of 1/[0-9,]+ of the domain .*more than max_regions=20,000; refused before "
                       r"starting") as exc:
        partition_2d(net, device=CPU, max_regions=20_000, progress=False)
    est = float(str(exc.value).split("about ")[1].split(" regions")[0].replace(",", ""))
    assert 0.7 * 53_094 < est < 1.4 * 53_094
    with pytest.raises(MemoryBudgetError, match=r"the partition \(about [0-9,]+ regions, estimated from an exact "
                       r"partition .* would need about [0-9.]+ MiB, more than the memory budget of [0-9.]+ MiB "
                       r"\(max_bytes=20,000,000 bytes\); refused before allocating"):
        partition_2d(net, device=CPU, max_bytes=20_000_000, progress=False)
    P = partition_2d(net, device=CPU, progress=False)
    monkeypatch.setattr(pilot, "PILOT_MIN_COLUMNS", 10**9)
    Q = partition_2d(net, device=CPU, progress=False)
    assert len(P) == len(Q) == 53_094 and torch.equal(P.patterns, Q.patterns) and torch.equal(P.W, Q.W)


def test_first_layer_beyond_max_regions_is_refused_from_its_exact_count(monkeypatch):
    monkeypatch.setattr(pilot, "PILOT_MIN_COLUMNS", 0)
    net = _net([2, 256, 8, 1])
    r1 = len(partition_2d(net, device=CPU, layers=1, progress=False))
    with pytest.raises(RegionLimitError, match=f"the first layer alone cuts the domain into {r1:,} regions"):
        partition_2d(net, device=CPU, max_regions=r1 - 1, progress=False)
