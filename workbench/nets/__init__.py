"""Building networks: MLPs, batched ensembles, the torchvision zoo."""
from .ensemble import Ensemble, mlp_ensemble
from .mlp import ACTIVATIONS, INITS, MLP, PIECEWISE_LINEAR, SHORTCUTS, Trace, init_parameters, mlp
from .zoo import ESD_PAPER_MODELS, zoo, zoo_model
from .zoo_meta import zoo_input_shape, zoo_meta_model
from .layer_nets import RESNET_DEPTHS, ResidualUnit, linear_autoencoder, resnet_family, small_cnn

__all__ = [
    "ACTIVATIONS", "INITS", "MLP", "PIECEWISE_LINEAR", "SHORTCUTS", "Trace", "init_parameters", "mlp",
    "Ensemble", "mlp_ensemble", "ESD_PAPER_MODELS", "zoo", "zoo_model",
    "zoo_input_shape", "zoo_meta_model",
    "RESNET_DEPTHS", "ResidualUnit", "linear_autoencoder", "resnet_family", "small_cnn",
]
