"""The resource guard (issue 14): estimate before allocating, refuse with the estimate and the knob.

Every computation whose memory grows with sizes a user picks (points on a
circle, Jacobian rows x parameters, partition regions, polynomial monomials,
dichotomy steps, slider maxima) calls :func:`check_bytes` (or
:func:`check_count`) with its estimate *before* allocating.  Over the budget it
raises :class:`ResourceLimitError`, whose message says how much was asked,
what the budget is and which argument to turn.

The budget
----------
* default on the CPU: the smallest of

  - half the physical memory of this machine,
  - the cgroup memory limit (v2 ``memory.max``, v1 ``memory.limit_in_bytes``,
    of this process's cgroup and the cgroups above it) minus what the cgroup
    already uses (less its inactive file cache, which the kernel reclaims),
  - ``RLIMIT_AS`` (``ulimit -v``) minus the address space this process has
    already mapped (``VmSize``: for a torch process several GiB of reserved,
    untouched space, which counts against this limit all the same),
  - ``RLIMIT_DATA`` (``ulimit -d``) minus the data already mapped (``VmData``);

  on a CUDA device 90% of its free memory;
* the environment variable ``WORKBENCH_MAX_BYTES`` (bytes, or with a unit:
  ``"2GiB"``, ``"500MB"``) sets it for the process;
* :func:`max_bytes_budget` as a context manager sets it for a block::

      with workbench.limits.max_bytes_budget("40GiB"):
          part = workbench.partition_2d(net, max_regions=10**7)

* functions that take ``max_bytes=`` use it over all of the above.

:func:`memory_budget` says which of these set the budget now; the message of
:class:`ResourceLimitError` names it ("RLIMIT_AS 6.0 GiB minus 2.1 GiB already
mapped").  A budget set by hand above what a process limit leaves is obeyed:
the request then fails in the allocator instead of here.
"""
from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

import torch

from workbench._runtime import DeviceLike, resolve_device

