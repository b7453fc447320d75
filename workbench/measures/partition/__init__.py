"""Exact 2-D linear regions (Raghu et al. 2017; Johansson 2022).

* ``result``: the :class:`Partition` result and its geometry, ``RegionLimitError``, ``regions_on_line``;
* ``clipping``: the public entry points ``partition_2d`` / ``partition_plane`` and the reference engine;
* ``engine``: the fast engine (chunked, memory-guarded), ``kernels``: its compiled (numba) inner loops.
"""
from workbench.measures.partition.clipping import (
    partition_2d,
    partition_plane,
)
from workbench.measures.partition.engine import (
    MemoryBudgetError,
    default_max_bytes,
    partition_bytes_per_region,
)
from workbench.measures.partition.result import (
    DEFAULT_MAX_REGIONS,
    Partition,
    RegionLimitError,
    clip_polygons,
    regions_on_line,
)

__all__ = [
    "Partition",
    "RegionLimitError",
    "DEFAULT_MAX_REGIONS",
    "regions_on_line",
    "clip_polygons",
    "partition_2d",
    "partition_plane",
    "MemoryBudgetError",
    "default_max_bytes",
    "partition_bytes_per_region",
]
