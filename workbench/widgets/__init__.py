"""ipywidgets panels that wire experiments to plots."""
from .._exports import reexport
from ._base import Panel, in_kernel, log_slider

__all__ = ["Panel", "in_kernel", "log_slider"] + reexport(
    __name__, globals(), ("esd_panel", "function_panel", "regions_panel", "trajectory_panel", "player", "explore", "dashboard")
)
