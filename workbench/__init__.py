"""Expressivity Workbench: see how a neural network's architecture shapes what it can compute.

Layers (arrows point one way): widgets -> plots / experiments -> measures -> nets.
Public names of ``nets``, ``measures`` and ``experiments`` are re-exported here;
plots and widgets live in ``workbench.plots`` and ``workbench.widgets``.
"""
from . import data, training
from ._runtime import device, generator, resolve_device
from .experiments import *  # noqa: F401,F403
from .measures import *  # noqa: F401,F403
from .nets import (  # noqa: F401
    ESD_PAPER_MODELS, Ensemble, MLP, Trace, init_parameters, mlp, mlp_ensemble, zoo, zoo_model,
)

from .training import FitConfig, accuracy, fit  # noqa: F401

__version__ = "0.1.0"
from . import claims, export  # noqa: E402,F401
from .export import load_checkpoint, save, save_checkpoint  # noqa: E402,F401
