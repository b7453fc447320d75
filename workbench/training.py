"""The one trainer of the workbench: :func:`fit`, :func:`accuracy` and :class:`FitConfig`.

Every experiment that trains a network goes through :func:`fit`, so that the
training recipe (optimiser, batches, seeds, divergence handling) is written
once and every history looks the same: one row per epoch (epoch 0 is the state
before training) with ``epoch, step, loss, train_acc[, test_acc], penalty,
diverged`` plus whatever ``on_epoch`` returns.

A penalty (trajectory regularisation, slope penalties, spectral regularisers)
is a callable ``penalty(model, X_batch, y_batch) -> scalar tensor`` added to
the loss; ``on_epoch(epoch, model) -> dict`` records extra columns (ranks,
slopes, spectra) in the same row; ``on_step(step, model, loss)`` sees every
step (return ``False`` to stop early).

Seeds: ``seed`` (int or ``torch.Generator``) drives the batch order only; the
network's initial weights are the caller's (build them seeded in ``nets``).
No global RNG state is touched.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping, Sequence

import pandas as pd
import torch
from torch import nn

from ._runtime import DeviceLike, SeedLike, generator, resolve_device

__all__ = ["FitConfig", "fit", "accuracy", "as_tensors"]

LOSSES = ("cross_entropy", "mse")
OPTIMIZERS = ("sgd", "adam")


@dataclass(frozen=True)
class FitConfig:
    """A training recipe.

    ``batch_size=None`` is full-batch gradient descent.  ``loss`` is
    ``"cross_entropy"`` (integer labels, logits out) or ``"mse"`` (targets of
    the output's shape; integer labels are one-hot encoded).  ``eval_every``
    records a history row every that many epochs (the last epoch always).
    """

    epochs: int = 10
    batch_size: int | None = 100
    lr: float = 0.1
    optimizer: str = "sgd"
    momentum: float = 0.0
    weight_decay: float = 0.0
    loss: str = "cross_entropy"
    eval_every: int = 1

    def __post_init__(self):
        if isinstance(self.epochs, bool) or not isinstance(self.epochs, int) or self.epochs < 0:
            raise ValueError(f"FitConfig.epochs must be a non-negative int, got {self.epochs!r}")
        if self.batch_size is not None and (not isinstance(self.batch_size, int) or self.batch_size < 1):
            raise ValueError(f"FitConfig.batch_size must be a positive int or None (full batch), got {self.batch_size!r}")
        for name in ("lr", "momentum", "weight_decay"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                raise ValueError(f"FitConfig.{name} must be a finite number >= 0, got {v!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"FitConfig.optimizer must be one of {OPTIMIZERS}, got {self.optimizer!r}")
        if self.loss not in LOSSES:
            raise ValueError(f"FitConfig.loss must be one of {LOSSES}, got {self.loss!r}")
        if not isinstance(self.eval_every, int) or self.eval_every < 1:
            raise ValueError(f"FitConfig.eval_every must be a positive int, got {self.eval_every!r}")

    def but(self, **changes) -> "FitConfig":
        """A copy with some fields changed (``cfg.but(lr=0.01)``)."""
        return replace(self, **changes)


def as_tensors(data: Any, name: str = "data") -> tuple[torch.Tensor, torch.Tensor]:
    """``(X, y)`` from a :class:`workbench.data.Dataset`, a pair of tensors or arrays."""
    if data is None:
        raise TypeError(f"{name} must be a workbench Dataset or a pair (X, y), got None")
    if hasattr(data, "X") and hasattr(data, "y"):
        X, y = data.X, data.y
    elif isinstance(data, (tuple, list)) and len(data) == 2:
        X, y = data
    else:
        raise TypeError(f"{name} must be a workbench Dataset or a pair (X, y), got {type(data).__name__}")
    X = torch.as_tensor(X)
    y = torch.as_tensor(y)
    if X.ndim < 1 or len(X) == 0:
        raise ValueError(f"{name}: X is empty (shape {tuple(X.shape)})")
    if len(X) != len(y):
        raise ValueError(f"{name}: X has {len(X)} samples but y has {len(y)}")
    if X.is_floating_point() and not torch.isfinite(X).all():
        raise ValueError(f"{name}: X contains NaN or inf")
    return X, y


def _loss_fn(kind: str, n_out: int | None):
    if kind == "cross_entropy":
        return nn.functional.cross_entropy

    def mse(out, y):
        if not y.is_floating_point():
            y = nn.functional.one_hot(y, out.shape[-1]).to(out.dtype)
        return nn.functional.mse_loss(out, y.reshape(out.shape).to(out.dtype))

    return mse


def _param_dtype(model: nn.Module) -> torch.dtype:
    for p in model.parameters():
        return p.dtype
    return torch.get_default_dtype()


@torch.no_grad()
def accuracy(model: nn.Module, X: torch.Tensor, y: torch.Tensor, *, batch_size: int = 4096,
             device: DeviceLike = None) -> float:
    """Fraction of ``argmax(model(X)) == y``, in eval mode and in chunks (train mode restored)."""
    dev = resolve_device(device)
    was = model.training
    model.eval()
    try:
        hits = 0
        for lo in range(0, len(X), batch_size):
            xb = X[lo:lo + batch_size].to(dev, _param_dtype(model))
            hits += int((model(xb).argmax(-1).cpu() == y[lo:lo + batch_size].cpu()).sum())
    finally:
        model.train(was)
    return hits / max(len(X), 1)


def _mean_loss(model, lossf, X, y, dev, batch_size=4096) -> float:
    was = model.training
    model.eval()
    tot = 0.0
    with torch.no_grad():
        for lo in range(0, len(X), batch_size):
            out = model(X[lo:lo + batch_size].to(dev, _param_dtype(model)))
            tot += float(lossf(out, y[lo:lo + batch_size].to(dev))) * len(out)
    model.train(was)
    return tot / len(X)


def fit(model: nn.Module, data: Any, config: FitConfig = FitConfig(), *,
        test: Any = None,
        params: Sequence[torch.nn.Parameter] | None = None,
        penalty: Callable[[nn.Module, torch.Tensor, torch.Tensor], torch.Tensor] | None = None,
        on_step: Callable[[int, nn.Module, float], Any] | None = None,
        on_epoch: Callable[[int, nn.Module], Mapping[str, Any] | None] | None = None,
        seed: SeedLike = 0, device: DeviceLike = None, progress: bool = False) -> pd.DataFrame:
    """Train ``model`` in place on ``data`` and return its history, one row per recorded epoch.

    Parameters
    ----------
    model : the network (moved to ``device``).
    data, test : a :class:`workbench.data.Dataset` or a pair ``(X, y)``; ``test`` is optional.
    config : :class:`FitConfig`.
    params : the parameters to train (default: all of ``model``'s that require grad);
        e.g. one layer only for Raghu et al.'s train-one-layer experiment.
    penalty : ``penalty(model, X_batch, y_batch)`` -> scalar added to the loss.
    on_step : called after every optimiser step with ``(step, model, loss)``;
        returning ``False`` stops training after that step.
    on_epoch : called at every recorded epoch (0 included) with ``(epoch, model)``;
        the dict it returns becomes extra columns of that row.
    seed : int or ``torch.Generator`` for the batch order.
    progress : a ``tqdm.auto`` bar over epochs.

    Returns
    -------
    DataFrame with ``epoch, step, loss`` (mean training loss over the data at that
    epoch, without the penalty), ``penalty`` (mean penalty over the epoch's
    batches, 0 without one), ``train_acc`` and ``test_acc`` (classification
    losses only; ``test_acc``/``test_loss`` when ``test`` is given), ``diverged``.
    A run whose loss becomes NaN/inf stops; its last row has ``diverged=True``
    and no exception is raised, so a notebook sweeping learning rates goes on.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(config, FitConfig):
        raise TypeError(f"config must be a FitConfig, got {type(config).__name__}")
    dev = resolve_device(device)
    X, y = as_tensors(data, "data")
    Xt, yt = as_tensors(test, "test") if test is not None else (None, None)
    model.to(dev)
    params = [p for p in model.parameters() if p.requires_grad] if params is None else list(params)
    if not params:
        raise ValueError("fit: nothing to train (no parameter requires grad and no params were given)")
    for p in params:
        if not torch.isfinite(p).all():
            raise ValueError("fit: the model's parameters contain NaN or inf before training")
    if config.optimizer == "sgd":
        opt = torch.optim.SGD(params, lr=config.lr, momentum=config.momentum, weight_decay=config.weight_decay)
    else:
        opt = torch.optim.Adam(params, lr=config.lr, weight_decay=config.weight_decay)
    classify = config.loss == "cross_entropy"
    lossf = _loss_fn(config.loss, None)
    g = generator(seed)
    dtype = _param_dtype(model)
    Xd, yd = X.to(dev, dtype), y.to(dev)
    n = len(X)
    bs = n if config.batch_size is None else min(config.batch_size, n)

    rows: list[dict] = []
    step = 0
    diverged = False
    stop = False

    def record(epoch: int, pen: float):
        loss = _mean_loss(model, lossf, Xd, yd, dev)
        row = dict(epoch=epoch, step=step, loss=loss, penalty=pen)
        if classify:
            row["train_acc"] = accuracy(model, Xd, yd, device=dev)
        if Xt is not None:
            row["test_loss"] = _mean_loss(model, lossf, Xt, yt, dev)
            if classify:
                row["test_acc"] = accuracy(model, Xt, yt, device=dev)
        row["diverged"] = diverged or not math.isfinite(loss)
        if on_epoch is not None and not row["diverged"]:
            extra = on_epoch(epoch, model)
            if extra:
                clash = set(extra) & set(row)
                if clash:
                    raise ValueError(f"on_epoch returned columns that fit records itself: {sorted(clash)}")
                row.update(extra)
        rows.append(row)

    record(0, 0.0)
    epochs = range(1, config.epochs + 1)
    if progress:
        from tqdm.auto import tqdm
        epochs = tqdm(epochs, desc="training", leave=False)
    model.train()
    for ep in epochs:
        perm = torch.randperm(n, generator=g).to(dev)
        pen_sum, nb = 0.0, 0
        for lo in range(0, n, bs):
            idx = perm[lo:lo + bs]
            xb, yb = Xd[idx], yd[idx]
            loss = lossf(model(xb), yb)
            if penalty is not None:
                pen = penalty(model, xb, yb)
                pen_sum += float(pen.detach())
                nb += 1
                loss = loss + pen
            if not torch.isfinite(loss):
                diverged = True
                break
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            if on_step is not None and on_step(step, model, float(loss.detach())) is False:
                stop = True
                break
        if diverged or stop or ep % config.eval_every == 0 or ep == config.epochs:
            record(ep, pen_sum / nb if nb else 0.0)
        if diverged or stop or rows[-1]["diverged"]:
            if rows[-1]["diverged"]:
                diverged = True
            break
    model.eval()
    hist = pd.DataFrame(rows)
    hist.attrs["diverged"] = diverged
    return hist
