"""Building networks: MLPs, mixed-activation MLPs, small conv nets, batched ensembles, the torchvision zoo."""
from workbench.nets.conv import CONV_NORMS, small_convnet
from workbench.nets.ensemble import Ensemble, mlp_ensemble
from workbench.nets.mixed import MixedMLP, mixed_mlp
from workbench.nets.multilayer import (
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
from workbench.nets.torchvision_zoo import ESD_PAPER_MODELS, zoo, zoo_model
from workbench.nets.trajreg import TrajectoryRegularization, minibatch_trajectory_length, trajectory_penalty

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

from workbench.nets.zoo_meta import (  # noqa: E402
    meta_device,
    zoo_input_shape,
    zoo_meta_model,
)

__all__ += ['zoo_meta_model', 'zoo_input_shape', 'meta_device']

from workbench.nets.layer_nets import (  # noqa: E402
    RESNET_DEPTHS,
    ResidualUnit,
    linear_autoencoder,
    resnet_family,
    small_cnn,
)

__all__ += ['linear_autoencoder', 'small_cnn', 'resnet_family', 'RESNET_DEPTHS', 'ResidualUnit']

from workbench.nets.feedforward import (  # noqa: E402
    Averaged,
    conv_net,
    dense_net,
    hidden_units,
    seeded_init,
)

__all__ += ['dense_net', 'conv_net', 'Averaged', 'hidden_units', 'seeded_init']

from workbench.nets.svd_layers import (  # noqa: E402
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


def __getattr__(name: str):
    """``n_parameters`` was removed in 0.2.0 (CHANGELOG.md): an AttributeError that names its replacement."""
    if name == "n_parameters":
        raise AttributeError("workbench.nets.n_parameters was removed in workbench 0.2.0: use "
                             "workbench.count_parameters (CHANGELOG.md)")
    raise AttributeError(f"module 'workbench.nets' has no attribute {name!r}")
