"""The torchvision zoo table comes from shipped metadata; models build with random weights."""
from __future__ import annotations

import pytest
import torch

import workbench as wb


def test_zoo_table_from_metadata():
    z = wb.zoo()
    assert {"name", "family", "params", "top1", "top5", "top1_error", "top5_error", "weights"} <= set(z.columns)
    assert len(z) >= 40
    r18 = z.set_index("name").loc["resnet18"]
    assert r18.params == 11_689_512  # torchvision's metadata
    assert r18.top1 == pytest.approx(69.758) and r18.top5 == pytest.approx(89.078)
    assert r18.top1_error == pytest.approx(100 - 69.758)
    assert (z.top5 >= z.top1).all() and z.params.is_monotonic_increasing


def test_paper_models_all_present():
    z = wb.zoo(paper_only=True)
    assert sorted(z.name) == sorted(wb.nets.ESD_PAPER_MODELS)
    assert len(z) == 18


def test_zoo_model_random_weights_seeded_and_param_count_matches():
    z = wb.zoo().set_index("name")
    a = wb.zoo_model("squeezenet1_1", seed=0)
    b = wb.zoo_model("squeezenet1_1", seed=0)
    c = wb.zoo_model("squeezenet1_1", seed=1)
    n = sum(p.numel() for p in a.parameters())
    assert n == z.loc["squeezenet1_1"].params
    pa, pb, pc = (next(m.parameters()) for m in (a, b, c))
    assert torch.equal(pa, pb) and not torch.equal(pa, pc)
    assert not a.training
    with torch.no_grad():
        assert a(torch.randn(1, 3, 64, 64)).shape == (1, 1000)


def test_zoo_model_unknown_name():
    with pytest.raises(ValueError, match="unknown model 'resnet19'.*resnet18"):
        wb.zoo_model("resnet19")
