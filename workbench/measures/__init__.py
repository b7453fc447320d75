"""Pure tensor math, one module per concept. No plotting, no widgets, no progress bars.

Each module defines ``__all__``; everything listed there is re-exported here and
from ``workbench``.
"""
from .._exports import reexport

__all__ = reexport(__name__, globals(), (
    "affine", "dichotomies", "paths", "polynomial", "rank", "regions", "sampled", "spanning",
    "partition_engine",
))
