"""Re-export the public names (``__all__``) of a package's modules."""
from __future__ import annotations

import importlib


def reexport(package: str, namespace: dict, modules: tuple[str, ...]) -> list[str]:
    """Import ``package.<m>`` for each module and copy its ``__all__`` names into ``namespace``.

    ``__all__`` is read from each module object before anything is rebound, so a
    module may export a function with its own name (``experiments.esd.esd``).
    Two modules exporting the same name is an error, never a silent shadowing.
    """
    names: dict[str, str] = {}
    for m in modules:
        mod = importlib.import_module(f"{package}.{m}")
        for n in mod.__all__:
            if n in names:
                raise ImportError(f"{package}: {n!r} is exported by both {names[n]} and {m}")
            names[n] = m
            namespace[n] = getattr(mod, n)
    return list(names)
