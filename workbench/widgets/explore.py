"""Figures that answer a click: a partition's region under the pointer, a trajectory point through the layers.

With ipympl (the ``notebooks`` extra) in a live kernel the figure is an
interactive canvas: clicking a point of a partition selects it, hovering the
input circle of a trajectory moves the marker through every layer.  Headless
(tests, papermill, no ipympl) the same panels show a static picture and take
the point from their sliders, so every answer is still reachable.
"""
from __future__ import annotations

import html

import ipywidgets as W
import numpy as np
import torch
from matplotlib.patches import Circle

from workbench.measures import activation_pattern, distance_to_edge, local_affine, partition_2d
from workbench.plots._base import new_figure
from workbench.plots.regions import plot_partition
from workbench.plots.trajectories import plot_layer_image
from workbench.widgets._base import Panel, in_kernel

__all__ = ["PartitionExplorer", "TrajectoryExplorer", "has_ipympl", "inspect_point", "show_on_canvas"]


def has_ipympl() -> bool:
    """True when ipympl's widget canvas can be imported."""
    try:
        import ipympl.backend_nbagg  # noqa: F401
    except ImportError:
        return False
    return True


def _canvas(fig):
    """Attach an ipympl widget canvas to a pyplot-free figure (returns the canvas widget)."""
    from ipympl.backend_nbagg import Canvas, FigureManager

    canvas = Canvas(fig)
    FigureManager(canvas, 0)
    canvas.header_visible = False
    canvas.toolbar_visible = False
    return canvas


def show_on_canvas(panel, fig, connect) -> None:
    """Show ``fig`` in ``panel.out`` as one ipympl canvas, made on the first call (then ``connect(canvas)``).

    Later calls redraw the same canvas: the panel draws into the same figure each time.  Shared by the
    explorers and the Playground's clickable map.
    """
    if panel.canvas is None:
        panel.canvas = _canvas(fig)
        connect(panel.canvas)
        panel.out.outputs = ({"output_type": "display_data", "metadata": {},
                              "data": {"application/vnd.jupyter.widget-view+json":
                                       {"model_id": panel.canvas.model_id, "version_major": 2,
                                        "version_minor": 0},
                                       "text/plain": "interactive figure"}},)
    panel.canvas.draw_idle()


def inspect_point(net, part, x: float, y: float) -> dict:
    """Everything the partition explorer shows about the point ``(x, y)``.

    Keys: ``region`` (index into ``part``, -1 outside its domain), ``pattern``
    (activation pattern, 0/1 string per layer), ``W``, ``b`` (local affine map
    ``f(u) = W_R u + b_R``, :func:`workbench.local_affine`), ``singular_values``,
    ``rank``, ``slope`` (``||W_R||_2``), ``distance`` (exact distance to the
    nearest neuron boundary, :func:`workbench.measures.distance_to_edge`) with
    its ``edge_layer`` / ``edge_neuron``, and ``border_distance`` (to the
    nearest edge of the region's polygon, domain border included).
    """
    pt = torch.tensor([[float(x), float(y)]], dtype=torch.float64)
    region = int(part.locate(pt)[0])
    W_, b_ = local_affine(net, pt.to(torch.float32), device="cpu")
    Wm = W_[0].double()
    sv = torch.linalg.svdvals(Wm)
    pat = activation_pattern(net, pt.to(torch.float32), device="cpu")[0].cpu().numpy()
    layers = part.boundaries["layer"].to_numpy()
    pattern = " | ".join("".join("1" if v else "0" for v in pat[layers == l]) for l in sorted(set(layers)))
    ed = distance_to_edge(net, pt.to(torch.float32), device="cpu")
    border = float("nan")
    if region >= 0:
        import shapely

        border = float(part.polygons[region].exterior.distance(shapely.Point(float(x), float(y))))
    return {
        "x": float(x), "y": float(y), "region": region, "pattern": pattern,
        "W": Wm.cpu().numpy(), "b": b_[0].double().cpu().numpy(),
        "singular_values": sv.cpu().numpy(), "rank": int(torch.linalg.matrix_rank(Wm)), "slope": float(sv[0]),
        "distance": float(ed.distance[0]), "edge_layer": int(ed.layer[0]), "edge_neuron": int(ed.neuron[0]),
        "border_distance": border,
    }


