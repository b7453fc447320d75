"""Pure tensor math, one module per concept. No plotting, no widgets, no progress bars.

Each module defines ``__all__``; everything listed there is re-exported here and
from ``workbench``.
"""
from .._exports import reexport

__all__ = reexport(__name__, globals(), (
    "affine", "bounds", "clipping", "dichotomies", "partition", "polynomial", "rank", "sampled", "spanning",
    "trajectories", "transitions",
))
from . import paths, regions  # noqa: E402,F401  (the former module paths, kept as thin re-exports)
