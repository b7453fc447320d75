"""Device policy and the seed helpers."""
from __future__ import annotations

import pytest
import torch

import workbench as wb
from workbench._runtime import generator, int_seed


def test_default_device_is_cuda_when_available(monkeypatch):
    monkeypatch.delenv("WORKBENCH_DEVICE", raising=False)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert wb.device().type == expected


def test_env_override(monkeypatch):
    monkeypatch.setenv("WORKBENCH_DEVICE", "cpu")
    assert wb.device() == torch.device("cpu")
    assert wb.resolve_device(None) == torch.device("cpu")
    assert wb.resolve_device("cpu") == torch.device("cpu")


def test_env_override_errors(monkeypatch):
    monkeypatch.setenv("WORKBENCH_DEVICE", "banana")
    with pytest.raises(ValueError, match="not a device name"):
        wb.device()
    if not torch.cuda.is_available():
        monkeypatch.setenv("WORKBENCH_DEVICE", "cuda")
        with pytest.raises(RuntimeError, match="no CUDA device is available"):
            wb.device()


def test_generator_contract():
    a = torch.rand(3, generator=generator(5))
    b = torch.rand(3, generator=generator(5))
    assert torch.equal(a, b)
    g = torch.Generator().manual_seed(1)
    assert generator(g) is g
    assert int_seed(12) == 12
    assert int_seed(generator(3)) == int_seed(generator(3))
    with pytest.raises(TypeError):
        generator(1.5)
    with pytest.raises(TypeError):
        generator(True)
