"""Plotting: ``plot_x(result, ax=None, **style) -> Axes``; never computes a measure."""
from .._exports import reexport
from ._base import LAYER_COLORS, distinct_colors, new_axes, new_figure, show

__all__ = ["LAYER_COLORS", "distinct_colors", "new_axes", "new_figure", "show"] + reexport(
    __name__, globals(), ("esd", "esd_real", "functions", "regions", "trajectories", "style", "player")
)
