"""Exactness of the 2-D partition engine (issue 4) against independent checks."""
from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box
from torch import nn

import workbench as wb
from workbench.measures.partition import RegionLimitError, partition_2d, partition_plane

BREAKPOINTS = {"relu": (0.0,), "leaky_relu": (0.0,), "hardtanh": (-1.0, 1.0), "identity": ()}


# ---------------------------------------------------------------------------
# An independent reference: region-by-region splitting with shapely.
# Each region's layer-l pre-activations are taken from net.trace (value and
# autograd Jacobian at an interior point), each region is intersected with the
# two half-planes of every neuron breakpoint; nothing is shared with the engine.
# ---------------------------------------------------------------------------
def _halfplane(a, b, c, big=1e3):
    n = math.hypot(a, b)
    a, b, c = a / n, b / n, c / n
    p0 = np.array([-a * c, -b * c])
    d, nrm = np.array([-b, a]), np.array([a, b])
    return Polygon([p0 + big * d, p0 - big * d, p0 - big * d + 2 * big * nrm, p0 + big * d + 2 * big * nrm])


def reference_regions(net, bounds=(-1, 1, -1, 1), min_area=1e-12):
    net = net.double()
    regions = [(box(bounds[0], bounds[2], bounds[1], bounds[3]), ())]
    bps = BREAKPOINTS[net.activation]
    for l in range(net.n_hidden):
        new = []
        for poly, pat in regions:
            p = torch.tensor(poly.representative_point().coords[0], dtype=torch.float64)
            J = torch.autograd.functional.jacobian(lambda x, l=l: net.trace(x[None]).preacts[l][0], p).numpy()
            zp = net.trace(p[None]).preacts[l][0].detach().numpy()
            z0 = zp - J @ p.numpy()
            pieces = [(poly, pat)]
            for i in range(len(zp)):
                for bp in bps:
                    nxt = []
                    a, b, c = J[i, 0], J[i, 1], z0[i] - bp
                    for q, pt in pieces:
                        if a == 0 and b == 0:
                            nxt.append((q, pt + (c > 0,)))
                            continue
                        for sign in (1, -1):
                            r = q.intersection(_halfplane(sign * a, sign * b, sign * c))
                            if r.area > min_area:
                                nxt.append((r, pt + (sign > 0,)))
                    pieces = nxt
            new.extend(pieces)
        regions = new
    return regions


def trace_pattern(net, x):
    """Pattern columns from net.trace (independent of the engine)."""
    net = net.double()
    bps = BREAKPOINTS[net.activation]
    cols = []
    with torch.no_grad():
        for z in net.trace(x.double()).preacts:
            for_layer = [(z.unsqueeze(-1) > torch.tensor(bps, dtype=z.dtype)).reshape(z.shape[0], -1)] if bps else []
            cols += for_layer
    return torch.cat(cols, 1) if cols else torch.zeros((x.shape[0], 0), dtype=torch.bool)


NETS = [
    ([2, 8, 8, 1], "relu", None),
    ([2, 5, 5, 5, 2], "relu", None),
    ([2, 12, 1], "relu", None),
    ([2, 6, 6, 6, 6, 1], "leaky_relu", None),
    ([2, 5, 4, 3], "hardtanh", None),
    ([2, 7, 5, 8, 1], "relu", "add-shortcuts"),
    ([2, 6, 6, 2], "leaky_relu", "add-inputs"),
    ([2, 4, 4, 1], "hardtanh", "add-shortcuts"),
]


def _net(ws, act, sc, seed=0):
    return wb.mlp(ws, act, shortcuts=sc, init="gaussian", sigma_w2=2.0, sigma_b2=0.3, seed=seed).double()


