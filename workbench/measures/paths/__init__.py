"""Paths through input space: circles and segments, their images through the layers, lengths,
sampled and exact neuron transitions, dichotomies (Raghu et al. 2017).

* ``trajectories``: ``circle``, ``segment``, ``layer_images``, ``trajectory_length``, ``layer_lengths``;
* ``transitions``: sampled and exact transition counts (the public entry points);
* ``exact``: the exact path engines (line-circle crossings in closed form) and ``PathTransitions``;
* ``dichotomies``: distinct labelings of a circle's points under a weight sweep.
"""
from workbench.measures.paths.dichotomies import (
    Dichotomies,
    count_dichotomies,
    weight_sweep_labels,
)
from workbench.measures.paths.exact import (
    PathTransitions,
)
from workbench.measures.paths.trajectories import (
    circle,
    layer_images,
    layer_lengths,
    segment,
    trajectory_length,
)
from workbench.measures.paths.transitions import (
    ExactTransitionsError,
    SampledTransitions,
    activation_states,
    circle_transitions,
    count_regions_on_segment,
    sampled_transitions,
    segment_transitions,
)

__all__ = [
    "circle",
    "segment",
    "layer_images",
    "trajectory_length",
    "layer_lengths",
    "PathTransitions",
    "activation_states",
    "sampled_transitions",
    "SampledTransitions",
    "circle_transitions",
    "segment_transitions",
    "count_regions_on_segment",
    "ExactTransitionsError",
    "Dichotomies",
    "weight_sweep_labels",
    "count_dichotomies",
]