def _info_html(info: dict) -> str:
    if info["region"] < 0:
        return f"({info['x']:.3f}, {info['y']:.3f}) is outside the partition's domain"
    W_ = np.array2string(info["W"], precision=3, suppress_small=True)
    sv = ", ".join(f"{s:.4g}" for s in info["singular_values"])
    return (f"<b>({info['x']:.3f}, {info['y']:.3f})</b> lies in region <b>{info['region']}</b> · "
            f"activation pattern (layers split by |): <code>{html.escape(info['pattern'])}</code><br>"
            f"local map W_R = <code>{html.escape(W_)}</code>, rank {info['rank']}, singular values {sv}, "
            f"slope ‖W_R‖₂ = {info['slope']:.4g}<br>"
            f"exact distance to the nearest region edge: <b>{info['distance']:.4g}</b> (neuron {info['edge_neuron']} "
            f"of layer {info['edge_layer']}); to the region polygon's border (domain edge included): "
            f"{info['border_distance']:.4g}")


class _Interactive(Panel):
    """A panel whose picture is one figure, updated in place; an ipympl canvas when ``interactive``."""

    def __init__(self, controls, *, interactive: bool | None = None):
        self.interactive = (in_kernel() and has_ipympl()) if interactive is None else bool(interactive)
        if self.interactive and not has_ipympl():
            raise ImportError("interactive=True needs ipympl: pip install ipympl (in the notebooks extra)")
        self.canvas = None
        self._fig = None
        super().__init__(controls, background=False)

    def _render(self, fig) -> None:
        if not self.interactive:
            return super()._render(fig)
        show_on_canvas(self, fig, self._connect)

    def _connect(self, canvas) -> None:  # pragma: no cover - needs a browser
        pass


class PartitionExplorer(_Interactive):
    """Click a point of a network's exact partition: its region, pattern, local map and distance to the edge.

    ``net`` must have a 2-D input (as for :func:`workbench.partition_2d`).
    The sliders ``x``, ``y`` choose the point (a click on the interactive
    figure sets them); the text under the figure lists the region's activation
    pattern, ``W_R`` with its rank, singular values and slope, and the exact
    distance to the nearest region edge, drawn as a circle of that radius.
    """

    title = "Click a region: its activation pattern, local map W_R and distance to the nearest edge"

    def __init__(self, net, *, bounds=(-1.0, 1.0, -1.0, 1.0), partition=None, x: float = 0.0, y: float = 0.0,
                 color_by: str = "pattern", interactive: bool | None = None, max_regions: int = 200_000):
        self.net = net
        self.partition = partition if partition is not None else partition_2d(net, bounds, max_regions=max_regions)
        self.color_by = color_by
        u0, u1, v0, v1 = self.partition.bounds
        for name, v, lo, hi in (("x", x, u0, u1), ("y", y, v0, v1)):
            if not lo <= v <= hi:
                raise ValueError(f"{name} = {v} lies outside the partition's domain [{lo}, {hi}]")
        step = 10 ** np.floor(np.log10((u1 - u0) / 400))
        sl = dict(continuous_update=False, step=step, readout_format=".3f")
        controls = {"x": W.FloatSlider(value=x, min=u0, max=u1, description="x₁", **sl),
                    "y": W.FloatSlider(value=y, min=v0, max=v1, description="x₂", **sl)}
        self.info = W.HTML()
        self.info.add_class("wb-explorer-info")  # the browser tests find the answer to a click by it
        self._artists = []
        super().__init__(controls, interactive=interactive)
        self.widget.children = self.widget.children + (self.info,)

    def compute(self, *, x, y):
        return inspect_point(self.net, self.partition, x, y)

    def draw(self, info, *, x, y):
        if self._fig is None:
            fig, ax = new_figure(1, 1, figsize=(6.0, 5.6))
            plot_partition(self.partition, ax=ax, color_by=self.color_by, edge_width=0.5, legend=False)
            self._fig, self._ax = fig, ax
        for a in self._artists:
            a.remove()
        ax = self._ax
        self._artists = []
        if info["region"] >= 0:
            poly = np.asarray(self.partition.polygons[info["region"]].exterior.coords)
            self._artists += ax.plot(poly[:, 0], poly[:, 1], color="k", lw=2.5)
            circ = Circle((x, y), info["distance"], fill=False, ls="--", lw=1.5, color="#D55E00")
            ax.add_patch(circ)
            self._artists.append(circ)
        self._artists += ax.plot([x], [y], marker="o", ms=8, color="white", mec="k", zorder=6)
        ax.set_title(f"region {info['region']}: rank {info['rank']}, slope {info['slope']:.3g}, "
                     f"edge at {info['distance']:.3g}")
        self.info.value = _info_html(info)
        return self._fig

    def describe(self, info, **params) -> str:
        return f"{len(self.partition):,} regions; click the figure or move the sliders"

    def _connect(self, canvas) -> None:  # pragma: no cover - needs a browser
        def on_click(event):
            if event.inaxes is self._ax and event.xdata is not None:
                self.update(x=float(event.xdata), y=float(event.ydata))

        canvas.mpl_connect("button_press_event", on_click)


