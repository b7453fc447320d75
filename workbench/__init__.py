"""Expressivity Workbench: see how a neural network's architecture shapes what it can compute.

Layers (arrows point one way): widgets -> plots / experiments -> measures -> nets.
Public names of ``nets``, ``measures``, ``experiments`` and ``training`` are
imported here explicitly and listed in the literal ``__all__`` below (editors
and type checkers see them); plots and widgets live in ``workbench.plots`` and
``workbench.widgets``.  To add a name: import it in its subpackage's
``__init__``, then add it to the import block and the ``__all__`` section here.
Names that moved answer for one release through :func:`__getattr__` with a
``DeprecationWarning``.
"""
import warnings as _warnings

from . import data, training
from ._runtime import device, generator, int_seed, resolve_device, sub_seed
from .experiments import (  # noqa: F401
    ESD_REAL_PRESETS,
    INPUT_SEED_OFFSET,
    INPUTS,
    MISLABEL_PRESETS,
    REGION_COUNT_PRESETS,
    DichotomyConfig,
    DigitSlice,
    DigitsTrainConfig,
    ESDRealConfig,
    ESDRealFits,
    ESDResult,
    FunctionConfig,
    GrowthConfig,
    LayerTrajectory,
    MislabelConfig,
    NoiseFitConfig,
    RandomFitConfig,
    RegionCountConfig,
    Table1Config,
    TrainConfig,
    TransitionsConfig,
    accuracy_metadata,
    circle_through_layers,
    dichotomy_sweep,
    digit_slice,
    draw_inputs,
    esd,
    esd_grid,
    esd_of,
    esd_real_fits,
    esd_real_networks,
    esd_real_summary,
    fit_correlations,
    fit_line_bootstrap,
    function_1d,
    growth_rates,
    layer_noise,
    layerwise_partitions,
    length_during_training,
    length_growth,
    mislabel_edge_distances,
    noise_fit,
    psd_over_depths,
    random_mlp_fit,
    real_inputs,
    region_count_sweep,
    sv_difference_sweep,
    table1,
    train_classifier,
    train_digits_mlp,
    train_one_layer,
    trajreg_vs_batchnorm,
    transitions_vs_length,
    profile_banner,
    PROFILE_COSTS,
)
from .measures import (  # noqa: F401
    DEFAULT_MAX_REGIONS,
    RANKS,
    REDUCTIONS,
    SAMPLED_REDUCES,
    SV_METHODS,
    AdjacentSVDifference,
    Dichotomies,
    EdgeDistance,
    ExactTransitionsError,
    LocalRank,
    Partition,
    PathTransitions,
    RegionLimitError,
    SampledSpectrum,
    SampledTransitions,
    activation_pattern,
    activation_states,
    adjacent_sv_difference,
    circle,
    circle_transitions,
    coefficient_jacobian,
    count_dichotomies,
    count_parameters,
    count_regions_on_segment,
    distance_to_edge,
    effective_rank,
    ensemble_parameter_jacobian,
    exact_rank,
    gram_singular_values,
    growth_rate_bounds,
    identity_rank,
    jacobian_singular_values,
    jacobian_spanning_dimension,
    layer_images,
    layer_lengths,
    local_affine,
    local_rank,
    local_singular_values,
    lowrank_singular_values,
    network_jacobian_at_points,
    numerical_rank,
    parameter_jacobian,
    partition_2d,
    partition_plane,
    per_point_gradient_loop,
    polynomial_spanning_dimension,
    polynomial_spanning_dimension_points,
    random_integer_parameters,
    region_upper_bound,
    regions_on_line,
    sample_coordinates,
    sampled_gradient_rows,
    sampled_spanning_dimension,
    sampled_spectrum,
    sampled_transitions,
    segment,
    segment_transitions,
    singular_values,
    spanning_dimension,
    sv_difference_bound,
    trajectory_length,
    weight_sweep_labels,
)
from .nets import (  # noqa: F401
    ACTIVATIONS,
    CONV_NORMS,
    ESD_PAPER_MODELS,
    INITS,
    MLP,
    PIECEWISE_LINEAR,
    SHORTCUTS,
    Ensemble,
    MixedMLP,
    Trace,
    TrajectoryRegularization,
    init_parameters,
    match_width,
    minibatch_trajectory_length,
    mixed_mlp,
    mlp,
    mlp_ensemble,
    small_convnet,
    trajectory_penalty,
    validate_widths,
    zoo,
    zoo_model,
)
from .training import FitConfig, accuracy, fit, fit_restarts  # noqa: F401

