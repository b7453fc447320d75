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
    "trajectories", "transitions", "partition_engine",
))
from . import paths, regions  # noqa: E402,F401  (the former module paths, kept as thin re-exports)
from .layer_algebra_rules import (  # noqa: E402
    ACTIVATION_FAMILIES,
    PAPER_ACTIVATION_CONSTANTS,
    LayerAlgebraError,
    LayerAlgebraOptions,
    LocalMetric,
    OpInfo,
    RuleTable,
    layer_algebra_rules,
)

__all__ += [
    'LocalMetric', 'OpInfo', 'LayerAlgebraOptions', 'RuleTable', 'layer_algebra_rules',
    'PAPER_ACTIVATION_CONSTANTS', 'ACTIVATION_FAMILIES', 'LayerAlgebraError',
]

from .layer_algebra import (  # noqa: E402
    LayerAlgebraResult,
    TracedGraph,
    layer_algebra,
    trace_graph,
)

__all__ += ['layer_algebra', 'LayerAlgebraResult', 'trace_graph', 'TracedGraph']

from .activation_constants import (  # noqa: E402
    ACTIVATION_FUNCTIONS,
    activation_variances,
    estimate_activation_constants,
    moving_average_variance,
)

__all__ += ['ACTIVATION_FUNCTIONS', 'activation_variances', 'estimate_activation_constants', 'moving_average_variance']

from .edjm import (  # noqa: E402
    EDJM,
    OUTPUTS,
    DJMCount,
    distinct_djms,
    edjm,
    edjm_score,
    exact_route_problem,
    max_score,
)

__all__ += ['EDJM', 'edjm', 'edjm_score', 'max_score', 'exact_route_problem', 'DJMCount', 'distinct_djms', 'OUTPUTS']

from .attacks import (  # noqa: E402
    fgsm,
    pgd,
)

__all__ += ['fgsm', 'pgd']

from .slope import (  # noqa: E402
    SLOPE_NORMS,
    PowerIteration,
    SlopePenalty,
    SpectralNormPenalty,
    jacobian_slope,
    layer_spectral_norms,
    slope,
    slope_power_iteration,
    spectral_layers,
    spectral_norm_bound,
)

__all__ += [
    'SLOPE_NORMS', 'slope', 'jacobian_slope', 'slope_power_iteration', 'PowerIteration', 'layer_spectral_norms',
    'spectral_norm_bound', 'spectral_layers', 'SlopePenalty', 'SpectralNormPenalty',
]
