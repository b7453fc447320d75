"""torchvision's ImageNet classifiers with their accuracy metadata, offline.

Everything here reads torchvision's *weight metadata* (``Weights.meta``), which
ships inside the package; no weights are downloaded.  Networks are built with
random weights.
"""
from __future__ import annotations

import pandas as pd
import torch
from torch import nn

from workbench._runtime import SeedLike, generator
from workbench.validation import check_int, describe

__all__ = ["zoo", "zoo_model", "ESD_PAPER_MODELS"]

ESD_PAPER_MODELS = (
    "vgg11", "vgg13", "vgg19",
    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
    "squeezenet1_0", "squeezenet1_1",
    "densenet121", "densenet161", "densenet169", "densenet201",
    "shufflenet_v2_x1_0", "mobilenet_v2",
    "resnext50_32x4d", "resnext101_32x8d",
)
"""The 18 torchvision architectures of Berthiaume et al. (2020), §6."""


def _classification_names() -> list[str]:
    import torchvision.models as tvm

    return sorted(tvm.list_models(module=tvm))


def _family(name: str) -> str:
    import re

    return re.split(r"[\d_]", name, maxsplit=1)[0] or name


def zoo(*, paper_only: bool = False) -> pd.DataFrame:
    """Table of torchvision's ImageNet classifiers.

    Columns: ``name``, ``family``, ``params`` (parameter count from the weight
    metadata), ``top1`` and ``top5`` (ImageNet-1K accuracy in percent of the
    default weights), ``top1_error``, ``top5_error`` (100 - accuracy),
    ``weights`` (the weight enum's name), ``in_esd_paper``.  Read from
    torchvision's shipped metadata; nothing is downloaded.

    ``paper_only=True`` keeps the 18 architectures of the ESD paper (§6).
    """
    import torchvision.models as tvm

    rows = []
    for name in _classification_names():
        try:
            w = tvm.get_model_weights(name).DEFAULT
        except (ValueError, KeyError, AttributeError):  # a model without weights
            continue
        meta = w.meta
        metrics = meta.get("_metrics", {}).get("ImageNet-1K", {})
        if "acc@1" not in metrics:
            continue
        rows.append(
            dict(
                name=name,
                family=_family(name),
                params=int(meta["num_params"]),
                top1=float(metrics["acc@1"]),
                top5=float(metrics["acc@5"]),
                weights=str(w),
                in_esd_paper=name in ESD_PAPER_MODELS,
            )
        )
    df = pd.DataFrame(rows)
    df["top1_error"] = 100.0 - df["top1"]
    df["top5_error"] = 100.0 - df["top5"]
    if paper_only:
        df = df[df["in_esd_paper"]]
    return df.sort_values("params").reset_index(drop=True)


def zoo_model(name: str, *, seed: SeedLike = None, num_classes: int = 1000) -> nn.Module:
    """Build torchvision's ``name`` with random weights (nothing is downloaded).

    The weights come from torchvision's own initialisers run under a generator
    derived from ``seed``, so the same seed gives the same network.  Returned in
    eval mode on the CPU.
    """
    import torchvision.models as tvm

    names = _classification_names()
    if not isinstance(name, str):
        raise TypeError(f"zoo_model needs a model name (a string such as {names[0]!r}), got {describe(name)}; "
                        "workbench.zoo() lists the names")
    if name not in names:
        close = [n for n in names if n.startswith(name[:4])] or names[:10]
        raise ValueError(f"unknown model {name!r}; did you mean one of {close}? (see workbench.zoo())")
    num_classes = check_int("num_classes", num_classes, min=1)
    g = generator(seed)
    s = int(torch.randint(0, 2**62, (1,), generator=g).item())
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(s)
        model = tvm.get_model(name, weights=None, num_classes=num_classes)
    return model.eval()
