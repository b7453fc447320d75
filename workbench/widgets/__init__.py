"""ipywidgets panels that wire experiments to plots."""
from . import esd_panel, function_panel, regions_panel, trajectory_panel
from ._base import Panel
from .esd_panel import *  # noqa: F401,F403
from .function_panel import *  # noqa: F401,F403
from .regions_panel import *  # noqa: F401,F403
from .trajectory_panel import *  # noqa: F401,F403

__all__ = ["Panel"] + [n for m in (esd_panel, function_panel, regions_panel, trajectory_panel) for n in m.__all__]
