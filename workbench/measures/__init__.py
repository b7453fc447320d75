"""Pure tensor math, one module per concept. No plotting, no widgets, no progress bars.

Each module defines ``__all__``; everything listed there is re-exported here and
from ``workbench``.

* exact piecewise-linear measures, all on the core :mod:`workbench.nets.piecewise`:
  ``clipping`` (the partition engine: ``partition_2d``, ``partition_plane``),
  ``partition`` (the :class:`Partition` result and its geometry), ``affine``
  (local affine maps, edges, ranks), ``transitions`` (sampled and exact
  transitions; the exact engines are in ``exact_transitions``), ``dichotomies``;
* ``trajectories`` (circles, segments, layer images, lengths);
* ``bounds`` (the papers' closed-form bounds);
* ``rank``, ``spanning``, ``sampled``, ``polynomial`` (ranks and spanning dimensions).

``paths`` and ``regions`` are the former module names, kept as thin re-exports.
"""
from .._exports import reexport

__all__ = reexport(__name__, globals(), (
    "affine", "bounds", "clipping", "dichotomies", "partition", "polynomial", "rank", "sampled", "spanning",
    "trajectories", "transitions",
))
from . import paths, regions  # noqa: E402,F401  (the former module paths, kept as thin re-exports)
