"""Sweeps and paper-figure recipes: configuration in, tidy results out.

They own seeds, devices, progress bars and executors.  Every public name is
imported here explicitly and listed in ``__all__`` (and again in ``workbench``).
(``workbench.experiments.esd`` is the function :func:`esd`; import the module
with ``importlib.import_module("workbench.experiments.esd")`` if you need it.)
"""
from .distributed import (  # noqa: F401
    ENV_SCHEDULER,
    close_default_clients,
    connect,
    default_client,
    read_store,
    run_cells,
)
from .esd import (  # noqa: F401
    INPUT_SEED_OFFSET,
    INPUTS,
    ESDResult,
    draw_inputs,
    esd,
    esd_of,
)
from .esd_figures import (  # noqa: F401
    NoiseFitConfig,
    RandomFitConfig,
    Table1Config,
    esd_grid,
    fit_correlations,
    noise_fit,
    psd_over_depths,
    random_mlp_fit,
    table1,
    train_classifier,
)
from .esd_real import (  # noqa: F401
    ESD_REAL_PRESETS,
    ESDRealConfig,
    ESDRealFits,
    accuracy_metadata,
    esd_real_fits,
    esd_real_networks,
    esd_real_summary,
    fit_line_bootstrap,
    real_inputs,
)
from .functions import (  # noqa: F401
    FunctionConfig,
    function_1d,
)
from .profiles import (  # noqa: F401
    PROFILE_COSTS,
    profile_banner,
)
from .regions import (  # noqa: F401
    MISLABEL_PRESETS,
    REGION_COUNT_PRESETS,
    DigitSlice,
    DigitsTrainConfig,
    MislabelConfig,
    RegionCountConfig,
    digit_slice,
    layerwise_partitions,
    mislabel_edge_distances,
    region_count_sweep,
    sv_difference_sweep,
    train_digits_mlp,
)
from .trajectories import (  # noqa: F401
    DichotomyConfig,
    GrowthConfig,
    LayerTrajectory,
    TrainConfig,
    TransitionsConfig,
    circle_through_layers,
    dichotomy_sweep,
    growth_rates,
    layer_noise,
    length_during_training,
    length_growth,
    train_one_layer,
    trajreg_vs_batchnorm,
    transitions_vs_length,
)

__all__ = [
    # esd
    "INPUTS",
    "INPUT_SEED_OFFSET",
    "ESDResult",
    "draw_inputs",
    "esd",
    "esd_of",
    # esd_figures
    "esd_grid",
    "RandomFitConfig",
    "random_mlp_fit",
    "fit_correlations",
    "train_classifier",
    "NoiseFitConfig",
    "noise_fit",
    "Table1Config",
    "table1",
    "psd_over_depths",
    # esd_real
    "ESDRealConfig",
    "ESD_REAL_PRESETS",
    "ESDRealFits",
    "esd_real_networks",
    "esd_real_summary",
    "esd_real_fits",
    "fit_line_bootstrap",
    "accuracy_metadata",
    "real_inputs",
    # distributed
    "ENV_SCHEDULER",
    "connect",
    "default_client",
    "close_default_clients",
    "run_cells",
    "read_store",
    # functions
    "FunctionConfig",
    "function_1d",
    # regions
    "RegionCountConfig",
    "REGION_COUNT_PRESETS",
    "region_count_sweep",
    "layerwise_partitions",
    "DigitsTrainConfig",
    "train_digits_mlp",
    "MislabelConfig",
    "MISLABEL_PRESETS",
    "mislabel_edge_distances",
    "DigitSlice",
    "digit_slice",
    "sv_difference_sweep",
    # trajectories
    "GrowthConfig",
    "length_growth",
    "growth_rates",
    "TransitionsConfig",
    "transitions_vs_length",
    "DichotomyConfig",
    "dichotomy_sweep",
    "TrainConfig",
    "train_one_layer",
    "layer_noise",
    "length_during_training",
    "trajreg_vs_batchnorm",
    "LayerTrajectory",
    "circle_through_layers",
    # profiles
    "profile_banner",
    "PROFILE_COSTS",
]

from .layer_algebra import (  # noqa: E402
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

from .edjm import (  # noqa: E402
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

from .pl_toy import (  # noqa: E402
    TOY_BOUNDS,
    ToyConfig,
    ToyRun,
    toy_data,
    toy_run,
)

__all__ += ['ToyConfig', 'ToyRun', 'toy_run', 'toy_data', 'TOY_BOUNDS']

from .pl_training import (  # noqa: E402
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
