"""The figure linter (issue 27): a figure breaking each rule, a clean one with no finding, the library's plots."""
from __future__ import annotations

import io
import re
import time
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import workbench as wb
from workbench.plots import Finding, lint_figure, new_figure, text_px
from workbench.plots import lint as L


def _rules(findings):
    return [f.rule for f in findings]


def _only(findings, rule):
    got = [f for f in findings if f.rule == rule]
    assert got, f"no {rule} finding in {[str(f) for f in findings]}"
    return got


def _number(pattern, text):
    m = re.search(pattern, text)
    assert m, f"{pattern!r} not in {text!r}"
    return [float(g) for g in m.groups()]


def _agg(figsize=(6, 4), **kw):
    """A plain Figure (no legibility fix) on an Agg canvas, so a test can measure extents itself."""
    fig = Figure(figsize=figsize, **kw)
    FigureCanvasAgg(fig)
    return fig


def _labelled(ax, x="x value", y="y value"):
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    return ax


def clean_figure():
    """Two labelled panels, a legend in an empty corner, an attached colour bar, readable fonts."""
    fig, (a, b) = new_figure(1, 2, figsize=(11, 4))
    x = np.linspace(0, 10, 200)
    a.plot(x, 0.5 + 0.4 * np.exp(-x / 3), label="training loss")
    a.plot(x, 0.6 + 0.3 * np.exp(-x / 4), label="test loss")
    a.set_ylim(0, 1.6)
    a.legend(loc="upper right")
    _labelled(a, "epoch", "loss").set_title("Training")
    im = b.imshow(np.random.default_rng(0).random((16, 16)), origin="lower")
    fig.colorbar(im, ax=b, label="weight")
    _labelled(b, "input unit", "output unit").set_title("Weights")
    return fig


def test_clean_figure_has_no_finding_and_lints_fast():
    fig = clean_figure()
    assert lint_figure(fig) == []
    t = time.process_time()
    assert lint_figure(fig) == []
    assert time.process_time() - t < 1.5  # CPU seconds; about 0.1 s on an idle core


def test_finding_is_one_line_and_a_frame():
    f = Finding("text-overlap", "title 'a\nb' of axes 0", "overlaps x by 3 px")
    assert "[text-overlap]" in str(f) and "overlaps x by 3 px" in str(f)
    assert list(f.to_frame().columns) == ["rule", "artist", "message"]
    with pytest.raises(AttributeError):
        f.rule = "other"
    with pytest.raises(ValueError, match="unknown rules"):
        lint_figure(clean_figure(), ignore=("nope",))
    with pytest.raises(TypeError, match="Figure, Axes"):
        lint_figure("figure")


# ------------------------------------------------------------------ text-overlap


def test_overlapping_texts_are_found_with_their_overlap():
    fig = _agg()
    ax = _labelled(fig.add_subplot())
    ax.plot([0, 1], [0, 1])
    t1 = ax.text(0.2, 0.5, "first label", transform=ax.transAxes)
    t2 = ax.text(0.25, 0.52, "second label", transform=ax.transAxes)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    e1, e2 = t1.get_window_extent(r), t2.get_window_extent(r)
    ox, oy = min(e1.x1, e2.x1) - max(e1.x0, e2.x0), min(e1.y1, e2.y1) - max(e1.y0, e2.y0)
    (f,) = _only(lint_figure(fig), "text-overlap")
    assert f.artist == "text 'first label' of axes 0" and "text 'second label' of axes 0" in f.message
    got = _number(r"by ([\d.]+) × ([\d.]+) px", f.message)
    assert got == pytest.approx([ox, oy], abs=0.06)


def test_crowded_tick_labels_overlap():
    fig = _agg()
    ax = _labelled(fig.add_subplot())
    ax.plot(np.arange(30), np.arange(30))
    ax.set_xticks(np.arange(30), [f"label {i}" for i in range(30)])
    found = _only(lint_figure(fig), "text-overlap")
    assert found[0].artist.startswith("tick label 'label ") and found[0].artist.endswith("of axes 0 x")


def test_rotated_labels_use_their_rotated_boxes():
    fig, ax = new_figure(figsize=(8, 4))
    names = ["resnet18", "wide_resnet50_2", "vgg11_bn", "squeezenet1_0", "mobilenet_v3_large", "alexnet"]
    ax.bar(names, np.arange(1, 7))
    ax.tick_params(axis="x", rotation=45)  # their axis-aligned boxes overlap, the text does not
    ax.set_ylabel("accuracy")
    assert lint_figure(fig) == []
    fig2 = _agg()
    ax2 = _labelled(fig2.add_subplot())
    ax2.plot([0, 1], [0, 1])
    ax2.text(0.4, 0.5, "rotated text one", rotation=45, transform=ax2.transAxes)
    ax2.text(0.42, 0.5, "rotated text two", rotation=45, transform=ax2.transAxes)
    (f,) = _only(lint_figure(fig2), "text-overlap")
    assert "rotated" in f.message and _number(r"by ([\d.]+) px", f.message)[0] > 2


