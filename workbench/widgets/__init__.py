"""ipywidgets panels that wire experiments to plots."""
from ._base import Panel, in_kernel, log_slider
from .dashboard import (
    DASHBOARDS,
    dashboard,
    dashboard_name,
)
from .esd_panel import (
    ESDPanel,
)
from .explore import (
    PartitionExplorer,
    TrajectoryExplorer,
    has_ipympl,
    inspect_point,
)
from .function_panel import (
    FunctionPanel,
)
from .player import (
    FramePlayer,
)
from .regions_panel import (
    PlaneSlicePanel,
    RegionsPanel,
)
from .trajectory_panel import (
    TrajectoryPanel,
)

__all__ = [
    "Panel", "in_kernel", "log_slider",
    # dashboard
    "dashboard", "dashboard_name", "DASHBOARDS",
    # esd_panel
    "ESDPanel",
    # explore
    "PartitionExplorer", "TrajectoryExplorer", "has_ipympl", "inspect_point",
    # function_panel
    "FunctionPanel",
    # player
    "FramePlayer",
    # regions_panel
    "RegionsPanel", "PlaneSlicePanel",
    # trajectory_panel
    "TrajectoryPanel",
]

from .layer_algebra_panel import (  # noqa: E402
    LayerAlgebraPanel,
)

__all__ += ['LayerAlgebraPanel']

from .edjm_panel import (  # noqa: E402
    EDJMPanel,
    EDJMRegionsPanel,
)

__all__ += ['EDJMPanel', 'EDJMRegionsPanel']

from .pl_training_panel import (  # noqa: E402
    PLTrainingPanel,
)

__all__ += ['PLTrainingPanel']
