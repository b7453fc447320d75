"""Slides: a lecture style in one call, colour-blind-safe colours, and legible text at projector size.

* :func:`lecture_style` sets larger fonts, thicker lines and the Okabe-Ito
  palette (colour-blind safe), as one call or as a ``with`` block.
* Figures made by :func:`workbench.plots.new_figure` / ``new_axes`` check their
  text when drawn: a label that would appear smaller than :data:`LEGIBILITY`
  ``["min_px"]`` pixels once JupyterLab scales the picture to a
  ``LEGIBILITY["display_px"]``-pixel-wide output area (a 1280x720 projector)
  is enlarged to that size (:func:`ensure_legible`); :func:`text_px` reports the
  smallest label's displayed size.
"""
from __future__ import annotations

import matplotlib as mpl
from cycler import cycler
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = ["OKABE_ITO", "LEGIBILITY", "lecture_style", "text_px", "ensure_legible", "LegibleFigure"]

OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
"""Okabe & Ito's colour-blind-safe palette (blue, vermillion, green, purple, orange, sky blue, black, yellow)."""

LEGIBILITY = {"min_px": 12.0, "display_px": 1000.0}
"""Smallest displayed text height (px) and the output width (px) a figure is assumed to be scaled to.

1000 px is about the width of a JupyterLab output area in a 1280-pixel-wide
browser window with the file browser closed (measured by the browser tests).
"""

_LECTURE_RC = {
    "font.size": 14,
    "axes.titlesize": 15,
    "axes.labelsize": 14,
    "xtick.labelsize": 12.5,
    "ytick.labelsize": 12.5,
    "legend.fontsize": 12,
    "figure.titlesize": 16,
    "lines.linewidth": 2.2,
    "lines.markersize": 7,
    "axes.linewidth": 1.2,
    "patch.linewidth": 1.0,
    "axes.prop_cycle": cycler(color=list(OKABE_ITO)),
    "image.cmap": "viridis",
    "figure.dpi": 100,
    "savefig.dpi": 150,
}


class lecture_style:
    """Fonts, line widths and palette for slides; applied at once, undone by ``with`` / :meth:`restore`.

    ``lecture_style()`` alone changes matplotlib's rcParams for the rest of the
    session (and raises the legibility floor to ``min_px``); ``with
    lecture_style(): ...`` restores the previous settings on exit.  Extra
    rcParams can be passed as ``rc={...}``.

    Parameters
    ----------
    min_px
        Smallest displayed text height in pixels for figures made by the
        workbench (default 16, legible from the back of a lecture room).
    rc
        Further rcParams to set.
    """

    def __init__(self, *, min_px: float = 16.0, rc: dict | None = None):
        if not isinstance(min_px, (int, float)) or isinstance(min_px, bool) or min_px <= 0:
            raise ValueError(f"min_px must be a positive number of pixels, got {min_px!r}")
        settings = dict(_LECTURE_RC, **(rc or {}))
        unknown = [k for k in settings if k not in mpl.rcParams]
        if unknown:
            raise KeyError(f"unknown rcParams {unknown}; see matplotlib.rcParams.keys()")
        self._old_rc = {k: mpl.rcParams[k] for k in settings}
        self._old_leg = dict(LEGIBILITY)
        mpl.rcParams.update(settings)
        LEGIBILITY["min_px"] = float(min_px)

    def restore(self) -> None:
        """Put back the settings that were active before."""
        mpl.rcParams.update(self._old_rc)
        LEGIBILITY.update(self._old_leg)

    def __enter__(self) -> lecture_style:
        return self

    def __exit__(self, *exc) -> None:
        self.restore()


def _scale(fig: Figure, dpi: float, display_px: float) -> float:
    """Factor by which a picture rendered at ``dpi`` is shrunk to fit ``display_px`` (1 when it fits)."""
    width_px = fig.get_figwidth() * dpi
    return min(1.0, display_px / width_px) if width_px > 0 else 1.0


def _texts(fig: Figure):
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip():
            yield t


def _axes_axis(ax):
    return [getattr(ax, n) for n in ("xaxis", "yaxis", "zaxis") if hasattr(ax, n)]