class TrajectoryExplorer(_Interactive):
    """Hover the input circle to follow one point ``t`` of the trajectory through every layer's image.

    ``traj`` is a :class:`workbench.papers.raghu.trajectories.LayerTrajectory`
    (``circle_through_layers``).  The slider ``point`` picks the point (hovering
    the input panel of the interactive figure sets it).
    """

    title = "Hover the circle: where one point goes, layer by layer"

    def __init__(self, traj, *, point: int = 0, ncols: int = 4, interactive: bool | None = None):
        self.traj, self.ncols = traj, int(ncols)
        n = len(traj.t)
        if not 0 <= point < n:
            raise ValueError(f"point must be in [0, {n - 1}], got {point}")
        controls = {"point": W.IntSlider(value=point, min=0, max=n - 1, description="point t",
                                         continuous_update=False)}
        self._markers = []
        super().__init__(controls, interactive=interactive)

    def compute(self, *, point):
        return {"point": int(point), "t": float(self.traj.t[point]),
                "coords": [P[point] for P in self.traj.projected]}

    def draw(self, res, *, point):
        if self._fig is None:
            L = self.traj.n_layers
            rows = -(-L // self.ncols)
            fig, axes = new_figure(rows, self.ncols, figsize=(2.9 * self.ncols, 2.9 * rows), squeeze=False)
            for i, ax in enumerate(axes.flat):
                if i < L:
                    plot_layer_image(self.traj, i, ax)
                else:
                    ax.set_axis_off()
            self._fig, self._axes = fig, list(axes.flat[:L])
        for m in self._markers:
            m.remove()
        self._markers = []
        for ax, c in zip(self._axes, res["coords"]):
            self._markers += ax.plot([c[0]], [c[1]], marker="o", ms=9, color="#D55E00", mec="k", zorder=6)
        self._fig.suptitle(f"point t = {res['t']:.3f} (index {res['point']})")
        return self._fig

    def describe(self, res, **params) -> str:
        return f"t = {res['t']:.3f}: marked in every layer's image"

    def nearest(self, u: float, v: float) -> int:
        """Index of the trajectory point nearest to ``(u, v)`` in the input panel's projection."""
        P = self.traj.projected[0]
        return int(np.argmin((P[:, 0] - u) ** 2 + (P[:, 1] - v) ** 2))

    def _connect(self, canvas) -> None:  # pragma: no cover - needs a browser
        def on_move(event):
            if event.inaxes is self._axes[0] and event.xdata is not None:
                i = self.nearest(event.xdata, event.ydata)
                if i != self.controls["point"].value:
                    self.controls["point"].value = i

        canvas.mpl_connect("motion_notify_event", on_move)
