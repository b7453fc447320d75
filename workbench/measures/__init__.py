"""Pure tensor math, one module per concept. No plotting, no widgets, no progress bars.

Each module defines ``__all__``; everything listed there is re-exported here and
from ``workbench``.
"""
from . import affine, dichotomies, paths, polynomial, rank, regions, sampled, spanning
from .affine import *  # noqa: F401,F403
from .dichotomies import *  # noqa: F401,F403
from .paths import *  # noqa: F401,F403
from .polynomial import *  # noqa: F401,F403
from .rank import *  # noqa: F401,F403
from .regions import *  # noqa: F401,F403
from .sampled import *  # noqa: F401,F403
from .spanning import *  # noqa: F401,F403

__all__ = [n for m in (affine, dichotomies, paths, polynomial, rank, regions, sampled, spanning) for n in m.__all__]
