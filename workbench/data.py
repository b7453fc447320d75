"""Data sets: bundled digits, synthetic sets, and local MNIST / Fashion-MNIST / CIFAR-10.

Nothing here downloads.  The real image sets are read by torchvision from the
folder ``WORKBENCH_DATA`` (default ``~/.cache/workbench/data``) in their usual
on-disk layouts:

* MNIST: ``<root>/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte``
* Fashion-MNIST: ``<root>/FashionMNIST/raw/`` with the same four file names
* CIFAR-10: ``<root>/cifar-10-batches-py/{data_batch_1..5,test_batch,batches.meta}``
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ._runtime import SeedLike, generator

__all__ = [
    "Dataset", "DataNotFoundError", "data_dir", "digits", "noise_images", "random_points",
    "mnist", "fashion_mnist", "cifar10", "breast_cancer", "load",
]

ENV_DATA = "WORKBENCH_DATA"


class DataNotFoundError(FileNotFoundError):
    """A data set's files are not in the local data folder."""


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

    def flat(self) -> torch.Tensor:
        """``X`` with every sample flattened to a vector."""
        return self.X.reshape(len(self), -1)

    def split(self, n_train: int | float = 0.8, *, seed: SeedLike = 0) -> tuple[Dataset, Dataset]:
        """A seeded random split into (train, test)."""
        n = len(self)
        k = int(round(n_train * n)) if isinstance(n_train, float) else int(n_train)
        if not 0 < k < n:
            raise ValueError(f"n_train={n_train} leaves an empty split of {n} samples")
        perm = torch.randperm(n, generator=generator(seed))
        a, b = perm[:k], perm[k:]
        def mk(idx, tag):
            return Dataset(self.X[idx], self.y[idx], f"{self.name} ({tag})", self.source, self.n_classes)

        return mk(a, "train"), mk(b, "test")


def data_dir() -> Path:
    """The local data folder: ``$WORKBENCH_DATA`` or ``~/.cache/workbench/data``."""
    return Path(os.environ.get(ENV_DATA, "~/.cache/workbench/data")).expanduser()


def _subset(X: torch.Tensor, y: torch.Tensor, n: int | None, seed: SeedLike):
    if n is None or n >= len(X):
        return X, y
    if n <= 0:
        raise ValueError(f"n must be positive, got {n}")
    idx = torch.randperm(len(X), generator=generator(seed))[:n]
    return X[idx], y[idx]


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


def noise_images(
    n: int = 1000, shape: tuple[int, ...] = (28, 28), n_classes: int = 10, *, seed: SeedLike = 0
) -> Dataset:
    """Random-noise images with random labels (ESD paper §5.1: 1,000 images of 28x28, ten classes).

    Pixels are i.i.d. uniform on [0, 1]; labels uniform on ``0..n_classes-1``.
    """
    if n <= 0 or n_classes <= 0 or any(s <= 0 for s in shape):
        raise ValueError(f"n, n_classes and shape must be positive, got {n}, {n_classes}, {shape}")
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
    if n <= 0 or dim <= 0:
        raise ValueError(f"n and dim must be positive, got {n}, {dim}")
    if not high > low:
        raise ValueError(f"need low < high, got [{low}, {high}]")
    g = generator(seed)
    X = low + (high - low) * torch.rand((n, dim), generator=g)
    y = low + (high - low) * torch.rand((n, 1), generator=g)
    return Dataset(X, y, f"{n} random points in {dim}-D", "synthetic (uniform)", None)


_MNIST_FILES = (
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
)


def _missing_message(name: str, folder: Path, files) -> str:
    listed = "\n".join(f"  {folder / f}" for f in files)
    return (
        f"{name} is not in the local data folder. Put these files there (uncompressed):\n{listed}\n"
        f"The data folder is {data_dir()} (set the environment variable {ENV_DATA} to use another). "
        "The workbench never downloads; copy the files from a machine that has them, "
        "or use workbench.data.digits() which ships with scikit-learn."
    )


