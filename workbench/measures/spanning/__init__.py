"""Ranks and spanning dimensions (Berthiaume et al. 2020).

* ``rank``: exact, numerical and effective rank (Roy & Vetterli 2007) of a matrix;
* ``dimension``: the parameter Jacobian at n points and its spanning dimension;
* ``sampled``: sampled gradient coordinates and the Gram spectrum for large models;
* ``polynomial``: the exact polynomial spanning dimension (integer arithmetic);
* ``reductions``: the one vocabulary of ``reduce=``.
"""
from workbench.measures.spanning.dimension import (
    RANKS,
    SV_METHODS,
    ensemble_parameter_jacobian,
    jacobian_singular_values,
    jacobian_spanning_dimension,
    lowrank_singular_values,
    parameter_jacobian,
    per_point_gradient_loop,
    spanning_dimension,
)
from workbench.measures.spanning.polynomial import (
    coefficient_jacobian,
    network_jacobian_at_points,
    polynomial_spanning_dimension,
    polynomial_spanning_dimension_points,
    random_integer_parameters,
)
from workbench.measures.spanning.rank import (
    effective_rank,
    exact_rank,
    numerical_rank,
    singular_values,
)
from workbench.measures.spanning.reductions import (
    REDUCTIONS,
    SAMPLED_REDUCES,
    check_reduction,
)
from workbench.measures.spanning.sampled import (
    SampledSpectrum,
    count_parameters,
    gram_singular_values,
    sample_coordinates,
    sampled_gradient_rows,
    sampled_spanning_dimension,
    sampled_spectrum,
)

__all__ = [
    "effective_rank",
    "numerical_rank",
    "exact_rank",
    "singular_values",
    "REDUCTIONS",
    "SAMPLED_REDUCES",
    "check_reduction",
    "parameter_jacobian",
    "spanning_dimension",
    "jacobian_spanning_dimension",
    "RANKS",
    "per_point_gradient_loop",
    "jacobian_singular_values",
    "SV_METHODS",
    "lowrank_singular_values",
    "ensemble_parameter_jacobian",
    "SampledSpectrum",
    "count_parameters",
    "sample_coordinates",
    "sampled_gradient_rows",
    "gram_singular_values",
    "sampled_spectrum",
    "sampled_spanning_dimension",
    "polynomial_spanning_dimension",
    "polynomial_spanning_dimension_points",
    "coefficient_jacobian",
    "network_jacobian_at_points",
    "random_integer_parameters",
]