# ------------------------------------------------------------------ text-outside


def test_text_outside_the_figure():
    fig = _agg(figsize=(4, 3))
    fig.subplots_adjust(left=0.2, bottom=0.2)  # room for the axis labels
    ax = _labelled(fig.add_subplot())
    ax.plot([0, 1], [0, 1])
    t = ax.text(1.02, 0.5, "a note beyond the axes", transform=ax.transAxes)
    fig.canvas.draw()
    beyond = t.get_window_extent(fig.canvas.get_renderer()).x1 - 400
    (f,) = _only(lint_figure(fig), "text-outside")
    assert f.artist == "text 'a note beyond the axes' of axes 0"
    assert _number(r"([\d.]+) px beyond the right", f.message)[0] == pytest.approx(beyond, abs=0.06)


# ------------------------------------------------------------------ legend-on-data


def _legend_box(ax):
    r = ax.figure.canvas.get_renderer()
    return ax.legend_.get_frame().get_window_extent(r)


def test_legend_on_a_line_crossing_it():
    fig = _agg()
    ax = _labelled(fig.add_subplot())
    ax.plot([0, 1], [0.95, 0.95], label="a line across the top")  # two vertices, neither under the legend
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper right")
    fig.canvas.draw()
    share = _legend_box(ax).width / ax.bbox.width
    (f,) = _only(lint_figure(fig), "legend-on-data")
    assert f.artist == "legend of axes 0" and "line 'a line across the top'" in f.message
    assert _number(r"covers (\d+)%", f.message)[0] == pytest.approx(100 * share, abs=2)


def test_legend_on_scatter_markers_bars_and_images():
    fig = _agg(figsize=(12, 3.5))
    a, b, c = fig.subplots(1, 3)
    xs = np.r_[np.full(5, 0.95), np.linspace(0.05, 0.5, 5)]
    a.scatter(xs, np.r_[np.full(5, 0.97), np.linspace(0.05, 0.5, 5)], label="points")
    a.set(xlim=(0, 1), ylim=(0, 1))
    a.legend(loc="upper right")
    b.bar([0, 1, 2], [0.2, 0.3, 1.0], label="bars")  # the tallest bar's top under the legend
    b.legend(loc="upper right")
    c.imshow(np.zeros((10, 10)))
    for k in range(4):
        c.plot([], [], label=f"class {k}")  # legend entries without data: only the image is under the box
    c.legend(loc="center")
    found = {f.artist: f.message for f in lint_figure(fig) if f.rule == "legend-on-data"}
    assert _number(r"covers (\d+)% of scatter 'points'", found["legend of axes 0"]) == [50]
    assert _number(r"covers (\d+)% of bars 'bars' \(bar ends", found["legend of axes 1"]) == [33]
    assert _number(r"covers (\d+)% of image 0", found["legend of axes 2"])[0] > 5


def test_legend_outside_the_axes_covers_nothing():
    fig, ax = new_figure(figsize=(7, 4))
    ax.plot(np.linspace(0, 1, 50), np.linspace(0, 1, 50), label="diagonal")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1))
    _labelled(ax)
    assert lint_figure(fig) == []


# ------------------------------------------------------------------ colorbar-detached


def test_detached_colorbar_and_attached_ones():
    fig = _agg(figsize=(8, 4))
    ax = _labelled(fig.add_axes((0.1, 0.15, 0.4, 0.75)))
    im = ax.imshow(np.eye(4), aspect="auto")
    fig.colorbar(im, cax=fig.add_axes((0.9, 0.15, 0.03, 0.75)))  # 0.4 figure widths away
    (f,) = _only(lint_figure(fig), "colorbar-detached")
    assert f.artist == "colorbar axes 1 (of axes 0)"
    assert _number(r"(\d+) px from its axes = (\d+)%", f.message) == [320, 100]

    fig2, axes = new_figure(1, 2, figsize=(10, 4))  # a colour bar for two axes (their list: _colorbar_info)
    for ax in axes:
        im = ax.imshow(np.eye(4))  # equal aspect: the axes are narrower than their slot, the gap 15% of them
        _labelled(ax)
    fig2.colorbar(im, ax=list(axes), label="value")
    assert lint_figure(fig2) == []

    fig3, ax3 = new_figure(figsize=(6, 4))  # inset colour bars, as plot_partition makes them
    im = ax3.imshow(np.eye(4))
    _labelled(ax3)
    fig3.colorbar(im, cax=ax3.inset_axes([1.03, 0.0, 0.045, 1.0]), label="value")
    assert lint_figure(fig3) == []
    fig4, ax4 = new_figure(figsize=(6, 4))
    im = ax4.imshow(np.eye(4))
    _labelled(ax4)
    fig4.colorbar(im, cax=ax4.inset_axes([1.6, 0.0, 0.05, 1.0]), label="value")  # 60% of the width away
    (f,) = _only(lint_figure(fig4), "colorbar-detached")
    assert f.artist == "colorbar axes 1 (of axes 0)" and _number(r"= (\d+)%", f.message)[0] == pytest.approx(60, abs=1)


