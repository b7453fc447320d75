"""A small ResNet and its add-inputs twin (Berthiaume et al. 2020, §5.3, Fig. 8, Table 2).

``resnet``: stem conv -> stages of residual blocks; between stages a 2x2 max
pool halves the image, and the first block after a pool adds the previous
layer sampled at every other pixel by a 1x1 convolution of stride 2 (the
ResNet shortcut the paper describes).  ``add-inputs``: those shortcuts are
replaced by 1x1 convolutions that sample the *input image* directly with stride
``2^n``, ``n`` the number of max pools between the input and the block.  Blocks
without a pool before them keep the identity shortcut in both.

The paper says the two have the same number of weights; a 1x1 convolution from
the input has ``in_channels x channels`` weights against ``channels x channels``
from the previous layer, so ours differ by that much (``n_params`` reports
both; the stem and block weights, the bulk, are shared in shape).
"""
from __future__ import annotations

import torch
from torch import nn

from workbench._runtime import SeedLike, int_seed

__all__ = ["InputShortcutResNet", "input_shortcut_resnet"]

KINDS = ("resnet", "add-inputs")


class _Block(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, h):
        return self.conv2(torch.relu(self.conv1(h)))


class InputShortcutResNet(nn.Module):
    """See the module docstring; ``kind`` is ``"resnet"`` or ``"add-inputs"``."""

    def __init__(self, kind: str, in_channels: int, channels: int, stages: int, n_classes: int):
        super().__init__()
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
        for name, v in (("in_channels", in_channels), ("channels", channels), ("stages", stages),
                        ("n_classes", n_classes)):
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{name} must be a positive int, got {v!r}")
        self.kind, self.stages = kind, stages
        self.stem = nn.Conv2d(in_channels, channels, 3, padding=1)
        self.blocks = nn.ModuleList(_Block(channels) for _ in range(stages))
        src = channels if kind == "resnet" else in_channels
        # stage s >= 1 follows s max pools; its shortcut strides 2 (resnet) or 2^s (add-inputs)
        self.shortcuts = nn.ModuleList(
            nn.Conv2d(src, channels, 1, stride=2 if kind == "resnet" else 2 ** s, bias=False)
            for s in range(1, stages))
        self.head = nn.Linear(channels, n_classes)

    def forward(self, x):
        h = torch.relu(self.stem(x))
        h = torch.relu(self.blocks[0](h) + h)
        for s in range(1, self.stages):
            p = nn.functional.max_pool2d(h, 2)
            short = self.shortcuts[s - 1](h if self.kind == "resnet" else x)
            h = torch.relu(self.blocks[s](p) + short)
        return self.head(h.mean(dim=(2, 3)))


def input_shortcut_resnet(kind: str = "resnet", *, in_channels: int = 3, channels: int = 16, stages: int = 3,
                          n_classes: int = 10, seed: SeedLike = 0) -> InputShortcutResNet:
    """Build :class:`InputShortcutResNet` with PyTorch's default init drawn from ``seed`` (global RNG untouched)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int_seed(seed))
        return InputShortcutResNet(kind, in_channels, channels, stages, n_classes)
