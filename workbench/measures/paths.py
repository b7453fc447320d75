"""Former home of trajectories and transitions: a thin re-export kept so old imports work.

The module was split by concept (issue 9):

* :mod:`workbench.measures.trajectories`: ``circle``, ``segment``,
  ``layer_images``, ``trajectory_length``, ``layer_lengths``;
* :mod:`workbench.measures.transitions`: ``activation_states``,
  ``sampled_transitions``, ``SampledTransitions``, ``circle_transitions``,
  ``segment_transitions``, ``count_regions_on_segment``,
  ``ExactTransitionsError``, ``PathTransitions`` (the result and the two exact
  engines are in :mod:`workbench.measures.exact_transitions`);
* :mod:`workbench.measures.bounds`: ``growth_rate_bounds``.

Import from those modules (or from ``workbench`` / ``workbench.measures``) in new code.
"""
from .bounds import growth_rate_bounds
from .exact_transitions import PathTransitions
from .trajectories import TWO_PI, circle, layer_images, layer_lengths, segment, trajectory_length  # noqa: F401
from .transitions import (
    ExactTransitionsError,
    SampledTransitions,
    activation_states,
    circle_transitions,
    count_regions_on_segment,
    sampled_transitions,
    segment_transitions,
)

__all__ = [
    "circle", "segment", "layer_images", "trajectory_length", "layer_lengths",
    "activation_states", "sampled_transitions", "SampledTransitions",
    "PathTransitions", "circle_transitions", "segment_transitions", "count_regions_on_segment",
    "ExactTransitionsError", "growth_rate_bounds",
]
