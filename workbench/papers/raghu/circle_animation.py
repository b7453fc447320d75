"""The circle through the layers: animation data for Raghu et al. (2017), Fig. 3.

A great circle ``x(t) = cos t x0 + sin t x1`` in input space is pushed through every layer of one random network
(:func:`circle_through_layers`); each layer's image is projected to 2-D by PCA of that layer's own image, with a
fixed sign so that animation frames do not flip.  Its length grows with depth as Theorem 3 (trajectory length
growth) predicts, which :mod:`workbench.papers.raghu.trajectories` measures over many networks; that module also
draws its circles' planes with :func:`_plane` from here, and re-exports this module's names.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch

from workbench._runtime import DeviceLike, SeedLike, generator, int_seed
from workbench.measures.paths import circle, layer_images, trajectory_length
from workbench.nets import mlp

__all__ = ["LayerTrajectory", "circle_through_layers"]


def _plane(dim: int, seed: SeedLike, n: int = 1):
    """Two random Gaussian vectors of norm sqrt(dim) (x0, x1) spanning the circle's plane."""
    g = generator(seed)
    x = torch.randn(2, n, dim, generator=g)
    return x[0].squeeze(0), x[1].squeeze(0)


@dataclass(frozen=True)
class LayerTrajectory:
    """A circle's image at every layer with a 2-D projection per layer (Raghu et al. 2017, Fig. 3).

    ``images``: list of arrays ``(n_points, width)`` (input, hidden layers,
    output); ``projected``: list of ``(n_points, 2)``; ``lengths``: array
    ``(n_layers,)``; ``explained``: fraction of variance the 2-D projection
    keeps per layer; ``projection``: how the projection was made (stated in
    the plots); plus the network's description.
    """

    images: list
    projected: list
    lengths: np.ndarray
    explained: np.ndarray
    t: np.ndarray
    activation: str
    widths: tuple
    sigma_w2: float
    sigma_b2: float
    seed: int
    projection: str = field(default="PCA of each layer's own image (top 2 components, sign fixed so the "
                                     "point at t=0 has positive coordinates)")

    @property
    def n_layers(self) -> int:
        return len(self.images)

    def to_frame(self) -> pd.DataFrame:
        """One row per (layer, point): ``layer, layer_name, point, t, x, y`` (the 2-D projection),
        ``length`` and ``explained`` of that layer."""
        n = len(self.t)
        frames = [pd.DataFrame({"layer": i, "layer_name": self.layer_name(i), "point": np.arange(n), "t": self.t,
                                "x": p[:, 0], "y": p[:, 1], "length": float(self.lengths[i]),
                                "explained": float(self.explained[i])})
                  for i, p in enumerate(self.projected)]
        return pd.concat(frames, ignore_index=True)

    def layer_name(self, i: int) -> str:
        if i == 0:
            return "input"
        if i == len(self.images) - 1:
            return "output"
        return f"hidden layer {i}"

    def __repr__(self) -> str:
        return (f"LayerTrajectory({self.activation} network {list(self.widths)}, σ_w² = {self.sigma_w2:g}, "
                f"{len(self.images)} layers x {len(self.t)} points, seed {self.seed})")


def _pca_2d(Z: np.ndarray) -> tuple[np.ndarray, float]:
    """Top-2 PCA coordinates with a deterministic sign (point 0 on the positive side).

    From the eigendecomposition of the smaller Gram matrix (``d x d`` or ``n x n``)
    rather than an SVD of ``Z``: the same top-2 subspace for a picture, and 10-100x
    cheaper (a 200 x 100 SVD took 0.3-1.1 s with two BLAS threads on a loaded 2-core CPU,
    which was most of the trajectory panel's refinement time).
    """
    Zc = Z - Z.mean(0, keepdims=True)
    if Z.shape[1] == 1:
        P = np.concatenate([Zc, np.zeros_like(Zc)], 1)
        return P, 1.0
    n, d = Zc.shape
    scale = float(np.abs(Zc).max()) or 1.0  # scale first: the Gram matrix squares the values
    Zs = Zc / scale
    if d <= n:
        lam, V = np.linalg.eigh(Zs.T @ Zs)  # ascending
        lam, V = lam[::-1], V[:, ::-1]
        P = Zs @ V[:, :2] * scale
    else:
        lam, U = np.linalg.eigh(Zs @ Zs.T)
        lam, U = lam[::-1], U[:, ::-1]
        P = U[:, :2] * np.sqrt(np.clip(lam[:2], 0, None)) * scale
    lam = np.clip(lam, 0, None)
    if P.shape[1] < 2:
        P = np.concatenate([P, np.zeros((len(P), 1))], 1)
    P = np.ascontiguousarray(P)
    for j in range(2):
        ref = P[0, j] if abs(P[0, j]) > 1e-12 * scale else P[np.argmax(np.abs(P[:, j])), j]
        if ref < 0:
            P[:, j] = -P[:, j]
    tot = float(lam.sum())
    return P, float(lam[:2].sum() / tot) if tot > 0 else 1.0


def circle_through_layers(widths=(32, 100, 100, 100, 100, 100, 100, 2), activation: str = "tanh", *,
                          sigma_w2: float = 4.0, sigma_b2: float = 0.0, n_points: int = 400, seed: SeedLike = 0,
                          x0=None, x1=None, device: DeviceLike = None) -> LayerTrajectory:
    """The circle ``cos t x0 + sin t x1`` through every layer of a network, projected to 2-D.

    ``widths`` is either a network (a ``workbench.mlp``, like the neighbouring measures take; then
    ``activation``, ``sigma_w2`` and ``sigma_b2`` are the network's own and the arguments are ignored) or the
    widths of a random ``mlp(widths, activation, init="gaussian", sigma_w2=..., sigma_b2=..., seed=seed)``.
    Each layer's image is projected by PCA of that layer's own image (one
    projection per layer, fixed across animation frames; sign fixed so frames
    do not flip).  Raghu et al. (2017) Fig. 3 uses a tanh network of width 100.
    """
    seed = int_seed(seed)  # an int or a torch.Generator
    if isinstance(widths, torch.nn.Module):
        net = widths
        if not hasattr(net, "widths"):
            raise TypeError("circle_through_layers takes a workbench.mlp network or a list of widths, got "
                            f"{type(net).__name__}; for other networks use workbench.measures.paths.layer_images")
        widths, activation = tuple(net.widths), str(getattr(net, "activation", activation))
        sigma_w2 = sigma_b2 = float("nan")  # a given network's initialisation is not known here
    else:
        widths = tuple(int(w) for w in widths)
        net = mlp(list(widths), activation, init="gaussian", sigma_w2=sigma_w2, sigma_b2=sigma_b2, seed=seed)
    if x0 is None or x1 is None:
        x0, x1 = _plane(widths[0], seed + 10_000)
    x0, x1 = torch.as_tensor(x0, dtype=torch.float32), torch.as_tensor(x1, dtype=torch.float32)
    X = circle(x0, x1, n_points)
    imgs = [z.double().cpu() for z in layer_images(net, X, device=device)]
    lengths = trajectory_length(imgs).numpy()
    arrs = [z.numpy() for z in imgs]
    proj, expl = zip(*[_pca_2d(a) for a in arrs])
    t = np.arange(n_points) * 2 * np.pi / n_points
    return LayerTrajectory(images=arrs, projected=list(proj), lengths=lengths, explained=np.array(expl), t=t,
                           activation=activation, widths=widths, sigma_w2=float(sigma_w2), sigma_b2=float(sigma_b2),
                           seed=int(seed))
