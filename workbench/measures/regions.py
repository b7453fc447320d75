"""Former home of the exact 2-D partitions: a thin re-export kept so old imports work.

The module was split by concept (issue 9):

* :mod:`workbench.measures.partition`: the result :class:`Partition` and its
  geometry, ``RegionLimitError``, ``DEFAULT_MAX_REGIONS``, ``regions_on_line``;
* :mod:`workbench.measures.clipping`: the clipping engine, ``partition_2d``,
  ``partition_plane``, ``plane_basis``;
* :mod:`workbench.measures.bounds`: ``region_upper_bound``;
* :mod:`workbench.nets.piecewise`: the network as affine operations and
  activation pieces (the compiler every exact measure shares).

Import from those modules (or from ``workbench`` / ``workbench.measures``) in new code.
"""
from .bounds import region_upper_bound
from .clipping import partition_2d, partition_plane, plane_basis  # noqa: F401
from .partition import DEFAULT_MAX_REGIONS, Partition, RegionLimitError, regions_on_line

__all__ = [
    "Partition",
    "RegionLimitError",
    "partition_2d",
    "partition_plane",
    "DEFAULT_MAX_REGIONS",
    "region_upper_bound",
    "regions_on_line",
]