__all__ = [
    "DEFAULT_MAX_SECONDS",
    "ENV_MAX_BYTES",
    "ENV_MAX_SECONDS",
    "Budget",
    "ResourceLimitError",
    "UNCHECKED_BYTES",
    "budget_message",
    "check_bytes",
    "check_count",
    "check_seconds",
    "default_max_bytes",
    "format_bytes",
    "format_seconds",
    "max_bytes_budget",
    "max_seconds_budget",
    "memory_budget",
    "parse_bytes",
    "parse_seconds",
    "time_budget",
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


@functools.lru_cache(maxsize=1)
def _physical_bytes() -> int:
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 16 << 30


@dataclass(frozen=True)
class Budget:
    """A memory budget in bytes, where it came from and, for a limit of the process, how to raise that limit."""

    bytes: int
    source: str
    """e.g. ``"half the physical memory (23.4 GiB)"``, ``"RLIMIT_AS 6.0 GiB minus 2.1 GiB already mapped"``."""
    raise_limit: str = ""
    """For a budget that a process or container limit sets: how to raise that limit (else empty)."""


_UNLIMITED = 1 << 60  # a cgroup or rlimit at or above this is no limit (cgroup v1 writes 2**63 - 4096 for none)


def _read_int(path: str) -> int | None:
    """The integer in a one-line file, ``None`` for a missing or unreadable file or ``max``."""
    try:
        with open(path) as fh:
            text = fh.read().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _read_fields(path: str) -> dict[str, int]:
    """``key value`` (cgroup ``memory.stat``) or ``Key:  value kB`` (``/proc/self/status``) lines, in bytes."""
    out: dict[str, int] = {}
    try:
        with open(path) as fh:
            for line in fh:
                parts = line.replace(":", " ").split()
                if len(parts) >= 2 and parts[1].isdigit():
                    out[parts[0]] = int(parts[1]) * (1024 if parts[2:3] == ["kB"] else 1)
    except OSError:
        pass
    return out


def _rlimit_budgets() -> list[Budget]:
    """``RLIMIT_AS`` minus ``VmSize``, ``RLIMIT_DATA`` minus ``VmData``, for the soft limits that are set."""
    try:
        import resource
    except ImportError:  # pragma: no cover - non-POSIX
        return []
    out = []
    status = None
    for name, field, held, what in (("RLIMIT_AS", "VmSize", "already mapped", "address-space limit (`ulimit -v`"),
                                    ("RLIMIT_DATA", "VmData", "of data already mapped", "data limit (`ulimit -d`")):
        soft, _ = resource.getrlimit(getattr(resource, name))
        if soft == resource.RLIM_INFINITY or soft < 0 or soft >= _UNLIMITED:
            continue
        if status is None:
            status = _read_fields("/proc/self/status")
        used = status.get(field, 0)
        out.append(Budget(max(0, soft - used), f"{name} {format_bytes(soft)} minus {format_bytes(used)} {held}",
                          f"the {what}, or resource.setrlimit(resource.{name}, ...) up to its hard limit)"))
    return out


@functools.lru_cache(maxsize=1)
def _cgroup_dirs() -> list[tuple[str, str, str, str]]:
    """``(folder, limit file, usage file, inactive-file key)`` for this process's memory cgroups and their parents.

    Found once per process (a process rarely changes cgroup); the limits and the use are read at every check.
    """
    try:
        with open("/proc/self/cgroup") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        hid, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if hid == "0" and controllers == "":  # v2 (unified)
            roots, files = ("/sys/fs/cgroup", "/sys/fs/cgroup/unified"), ("memory.max", "memory.current",
                                                                          "inactive_file")
        elif "memory" in controllers.split(","):  # v1
            roots, files = ("/sys/fs/cgroup/memory",), ("memory.limit_in_bytes", "memory.usage_in_bytes",
                                                        "total_inactive_file")
        else:
            continue
        parts = [p for p in path.strip().split("/") if p]
        for root in roots:
            for i in range(len(parts), -1, -1):  # the own cgroup, then each parent up to the root of the mount
                d = "/".join([root, *parts[:i]])
                if os.path.exists(os.path.join(d, files[0])):
                    out.append((d, *files))
    return out


def _cgroup_budgets() -> list[Budget]:
    """Each memory cgroup limit that is set, minus what the cgroup uses now (its inactive file cache not counted)."""
    out = []
    for d, limit_file, usage_file, inactive in _cgroup_dirs():
        limit = _read_int(os.path.join(d, limit_file))
        if limit is None or limit >= _UNLIMITED:
            continue
        usage = _read_int(os.path.join(d, usage_file)) or 0
        usage = max(0, usage - _read_fields(os.path.join(d, "memory.stat")).get(inactive, 0))
        out.append(Budget(max(0, limit - usage),
                          f"the cgroup memory limit {format_bytes(limit)} ({os.path.join(d, limit_file)}) "
                          f"minus {format_bytes(usage)} in use",
                          "the container's (cgroup's) memory limit"))
    return out


def memory_budget(*, device: DeviceLike = None, max_bytes=None) -> Budget:
    """The memory budget now and where it comes from.

    In order: ``max_bytes`` (a function's argument), a :func:`max_bytes_budget`
    block, ``WORKBENCH_MAX_BYTES``, else the machine's: on the CPU the smallest
    of half the physical memory, the cgroup limit's headroom and the
    ``RLIMIT_AS`` / ``RLIMIT_DATA`` headroom (see the module docstring); on a
    CUDA device (``device=None``: :func:`workbench.device`) 90% of its free
    memory.
    """
    if max_bytes is not None:
        n = parse_bytes(max_bytes)
        return Budget(n, f"max_bytes={n:,} bytes")
    if _OVERRIDE:
        return Budget(_OVERRIDE[-1], "workbench.limits.max_bytes_budget(...)")
    env = os.environ.get(ENV_MAX_BYTES, "").strip()
    if env:
        return Budget(parse_bytes(env, ENV_MAX_BYTES), f"{ENV_MAX_BYTES}={env}")
    dev = resolve_device(device)
    if dev.type == "cuda":
        free, _ = torch.cuda.mem_get_info(dev)
        return Budget(int(0.9 * free), f"90% of the free memory of {dev} ({format_bytes(free)})")
    phys = _physical_bytes()
    budgets = [Budget(phys // 2, f"half the physical memory ({format_bytes(phys)})"),
               *_cgroup_budgets(), *_rlimit_budgets()]
    return min(budgets, key=lambda b: b.bytes)  # the first of equal ones: the physical rule


def default_max_bytes(*, device: DeviceLike = None) -> int:
    """The memory budget now, in bytes: :func:`memory_budget` without its source.

    A :func:`max_bytes_budget` block, else ``WORKBENCH_MAX_BYTES``, else the
    machine's: on the CPU the smallest of half the physical memory and what
    the cgroup limit and ``RLIMIT_AS`` / ``RLIMIT_DATA`` leave; on a CUDA
    device 90% of its free memory (``device=None``: :func:`workbench.device`).
    """
    return memory_budget(device=device).bytes


@contextlib.contextmanager
def max_bytes_budget(max_bytes) -> Iterator[int]:
    """Set the memory budget for the ``with`` block (bytes or a string like ``"40GiB"``)."""
    _OVERRIDE.append(parse_bytes(max_bytes))
    try:
        yield _OVERRIDE[-1]
    finally:
        _OVERRIDE.pop()


UNCHECKED_BYTES = 16 << 20
"""A request under this many bytes is not checked against the machine's own budget (it still is against
``max_bytes=``, :func:`max_bytes_budget` and ``WORKBENCH_MAX_BYTES``): reading the cgroup and process limits
costs about 0.4 ms, a tenth of a small measure's whole call (issue 29), and a process with less than 16 MiB
left fails in the next allocation whatever this guard says."""


def check_bytes(need: float, what: str, knob: str, *, max_bytes=None, device: DeviceLike = None) -> None:
    """Refuse (``ResourceLimitError``) when ``need`` bytes exceed the budget.

    ``what`` says what would be allocated ("the Jacobian of 20,000 points x
    66,000 parameters"), ``knob`` which argument makes it smaller
    ("pass fewer points or chunk_size=").  The message names the estimate,
    the budget, where the budget came from (:func:`memory_budget`) and both
    knobs.  A request under :data:`UNCHECKED_BYTES` passes without reading
    the machine's limits when no budget was set by hand.
    """
    if (need < UNCHECKED_BYTES and max_bytes is None and not _OVERRIDE
            and not os.environ.get(ENV_MAX_BYTES, "").strip()):
        return
    budget = memory_budget(device=device, max_bytes=max_bytes)
    if need > budget.bytes:
        raise ResourceLimitError(budget_message(need, what, knob, budget))


def budget_message(need: float, what: str, knob: str, budget: Budget) -> str:
    """The refusal: ``what`` would need ``need`` bytes, more than ``budget`` (and its source); turn ``knob``."""
    limit = (f" The budget is what a limit leaves, and a budget raised past it only moves the failure into the "
             f"allocator: raise {budget.raise_limit} first." if budget.raise_limit else "")
    return (f"{what} would need about {format_bytes(need)}, more than the memory budget of "
            f"{format_bytes(budget.bytes)} ({budget.source}); refused before allocating. "
            f"{knob[0].upper() + knob[1:]}, or raise the budget (max_bytes=, workbench.limits.max_bytes_budget(...) "
            f"or {ENV_MAX_BYTES}; see README 'Limits').{limit}")


def check_count(n: float, limit: float, what: str, knob: str) -> None:
    """Refuse (``ResourceLimitError``) when a count that sets the work (``n``) exceeds ``limit``."""
    if n > limit:
        raise ResourceLimitError(
            f"{what} would be about {n:,.0f}, more than the limit of {limit:,.0f}; refused before starting "
            f"(it would not finish in reasonable time or memory). {knob[0].upper() + knob[1:]}."
        )


# ---------------------------------------------------------------------------
# Time: the same knobs for long work (issue 28)
# ---------------------------------------------------------------------------
ENV_MAX_SECONDS = "WORKBENCH_MAX_SECONDS"
DEFAULT_MAX_SECONDS = 24 * 3600.0
"""The default time budget: work estimated (before it starts) to take longer than a day is refused."""
_SECONDS_OVERRIDE: list[float] = []
_TIME_UNITS = {"": 1.0, "s": 1.0, "sec": 1.0, "min": 60.0, "m": 60.0, "h": 3600.0, "hour": 3600.0,
               "hours": 3600.0, "d": 86400.0, "day": 86400.0, "days": 86400.0}


def parse_seconds(value, name: str = "max_seconds") -> float:
    """Seconds from a number or a string like ``"90s"``, ``"30min"``, ``"2h"``, ``"1d"``; ``inf``: no limit."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number of seconds or a string like '2h', got {value!r}")
    if isinstance(value, (int, float)):
        if not value == value or value <= 0:
            raise ValueError(f"{name} must be a positive number of seconds (float('inf') for no limit), "
                             f"got {value!r}")
        return float(value)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?|inf)\s*([A-Za-z]*)\s*", value)
        if m and m.group(2).lower() in _TIME_UNITS:
            t = float(m.group(1)) * _TIME_UNITS[m.group(2).lower()]
            if t > 0:
                return t
        raise ValueError(f"{name}={value!r} is not a duration; use seconds or a unit, e.g. '90s', '30min', '2h'")
    raise TypeError(f"{name} must be a number of seconds or a string like '2h', got {type(value).__name__}")


def format_seconds(t: float) -> str:
    """``t`` seconds as a short human string (``"3.2 h"``, ``"4.1e+06 years"``)."""
    if t != t:
        return "an unknown time"
    for unit, size in (("years", 365.25 * 86400), ("days", 86400), ("h", 3600), ("min", 60)):
        if t >= size:
            v = t / size
            return f"{v:,.1f} {unit}" if v < 1e6 else f"{v:.1e} {unit}"
    return f"{t:.2g} s"


def time_budget(*, max_seconds=None) -> tuple[float, str]:
    """The time budget in seconds and where it comes from: ``max_seconds`` (a function's argument), a
    :func:`max_seconds_budget` block, ``WORKBENCH_MAX_SECONDS``, else :data:`DEFAULT_MAX_SECONDS` (one day)."""
    if max_seconds is not None:
        t = parse_seconds(max_seconds)
        return t, f"max_seconds={max_seconds!r}"
    if _SECONDS_OVERRIDE:
        return _SECONDS_OVERRIDE[-1], "workbench.limits.max_seconds_budget(...)"
    env = os.environ.get(ENV_MAX_SECONDS, "").strip()
    if env:
        return parse_seconds(env, ENV_MAX_SECONDS), f"{ENV_MAX_SECONDS}={env}"
    return DEFAULT_MAX_SECONDS, "the default of one day"


@contextlib.contextmanager
def max_seconds_budget(max_seconds) -> Iterator[float]:
    """Set the time budget for the ``with`` block (seconds, a string like ``"2h"``, or ``float('inf')``)."""
    _SECONDS_OVERRIDE.append(parse_seconds(max_seconds))
    try:
        yield _SECONDS_OVERRIDE[-1]
    finally:
        _SECONDS_OVERRIDE.pop()


def check_seconds(need: float, what: str, knob: str, *, max_seconds=None) -> None:
    """Refuse (``ResourceLimitError``) when work estimated at ``need`` seconds exceeds the time budget.

    The message names the estimate (``what`` says how it was made), the budget
    and its source, ``knob`` (the argument that makes the work smaller) and the
    three ways to raise the budget, as :func:`check_bytes` does for memory.
    """
    budget, source = time_budget(max_seconds=max_seconds)
    if need > budget:
        raise ResourceLimitError(
            f"{what} would take about {format_seconds(need)}, more than the time budget of "
            f"{format_seconds(budget)} ({source}); refused before starting. {knob[0].upper() + knob[1:]}, or raise "
            f"the budget (max_seconds=, workbench.limits.max_seconds_budget(...) or {ENV_MAX_SECONDS}; "
            "float('inf') for no limit)."
        )