@pytest.mark.parametrize("ws,act,sc", NETS, ids=[f"{'-'.join(map(str, w))}-{a}-{s}" for w, a, s in NETS])
def test_partition_is_exact(ws, act, sc, device):
    net = _net(ws, act, sc, seed=3)
    P = partition_2d(net, device=device)
    assert P.vertices.device.type == device.type and P.vertices.dtype == torch.float64
    if device.type != "cpu":  # the same regions as on the CPU, then the checks below on the CPU result
        Q = partition_2d(net, device="cpu")
        assert len(P) == len(Q) and sorted(map(tuple, P.patterns.int().tolist())) == \
            sorted(map(tuple, Q.patterns.int().tolist()))
        P = Q
    n = len(P)
    # tiles the domain
    area = P.area()
    assert (area > 0).all()
    assert abs(float(area.sum()) - 4.0) <= 1e-9 * 4.0
    # the shapely polygons are valid and disjoint (their union has the summed area)
    polys = P.polygons
    assert all(p.is_valid for p in polys)
    assert abs(shapely.union_all(polys).area - 4.0) < 1e-9
    # patterns distinct
    assert P.patterns.unique(dim=0).shape[0] == n
    # pattern at representative points equals the recorded one
    rp = P.representative_points()
    assert torch.equal(trace_pattern(net, rp), P.patterns)
    # local affine map reproduces the network inside each region (several interior points)
    V = torch.nan_to_num(P.vertices, nan=0.0)
    for w in (0.1, 0.5, 0.9):
        pts = w * rp + (1 - w) * V[:, 0]
        with torch.no_grad():
            y = net(pts)
        assert torch.allclose(P.evaluate(pts, torch.arange(n)), y, atol=1e-10, rtol=1e-10)
    # count >= distinct patterns on a dense grid, and each grid point lies in the region of its pattern
    g = torch.linspace(-0.999, 0.999, 120, dtype=torch.float64)
    grid = torch.cartesian_prod(g, g)
    gp = trace_pattern(net, grid)
    assert n >= gp.unique(dim=0).shape[0]
    loc = P.locate(grid)
    assert (loc >= 0).all()
    assert (P.patterns[loc] == gp).all(1).float().mean() > 0.999  # points on an edge may go either way
    # equals the independent region-by-region splitting
    ref = reference_regions(net)
    assert n == len(ref)
    assert sorted(map(tuple, P.patterns.int().tolist())) == sorted(tuple(int(b) for b in pt) for _, pt in ref)


def test_edges_are_labelled_by_the_layer_that_made_them():
    net = _net([2, 6, 6, 6, 1], "relu", None, seed=1)
    P = partition_2d(net)
    lay = P.edge_layers()
    used = set(lay.unique().tolist())
    assert used <= {0, 1, 2, 3} and {0, 1, 2, 3} <= used | {3}
    # an edge labelled with boundary column j lies on neuron j's zero set: its midpoint has z = 0
    segs = torch.tensor(P.edges())
    eb = P.edge_boundary[torch.arange(P.vertices.shape[1])[None] < P.n_vertices[:, None]]
    mid = segs.mean(1)
    inner = eb >= 0
    with torch.no_grad():
        z = torch.cat(net.trace(mid[inner]).preacts, 1)
    zz = z[torch.arange(int(inner.sum())), eb[inner].long()]
    assert zz.abs().max() < 1e-9
    # border edges lie on the domain's border
    b = mid[~inner]
    assert ((b.abs() - 1).abs().min(1).values < 1e-12).all()


def test_partial_layers_is_the_first_layers_arrangement():
    net = _net([2, 7, 7, 7, 1], "relu", None, seed=2)
    P1 = partition_2d(net, layers=1)
    P3 = partition_2d(net)
    assert P1.layers == 1 and P3.layers == 3
    assert P1.patterns.shape[1] == 7
    assert set(P1.edge_layers().unique().tolist()) <= {0, 1}
    assert len(P1) <= 1 + 7 + 21  # hyperplane arrangement of 7 lines in the plane
    assert P3.counts_per_layer[0] == len(P1)
    # the local map of layers=1 is the first hidden layer's output
    rp = P1.representative_points()
    with torch.no_grad():
        h = net.trace(rp).acts[0]
    assert torch.allclose(P1.evaluate(rp, torch.arange(len(P1))), h, atol=1e-12)
    assert len(partition_2d(net, layers=0)) == 1


