"""The 1-D function x -> f(x) of random networks (the tour notebook)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import torch

from workbench._runtime import DeviceLike, SeedLike, int_seed
from workbench.nets import mlp_ensemble

__all__ = ["FunctionConfig", "function_1d"]


@dataclass(frozen=True)
class FunctionConfig:
    """Architecture of a random 1-D network family."""

    width: int = 16
    depth: int = 3
    activation: str = "relu"
    init: str = "gaussian"
    sigma_w2: float = 2.0
    sigma_b2: float = 0.1

    @property
    def widths(self) -> list[int]:
        return [1] + [self.width] * self.depth + [1]


def function_1d(
    config: FunctionConfig = FunctionConfig(),
    *,
    n_seeds: int = 4,
    n_points: int = 1001,
    x_range: tuple[float, float] = (-2.0, 2.0),
    seed: SeedLike = 0,
    device: DeviceLike = None,
) -> pd.DataFrame:
    """Evaluate ``n_seeds`` random networks on a grid of ``n_points`` in ``x_range``.

    All networks run in one batched call (:func:`workbench.mlp_ensemble`).
    Returns a tidy table with columns ``seed, x, y`` plus the configuration.
    """
    if n_points < 2:
        raise ValueError(f"n_points must be at least 2, got {n_points}")
    lo, hi = x_range
    if not hi > lo:
        raise ValueError(f"x_range must be increasing, got {x_range}")
    kw = {}
    if config.init == "gaussian":
        kw = dict(sigma_w2=config.sigma_w2, sigma_b2=config.sigma_b2)
    ens = mlp_ensemble(config.widths, n_seeds, config.activation, init=config.init, seed=int_seed(seed), device=device,
                       **kw)
    x = torch.linspace(lo, hi, n_points, device=ens.device).unsqueeze(1)
    with torch.no_grad():
        y = ens(x)[..., 0].cpu()
    xs = x[:, 0].cpu()
    frames = [pd.DataFrame({"seed": s, "x": xs.numpy(), "y": y[i].numpy()}) for i, s in enumerate(ens.seeds)]
    df = pd.concat(frames, ignore_index=True)
    for k, v in vars(config).items():
        df[k] = v
    return df
