"""Data sets: bundled digits, synthetic sets, local loaders on tiny files in the real formats."""
from __future__ import annotations

import pickle
import struct
from pathlib import Path

import numpy as np
import pytest
import torch

from workbench import data


def write_idx_images(path: Path, images: np.ndarray) -> None:
    n, h, w = images.shape
    path.write_bytes(struct.pack(">IIII", 0x00000803, n, h, w) + images.astype(np.uint8).tobytes())


def write_idx_labels(path: Path, labels: np.ndarray) -> None:
    path.write_bytes(struct.pack(">II", 0x00000801, len(labels)) + labels.astype(np.uint8).tobytes())


def make_mnist(root: Path, folder: str, n_train=6, n_test=4, seed=0):
    rng = np.random.default_rng(seed)
    raw = root / folder / "raw"
    raw.mkdir(parents=True)
    imgs = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        x = rng.integers(0, 256, size=(n, 28, 28))
        y = rng.integers(0, 10, size=n)
        write_idx_images(raw / f"{prefix}-images-idx3-ubyte", x)
        write_idx_labels(raw / f"{prefix}-labels-idx1-ubyte", y)
        imgs[prefix] = (x, y)
    return imgs


def test_digits():
    d = data.digits()
    assert d.X.shape == (1797, 64) and d.X.dtype == torch.float32
    assert 0.0 <= d.X.min() and d.X.max() <= 1.0
    assert set(d.y.tolist()) == set(range(10)) and d.n_classes == 10
    img = data.digits(flatten=False, n=10, seed=1)
    assert img.X.shape == (10, 1, 8, 8)
    assert torch.equal(data.digits(n=10, seed=1).y, img.y)
    tr, te = d.split(0.75, seed=0)
    assert len(tr) + len(te) == 1797 and len(tr) == round(0.75 * 1797)


def test_noise_images_and_random_points_are_seeded():
    a, b = data.noise_images(20, seed=3), data.noise_images(20, seed=3)
    assert a.X.shape == (20, 28, 28) and torch.equal(a.X, b.X) and torch.equal(a.y, b.y)
    assert a.y.max() < 10 and a.flat().shape == (20, 784)
    assert not torch.equal(a.X, data.noise_images(20, seed=4).X)
    p = data.random_points(8, 1, seed=0)
    assert p.X.shape == (8, 1) and p.y.shape == (8, 1)
    assert (p.X.abs() <= 1).all() and (p.y.abs() <= 1).all()


@pytest.mark.parametrize("fn, folder", [(data.mnist, "MNIST"), (data.fashion_mnist, "FashionMNIST")])
def test_mnist_family_from_real_format_files(data_root, fn, folder):
    truth = make_mnist(data_root, folder)
    train = fn(train=True)
    assert train.X.shape == (6, 1, 28, 28)
    np.testing.assert_allclose(train.X[:, 0].numpy() * 255, truth["train"][0], atol=1e-3)
    assert train.y.tolist() == truth["train"][1].tolist()
    test = fn(train=False)
    assert len(test) == 4 and test.y.tolist() == truth["t10k"][1].tolist()


def make_cifar(root: Path, n=5, seed=0):
    rng = np.random.default_rng(seed)
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    batches = {}
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        x = rng.integers(0, 256, size=(n, 3072)).astype(np.uint8)
        y = rng.integers(0, 10, size=n).tolist()
        with open(folder / name, "wb") as f:
            pickle.dump({"data": x, "labels": y}, f)
        batches[name] = (x, y)
    with open(folder / "batches.meta", "wb") as f:
        pickle.dump({"label_names": ["airplane", "automobile", "bird", "cat", "deer",
                                     "dog", "frog", "horse", "ship", "truck"]}, f)
    return batches


def test_cifar10_from_real_format_files(data_root):
    truth = make_cifar(data_root)
    tr = data.cifar10(train=True)
    assert tr.X.shape == (25, 3, 32, 32)
    x0 = truth["data_batch_1"][0][0].reshape(3, 32, 32)
    np.testing.assert_allclose(tr.X[0].numpy() * 255, x0, atol=1e-3)
    assert tr.y[:5].tolist() == truth["data_batch_1"][1]
    te = data.cifar10(train=False)
    assert len(te) == 5 and te.y.tolist() == truth["test_batch"][1]


@pytest.mark.parametrize("fn, where", [
    (data.mnist, "MNIST/raw/train-images-idx3-ubyte"),
    (data.fashion_mnist, "FashionMNIST/raw/t10k-labels-idx1-ubyte"),
    (data.cifar10, "cifar-10-batches-py/data_batch_1"),
])
def test_missing_files_say_where_to_put_them(data_root, fn, where):
    with pytest.raises(data.DataNotFoundError) as err:
        fn()
    msg = str(err.value)
    assert str(data_root / where) in msg and "WORKBENCH_DATA" in msg and "Nothing downloads unless asked" in msg
    assert "workbench data fetch " in msg and err.value.folder == (data_root / where).parent


def test_load_falls_back_to_digits_and_says_so(data_root, monkeypatch):
    monkeypatch.setattr(data.loading, "_WARNED", set())
    with pytest.warns(UserWarning, match="workbench data fetch fashion-mnist"):
        d = data.load("fashion_mnist", n=50)
    assert d.name == "digits" and len(d) == 50
    with pytest.raises(data.DataNotFoundError):
        data.load("mnist", fallback=None)
    with pytest.raises(ValueError, match="unknown data set 'imagenet'"):
        data.load("imagenet")
    make_mnist(data_root, "FashionMNIST")
    assert data.load("fashion_mnist").name.startswith("Fashion-MNIST")


def test_data_dir_default_and_env(monkeypatch, tmp_path):
    monkeypatch.delenv("WORKBENCH_DATA", raising=False)
    assert data.data_dir() == Path("~/.cache/workbench/data").expanduser()
    monkeypatch.setenv("WORKBENCH_DATA", str(tmp_path))
    assert data.data_dir() == tmp_path


@pytest.mark.parametrize("call, msg", [
    (lambda: data.noise_images(0), "must be positive"),
    (lambda: data.random_points(0), "must be positive"),
    (lambda: data.random_points(4, low=1, high=1), "low < high"),
    (lambda: data.digits().split(0), "empty split"),
    (lambda: data.digits(n=-1), "must be positive"),
])
def test_bad_data_arguments(call, msg):
    with pytest.raises(ValueError, match=msg):
        call()
