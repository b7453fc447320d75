"""Sweeps and paper-figure recipes: configuration in, tidy results out.

They own seeds, devices, progress bars and executors.  Each module defines
``__all__``; everything listed there is re-exported here and from ``workbench``.
"""
from . import esd, esd_real, functions, regions, trajectories
from .esd import *  # noqa: F401,F403
from .esd_real import *  # noqa: F401,F403
from .functions import *  # noqa: F401,F403
from .regions import *  # noqa: F401,F403
from .trajectories import *  # noqa: F401,F403

__all__ = [n for m in (esd, esd_real, functions, regions, trajectories) for n in m.__all__]
