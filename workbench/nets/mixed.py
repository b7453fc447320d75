"""MLPs with their own activation per hidden layer (the random networks of ESD Fig. 3).

Berthiaume, Paffenroth & Guo (2020), §4: 200 random MLPs with 1-6 hidden
layers, 2-30 nodes per layer and one of tanh / ReLU / sigmoid per layer.
"""
from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from workbench._runtime import SeedLike
from workbench.nets.multilayer import ACTIVATIONS, check_parameter_bytes, mlp, validate_widths

__all__ = ["MixedMLP", "mixed_mlp"]


class MixedMLP(nn.Module):
    """An MLP with activation ``activations[l]`` after hidden layer ``l`` and none after the output.

    Attributes: ``layers`` (``nn.ModuleList`` of ``nn.Linear``), ``acts``
    (``nn.ModuleList`` of the activation modules), ``widths``, ``activations``
    (names).  Build it seeded with :func:`mixed_mlp`.
    """

    def __init__(self, widths: Sequence[int], activations: Sequence[str]):
        super().__init__()
        ws = validate_widths(widths)
        check_parameter_bytes(ws)
        acts = [str(a) for a in activations]
        if len(acts) != len(ws) - 2:
            raise ValueError(f"activations needs one name per hidden layer ({len(ws) - 2} for widths {ws}), "
                             f"got {len(acts)}: {acts}")
        for a in acts:
            if a not in ACTIVATIONS:
                raise ValueError(f"unknown activation {a!r}; allowed values: {', '.join(map(repr, ACTIVATIONS))}")
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(ws[:-1], ws[1:]))
        self.acts = nn.ModuleList(ACTIVATIONS[a]() for a in acts)
        self.widths = ws
        self.activations = acts

    def forward(self, x):  # noqa: D102
        for lin, act in zip(self.layers[:-1], self.acts):
            x = act(lin(x))
        return self.layers[-1](x)


def mixed_mlp(widths: Sequence[int], activations: Sequence[str], *, seed: SeedLike = None) -> MixedMLP:
    """A :class:`MixedMLP` with PyTorch's default ``nn.Linear`` init drawn from ``seed``.

    The parameters equal those of ``workbench.mlp(widths, seed=seed)`` (same
    draws, same order), so the same seed gives the same network on every
    device; the global RNG is not touched.
    """
    with torch.random.fork_rng(devices=[]):  # nn.Linear's own init draws from the global RNG: keep it as it was
        net = MixedMLP(widths, activations)
    net.load_state_dict(mlp(net.widths, "identity", seed=seed).state_dict())
    return net
