"""``load(name)``: a data set by name, falling back to the bundled digits when its files are absent."""
from __future__ import annotations

import warnings

from workbench.data.bundled import breast_cancer, digits
from workbench.data.dataset import DataNotFoundError, Dataset
from workbench.data.fetching import _FETCH_KEYS
from workbench.data.image_sets import cifar10, fashion_mnist, mnist

_LOADERS = {"digits": digits, "mnist": mnist, "fashion_mnist": fashion_mnist, "cifar10": cifar10,
            "breast_cancer": breast_cancer}


_LOAD_ALIASES = {"fashion-mnist": "fashion_mnist"}
_WARNED: set[str] = set()  # the data sets whose fallback was announced in this process


def load(name: str, *, fallback: str | None = "digits", download: bool = False, **kwargs) -> Dataset:
    """Load a data set by name, falling back to ``fallback`` when its files are absent.

    ``download=True`` fetches MNIST, Fashion-MNIST or CIFAR-10 first when its
    files are absent (see :func:`fetch`; a failed download raises
    :class:`DataDownloadError`, it does not fall back).  Without it, a missing
    set falls back to ``fallback`` with a one-line ``UserWarning`` (once per
    name per process) naming the missing folder and the command that fetches
    it; ``fallback=None`` raises :class:`DataNotFoundError` instead.  The
    returned ``Dataset.name`` says which set was actually loaded, so a
    notebook can state it plainly.
    """
    key = _LOAD_ALIASES.get(name, name)
    if key not in _LOADERS:
        raise ValueError(f"unknown data set {name!r}; allowed values: {sorted(_LOADERS)}")
    if fallback is not None and fallback not in _LOADERS:
        raise ValueError(f"unknown fallback {fallback!r}; allowed values: {sorted(_LOADERS)} or None")
    try:
        return _LOADERS[key](**kwargs)
    except DataNotFoundError as exc:
        if download and key in _FETCH_KEYS:
            from workbench import data  # read at call time: a patched or wrapped workbench.data.fetch is used

            data.fetch(_FETCH_KEYS[key])
            return _LOADERS[key](**kwargs)
        if fallback is None:
            raise
        if key not in _WARNED:
            _WARNED.add(key)
            instead = "the bundled digits" if fallback == "digits" else f"{fallback!r}"
            warnings.warn(f"{key}: no files in {exc.folder}; using {instead} instead. Fetch it with "
                          f"`{exc.command}` (or load({key!r}, download=True)).", UserWarning, stacklevel=2)
        kw = {k: v for k, v in kwargs.items() if k in ("n", "seed")}
        return _LOADERS[fallback](**kw)
