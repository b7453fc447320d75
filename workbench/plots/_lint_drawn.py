"""The figure as :func:`workbench.plots.lint_figure` reads it: drawn once, its texts with their window extents.

:class:`_Figure` holds the visible texts (tick labels, titles, axis labels,
annotations, legend texts, figure texts) with their extents on the renderer of
:func:`_renderer`, and the readable names of the axes; the helpers below it
answer what the rules ask of an axes (its data artists, its colour bar's
parents, a figure-level axis label, a categorical axis).  Moved out of
``workbench/plots/lint.py`` (issue 24).
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

# ------------------------------------------------------------------------------------------ drawing


@contextmanager
def _renderer(fig: Figure):
    """An Agg renderer at ``fig.dpi`` after one draw with painting switched off (the canvas is put back)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    old = fig.canvas
    canvas = old if isinstance(old, FigureCanvasAgg) else FigureCanvasAgg(fig)  # as print_figure does
    try:
        renderer = canvas.get_renderer()
        disabled = getattr(renderer, "_draw_disabled", None)
        if disabled is None:  # pragma: no cover - an older or newer matplotlib: paint
            fig.draw(renderer)
        else:
            with disabled():
                fig.draw(renderer)
        yield renderer
    finally:
        if canvas is not old:
            fig.set_canvas(old)


def _quote(s: str, n: int = 40) -> str:
    s = " ".join(str(s).split())
    return "'" + (s if len(s) <= n else s[: n - 1] + "…") + "'"


def _axes_names(fig: Figure) -> dict:
    order = list(fig.axes)
    i = 0
    while i < len(order):  # inset axes (colour bars made with inset_axes) are children of an Axes
        order.extend(a for a in getattr(order[i], "child_axes", []) if a not in order)
        i += 1
    names = {}
    for k, ax in enumerate(order):
        base = f"colorbar axes {k}" if hasattr(ax, "_colorbar") else f"axes {k}"
        title = next((t.get_text() for t in (ax.title, ax._left_title, ax._right_title) if t.get_text().strip()), "")
        names[ax] = f"{base} {_quote(title)}" if title else base
    return names


def _axis_on(ax: Axes) -> bool:
    return bool(ax.axison and getattr(ax, "_axis3don", True))


@dataclass
class _T:
    text: Text
    name: str
    bbox: Bbox
    tick: tuple | None = None  # (axes, axis name) for tick labels
    corners: np.ndarray | None = None  # 4x2 rotated box, None when axis-aligned


