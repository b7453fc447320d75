"""The ESD paper's claims catalogue (workbench.papers.esd.catalogue): well formed, recipes and notebooks exist."""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from workbench.catalogue import check_catalogue
from workbench.papers.esd.catalogue import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]
PAPER_TEXT = Path("/work/shared/papers/esd_berthiaume2020.txt")


def resolve(dotted: str):
    """The object a dotted path names: the longest importable module prefix, then attributes."""
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:k]))
        except ImportError:
            continue
        for name in parts[k:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(f"no importable prefix in {dotted!r}")


def test_catalogue_is_valid_and_large_enough():
    entries = check_catalogue(CATALOGUE, papers=["ESD"])
    assert len(entries) >= 25
    assert all(s.id.startswith("esd.") and s.id == s.id.lower() for s in entries)
    assert all(len(s.quote) <= 200 for s in entries)


@pytest.mark.parametrize("s", [s for s in CATALOGUE if s.recipe is not None], ids=lambda s: s.id)
def test_recipe_resolves(s):
    assert resolve(s.recipe) is not None


@pytest.mark.parametrize("s", [s for s in CATALOGUE if s.notebook is not None], ids=lambda s: s.id)
def test_notebook_exists(s):
    assert (ROOT / "notebooks" / "src" / f"{s.notebook}.py").is_file()


@pytest.mark.skipif(not PAPER_TEXT.is_file(), reason="the paper's text is not on this machine")
def test_quotes_are_verbatim():
    text = PAPER_TEXT.read_text()
    missing = [s.id for s in CATALOGUE if s.quote not in text]
    assert not missing, f"quotes not found verbatim in the paper: {missing}"
