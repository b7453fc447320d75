"""The one preset mechanism of the experiment configurations.

Every configuration a notebook sizes is a frozen dataclass that mixes in
:class:`Presets`: its named sizes are classmethods (``smoke()`` and ``full()``
always, others such as ``cpu()`` where listed in ``PRESETS``), each taking
field overrides (``GrowthConfig.smoke(depth=4)``), and ``preset(name,
**overrides)`` picks one by name (``Config.preset(PROFILE)`` in a notebook).
"""
from __future__ import annotations

import dataclasses
import numbers
from typing import Any, ClassVar

from workbench.validation import check_int, check_real, describe

__all__ = ["Presets", "validate_fields"]

_POSITIVE_REALS = ("lr", "learning_rate")
"""Float fields that must be > 0 (not only >= 0); also every field whose name ends in ``_lr``."""


def _check_count(name: str, value: Any, lo: int | None) -> None:
    v = check_int(name, value)
    if lo == 1 and v < 1:
        raise ValueError(f"{name} must be a positive int, got {v}")
    if lo == 0 and v < 0:
        raise ValueError(f"{name} must be a non-negative int, got {v}")


def _check_field(name: str, field: str, value: Any, default: Any, ann: str) -> None:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False, got {describe(value)}")
    elif isinstance(default, numbers.Integral):
        if value is None and "None" in ann:
            return
        _check_count(name, value, 1 if default >= 1 else 0 if default == 0 else None)
    elif isinstance(default, numbers.Real):
        if value is None and "None" in ann:
            return
        positive = field in _POSITIVE_REALS or field.endswith("_lr")
        finite = default != float("inf")
        check_real(name, value, min=0.0 if default >= 0 else None, min_open=positive, finite=finite)
    elif isinstance(default, str):
        if not isinstance(value, str) and not (value is None and "None" in ann):
            raise TypeError(f"{name} must be a string, got {describe(value)}")
    elif isinstance(default, tuple) and default:
        if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)):
            raise TypeError(f"{name} must be a tuple like {default!r}, got {describe(value)}")
        ints = all(isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in default)
        reals = all(isinstance(d, numbers.Real) and not isinstance(d, bool) for d in default)
        if ints:
            lo = 1 if all(d >= 1 for d in default) else 0 if all(d >= 0 for d in default) else None
            for i, v in enumerate(value):
                _check_count(f"{name}[{i}]", v, lo)
        elif reals:
            nonneg = all(d >= 0 for d in default)
            for i, v in enumerate(value):
                check_real(f"{name}[{i}]", v, min=0.0 if nonneg else None)
        elif all(isinstance(d, str) for d in default):
            for i, v in enumerate(value):
                if not isinstance(v, str):
                    raise TypeError(f"{name}[{i}] must be a string, got {describe(v)}")


def validate_fields(cfg: Any) -> None:
    """Check every field of the frozen dataclass ``cfg`` against the kind of its default; errors name the field.

    The rule is the default's: an int default asks for an int (``>= 1`` when
    the default is positive, ``>= 0`` when it is 0), a float default for a
    finite real (``>= 0`` when the default is; ``> 0`` for learning rates), a
    bool for a bool, a string for a string, a tuple of positive ints for
    positive ints (widths, depths), ``None`` where the annotation allows it.
    Configurations with further rules check them in their own ``__post_init__``.
    """
    cls = type(cfg).__name__
    for f in dataclasses.fields(cfg):
        if f.default is dataclasses.MISSING:
            continue
        _check_field(f"{cls}.{f.name}", f.name, getattr(cfg, f.name), f.default, str(f.type))


class Presets:
    """Mixin: ``preset(name, **overrides)`` dispatches to the classmethod ``name`` listed in ``PRESETS``."""

    PRESETS: ClassVar[tuple[str, ...]] = ("smoke", "full")

    def __post_init__(self):
        """Every configuration checks its fields when built (:func:`validate_fields`), naming the bad one."""
        if dataclasses.is_dataclass(self):
            validate_fields(self)

    @classmethod
    def preset(cls, name: str, **overrides):
        """The configuration named ``name`` (one of ``cls.PRESETS``) with ``overrides`` applied."""
        if name not in cls.PRESETS:
            raise ValueError(f"unknown preset {name!r} for {cls.__name__}; use one of {list(cls.PRESETS)}")
        return getattr(cls, name)(**overrides)