# ------------------------------------------------------------------ font-too-small


def test_small_fonts_at_projector_size_agree_with_text_px():
    fig = _agg(figsize=(16, 4.2))
    for ax in fig.subplots(1, 3):
        ax.plot([0, 1], [0, 1])
        _labelled(ax)
        ax.tick_params(labelsize=5)
    found = _only(lint_figure(fig), "font-too-small")  # tick labels (grouped per axis) and 10 pt axis labels
    ticks = [f for f in found if "tick labels" in f.artist]
    assert len(found) == 12 and len(ticks) == 6
    assert ticks[0].artist.startswith("6 tick labels of axes 0 x ('0.0', '0.2', '0.4', …)")
    px = _number(r"shows ([\d.]+) px", ticks[0].message)[0]
    assert px == pytest.approx(text_px(fig), abs=0.06) and px == pytest.approx(5 * 100 / 72 * 1000 / 1600, abs=0.06)
    assert _rules(lint_figure(fig, display_px=1600, min_px=6.9)) == []  # 5 pt = 6.94 px at full size
    legible, ax = new_figure(1, 1, figsize=(16, 4.2))  # a LegibleFigure enlarges its text when drawn
    ax.plot([0, 1], [0, 1])
    ax.tick_params(labelsize=5)
    _labelled(ax)
    assert lint_figure(legible) == []
    assert _only(lint_figure(legible, min_px=16), "font-too-small")


# ------------------------------------------------------------------ empty-axes


def test_empty_axes():
    fig, (a, b) = new_figure(1, 2, figsize=(9, 4))
    _labelled(a).plot([0, 1], [0, 1])
    (f,) = _only(lint_figure(fig), "empty-axes")
    assert f.artist == "axes 1"
    b.axis("off")  # the intent to leave it blank
    assert lint_figure(fig) == []
    b.set_title("nothing here")
    assert _rules(lint_figure(fig)) == ["empty-axes"]


# ------------------------------------------------------------------ missing-label


def test_missing_labels_and_shared_grids():
    fig = _agg()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("time")
    (f,) = _only(lint_figure(fig), "missing-label")
    assert f.artist == "y axis of axes 0"
    fig2, axes = new_figure(2, 2, figsize=(8, 6), sharex=True, sharey=True)  # outer labels only
    for ax in axes.flat:
        ax.plot([0, 1], [1, 0])
    for ax in axes[-1]:
        ax.set_xlabel("time")
    axes[0, 0].set_ylabel("value")
    axes[1, 0].set_ylabel("value")
    assert lint_figure(fig2) == []
    fig3, axes3 = new_figure(1, 2, figsize=(8, 4))  # figure-level labels, and a categorical axis
    axes3[0].plot([0, 1], [1, 0])
    axes3[1].bar(["relu", "tanh"], [1, 2])
    fig3.supxlabel("input")
    fig3.supylabel("output")
    assert lint_figure(fig3) == []


# ------------------------------------------------------------------ raw-identifier


def test_raw_identifiers_and_what_is_allowed():
    fig, ax = new_figure(figsize=(7, 4))
    ax.plot([0, 1], [0, 1], label="lr=0.1")
    ax.legend(loc="lower right")
    ax.set_title("sigma_w2 against n_params")
    _labelled(ax)
    found = {f.artist: f.message for f in _only(lint_figure(fig), "raw-identifier")}
    assert "'sigma_w2', 'n_params'" in found["title 'sigma_w2 against n_params' of axes 0 'sigma_w2 against n_params'"]
    assert "'lr='" in found["entry 'lr=0.1' of legend of axes 0 'sigma_w2 against n_params'"]
    ok, ax = new_figure(figsize=(7, 4))
    ax.plot([0, 1], [0, 1], label=r"$\sigma_w^2 = 2$, $x_1$, n=3")
    ax.legend(loc="lower right")
    ax.set_title("resnet18, wide_resnet50_2 and vgg11_bn")
    _labelled(ax, "weight variance", "spanning dimension")
    assert lint_figure(ok) == []
    ax.set_xlabel("my_quantity")
    assert _rules(lint_figure(ok)) == ["raw-identifier"]
    L.ALLOWED_IDENTIFIERS.add("my_quantity")
    try:
        assert lint_figure(ok) == []
    finally:
        L.ALLOWED_IDENTIFIERS.discard("my_quantity")