class _Figure:
    """What the rules read: the drawn texts with their extents, axes names, the renderer."""

    def __init__(self, fig: Figure, renderer):
        self.fig, self.renderer = fig, renderer
        self.names = _axes_names(fig)
        self.texts: list[_T] = []
        self._seen: set[int] = set()
        self._collect(fig)

    # -- texts
    def _add(self, t: Text, name: str, tick=None) -> None:
        if id(t) in self._seen or not t.get_visible() or not t.get_text().strip():
            return
        self._seen.add(id(t))
        if isinstance(t, Annotation):
            try:
                if not t._check_xy(self.renderer):  # annotation_clip: not drawn
                    return
            except Exception:  # pragma: no cover - private API changed: lint it anyway
                pass
        bb = t.get_window_extent(self.renderer)
        if t.get_clip_on() and t.get_clip_box() is not None:
            bb = Bbox.intersection(bb, t.get_clip_box())
            if bb is None:
                return
        if not np.all(np.isfinite(bb.extents)) or bb.width <= 0 or bb.height <= 0:
            return
        self.texts.append(_T(t, name, bb, tick, self._rotated_corners(t, bb)))

    def _rotated_corners(self, t: Text, bb: Bbox):
        rot = t.get_rotation() % 90
        if min(rot, 90 - rot) < 0.5:
            return None
        probe = Text(0, 0, t.get_text(), fontproperties=t.get_fontproperties(), usetex=t.get_usetex(),
                     linespacing=t.get_linespacing(), parse_math=t.get_parse_math())
        probe.set_figure(self.fig)
        ext = probe.get_window_extent(self.renderer)
        th = math.radians(t.get_rotation())
        u, v = np.array([math.cos(th), math.sin(th)]), np.array([-math.sin(th), math.cos(th)])
        c = np.array([(bb.x0 + bb.x1) / 2, (bb.y0 + bb.y1) / 2])  # a rotated box's AABB shares its centre
        w, h = ext.width / 2, ext.height / 2
        return np.array([c - w * u - h * v, c + w * u - h * v, c + w * u + h * v, c - w * u + h * v])

    def _collect(self, fig) -> None:
        for ax, an in self.names.items():
            if self.shown(ax):
                self._collect_axes(ax, an)
        self._collect_figure(fig, "figure")

    def shown(self, ax) -> bool:
        """Visible, and so is the axes it is an inset of (if any)."""
        while ax is not None:
            if not ax.get_visible():
                return False
            ax = next((p for p in self.names if ax in getattr(p, "child_axes", [])), None)
        return True

    def _collect_figure(self, fig, fname: str) -> None:
        special = {id(getattr(fig, k, None)): k[1:] for k in ("_suptitle", "_supxlabel", "_supylabel")}
        for t in fig.texts:
            kind = special.get(id(t), "figure text")
            self._add(t, f"{kind} {_quote(t.get_text())}" + ("" if fname == "figure" else f" of {fname}"))
        for leg in fig.legends:
            if leg.get_visible():
                self._collect_legend(leg, f"legend of {fname}")
        for k, sub in enumerate(getattr(fig, "subfigs", [])):
            if sub.get_visible():
                self._collect_figure(sub, f"subfigure {k}")

    def _collect_legend(self, leg: Legend, lname: str) -> None:
        title = leg.get_title()
        self._add(title, f"title {_quote(title.get_text())} of {lname}")
        for t in leg.texts:
            self._add(t, f"entry {_quote(t.get_text())} of {lname}")

    def _collect_axes(self, ax: Axes, an: str) -> None:
        titles = {id(ax.title): "title", id(ax._left_title): "left title", id(ax._right_title): "right title"}
        if _axis_on(ax):
            for axis in ax._axis_map.values():
                if axis.get_visible():
                    self._collect_axis(ax, axis, an)
        if ax.legend_ is not None and ax.legend_.get_visible():
            self._collect_legend(ax.legend_, f"legend of {an}")
        for child in ax.get_children():
            if isinstance(child, Text) and child.get_visible():
                kind = titles.get(id(child), "annotation" if isinstance(child, Annotation) else "text")
                self._add(child, f"{kind} {_quote(child.get_text())} of {an}")
            elif not isinstance(child, (Axis, Axes, Legend)) and child.get_visible():
                for t in child.findobj(Text, include_self=False):  # anchored texts, tables
                    if t.get_visible():
                        self._add(t, f"text {_quote(t.get_text())} of {an}")

    def _collect_axis(self, ax: Axes, axis: Axis, an: str) -> None:
        nm = axis.axis_name
        self._add(axis.label, f"{nm} label {_quote(axis.label.get_text())} of {an}")
        self._add(axis.offsetText, f"{nm} offset text {_quote(axis.offsetText.get_text())} of {an}")
        ticks = axis._update_ticks() if hasattr(axis, "_update_ticks") else axis.get_major_ticks()
        for tick in ticks:  # only the ticks inside the view limits are drawn
            if tick.get_visible():
                for lab in (tick.label1, tick.label2):
                    self._add(lab, f"tick label {_quote(lab.get_text())} of {an} {nm}", tick=(ax, nm))


# ------------------------------------------------------------------------------------------ axes


def _colorbar_parents(cax: Axes, names: dict) -> list:
    info = getattr(cax, "_colorbar_info", None) or {}
    parents = [p for p in info.get("parents", []) if p is not None]
    if not parents:
        parents = [p for p in names if cax in getattr(p, "child_axes", [])]
    if not parents:
        ax = getattr(getattr(cax._colorbar, "mappable", None), "axes", None)
        parents = [ax] if ax is not None and ax is not cax else []
    return parents


def _data_artists(ax: Axes) -> list:
    arts = [*ax.lines, *ax.collections, *ax.patches, *ax.images, *ax.tables, *ax.artists]
    return [a for a in arts if a.get_visible()]


def _sup_label(ax: Axes, which: str) -> bool:
    fig = ax.get_figure(root=False)
    while fig is not None:
        t = getattr(fig, f"_sup{which}label", None)
        if t is not None and t.get_visible() and t.get_text().strip():
            return True
        parent = getattr(fig, "_parent", None)
        fig = parent if parent is not fig else None
    return False


def _categorical(axis: Axis) -> bool:
    from matplotlib.category import StrCategoryConverter

    conv = axis.get_converter() if hasattr(axis, "get_converter") else getattr(axis, "converter", None)
    return isinstance(conv, StrCategoryConverter)
