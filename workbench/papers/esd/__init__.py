"""Berthiaume, Paffenroth & Guo (2020), *Understanding Deep Learning: Expected Spanning Dimension
and Controlling the Flexibility of Neural Networks*: recipes for its figures and tables, and their plots.

* ``sampling``: Algorithm 1, the ESD distribution over random weights and inputs;
* ``figures``: Figs. 1-6 and Table 1 (sweeps, fits, trained classifiers);
* ``real_networks``: §6, ESD of torchvision's ImageNet classifiers against their error (Figs. 9-13, Tables 3-4);
* ``image_inputs``: §5.3 (Fig. 8, ResNet vs add-inputs), Figs. 11-12 on real images, Table 4 under subsets;
* ``plots``: the plots specific to this paper.
"""
from workbench.papers.esd.figures import (
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
from workbench.papers.esd.image_inputs import (
    ResNetInputsConfig,
    correlation_robustness,
    digit_images,
    resnet_vs_add_inputs,
)
from workbench.papers.esd.plots import (
    plot_correlation_robustness,
    plot_resnet_vs_add_inputs,
)
from workbench.papers.esd.real_networks import (
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
from workbench.papers.esd.sampling import (
    INPUT_SEED_OFFSET,
    INPUTS,
    ESDResult,
    draw_inputs,
    esd,
    esd_of,
)

__all__ = [
    "INPUTS",
    "INPUT_SEED_OFFSET",
    "ESDResult",
    "draw_inputs",
    "esd",
    "esd_of",
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
    "ESDRealConfig",
    "ESD_REAL_PRESETS",
    "ESDRealFits",
    "esd_real_networks",
    "esd_real_summary",
    "esd_real_fits",
    "fit_line_bootstrap",
    "accuracy_metadata",
    "real_inputs",
    "ResNetInputsConfig",
    "resnet_vs_add_inputs",
    "digit_images",
    "correlation_robustness",
    "plot_resnet_vs_add_inputs",
    "plot_correlation_robustness",
]
