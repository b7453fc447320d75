"""Linear-region counts vs depth and width, and a network's partition layer by layer.

Paper: Raghu et al. (2017), the regions figure and Theorem 1 (the bound of Hanin & Rolnick 2019 as
cited in Johansson 2022 is drawn beside it).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from workbench._runtime import DeviceLike, SeedLike, int_seed
from workbench.experiments.presets import Presets
from workbench.measures.bounds import region_upper_bound
from workbench.measures.partition import Partition, partition_2d, regions_on_line
from workbench.nets.multilayer import MLP, mlp

__all__ = [
    "RegionCountConfig",
    "REGION_COUNT_PRESETS",
    "region_count_sweep",
    "layerwise_partitions",
]


# ---------------------------------------------------------------------------
# Region counts vs depth and width
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RegionCountConfig(Presets):
    """A grid of random 2-D-input MLPs whose exact region counts are compared with the bounds."""

    widths: tuple[int, ...] = (4, 8, 16)
    depths: tuple[int, ...] = (1, 2, 3, 4)
    activation: str = "relu"
    init: str = "gaussian"
    sigma_w2: float = 2.0
    sigma_b2: float = 0.1
    n_seeds: int = 3
    bounds: tuple[float, float, float, float] = (-1.0, 1.0, -1.0, 1.0)
    max_regions: int = 1_000_000

    @classmethod
    def smoke(cls, **overrides) -> RegionCountConfig:
        return replace(REGION_COUNT_PRESETS["smoke"], **overrides)

    @classmethod
    def full(cls, **overrides) -> RegionCountConfig:
        return replace(REGION_COUNT_PRESETS["full"], **overrides)


REGION_COUNT_PRESETS = {
    "smoke": RegionCountConfig(widths=(4, 8, 16), depths=(1, 2, 3), n_seeds=2),
    "full": RegionCountConfig(widths=(4, 8, 16, 32), depths=(1, 2, 3, 4, 5, 6), n_seeds=5),
}


def region_count_sweep(config: RegionCountConfig = RegionCountConfig(), *, seed: SeedLike = 0,
                       device: DeviceLike = None, progress: bool = True, client=None, store=None) -> pd.DataFrame:
    """Exact region counts in the square for every (width, depth, seed).

    Columns: ``width, depth, seed, neurons, regions, raghu_bound`` (Raghu et al.
    2017, Theorem 1, hyperplane-arrangement product bound, :func:`region_upper_bound`),
    ``line_regions`` (regions crossed by the segment ``y = 0``, exact) and
    ``per_length`` (``line_regions`` divided by the segment's length: Hanin & Rolnick
    2019 predict about ``neurons`` at initialisation), ``seconds``.
    ``client``, ``store``: see :func:`workbench.experiments.distributed.run_cells`.
    """
    import time
    from dataclasses import asdict

    from workbench.experiments.distributed import run_cells

    base = int_seed(seed)
    grid = [dict(width=w, depth=d, seed=s) for w in config.widths for d in config.depths for s in range(config.n_seeds)]
    u0, u1 = config.bounds[0], config.bounds[1]
    kw = dict(sigma_w2=config.sigma_w2, sigma_b2=config.sigma_b2) if config.init == "gaussian" else {}

    def cell(c):
        w, d, s = c["width"], c["depth"], c["seed"]
        net = mlp([2] + [w] * d + [1], config.activation, init=config.init, seed=base + 1000 * d + 17 * w + s, **kw)
        t = time.perf_counter()
        P = partition_2d(net, config.bounds, device=device, max_regions=config.max_regions)
        dt = time.perf_counter() - t
        on_line = regions_on_line(P, 0.5 * (config.bounds[2] + config.bounds[3]))
        return dict(width=w, depth=d, seed=s, neurons=w * d, regions=len(P),
                    raghu_bound=region_upper_bound([w] * d, 2, config.activation),
                    line_regions=on_line, per_length=on_line / (u1 - u0), seconds=dt)

    sweep = dict(name="region_count_sweep", base_seed=base, **{k: v for k, v in asdict(config).items()
                                                               if k not in ("widths", "depths", "n_seeds")})
    df = run_cells(cell, grid, client=client, store=store, sweep=sweep, desc="region counts", progress=progress)
    df["activation"] = config.activation
    df["sigma_w2"] = config.sigma_w2
    return df


def layerwise_partitions(net: MLP, bounds=(-1.0, 1.0, -1.0, 1.0), *, upto: int | None = None,
                         device: DeviceLike = None) -> list[Partition]:
    """Partitions after layer 1, layers 1-2, ..., for Raghu et al.'s regions figure.

    The maps ``W, b`` of each partition are those of its last hidden layer, except
    for the full network, whose maps are the output's.
    """
    n = net.n_hidden if upto is None else min(upto, net.n_hidden)
    # the last one with layers=None, so that its W_R, b_R are the network output's maps
    return [partition_2d(net, bounds, layers=None if l == net.n_hidden else l, device=device)
            for l in range(1, n + 1)]
