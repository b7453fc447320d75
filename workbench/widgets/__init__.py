"""ipywidgets panels that wire experiments to plots."""
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
