"""Johansson (2022), *Characterizing Piecewise Linear Neural Networks* (licentiate thesis):
recipes for its figures.

* ``regions``: edge distances of mislabeled digits (Fig. 2.1), a slice through a trained classifier,
  singular-value differences vs width (Fig. 2.3);
* ``toy``: the 2-D toy problems;
* ``training``: slope, power iteration, rank of W_R during training, slope regularisation and attacks.
"""
from workbench.papers.pl_geometry.regions import (
    MISLABEL_PRESETS,
    DigitSlice,
    DigitsTrainConfig,
    MislabelConfig,
    digit_slice,
    mislabel_edge_distances,
    sv_difference_sweep,
    train_digits_mlp,
)
from workbench.papers.pl_geometry.toy import (
    TOY_BOUNDS,
    ToyConfig,
    ToyRun,
    toy_data,
    toy_run,
)
from workbench.papers.pl_geometry.training import (
    RankTraining,
    RankTrainingConfig,
    Regularisation,
    RegularisationConfig,
    SegmentConfig,
    SlopeGenConfig,
    SlopeGeneralisation,
    conv_digits_net,
    failing_rate,
    power_iteration_convergence,
    rank_claims,
    rank_during_training,
    rate_outcomes,
    ratio_breakpoint_cdf,
    segment_regions,
    segment_summary,
    slope_claims,
    slope_generalisation,
    slope_regularisation,
)

__all__ = [
    "DigitsTrainConfig",
    "train_digits_mlp",
    "MislabelConfig",
    "MISLABEL_PRESETS",
    "mislabel_edge_distances",
    "DigitSlice",
    "digit_slice",
    "sv_difference_sweep",
    "ToyConfig",
    "ToyRun",
    "toy_run",
    "toy_data",
    "TOY_BOUNDS",
    "rank_claims",
    "RankTrainingConfig",
    "RankTraining",
    "rank_during_training",
    "rate_outcomes",
    "failing_rate",
    "power_iteration_convergence",
    "SegmentConfig",
    "segment_regions",
    "segment_summary",
    "ratio_breakpoint_cdf",
    "SlopeGenConfig",
    "SlopeGeneralisation",
    "slope_generalisation",
    "slope_claims",
    "RegularisationConfig",
    "Regularisation",
    "slope_regularisation",
    "conv_digits_net",
]
