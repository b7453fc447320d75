"""Synthetic data sets: random-noise images with random labels, random points to fit."""
from __future__ import annotations

import math

import torch

from workbench._runtime import SeedLike, check_seed, generator
from workbench.data.dataset import Dataset, _positive
from workbench.limits import check_bytes
from workbench.validation import check_real


def noise_images(
    n: int = 1000, shape: tuple[int, ...] = (28, 28), n_classes: int = 10, *, seed: SeedLike = 0
) -> Dataset:
    """Random-noise images with random labels (ESD paper §5.1: 1,000 images of 28x28, ten classes).

    Pixels are i.i.d. uniform on [0, 1]; labels uniform on ``0..n_classes-1``.
    """
    n = _positive("n", n)
    n_classes = _positive("n_classes", n_classes)
    try:
        shape = tuple(_positive(f"shape[{i}]", s) for i, s in enumerate(shape))
    except TypeError as exc:
        if "shape[" in str(exc):
            raise
        raise TypeError(f"shape must be a tuple of positive ints like (28, 28), got {shape!r}") from None
    check_seed(seed)
    check_bytes(n * math.prod(shape) * 4, f"{n:,} noise images of shape {shape}", "pass a smaller n")
    g = generator(seed)
    X = torch.rand((n, *shape), generator=g)
    y = torch.randint(0, n_classes, (n,), generator=g)
    return Dataset(X, y, f"noise images {shape}", "synthetic (uniform noise, random labels)", n_classes)


def random_points(
    n: int = 8, dim: int = 1, *, low: float = -1.0, high: float = 1.0, seed: SeedLike = 0
) -> Dataset:
    """``n`` random points to fit: inputs uniform on ``[low, high]^dim``, targets uniform on ``[low, high]``.

    The regression task of ESD paper §4.1 (Fig. 3 fits 8 random points).
    """
    n = _positive("n", n)
    dim = _positive("dim", dim)
    low, high = check_real("low", low), check_real("high", high)
    if not high > low:
        raise ValueError(f"need low < high, got [{low}, {high}]")
    check_seed(seed)
    check_bytes(n * (dim + 1) * 4, f"{n:,} random points in {dim:,} dimensions", "pass a smaller n or dim")
    g = generator(seed)
    X = low + (high - low) * torch.rand((n, dim), generator=g)
    y = low + (high - low) * torch.rand((n, 1), generator=g)
    return Dataset(X, y, f"{n} random points in {dim}-D", "synthetic (uniform)", None)
