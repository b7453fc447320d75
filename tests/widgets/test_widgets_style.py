"""Slides: lecture style, legible text at projector size, colour bars beside their axes, offline animations."""
from __future__ import annotations

import re

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.figure import Figure

import workbench as wb
from workbench.plots import (
    LAYER_COLORS,
    LEGIBILITY,
    OKABE_ITO,
    animation_frames,
    ensure_legible,
    lecture_style,
    new_figure,
    offline_html,
    text_px,
)
from workbench.plots import regions as rp
from workbench.widgets import FramePlayer


def _small_text_figure(cls_or_new):
    fig, axes = cls_or_new
    for ax in np.atleast_1d(axes):
        ax.plot([0, 1], [0, 1])
        ax.set_title("tiny", fontsize=5)
        ax.set_xlabel("x", fontsize=6)
        ax.tick_params(labelsize=5)
    return fig


def test_wide_multipanel_figures_are_legible_at_projector_size():
    fig = _small_text_figure(new_figure(1, 3, figsize=(16, 4.2)))
    assert text_px(fig, dpi=100) >= LEGIBILITY["min_px"] - 1e-9
    plain = Figure(figsize=(16, 4.2))
    _small_text_figure((plain, plain.subplots(1, 3)))
    small = text_px(plain, dpi=100)
    assert small == pytest.approx(5 * 100 / 72 * 1000 / 1600)  # 5 pt at 100 dpi, shrunk 1600 -> 1000 px
    floor = ensure_legible(plain, dpi=100, min_px=12, display_px=1000)
    assert floor == pytest.approx(12 * 72 / (100 * 1000 / 1600))
    assert text_px(plain, dpi=100) == pytest.approx(12)


def test_lecture_style_one_call_and_context():
    before = mpl.rcParams["font.size"], LEGIBILITY["min_px"]
    with lecture_style() as st:
        assert mpl.rcParams["font.size"] == 14 and LEGIBILITY["min_px"] == 16
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][:3] == list(OKABE_ITO[:3])
        fig = _small_text_figure(new_figure(1, 2, figsize=(11, 4)))
        assert text_px(fig) >= 16 - 1e-9
    assert (mpl.rcParams["font.size"], LEGIBILITY["min_px"]) == before
    st = lecture_style(min_px=20, rc={"lines.linewidth": 3.0})
    try:
        assert mpl.rcParams["lines.linewidth"] == 3.0 and LEGIBILITY["min_px"] == 20
    finally:
        st.restore()
    assert LEGIBILITY["min_px"] == before[1]


def test_lecture_style_errors():
    with pytest.raises(ValueError, match="min_px must be a positive number"):
        lecture_style(min_px=0)
    with pytest.raises(KeyError, match="unknown rcParams"):
        lecture_style(rc={"font.sise": 3})


def test_layer_colours_are_colour_blind_safe():
    assert set(LAYER_COLORS) <= set(OKABE_ITO)


def test_colour_bar_stays_beside_its_axes_not_over_the_title():
    net = wb.mlp([2, 6, 6, 1], "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.1, seed=0)
    part = wb.partition_2d(net)
    fig, axes = new_figure(1, 2, figsize=(12, 4.8))
    for ax in axes:
        rp.plot_partition(part, ax=ax, color_by="output", title="a title that must stay readable")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    r = FigureCanvasAgg(fig).get_renderer()
    fig.draw(r)
    for ax in axes:
        (cax,) = ax.child_axes
        cb, box, title = cax.get_window_extent(r), ax.get_window_extent(r), ax.title.get_window_extent(r)
        assert cb.y1 <= box.y1 + 1 and cb.y0 >= box.y0 - 1  # as tall as the drawn axes box
        assert cb.y1 <= title.y0 + 1  # below the title


def test_offline_animation_player():
    from workbench.papers.raghu.trajectories import circle_through_layers
    from workbench.plots.trajectories import animate_layers

    traj = circle_through_layers((4, 8, 8, 2), "tanh", n_points=40, seed=0)
    frames = animation_frames(animate_layers(traj), dpi=40)
    assert len(frames) == traj.n_layers and all(f[:8] == b"\x89PNG\r\n\x1a\n" for f in frames)
    page = offline_html(frames, interval=500, labels=[traj.layer_name(i) for i in range(traj.n_layers)])
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", page)  # base64 may spell anything
    assert "http" not in text and "cdn" not in text.lower() and "//" not in text.replace("://", "")
    first = page.index("<img")
    assert 'src="data:image/png;base64,' in page[first:first + 60]  # the first frame shows without any script
    assert "hidden layer 1" in page
    p = FramePlayer(frames, labels=["a", "b", "c", "d"])
    assert p.stack.selected_index == 0 and len(p.links) == 2 and p.play.max == 3
    with pytest.raises(ValueError, match="frames is empty"):
        offline_html([])
    with pytest.raises(ValueError, match="interval must be a positive int"):
        offline_html(frames, interval=0)
    with pytest.raises(ValueError, match="one entry per frame"):
        FramePlayer(frames, labels=["a"])
