"""Building networks: MLPs, batched ensembles, the torchvision zoo."""
from .ensemble import Ensemble, mlp_ensemble
from .mlp import ACTIVATIONS, INITS, MLP, PIECEWISE_LINEAR, SHORTCUTS, Trace, init_parameters, mlp
from .feedforward import Averaged, conv_net, dense_net, hidden_units, n_parameters, seeded_init
from .svd_layers import (SVDLinear, orthonormality_error, reorthonormalize, reorthonormalize_every, svd_log_penalty,
                         svd_net)
from .zoo import ESD_PAPER_MODELS, zoo, zoo_model

__all__ = [
    "ACTIVATIONS", "INITS", "MLP", "PIECEWISE_LINEAR", "SHORTCUTS", "Trace", "init_parameters", "mlp",
    "Ensemble", "mlp_ensemble", "ESD_PAPER_MODELS", "zoo", "zoo_model",
    "Averaged", "conv_net", "dense_net", "hidden_units", "n_parameters", "seeded_init",
    "SVDLinear", "orthonormality_error", "reorthonormalize", "reorthonormalize_every", "svd_log_penalty", "svd_net",
]
