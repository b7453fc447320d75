"""One vocabulary for turning a network's several outputs into spanning dimensions (ESD paper §3.2, §6).

Berthiaume, Paffenroth & Guo (2020) name two scalarisations of a vector output
``f(x)``, and §3.2 a third way that keeps every output:

``"pick_first"``
    ``g(x) = f(x)_1`` (the paper's *pick_first* / *pick_1st*; the cheapest).
``"sum_squares"``
    ``g(x) = sum_i f(x)_i^2``.
``"mean"``
    the spanning dimension of each output, averaged (§3.2 option 1; the exact
    route of :func:`workbench.spanning_dimension` only).

Every measure and experiment that takes ``reduce=`` checks it with
:func:`check_reduction`.  The spellings of 0.1, ``"first"`` and ``"pick_1st"``, are
refused with a message naming ``"pick_first"`` (removed in 0.2.0, CHANGELOG.md).
"""
from __future__ import annotations

from typing import Any

from workbench.validation import check_choice

__all__ = ["REDUCTIONS", "SAMPLED_REDUCES", "check_reduction"]

REDUCTIONS = ("pick_first", "sum_squares", "mean")
"""Ways to turn several outputs into spanning dimensions (§3.2), for the exact Jacobian route."""

SAMPLED_REDUCES = ("pick_first", "sum_squares")
"""The scalarisations of the sampled-coordinate route (§6): one scalar ``g`` per input."""

REMOVED_REDUCTIONS = {"first": "pick_first", "pick_1st": "pick_first"}
"""Spellings of 0.1, removed in 0.2.0 (refused with the new name): old name -> name."""


def check_reduction(reduce: Any, allowed: tuple[str, ...] = REDUCTIONS, *, name: str = "reduce") -> str:
    """The one name of the reduction ``reduce``, checked against ``allowed``.

    A spelling of 0.1 (:data:`REMOVED_REDUCTIONS`, e.g. ``"first"``) raises
    ``ValueError`` naming the new one; anything else not in ``allowed`` raises
    ``ValueError("unknown reduce ...; allowed values: ...")``.
    """
    if isinstance(reduce, str) and reduce in REMOVED_REDUCTIONS and REMOVED_REDUCTIONS[reduce] in allowed:
        raise ValueError(f"{name}={reduce!r} was renamed {name}={REMOVED_REDUCTIONS[reduce]!r} in workbench 0.2.0 "
                         "(CHANGELOG.md)")
    return check_choice(name, reduce, allowed)
