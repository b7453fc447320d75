"""Building networks: MLPs, mixed-activation MLPs, small conv nets, batched ensembles, the torchvision zoo."""
from .conv import CONV_NORMS, small_convnet
from .ensemble import Ensemble, mlp_ensemble
from .mixed import MixedMLP, mixed_mlp
from .mlp import (
    ACTIVATIONS,
    INITS,
    MLP,
    PIECEWISE_LINEAR,
    SHORTCUTS,
    Trace,
    init_parameters,
    match_width,
    mlp,
    validate_widths,
)
from .trajreg import TrajectoryRegularization, minibatch_trajectory_length, trajectory_penalty
from .zoo import ESD_PAPER_MODELS, zoo, zoo_model

__all__ = [
    # mlp
    "ACTIVATIONS", "INITS", "MLP", "PIECEWISE_LINEAR", "SHORTCUTS", "Trace", "init_parameters", "mlp",
    "match_width", "validate_widths",
    # ensemble
    "Ensemble", "mlp_ensemble",
    # mixed
    "MixedMLP", "mixed_mlp",
    # conv
    "CONV_NORMS", "small_convnet",
    # trajreg
    "TrajectoryRegularization", "minibatch_trajectory_length", "trajectory_penalty",
    # zoo
    "ESD_PAPER_MODELS", "zoo", "zoo_model",
]
