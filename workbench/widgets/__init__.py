"""ipywidgets panels that wire experiments to plots."""
from .._exports import reexport
from ._base import Panel

__all__ = ["Panel"] + reexport(__name__, globals(), ("esd_panel", "function_panel", "regions_panel", "trajectory_panel",
                                                       "pl_training_panel"))
