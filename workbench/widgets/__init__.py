"""ipywidgets panels that wire experiments to plots."""
from workbench.widgets._base import Panel, in_kernel, log_slider
from workbench.widgets.dashboard_app import (
    DASHBOARDS,
    dashboard,
    dashboard_name,
)
from workbench.widgets.esd_panel import (
    ESDPanel,
)
from workbench.widgets.explore import (
    PartitionExplorer,
    TrajectoryExplorer,
    has_ipympl,
    inspect_point,
)
from workbench.widgets.function_panel import (
    FunctionPanel,
)
from workbench.widgets.player import (
    FramePlayer,
)
from workbench.widgets.regions_panel import (
    PlaneSlicePanel,
    RegionsPanel,
)
from workbench.widgets.trajectory_panel import (
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

from workbench.widgets.layer_algebra_panel import (  # noqa: E402
    LayerAlgebraPanel,
)

__all__ += ['LayerAlgebraPanel']

from workbench.widgets.edjm_panel import (  # noqa: E402
    EDJMPanel,
    EDJMRegionsPanel,
)

__all__ += ['EDJMPanel', 'EDJMRegionsPanel']

from workbench.widgets.pl_training_panel import (  # noqa: E402
    PLTrainingPanel,
)

__all__ += ['PLTrainingPanel']

from workbench.widgets.playground_panel import PlaygroundPanel  # noqa: E402

__all__ += ['PlaygroundPanel']

from workbench.widgets.atlas_panel import AtlasPanel  # noqa: E402

__all__ += ['AtlasPanel']
