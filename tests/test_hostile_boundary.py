"""Hostile input at the boundary outside the measures (issue 14): nets, data, local files, training, configs,
the command line and the widget panels.  Every error path asserts on its message."""
from __future__ import annotations

import dataclasses
import html
import math
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import workbench as wb
from workbench import cli, data
from workbench.experiments.presets import validate_fields
from workbench.papers.raghu import trajectories as T

CPU = "cpu"
REPO = Path(__file__).resolve().parents[1]


# -- nets ---------------------------------------------------------------------------------
@pytest.mark.parametrize("call, exc, msg", [
    (lambda: wb.zoo_model("resnet18", num_classes=0), ValueError, "num_classes must be >= 1, got 0"),
    (lambda: wb.resnet_family(18, num_classes=0), ValueError, "num_classes must be >= 1, got 0"),
    (lambda: wb.svd_net(2, [-1], 1), ValueError, r"hidden\[0\] must be >= 1, got -1"),
    (lambda: wb.svd_net(2, [4], 2.5), TypeError, "n_out must be an int, got the float 2.5"),
    (lambda: wb.mlp([2, 4, 1], seed=-1), ValueError, "seed must be non-negative"),
    (lambda: wb.dense_net(4, [8], 2, dropout=float("nan")), ValueError, "dropout is NaN"),
])
def test_net_constructor_arguments(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()


@pytest.mark.parametrize("act, msg", [
    (nn.LeakyReLU(float("nan")), r"LeakyReLU\) has negative_slope=nan; give a finite number"),
    (nn.LeakyReLU(float("inf")), r"LeakyReLU\) has negative_slope=inf; give a finite number"),
    (nn.Hardtanh(0.0, float("inf")), "Hardtanh min_val and max_val must be finite"),
])
def test_non_finite_activation_parameters_are_refused(act, msg):
    net = nn.Sequential(nn.Linear(2, 4), act, nn.Linear(4, 1))
    with pytest.raises(ValueError, match=msg):
        wb.count_dichotomies(net, torch.randn(5, 2), n_steps=10, device=CPU)


def test_pieces_must_be_finite():
    from workbench.nets.piecewise import Pieces

    with pytest.raises(ValueError, match=r"leaky: slopes must be finite.*is nan"):
        Pieces("leaky", (0.0,), (float("nan"), 1.0), (0.0, 0.0))


def test_generator_seeds_are_accepted_by_constructors_and_data():
    g = torch.Generator().manual_seed(3)
    assert wb.mlp([2, 4, 1], seed=g).widths == [2, 4, 1]
    a = data.noise_images(4, seed=torch.Generator().manual_seed(1)).X
    b = data.noise_images(4, seed=1).X
    assert torch.equal(a, b)


# -- data generators ------------------------------------------------------------------------
@pytest.mark.parametrize("call, exc, msg", [
    (lambda: data.noise_images(2.5), TypeError, "n must be an int, got the float 2.5"),
    (lambda: data.noise_images(10, n_classes=0), ValueError, "n_classes must be positive, got 0"),
    (lambda: data.noise_images(10, shape=(28, 0)), ValueError, r"shape\[1\] must be positive, got 0"),
    (lambda: data.noise_images(10, shape=None), TypeError, "shape must be a tuple of positive ints"),
    (lambda: data.noise_images(4, seed=-1), ValueError, "seed must be non-negative"),
    (lambda: data.noise_images(4, seed=1.5), TypeError, "seed must be an int, a torch.Generator or None"),
    (lambda: data.random_points(4, high=float("inf")), ValueError, "high must be finite, got inf"),
    (lambda: data.random_points(4, low=float("nan")), ValueError, "low is NaN"),
    (lambda: data.random_points(4, low="a"), TypeError, "low must be a real number"),
    (lambda: data.random_points(4, dim=0), ValueError, "dim must be positive, got 0"),
    (lambda: data.digits(2.5), TypeError, "n must be an int, got the float 2.5"),
    (lambda: data.digits(10, seed="x"), TypeError, "seed must be an int"),
    (lambda: data.digits(seed=-3), ValueError, "seed must be non-negative"),
    (lambda: data.digits(50).split(float("nan")), ValueError, "n_train is NaN"),
    (lambda: data.digits(50).split(1.5), ValueError, "n_train must be < 1.0, got 1.5"),
    (lambda: data.digits(50).split(0.5, seed=-1), ValueError, "seed must be non-negative"),
    (lambda: wb.papers.edjm.toy_2d(10, noise=-1), ValueError, "noise must be >= 0.0, got -1.0"),
    (lambda: wb.papers.pl_geometry.toy_data(10, noise=float("nan")), ValueError, "noise is NaN"),
    (lambda: wb.papers.esd.draw_inputs(2.5, 2), ValueError, "n_points and dim must be positive ints, got 2.5, 2"),
])
def test_data_generator_arguments(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 50), st.integers(1, 4), st.floats(-1e6, 1e6), st.floats(1e-3, 1e6))
def test_random_points_lie_in_the_bounds(n, dim, low, width):
    high = low + width
    d = data.random_points(n, dim, low=low, high=high, seed=0)
    assert d.X.shape == (n, dim) and torch.isfinite(d.X).all()
    tol = 1e-6 * max(abs(low), abs(high))
    assert float(d.X.min()) >= low - tol and float(d.X.max()) <= high + tol


