"""MNIST, Fashion-MNIST and CIFAR-10 read from the local data folder, with the checks that name a bad file.

The on-disk layouts are in the :mod:`workbench.data` docstring; nothing here downloads (see
:mod:`workbench.data.fetching`).
"""
from __future__ import annotations

import math
import pickle
from pathlib import Path

import numpy as np
import torch

from workbench._runtime import SeedLike
from workbench.data.dataset import ENV_DATA, DataFormatError, DataNotFoundError, Dataset, _subset, data_dir

_MNIST_FILES = (
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
)


def _fetch_command(key: str) -> str:
    return f"workbench data fetch {key}"


def _missing_message(name: str, folder: Path, files, command: str) -> str:
    listed = "\n".join(f"  {folder / f}" for f in files)
    return (
        f"{name} is not in the local data folder. Fetch it (an explicit download, checked against torchvision's "
        f"md5 checksums) with\n  {command}\nor put these files there (uncompressed):\n{listed}\n"
        f"The data folder is {data_dir()} (set the environment variable {ENV_DATA} to use another). "
        "Nothing downloads unless asked; workbench.data.digits() ships with scikit-learn."
    )


def _torchvision_mnist(cls_name: str, pretty: str, train: bool, n: int | None, seed: SeedLike) -> Dataset:
    import torchvision.datasets as tvd

    root = data_dir()
    folder = root / cls_name / "raw"
    missing = [f for f in _MNIST_FILES if not (folder / f).exists()]
    if missing:
        command = _fetch_command("mnist" if cls_name == "MNIST" else "fashion-mnist")
        raise DataNotFoundError(_missing_message(pretty, folder, _MNIST_FILES, command), folder=folder,
                                command=command)
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
        command = _fetch_command("cifar10")
        raise DataNotFoundError(_missing_message("CIFAR-10", folder, _CIFAR_FILES, command), folder=folder,
                                command=command)

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