def _all_axes(fig: Figure):
    todo, seen = list(fig.axes), []
    while todo:  # inset axes (colour bars made with ``inset_axes``) are children of an Axes, not of the figure
        ax = todo.pop()
        seen.append(ax)
        todo.extend(getattr(ax, "child_axes", []))
    return seen


def _tick_labels(fig: Figure):
    for ax in _all_axes(fig):
        for axis in _axes_axis(ax):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                for lab in (tick.label1, tick.label2):
                    if lab.get_visible():
                        yield axis, lab


def text_px(fig: Figure, *, dpi: float | None = None, display_px: float | None = None) -> float:
    """Displayed height (px) of the smallest visible text of ``fig`` when shown ``display_px`` wide at most.

    Draws the figure once (so tick labels exist; a :class:`LegibleFigure` enlarges its text then).
    ``dpi`` defaults to the figure's own; ``display_px`` to ``LEGIBILITY["display_px"]``.
    """
    dpi = fig.dpi if dpi is None else dpi
    display_px = LEGIBILITY["display_px"] if display_px is None else display_px
    fig.draw_without_rendering()
    sizes = [t.get_fontsize() for t in _texts(fig)] + [lab.get_fontsize() for _, lab in _tick_labels(fig)]
    if not sizes:
        return float("inf")
    return min(sizes) * dpi / 72.0 * _scale(fig, dpi, display_px)


def ensure_legible(fig: Figure, *, dpi: float | None = None, min_px: float | None = None,
                   display_px: float | None = None) -> float:
    """Enlarge every text of ``fig`` that would show smaller than ``min_px``; returns the point size used.

    The floor in points is ``min_px * 72 / (dpi * scale)``, where ``scale``
    shrinks a picture wider than ``display_px`` to fit.  Tick labels are set
    through ``tick_params`` so that ticks made later follow.
    """
    dpi = fig.dpi if dpi is None else dpi
    min_px = LEGIBILITY["min_px"] if min_px is None else min_px
    display_px = LEGIBILITY["display_px"] if display_px is None else display_px
    floor = min_px * 72.0 / (dpi * _scale(fig, dpi, display_px))
    for t in list(_texts(fig)):
        if t.get_fontsize() < floor:
            t.set_fontsize(floor)
    for ax in _all_axes(fig):
        for axis in _axes_axis(ax):
            ticks = axis.get_major_ticks()
            if ticks and ticks[0].label1.get_fontsize() < floor:
                name = axis.axis_name
                if name in ("x", "y"):
                    ax.tick_params(axis=name, which="both", labelsize=floor)
                else:  # 3-D z axis
                    for tick in ticks + axis.get_minor_ticks():
                        tick.label1.set_fontsize(floor)
    return floor


def _painting_disabled(renderer) -> bool:
    """Whether ``renderer`` is inside matplotlib's ``_draw_disabled`` (its layout pass: nothing is painted).

    That context replaces the renderer's ``draw_*`` methods by no-ops wrapping
    ``RendererBase``'s; anything else (an unknown renderer, a future matplotlib)
    counts as a real pass, which hides nothing.
    """
    from matplotlib.backend_bases import RendererBase

    fn = getattr(renderer, "__dict__", {}).get("draw_path_collection")
    return fn is not None and getattr(fn, "__wrapped__", None) is RendererBase.draw_path_collection


class LegibleFigure(Figure):
    """A ``Figure`` that applies :func:`ensure_legible` (for the renderer's dpi) each time it is drawn.

    matplotlib draws a laid-out figure twice when saving it: a layout pass with
    the painting switched off, then the real one.  In the layout pass the
    collections and images clipped to their axes are hidden: they cannot move
    the layout (their extent is inside the axes box), and walking them costs as
    much as painting them (46k region polygons: the PNG took 0.72 s before, 0.27 s
    after).
    """

    def draw(self, renderer):
        ensure_legible(self, dpi=renderer.dpi)
        if not _painting_disabled(renderer):
            return super().draw(renderer)
        hidden = [c for ax in self.axes for c in (*ax.collections, *ax.images)
                  if c.get_visible() and c.get_clip_on() and c.get_clip_path() is None]
        for c in hidden:
            c.set_visible(False)
        try:
            return super().draw(renderer)
        finally:
            for c in hidden:
                c.set_visible(True)
