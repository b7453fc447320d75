"""Expressivity Workbench: see how a neural network's architecture shapes what it can compute.

A thin, exact, batched PyTorch library behind narrative notebooks. The names here are the
ones a user reaches for; everything else lives one level down::

    import workbench as wb
    net = wb.mlp([2, 16, 16, 1], "relu", seed=0)      # networks: wb.mlp, wb.mlp_ensemble, wb.zoo_model, ...
    part = wb.partition_2d(net, (-1, 1, -1, 1))        # exact 2-D linear regions
    wb.spanning_dimension(net, X)                      # the measures take (net, X, *, ..., seed, device)
    wb.fit(net, data, wb.FitConfig(epochs=20))         # the one trainer -> a history table

Packages (arrows point one way: widgets -> plots / papers -> measures -> nets):

* ``workbench.nets``: building networks and the one piecewise-linear core;
* ``workbench.measures``: pure tensor math (``partition``, ``paths``, ``spanning``,
  ``layer_algebra``, ``affine``, ``edjm``, ``slope``, ``attacks``, ``bounds``);
* ``workbench.papers``: one package per paper (``esd``, ``raghu``, ``edjm``,
  ``layer_algebra``, ``pl_geometry``) with its figure and table recipes and plots;
* ``workbench.experiments``: what the recipes share (Dask sweeps, stores, presets, profiles);
* ``workbench.plots``, ``workbench.widgets``: generic plots and the ipywidgets panels;
* ``workbench.training``, ``workbench.data``, ``workbench.claims``, ``workbench.export``.

``ARCHITECTURE.md`` in the repository is the map of the code.
"""

import os as _os

# OpenMP threads that wait passively instead of spinning: on a busy shared CPU (a lecture server, CI, a
# laptop running a browser) torch's spinning threads made small networks 10-30x slower than one thread
# (measured on the project's 2-core machine). Read when torch is first imported; a user's setting wins.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from workbench import claims, data, experiments, export, limits, measures, nets, papers, training, validation
from workbench._runtime import (
    device,
    generator,
    int_seed,
    resolve_device,
    sub_seed,
)
from workbench.experiments import (
    PROFILE_COSTS,
    FunctionConfig,
    default_client,
    function_1d,
    profile_banner,
    run_cells,
)
from workbench.export import (
    load_checkpoint,
    save,
    save_checkpoint,
)
from workbench.limits import (
    ResourceLimitError,
    max_bytes_budget,
)
from workbench.measure_atlas import Atlas, atlas
from workbench.measures import (
    EDJM,
    AdjacentSVDifference,
    Dichotomies,
    DJMCount,
    EdgeDistance,
    ExactTransitionsError,
    LayerAlgebraError,
    LayerAlgebraResult,
    LocalMetric,
    LocalRank,
    Partition,
    PathTransitions,
    PowerIteration,
    RegionLimitError,
    SampledSpectrum,
    SampledTransitions,
    SlopePenalty,
    SpectralNormPenalty,
    activation_pattern,
    activation_states,
    adjacent_sv_difference,
    circle,
    circle_transitions,
    count_dichotomies,
    count_parameters,
    count_regions_on_segment,
    distance_to_edge,
    distinct_djms,
    edjm_score,
    effective_rank,
    exact_rank,
    fgsm,
    growth_rate_bounds,
    layer_algebra_rules,
    layer_images,
    layer_lengths,
    local_affine,
    local_rank,
    local_singular_values,
    numerical_rank,
    parameter_jacobian,
    partition_2d,
    partition_plane,
    pgd,
    polynomial_spanning_dimension,
    polynomial_spanning_dimension_points,
    region_upper_bound,
    regions_on_line,
    sampled_spanning_dimension,
    sampled_spectrum,
    sampled_transitions,
    segment,
    segment_transitions,
    singular_values,
    slope_power_iteration,
    spanning_dimension,
    sv_difference_bound,
    trajectory_length,
    weight_sweep_labels,
)
from workbench.measures.edjm import edjm
from workbench.measures.layer_algebra.graph import layer_algebra
from workbench.measures.slope import slope
from workbench.nets import (
    ACTIVATIONS,
    INITS,
    MLP,
    PIECEWISE_LINEAR,
    SHORTCUTS,
    Averaged,
    Ensemble,
    MixedMLP,
    Trace,
    TrajectoryRegularization,
    conv_net,
    dense_net,
    linear_autoencoder,
    mixed_mlp,
    mlp,
    mlp_ensemble,
    resnet_family,
    small_cnn,
    small_convnet,
    svd_net,
    zoo,
    zoo_meta_model,
    zoo_model,
)
from workbench.papers.esd.sampling import (
    ESDResult,
    esd,
)
from workbench.training import (
    FitConfig,
    accuracy,
    fit,
    fit_restarts,
)
from workbench.validation import (
    NumericalWarning,
)

