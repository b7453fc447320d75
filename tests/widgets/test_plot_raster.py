"""The raster route of ``plot_partition`` and the layout pass of ``LegibleFigure`` (issue 17, the live panel)."""
from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
import torch

matplotlib.use("Agg")

from workbench import mlp, partition_2d  # noqa: E402
from workbench.plots import regions as rg  # noqa: E402
from workbench.plots import style  # noqa: E402


def _part(widths=(2, 12, 12, 1), seed=3):
    net = mlp(list(widths), "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.1, seed=seed)
    return partition_2d(net)


def _centres(bounds, shape):
    u0, u1, v0, v1 = bounds
    H, W = shape
    x = u0 + (np.arange(W) + 0.5) * (u1 - u0) / W
    y = v0 + (np.arange(H) + 0.5) * (v1 - v0) / H
    X, Y = np.meshgrid(x, y)
    return np.stack([X.ravel(), Y.ravel()], 1)


@pytest.mark.parametrize("compiled", [True, False])
def test_raster_ids_are_the_region_under_each_pixel_centre(compiled, monkeypatch):
    monkeypatch.setattr(rg, "COMPILED_RASTER", compiled)
    P = _part()
    shape = (37, 53)  # not square, not a divisor of anything: pixel centres off every grid the net knows
    ids = rg.raster_region_ids(P.vertices.numpy(), P.n_vertices.numpy(), P.bounds, shape)
    assert ids.shape == shape and ids.min() >= 0  # every pixel centre lies in some region: no gaps
    truth = P.locate(torch.tensor(_centres(P.bounds, shape))).numpy().reshape(shape)
    # a centre within 1e-9 of a shared edge may go to either side: count only clear disagreements
    assert (ids == truth).mean() > 0.999
    # the other side of an edge is a region whose polygon holds the point within the tolerance
    for i, j in zip(*np.nonzero(ids != truth)):
        assert ids[i, j] != truth[i, j] and truth[i, j] >= 0


def test_raster_compiled_and_numpy_routes_agree(monkeypatch):
    P = _part((2, 16, 16, 16, 1), seed=5)
    args = (P.vertices.numpy(), P.n_vertices.numpy(), P.bounds, (64, 64))
    a = rg.raster_region_ids(*args)
    monkeypatch.setattr(rg, "COMPILED_RASTER", False)
    b = rg.raster_region_ids(*args, chunk=97)  # tiny chunks: the chunking itself is exercised
    assert np.array_equal(a, b)
    # outside the polygons: -1 (a domain larger than the partition's box)
    u0, u1, v0, v1 = P.bounds
    ids = rg.raster_region_ids(P.vertices.numpy(), P.n_vertices.numpy(), (u0 - 1, u1 + 1, v0 - 1, v1 + 1), (40, 40))
    assert ids[0, 0] == -1 and ids[20, 20] >= 0
    assert rg.raster_region_ids(P.vertices.numpy()[:0], P.n_vertices.numpy()[:0], P.bounds, (4, 4)).max() == -1


def _pixels(fig, dpi=80) -> np.ndarray:
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def test_plot_partition_raster_paints_each_region_in_its_colour():
    P = _part()
    ax = rg.plot_partition(P, raster=True, raster_px=200, edges=False)
    (im,) = ax.images
    assert not [c for c in ax.collections if isinstance(c, rg.PolyCollection)]
    img = im.get_array()
    H, W = img.shape[:2]
    assert max(H, W) == 200
    ids = rg.raster_region_ids(P.vertices.numpy(), P.n_vertices.numpy(), P.bounds, (H, W))
    cols = rg.distinct_colors(min(len(P), 4096), seed=0)[np.arange(len(P)) % min(len(P), 4096)]
    assert np.array_equal(img[..., :3], (cols[ids] * 255).round().astype(np.uint8))
    # the same picture as the polygons, up to the pixels on the boundaries (and edges off in both)
    vec = _pixels(rg.plot_partition(P, raster=False, edges=False).figure)
    ras = _pixels(rg.plot_partition(P, raster=True, edges=False).figure)
    assert vec.shape == ras.shape and (vec == ras).all(-1).mean() > 0.9
    # a value colouring goes through the colour map, with its colour bar
    ax = rg.plot_partition(P, raster=True, color_by="slope")
    assert ax.images and len(ax.child_axes) == 1  # the colour bar: an inset of the axes
    with pytest.raises(ValueError, match="raster must be"):
        rg.plot_partition(P, raster="yes")


def test_plot_partition_raster_auto_threshold(monkeypatch):
    P = _part()
    monkeypatch.setattr(rg, "RASTER_REGIONS", len(P))
    assert not rg.plot_partition(P).images  # at the threshold: polygons
    monkeypatch.setattr(rg, "RASTER_REGIONS", len(P) - 1)
    assert rg.plot_partition(P).images  # above it: one image


def test_layout_pass_hides_collections_without_moving_anything(monkeypatch):
    """The PNG is the same whether or not the layout pass skips the collections (and it is not blank)."""
    P = _part()

    def fig():
        return rg.plot_partition(P, raster=False, color_by="output", title="a title").figure

    seen = []
    orig = style._painting_disabled
    monkeypatch.setattr(style, "_painting_disabled", lambda r: seen.append(orig(r)) or seen[-1])
    fast = _pixels(fig())
    assert seen == [True, False]  # matplotlib's layout pass, then the real one, told apart
    monkeypatch.setattr(style, "_painting_disabled", lambda r: False)
    slow = _pixels(fig())
    assert np.array_equal(fast, slow)
    assert len(np.unique(fast.reshape(-1, 3), axis=0)) > 50  # the regions were painted


def test_painting_disabled_detects_matplotlib_layout_pass():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    f = style.LegibleFigure()
    r = FigureCanvasAgg(f).get_renderer()
    assert not style._painting_disabled(r)
    with r._draw_disabled():
        assert style._painting_disabled(r)
    assert not style._painting_disabled(object())


@pytest.mark.parametrize("compiled", [True, False])
def test_raster_boundaries_mark_region_changes_with_their_layer(compiled, monkeypatch):
    monkeypatch.setattr(rg, "COMPILED_RASTER", compiled)
    P = _part((2, 10, 10, 10, 1), seed=2)
    ids = rg.raster_region_ids(P.vertices.numpy(), P.n_vertices.numpy(), P.bounds, (60, 70))
    pat, col = P.patterns.numpy(), P.boundaries["layer"].to_numpy()
    lay = rg.raster_boundary_layers(ids, pat, col)
    # brute force: for every pixel, the deepest differing column against its right and upper neighbours
    want = np.zeros_like(lay)
    for i in range(ids.shape[0]):
        for j in range(ids.shape[1]):
            for ni, nj in ((i, j + 1), (i + 1, j)):
                if ni < ids.shape[0] and nj < ids.shape[1] and ids[ni, nj] != ids[i, j]:
                    d = np.nonzero(pat[ids[i, j]] != pat[ids[ni, nj]])[0]
                    want[i, j] = max(want[i, j], col[d[-1]])
    assert np.array_equal(lay, want)
    assert set(np.unique(lay)) == {0, 1, 2, 3}  # every layer's boundaries show
    assert rg.raster_boundary_layers(ids, pat[:, :0], col[:0]).max() == 0


def test_region_image_repaints_at_the_axes_size_in_pixels():
    """One image pixel per output pixel, whatever the layout and the dpi (no resampling of 1-pixel boundaries)."""
    P = _part()
    ax = rg.plot_partition(P, raster=True, color_by="output")  # a colour bar: the layout shrinks the axes
    (im,) = ax.images
    for dpi in (50, 120):
        _pixels(ax.figure, dpi=dpi)
        bb = ax.get_window_extent()  # pixels at the figure's own dpi now; scale to the print's
        scale = dpi / ax.figure.dpi
        assert abs(im.ids.shape[1] - bb.width * scale) <= 1 and abs(im.ids.shape[0] - bb.height * scale) <= 1
        assert im.boundary is not None and im.boundary.shape == im.ids.shape and im.boundary.max() >= 1
    ax = rg.plot_partition(P, raster=True, raster_px=64)
    _pixels(ax.figure, dpi=120)
    assert max(ax.images[0].ids.shape) == 64  # a fixed size stays fixed
