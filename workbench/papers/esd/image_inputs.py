"""ESD paper (Berthiaume et al. 2020): §5.3 (Fig. 8, Table 2), real images for §6 (Figs. 11-12), Table 4 robustness.

* :func:`resnet_vs_add_inputs`: a small ResNet against its add-inputs twin
  (shortcuts that sample the input image with stride ``2^n``), trained on
  3,000 CIFAR-10 images when they are on disk, on the bundled digits
  otherwise (the table says which);
* :func:`digit_images`: real images as §6 inputs (the bundled digits, resized
  and repeated to the wanted shape) for the image-input variant of Figs. 11-12;
* :func:`correlation_robustness`: how the §6 correlations move when networks are
  left out one at a time or only random halves of them are kept (Table 4's
  p-values under subsets).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import torch
from torch import nn

from workbench._runtime import DeviceLike, SeedLike, generator, int_seed, progress_bar
from workbench.experiments.presets import Presets
from workbench.nets.input_shortcut_resnet import input_shortcut_resnet

__all__ = ["ResNetInputsConfig", "resnet_vs_add_inputs", "digit_images", "correlation_robustness"]


@dataclass(frozen=True)
class ResNetInputsConfig(Presets):
    """§5.3: ResNet vs add-inputs ResNet on ``n_train`` CIFAR-10 images (paper: 3,000, SGD).

    ``dataset="cifar10"`` falls back to the bundled 8x8 digits when CIFAR-10
    is not in the local data folder.  ``stages`` residual stages (``stages - 1``
    max pools); ``epochs`` are the numbers of epochs reported (Table 2 rows).
    The paper trains with SGD (its settings are not given); ours default to
    Adam (``lr=3e-3``), because plain SGD with momentum left these small
    un-normalised ResNets at chance for the first ten epochs in our trials.
    """

    dataset: str = "cifar10"
    n_train: int = 3000
    n_test: int = 1000
    channels: int = 16
    stages: int = 3
    epochs: tuple = (5, 10, 20)
    runs: int = 3
    batch_size: int = 32
    lr: float = 3e-3
    optimizer: str = "adam"
    momentum: float = 0.9
    seed: int = 0

    @classmethod
    def smoke(cls, **kw) -> ResNetInputsConfig:
        return replace(cls(n_train=300, n_test=200, channels=8, epochs=(2, 6), runs=1), **kw)

    @classmethod
    def full(cls, **kw) -> ResNetInputsConfig:
        return replace(cls(), **kw)


def _image_data(cfg: ResNetInputsConfig):
    from workbench import data

    train = data.load(cfg.dataset, train=True, n=cfg.n_train, seed=cfg.seed)
    if train.name == "digits":  # the fallback is flat: reload as images and split
        full = data.digits(flatten=False)
        X = (full.X - full.X.mean()) / full.X.std()
        full = data.Dataset(X, full.y, full.name, full.source, full.n_classes)
        train, test = full.split(min(cfg.n_train, int(0.7 * len(full))), seed=cfg.seed)
        n_test = min(cfg.n_test, len(test))
        test = data.Dataset(test.X[:n_test], test.y[:n_test], test.name, test.source, test.n_classes)
        return train, test
    test = data.load(cfg.dataset, train=False, n=cfg.n_test, seed=cfg.seed, fallback=None)
    mean, std = train.X.mean(dim=(0, 2, 3), keepdim=True), train.X.std(dim=(0, 2, 3), keepdim=True)
    norm = lambda d: data.Dataset((d.X - mean) / std, d.y, d.name, d.source, d.n_classes)  # noqa: E731
    return norm(train), norm(test)


def resnet_vs_add_inputs(config: ResNetInputsConfig = ResNetInputsConfig(), *, device: DeviceLike = None,
                         progress: bool = True) -> pd.DataFrame:
    """Fig. 8 and Table 2: training and test accuracy per epoch of ResNet and add-inputs ResNet.

    Returns one row per (model, run, epoch): ``model, run, epoch, train_acc,
    test_acc, loss, n_params, dataset, source, n_train``.  Trained with
    :func:`workbench.training.fit` (``config.optimizer``); both models of a run
    see the same batch order.
    """
    from workbench.training import FitConfig, fit

    train, test = _image_data(config)
    C = int(train.X.shape[1])
    n_classes = int(train.n_classes or int(train.y.max()) + 1)
    side = int(train.X.shape[-1])
    if side % 2 ** (config.stages - 1):
        raise ValueError(f"images of side {side} cannot be halved {config.stages - 1} times; lower stages")
    fc = FitConfig(epochs=max(config.epochs), batch_size=config.batch_size, lr=config.lr,
                   optimizer=config.optimizer, momentum=config.momentum if config.optimizer == "sgd" else 0.0)
    frames = []
    jobs = [(k, r) for r in range(config.runs) for k in ("resnet", "add-inputs")]
    for kind, run in progress_bar(jobs, None, "ResNet vs add-inputs", progress, unit="run"):
        net = input_shortcut_resnet(kind, in_channels=C, channels=config.channels, stages=config.stages,
                                    n_classes=n_classes, seed=config.seed + run)
        h = fit(net, train, fc, test=test, seed=config.seed + run, device=device)
        h = h[h.epoch > 0].copy()
        h.insert(0, "model", kind)
        h.insert(1, "run", run)
        h["n_params"] = sum(p.numel() for p in net.parameters())
        frames.append(h)
    out = pd.concat(frames, ignore_index=True)
    out["dataset"] = train.name.replace(" (train)", "")
    out["source"], out["n_train"] = train.source, len(train)
    return out


def digit_images(n: int, shape: tuple[int, ...], *, seed: SeedLike = 0) -> torch.Tensor:
    """``n`` real images of ``shape = (C, H, W)``: bundled digits drawn with ``seed``, resized, repeated over C.

    Standardised to mean 0, variance 1 over the whole set (the paper feeds
    ImageNet crops; these are the real images that ship with scikit-learn).
    """
    from workbench import data

    if len(shape) != 3 or any(isinstance(s, bool) or not isinstance(s, int) or s < 1 for s in shape):
        raise ValueError(f"shape must be (C, H, W) of positive ints, got {shape!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    ds = data.digits(flatten=False)
    idx = torch.randint(0, len(ds), (n,), generator=generator(seed))
    X = nn.functional.interpolate(ds.X[idx].float(), size=shape[1:], mode="bilinear", align_corners=False)
    X = X.repeat(1, shape[0], 1, 1)
    return ((X - X.mean()) / X.std()).contiguous()


def correlation_robustness(summary: pd.DataFrame, *, x: str = "esd", y: str = "top1_error",
                           reduce: str | None = None, n_halves: int = 500, seed: SeedLike = 0) -> pd.DataFrame:
    """Pearson r and p of ``y`` against ``x`` on all networks, leaving each out, and on random halves.

    ``summary`` is :func:`workbench.papers.esd.esd_real_summary`'s table (one row per
    model and reduce; pass ``reduce`` to pick one).  Returns one row per
    subset: ``subset`` (``"all"``, ``"leave-one-out"``, ``"half"``: ``max(3, n // 2)`` networks drawn at random),
    ``left_out`` (model name for leave-one-out), ``n``, ``r``, ``p_value``.
    Summarise with ``groupby("subset")``: the spread says how much the paper's
    Table 4 p-values hang on single networks.
    """
    from scipy import stats

    need = {"model", x, y}
    if not isinstance(summary, pd.DataFrame) or not need <= set(summary.columns):
        raise ValueError(f"summary needs columns {sorted(need)}")
    t = summary if reduce is None else summary[summary["reduce"] == reduce]
    if reduce is None and "reduce" in t and t["reduce"].nunique() > 1:
        raise ValueError(f"summary has several reduces {sorted(t['reduce'].unique())}; pass reduce=")
    if len(t) < 4:
        raise ValueError(f"need at least 4 networks for subsets, got {len(t)}")
    if isinstance(n_halves, bool) or not isinstance(n_halves, int) or n_halves < 1:
        raise ValueError(f"n_halves must be a positive int, got {n_halves!r}")
    xs, ys, names = t[x].to_numpy(float), t[y].to_numpy(float), t["model"].tolist()

    def corr(mask):
        r, p = stats.pearsonr(xs[mask], ys[mask])
        return float(r), float(p)

    n = len(xs)
    rows = [dict(subset="all", left_out="", n=n, **dict(zip(("r", "p_value"), corr(np.ones(n, bool)))))]
    for i in range(n):
        m = np.ones(n, bool)
        m[i] = False
        rows.append(dict(subset="leave-one-out", left_out=names[i], n=n - 1, **dict(zip(("r", "p_value"), corr(m)))))
    rng = np.random.default_rng(int_seed(seed))
    k = max(3, n // 2)  # a correlation of two points is always +-1
    for _ in range(n_halves):
        m = np.zeros(n, bool)
        m[rng.choice(n, size=k, replace=False)] = True
        rows.append(dict(subset="half", left_out="", n=k, **dict(zip(("r", "p_value"), corr(m)))))
    return pd.DataFrame(rows)
