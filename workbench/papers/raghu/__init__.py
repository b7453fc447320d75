"""Raghu, Poole, Kleinberg, Ganguli & Sohl-Dickstein (2017), *On the Expressive Power of Deep
Neural Networks*: recipes for its figures and their plots.

* ``trajectories``: trajectory length growth, transitions vs length, dichotomy sweeps, training-time length;
* ``regions``: region counts vs depth and width, a partition layer by layer;
* ``figures``: Fig. 2 (exact and sampled), Theorem 4's scaling, dichotomies vs the random walk,
  Sauer-Shelah, conv-net growth, batch norm and length;
* ``plots``: the plots specific to this paper.
"""
from workbench.papers.raghu.figures import (
    BatchNormLengthConfig,
    ConvGrowthConfig,
    TransitionGridConfig,
    batchnorm_length_during_training,
    conv_length_growth,
    distinct_prefix_counts,
    lengths_through_modules,
    min_vc_dimension,
    random_walk_dichotomies,
    sauer_shelah_bound,
    transition_grid,
    transition_growth_base,
)
from workbench.papers.raghu.plots import (
    plot_dichotomies_vs_flips,
    plot_growth_base,
    plot_module_lengths,
    plot_sauer_shelah,
    plot_transition_grid,
)
from workbench.papers.raghu.regions import (
    REGION_COUNT_PRESETS,
    RegionCountConfig,
    layerwise_partitions,
    region_count_sweep,
)
from workbench.papers.raghu.trajectories import (
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
    "RegionCountConfig",
    "REGION_COUNT_PRESETS",
    "region_count_sweep",
    "layerwise_partitions",
    "TransitionGridConfig",
    "transition_grid",
    "transition_growth_base",
    "random_walk_dichotomies",
    "distinct_prefix_counts",
    "sauer_shelah_bound",
    "min_vc_dimension",
    "lengths_through_modules",
    "ConvGrowthConfig",
    "conv_length_growth",
    "BatchNormLengthConfig",
    "batchnorm_length_during_training",
    "plot_transition_grid",
    "plot_growth_base",
    "plot_dichotomies_vs_flips",
    "plot_sauer_shelah",
    "plot_module_lengths",
]