def test_domain_and_bounds():
    net = _net([2, 8, 8, 1], "relu", None, seed=4)
    P = partition_2d(net, bounds=(0.5, 3.0, -2.0, -1.0))
    assert abs(float(P.area().sum()) - 2.5) < 1e-9
    V = P.vertices[~P.vertices.isnan().any(-1)]
    assert V[:, 0].min() >= 0.5 - 1e-12 and V[:, 0].max() <= 3.0 + 1e-12


def test_sequential_with_batchnorm_matches_output():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(2, 10), nn.BatchNorm1d(10), nn.ReLU(), nn.Linear(10, 6), nn.ReLU6(),
                        nn.Linear(6, 5), nn.LeakyReLU(0.2), nn.Linear(5, 2)).double()
    with torch.no_grad():
        net[1].running_mean.uniform_(-0.5, 0.5)
        net[1].running_var.uniform_(0.5, 2.0)
        net[1].weight.uniform_(0.5, 2.0)
    net.eval()
    P = partition_2d(net, bounds=(-3, 3, -3, 3))
    rp = P.representative_points()
    with torch.no_grad():
        assert torch.allclose(P.evaluate(rp, torch.arange(len(P))), net(rp), atol=1e-10)
    assert P.patterns.unique(dim=0).shape[0] == len(P)
    assert abs(float(P.area().sum()) - 36) < 36e-9
    assert P.patterns.shape[1] == 10 + 2 * 6 + 5  # ReLU6 has two breakpoints per neuron


def test_zero_bias_lines_through_one_point():
    # without biases all first-layer lines pass through the origin: a degenerate arrangement
    net = wb.mlp([2, 9, 1], "relu", bias=False, seed=0).double()
    P = partition_2d(net)
    assert len(P) == 18  # 9 lines through one point make 18 sectors
    assert abs(float(P.area().sum()) - 4) < 1e-9
    assert (P.area() > 1e-6).all()


def test_plane_slice_matches_equivalent_2d_network():
    net = wb.mlp([16, 12, 12, 3], "relu", seed=5, init="gaussian", sigma_w2=2.0, sigma_b2=0.2).double()
    g = torch.Generator().manual_seed(0)
    x0, x1, x2 = torch.randn(3, 16, generator=g, dtype=torch.float64)
    P = partition_plane(net, x0, x1, x2, bounds=(-0.5, 1.5, -0.5, 1.5))
    # the same function as a 2-D network: fold the plane into the first layer
    B = torch.stack([x1 - x0, x2 - x0], 1)
    first = nn.Linear(2, 12).double()
    with torch.no_grad():
        first.weight.copy_(net.layers[0].weight @ B)
        first.bias.copy_(net.layers[0].weight @ x0 + net.layers[0].bias)
    seq = nn.Sequential(first, nn.ReLU(), net.layers[1], nn.ReLU(), net.layers[2])
    Q = partition_2d(seq, bounds=(-0.5, 1.5, -0.5, 1.5))
    assert len(P) == len(Q)
    assert torch.equal(P.patterns[P.patterns.int().sum(1).argsort()].sum(0), Q.patterns.sum(0))
    rp = P.representative_points()
    with torch.no_grad():
        y = net(P.to_input(rp))
    assert torch.allclose(P.evaluate(rp, torch.arange(len(P))), y, atol=1e-10)
    assert np.allclose(P.anchors, [[0, 0], [1, 0], [0, 1]])
    # orthonormal coordinates: the same count, anchors at their true distances
    O = partition_plane(net, x0, x1, x2, basis="orthonormal")
    assert math.isclose(float(O.anchors[1, 0]), float((x1 - x0).norm()), rel_tol=1e-12)
    assert torch.allclose(O.to_input(torch.tensor(O.anchors)), torch.stack([x0, x1, x2]), atol=1e-12)


def _small_convnet(pool=None):
    torch.manual_seed(1)
    layers = [nn.Conv2d(1, 3, 3, padding=1), nn.BatchNorm2d(3), nn.ReLU(), nn.AvgPool2d(2),
              nn.Conv2d(3, 4, 3), nn.LeakyReLU(0.1), nn.Flatten(), nn.Linear(16, 5)]
    if pool is not None:
        layers[3] = pool
    net = nn.Sequential(*layers).double()
    with torch.no_grad():
        net[1].running_mean.uniform_(-0.2, 0.2)
        net[1].running_var.uniform_(0.5, 1.5)
    return net.eval()


