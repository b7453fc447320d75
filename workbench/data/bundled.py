"""The data sets that ship offline with scikit-learn: the 8x8 digits and the breast-cancer table."""
from __future__ import annotations

import torch

from workbench._runtime import SeedLike
from workbench.data.dataset import Dataset, _subset


def digits(n: int | None = None, *, flatten: bool = True, seed: SeedLike = 0) -> Dataset:
    """scikit-learn's bundled 8x8 digits (1,797 images, 10 classes), pixels scaled to [0, 1].

    ``flatten=False`` gives shape ``(n, 1, 8, 8)`` for conv nets; ``n`` takes a
    seeded random subset.
    """
    from sklearn.datasets import load_digits

    d = load_digits()
    X = torch.tensor(d.data, dtype=torch.float32) / 16.0
    if not flatten:
        X = X.reshape(-1, 1, 8, 8)
    y = torch.tensor(d.target, dtype=torch.int64)
    X, y = _subset(X, y, n, seed)
    return Dataset(X, y, "digits", "scikit-learn load_digits (bundled)", 10)


def breast_cancer(n: int | None = None, *, seed: SeedLike = 0) -> Dataset:
    """scikit-learn's bundled breast-cancer table (569 samples, 30 features, 2 classes), features standardised.

    A second real data set that ships offline (tabular, not images), for
    experiments that want one beside the digits.
    """
    from sklearn.datasets import load_breast_cancer

    d = load_breast_cancer()
    X = torch.tensor(d.data, dtype=torch.float32)
    X = (X - X.mean(0)) / X.std(0)
    y = torch.tensor(d.target, dtype=torch.int64)
    X, y = _subset(X, y, n, seed)
    return Dataset(X, y, "breast cancer", "scikit-learn load_breast_cancer (bundled)", 2)
