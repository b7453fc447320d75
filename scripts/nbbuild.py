"""Write a notebook from a list of cells, without outputs (papermill conventions).

Usage from a build script::

    from nbbuild import md, code, params, write
    write("notebooks/00_tour.ipynb", [md("# Title"), code("import workbench as wb"),
                                     params('PROFILE = "full"'), ...])

``params`` makes the cell tagged ``parameters`` that papermill injects after.
"""
from __future__ import annotations

import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def md(src: str):
    return new_markdown_cell(src.strip("\n"))


def code(src: str):
    return new_code_cell(src.strip("\n"))


def params(src: str):
    c = new_code_cell(src.strip("\n"))
    c.metadata["tags"] = ["parameters"]
    return c


def write(path: str, cells) -> None:
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i:03d}"
    nbformat.validate(nb)
    nbformat.write(nb, path)
    print(f"wrote {path}", file=sys.stderr)
