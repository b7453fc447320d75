"""Pure tensor math, one subpackage or module per concept. No plotting, no widgets, no progress bars.

* ``partition/``: exact 2-D linear regions (``partition_2d``, ``partition_plane``, :class:`Partition`);
* ``paths/``: circles and segments through the layers, lengths, sampled and exact transitions, dichotomies;
* ``spanning/``: ranks, parameter Jacobians, spanning dimensions (sampled, polynomial), ``reduce=``;
* ``layer_algebra/``: intrinsic power and complexity from the architecture (graph, rules, constants);
* ``affine``: local affine maps, edges, ranks; ``edjm``: the extended data Jacobian matrix;
  ``slope``: p-slopes and their penalties; ``attacks``: FGSM and PGD; ``bounds``: the papers' closed forms.

Every exact piecewise-linear measure runs on the one core, :mod:`workbench.nets.piecewise`.
The modules ``edjm``, ``slope`` and ``layer_algebra`` share their name with their main function:
here the name is the module (``workbench.measures.edjm.edjm``); ``workbench.edjm`` is the function.
To add a name: put it in its module's ``__all__``, import it here and in ``__all__`` (``tests/test_api.py``
checks that both agree).
"""
from workbench.measures import affine, attacks, bounds, edjm, layer_algebra, partition, paths, slope, spanning
from workbench.measures.affine import (
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
from workbench.measures.attacks import (
    fgsm,
    pgd,
)
from workbench.measures.bounds import (
    growth_rate_bounds,
    identity_rank,
    region_upper_bound,
    sv_difference_bound,
)
from workbench.measures.edjm import (
    EDJM,
    OUTPUTS,
    DJMCount,
    distinct_djms,
    edjm_score,
    exact_route_problem,
    max_score,
)
from workbench.measures.layer_algebra.constants import (
    ACTIVATION_FUNCTIONS,
    activation_variances,
    estimate_activation_constants,
    moving_average_variance,
)
from workbench.measures.layer_algebra.graph import (
    LayerAlgebraResult,
    TracedGraph,
    trace_graph,
)
from workbench.measures.layer_algebra.rules import (
    ACTIVATION_FAMILIES,
    PAPER_ACTIVATION_CONSTANTS,
    LayerAlgebraError,
    LayerAlgebraOptions,
    LocalMetric,
    OpInfo,
    RuleTable,
    layer_algebra_rules,
)
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
from workbench.measures.paths.dichotomies import (
    Dichotomies,
    count_dichotomies,
    weight_sweep_labels,
)
from workbench.measures.paths.trajectories import (
    circle,
    layer_images,
    layer_lengths,
    segment,
    trajectory_length,
)
from workbench.measures.paths.transitions import (
    ExactTransitionsError,
    PathTransitions,
    SampledTransitions,
    activation_states,
    circle_transitions,
    count_regions_on_segment,
    sampled_transitions,
    segment_transitions,
)
from workbench.measures.slope import (
    SLOPE_NORMS,
    PowerIteration,
    SlopePenalty,
    SpectralNormPenalty,
    jacobian_slope,
    layer_spectral_norms,
    slope_power_iteration,
    spectral_layers,
    spectral_norm_bound,
)
from workbench.measures.spanning.dimension import (
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
from workbench.measures.spanning.polynomial import (
    coefficient_jacobian,
    network_jacobian_at_points,
    polynomial_spanning_dimension,
    polynomial_spanning_dimension_points,
    random_integer_parameters,
)
from workbench.measures.spanning.rank import (
    effective_rank,
    exact_rank,
    numerical_rank,
    singular_values,
)
from workbench.measures.spanning.reductions import (
    REDUCTIONS,
    SAMPLED_REDUCES,
    check_reduction,
)
from workbench.measures.spanning.sampled import (
    SampledSpectrum,
    count_parameters,
    gram_singular_values,
    sample_coordinates,
    sampled_gradient_rows,
    sampled_spanning_dimension,
    sampled_spectrum,
)

__all__ = [
    # subpackages and modules
    "partition", "paths", "spanning", "layer_algebra", "affine", "edjm", "slope", "attacks", "bounds",
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
    "LayerAlgebraResult", "trace_graph", "TracedGraph",
    # activation_constants
    "ACTIVATION_FUNCTIONS", "activation_variances", "estimate_activation_constants", "moving_average_variance",
    # edjm
    "EDJM", "edjm_score", "max_score", "exact_route_problem", "DJMCount", "distinct_djms", "OUTPUTS",
    # attacks
    "fgsm", "pgd",
    # slope
    "SLOPE_NORMS", "jacobian_slope", "slope_power_iteration", "PowerIteration", "layer_spectral_norms",
    "spectral_norm_bound", "spectral_layers", "SlopePenalty", "SpectralNormPenalty",
]
