"""Device policy and randomness contract shared by the whole package.

* ``device()`` is the one place that decides where heavy work runs: CUDA when
  available, overridden by the environment variable ``WORKBENCH_DEVICE``.
* Every function that draws takes ``seed`` (an int, a ``torch.Generator`` or
  ``None``); :func:`generator` turns it into a ``torch.Generator``.  Parameters
  are always drawn on the CPU and moved afterwards, so the same seed gives the
  same network on every device.
"""
from __future__ import annotations

import os
from typing import Union

import torch

SeedLike = Union[int, torch.Generator, None]
DeviceLike = Union[str, torch.device, None]

ENV_DEVICE = "WORKBENCH_DEVICE"


def device() -> torch.device:
    """Return the default device of the workbench.

    CUDA (``cuda``) when a GPU is available, otherwise ``cpu``.  The environment
    variable ``WORKBENCH_DEVICE`` (for example ``cpu``, ``cuda:1``) overrides the
    choice.  Raises ``RuntimeError`` if the override names CUDA and none is
    available, and ``ValueError`` if it is not a device name torch knows.
    """
    override = os.environ.get(ENV_DEVICE, "").strip()
    if override:
        try:
            dev = torch.device(override)
        except RuntimeError as exc:  # torch raises RuntimeError for bad strings
            raise ValueError(
                f"{ENV_DEVICE}={override!r} is not a device name; use e.g. 'cpu' or 'cuda'"
            ) from exc
        if dev.type == "cuda" and not torch.cuda.is_available():
            raise RuntimeError(
                f"{ENV_DEVICE}={override!r} asks for CUDA but no CUDA device is available; "
                "unset it or set it to 'cpu'"
            )
        return dev
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def resolve_device(dev: DeviceLike = None) -> torch.device:
    """``None`` means :func:`device`; anything else is passed to ``torch.device``."""
    if dev is None:
        return device()
    return torch.device(dev)


def module_on(net: torch.nn.Module, dev: torch.device):
    """``net`` as a function evaluated on ``dev``, without moving the module itself.

    The module when all its tensors are already on ``dev``; otherwise ``torch.func.functional_call``
    with copies of its parameters and buffers on ``dev``.  The copies are made with ``Tensor.to``, so
    gradients still reach the module's own parameters.  The module's mode (train / eval) is used as it is.
    """
    def here(t: torch.Tensor) -> bool:
        return t.device.type == dev.type and (dev.index is None or t.device.index == dev.index)

    if all(here(t) for t in net.parameters()) and all(here(t) for t in net.buffers()):
        return net
    from torch.func import functional_call

    params = {k: v.to(dev) for k, v in net.named_parameters()}
    buffers = {k: v.to(dev) for k, v in net.named_buffers()}
    return lambda *args: functional_call(net, (params, buffers), args)


def generator(seed: SeedLike = None) -> torch.Generator:
    """A CPU ``torch.Generator`` for ``seed``.

    An ``int`` seeds a new generator, a ``Generator`` is returned as it is (so
    successive draws continue its stream), ``None`` draws fresh OS entropy.
    """
    if isinstance(seed, torch.Generator):
        return seed
    g = torch.Generator(device="cpu")
    if seed is None:
        g.seed()
    else:
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise TypeError(f"seed must be an int, a torch.Generator or None, not {type(seed).__name__}")
        if seed < 0:
            raise ValueError(f"seed must be non-negative, got {seed}")
        g.manual_seed(int(seed))
    return g


def check_seed(seed: SeedLike, name: str = "seed") -> SeedLike:
    """``seed`` if it is an int >= 0, a ``torch.Generator`` or ``None``; TypeError / ValueError naming it otherwise."""
    if seed is None or isinstance(seed, torch.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"{name} must be an int, a torch.Generator or None, not {type(seed).__name__} ({seed!r})")
    if seed < 0:
        raise ValueError(f"{name} must be non-negative, got {seed}")
    return seed


def sub_seed(seed: SeedLike, *keys: int) -> int:
    """The integer seed of the sub-stream ``keys`` of ``seed``, derived with ``numpy.random.SeedSequence``.

    ``sub_seed(s, i)`` and ``sub_seed(s, i, j)`` are statistically independent
    streams for different keys (SeedSequence's spawn keys), unlike offsets
    such as ``s * 1000 + i`` which collide across sweeps.  The one helper for
    new code that needs several seeds from one; an int in ``[0, 2**63)``.
    A ``torch.Generator`` is first turned into an int with :func:`int_seed`
    (advancing it).
    """
    import numpy as np

    check_seed(seed)
    for k in keys:
        if isinstance(k, bool) or not isinstance(k, int) or k < 0:
            raise ValueError(f"sub_seed keys must be non-negative ints, got {keys!r}")
    ss = np.random.SeedSequence(entropy=int_seed(seed), spawn_key=tuple(int(k) for k in keys))
    return int(ss.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def int_seed(seed: SeedLike = None) -> int:
    """An integer seed derived from ``seed`` (for APIs that want a number)."""
    if isinstance(seed, int) and not isinstance(seed, bool):
        return int(seed)
    return int(torch.randint(0, 2**62, (1,), generator=generator(seed)).item())


PROGRESS_DELAY_S = 2.0
"""A progress bar appears only once its work has run this long (``tqdm``'s ``delay``): quick calls stay silent."""


def progress_bar(iterable, total: int | None = None, desc: str = "", progress: bool = True, *, unit: str = "it"):
    """``iterable`` wrapped in a ``tqdm.auto`` bar counting ``unit`` with an ETA when ``progress`` (left as it
    is otherwise). The bar shows up only after :data:`PROGRESS_DELAY_S` seconds."""
    if not progress:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, unit=unit, leave=False, delay=PROGRESS_DELAY_S)


class _NoMeter:
    """The silent stand-in for a tqdm bar (``progress=False``)."""

    n = 0

    def update(self, n=1):
        self.n += n

    def set_postfix_str(self, s="", refresh=True):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def progress_meter(total: float | None, desc: str, unit: str, progress: bool = True, *, unit_scale=False,
                   bar_format: str | None = None):
    """A manual ``tqdm.auto`` bar (``.update(n)``, ``.set_postfix_str``, ``.close()``; a context manager) of
    ``total`` ``unit`` with an ETA, shown after :data:`PROGRESS_DELAY_S` seconds; a silent stand-in when
    ``progress`` is false."""
    if not progress:
        return _NoMeter()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=False, delay=PROGRESS_DELAY_S, unit_scale=unit_scale,
                bar_format=bar_format)
