"""Shared plotting helpers: figures without global pyplot state, deterministic colours."""
from __future__ import annotations

import functools

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from workbench._runtime import SeedLike, int_seed
from workbench.plots.style import OKABE_ITO, LegibleFigure

__all__ = ["new_axes", "new_figure", "show", "distinct_colors", "LAYER_COLORS"]

LAYER_COLORS = tuple(OKABE_ITO[:7])
"""Colours for layer 1, 2, 3, ... (cycled): Okabe-Ito, colour-blind safe (the pale yellow left out)."""


def new_axes(ax: Axes | None = None, *, figsize=(6.0, 4.0), projection: str | None = None, **subplot_kw) -> Axes:
    """Return ``ax`` or, when ``None``, the axes of a new ``Figure`` not registered with pyplot.

    Figures made here never touch pyplot's global state, so widgets can redraw
    without leaking figures, and the library never calls ``plt.show()``.  They
    are :class:`workbench.plots.LegibleFigure`: text too small to read at
    projector size is enlarged when drawn (:func:`workbench.plots.ensure_legible`).
    """
    if ax is not None:
        return ax
    fig = LegibleFigure(figsize=figsize, layout="constrained")
    kw = dict(subplot_kw)
    if projection is not None:
        kw["projection"] = projection
    return fig.add_subplot(1, 1, 1, **kw)


def new_figure(nrows: int = 1, ncols: int = 1, *, figsize=(6.0, 4.0), **subplots_kw):
    """``(fig, axes)`` like ``plt.subplots`` but without pyplot's global state (a legible figure, see ``new_axes``)."""
    fig = LegibleFigure(figsize=figsize, layout="constrained")
    axes = fig.subplots(nrows, ncols, **subplots_kw)
    return fig, axes


def show(obj) -> None:
    """Display a Figure, an Axes or an array of Axes in IPython (a no-op outside IPython).

    ``None`` is refused: it is what a panel's ``.figure`` holds while its first picture is still being computed
    in the background (call ``panel.wait()`` first); displaying it showed the word "None" where a figure was due.
    """
    if obj is None:
        raise TypeError("show(None): there is no figure to show; a panel computing in the background has no "
                        ".figure until its first picture is drawn: call panel.wait() before show(panel.figure)")
    fig = obj
    if isinstance(obj, Axes):
        fig = obj.figure
    elif isinstance(obj, np.ndarray):
        fig = obj.flat[0].figure
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:  # pragma: no cover
        return
    shell = get_ipython()
    if shell is None:
        return
    try:  # the inline backend's formatter (``%matplotlib inline``) renders Figures itself
        shell.display_formatter.formatters["image/png"].lookup_by_type(Figure)
        display(fig)
    except KeyError:  # no formatter registered: send the PNG bytes
        import io

        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
        display(Image(data=buf.getvalue(), format="png"))


def distinct_colors(n: int, *, seed: SeedLike = 0) -> np.ndarray:
    """``n`` RGB colours, well separated in hue, deterministic for a seed.

    Hues follow the golden-ratio sequence from a seeded start, with alternating
    lightness and saturation, so neighbouring indices differ visibly.
    """
    seed = int_seed(seed)  # an int or a torch.Generator
    return _distinct_colors(int(n), seed).copy()


@functools.lru_cache(maxsize=32)
def _distinct_colors(n: int, seed: int) -> np.ndarray:
    import colorsys

    if n <= 0:
        return np.zeros((0, 3))
    rng = np.random.default_rng(seed)
    h0 = rng.random()
    phi = 0.618033988749895
    cols = []
    for i in range(n):
        h = (h0 + i * phi) % 1.0
        l = (0.55, 0.70, 0.42)[i % 3]
        s = (0.65, 0.55, 0.75)[(i // 3) % 3]
        cols.append(colorsys.hls_to_rgb(h, l, s))
    return np.asarray(cols)


def apply_style(ax: Axes, style: dict) -> Axes:
    """The plots' ``**style``: Axes properties set after drawing (``ax.set(**style)``, e.g.
    ``xlabel=``, ``ylim=``, ``yscale=``); returns ``ax``."""
    if style:
        ax.set(**style)
    return ax