__version__ = "0.1.0"

__all__ = [
    # modules and runtime
    "data", "training", "device", "generator", "int_seed", "resolve_device", "sub_seed",
    # experiments
    "INPUTS", "INPUT_SEED_OFFSET", "ESDResult", "draw_inputs", "esd", "esd_of", "esd_grid",
    "RandomFitConfig", "random_mlp_fit", "fit_correlations", "train_classifier", "NoiseFitConfig",
    "noise_fit", "Table1Config", "table1", "psd_over_depths", "ESDRealConfig", "ESD_REAL_PRESETS",
    "ESDRealFits", "esd_real_networks", "esd_real_summary", "esd_real_fits", "fit_line_bootstrap",
    "accuracy_metadata", "real_inputs", "FunctionConfig", "function_1d", "RegionCountConfig",
    "REGION_COUNT_PRESETS", "region_count_sweep", "layerwise_partitions", "DigitsTrainConfig",
    "train_digits_mlp", "MislabelConfig", "MISLABEL_PRESETS", "mislabel_edge_distances",
    "DigitSlice", "digit_slice", "sv_difference_sweep", "GrowthConfig", "length_growth",
    "growth_rates", "TransitionsConfig", "transitions_vs_length", "DichotomyConfig",
    "dichotomy_sweep", "TrainConfig", "train_one_layer", "layer_noise", "length_during_training",
    "trajreg_vs_batchnorm", "LayerTrajectory", "circle_through_layers",
    "profile_banner", "PROFILE_COSTS",
    # measures
    "local_affine", "activation_pattern", "distance_to_edge", "EdgeDistance", "local_rank",
    "LocalRank", "local_singular_values", "adjacent_sv_difference", "AdjacentSVDifference",
    "sv_difference_bound", "identity_rank", "Dichotomies", "weight_sweep_labels",
    "count_dichotomies", "circle", "segment", "layer_images", "trajectory_length", "layer_lengths",
    "activation_states", "sampled_transitions", "SampledTransitions", "PathTransitions",
    "circle_transitions", "segment_transitions", "count_regions_on_segment",
    "ExactTransitionsError", "growth_rate_bounds", "polynomial_spanning_dimension",
    "polynomial_spanning_dimension_points", "coefficient_jacobian", "network_jacobian_at_points",
    "random_integer_parameters", "effective_rank", "numerical_rank", "exact_rank",
    "singular_values", "Partition", "RegionLimitError", "partition_2d", "partition_plane",
    "DEFAULT_MAX_REGIONS", "region_upper_bound", "regions_on_line", "SAMPLED_REDUCES",
    "SampledSpectrum", "count_parameters", "sample_coordinates", "sampled_gradient_rows",
    "gram_singular_values", "sampled_spectrum", "sampled_spanning_dimension", "parameter_jacobian",
    "spanning_dimension", "jacobian_spanning_dimension", "REDUCTIONS", "RANKS",
    "per_point_gradient_loop", "jacobian_singular_values", "SV_METHODS", "lowrank_singular_values",
    "ensemble_parameter_jacobian",
    # nets
    "ACTIVATIONS", "INITS", "MLP", "PIECEWISE_LINEAR", "SHORTCUTS", "Trace", "init_parameters",
    "mlp", "validate_widths", "match_width", "Ensemble", "mlp_ensemble", "MixedMLP", "mixed_mlp", "CONV_NORMS",
    "small_convnet", "TrajectoryRegularization", "minibatch_trajectory_length",
    "trajectory_penalty", "ESD_PAPER_MODELS", "zoo", "zoo_model",
    # training
    "FitConfig", "accuracy", "fit", "fit_restarts",
]

_DEPRECATED = {  # old top-level name -> (new name, module holding it); removed in the next release
    "random_mlp": ("mixed_mlp", "workbench.nets"),
}


def __getattr__(name: str):
    if name in _DEPRECATED:
        import importlib

        new, mod = _DEPRECATED[name]
        _warnings.warn(f"workbench.{name} is deprecated; use {mod}.{new} (seed keyword-only); "
                       "the old name goes in the next release", DeprecationWarning, stacklevel=2)
        if name == "random_mlp":
            from .nets import mixed_mlp

            return lambda widths, acts, seed=None: mixed_mlp(widths, acts, seed=seed)
        return getattr(importlib.import_module(mod), new)
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")
