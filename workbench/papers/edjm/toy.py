"""The bridge from Wang et al. (2016)'s EDJM to the partitions notebook: a 2-D toy problem.

A small ReLU network trained on two half-moons (:func:`toy_2d`) is measured three ways (:func:`toy_regions`):
its exact linear regions in the square (:func:`workbench.partition_2d`, Raghu et al. 2017), its EDJM on the data
(Wang et al. 2016: the data Jacobian matrices of the data points, stacked) and how many distinct data Jacobian
matrices the data visit (:func:`workbench.distinct_djms`, against ``2^H``).

:mod:`workbench.papers.edjm.recipes` re-exports every name here.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from torch import nn

from workbench._runtime import DeviceLike, SeedLike, int_seed
from workbench.data import Dataset
from workbench.measures.edjm import EDJM, edjm
from workbench.training import FitConfig, accuracy, fit
from workbench.validation import check_real

__all__ = ["toy_2d", "ToyRegions", "toy_regions"]


def toy_2d(n: int = 400, *, noise: float = 0.15, seed: SeedLike = 0) -> Dataset:
    """Two interleaved half-moons in ``[-0.95, 0.95]^2`` (scikit-learn's ``make_moons``, centred and scaled)."""
    from sklearn.datasets import make_moons

    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an int >= 2, got {n!r}")
    check_real("noise", noise, min=0.0)
    X, y = make_moons(n, noise=noise, random_state=int_seed(seed) % (2 ** 32))
    X = X - X.mean(0)
    X = 0.95 * X / np.abs(X).max()  # inside the square that the partition covers
    return Dataset(torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.int64), "two moons",
                   "scikit-learn make_moons (synthetic)", 2)


@dataclass
class ToyRegions:
    """A trained 2-D ReLU net: its exact partition of ``[-1, 1]^2``, its EDJM on the data and the DJM count."""

    partition: object
    edjm: EDJM
    count: object
    data: Dataset
    train_acc: float
    net: nn.Module

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([dict(regions_in_square=len(self.partition), distinct_djms_on_data=
                                  self.count.distinct_matrices, distinct_patterns_on_data=self.count.distinct_patterns,
                                  hidden_units=self.count.hidden_units, n=self.count.n, score=self.edjm.score,
                                  train_acc=self.train_acc)])


def toy_regions(width: int = 8, depth: int = 2, *, epochs: int = 60, lr: float = 0.05, n: int = 400,
                seed: SeedLike = 0, device: DeviceLike = None) -> ToyRegions:
    """Train ``2 -> width^depth -> 2`` (ReLU) on :func:`toy_2d` and measure it three ways.

    The distinct local linear maps of the network are its regions
    (:func:`workbench.partition_2d`); the EDJM stacks the DJMs of the data
    points, which lie in some of those regions; :func:`workbench.distinct_djms`
    counts how many different ones the data visit, against ``2^H``.
    """
    from workbench.measures.edjm import distinct_djms
    from workbench.measures.partition import partition_2d
    from workbench.nets.multilayer import mlp

    data = toy_2d(n, seed=seed)
    net = mlp([2] + [int(width)] * int(depth) + [2], "relu", seed=int_seed(seed))
    fit(net, data, FitConfig(epochs=epochs, batch_size=50, lr=lr, momentum=0.9, eval_every=max(1, epochs)),
        seed=seed, device=device, progress=False)  # panels call this: their status line reports, not tqdm
    acc = accuracy(net, data.X, data.y, device=device)
    part = partition_2d(net, (-1.0, 1.0, -1.0, 1.0), device=device, progress=False)
    return ToyRegions(part, edjm(net, data.X, device=device), distinct_djms(net, data.X, device=device), data, acc,
                      net)
