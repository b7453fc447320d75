"""Data sets: bundled digits, synthetic sets, and local MNIST / Fashion-MNIST / CIFAR-10.

Nothing here downloads.  The real image sets are read by torchvision from the
folder ``WORKBENCH_DATA`` (default ``~/.cache/workbench/data``) in their usual
on-disk layouts:

* MNIST: ``<root>/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte``
* Fashion-MNIST: ``<root>/FashionMNIST/raw/`` with the same four file names
* CIFAR-10: ``<root>/cifar-10-batches-py/{data_batch_1..5,test_batch,batches.meta}``
"""
from __future__ import annotations

import math
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from workbench._runtime import SeedLike, check_seed, generator
from workbench.limits import check_bytes
from workbench.validation import check_int, check_real

__all__ = [
    "Dataset", "DataNotFoundError", "DataFormatError", "data_dir", "digits", "noise_images", "random_points",
    "mnist", "fashion_mnist", "cifar10", "breast_cancer", "load",
]

ENV_DATA = "WORKBENCH_DATA"


class DataNotFoundError(FileNotFoundError):
    """A data set's files are not in the local data folder."""


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
    """The local data folder: ``$WORKBENCH_DATA`` or ``~/.cache/workbench/data``."""
    return Path(os.environ.get(ENV_DATA, "~/.cache/workbench/data")).expanduser()


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
    prefix = "train" if train else "t10k"
    n_img = _check_idx(folder / f"{prefix}-images-idx3-ubyte", pretty, 3)
    n_lab = _check_idx(folder / f"{prefix}-labels-idx1-ubyte", pretty, 1)
    if n_img != n_lab:
        raise DataFormatError(
            f"{pretty}: {folder / f'{prefix}-images-idx3-ubyte'} holds {n_img:,} images but "
            f"{folder / f'{prefix}-labels-idx1-ubyte'} holds {n_lab:,} labels; the two files must come from "
            "the same release (replace both with the original uncompressed files)"
        )
    try:
        ds = getattr(tvd, cls_name)(root=str(root), train=train, download=False)
    except Exception as exc:  # the header check passed but torchvision still failed: name the folder
        raise DataFormatError(f"{pretty}: torchvision could not read the files in {folder}: {exc}") from exc
    X = ds.data.to(torch.float32).unsqueeze(1) / 255.0
    y = ds.targets.to(torch.int64)
    X, y = _subset(X, y, n, seed)
    split = "train" if train else "test"
    return Dataset(X, y, f"{pretty} ({split})", f"torchvision.datasets.{cls_name} from {root}", 10)


def _check_idx(path: Path, pretty: str, ndim: int) -> int:
    """Check the IDX header and the size of an (uncompressed) MNIST-format file; return the item count.

    IDX: bytes 0-1 zero, byte 2 the type (0x08 = unsigned byte), byte 3 the
    number of dimensions (3 for images, 1 for labels), then one big-endian
    uint32 per dimension, then the data.
    """
    kind = "images" if ndim == 3 else "labels"
    expected = (f"an uncompressed IDX file of {kind} (magic number 0x0000080{ndim}, then {ndim} big-endian "
                f"uint32 sizes, then the bytes)")
    try:
        with open(path, "rb") as f:
            head = f.read(4 + 4 * ndim)
        size = path.stat().st_size
    except OSError as exc:
        raise DataFormatError(f"{pretty}: cannot read {path}: {exc}") from None
    if head[:2] == b"\x1f\x8b":
        raise DataFormatError(f"{pretty}: {path} is gzip-compressed; expected {expected}. Uncompress it "
                              "(gunzip) and keep the name without .gz")
    if len(head) < 4 + 4 * ndim or head[:3] != b"\x00\x00\x08" or head[3] != ndim:
        raise DataFormatError(f"{pretty}: {path} is not in the expected format ({len(head)} header bytes read: "
                              f"{head[:4].hex() or 'empty'}); expected {expected}")
    dims = [int.from_bytes(head[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    want = 4 + 4 * ndim + math.prod(dims)
    if size != want:
        raise DataFormatError(f"{pretty}: {path} is {size:,} bytes but its header ({' x '.join(map(str, dims))}) "
                              f"says {want:,}; the file is {'truncated' if size < want else 'too long'}. "
                              f"Expected {expected}")
    return dims[0]


def _check_cifar_batch(path: Path) -> None:
    """Name the CIFAR-10 file that does not unpickle to the python-version batch dict."""
    meta = path.name == "batches.meta"
    keys = ("label_names",) if meta else ("data", "labels")
    expected = ("the python-version CIFAR-10 pickle (a dict with " + ", ".join(repr(k) for k in keys) + ")")
    try:
        with open(path, "rb") as f:
            d = pickle.load(f, encoding="latin1")
    except Exception as exc:  # noqa: BLE001 - any unpickling failure is a format error of this file
        raise DataFormatError(f"CIFAR-10: {path} could not be read ({type(exc).__name__}: {exc}); "
                              f"expected {expected}") from None
    if not isinstance(d, dict) or any(k not in d and k.encode() not in d for k in keys):
        got = sorted(map(str, d)) if isinstance(d, dict) else type(d).__name__
        raise DataFormatError(f"CIFAR-10: {path} is not a CIFAR-10 batch (it holds {got}); expected {expected}")


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

    try:
        ds = _LocalCIFAR10(root=str(root), train=train, download=False)
        if len(ds.data) != len(ds.targets):
            raise ValueError(f"{len(ds.data)} images but {len(ds.targets)} labels")
    except Exception as exc:  # find the file that is not a CIFAR-10 batch and name it
        for f in needed:
            _check_cifar_batch(folder / f)
        raise DataFormatError(f"CIFAR-10: torchvision could not read the batches in {folder}: "
                              f"{type(exc).__name__}: {exc}") from exc
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
