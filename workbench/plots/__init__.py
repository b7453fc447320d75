"""Plotting: ``plot_x(result, ax=None, **style) -> Axes``; never computes a measure."""
from . import esd, esd_real, functions, regions, trajectories
from ._base import LAYER_COLORS, distinct_colors, new_axes, new_figure, show
from .esd import *  # noqa: F401,F403
from .esd_real import *  # noqa: F401,F403
from .functions import *  # noqa: F401,F403
from .regions import *  # noqa: F401,F403
from .trajectories import *  # noqa: F401,F403

__all__ = ["LAYER_COLORS", "distinct_colors", "new_axes", "new_figure", "show"] + [
    n for m in (esd, esd_real, functions, regions, trajectories) for n in m.__all__
]
