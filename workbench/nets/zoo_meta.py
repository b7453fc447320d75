"""torchvision classifiers on the ``meta`` device: the architecture without its weights.

Used by the layer algebra, whose measures depend on the architecture alone.
:func:`zoo_meta_model` builds the network under ``torch.device("meta")`` (no
parameter memory, no initialisation work); torchvision builders that compute
with tensors while constructing (RegNet's width rule calls ``.tolist()``) are
built with a hook that moves each parameter to ``meta`` as it is registered,
so at most one layer's *uninitialised* CPU storage exists at a time.
"""
from __future__ import annotations

import contextlib

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

__all__ = ["zoo_meta_model", "zoo_input_shape", "meta_device"]


class _SkipMetaInplace(TorchFunctionMode):
    """Skip in-place operations on meta tensors (weight initialisers): a meta tensor has no values to change."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", "")
        if (name.endswith("_") and not name.endswith("__") and args and isinstance(args[0], torch.Tensor)
                and args[0].is_meta):
            return args[0]
        return func(*args, **(kwargs or {}))


@contextlib.contextmanager
def meta_device():
    """``torch.device("meta")`` that also skips the (slow, pointless) initialisers of meta parameters."""
    with torch.device("meta"), _SkipMetaInplace():
        yield


@contextlib.contextmanager
def _params_to_meta():
    register_parameter = nn.Module.register_parameter
    register_buffer = nn.Module.register_buffer

    def reg_param(self, name, param):
        if param is not None:
            param = nn.Parameter(param.to("meta"), requires_grad=param.requires_grad)
        register_parameter(self, name, param)

    def reg_buffer(self, name, tensor, persistent=True):
        if tensor is not None:
            tensor = tensor.to("meta")
        register_buffer(self, name, tensor, persistent=persistent)

    nn.Module.register_parameter = reg_param
    nn.Module.register_buffer = reg_buffer
    try:
        yield
    finally:
        nn.Module.register_parameter = register_parameter
        nn.Module.register_buffer = register_buffer


def zoo_input_shape(name: str) -> tuple[int, int, int]:
    """``(3, S, S)`` with ``S`` the evaluation crop of the model's default weights (torchvision metadata)."""
    import torchvision.models as tvm

    w = tvm.get_model_weights(name).DEFAULT
    crop = w.transforms.keywords.get("crop_size", 224)
    crop = int(crop[0] if isinstance(crop, (list, tuple)) else crop)
    return (3, crop, crop)


def zoo_meta_model(name: str, *, num_classes: int = 1000, image_size: int | None = None) -> nn.Module:
    """torchvision's ``name`` with every parameter and buffer on ``meta``, in eval mode.

    Vision transformers fix their input size at construction: ``image_size``
    (default: the evaluation crop of the default weights, :func:`zoo_input_shape`)
    is passed to ``vit_*`` builders so the architecture matches its accuracy
    metadata (``vit_h_14`` is evaluated at 518 x 518).
    """
    import torchvision.models as tvm

    names = sorted(tvm.list_models(module=tvm))
    if name not in names:
        close = [n for n in names if n.startswith(name[:4])] or names[:10]
        raise ValueError(f"unknown model {name!r}; did you mean one of {close}? (see workbench.zoo())")
    kwargs = dict(weights=None, num_classes=num_classes)
    if name.startswith("vit_"):
        kwargs["image_size"] = int(image_size or zoo_input_shape(name)[1])
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", FutureWarning)
        try:
            with meta_device():
                model = tvm.get_model(name, **kwargs)
        except (NotImplementedError, RuntimeError):
            with _params_to_meta(), _SkipMetaInplace():
                model = tvm.get_model(name, **kwargs)
    return model.eval()
