"""Build notebooks/*.ipynb from their jupytext percent-format sources notebooks/src/*.py.

Usage::

    python scripts/nbbuild.py            # rebuild every notebook from notebooks/src/*.py
    python scripts/nbbuild.py 03_linear_regions   # only these (stem or path)
    python scripts/nbbuild.py --check    # exit 1 and list the .ipynb that differ from their sources

A source is plain Python that linters and refactoring tools see: ``# %% [markdown]``
cells (markdown as ``#`` comments), ``# %%`` code cells and one
``# %% tags=["parameters"]`` cell with ``PROFILE = "full"`` (papermill injects
``PROFILE = "smoke"`` after it).  The built notebook has no outputs, the same
kernelspec for every notebook, no jupytext metadata, and stable cell ids
(``c000``, ``c001``, ... by position), so a rebuild of an unchanged source is
byte-identical.  ``tests/test_notebook_sources.py`` checks that the committed
notebooks match their sources.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def build(source: Path) -> str:
    """The ``.ipynb`` JSON text for one percent-format source."""
    nb = jupytext.read(source, fmt="py:percent")
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i:03d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("jupytext", None)
    nb.nbformat, nb.nbformat_minor = 4, 5
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def target(source: Path) -> Path:
    return OUT / (source.stem + ".ipynb")


def sources(names: list[str] | None = None) -> list[Path]:
    if not names:
        return sorted(SRC.glob("[0-9]*.py"))
    out = []
    for n in names:
        p = Path(n)
        p = p if p.suffix == ".py" and p.exists() else SRC / (Path(n).stem + ".py")
        if not p.exists():
            raise SystemExit(f"no notebook source {p}")
        out.append(p)
    return out


def stale(names: list[str] | None = None) -> list[Path]:
    """Sources whose committed notebook is missing or differs from what :func:`build` makes."""
    return [s for s in sources(names) if not target(s).exists() or target(s).read_text() != build(s)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="notebook stems or source paths (default: all)")
    ap.add_argument("--check", action="store_true", help="only check; exit 1 if a notebook is stale")
    args = ap.parse_args(argv)
    if args.check:
        bad = stale(args.names)
        for s in bad:
            print(f"stale: {target(s).relative_to(ROOT)} (rebuild: python scripts/nbbuild.py {s.stem})")
        return 1 if bad else 0
    for s in sources(args.names):
        target(s).write_text(build(s))
        print(f"wrote {target(s).relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