# ------------------------------------------------------------------ the library's own plots


def test_library_plots():
    """The findings recorded in issue 27's report: legends of plot_partition / plot_sd_distribution sit on data."""
    net = wb.mlp([2, 8, 8, 1], seed=0)
    part = wb.plots.plot_partition(wb.partition_2d(net, (-1, 1, -1, 1)))
    sd = wb.plots.plot_sd_distribution(wb.esd([1, 2, 1], "relu", samples=3, seed=0, device="cpu"))
    for ax in (part, sd):  # legend-on-data is theirs to fix (the legend covers region edges / a bar's top)
        assert set(_rules(lint_figure(ax))) <= {"legend-on-data"}
    rows = [dict(activation="relu", n1=a, n2=b, esd=a + 0.1 * b) for a in range(1, 6) for b in range(1, 6)]
    curves = pd.DataFrame([dict(model=m, epoch=e, train_acc=1 - 0.5 / (e + 1) - 0.1 * i)
                           for i, m in enumerate(["resnet18", "vgg11_bn"]) for e in range(10)])
    depths = pd.DataFrame(dict(hidden_layers=[1, 2, 3, 4], psd=[3, 4, 5, 6], n_params=[4, 6, 8, 10]))
    for ax in (wb.plots.plot_esd_heatmap(pd.DataFrame(rows)), wb.plots.plot_training_curves(curves),
               wb.plots.plot_psd_depths(depths)):
        assert lint_figure(ax) == []


# ------------------------------------------------------------------ pyplot and notebooks


def _bad_figure():
    fig, ax = new_figure(figsize=(5, 3))
    ax.plot([0, 1], [0, 1])  # no labels
    return fig


def test_lint_leaves_canvas_and_pyplot_alone():
    import matplotlib.pyplot as plt

    fig = Figure()
    canvas = fig.canvas
    fig.add_subplot().plot([0, 1])
    lint_figure(fig)
    assert fig.canvas is canvas
    a, b = plt.figure(), plt.figure()
    try:
        a.add_subplot().plot([0, 1])
        assert plt.gcf() is b
        out = L.lint_open_figures()
        assert plt.gcf() is b and set(out) >= {a.number, b.number}
        assert "missing-label" in _rules(out[a.number]) and out[b.number] == []
    finally:
        plt.close(a)
        plt.close(b)


def test_cell_linter_lints_the_cells_figures():
    import matplotlib.pyplot as plt

    old = plt.figure()
    stream = io.StringIO()
    hook = L._CellLinter(stream=stream)
    try:
        hook.pre_run_cell()
        new = plt.figure()
        new.add_subplot().plot([0, 1])
        shown = _bad_figure()
        hook.note(shown)
        report = hook.post_run_cell()
        assert set(report) == {f"figure {new.number}", "figure 1 shown by this cell"}
        assert "figure lint: 4 finding(s)" in stream.getvalue() and "[missing-label]" in stream.getvalue()
        hook.pre_run_cell()
        assert hook.post_run_cell() == {}  # nothing new: the open figures are not linted again
        strict = L._CellLinter(strict=True, stream=stream)
        strict.pre_run_cell()
        strict.note(_bad_figure())
        result = SimpleNamespace(error_in_exec=None)
        with pytest.raises(L.FigureLintError, match="missing-label"):
            strict.post_run_cell(result)
        assert isinstance(result.error_in_exec, L.FigureLintError)  # the kernel reports the cell failed
    finally:
        plt.close(old)
        plt.close("all")


def test_install_notebook_hook_in_a_shell(capsys):
    from IPython.core.events import EventManager, available_events
    from IPython.core.formatters import DisplayFormatter

    shell = SimpleNamespace(showtraceback=lambda *a, **k: None)
    shell.events = EventManager(shell, available_events)
    shell.display_formatter = DisplayFormatter()
    png = shell.display_formatter.formatters["image/png"]

    def inline(fig):
        return b"\x89PNG"

    png.for_type(Figure, inline)
    hook = L.install_notebook_hook(shell=shell)
    try:
        shell.events.trigger("pre_run_cell", None)
        shell.display_formatter.format(_bad_figure())  # what workbench.plots.show / display(fig) do
        shell.events.trigger("post_run_cell", None)
        assert "[missing-label]" in capsys.readouterr().out
        again = L.install_notebook_hook(shell=shell)  # replaces the first hook
        assert len(shell.events.callbacks["post_run_cell"]) == 1
        again.uninstall()
        assert png.lookup_by_type(Figure) is inline and not shell.events.callbacks["post_run_cell"]
    finally:
        hook.uninstall()
    with pytest.raises(RuntimeError, match="inside IPython"):
        L.install_notebook_hook()
