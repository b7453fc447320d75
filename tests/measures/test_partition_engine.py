"""The fast partition engine (issue 17) against the reference engine: same regions, patterns, areas."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import workbench as wb
from workbench.measures.partition import RegionLimitError, partition_2d, partition_plane
from workbench.measures.partition.engine import MemoryBudgetError, partition_bytes_per_region


def _same(P, Q):
    assert len(P) == len(Q)
    assert P.counts_per_layer == Q.counts_per_layer
    assert P.patterns.shape == Q.patterns.shape
    assert list(P.boundaries.itertuples(index=False)) == list(Q.boundaries.itertuples(index=False))
    # patterns as sets, and region by region (matched by pattern) the same area, map and vertex count
    kp = {tuple(r): j for j, r in enumerate(P.patterns.int().tolist())}
    kq = {tuple(r): j for j, r in enumerate(Q.patterns.int().tolist())}
    assert kp.keys() == kq.keys()
    order = torch.tensor([kp[key] for key in kq])  # P's row of every row of Q
    assert torch.allclose(P.area()[order], Q.area(), rtol=1e-9, atol=1e-13)
    assert torch.allclose(P.W[order], Q.W, rtol=1e-9, atol=1e-10)
    assert torch.allclose(P.b[order], Q.b, rtol=1e-9, atol=1e-10)
    assert torch.equal(P.active[order], Q.active)
    assert torch.equal(P.n_vertices[order], Q.n_vertices)
    assert abs(float(P.area().sum()) - P.domain_area) <= 1e-9 * P.domain_area


@settings(max_examples=25, deadline=None)
@given(
    widths=st.lists(st.integers(1, 12), min_size=1, max_size=4),
    act=st.sampled_from(["relu", "leaky_relu", "hardtanh", "identity"]),
    sc=st.sampled_from([None, "add-shortcuts", "add-inputs"]),
    seed=st.integers(0, 10_000),
    scale=st.floats(0.3, 4.0),
    r=st.floats(0.2, 4.0),
    layers=st.one_of(st.none(), st.integers(0, 4)),
)
def test_fast_equals_reference_on_random_nets(widths, act, sc, seed, scale, r, layers):
    net = wb.mlp([2, *widths, 2], act, shortcuts=sc, init="gaussian", sigma_w2=scale, sigma_b2=0.5, seed=seed)
    layers = None if layers is None else min(layers, len(widths))
    bounds = (-r, 0.5 * r, -0.7 * r, r)
    P = partition_2d(net, bounds, device="cpu", engine="fast", layers=layers)
    Q = partition_2d(net, bounds, device="cpu", engine="reference", layers=layers)
    _same(P, Q)


@pytest.mark.parametrize("ws,r", [([2, 48, 48, 48, 1], 1.0), ([2, 24, 24, 24, 24, 24, 3], 2.0), ([2, 96, 96, 1], 1.5)])
def test_fast_equals_reference_medium(ws, r, device):
    net = wb.mlp(ws, "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.1, seed=1)
    fast = partition_2d(net, (-r, r, -r, r), device=device)
    assert fast.vertices.device.type == device.type
    _same(_to_cpu(fast), partition_2d(net, (-r, r, -r, r), device="cpu", engine="reference"))


def _to_cpu(P):
    import dataclasses

    return dataclasses.replace(P, **{f.name: getattr(P, f.name).cpu() for f in dataclasses.fields(P)
                                     if isinstance(getattr(P, f.name), torch.Tensor)})


def test_small_chunks_give_the_same_partition(monkeypatch):
    """Depth-first chunking (tiny working memory): the same regions as one chunk."""
    import workbench.measures.partition.engine as pe

    net = wb.mlp([2, 32, 32, 32, 1], "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.1, seed=2)
    P = partition_2d(net, device="cpu")
    monkeypatch.setattr(pe, "_CHUNK_BYTES", 1)  # chunks of the minimum, 256 regions
    Q = partition_2d(net, device="cpu")
    _same(P, Q)


def test_plane_slices_of_a_conv_net_agree():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(),
                        nn.Linear(48, 10), nn.ReLU(), nn.Linear(10, 2)).double()
    x = torch.rand(3, 1, 8, 8, dtype=torch.float64)
    _same(partition_plane(net, *x, device="cpu"), partition_plane(net, *x, device="cpu", engine="reference"))


def test_memory_budget_refuses_before_allocating():
    net = wb.mlp([2, 32, 32, 1], "relu", seed=0, init="gaussian", sigma_w2=2.0, sigma_b2=0.5)
    with pytest.raises(MemoryBudgetError, match=r"max_bytes=10,000 bytes") as exc:
        partition_2d(net, max_bytes=10_000)
    assert "MiB" in str(exc.value) and "refused before allocating" in str(exc.value)
    assert isinstance(exc.value, RegionLimitError)
    P = partition_2d(net, max_bytes=1 << 30)
    assert len(P) > 50
    # the estimate per finished region covers what the result holds
    held = sum(t.element_size() * t.numel() for t in (P.vertices, P.n_vertices, P.edge_boundary, P.patterns,
                                                       P.active, P.W, P.b))
    per = partition_bytes_per_region(P.patterns.shape[1], P.active.shape[1], P.W.shape[1], P.vertices.shape[1])
    assert held <= len(P) * per


def test_max_regions_with_the_fast_engine():
    net = wb.mlp([2, 32, 32, 1], "relu", seed=0, init="gaussian", sigma_w2=2.0, sigma_b2=0.5)
    with pytest.raises(RegionLimitError, match="max_regions=50"):
        partition_2d(net, max_regions=50, engine="fast")


def test_engine_name_is_checked():
    net = wb.mlp([2, 4, 1], seed=0)
    with pytest.raises(ValueError, match="engine must be 'fast' or 'reference', got 'quick'"):
        partition_2d(net, engine="quick")
    with pytest.raises(ValueError, match="engine must be"):
        partition_plane(net, *torch.rand(3, 2), engine=None)


@pytest.mark.parametrize("act", ["relu", "hardtanh", "leaky_relu"])
def test_torch_screen_equals_compiled_screen(monkeypatch, act):
    """The torch screen (GPU path, or no numba) and the numba screen give the same partition."""
    import workbench.measures.partition.engine as pe

    net = wb.mlp([2, 24, 24, 24, 2], act, init="gaussian", sigma_w2=2.0, sigma_b2=0.2, seed=4)
    P = partition_2d(net, (-2.0, 1.0, -1.0, 2.0), device="cpu")
    monkeypatch.setattr(pe, "COMPILED", False)
    _same(P, partition_2d(net, (-2.0, 1.0, -1.0, 2.0), device="cpu"))


def test_engine_takes_a_compiled_net():
    import workbench.measures.partition.engine as pe
    from workbench.nets.piecewise import compile_network

    A0 = torch.eye(2, dtype=torch.float64).unsqueeze(0)
    c0 = torch.zeros((1, 2), dtype=torch.float64)
    dev = torch.device("cpu")
    net = wb.mlp([2, 5, 1], seed=0)
    with pytest.raises(TypeError, match="cn must be a CompiledNet .* got list"):
        pe.partition(compile_network(net, device="cpu").ops, A0, c0, (-1.0, 1.0, -1.0, 1.0), dev, None, None)
    ens = compile_network(wb.mlp_ensemble([2, 5, 1], 2, seed=0, device="cpu"), device="cpu")
    with pytest.raises(ValueError, match="ensemble of 2 members; partition each member"):
        pe.partition(ens, A0, c0, (-1.0, 1.0, -1.0, 1.0), dev, None, None)
    # the engine called directly on a compiled net: the same partition as partition_2d
    _same(pe.partition(compile_network(net, device="cpu"), A0, c0, (-1.0, 1.0, -1.0, 1.0), dev, None, None),
          partition_2d(net, device="cpu", engine="reference"))


def _random_convex(M, K, seed):
    g = torch.Generator().manual_seed(seed)
    ang = torch.sort(torch.rand(M, K, generator=g, dtype=torch.float64) * 2 * torch.pi, 1).values
    V = torch.stack([ang.cos(), ang.sin()], -1) * (0.5 + torch.rand(M, 1, 1, generator=g, dtype=torch.float64))
    return V, g


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_compiled_clip_is_the_torch_clip_bit_for_bit(seed):
    from workbench.measures.partition import kernels as pk
    from workbench.measures.partition.result import clip_polygons, vertex_side

    pytest.importorskip("numba")
    M, K = 500, 7
    V, g = _random_convex(M, K, seed)
    nv = torch.randint(3, K + 1, (M,), generator=g)
    V = torch.where(torch.arange(K)[None, :, None] < nv[:, None, None], V, V[:, :1])  # padding repeats vertex 0
    L = torch.randint(0, 50, (M, K), generator=g, dtype=torch.int32)
    s, tol, pos, neg = vertex_side(V, torch.randn(M, 2, generator=g, dtype=torch.float64),
                                   0.2 * torch.randn(M, generator=g, dtype=torch.float64))
    s = torch.where(s.abs() <= tol.unsqueeze(1), torch.zeros_like(s), s)
    s[:, 0] = torch.where(torch.arange(M) % 5 == 0, 0.0, s[:, 0])  # some vertices exactly on the line
    keep = (s.amax(1) > 0) & (s.amin(1) < 0)
    args = (V[keep], nv[keep], s[keep], L[keep], torch.arange(int(keep.sum()), dtype=torch.int32) + 100)
    assert int(keep.sum()) > 100
    for (a, b, c), (x, y, z) in zip(clip_polygons(*args), pk.clip_polygons_cpu(*args)):
        assert torch.equal(a, x) and torch.equal(b, y) and torch.equal(c, z)


def test_compiled_map_kernels_match_torch():
    from workbench.measures.partition import kernels as pk

    pytest.importorskip("numba")
    g = torch.Generator().manual_seed(3)
    Rp, R, N, N2 = 40, 120, 17, 9
    base = torch.randn(Rp, 3, N2, generator=g, dtype=torch.float64)
    Wd = torch.randn(N, N2, generator=g, dtype=torch.float64)
    par = torch.sort(torch.randint(0, Rp, (R,), generator=g)).values
    m = torch.sort(torch.randint(0, R, (300,), generator=g)).values  # flips of child m[q]: neuron iq[q]
    iq = torch.randint(0, N, (300,), generator=g)
    coef = torch.randn(300, 3, generator=g, dtype=torch.float64)
    qs = torch.searchsorted(m, torch.arange(R + 1))
    want = base[par].clone()
    want.index_add_(0, m, coef.unsqueeze(-1) * Wd[iq].unsqueeze(1))
    assert torch.allclose(pk.children_maps_cpu(base, par, qs, coef, iq, Wd), want, rtol=1e-12, atol=1e-12)
    # narrow maps: the pieces looked up inside the kernel
    Mp = torch.randn(R, 3, N, generator=g, dtype=torch.float64)
    piece = torch.randint(0, 3, (R, N), generator=g)
    slopes = torch.tensor([0.0, 1.0, 0.5], dtype=torch.float64)
    offs = torch.tensor([-1.0, 0.0, 0.25], dtype=torch.float64)
    W1, b1 = Wd[:, :2].contiguous(), torch.tensor([0.3, -0.1], dtype=torch.float64)
    a, e = slopes[piece], offs[piece]
    ref = torch.einsum("rcn,rn,nj->rcj", Mp, a, W1)
    ref[:, 2] += e @ W1 + b1
    assert torch.allclose(pk.narrow_maps_cpu(Mp, piece, slopes, offs, W1, b1), ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("compiled", [True, False])
@pytest.mark.parametrize("ws,act,layers", [([2, 40, 40, 3], "relu", None), ([2, 30, 30, 30, 1], "hardtanh", None),
                                           ([2, 40, 40, 1], "relu", 1), ([2, 40, 40, 1], "leaky_relu", 2)])
def test_anchor_groups_give_the_same_partition(monkeypatch, ws, act, layers, compiled):
    """The first layer's children through anchor groups (forced on small nets) are the reference's regions."""
    import workbench.measures.partition.engine as pe
    import workbench.measures.partition.split_stage as split_stage

    calls = []
    real = pe._anchor_groups
    def spy(*a, **k):
        res = real(*a, **k)
        calls.append(res is not None)
        return res

    monkeypatch.setattr(split_stage, "_anchor_groups", spy)  # where the split stage looks it up
    monkeypatch.setattr(pe, "ANCHOR_MIN", 16)
    monkeypatch.setattr(pe, "ANCHOR_GROUP", 2)
    monkeypatch.setattr(pe, "COMPILED", compiled)
    net = wb.mlp(ws, act, init="gaussian", sigma_w2=2.0, sigma_b2=0.3, seed=7)
    bounds = (-2.0, 1.5, -1.0, 2.0)
    P = partition_2d(net, bounds, device="cpu", layers=layers)
    assert any(calls), "the anchor route was not taken"
    _same(P, partition_2d(net, bounds, device="cpu", engine="reference", layers=layers))
