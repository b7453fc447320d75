"""Building networks: MLPs, batched ensembles, the torchvision zoo."""
from .ensemble import Ensemble, mlp_ensemble
from .mlp import ACTIVATIONS, INITS, MLP, PIECEWISE_LINEAR, SHORTCUTS, Trace, init_parameters, mlp
from .zoo import ESD_PAPER_MODELS, zoo, zoo_model
from .zoo_meta import zoo_input_shape, zoo_meta_model

__all__ = [
    "ACTIVATIONS", "INITS", "MLP", "PIECEWISE_LINEAR", "SHORTCUTS", "Trace", "init_parameters", "mlp",
    "Ensemble", "mlp_ensemble", "ESD_PAPER_MODELS", "zoo", "zoo_model",
    "zoo_input_shape", "zoo_meta_model",
]
