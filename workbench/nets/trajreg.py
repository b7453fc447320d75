"""Trajectory regularisation (Raghu et al. 2017, §5 "Trajectory Regularization").

The paper replaces every batch-norm layer of a conv net by a layer that "adds
to the loss ``lambda (current length / orig length)``, and then scales the
outgoing activations by ``lambda``, where ``lambda`` is a parameter to be
learnt", the additional loss being scaled by a small constant (0.01 in the
paper) against the classification loss.  Lengths are those of the
piecewise-linear trajectory through the minibatch's consecutive points.

Our reading of "orig length": the length of that trajectory through the same
minibatch at the network's input, so the penalty is ``strength * lambda *``
(the trajectory's growth factor from the input to this layer); the paper does
not define it further.  The layer computes the same thing in training and
evaluation (no running statistics), the paper's point against batch norm.
"""
from __future__ import annotations

import torch
from torch import nn

__all__ = ["TrajectoryRegularization", "minibatch_trajectory_length", "trajectory_penalty"]


def minibatch_trajectory_length(a: torch.Tensor) -> torch.Tensor:
    """``sum_i ||a_{i+1} - a_i||`` over the batch axis (each sample flattened); 0 for a batch of one."""
    if a.ndim < 1:
        raise ValueError(f"a must have a batch axis, got a scalar of shape {tuple(a.shape)}")
    flat = a.reshape(a.shape[0], -1)
    if flat.shape[0] < 2:
        return flat.new_zeros(())
    return (flat[1:] - flat[:-1]).norm(dim=-1).sum()


class TrajectoryRegularization(nn.Module):
    """The trajectory-regularisation layer: output ``lam * a``, with ``lam`` a learnt scalar (init 1).

    In training (batch of two or more) the forward pass keeps the length of
    the minibatch trajectory of its input, :func:`minibatch_trajectory_length`,
    in ``.length`` (a tensor in the autograd graph); :func:`trajectory_penalty`
    turns the lengths of all such layers of a model into the paper's penalty.
    """

    def __init__(self):
        super().__init__()
        self.lam = nn.Parameter(torch.ones(()))
        self.length: torch.Tensor | None = None

    def forward(self, a: torch.Tensor) -> torch.Tensor:  # noqa: D102
        self.length = minibatch_trajectory_length(a) if self.training and a.shape[0] > 1 else None
        return self.lam * a


def trajectory_penalty(model: nn.Module, X: torch.Tensor, y: torch.Tensor | None = None, *,
                       strength: float = 0.01) -> torch.Tensor:
    """``strength * sum_layers lam_l * (current length_l / orig length)`` after a forward pass on ``X``.

    ``current length_l``: the minibatch trajectory length at the input of
    trajectory-regularisation layer ``l`` in the last forward pass (training
    mode); ``orig length``: the same length of ``X`` itself.  Signature of a
    :func:`workbench.training.fit` penalty (``y`` is unused); use
    ``functools.partial(trajectory_penalty, strength=...)`` for another constant.
    Layers that recorded no length (evaluation mode, batch of one) add nothing.
    """
    layers = [m for m in model.modules() if isinstance(m, TrajectoryRegularization)]
    if not layers:
        raise ValueError("trajectory_penalty: the model has no TrajectoryRegularization layer")
    orig = minibatch_trajectory_length(X.detach()).clamp_min(torch.finfo(torch.float32).tiny)
    total = X.new_zeros((), dtype=layers[0].lam.dtype)
    for m in layers:
        if m.length is not None:
            total = total + m.lam * (m.length / orig.to(m.length.dtype))
    return strength * total