def _torchvision_mnist(cls_name: str, pretty: str, train: bool, n: int | None, seed: SeedLike) -> Dataset:
    import torchvision.datasets as tvd

    root = data_dir()
    folder = root / cls_name / "raw"
    missing = [f for f in _MNIST_FILES if not (folder / f).exists()]
    if missing:
        raise DataNotFoundError(_missing_message(pretty, folder, _MNIST_FILES))
    ds = getattr(tvd, cls_name)(root=str(root), train=train, download=False)
    X = ds.data.to(torch.float32).unsqueeze(1) / 255.0
    y = ds.targets.to(torch.int64)
    X, y = _subset(X, y, n, seed)
    split = "train" if train else "test"
    return Dataset(X, y, f"{pretty} ({split})", f"torchvision.datasets.{cls_name} from {root}", 10)


def mnist(*, train: bool = True, n: int | None = None, seed: SeedLike = 0) -> Dataset:
    """MNIST from the local data folder, ``X`` of shape ``(n, 1, 28, 28)`` in [0, 1]."""
    return _torchvision_mnist("MNIST", "MNIST", train, n, seed)


def fashion_mnist(*, train: bool = True, n: int | None = None, seed: SeedLike = 0) -> Dataset:
    """Fashion-MNIST from the local data folder, ``X`` of shape ``(n, 1, 28, 28)`` in [0, 1]."""
    return _torchvision_mnist("FashionMNIST", "Fashion-MNIST", train, n, seed)


_CIFAR_FILES = tuple(f"data_batch_{i}" for i in range(1, 6)) + ("test_batch", "batches.meta")


def cifar10(*, train: bool = True, n: int | None = None, seed: SeedLike = 0) -> Dataset:
    """CIFAR-10 (python pickle version) from the local data folder, ``X`` ``(n, 3, 32, 32)`` in [0, 1].

    Read by ``torchvision.datasets.CIFAR10``; its md5 check of the official
    archive is replaced by a check that the batch files exist, so a subset or a
    re-pickled copy in the same format loads too.
    """
    import torchvision.datasets as tvd

    root = data_dir()
    folder = root / "cifar-10-batches-py"
    needed = [f for f in _CIFAR_FILES
              if (train and f.startswith("data")) or (not train and f == "test_batch") or f == "batches.meta"]
    if any(not (folder / f).exists() for f in needed):
        raise DataNotFoundError(_missing_message("CIFAR-10", folder, _CIFAR_FILES))

    class _LocalCIFAR10(tvd.CIFAR10):
        meta = {**tvd.CIFAR10.meta, "md5": None}  # existence check only for batches.meta

        def _check_integrity(self) -> bool:  # files present is enough; no md5 of the archive
            return True

    ds = _LocalCIFAR10(root=str(root), train=train, download=False)
    X = torch.from_numpy(np.ascontiguousarray(ds.data)).permute(0, 3, 1, 2).to(torch.float32) / 255.0
    y = torch.tensor(ds.targets, dtype=torch.int64)
    X, y = _subset(X, y, n, seed)
    split = "train" if train else "test"
    return Dataset(X, y, f"CIFAR-10 ({split})", f"torchvision.datasets.CIFAR10 from {root}", 10)


_LOADERS = {"digits": digits, "mnist": mnist, "fashion_mnist": fashion_mnist, "cifar10": cifar10,
            "breast_cancer": breast_cancer}


def load(name: str, *, fallback: str | None = "digits", **kwargs) -> Dataset:
    """Load a data set by name, falling back to ``fallback`` when its files are absent.

    The returned ``Dataset.name`` says which set was actually loaded, so a
    notebook can state it plainly.
    """
    if name not in _LOADERS:
        raise ValueError(f"unknown data set {name!r}; allowed values: {sorted(_LOADERS)}")
    try:
        return _LOADERS[name](**kwargs)
    except DataNotFoundError:
        if fallback is None:
            raise
        kw = {k: v for k, v in kwargs.items() if k in ("n", "seed")}
        return _LOADERS[fallback](**kw)