@settings(max_examples=25, deadline=None)
@given(st.one_of(st.integers(-5, 0), st.floats(allow_nan=True), st.text(max_size=3), st.none()))
def test_noise_images_refuse_any_bad_count(n):
    if isinstance(n, float) and math.isfinite(n) and n == int(n) and n >= 1:
        return  # an integral float >= 1 is a count
    with pytest.raises((TypeError, ValueError), match="n must be"):
        data.noise_images(n)


# -- local data files ------------------------------------------------------------------------
def _idx(kind: str, n: int) -> bytes:
    if kind == "images":
        return b"\x00\x00\x08\x03" + n.to_bytes(4, "big") + (28).to_bytes(4, "big") * 2 + bytes(n * 784)
    return b"\x00\x00\x08\x01" + n.to_bytes(4, "big") + bytes(n)


@pytest.fixture
def mnist_root(tmp_path, monkeypatch):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for prefix in ("train", "t10k"):
        (raw / f"{prefix}-images-idx3-ubyte").write_bytes(_idx("images", 3))
        (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(_idx("labels", 3))
    monkeypatch.setenv(data.ENV_DATA, str(tmp_path))
    return raw


def test_valid_tiny_mnist_files_load(mnist_root):
    d = data.mnist()
    assert d.X.shape == (3, 1, 28, 28) and len(d.y) == 3


@pytest.mark.parametrize("fname, content, msg", [
    ("train-images-idx3-ubyte", b"garbage", r"train-images-idx3-ubyte is not in the expected format.*IDX"),
    ("train-images-idx3-ubyte", b"", r"train-images-idx3-ubyte is not in the expected format \(0 header bytes"),
    ("train-images-idx3-ubyte", _idx("images", 3)[:-100], r"train-images-idx3-ubyte is 2,268 bytes.*truncated"),
    ("train-labels-idx1-ubyte", _idx("labels", 3) + b"xx", r"train-labels-idx1-ubyte is 13 bytes.*too long"),
    ("train-labels-idx1-ubyte", _idx("images", 3), r"train-labels-idx1-ubyte is not in the expected format"),
    ("train-labels-idx1-ubyte", b"\x1f\x8b\x08\x00rest", r"train-labels-idx1-ubyte is gzip-compressed"),
    ("train-labels-idx1-ubyte", _idx("labels", 4), r"holds 3 images but .*train-labels-idx1-ubyte holds 4 labels"),
])
def test_corrupt_mnist_files_are_named(mnist_root, fname, content, msg):
    (mnist_root / fname).write_bytes(content)
    with pytest.raises(data.DataFormatError, match=msg):
        data.mnist()


def test_corrupt_fashion_mnist_test_file_is_named(tmp_path, monkeypatch):
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for prefix in ("train", "t10k"):
        (raw / f"{prefix}-images-idx3-ubyte").write_bytes(_idx("images", 2))
        (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(_idx("labels", 2))
    (raw / "t10k-images-idx3-ubyte").write_bytes(b"\x00\x00\x08\x03\x00")
    monkeypatch.setenv(data.ENV_DATA, str(tmp_path))
    assert len(data.fashion_mnist()) == 2
    with pytest.raises(data.DataFormatError, match=r"Fashion-MNIST: .*t10k-images-idx3-ubyte is not in the expected"):
        data.fashion_mnist(train=False)


@pytest.fixture
def cifar_root(tmp_path, monkeypatch):
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    for f in data._CIFAR_FILES:
        if f == "batches.meta":
            obj = {"label_names": [f"c{i}" for i in range(10)]}
        else:
            obj = {"data": np.zeros((2, 3072), dtype=np.uint8), "labels": [0, 1]}
        (folder / f).write_bytes(pickle.dumps(obj))
    monkeypatch.setenv(data.ENV_DATA, str(tmp_path))
    return folder


@pytest.mark.parametrize("fname, content, msg", [
    ("data_batch_3", b"not a pickle", r"data_batch_3 could not be read \(UnpicklingError"),
    ("data_batch_2", pickle.dumps({"x": 1}), r"data_batch_2 is not a CIFAR-10 batch \(it holds \['x'\]\)"),
    ("data_batch_1", pickle.dumps([1, 2]), r"data_batch_1 is not a CIFAR-10 batch \(it holds list\)"),
    ("batches.meta", b"", r"batches.meta could not be read"),
])
def test_corrupt_cifar_files_are_named(cifar_root, fname, content, msg):
    assert len(data.cifar10()) == 10
    (cifar_root / fname).write_bytes(content)
    with pytest.raises(data.DataFormatError, match=msg):
        data.cifar10()


def test_cifar_batch_of_the_wrong_size_names_the_folder(cifar_root):
    (cifar_root / "data_batch_4").write_bytes(pickle.dumps({"data": np.zeros((2, 100), np.uint8), "labels": [0, 1]}))
    with pytest.raises(data.DataFormatError, match=r"CIFAR-10: torchvision could not read the batches in .*cifar-10"):
        data.cifar10()


# -- training -------------------------------------------------------------------------------
@pytest.mark.parametrize("field, value, msg", [
    ("lr", 0.0, r"FitConfig.lr must be > 0"),
    ("lr", float("nan"), r"FitConfig.lr must be a finite number >= 0, got nan"),
    ("lr", float("inf"), r"FitConfig.lr must be a finite number >= 0, got inf"),
    ("lr", True, r"FitConfig.lr must be a finite number"),
    ("batch_size", True, r"FitConfig.batch_size must be a positive int or None"),
    ("epochs", 2.5, r"FitConfig.epochs must be a non-negative int, got 2.5"),
])
def test_fit_config_fields(field, value, msg):
    with pytest.raises(ValueError, match=msg):
        wb.FitConfig(**{field: value})


def test_fit_checks_labels_seed_and_device():
    net = wb.mlp([2, 4, 3], seed=0)
    X = torch.randn(10, 2)
    cfg = wb.FitConfig(epochs=1)
    with pytest.raises(ValueError, match=r"data: class label 3 is out of range: the model has 3 outputs"):
        wb.fit(net, (X, torch.full((10,), 3)), cfg, device=CPU)
    with pytest.raises(ValueError, match=r"data: class label -1 is out of range"):
        wb.fit(net, (X, torch.full((10,), -1)), cfg, device=CPU)
    with pytest.raises(ValueError, match=r"test: class label 7 is out of range"):
        wb.fit(net, (X, torch.zeros(10, dtype=torch.long)), cfg, test=(X, torch.full((10,), 7)), device=CPU)
    with pytest.raises(TypeError, match=r"needs integer class labels y, got dtype torch.float32"):
        wb.fit(net, (X, torch.zeros(10)), cfg, device=CPU)
    with pytest.raises(ValueError, match="seed must be non-negative"):
        wb.fit(net, (X, torch.zeros(10, dtype=torch.long)), cfg, seed=-1, device=CPU)
    with pytest.raises(ValueError, match="device='tpu' is not a device name"):
        wb.fit(net, (X, torch.zeros(10, dtype=torch.long)), cfg, device="tpu")
    hist = wb.fit(net, (X, torch.randint(0, 3, (10,))), cfg, device=CPU)
    assert len(hist) == 2


# -- experiment configurations ----------------------------------------------------------------
@pytest.mark.parametrize("cls, field, value, exc, msg", [
    (T.GrowthConfig, "n_points", 0, ValueError, r"GrowthConfig.n_points must be a positive int, got 0"),
    (T.GrowthConfig, "sigma_w2s", (float("nan"),), ValueError, r"GrowthConfig.sigma_w2s\[0\] is NaN"),
    (T.DichotomyConfig, "n_inputs", 2.5, TypeError, r"DichotomyConfig.n_inputs must be an int, got the float 2.5"),
    (T.DichotomyConfig, "depths", (2, 0), ValueError, r"DichotomyConfig.depths\[1\] must be a positive int, got 0"),
    (T.DichotomyConfig, "depths", "24", TypeError, r"DichotomyConfig.depths must be a tuple"),
    (T.DichotomyConfig, "all_layers", "yes", TypeError, r"DichotomyConfig.all_layers must be True or False"),
    (T.DichotomyConfig, "activation", 3, TypeError, r"DichotomyConfig.activation must be a string"),
    (T.TrainConfig, "lr", float("inf"), ValueError, r"TrainConfig.lr must be finite, got inf"),
    (T.TrainConfig, "lr", 0.0, ValueError, r"TrainConfig.lr must be > 0"),
    (wb.papers.edjm.EDJMConfig, "epochs", -3, ValueError, r"EDJMConfig.epochs must be a positive int, got -3"),
    (wb.papers.pl_geometry.ToyConfig, "epochs", -1, ValueError, r"ToyConfig.epochs must be"),
])
def test_config_fields_are_checked_when_built(cls, field, value, exc, msg):
    assert field in cls.__dataclass_fields__
    with pytest.raises(exc, match=msg):
        cls(**{field: value})
    if hasattr(cls, "smoke"):  # the presets check too
        with pytest.raises(exc, match=msg):
            cls.smoke(**{field: value})


def test_every_preset_of_every_config_is_valid():
    import importlib
    import pkgutil

    import workbench.experiments as E
    import workbench.papers as PP
    from workbench.experiments.presets import Presets

    n = 0
    found = [f"workbench.experiments.{m.name}" for m in pkgutil.iter_modules(E.__path__)]
    found += [f"{m.name}" for m in pkgutil.walk_packages(PP.__path__, "workbench.papers.")]
    for name in found:
        mod = importlib.import_module(name)
        for obj in vars(mod).values():
            if isinstance(obj, type) and issubclass(obj, Presets) and dataclasses.is_dataclass(obj) \
                    and obj.__module__ == mod.__name__:
                for p in obj.PRESETS:
                    validate_fields(getattr(obj, p)())
                    n += 1
    assert n >= 30


# -- command line -------------------------------------------------------------------------------
def _cli(*args, **env):
    e = dict(os.environ, PYTHONPATH=str(REPO), **env)
    return subprocess.run([sys.executable, "-m", "workbench.cli", *args], capture_output=True, text=True, env=e,
                          timeout=120)


def test_cli_out_folder_under_a_regular_file(tmp_path, capsys):
    f = tmp_path / "file.txt"
    f.write_text("x")
    assert cli.main(["reproduce", "--out", str(f / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "which is a regular file, not a folder" in err and "file.txt" in err
    assert cli.main(["reproduce", "--out", str(f)]) == 2
    assert "file.txt: is a regular file" in capsys.readouterr().err


@pytest.mark.parametrize("env, msg", [
    ({"WORKBENCH_DEVICE": "tpu"}, "WORKBENCH_DEVICE='tpu' is not a device name"),
    ({"WORKBENCH_MAX_BYTES": "lots"}, "WORKBENCH_MAX_BYTES='lots' is not a size"),
])
def test_cli_bad_environment_is_one_line_and_exit_2(monkeypatch, capsys, env, msg):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert cli.main(["info"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and msg in err and err.count("\n") == 1


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cli_missing_cuda_in_a_real_process_has_no_traceback():
    p = _cli("info", WORKBENCH_DEVICE="cuda:3")
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "asks for CUDA but no CUDA device is available" in p.stderr


# -- widgets ----------------------------------------------------------------------------------------
@pytest.fixture
def esd_panel():
    from workbench.widgets.esd_panel import ESDPanel

    return ESDPanel(auto=False, samples=2, width=2, depth=1, device=CPU)


@pytest.mark.parametrize("params, msg", [
    ({"activation": "relux"}, r"control 'activation': 'relux' is not one of its options; allowed values: 'relu'"),
    ({"width": 10**9}, r"control 'width': 1000000000 is not one of its options"),
    ({"depth": 99}, r"control 'depth' \('hidden layers'\): 99 is outside its range \[1, 8\]"),
    ({"depth": 2.5}, r"control 'depth' \('hidden layers'\): needs an int, got 2.5"),
    ({"seed": "x"}, r"control 'seed': needs an int, got 'x'"),
    ({"shortcuts": "skip"}, r"control 'shortcuts': 'skip' is not one of its options; allowed values: 'plain'"),
])
def test_panel_update_names_the_control_and_changes_nothing(esd_panel, params, msg):
    before = esd_panel.params
    with pytest.raises(ValueError, match=msg):
        esd_panel.update(depth=2, **params) if "depth" not in params else esd_panel.update(**params)
    assert esd_panel.params == before  # nothing was set, not even the valid depth=2
    esd_panel.update(activation="tanh")  # the panel stays usable
    assert esd_panel.last_error is None and esd_panel.result is not None


@pytest.mark.parametrize("kwargs, msg", [
    ({"activation": "relux"}, r"activation: 'relux' is not one of its options"),
    ({"depth": 99}, r"ESDPanel|control 'depth' \('hidden layers'\): 99 is outside its range \[1, 8\]"),
    ({"n_in": 0}, r"control 'n_in' \('inputs'\): 0 is outside its range \[1, 16\]"),
    ({"width": 0}, r"width: value must be a positive int, got 0"),
])
def test_panel_constructor_names_the_control(kwargs, msg):
    from workbench.widgets.esd_panel import ESDPanel

    with pytest.raises(ValueError, match=msg):
        ESDPanel(auto=False, **kwargs)


def test_errors_while_computing_show_under_the_plot_and_the_next_input_works(esd_panel, monkeypatch):
    esd_panel.update(activation="relu")
    good = esd_panel.result
    import workbench.widgets.esd_panel as mod

    def boom(*a, **k):
        raise FloatingPointError("the gradient overflowed at point 3")

    monkeypatch.setattr(mod, "esd", boom)
    esd_panel.update(activation="tanh")
    assert isinstance(esd_panel.last_error, FloatingPointError)
    assert "the gradient overflowed at point 3" in html.unescape(esd_panel.status.value)
    assert "the gradient overflowed at point 3" in esd_panel.errors.outputs[0]["text"]
    assert esd_panel.result is good  # the last good picture stays
    monkeypatch.undo()
    esd_panel.update(activation="sigmoid")
    assert esd_panel.last_error is None and esd_panel.errors.outputs == ()
    assert esd_panel.result is not good


@pytest.mark.parametrize("name", ["function_panel.FunctionPanel", "regions_panel.RegionsPanel",
                                  "trajectory_panel.TrajectoryPanel"])
def test_other_panels_name_an_unknown_option(name):
    import importlib

    modname, cls = name.split(".")
    P = getattr(importlib.import_module(f"workbench.widgets.{modname}"), cls)
    with pytest.raises(ValueError, match=r"'bogus' is not one of its options"):
        P(auto=False, activation="bogus")
    p = P(auto=False)
    with pytest.raises(ValueError, match=r"control 'activation'.*'bogus' is not one of its options"):
        p.update(activation="bogus")
