"""Neural network layer algebra (Badias & Banerjee): intrinsic power and complexity from the
architecture alone.

* ``rules``: the local metric of each operation (§5) and the rule table;
* ``graph``: tracing a module to its data-flow graph (torch.fx, shapes on meta) and the cumulative values (§6);
* ``constants``: the activation constants (variance ratios) of §5.3.
"""
from workbench.measures.layer_algebra.constants import (
    ACTIVATION_FUNCTIONS,
    activation_variances,
    estimate_activation_constants,
    moving_average_variance,
)
from workbench.measures.layer_algebra.graph import (
    LayerAlgebraResult,
    TracedGraph,
    layer_algebra,
    trace_graph,
)
from workbench.measures.layer_algebra.rules import (
    ACTIVATION_FAMILIES,
    PAPER_ACTIVATION_CONSTANTS,
    LayerAlgebraError,
    LayerAlgebraOptions,
    LocalMetric,
    OpInfo,
    RuleTable,
    layer_algebra_rules,
)

__all__ = [
    "LocalMetric",
    "OpInfo",
    "LayerAlgebraOptions",
    "RuleTable",
    "layer_algebra_rules",
    "PAPER_ACTIVATION_CONSTANTS",
    "ACTIVATION_FAMILIES",
    "LayerAlgebraError",
    "ACTIVATION_FUNCTIONS",
    "activation_variances",
    "estimate_activation_constants",
    "moving_average_variance",
    "layer_algebra",
    "LayerAlgebraResult",
    "trace_graph",
    "TracedGraph",
]
