"""Small architectures for the layer-algebra experiments (Badias & Banerjee, §7).

* :func:`linear_autoencoder`: the symmetric autoencoder with linear activations (Fig. 7).
* :func:`small_cnn`: a plain or residual CNN from a few numbers (the widget's sliders, Fig. 6).
* :func:`resnet_family`: torchvision's ResNet-18/34/50/101/152 and their PlainNets (Figs. 8-9):
  the same blocks with the shortcut (identity and downsample) removed.

Every builder takes ``device=None`` (the workbench default); pass
``device="meta"`` for the architecture alone, no weights allocated.
"""
from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from workbench._runtime import DeviceLike, resolve_device
from workbench.validation import check_int

__all__ = ["linear_autoencoder", "small_cnn", "resnet_family", "RESNET_DEPTHS", "ResidualUnit"]


def _positive_ints(name: str, values, *, min_len: int = 1) -> list[int]:
    vals = list(values) if isinstance(values, (list, tuple)) else None
    if vals is None or len(vals) < min_len or any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in vals):
        raise ValueError(f"{name} must be a list of at least {min_len} positive ints, got {values!r}")
    return vals


def linear_autoencoder(widths: Sequence[int] = (784, 512, 256, 128, 64, 128, 256, 512, 784), *,
                       device: DeviceLike = None) -> nn.Sequential:
    """Fully connected layers ``widths[i] -> widths[i+1]``, each followed by a linear (identity) activation.

    The paper's Fig. 7 autoencoder is symmetric (``widths`` a palindrome), so
    its GCIP returns to 1.
    """
    w = _positive_ints("widths", widths, min_len=2)
    layers: list[nn.Module] = []
    with torch.device(resolve_device(device)):
        for a, b in zip(w, w[1:]):
            layers += [nn.Linear(a, b), nn.Identity()]
    return nn.Sequential(*layers)


class ResidualUnit(nn.Module):
    """``act(x + conv(act(conv(x))))`` (or without the ``x +`` when ``shortcut=False``), same shape."""

    def __init__(self, width: int, kernel: int, shortcut: bool):
        super().__init__()
        pad = kernel // 2
        self.conv1 = nn.Conv2d(width, width, kernel, padding=pad)
        self.act1 = nn.ReLU()
        self.conv2 = nn.Conv2d(width, width, kernel, padding=pad)
        self.act2 = nn.ReLU()
        self.shortcut = shortcut

    def forward(self, x):
        y = self.conv2(self.act1(self.conv1(x)))
        return self.act2(x + y if self.shortcut else y)


def small_cnn(depth: int = 2, width: int = 8, kernel: int = 3, stride: int = 1, *, shortcuts: bool = False,
              in_channels: int = 3, num_classes: int = 10, device: DeviceLike = None) -> nn.Sequential:
    """A stem convolution (``kernel``, ``stride``), ``depth`` units, global pooling and a linear classifier.

    Each unit is two ``kernel`` x ``kernel`` convolutions with ReLUs
    (:class:`ResidualUnit`); ``shortcuts=True`` adds the identity around it
    (a small ResNet), ``False`` leaves a PlainNet.
    """
    for name, v, lo in (("depth", depth, 0), ("width", width, 1), ("kernel", kernel, 1), ("stride", stride, 1),
                        ("in_channels", in_channels, 1), ("num_classes", num_classes, 1)):
        if isinstance(v, bool) or not isinstance(v, int) or v < lo:
            raise ValueError(f"{name} must be an int >= {lo}, got {v!r}")
    if kernel % 2 == 0:
        raise ValueError(f"kernel must be odd (same padding), got {kernel}")
    with torch.device(resolve_device(device)):
        layers: list[nn.Module] = [nn.Conv2d(in_channels, width, kernel, stride=stride, padding=kernel // 2),
                                   nn.ReLU()]
        layers += [ResidualUnit(width, kernel, shortcuts) for _ in range(depth)]
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, num_classes)]
    return nn.Sequential(*layers)


RESNET_DEPTHS = {18: ("basic", (2, 2, 2, 2)), 34: ("basic", (3, 4, 6, 3)), 50: ("bottleneck", (3, 4, 6, 3)),
                 101: ("bottleneck", (3, 4, 23, 3)), 152: ("bottleneck", (3, 8, 36, 3))}
"""He et al. (2016): block type and blocks per stage of ResNet-18 ... 152."""


def _device_context(device):
    dev = resolve_device(device)
    if dev.type == "meta":
        from workbench.nets.zoo_meta import meta_device

        return meta_device()
    return torch.device(dev)


def _plain_blocks():
    from torchvision.models.resnet import BasicBlock, Bottleneck

    class PlainBasicBlock(BasicBlock):
        """torchvision's BasicBlock without the shortcut (identity or downsample)."""

        def forward(self, x):
            out = self.relu(self.bn1(self.conv1(x)))
            return self.relu(self.bn2(self.conv2(out)))

    class PlainBottleneck(Bottleneck):
        """torchvision's Bottleneck without the shortcut (identity or downsample)."""

        def forward(self, x):
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.relu(self.bn2(self.conv2(out)))
            return self.relu(self.bn3(self.conv3(out)))

    return PlainBasicBlock, PlainBottleneck


def resnet_family(depth: int, *, shortcuts: bool = True, num_classes: int = 1000,
                  device: DeviceLike = None) -> nn.Module:
    """ResNet-``depth`` (18, 34, 50, 101, 152) from torchvision's blocks, or its PlainNet (``shortcuts=False``).

    The PlainNet keeps every block's main path (same convolutions, same
    strides and widths) and drops the addition and the downsample projection.
    """
    if depth not in RESNET_DEPTHS:
        raise ValueError(f"depth must be one of {sorted(RESNET_DEPTHS)}, got {depth!r}")
    num_classes = check_int("num_classes", num_classes, min=1)
    from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet

    kind, layers = RESNET_DEPTHS[depth]
    if shortcuts:
        block = BasicBlock if kind == "basic" else Bottleneck
    else:
        plain_basic, plain_bottleneck = _plain_blocks()
        block = plain_basic if kind == "basic" else plain_bottleneck
    with _device_context(device):
        model = ResNet(block, list(layers), num_classes=num_classes)
    if not shortcuts:
        for m in model.modules():
            if isinstance(m, (BasicBlock, Bottleneck)):
                m.downsample = None
    return model.eval()
