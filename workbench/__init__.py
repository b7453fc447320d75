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

from . import claims, data, export, training  # noqa: F401,E402
from ._runtime import device, generator, int_seed, resolve_device, sub_seed
from .experiments import (  # noqa: F401  # noqa: F401,E402
    ENV_SCHEDULER,
    ESD_REAL_PRESETS,
    INPUT_SEED_OFFSET,
    INPUTS,
    MISLABEL_PRESETS,
    PROFILE_COSTS,
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
    close_default_clients,
    connect,
    default_client,
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
    profile_banner,
    psd_over_depths,
    random_mlp_fit,
    read_store,
    real_inputs,
    region_count_sweep,
    run_cells,
    sv_difference_sweep,
    table1,
    train_classifier,
    train_digits_mlp,
    train_one_layer,
    trajreg_vs_batchnorm,
    transitions_vs_length,
)
from .export import load_checkpoint, save, save_checkpoint  # noqa: F401,E402
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
    check_reduction,
    circle,
    circle_transitions,
    clip_polygons,
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
    "ensemble_parameter_jacobian", "check_reduction", "clip_polygons",
    # nets
    "ACTIVATIONS", "INITS", "MLP", "PIECEWISE_LINEAR", "SHORTCUTS", "Trace", "init_parameters",
    "mlp", "validate_widths", "match_width", "Ensemble", "mlp_ensemble", "MixedMLP", "mixed_mlp", "CONV_NORMS",
    "small_convnet", "TrajectoryRegularization", "minibatch_trajectory_length",
    "trajectory_penalty", "ESD_PAPER_MODELS", "zoo", "zoo_model",
    # training
    "FitConfig", "accuracy", "fit", "fit_restarts",
    # claims, sweeps on Dask, export
    "claims", "export", "default_client", "run_cells", "save", "save_checkpoint", "load_checkpoint",
    "ENV_SCHEDULER", "close_default_clients", "connect", "read_store",
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

from .measures import (  # noqa: E402
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

from .measures import (  # noqa: E402
    LayerAlgebraResult,
    TracedGraph,
    layer_algebra,
    trace_graph,
)

__all__ += ['layer_algebra', 'LayerAlgebraResult', 'trace_graph', 'TracedGraph']

from .measures import (  # noqa: E402
    ACTIVATION_FUNCTIONS,
    activation_variances,
    estimate_activation_constants,
    moving_average_variance,
)

__all__ += ['ACTIVATION_FUNCTIONS', 'activation_variances', 'estimate_activation_constants', 'moving_average_variance']

from .nets import (  # noqa: E402
    meta_device,
    zoo_input_shape,
    zoo_meta_model,
)

__all__ += ['zoo_meta_model', 'zoo_input_shape', 'meta_device']

from .nets import (  # noqa: E402
    RESNET_DEPTHS,
    ResidualUnit,
    linear_autoencoder,
    resnet_family,
    small_cnn,
)

__all__ += ['linear_autoencoder', 'small_cnn', 'resnet_family', 'RESNET_DEPTHS', 'ResidualUnit']

from .experiments import (  # noqa: E402
    PAPER_FIT_R2,
    PAPER_TABLE1_MODELS,
    ActivationStudyConfig,
    LayerAlgebraZooConfig,
    PowerFit,
    ResNetPlainResult,
    activation_study,
    layer_algebra_zoo,
    power_fit,
    resnet_vs_plainnet,
    vc_comparison,
    vc_estimate,
)

__all__ += [
    'vc_estimate', 'vc_comparison', 'ResNetPlainResult', 'resnet_vs_plainnet', 'LayerAlgebraZooConfig',
    'layer_algebra_zoo', 'PowerFit', 'power_fit', 'ActivationStudyConfig', 'activation_study', 'PAPER_FIT_R2',
    'PAPER_TABLE1_MODELS',
]

from .experiments import (  # noqa: E402
    PAPER_EDJM,
    EDJMConfig,
    EDJMData,
    EDJMStudy,
    ModelSpec,
    ToyRegions,
    TrainedModel,
    clear_model_cache,
    edjm_claims,
    edjm_data,
    fig1_depth,
    fig2_conv_vs_fc,
    fig3_compression,
    fig4_dropout,
    fig5_ensemble,
    fig6_spectral_regularization,
    measure_models,
    paper_comparison,
    toy_2d,
    toy_regions,
    train_model,
    width_for_params,
)

__all__ += [
    'ModelSpec', 'EDJMConfig', 'EDJMData', 'edjm_data', 'TrainedModel', 'train_model', 'clear_model_cache',
    'EDJMStudy', 'measure_models', 'fig1_depth', 'fig2_conv_vs_fc', 'fig3_compression', 'fig4_dropout',
    'fig5_ensemble', 'fig6_spectral_regularization', 'PAPER_EDJM', 'paper_comparison', 'width_for_params',
    'edjm_claims', 'toy_2d', 'ToyRegions', 'toy_regions',
]

from .measures import (  # noqa: E402
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

from .nets import (  # noqa: E402
    Averaged,
    conv_net,
    dense_net,
    hidden_units,
    n_parameters,
    seeded_init,
)

__all__ += ['dense_net', 'conv_net', 'Averaged', 'hidden_units', 'n_parameters', 'seeded_init']

from .nets import (  # noqa: E402
    SVDLinear,
    orthonormality_error,
    reorthonormalize,
    reorthonormalize_every,
    svd_log_penalty,
    svd_net,
)

__all__ += [
    'SVDLinear', 'svd_net', 'reorthonormalize', 'reorthonormalize_every', 'svd_log_penalty',
    'orthonormality_error',
]

from .experiments import (  # noqa: E402
    TOY_BOUNDS,
    ToyConfig,
    ToyRun,
    toy_data,
    toy_run,
)

__all__ += ['ToyConfig', 'ToyRun', 'toy_run', 'toy_data', 'TOY_BOUNDS']

from .experiments import (  # noqa: E402
    RankTraining,
    RankTrainingConfig,
    Regularisation,
    RegularisationConfig,
    SegmentConfig,
    SlopeGenConfig,
    SlopeGeneralisation,
    conv_digits_net,
    power_iteration_convergence,
    rank_claims,
    rank_during_training,
    ratio_breakpoint_cdf,
    segment_regions,
    segment_summary,
    slope_claims,
    slope_generalisation,
    slope_regularisation,
)

__all__ += [
    'RankTrainingConfig', 'RankTraining', 'rank_during_training', 'power_iteration_convergence',
    'SegmentConfig', 'segment_regions', 'segment_summary', 'ratio_breakpoint_cdf', 'SlopeGenConfig',
    'SlopeGeneralisation', 'slope_generalisation', 'slope_claims', 'rank_claims',
    'RegularisationConfig', 'Regularisation',
    'slope_regularisation', 'conv_digits_net',
]

from .measures import (  # noqa: E402
    fgsm,
    pgd,
)

__all__ += ['fgsm', 'pgd']

from .measures import (  # noqa: E402
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

from .measures import (  # noqa: E402
    MemoryBudgetError,
    default_max_bytes,
    partition_bytes_per_region,
)

__all__ += ["MemoryBudgetError", "default_max_bytes", "partition_bytes_per_region"]

from . import limits, validation  # noqa: E402,F401
from .limits import ResourceLimitError, max_bytes_budget  # noqa: E402
from .validation import NumericalWarning  # noqa: E402

__all__ += ["limits", "validation", "ResourceLimitError", "max_bytes_budget", "NumericalWarning"]
