"""Comparison of results for ``benchmarks/hostile/hostile_probe.py``: tensors, numbers, dataclasses, frames, nested."""
from __future__ import annotations

import math

import numpy as np
import torch


def same(a, b, rtol=1e-6, atol=1e-9) -> bool:
    if isinstance(a, torch.Tensor) or isinstance(b, torch.Tensor):
        a = torch.as_tensor(a).detach().cpu().double()
        b = torch.as_tensor(b).detach().cpu().double()
        return a.shape == b.shape and bool(torch.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))
    if isinstance(a, np.ndarray):
        return same(torch.as_tensor(a), torch.as_tensor(np.asarray(b)), rtol, atol)
    if isinstance(a, (int, float, np.floating, np.integer)) and isinstance(b, (int, float, np.floating, np.integer)):
        return math.isclose(float(a), float(b), rel_tol=rtol, abs_tol=atol) or (a != a and b != b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, rtol, atol) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], rtol, atol) for k in a)
    if hasattr(a, "__dataclass_fields__") and type(a) is type(b):
        import dataclasses

        return all(same(getattr(a, f.name), getattr(b, f.name), rtol, atol)
                   for f in dataclasses.fields(a) if not f.name.startswith("_"))
    if hasattr(a, "_fields") and type(a) is type(b):
        return all(same(x, y, rtol, atol) for x, y in zip(a, b))
    try:
        import pandas as pd

        if isinstance(a, pd.DataFrame):
            return a.shape == b.shape and bool(np.allclose(a.select_dtypes("number").to_numpy(float),
                                                          b.select_dtypes("number").to_numpy(float), equal_nan=True))
    except ImportError:  # pragma: no cover
        pass
    return a == b


def eq_to(ref_call, **kw):
    """check: the result equals ``ref_call()`` (computed lazily, once)."""
    box = []

    def check(r):
        if not box:
            box.append(ref_call())
        return same(r, box[0], **kw)

    return check
