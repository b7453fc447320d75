"""Many random initialisations of one architecture as one batched object.

Built on ``torch.func.stack_module_state`` / ``functional_call`` / ``vmap``: the
parameters of ``n`` networks are stacked along a leading axis and one vectorised
call evaluates them all.  This is the engine for sweeps over seeds.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import torch
from torch import nn
from torch.func import functional_call, stack_module_state, vmap

from workbench._runtime import DeviceLike, SeedLike, int_seed, resolve_device
from workbench.nets.multilayer import mlp

__all__ = ["Ensemble", "mlp_ensemble"]


class Ensemble:
    """``n`` networks of one architecture evaluated in one vectorised call.

    Parameters
    ----------
    models
        Networks with identical structure (same parameter names and shapes).
    device
        Where the stacked parameters live (``None``: :func:`workbench.device`).

    Attributes
    ----------
    params, buffers
        Dicts of stacked tensors, each with a leading axis of length ``n``.
    base
        A structural copy of the first model on the ``meta`` device (no data);
        its attributes (``widths``, ``activation`` ...) describe every member.
    """

    def __init__(self, models: Sequence[nn.Module], *, device: DeviceLike = None):
        models = list(models)
        if not models:
            raise ValueError("an Ensemble needs at least one model")
        shapes0 = {k: v.shape for k, v in models[0].state_dict().items()}
        for i, m in enumerate(models[1:], 1):
            shapes = {k: v.shape for k, v in m.state_dict().items()}
            if shapes != shapes0:
                raise ValueError(f"model {i} does not have the architecture of model 0")
        self.device = resolve_device(device)
        models = [m.to(self.device) for m in models]
        self.params, self.buffers = stack_module_state(models)
        self.base = copy.deepcopy(models[0]).to("meta")

    def __len__(self) -> int:
        return next(iter(self.params.values())).shape[0]

    def _call(self, method_kwargs: dict, X: torch.Tensor):
        def one(p, b, x):
            return functional_call(self.base, (p, b), (x,), method_kwargs)

        if not isinstance(X, torch.Tensor):
            raise TypeError(f"an Ensemble takes a tensor of inputs, got {type(X).__name__}")
        widths = getattr(self.base, "widths", None)
        if widths is not None and (X.dim() < 1 or X.shape[-1] != widths[0]):
            raise ValueError(
                f"inputs of shape {tuple(X.shape)} do not fit this ensemble of {list(widths)} networks, which take "
                f"{widths[0]} input(s); pass (batch, {widths[0]}) for the same points to every member or "
                f"({len(self)}, batch, {widths[0]}) for each member's own")
        X = X.to(self.device)
        n = len(self)
        # X shared by all members: (batch, in); per member: (n, batch, in)
        shared = X.dim() < 3 or X.shape[0] != n
        in_dims = (0, 0, None if shared else 0)
        return vmap(one, in_dims=in_dims)(self.params, self.buffers, X)

    def __call__(self, X: torch.Tensor) -> torch.Tensor:
        """Outputs of every member: ``(n, batch, n_out)``.

        ``X`` is ``(batch, n_in)`` (the same inputs for every member) or
        ``(n, batch, n_in)`` (its own inputs per member).
        """
        return self._call({}, X)

    def trace(self, X: torch.Tensor):
        """Batched :meth:`workbench.MLP.trace`: every tensor gains a leading ``n`` axis."""
        return self._call({"trace": True}, X)

    def member(self, i: int) -> nn.Module:
        """Member ``i`` as an ordinary module (a copy)."""
        if not -len(self) <= i < len(self):
            raise IndexError(f"member {i} out of range for an ensemble of {len(self)}")
        m = copy.deepcopy(self.base).to_empty(device=self.device)
        state = {k: v[i] for k, v in {**self.params, **self.buffers}.items()}
        m.load_state_dict(state)
        return m

    def map(self, fn: Callable[[dict, torch.Tensor], torch.Tensor], X: torch.Tensor) -> torch.Tensor:
        """``vmap`` an arbitrary ``fn(params, x)`` over the members (advanced use)."""
        return vmap(fn, in_dims=(0, None))(self.params, X.to(self.device))


def mlp_ensemble(
    widths: Sequence[int],
    n: int,
    activation: str = "relu",
    *,
    seed: SeedLike = 0,
    device: DeviceLike = None,
    **mlp_kwargs,
) -> Ensemble:
    """``n`` random inits of ``mlp(widths, activation, **mlp_kwargs)``.

    Member ``i`` is exactly ``mlp(..., seed=s + i)`` where ``s`` is ``seed``
    (an int; a generator or ``None`` first draws ``s``), so any member can be
    rebuilt on its own.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int (number of members), got {n!r}")
    s = int_seed(seed)
    models = [mlp(widths, activation, seed=s + i, **mlp_kwargs) for i in range(n)]
    ens = Ensemble(models, device=device)
    ens.seeds = [s + i for i in range(n)]
    return ens


def is_ensemble(net) -> bool:
    """Whether ``net`` is an :class:`Ensemble` (or quacks like one: stacked ``params`` and a ``base``)."""
    return isinstance(net, Ensemble) or (hasattr(net, "params") and hasattr(net, "base"))


__all__ += ["is_ensemble"]
