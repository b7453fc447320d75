"""Tiny timing helpers shared by the benchmark scripts."""
from __future__ import annotations

import platform
import statistics
import time
from datetime import datetime, timezone

import torch


def sync(device: torch.device | str | None = None) -> None:
    if torch.cuda.is_available() and (device is None or torch.device(device).type == "cuda"):
        torch.cuda.synchronize()


def median_time(fn, *, repeats: int = 5, warmup: int = 1, device=None) -> tuple[float, list[float]]:
    """Median wall time of ``fn()`` in seconds over ``repeats`` runs (after ``warmup``)."""
    for _ in range(warmup):
        fn()
    sync(device)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        sync(device)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def median_run(fn, repeats: int):
    """``fn()`` run ``repeats`` times, no warm-up: ``(median seconds, every time, the last result)``."""
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, out


def machine() -> str:
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return (f"{platform.machine()}, {torch.get_num_threads()} torch threads, {gpu}, "
            f"Python {platform.python_version()}, torch {torch.__version__}, "
            f"{datetime.now(timezone.utc):%Y-%m-%d}")
