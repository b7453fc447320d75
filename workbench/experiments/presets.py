"""The one preset mechanism of the experiment configurations.

Every configuration a notebook sizes is a frozen dataclass that mixes in
:class:`Presets`: its named sizes are classmethods (``smoke()`` and ``full()``
always, others such as ``cpu()`` where listed in ``PRESETS``), each taking
field overrides (``GrowthConfig.smoke(depth=4)``), and ``preset(name,
**overrides)`` picks one by name (``Config.preset(PROFILE)`` in a notebook).
"""
from __future__ import annotations

from typing import ClassVar

__all__ = ["Presets"]


class Presets:
    """Mixin: ``preset(name, **overrides)`` dispatches to the classmethod ``name`` listed in ``PRESETS``."""

    PRESETS: ClassVar[tuple[str, ...]] = ("smoke", "full")

    @classmethod
    def preset(cls, name: str, **overrides):
        """The configuration named ``name`` (one of ``cls.PRESETS``) with ``overrides`` applied."""
        if name not in cls.PRESETS:
            raise ValueError(f"unknown preset {name!r} for {cls.__name__}; use one of {list(cls.PRESETS)}")
        return getattr(cls, name)(**overrides)
