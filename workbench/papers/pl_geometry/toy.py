"""A 2-D toy problem trained with a snapshot per epoch: rank, slope and the exact partition over training.

Backs the notebook's panel (Johansson 2022 §2.2 and Papers II/IV on a problem one
can draw): :func:`toy_run` trains a small ReLU MLP on two interleaved moons through
:func:`workbench.training.fit`, records the rank of ``W_R`` (exact and eq. 2.3) and
the exact slope at the data points after every epoch, and keeps the weights of
every epoch so that :meth:`ToyRun.partition_at` can draw the regions at any epoch.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch
from torch import nn

from workbench._runtime import DeviceLike, SeedLike, int_seed
from workbench.experiments.presets import validate_fields
from workbench.measures.affine import local_rank
from workbench.measures.partition import Partition, partition_2d
from workbench.measures.slope import SlopePenalty, slope
from workbench.nets.multilayer import mlp
from workbench.training import FitConfig, fit
from workbench.validation import check_real

__all__ = ["ToyConfig", "ToyRun", "toy_run", "toy_data", "TOY_BOUNDS"]

TOY_BOUNDS = (-2.0, 3.0, -1.5, 2.0)
"""The square the toy partitions are drawn on (covers both moons)."""


def toy_data(n: int = 300, *, noise: float = 0.15, seed: SeedLike = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Two interleaved moons (scikit-learn ``make_moons``), ``n`` points, float32 and int64 labels."""
    from sklearn.datasets import make_moons

    if isinstance(n, bool) or not isinstance(n, int) or n < 4:
        raise ValueError(f"n must be an int >= 4, got {n!r}")
    check_real("noise", noise, min=0.0)
    X, y = make_moons(n, noise=noise, random_state=int_seed(seed) % (2**32))
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.int64)


@dataclass(frozen=True)
class ToyConfig:
    """One toy run: ``depth`` hidden layers of ``width`` ReLUs, SGD at ``lr`` (momentum 0.9),
    full batch, ``penalty`` the strength of the power-iteration slope penalty (0: none)."""

    width: int = 16
    depth: int = 2
    lr: float = 0.1
    penalty: float = 0.0
    epochs: int = 60
    n_points: int = 300
    batch_size: int | None = 50
    seed: int = 0

    def __post_init__(self):
        validate_fields(self)
        for name in ("width", "depth", "epochs", "n_points"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"ToyConfig.{name} must be a positive int, got {v!r}")
        if not (isinstance(self.lr, (int, float)) and math.isfinite(self.lr) and 0 < self.lr <= 1e30):
            raise ValueError(f"ToyConfig.lr must be a number in (0, 1e30] (float32 weights), got {self.lr!r}")
        if not (isinstance(self.penalty, (int, float)) and math.isfinite(self.penalty) and self.penalty >= 0):
            raise ValueError(f"ToyConfig.penalty must be a finite number >= 0, got {self.penalty!r}")


@dataclass
class ToyRun:
    """A trained toy run: ``history`` (fit's table plus ``rank_mean, identity_rank_mean, slope_q50,
    slope_q90``), ``states`` (epoch -> state_dict), the data and the config."""

    history: pd.DataFrame
    states: dict[int, dict]
    X: torch.Tensor
    y: torch.Tensor
    config: ToyConfig
    net: nn.Module = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        return self.history.copy()

    @property
    def diverged(self) -> bool:
        return bool(self.history["diverged"].any())

    @property
    def epochs(self) -> list[int]:
        """Epochs with a snapshot (a diverged run has none after its last finite epoch)."""
        return sorted(self.states)

    def nearest_epoch(self, epoch: int) -> int:
        """The snapshot epoch closest to ``epoch`` (the last finite one beyond a divergence)."""
        eps = np.array(self.epochs)
        return int(eps[np.abs(eps - epoch).argmin()])

    def net_at(self, epoch: int) -> nn.Module:
        """A copy of the network with the weights of ``epoch`` (see :meth:`nearest_epoch`)."""
        net = copy.deepcopy(self.net)
        net.load_state_dict(self.states[self.nearest_epoch(epoch)])
        return net.eval()

    def partition_at(self, epoch: int, *, bounds=TOY_BOUNDS, max_regions: int = 200_000) -> Partition:
        """The exact partition of the square at ``epoch`` (:func:`workbench.partition_2d`)."""
        return partition_2d(self.net_at(epoch), bounds=bounds, max_regions=max_regions, progress=False)


def toy_run(config: ToyConfig = ToyConfig(), *, device: DeviceLike = None) -> ToyRun:
    """Train the toy network of ``config``; a diverged run comes back with ``diverged=True`` rows."""
    X, y = toy_data(config.n_points, seed=config.seed)
    net = mlp([2] + [config.width] * config.depth + [2], "relu", seed=config.seed)
    states: dict[int, dict] = {}

    def on_epoch(epoch, model):
        states[epoch] = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        r = local_rank(model, X)
        s = slope(model, X).cpu()
        return dict(rank_mean=float(r.rank.double().mean()), identity_rank_mean=float(r.identity_rank.double().mean()),
                    slope_q50=float(s.median()), slope_q90=float(torch.quantile(s, 0.9)))

    pen = SlopePenalty(config.penalty, iters=1, seed=config.seed) if config.penalty > 0 else None
    cfg = FitConfig(epochs=config.epochs, batch_size=config.batch_size, lr=float(config.lr), momentum=0.9)
    hist = fit(net, (X, y), cfg, penalty=pen, on_epoch=on_epoch, seed=config.seed, device=device,
               progress=False)  # the training panel calls this: its status line reports, not a tqdm bar
    return ToyRun(hist, states, X, y, config, net.cpu())