def test_plane_slice_through_a_conv_net():
    net = _small_convnet()
    g = torch.Generator().manual_seed(1)
    xs = torch.rand(3, 1, 8, 8, generator=g, dtype=torch.float64)
    P = partition_plane(net, *xs)
    assert len(P) > 10
    assert abs(float(P.area().sum()) - P.domain_area) < 1e-9 * P.domain_area
    rp = P.representative_points()
    X = P.to_input(rp)
    assert X.shape == (len(P), 1, 8, 8)
    with torch.no_grad():
        assert torch.allclose(P.evaluate(rp, torch.arange(len(P))), net(X), atol=1e-9)
        # pattern at representative points, from forward hooks on the activations
        pats = []
        h = X
        for m in net:
            if isinstance(m, (nn.ReLU, nn.LeakyReLU)):
                pats.append((h > 0).flatten(1))
            h = m(h)
    assert torch.equal(torch.cat(pats, 1), P.patterns)
    assert P.patterns.unique(dim=0).shape[0] == len(P)


@settings(max_examples=15)
@given(
    widths=st.lists(st.integers(1, 7), min_size=1, max_size=3),
    act=st.sampled_from(["relu", "leaky_relu", "hardtanh", "identity"]),
    sc=st.sampled_from([None, "add-shortcuts", "add-inputs"]),
    seed=st.integers(0, 10_000),
    scale=st.floats(0.3, 4.0),
)
def test_partition_invariants_property(widths, act, sc, seed, scale):
    net = wb.mlp([2, *widths, 2], act, shortcuts=sc, init="gaussian", sigma_w2=scale, sigma_b2=0.5,
                 seed=seed).double()
    P = partition_2d(net, bounds=(-1.5, 1.0, -1.0, 2.0))
    assert abs(float(P.area().sum()) - 7.5) <= 1e-9 * 7.5
    if P.patterns.shape[1]:
        assert P.patterns.unique(dim=0).shape[0] == len(P)
    rp = P.representative_points()
    assert torch.equal(trace_pattern(net, rp), P.patterns)
    with torch.no_grad():
        assert torch.allclose(P.evaluate(rp, torch.arange(len(P))), net(rp), atol=1e-9)
    if act == "identity":
        assert len(P) == 1


def test_table_and_polygons():
    net = _net([2, 6, 6, 2], "relu", None)
    P = partition_2d(net)
    df = P.table()
    assert len(df) == len(P) and {"area", "n_active", "slope", "rank", "out0", "out1"} <= set(df.columns)
    assert abs(df["area"].sum() - 4) < 1e-9
    assert len(P.polygons) == len(P)
    assert "regions" in repr(P)


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------
def test_smooth_activation_is_refused_with_layer_name():
    with pytest.raises(TypeError, match=r"layers\.0.*tanh.*piecewise-linear.*relu"):
        partition_2d(wb.mlp([2, 4, 1], "tanh", seed=0))
    seq = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 4), nn.Softplus(), nn.Linear(4, 1))
    with pytest.raises(TypeError, match=r"'3'.*Softplus.*not piecewise linear"):
        partition_2d(seq)


def test_input_not_2d_suggests_partition_plane():
    with pytest.raises(ValueError, match="partition_plane"):
        partition_2d(wb.mlp([3, 4, 1], seed=0))
    with pytest.raises(ValueError, match="partition_plane"):
        partition_2d(nn.Sequential(nn.ReLU(), nn.Linear(2, 1)))


@pytest.mark.parametrize("bounds", [(1, -1, -1, 1), (-1, 1, 0, 0), (0, 0, 0, 0), (-1, float("nan"), -1, 1), (1, 2, 3)])
def test_bad_bounds(bounds):
    with pytest.raises(ValueError, match="bounds"):
        partition_2d(wb.mlp([2, 4, 1], seed=0), bounds)


