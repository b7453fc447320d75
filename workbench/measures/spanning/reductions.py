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
:func:`check_reduction`.  The former spelling ``"first"`` (and ``"pick_1st"``) is
accepted for one release with a ``DeprecationWarning``.
"""
from __future__ import annotations

import warnings
from typing import Any

from workbench.validation import check_choice

__all__ = ["REDUCTIONS", "SAMPLED_REDUCES", "check_reduction"]

REDUCTIONS = ("pick_first", "sum_squares", "mean")
"""Ways to turn several outputs into spanning dimensions (§3.2), for the exact Jacobian route."""

SAMPLED_REDUCES = ("pick_first", "sum_squares")
"""The scalarisations of the sampled-coordinate route (§6): one scalar ``g`` per input."""

DEPRECATED_REDUCTIONS = {"first": "pick_first", "pick_1st": "pick_first"}
"""Former spellings, accepted for one release with a ``DeprecationWarning``: old name -> name."""


def check_reduction(reduce: Any, allowed: tuple[str, ...] = REDUCTIONS, *, name: str = "reduce") -> str:
    """The one name of the reduction ``reduce``, checked against ``allowed``.

    A deprecated spelling (:data:`DEPRECATED_REDUCTIONS`, e.g. ``"first"``) is
    mapped to its name with a ``DeprecationWarning``; anything else not in
    ``allowed`` raises ``ValueError("unknown reduce ...; allowed values: ...")``.
    """
    if isinstance(reduce, str) and reduce in DEPRECATED_REDUCTIONS and DEPRECATED_REDUCTIONS[reduce] in allowed:
        new = DEPRECATED_REDUCTIONS[reduce]
        warnings.warn(f"{name}={reduce!r} is deprecated and will be removed in the next release; "
                      f"use {name}={new!r}", DeprecationWarning, stacklevel=3)
        return new
    return check_choice(name, reduce, allowed)
