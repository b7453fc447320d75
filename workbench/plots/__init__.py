"""Plotting: ``plot_x(result, ax=None, **style) -> Axes``; never computes a measure."""
from workbench.plots._base import LAYER_COLORS, distinct_colors, new_axes, new_figure, show
from workbench.plots.esd import (
    plot_esd_comparison,
    plot_esd_heatmap,
    plot_esd_heatmaps,
    plot_fit_scatter,
    plot_psd_depths,
    plot_sd_distribution,
    plot_training_curves,
)
from workbench.plots.esd_real import (
    plot_esd_real,
    plot_esd_real_grid,
    plot_sampled_spectra,
)
from workbench.plots.functions import (
    plot_function_1d,
)
from workbench.plots.lint import Finding, lint_figure
from workbench.plots.player import animation_frames, offline_html
from workbench.plots.regions import (
    layer_color,
    plot_edge_distances,
    plot_line_density,
    plot_partition,
    plot_partition_layers,
    plot_partition_surface,
    plot_region_counts,
    plot_sv_differences,
)
from workbench.plots.style import LEGIBILITY, OKABE_ITO, LegibleFigure, ensure_legible, lecture_style, text_px
from workbench.plots.trajectories import (
    animate_layers,
    plot_dichotomies,
    plot_growth_rates,
    plot_layer_image,
    plot_layer_noise,
    plot_layer_training,
    plot_length_during_training,
    plot_length_growth,
    plot_length_per_layer,
    plot_trajreg_vs_batchnorm,
    plot_transitions_vs_length,
    save_gif,
)

__all__ = [
    "LAYER_COLORS", "distinct_colors", "new_axes", "new_figure", "show",
    # esd
    "plot_sd_distribution", "plot_esd_heatmap", "plot_esd_heatmaps", "plot_fit_scatter",
    "plot_training_curves", "plot_esd_comparison", "plot_psd_depths",
    # esd_real
    "plot_esd_real", "plot_esd_real_grid", "plot_sampled_spectra",
    # functions
    "plot_function_1d",
    # regions
    "plot_partition", "plot_partition_layers", "plot_partition_surface", "plot_region_counts",
    "plot_line_density", "plot_edge_distances", "plot_sv_differences", "layer_color",
    # trajectories
    "plot_length_growth", "plot_growth_rates", "plot_transitions_vs_length", "plot_dichotomies",
    "plot_layer_training", "plot_layer_noise", "plot_length_during_training", "plot_trajreg_vs_batchnorm",
    "plot_layer_image", "plot_length_per_layer", "animate_layers", "save_gif",
    # player
    "animation_frames", "offline_html",
    # style
    "lecture_style", "OKABE_ITO", "LEGIBILITY", "text_px", "ensure_legible", "LegibleFigure",
    # lint
    "lint_figure", "Finding",
]

from workbench.plots.layer_algebra import (  # noqa: E402
    LAYER_VALUES,
    plot_accuracy_fits,
    plot_activation_variances,
    plot_cumulative_curves,
    plot_filter_variance,
    plot_layer_graph,
    plot_local_cumulative,
    plot_resnet_plainnet,
    plot_vc_comparison,
    plot_zoo_metrics,
)

__all__ += [
    'plot_layer_graph', 'plot_local_cumulative', 'plot_cumulative_curves', 'plot_resnet_plainnet',
    'plot_zoo_metrics', 'plot_accuracy_fits', 'plot_vc_comparison', 'plot_activation_variances',
    'plot_filter_variance', 'LAYER_VALUES',
]

from workbench.plots.edjm import (  # noqa: E402
    plot_edjm_per_output,
    plot_edjm_scores,
    plot_edjm_spectra,
    plot_edjm_study,
    plot_score_vs_accuracy,
)

__all__ += [
    'plot_edjm_spectra', 'plot_edjm_scores', 'plot_score_vs_accuracy', 'plot_edjm_study',
    'plot_edjm_per_output',
]

from workbench.plots.pl_training import (  # noqa: E402
    plot_power_iteration,
    plot_rank_training,
    plot_robustness,
    plot_segment_regions,
    plot_segment_sv,
    plot_slope_training,
    plot_toy_run,
)

__all__ += [
    'plot_rank_training', 'plot_power_iteration', 'plot_segment_regions', 'plot_segment_sv',
    'plot_slope_training', 'plot_robustness', 'plot_toy_run',
]