def test_collinear_plane_points():
    net = wb.mlp([5, 4, 1], seed=0)
    x0 = torch.zeros(5)
    x1 = torch.ones(5)
    with pytest.raises(ValueError, match="collinear"):
        partition_plane(net, x0, x1, 3 * x1)
    with pytest.raises(ValueError, match="collinear"):
        partition_plane(net, x0, x0, x1)
    with pytest.raises(ValueError, match="same shape"):
        partition_plane(net, x0, x1, torch.ones(4))
    with pytest.raises(ValueError, match="shape"):
        partition_plane(net, torch.zeros(6), torch.eye(6)[0], torch.eye(6)[1])
    with pytest.raises(ValueError, match="basis"):
        partition_plane(net, x0, x1, torch.eye(5)[0], basis="polar")


def test_nan_weights():
    net = wb.mlp([2, 4, 1], seed=0)
    with torch.no_grad():
        net.layers[0].weight[1, 0] = float("nan")
    with pytest.raises(ValueError, match=r"layers\.0\.weight.*NaN"):
        partition_2d(net)


def test_max_regions_stops_cleanly():
    net = wb.mlp([2, 32, 32, 1], "relu", seed=0, init="gaussian", sigma_w2=2.0, sigma_b2=0.5)
    with pytest.raises(RegionLimitError, match="max_regions=50"):
        partition_2d(net, max_regions=50)
    assert len(partition_2d(net, max_regions=10_000)) > 50


def test_unsupported_layers():
    with pytest.raises(NotImplementedError, match="AvgPool2d"):
        partition_plane(_small_convnet(pool=nn.MaxPool2d(2)), *torch.rand(3, 1, 8, 8))
    bn = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 1))
    with pytest.raises(ValueError, match="eval"):
        partition_2d(bn.train())
    with pytest.raises(TypeError, match="unsupported"):
        partition_2d(nn.Sequential(nn.Linear(2, 3), nn.LSTM(3, 3)))
    with pytest.raises(TypeError, match="unsupported network type"):
        partition_2d(nn.LSTM(2, 3))
    with pytest.raises(ValueError, match="layers must be"):
        partition_2d(wb.mlp([2, 3, 1], seed=0), layers=2)


# ---------------------------------------------------------------------------
# Bounds, counting helpers, experiments, plots and panels
# ---------------------------------------------------------------------------
def test_region_upper_bound_and_line_count():
    from workbench.measures.bounds import region_upper_bound
    from workbench.measures.partition import regions_on_line

    assert region_upper_bound([4]) == 1 + 4 + 6
    assert region_upper_bound([4, 4, 4]) == 11 ** 3
    assert region_upper_bound([3], activation="hardtanh") == 1 + 6 + 15
    assert region_upper_bound([5], n_in=1) == 6
    with pytest.raises(ValueError, match="activation"):
        region_upper_bound([3], activation="tanh")
    for seed in range(3):
        net = _net([2, 6, 6, 1], "relu", None, seed=seed)
        P = partition_2d(net)
        assert len(P) <= region_upper_bound([6, 6])
        # brute force along y = 0.1: pattern changes on a fine grid (can only undercount)
        x = torch.stack([torch.linspace(-1, 1, 20001, dtype=torch.float64), torch.full((20001,), 0.1,
                                                                                       dtype=torch.float64)], 1)
        pat = trace_pattern(net, x)
        changes = int((pat[1:] != pat[:-1]).any(1).sum())
        assert regions_on_line(P, 0.1) >= changes + 1
        assert regions_on_line(P, 0.1) <= changes + 1 + 1  # a crossing closer than the grid step is rare


def test_region_count_sweep_small():
    from workbench.papers.raghu.regions import RegionCountConfig, region_count_sweep

    df = region_count_sweep(RegionCountConfig(widths=(3, 5), depths=(1, 2), n_seeds=1), progress=False)
    assert len(df) == 4
    assert (df["regions"] <= df["raghu_bound"]).all()
    assert {"per_length", "line_regions", "neurons"} <= set(df.columns)
    with pytest.raises(ValueError, match="preset"):
        RegionCountConfig.preset("huge")


