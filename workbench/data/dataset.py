"""The :class:`Dataset` tensors pair, the data errors and the local data folder (:func:`data_dir`)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import torch

from workbench._runtime import SeedLike, check_seed, generator
from workbench.validation import check_int, check_real

ENV_DATA = "WORKBENCH_DATA"


class DataNotFoundError(FileNotFoundError):
    """A data set's files are not in the local data folder.

    ``folder`` is the folder the loader looked in and ``command`` the command
    line that fetches the set (both ``None`` where not known).
    """

    def __init__(self, message: str, *, folder: Path | None = None, command: str | None = None):
        super().__init__(message)
        self.folder = folder
        self.command = command


class DataDownloadError(OSError):
    """A download failed: the server was unreachable or closed early, or a file did not match its checksum.

    Nothing of a failed download is left in the data folder.
    """


class DataFormatError(ValueError):
    """A local data file is there but is not in the expected format (corrupt, truncated, another file)."""


@dataclass(frozen=True)
class Dataset:
    """A data set as tensors.

    ``X`` is float32 of shape ``(n, *feature_shape)``, ``y`` int64 labels (or
    float targets for regression sets), ``name`` says what it is and
    ``source`` where it came from.
    """

    X: torch.Tensor
    y: torch.Tensor
    name: str
    source: str
    n_classes: int | None = None

    def __len__(self) -> int:
        return int(self.X.shape[0])

    def __repr__(self) -> str:
        classes = f", {self.n_classes} classes" if self.n_classes is not None else ""
        return (f"Dataset({self.name!r}: {len(self):,} samples of shape {tuple(self.X.shape[1:])}{classes}, "
                f"from {self.source})")

    def flat(self) -> torch.Tensor:
        """``X`` with every sample flattened to a vector."""
        return self.X.reshape(len(self), -1)

    def split(self, n_train: int | float = 0.8, *, seed: SeedLike = 0) -> tuple[Dataset, Dataset]:
        """A seeded random split into (train, test)."""
        n = len(self)
        check_seed(seed)
        if isinstance(n_train, float):
            check_real("n_train", n_train, min=0.0, max=1.0, min_open=True, max_open=True)
            k = int(round(n_train * n))
        else:
            k = check_int("n_train", n_train)
        if not 0 < k < n:
            raise ValueError(f"n_train={n_train} leaves an empty split of {n} samples")
        perm = torch.randperm(n, generator=generator(seed))
        a, b = perm[:k], perm[k:]
        def mk(idx, tag):
            return Dataset(self.X[idx], self.y[idx], f"{self.name} ({tag})", self.source, self.n_classes)

        return mk(a, "train"), mk(b, "test")


def data_dir() -> Path:
    """The local data folder: ``$WORKBENCH_DATA`` or (unset or empty) ``~/.cache/workbench/data``."""
    return Path(os.environ.get(ENV_DATA, "").strip() or "~/.cache/workbench/data").expanduser()


def _positive(name: str, value) -> int:
    v = check_int(name, value)
    if v < 1:
        raise ValueError(f"{name} must be positive, got {v}")
    return v


def _subset(X: torch.Tensor, y: torch.Tensor, n: int | None, seed: SeedLike):
    check_seed(seed)
    if n is not None:
        n = _positive("n", n)
    if n is None or n >= len(X):
        return X, y
    idx = torch.randperm(len(X), generator=generator(seed))[:n]
    return X[idx], y[idx]
