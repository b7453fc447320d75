"""Sweeps and paper-figure recipes: configuration in, tidy results out.

They own seeds, devices, progress bars and executors.  Each module defines
``__all__``; everything listed there is re-exported here and from ``workbench``.
(``workbench.experiments.esd`` is the function :func:`esd`; import the module's
other names with ``from workbench.experiments.esd import ...``.)
"""
from .._exports import reexport

__all__ = reexport(__name__, globals(), ("esd", "esd_real", "functions", "regions", "trajectories", "distributed"))
