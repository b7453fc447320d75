"""The resource guard (issue 14): estimate before allocating, refuse with the estimate and the knob.

Every computation whose memory grows with sizes a user picks (points on a
circle, Jacobian rows x parameters, partition regions, polynomial monomials,
dichotomy steps, slider maxima) calls :func:`check_bytes` (or
:func:`check_count`) with its estimate *before* allocating.  Over the budget it
raises :class:`ResourceLimitError`, whose message says how much was asked,
what the budget is and which argument to turn.

The budget
----------
* default: half the physical memory of this machine on the CPU, 90% of the
  free memory of a CUDA device;
* the environment variable ``WORKBENCH_MAX_BYTES`` (bytes, or with a unit:
  ``"2GiB"``, ``"500MB"``) sets it for the process;
* :func:`max_bytes_budget` as a context manager sets it for a block::

      with workbench.limits.max_bytes_budget("40GiB"):
          part = workbench.partition_2d(net, max_regions=10**7)

* functions that take ``max_bytes=`` use it over all of the above.
"""
from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator

import torch

from workbench._runtime import DeviceLike, resolve_device

__all__ = [
    "ENV_MAX_BYTES",
    "ResourceLimitError",
    "check_bytes",
    "check_count",
    "default_max_bytes",
    "format_bytes",
    "max_bytes_budget",
    "parse_bytes",
]

ENV_MAX_BYTES = "WORKBENCH_MAX_BYTES"
_OVERRIDE: list[int] = []


class ResourceLimitError(MemoryError):
    """A request would need more memory (or work) than the budget allows; refused before allocating."""


_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


def parse_bytes(value, name: str = "max_bytes") -> int:
    """Bytes from an int or a string like ``"2GiB"``, ``"500 MB"``, ``"1e9"``; ValueError naming ``name``."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number of bytes or a string like '2GiB', got {value!r}")
    if isinstance(value, (int, float)):
        if not value == value or value <= 0 or value == float("inf"):
            raise ValueError(f"{name} must be a positive number of bytes, got {value!r}")
        return int(value)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([A-Za-z]*)\s*", value)
        if m and m.group(2).lower() in _UNITS:
            n = float(m.group(1)) * _UNITS[m.group(2).lower()]
            if n > 0:
                return int(n)
        raise ValueError(f"{name}={value!r} is not a size; use bytes or a unit, e.g. '2GiB', '500MB'")
    raise TypeError(f"{name} must be a number of bytes or a string like '2GiB', got {type(value).__name__}")


def format_bytes(n: float) -> str:
    """``n`` bytes as a short human string (``"1.5 GiB"``)."""
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:,.1f} {unit}"
    return f"{int(n)} B"


def _physical_bytes() -> int:
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 16 << 30


def default_max_bytes(*, device: DeviceLike = None) -> int:
    """The memory budget now: a :func:`max_bytes_budget` block, else ``WORKBENCH_MAX_BYTES``, else the machine's.

    The machine's: half the physical memory (CPU) or 90% of the free memory of
    the CUDA device (``device=None``: :func:`workbench.device`).
    """
    if _OVERRIDE:
        return _OVERRIDE[-1]
    env = os.environ.get(ENV_MAX_BYTES, "").strip()
    if env:
        return parse_bytes(env, ENV_MAX_BYTES)
    dev = resolve_device(device)
    if dev.type == "cuda":
        free, _ = torch.cuda.mem_get_info(dev)
        return int(0.9 * free)
    return _physical_bytes() // 2


@contextlib.contextmanager
def max_bytes_budget(max_bytes) -> Iterator[int]:
    """Set the memory budget for the ``with`` block (bytes or a string like ``"40GiB"``)."""
    _OVERRIDE.append(parse_bytes(max_bytes))
    try:
        yield _OVERRIDE[-1]
    finally:
        _OVERRIDE.pop()


def check_bytes(need: float, what: str, knob: str, *, max_bytes=None, device: DeviceLike = None) -> None:
    """Refuse (``ResourceLimitError``) when ``need`` bytes exceed the budget.

    ``what`` says what would be allocated ("the Jacobian of 20,000 points x
    66,000 parameters"), ``knob`` which argument makes it smaller
    ("pass fewer points or chunk_size=").
    """
    budget = default_max_bytes(device=device) if max_bytes is None else parse_bytes(max_bytes)
    if need > budget:
        raise ResourceLimitError(
            f"{what} would need about {format_bytes(need)}, more than the memory budget of {format_bytes(budget)}; "
            f"refused before allocating. {knob[0].upper() + knob[1:]}, or raise the budget "
            f"(max_bytes=, workbench.limits.max_bytes_budget(...) or {ENV_MAX_BYTES}; see README 'Limits')."
        )


def check_count(n: float, limit: float, what: str, knob: str) -> None:
    """Refuse (``ResourceLimitError``) when a count that sets the work (``n``) exceeds ``limit``."""
    if n > limit:
        raise ResourceLimitError(
            f"{what} would be about {n:,.0f}, more than the limit of {limit:,.0f}; refused before starting "
            f"(it would not finish in reasonable time or memory). {knob[0].upper() + knob[1:]}."
        )
