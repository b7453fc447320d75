"""Small convolutional networks for the bundled 8x8 digits.

:func:`small_convnet` is the conv net of the trajectory-regularisation
experiment (Raghu et al. 2017, §5: batch norm, its replacement by
:class:`~workbench.nets.trajreg.TrajectoryRegularization`, or nothing).
"""
from __future__ import annotations

import torch
from torch import nn

from workbench._runtime import SeedLike, int_seed
from workbench.nets.trajreg import TrajectoryRegularization

__all__ = ["CONV_NORMS", "small_convnet"]

CONV_NORMS = ("none", "batchnorm", "trajreg")
"""The ``norm`` choices of :func:`small_convnet`."""


def small_convnet(norm: str = "none", *, channels: tuple[int, int] = (16, 32), seed: SeedLike = 0) -> nn.Sequential:
    """A small conv net for 1x8x8 digits: [conv3x3 -> norm -> relu] x 2 -> avgpool 2 -> linear(10).

    ``norm`` is ``"none"``, ``"batchnorm"`` or ``"trajreg"``
    (:class:`TrajectoryRegularization` where the batch norm would be).
    Parameters are PyTorch's default init drawn from ``seed`` inside
    ``torch.random.fork_rng``: the same numbers as ``torch.manual_seed(seed)``
    followed by the constructors, but the caller's global RNG state is left
    as it was.
    """
    if norm not in CONV_NORMS:
        raise ValueError(f"norm must be 'none', 'batchnorm' or 'trajreg', got {norm!r}")
    if len(channels) != 2 or any(isinstance(c, bool) or not isinstance(c, int) or c < 1 for c in channels):
        raise ValueError(f"channels must be two positive ints, got {channels!r}")
    c1, c2 = channels

    def nrm(c):
        if norm == "batchnorm":
            return nn.BatchNorm2d(c)
        return TrajectoryRegularization() if norm == "trajreg" else nn.Identity()

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int_seed(seed))
        return nn.Sequential(nn.Conv2d(1, c1, 3, padding=1), nrm(c1), nn.ReLU(),
                             nn.Conv2d(c1, c2, 3, padding=1), nrm(c2), nn.ReLU(),
                             nn.AvgPool2d(2), nn.Flatten(), nn.Linear(c2 * 16, 10))