def test_plots_draw_partitions():
    import matplotlib

    matplotlib.use("Agg")
    from workbench.plots.regions import plot_partition, plot_partition_layers, plot_partition_surface

    net = _net([2, 5, 5, 2], "relu", None)
    P = partition_2d(net)
    ax = plot_partition(P)
    assert len(ax.collections) >= 2  # regions + at least one layer's boundaries
    for cb in ("output", "slope", "active", "argmax", np.arange(len(P))):
        plot_partition(P, color_by=cb)
    with pytest.raises(ValueError, match="color_by"):
        plot_partition(P, color_by="nonsense")
    with pytest.raises(ValueError, match="one value per region"):
        plot_partition(P, color_by=np.zeros(3))
    axes = plot_partition_layers([partition_2d(net, layers=1), P])
    assert len(axes) == 2
    plot_partition_surface(P, output=1)


@pytest.mark.parametrize("act", ["relu", "hardtanh"])
def test_boundary_polylines_draw_each_interior_edge_once(act):
    """Each boundary is drawn from the side where its pattern column is True: exactly half the length of the
    per-region edges (every interior edge belongs to two regions, possibly split at T-junctions), all the border,
    and the fill array keeps every polygon's area."""
    from workbench.plots.regions import _padded_polygons, boundary_polylines

    net = _net([2, 7, 6, 5, 1], act, None)
    P = partition_2d(net)
    lines = boundary_polylines(P)

    def length(seg):
        return float(np.linalg.norm(seg[:, 1] - seg[:, 0], axis=1).sum())

    for lay, line in lines.items():
        seg = line.reshape(-1, 3, 2)[:, :2]
        assert np.isnan(line.reshape(-1, 3, 2)[:, 2]).all()
        full = length(P.edges(layer=lay))
        assert length(seg) == pytest.approx(full if lay == 0 else full / 2, rel=1e-9)
    assert set(lines) == set(P.edge_layers().unique().tolist())
    assert length(lines[0].reshape(-1, 3, 2)[:, :2]) == pytest.approx(8.0)  # the border of [-1, 1]^2
    polys = _padded_polygons(P.vertices.numpy(), P.n_vertices.numpy())
    assert not np.isnan(polys).any()
    x, y = polys[..., 0], polys[..., 1]
    shoelace = 0.5 * (x * np.roll(y, -1, 1) - np.roll(x, -1, 1) * y).sum(1)
    assert shoelace == pytest.approx(P.area().numpy(), rel=1e-9, abs=1e-15)


def test_regions_panel_redraws_and_shows_errors():
    from workbench.widgets.regions_panel import RegionsPanel

    p = RegionsPanel(width=5, depth=2)
    assert p.last_error is None and p.figure is not None
    n = len(p.result)
    p.controls["layers"].value = 1
    assert p.result.layers == 1 and len(p.result) <= n
    p.controls["activation"].value = "tanh"
    assert isinstance(p.last_error, TypeError) and "piecewise" in p.status.value
    p.update(activation="hardtanh", width=4)
    assert p.last_error is None and f"{len(p.result):,}" in p.status.value


def test_plane_slice_panel():
    from workbench.data import digits
    from workbench.widgets.regions_panel import PlaneSlicePanel

    data = digits(n=50)
    net = wb.mlp([64, 8, 10], "relu", seed=0)
    p = PlaneSlicePanel(net, data, indices=(0, 1, 2))
    assert p.last_error is None and len(p.result.partition) >= 1
    p.controls["i2"].value = 3
    assert p.result.indices == (0, 1, 3)
    p.update(i1=0)  # the same image twice: collinear points, shown as an error
    assert isinstance(p.last_error, ValueError) and "collinear" in str(p.last_error)


def test_line_count_agrees_with_the_segment_walk():
    from workbench.measures.partition import regions_on_line

    for seed in range(3):
        net = _net([2, 7, 7, 7, 1], "leaky_relu", None, seed=seed)
        P = partition_2d(net)
        for v in (-0.4, 0.2):
            n = wb.count_regions_on_segment(net, torch.tensor([-1.0, v]), torch.tensor([1.0, v]))
            assert regions_on_line(P, v) == n
