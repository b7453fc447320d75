"""Badias & Banerjee, *Neural Network Layer Algebra*: recipes for Figs. 6-13 and App. A.1
(the VC comparison, the linear autoencoder, ResNet vs PlainNet, the zoo against ImageNet accuracy).
"""
from workbench.papers.layer_algebra.recipes import (
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

__all__ = [
    "vc_estimate",
    "vc_comparison",
    "ResNetPlainResult",
    "resnet_vs_plainnet",
    "LayerAlgebraZooConfig",
    "layer_algebra_zoo",
    "PowerFit",
    "power_fit",
    "ActivationStudyConfig",
    "activation_study",
    "PAPER_FIT_R2",
    "PAPER_TABLE1_MODELS",
]
