"""ipywidgets panels that wire experiments to plots."""
<<<<<<< HEAD
from .._exports import reexport
from ._base import Panel, in_kernel, log_slider

__all__ = ["Panel", "in_kernel", "log_slider"] + reexport(
    __name__, globals(), ("esd_panel", "function_panel", "regions_panel", "trajectory_panel", "player", "explore", "dashboard")
)
=======
from ._base import Panel
from .esd_panel import (
    ESDPanel,
)
from .function_panel import (
    FunctionPanel,
)
from .regions_panel import (
    PlaneSlicePanel,
    RegionsPanel,
)
from .trajectory_panel import (
    TrajectoryPanel,
)

__all__ = [
    "Panel",
    # esd_panel
    "ESDPanel",
    # function_panel
    "FunctionPanel",
    # regions_panel
    "RegionsPanel", "PlaneSlicePanel",
    # trajectory_panel
    "TrajectoryPanel",
]
>>>>>>> main
