"""SVD layers ``U diag(S) V`` and the layer spectrum regulariser (Wang et al. 2016, §5).

A fully connected layer ``W`` (``out x in``) is replaced by three factors:
``U`` (``out x k``), ``S`` (``k``) and ``V`` (``k x in``), ``k = min(out, in)``,
initialised from the SVD of a default-initialised ``W``.  The regulariser
``r_layer(W, lambda) = -lambda sum log sigma`` acts on ``S`` directly
(:func:`svd_log_penalty`); after gradient updates ``U`` and ``V`` are no longer
orthonormal, and :func:`reorthonormalize` resets ``U diag(S) V = SVD(U' diag(S') V')``
(the paper does this "every epoch"; :func:`reorthonormalize_every` gives an
``on_step`` callback for :func:`workbench.training.fit` with any period).
For inference the three factors multiply back into one matrix (:meth:`SVDLinear.weight`).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
from torch import nn

from workbench._runtime import SeedLike, generator
from workbench.validation import check_int

__all__ = ["SVDLinear", "svd_net", "reorthonormalize", "reorthonormalize_every", "svd_log_penalty",
           "orthonormality_error"]


class SVDLinear(nn.Module):
    """``y = U diag(S) V x + b``: a linear layer in SVD form (Wang et al. 2016, §5)."""

    def __init__(self, in_features: int, out_features: int, *, bias: bool = True, seed: SeedLike = 0):
        super().__init__()
        for name, v in (("in_features", in_features), ("out_features", out_features)):
            if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
                raise ValueError(f"{name} must be a positive int, got {v!r}")
        self.in_features, self.out_features = in_features, out_features
        k = min(in_features, out_features)
        g = generator(seed)
        bound = 1.0 / math.sqrt(in_features)
        W = torch.empty(out_features, in_features).uniform_(-bound, bound, generator=g)
        U, S, Vh = torch.linalg.svd(W, full_matrices=False)
        self.U = nn.Parameter(U)
        self.S = nn.Parameter(S)
        self.V = nn.Parameter(Vh)
        self.bias = nn.Parameter(torch.empty(out_features).uniform_(-bound, bound, generator=g)) if bias else None
        assert self.S.shape == (k,)

    def weight(self) -> torch.Tensor:
        """The merged matrix ``U diag(S) V`` (``out x in``)."""
        return (self.U * self.S) @ self.V

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # noqa: D102
        y = ((x @ self.V.T) * self.S) @ self.U.T
        return y + self.bias if self.bias is not None else y

    @torch.no_grad()
    def reorthonormalize(self) -> None:
        """``U diag(S) V <- SVD(U diag(S) V)``: the same matrix with orthonormal ``U``, ``V`` and ``S >= 0``.

        Each singular pair's sign is chosen to agree with the current ``U``
        (``u_new . u_old >= 0``), so that an optimiser's momentum, accumulated in
        the old coordinates, keeps pointing the same way (an SVD routine may
        return either sign; without this, SGD with momentum 0.9 diverges when
        re-orthonormalising every step).
        """
        W = self.weight()
        if not torch.isfinite(W).all():  # a diverged step: leave it to the trainer's divergence check
            return
        U, S, Vh = torch.linalg.svd(W, full_matrices=False)
        sign = torch.where((U * self.U).sum(0) < 0, -1.0, 1.0).to(U.dtype)
        U, Vh = U * sign, Vh * sign[:, None]
        self.U.copy_(U)
        self.S.copy_(S)
        self.V.copy_(Vh)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, k={self.S.numel()}"


def svd_net(n_in: int, hidden: Sequence[int], n_out: int, *, seed: SeedLike = 0) -> nn.Sequential:
    """A ReLU classifier whose hidden layers are :class:`SVDLinear` (the output layer is ``nn.Linear``).

    Inputs of any shape are flattened first.  Same widths as
    ``workbench.nets.feedforward.dense_net(n_in, hidden, n_out)``.
    """
    n_in = check_int("n_in", n_in, min=1)
    n_out = check_int("n_out", n_out, min=1)
    hidden = [check_int(f"hidden[{i}]", h, min=1) for i, h in enumerate(hidden)]
    g = generator(seed)
    layers: list[nn.Module] = [nn.Flatten()]
    width = n_in
    for h in hidden:
        layers += [SVDLinear(width, h, seed=int(torch.randint(0, 2**31, (1,), generator=g))), nn.ReLU()]
        width = h
    out = nn.Linear(width, n_out)
    with torch.no_grad():
        bound = 1.0 / math.sqrt(width)
        out.weight.copy_(torch.empty(out.weight.shape).uniform_(-bound, bound, generator=g))
        out.bias.copy_(torch.empty(out.bias.shape).uniform_(-bound, bound, generator=g))
    layers.append(out)
    return nn.Sequential(*layers)


def _svd_layers(net: nn.Module) -> list[SVDLinear]:
    return [m for m in net.modules() if isinstance(m, SVDLinear)]


def reorthonormalize(net: nn.Module) -> int:
    """Re-orthonormalise every :class:`SVDLinear` of ``net``; returns how many there were."""
    layers = _svd_layers(net)
    for m in layers:
        m.reorthonormalize()
    return len(layers)


def reorthonormalize_every(period: int = 1) -> Callable[[int, nn.Module, float], None]:
    """An ``on_step`` callback for :func:`workbench.training.fit` that re-orthonormalises every ``period`` steps."""
    if isinstance(period, bool) or not isinstance(period, int) or period < 1:
        raise ValueError(f"period must be a positive int (steps), got {period!r}")

    def on_step(step: int, model: nn.Module, loss: float) -> None:
        if step % period == 0:
            reorthonormalize(model)

    return on_step


def svd_log_penalty(lam: float) -> Callable[[nn.Module, torch.Tensor, torch.Tensor], torch.Tensor]:
    """``penalty(model, X, y) = -lam * sum over SVD layers of sum log S`` for :func:`workbench.training.fit`.

    ``r_layer(W_l, lambda)`` of Wang et al. (2016) §5.  ``|S|`` is used (an
    update may push an entry of ``S`` below zero between re-orthonormalisations;
    the SVD afterwards restores the sign into ``U``), clamped at 1e-12.
    """
    if isinstance(lam, bool) or not isinstance(lam, (int, float)) or not math.isfinite(lam) or lam < 0:
        raise ValueError(f"lam must be a finite number >= 0, got {lam!r}")

    def penalty(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        layers = _svd_layers(model)
        if not layers:
            raise ValueError("svd_log_penalty: the model has no SVDLinear layer to regularise (build it with svd_net)")
        return -lam * sum(m.S.abs().clamp_min(1e-12).log().sum() for m in layers)

    return penalty


@torch.no_grad()
def orthonormality_error(net: nn.Module) -> float:
    """``max_l max(||U_l^T U_l - I||, ||V_l V_l^T - I||)`` (max abs entry) over the SVD layers."""
    err = 0.0
    for m in _svd_layers(net):
        k = m.S.numel()
        eye = torch.eye(k, dtype=m.U.dtype, device=m.U.device)
        err = max(err, float((m.U.T @ m.U - eye).abs().max()), float((m.V @ m.V.T - eye).abs().max()))
    return err
