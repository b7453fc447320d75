"""Pure tensor math, one module per concept. No plotting, no widgets, no progress bars.

Every public name of the measures is imported here explicitly and listed in the
literal ``__all__`` below (editors and type checkers see them); ``workbench``
lists them again.  To add a name: put it in its module's ``__all__``, import it
here and add it to ``__all__`` (``tests/test_api.py`` checks that both agree).

* exact piecewise-linear measures, all on the core :mod:`workbench.nets.piecewise`:
  ``clipping`` (the partition engine: ``partition_2d``, ``partition_plane``),
  ``partition`` (the :class:`Partition` result and its geometry), ``affine``
  (local affine maps, edges, ranks), ``transitions`` (sampled and exact
  transitions; the exact engines are in ``exact_transitions``), ``dichotomies``;
* ``trajectories`` (circles, segments, layer images, lengths);
* ``bounds`` (the papers' closed-form bounds);
* ``rank``, ``spanning``, ``sampled``, ``polynomial`` (ranks and spanning dimensions),
  ``reductions`` (the one vocabulary of ``reduce=``);
* ``edjm``, ``slope``, ``attacks``, ``layer_algebra`` (+ ``layer_algebra_rules``,
  ``activation_constants``).

``paths`` and ``regions`` are the former module names, kept as thin re-exports.
"""
from . import paths, regions  # noqa: F401  (the former module paths, kept as thin re-exports)
from .activation_constants import (
    ACTIVATION_FUNCTIONS,
    activation_variances,
    estimate_activation_constants,
    moving_average_variance,
)
from .affine import (
    AdjacentSVDifference,
    EdgeDistance,
    LocalRank,
    activation_pattern,
    adjacent_sv_difference,
    distance_to_edge,
    local_affine,
    local_rank,
    local_singular_values,
)
from .attacks import (
    fgsm,
    pgd,
)
from .bounds import (
    growth_rate_bounds,
    identity_rank,
    region_upper_bound,
    sv_difference_bound,
)
from .clipping import (
    partition_2d,
    partition_plane,
)
from .dichotomies import (
    Dichotomies,
    count_dichotomies,
    weight_sweep_labels,
)
from .edjm import (
    EDJM,
    OUTPUTS,
    DJMCount,
    distinct_djms,
    edjm,
    edjm_score,
    exact_route_problem,
    max_score,
)
from .layer_algebra import (
    LayerAlgebraResult,
    TracedGraph,
    layer_algebra,
    trace_graph,
)
from .layer_algebra_rules import (
    ACTIVATION_FAMILIES,
    PAPER_ACTIVATION_CONSTANTS,
    LayerAlgebraError,
    LayerAlgebraOptions,
    LocalMetric,
    OpInfo,
    RuleTable,
    layer_algebra_rules,
)
from .partition import (
    DEFAULT_MAX_REGIONS,
    Partition,
    RegionLimitError,
    clip_polygons,
    regions_on_line,
)
from .partition_engine import (
    MemoryBudgetError,
    default_max_bytes,
    partition_bytes_per_region,
)
from .polynomial import (
    coefficient_jacobian,
    network_jacobian_at_points,
    polynomial_spanning_dimension,
    polynomial_spanning_dimension_points,
    random_integer_parameters,
)
from .rank import (
    effective_rank,
    exact_rank,
    numerical_rank,
    singular_values,
)
from .reductions import (
    REDUCTIONS,
    SAMPLED_REDUCES,
    check_reduction,
)
from .sampled import (
    SampledSpectrum,
    count_parameters,
    gram_singular_values,
    sample_coordinates,
    sampled_gradient_rows,
    sampled_spanning_dimension,
    sampled_spectrum,
)
from .slope import (
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
from .spanning import (
    RANKS,
    SV_METHODS,
    ensemble_parameter_jacobian,
    jacobian_singular_values,
    jacobian_spanning_dimension,
    lowrank_singular_values,
    parameter_jacobian,
    per_point_gradient_loop,
    spanning_dimension,
)
from .trajectories import (
    circle,
    layer_images,
    layer_lengths,
    segment,
    trajectory_length,
)
from .transitions import (
    ExactTransitionsError,
    PathTransitions,
    SampledTransitions,
    activation_states,
    circle_transitions,
    count_regions_on_segment,
    sampled_transitions,
    segment_transitions,
)

__all__ = [
    # affine
    "local_affine", "activation_pattern", "distance_to_edge", "EdgeDistance", "local_rank", "LocalRank",
    "local_singular_values", "adjacent_sv_difference", "AdjacentSVDifference",
    # bounds
    "region_upper_bound", "growth_rate_bounds", "identity_rank", "sv_difference_bound",
    # clipping
    "partition_2d", "partition_plane",
    # dichotomies
    "Dichotomies", "weight_sweep_labels", "count_dichotomies",
    # partition
    "Partition", "RegionLimitError", "DEFAULT_MAX_REGIONS", "regions_on_line", "clip_polygons",
    # polynomial
    "polynomial_spanning_dimension", "polynomial_spanning_dimension_points", "coefficient_jacobian",
    "network_jacobian_at_points", "random_integer_parameters",
    # rank
    "effective_rank", "numerical_rank", "exact_rank", "singular_values",
    # reductions
    "REDUCTIONS", "SAMPLED_REDUCES", "check_reduction",
    # sampled
    "SampledSpectrum", "count_parameters", "sample_coordinates", "sampled_gradient_rows", "gram_singular_values",
    "sampled_spectrum", "sampled_spanning_dimension",
    # spanning
    "parameter_jacobian", "spanning_dimension", "jacobian_spanning_dimension", "RANKS", "per_point_gradient_loop",
    "jacobian_singular_values", "SV_METHODS", "lowrank_singular_values", "ensemble_parameter_jacobian",
    # trajectories
    "circle", "segment", "layer_images", "trajectory_length", "layer_lengths",
    # transitions
    "activation_states", "sampled_transitions", "SampledTransitions", "PathTransitions", "circle_transitions",
    "segment_transitions", "count_regions_on_segment", "ExactTransitionsError",
    # partition_engine
    "MemoryBudgetError", "default_max_bytes", "partition_bytes_per_region",
    # layer_algebra_rules
    "LocalMetric", "OpInfo", "LayerAlgebraOptions", "RuleTable", "layer_algebra_rules",
    "PAPER_ACTIVATION_CONSTANTS", "ACTIVATION_FAMILIES", "LayerAlgebraError",
    # layer_algebra
    "layer_algebra", "LayerAlgebraResult", "trace_graph", "TracedGraph",
    # activation_constants
    "ACTIVATION_FUNCTIONS", "activation_variances", "estimate_activation_constants", "moving_average_variance",
    # edjm
    "EDJM", "edjm", "edjm_score", "max_score", "exact_route_problem", "DJMCount", "distinct_djms", "OUTPUTS",
    # attacks
    "fgsm", "pgd",
    # slope
    "SLOPE_NORMS", "slope", "jacobian_slope", "slope_power_iteration", "PowerIteration", "layer_spectral_norms",
    "spectral_norm_bound", "spectral_layers", "SlopePenalty", "SpectralNormPenalty",
]