__version__ = "0.2.0.dev0"

__all__ = [
    # subpackages
    "claims", "data", "experiments", "export", "limits", "measures", "nets", "papers", "training", "validation",
    # runtime: devices and seeds
    "device", "generator", "int_seed", "resolve_device", "sub_seed",
    # shared sweep machinery
    "FunctionConfig", "function_1d", "profile_banner", "PROFILE_COSTS", "default_client", "run_cells",
    # export
    "save", "save_checkpoint", "load_checkpoint",
    # limits
    "ResourceLimitError", "max_bytes_budget",
    # measures
    "local_affine", "activation_pattern", "distance_to_edge", "EdgeDistance", "local_rank", "LocalRank",
    "local_singular_values", "adjacent_sv_difference", "AdjacentSVDifference", "sv_difference_bound", "Dichotomies",
    "weight_sweep_labels", "count_dichotomies", "circle", "segment", "layer_images", "trajectory_length",
    "layer_lengths", "activation_states", "sampled_transitions", "SampledTransitions", "PathTransitions",
    "circle_transitions", "segment_transitions", "count_regions_on_segment", "ExactTransitionsError",
    "growth_rate_bounds", "polynomial_spanning_dimension", "polynomial_spanning_dimension_points", "effective_rank",
    "numerical_rank", "exact_rank", "singular_values", "Partition", "RegionLimitError", "partition_2d",
    "partition_plane", "region_upper_bound", "regions_on_line", "SampledSpectrum", "count_parameters",
    "sampled_spectrum", "sampled_spanning_dimension", "parameter_jacobian", "spanning_dimension", "LocalMetric",
    "layer_algebra_rules", "LayerAlgebraError", "layer_algebra", "LayerAlgebraResult", "EDJM", "edjm", "edjm_score",
    "DJMCount", "distinct_djms", "fgsm", "pgd", "slope", "slope_power_iteration", "PowerIteration", "SlopePenalty",
    "SpectralNormPenalty",
    # networks
    "ACTIVATIONS", "INITS", "MLP", "PIECEWISE_LINEAR", "SHORTCUTS", "Trace", "mlp", "Ensemble", "mlp_ensemble",
    "MixedMLP", "mixed_mlp", "small_convnet", "TrajectoryRegularization", "zoo", "zoo_model", "zoo_meta_model",
    "linear_autoencoder", "small_cnn", "resnet_family", "dense_net", "conv_net", "Averaged", "svd_net",
    # the atlas: six measures of one network side by side
    "Atlas", "atlas",
    # expected spanning dimension (Algorithm 1)
    "ESDResult", "esd",
    # the one trainer
    "FitConfig", "accuracy", "fit", "fit_restarts",
    # warnings
    "NumericalWarning",
]


def __getattr__(name: str):
    """A name that left the top level in 0.2 answers with its new home (CHANGELOG.md) instead of a bare error."""
    from workbench._moved import MOVED, REMOVED

    if name in REMOVED:
        raise AttributeError(f"workbench.{name} was removed in workbench 0.2.0: use {REMOVED[name]} (CHANGELOG.md)")
    if name in MOVED:
        where = MOVED[name]
        new = where if name == "random_mlp" else f"{where}.{name}"
        raise AttributeError(f"workbench.{name} moved to {new} in 0.2 (see CHANGELOG.md)")
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")
